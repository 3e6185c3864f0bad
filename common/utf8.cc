#include "common/utf8.h"

#include <unicode/uchar.h>

#include <cstring>

namespace findling {
namespace {

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Length of the valid sequence at text[i], or 0 if it is invalid.
std::size_t ValidSequenceLength(std::string_view text, std::size_t i, char32_t* cp) {
  const auto c0 = static_cast<unsigned char>(text[i]);
  if (c0 < 0x80) {
    *cp = c0;
    return 1;
  }
  std::size_t len;
  char32_t value;
  char32_t min;
  if ((c0 & 0xE0) == 0xC0) {
    len = 2, value = c0 & 0x1F, min = 0x80;
  } else if ((c0 & 0xF0) == 0xE0) {
    len = 3, value = c0 & 0x0F, min = 0x800;
  } else if ((c0 & 0xF8) == 0xF0) {
    len = 4, value = c0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > text.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto c = static_cast<unsigned char>(text[i + k]);
    if (!IsContinuation(c)) return 0;
    value = (value << 6) | (c & 0x3F);
  }
  if (value < min || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0;
  *cp = value;
  return len;
}

}  // namespace

// Most bytes of German text are ASCII, so ASCII is skipped eight bytes at a
// time (one load and one mask test) and only the non-ASCII runs are decoded:
// several times faster than decoding every byte on the readers' input. A
// multi-byte sequence never contains an ASCII byte, so a run of non-ASCII
// bytes is valid exactly when it decodes on its own.
std::size_t FindInvalidUtf8(std::string_view text) {
  constexpr std::uint64_t kHighBits = 0x8080808080808080ull;
  const char* const data = text.data();
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    while (n - i >= 8) {
      std::uint64_t word;
      std::memcpy(&word, data + i, 8);
      if ((word & kHighBits) != 0) break;
      i += 8;
    }
    while (i < n && static_cast<unsigned char>(data[i]) < 0x80) ++i;
    while (i < n && static_cast<unsigned char>(data[i]) >= 0x80) {
      char32_t cp;
      const std::size_t len = ValidSequenceLength(text, i, &cp);
      if (len == 0) return i;
      i += len;
    }
  }
  return std::string_view::npos;
}

char32_t DecodeUtf8(std::string_view text, std::size_t& i) {
  char32_t cp;
  const std::size_t len = ValidSequenceLength(text, i, &cp);
  if (len == 0) {
    ++i;
    return 0xFFFD;
  }
  i += len;
  return cp;
}

void AppendUtf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::size_t CountCodePoints(std::string_view text) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < text.size();) {
    DecodeUtf8(text, i);
    ++n;
  }
  return n;
}

std::string CapitalizeLike(const std::string& word, std::string_view typed) {
  if (typed.empty() || word.empty()) return word;
  std::size_t i = 0;
  if (!u_isupper(static_cast<UChar32>(DecodeUtf8(typed, i)))) return word;
  std::size_t k = 0;
  const char32_t first = DecodeUtf8(word, k);
  std::string out;
  AppendUtf8(static_cast<char32_t>(u_toupper(static_cast<UChar32>(first))), out);
  return out + word.substr(k);
}

std::size_t AlignToCodePoint(std::string_view text, std::size_t offset) {
  if (offset >= text.size()) return text.size();
  while (offset > 0 && IsContinuation(static_cast<unsigned char>(text[offset]))) --offset;
  return offset;
}

}  // namespace findling
