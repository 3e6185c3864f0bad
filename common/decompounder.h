// Decompounder: splits closed German compounds into their parts using a
// lexicon built at set-up from Debian's German word lists.
//
// Contract:
//  - Split() takes one word, already NFC-normalised and lower-cased UTF-8
//    ("ressourcenbeschränkungen"), and returns its parts in order, or an empty
//    vector when the word should stay whole (unknown, too short, an ordinary
//    word such as "insgesamt", "verlauf", "beamte", or not decomposable in
//    full). It never returns a single part.
//  - Parts carry byte offsets into the given word; linking elements
//    ("arbeit|s|markt", "sonne|n|schein") lie between parts and belong to no
//    part. `lemma` is the lexicon word the part stands for ("sprache" for the
//    surface "sprach" in "sprachmodell"), lower-cased.
//  - Thread-safe: a loaded Decompounder is immutable; share it freely.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace findling {

struct CompoundPart {
  std::uint32_t begin = 0;  // byte offsets into the word passed to Split()
  std::uint32_t end = 0;
  std::string lemma;
};

struct DecompounderOptions {
  std::uint32_t min_part_chars = 3;  // shortest part, in code points
  std::uint32_t min_word_chars = 7;  // words shorter than this are never split
  std::uint32_t max_parts = 4;
};

class Decompounder {
 public:
  // Loads a lexicon file written by BuildLexicon(). Fails with kNotFound,
  // kIo or kCorruption, naming the file.
  static Result<std::unique_ptr<Decompounder>> Open(const std::string& lexicon_path,
                                                    DecompounderOptions options = {});
  virtual ~Decompounder() = default;
  Decompounder(const Decompounder&) = delete;
  Decompounder& operator=(const Decompounder&) = delete;

  virtual std::vector<CompoundPart> Split(std::string_view word) const = 0;

  // True if `word` (lower-cased, as for Split()) is a noun or name with an -s after a vowel that
  // is an ending, not part of the word: the genitive ("afrikas", "ottos", "kakaos") or plural
  // ("autos") of a word the lexicon knows, which is not itself a dictionary base form. "chaos",
  // "kosmos", "atlas", "status", "bus", "mais", "etwas" are base forms: false. Snowball leaves
  // such an -s on (it strips -s only after b, d, f, g, h, k, l, m, n, r, t), so the analyzer
  // stems these words without it. False for any word when the lexicon was built without
  // hunspell's dictionary, which is the only source that tells a base form from an inflected one.
  virtual bool EndsInVowelS(std::string_view word) const = 0;

  // A short fingerprint of the lexicon content and options, recorded in
  // every index so that a search with another lexicon is detected.
  virtual std::string Fingerprint() const = 0;

 protected:
  Decompounder() = default;
};

// Builds the lexicon file from Debian's word lists: a plain word list
// (`/usr/share/dict/ngerman`) and hunspell's de_DE .dic/.aff (whose compound
// flags say which words may begin, join or end a compound). Missing optional
// inputs are skipped; a missing word list is an error.
struct LexiconSources {
  std::string word_list = "/usr/share/dict/ngerman";
  std::string hunspell_dic = "/usr/share/hunspell/de_DE.dic";
  std::string hunspell_aff = "/usr/share/hunspell/de_DE.aff";
};
Status BuildLexicon(const LexiconSources& sources, const std::string& output_path);

}  // namespace findling
