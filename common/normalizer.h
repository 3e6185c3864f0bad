// Normalizer: the searchable surface form of a word: Unicode NFC, lower case
// (German rules, so "ß" stays "ß" and "Ä" becomes "ä"), typographic
// apostrophes folded to "'", soft hyphens and zero-width characters dropped.
// Umlauts are kept: the stemmer, not the normaliser, decides how
// "Mueller" and "Müller" meet.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace findling {

class Normalizer {
 public:
  Normalizer();
  ~Normalizer();
  Normalizer(const Normalizer&) = delete;
  Normalizer& operator=(const Normalizer&) = delete;

  // Writes the normal form of `word` to `out` (replacing its content).
  // ASCII words take a fast path without ICU. NOT thread-safe.
  void Normalize(std::string_view word, std::string& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace findling
