// Stemmer: Snowball's German stemmer, variant "german2" (Xapian 1.4's copy),
// applied to every word, capitalised nouns included. german2 also reads
// "ae", "oe", "ue" as umlauts (except after "q"), and the German stemmer
// removes umlauts and rewrites "ß" as "ss", so "Mueller"/"Müller",
// "Strasse"/"Straße" and "Oesterreich"/"Österreich" share one stem.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include <xapian.h>

namespace findling {

class Stemmer {
 public:
  // `language` is a Snowball name Xapian ships ("german2", or "german" for
  // comparisons); an unknown name throws Xapian::InvalidArgumentError, so
  // callers validate it first (Analyzer::Create does).
  explicit Stemmer(const std::string& language = kLanguage);
  Stemmer(const Stemmer&) = delete;
  Stemmer& operator=(const Stemmer&) = delete;

  // Stem of a normalised (lower-case) word. Words starting with a digit are
  // returned unchanged: "2024" and "4o" are not German words. NOT thread-safe.
  std::string Stem(std::string_view form);

  static constexpr const char* kLanguage = "german2";
  static bool IsSupported(const std::string& language) {
    return language == "german2" || language == "german";
  }

 private:
  // Snowball allocates and runs its whole program per call, and was a fifth
  // of indexing time; word frequencies are Zipfian, so a cache of recent
  // forms answers most calls. Cleared when full, which bounds memory.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  static constexpr std::size_t kCacheEntries = 1 << 17;
  std::unordered_map<std::string, std::string, Hash, std::equal_to<>> cache_;
  Xapian::Stem stem_;
};

}  // namespace findling
