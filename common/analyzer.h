// Analyzer: German text in, Findling's tokens out. The same chain runs at
// index time and at query time; its Signature() is recorded in every index.
//
// The chain, composed in Analyzer::Analyze() (analyzer.cc):
//   Segmenter (ICU words, byte offsets)
//   -> Normalizer (NFC, lower case, apostrophes)
//   -> stop word marking (marked, not removed)
//   -> Stemmer (german2, every word; a noun's -s after a vowel, which Snowball
//      keeps, is dropped first when the lexicon says it is an ending: "Afrikas")
//   -> Decompounder (closed compounds: parts colocated, whole word kept)
//   -> hyphen joining ("KI-Chip-Beschränkungen": pieces kept, joined form colocated)
//
// Three modes (see AnalysisMode). Options are validated by Create().
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/decompounder.h"
#include "common/status.h"
#include "common/token.h"
#include "common/word_memo.h"

namespace findling {

enum class AnalysisMode : std::uint8_t {
  kDocument,  // everything: words, stems, compound parts, joined hyphen compounds
  kQuery,     // the same tokens as kDocument, so query and index terms meet
  kPrefix,    // wildcard/prefix: normalisation only (form == stem), no parts, so
              // "Sprachmod*" still matches "sprachmodell"; hyphen groups are still
              // joined, because "KI-Chip*" is matched in its joined form
};

struct AnalyzerOptions {
  bool stem = true;
  // Snowball stemmer: "german2" (reads ae/oe/ue as umlauts) or "german" (for
  // measuring what german2's umlaut handling is worth).
  std::string stemmer = "german2";
  bool decompound = true;
  // A noun's or name's -s after a vowel that the lexicon marks as an ending
  // (Decompounder::EndsInVowelS: "Afrikas", "Ottos", "Autos", not "Chaos")
  // is dropped before stemming, so "Afrikas" gets the stem of "Afrika". The
  // word's form (and so its exact-form term) keeps the -s. Needs the lexicon:
  // without decompounding it has no effect.
  bool vowel_s = true;
  bool join_hyphenated = true;
  // Lexicon for the decompounder (--lexicon); empty means the lookup order of
  // common/data_files.h. When decompound is set and no lexicon is found,
  // Create() fails (kNotFound, naming every place tried).
  std::string lexicon_path;
  DecompounderOptions decompounder;

  // The options that reproduce the analysis an index records
  // (Analyzer::Signature(), in its findling.analysis metadata): stemming and
  // its stemmer, hyphen joining, decompounding on or off. What the signature
  // pins but options cannot choose (the ICU version, the decompounder's
  // lexicon fingerprint) is left to the caller to compare: create the
  // Analyzer and check that its Signature() equals `signature`. Fails with
  // kIncompatible naming the field for a signature of another version, a
  // missing field, an unknown stemmer or an unknown value. Thread-safe.
  static Result<AnalyzerOptions> FromSignature(std::string_view signature);
};

// The lexicon the lookup order of common/data_files.h finds when no
// --lexicon is given ($FINDLING_LEXICON, beside the executable, ..., the
// installed data folder), or "" if none exists.
std::string DefaultLexiconPath();

class Analyzer {
 public:
  static Result<std::unique_ptr<Analyzer>> Create(const AnalyzerOptions& options);
  ~Analyzer();
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  // A new Analyzer with the same options, sharing the (immutable) lexicon:
  // the cheap way to get one per thread.
  std::unique_ptr<Analyzer> Clone() const;

  // Analyses `text`; token positions start at `first_position`. Tokens are
  // ordered by position, a word before its variants. NOT thread-safe: use
  // one Analyzer per thread (Clone()).
  std::vector<Token> Analyze(std::string_view text, AnalysisMode mode,
                             std::uint32_t first_position = 0);

  // Like Analyze() but appends to `out`; returns the next free position.
  std::uint32_t AnalyzeInto(std::string_view text, AnalysisMode mode, std::uint32_t first_position,
                            std::vector<Token>& out);

  // Describes everything that decides which terms a text produces, e.g.
  // "findling-analysis/1 icu=72 stem=german2 hyphen=join decompound=3fa9c0e1".
  // Two analyzers with equal signatures produce equal terms.
  std::string Signature() const;
  const AnalyzerOptions& options() const { return options_; }

 private:
  struct Impl;
  Analyzer(AnalyzerOptions options, std::shared_ptr<const Decompounder> decompounder);

  void AnalyzeWord(std::string_view text, std::uint32_t start, std::uint32_t end, bool is_number,
                   AnalysisMode mode, std::uint32_t& position, std::vector<Token>& out);
  // Stop word, stem and compound parts of a normalised form: the stages after
  // normalisation, which depend on the form alone (AnalyzeWord memoises them).
  WordAnalysis AnalyzeForm(const std::string& form, AnalysisMode mode, bool is_number);
  void AddWord(std::string_view text, Token token, const WordAnalysis& analysis,
               std::uint32_t& position, std::vector<Token>& out);
  void AddCompoundParts(std::string_view text, std::vector<Token>& out, std::size_t word_index,
                        const std::vector<MemoPart>& parts);

  AnalyzerOptions options_;
  std::shared_ptr<const Decompounder> decompounder_;  // null when decompounding is off
  std::unique_ptr<Impl> impl_;
};

}  // namespace findling
