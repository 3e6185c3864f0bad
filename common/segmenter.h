// Segmenter: ICU word segmentation of UTF-8 text (UAX #29 word boundaries,
// German locale). No whitespace splitting: "geht’s", "3,5" and "A100" stay one
// word, "GPT-4o" gives "GPT" and "4o" (the HyphenJoiner re-joins them).
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace findling {

struct WordSpan {
  std::uint32_t start = 0;  // byte offsets into the text
  std::uint32_t end = 0;
  bool is_number = false;  // ICU classed it as a number ("2024", "3,5")
};

class Segmenter {
 public:
  // Fails with kInternal if ICU cannot create the break rules.
  static Result<std::unique_ptr<Segmenter>> Create();
  ~Segmenter();
  Segmenter(const Segmenter&) = delete;
  Segmenter& operator=(const Segmenter&) = delete;

  // Appends the words of `text` (letters or digits; spaces and punctuation
  // are skipped) to `out`. Invalid UTF-8 is tolerated: ICU sees U+FFFD there,
  // which is never a word. NOT thread-safe: one Segmenter per thread.
  void Segment(std::string_view text, std::vector<WordSpan>& out);

 private:
  struct Impl;
  explicit Segmenter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace findling
