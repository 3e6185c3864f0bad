#include "common/segmenter.h"

#include <unicode/brkiter.h>
#include <unicode/utext.h>

namespace findling {

struct Segmenter::Impl {
  std::unique_ptr<icu::BreakIterator> breaker;
};

Segmenter::Segmenter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Segmenter::~Segmenter() = default;

Result<std::unique_ptr<Segmenter>> Segmenter::Create() {
  UErrorCode err = U_ZERO_ERROR;
  auto impl = std::make_unique<Impl>();
  impl->breaker.reset(icu::BreakIterator::createWordInstance(icu::Locale::getGerman(), err));
  if (U_FAILURE(err) || !impl->breaker) {
    return Status::Internal(std::string("ICU word break iterator: ") + u_errorName(err));
  }
  return std::unique_ptr<Segmenter>(new Segmenter(std::move(impl)));
}

void Segmenter::Segment(std::string_view text, std::vector<WordSpan>& out) {
  if (text.empty()) return;
  UErrorCode err = U_ZERO_ERROR;
  // A UTF-8 UText lets ICU break the bytes in place; boundaries come back as
  // byte offsets ("native indexes"), so no UTF-16 copy or offset map is needed.
  UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &err);
  if (U_FAILURE(err)) return;
  icu::BreakIterator& bi = *impl_->breaker;
  bi.setText(ut, err);
  if (U_FAILURE(err)) {
    utext_close(ut);
    return;
  }
  int32_t start = bi.first();
  for (int32_t end = bi.next(); end != icu::BreakIterator::DONE; start = end, end = bi.next()) {
    const int32_t status = bi.getRuleStatus();
    if (status < UBRK_WORD_NONE_LIMIT) continue;  // spaces, punctuation, symbols
    out.push_back({static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(end),
                   status >= UBRK_WORD_NUMBER && status < UBRK_WORD_NUMBER_LIMIT});
  }
  // Detach the iterator from the UText before closing it.
  bi.setText(icu::UnicodeString());
  utext_close(ut);
}

}  // namespace findling
