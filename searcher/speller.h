// Speller: "did you mean" spellings from an index's own vocabulary.
//
// A word's candidates are the exact forms (E: terms, common/index_schema.h)
// within a small edit distance of what was typed (optimal string alignment
// over code points: 1 for words of up to 5 letters, 2 for longer ones),
// looked up under the typed first letter and its umlaut partner ("o" and
// "ö"), so "Osterreich" reaches "Österreich". A spelling with the typed
// umlauts stripped is never offered. Candidates rank by distance, then
// umlaut spellings first, then document frequency.
//
// Failures are visible: a Xapian error while reading the vocabulary (an
// index modified under the reader, a remote shard that hung up or timed
// out) is returned as a Status, never an empty suggestion; what to do with
// it is the caller's choice (Searcher::Search still answers, with the
// failure in SearchResponse::suggestion_error). No function here throws.
// NOT thread-safe: reads one Xapian::Database, which is not shared between
// threads (the Searcher that owns it owns the Speller).
#pragma once

#include <xapian.h>

#include <cstddef>
#include <string>
#include <vector>

#include "common/analyzer.h"
#include "common/status.h"
#include "searcher/query_parser.h"

namespace findling {

class Speller {
 public:
  // `db` and `analyzer` (not owned) must outlive the Speller. `db` may be
  // re-assigned or reopened in between calls (Searcher::Combine does).
  Speller(const Xapian::Database& db, Analyzer& analyzer) : db_(db), analyzer_(analyzer) {}

  // Up to `max` spellings for one word, best first, lower-case as indexed
  // ("Regirung" -> "regierung"). Empty when `word` is not one word of at
  // least 3 letters or nothing is close enough. Fails with kUnavailable (a
  // remote shard did not answer) or kIo (the index could not be read),
  // naming the word.
  Result<std::vector<std::string>> SuggestWord(const std::string& word, std::size_t max = 5) const;

  // `query` with each plain word (not phrases, prefixes or field values, as
  // `root`, the parsed `query`, tells) that the index does not know, neither
  // its stem nor its exact form, replaced by its best spelling and
  // capitalised like the typed word; "" when no word changes. Fails as
  // SuggestWord.
  Result<std::string> SuggestQuery(const std::string& query, const QueryNode& root) const;

 private:
  const Xapian::Database& db_;
  Analyzer& analyzer_;
};

}  // namespace findling
