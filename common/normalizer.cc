#include "common/normalizer.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include "common/ascii.h"

namespace findling {

struct Normalizer::Impl {
  const icu::Normalizer2* nfc = nullptr;
  icu::UnicodeString buffer;  // reused across calls to avoid an allocation per word
  icu::UnicodeString normalized;
};

Normalizer::Normalizer() : impl_(std::make_unique<Impl>()) {
  UErrorCode err = U_ZERO_ERROR;
  impl_->nfc = icu::Normalizer2::getNFCInstance(err);
  if (U_FAILURE(err)) impl_->nfc = nullptr;  // then only lower-casing is done
}

Normalizer::~Normalizer() = default;

namespace {

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Characters that never change what a word means but break matching.
bool IsIgnorable(UChar c) {
  return c == 0x00AD /* soft hyphen */ || c == 0x200B || c == 0x200C || c == 0x200D ||
         c == 0x2060 || c == 0xFEFF;
}

bool IsApostrophe(UChar c) { return c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x00B4; }

}  // namespace

void Normalizer::Normalize(std::string_view word, std::string& out) {
  out.clear();
  if (IsAscii(word)) {
    // In place, so `out` keeps its capacity from word to word.
    out.assign(word);
    for (char& c : out) c = ToAsciiLower(c);
    return;
  }
  icu::UnicodeString& s = impl_->buffer;
  s = icu::UnicodeString::fromUTF8(
      icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
  UErrorCode err = U_ZERO_ERROR;
  if (impl_->nfc != nullptr && !impl_->nfc->isNormalized(s, err)) {
    err = U_ZERO_ERROR;
    impl_->normalized.remove();
    impl_->nfc->normalize(s, impl_->normalized, err);
    if (U_SUCCESS(err)) s = impl_->normalized;
  }
  s.toLower(icu::Locale::getGerman());
  for (int32_t i = s.length() - 1; i >= 0; --i) {
    const UChar c = s.charAt(i);
    if (IsIgnorable(c)) {
      s.remove(i, 1);
    } else if (IsApostrophe(c)) {
      s.setCharAt(i, u'\'');
    }
  }
  s.toUTF8String(out);
}

}  // namespace findling
