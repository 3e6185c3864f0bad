#include "indexer/char_refs.h"

#include <algorithm>
#include <cstdint>
#include <iterator>

#include "common/ascii.h"
#include "common/utf8.h"

namespace findling::reader_internal {
namespace {

struct NamedRef {
  std::string_view name;  // as written after '&', with its ';' where the standard has one
  char32_t first;
  char32_t second;  // 0: one code point
};

// Sorted by name bytes (the generator sorts), for std::lower_bound.
constexpr NamedRef kNamedRefs[] = {
#include "indexer/char_ref_table.inc"
};
// The longest name has 31 characters before its ';' ("CounterClockwiseContourIntegral").
constexpr std::size_t kMaxNameChars = 32;

const NamedRef* Find(std::string_view name) {
  const auto* it =
      std::lower_bound(std::begin(kNamedRefs), std::end(kNamedRefs), name,
                       [](const NamedRef& r, std::string_view n) { return r.name < n; });
  return it != std::end(kNamedRefs) && it->name == name ? it : nullptr;
}

void AppendRef(const NamedRef& ref, std::string* out) {
  AppendUtf8(ref.first, *out);
  if (ref.second != 0) AppendUtf8(ref.second, *out);
}

// Windows-1252's 0x80-0x9F: what the standard maps numeric references in
// this range to, since pages written on Windows used them.
constexpr char16_t kCp1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

// "&#..." at raw[amp]: appends the code point and returns the position
// after the reference, or 0 when there are no digits (then '&' is literal).
std::size_t DecodeNumeric(std::string_view raw, std::size_t amp, bool need_semicolon,
                          std::string* out) {
  std::size_t j = amp + 2;
  const bool hex = j < raw.size() && (raw[j] == 'x' || raw[j] == 'X');
  if (hex) ++j;
  const std::size_t digits_start = j;
  std::uint32_t cp = 0;
  while (j < raw.size()) {
    const char c = raw[j];
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (hex && c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (hex && c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      break;
    }
    // Saturates: "&#99999999999;" is out of range, not a wrapped-around letter.
    cp = std::min<std::uint32_t>(cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(d), 0x110000);
    ++j;
  }
  if (j == digits_start) return 0;
  if (j < raw.size() && raw[j] == ';') {
    ++j;
  } else if (need_semicolon) {
    return 0;
  }
  if (cp >= 0x80 && cp <= 0x9F) cp = kCp1252High[cp - 0x80];
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  AppendUtf8(static_cast<char32_t>(cp), *out);
  return j;
}

// "&name..." at raw[amp]: appends the reference and returns the position
// after it, or 0 when it is none (then '&' is literal).
std::size_t DecodeNamed(std::string_view raw, std::size_t amp, bool need_semicolon,
                        std::string* out) {
  const std::size_t start = amp + 1;
  std::size_t j = start;
  while (j < raw.size() && j - start < kMaxNameChars && IsAsciiAlnum(raw[j])) ++j;
  if (j == start) return 0;
  if (j < raw.size() && raw[j] == ';') {
    if (const NamedRef* ref = Find(raw.substr(start, j + 1 - start))) {
      AppendRef(*ref, out);
      return j + 1;
    }
  }
  // Without ';' only a legacy name, and only the whole run of letters and
  // digits, not followed by '=' (see the header).
  if (need_semicolon || (j < raw.size() && (raw[j] == '=' || IsAsciiAlnum(raw[j])))) return 0;
  if (const NamedRef* ref = Find(raw.substr(start, j - start))) {
    AppendRef(*ref, out);
    return j;
  }
  return 0;
}

}  // namespace

std::size_t DecodeCharRefAt(std::string_view raw, std::size_t amp, CharRefSyntax syntax,
                            std::string* out) {
  const bool need_semicolon = syntax == CharRefSyntax::kCommonMark;
  return amp + 1 < raw.size() && raw[amp + 1] == '#' ? DecodeNumeric(raw, amp, need_semicolon, out)
                                                     : DecodeNamed(raw, amp, need_semicolon, out);
}

void AppendDecodedCharRefs(std::string_view raw, std::string* out) {
  std::size_t i = 0;
  while (i < raw.size()) {
    const std::size_t amp = raw.find('&', i);
    if (amp == std::string_view::npos) {
      out->append(raw.substr(i));
      return;
    }
    out->append(raw.substr(i, amp - i));
    const std::size_t next = DecodeCharRefAt(raw, amp, CharRefSyntax::kHtml, out);
    if (next == 0) {
      out->push_back('&');
      i = amp + 1;
    } else {
      i = next;
    }
  }
}

std::string LookupCharRef(std::string_view name) {
  std::string out;
  if (const NamedRef* ref = Find(name)) AppendRef(*ref, &out);
  return out;
}

std::size_t CharRefTableSize() { return std::size(kNamedRefs); }

}  // namespace findling::reader_internal
