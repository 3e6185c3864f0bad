// WordMemo: what the analysis chain made of a normalised word form (its stem,
// whether it is a stop word, its compound parts and their stems), kept so that
// the next occurrence of the form costs one lookup instead of the stop-word
// lookup, the stemmer and the decompounder.
//
// Why: word frequencies are Zipfian, so a collection repeats most of its words
// (gesetze: 4.1 million words, 123,000 forms), and each of those stages is a
// hash probe that usually misses the CPU cache. One flat table answers with
// about two cache lines. Bounded: when it is full it forgets everything and
// fills again, so memory stays fixed and the frequent words come back at once.
//
// NOT thread-safe: one per Analyzer, and an Analyzer is used by one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace findling {

struct MemoPart {
  std::uint32_t begin = 0;  // byte range of the part inside the form
  std::uint32_t end = 0;
  std::string stem;
};

struct WordAnalysis {
  std::string stem;
  bool is_stopword = false;
  std::vector<MemoPart> parts;  // empty unless the form is a compound (two or more parts)
};

class WordMemo {
 public:
  // Remembers at most `max_entries` forms (rounded up to a power of two).
  explicit WordMemo(std::size_t max_entries = std::size_t{1} << 17);

  // The analysis recorded for `form`, or nullptr. Valid until the next Insert.
  const WordAnalysis* Find(std::string_view form) const;

  // Records `analysis` for `form` (which must not be recorded yet) and returns
  // the stored copy, valid until the next Insert. When the memo is full, it is
  // emptied first.
  const WordAnalysis& Insert(std::string_view form, WordAnalysis analysis);

  std::size_t size() const { return entries_.size(); }
  std::size_t capacity() const { return max_entries_; }

 private:
  struct Slot {
    std::uint32_t tag = 0;    // upper hash bits, to skip most mismatches without a key compare
    std::uint32_t entry = 0;  // index into entries_ plus one; 0 marks an empty slot
  };
  // A searcher's analyzer sees a few words per query, an indexer's a whole
  // vocabulary: the table starts at this many slots and doubles as it fills.
  static constexpr std::size_t kInitialSlots = 1024;

  static std::uint64_t Hash(std::string_view form);
  static std::size_t FreeSlot(const std::vector<Slot>& slots, std::uint64_t hash);
  void Grow();  // doubles the slots and places every entry again
  void Clear();

  std::size_t max_entries_;
  // At most twice max_entries_: a load of at most one half keeps probes short.
  std::vector<Slot> slots_;
  std::vector<std::pair<std::string, WordAnalysis>> entries_;
};

}  // namespace findling
