// Features of (query, candidate document) pairs for a learned re-ranking of
// Findling's default ranking (benchmarks/learned_ranking.h).
//
// For a query, FeatureExtractor::Extract runs the default search (the
// Searcher with the given options, so all-words-first, the typed-spelling
// tier and the date order of ties are in it) and describes its first K hits
// by the row below. The ranking components are measured one at a time: the
// query is built again with QueryWeights where all boosts are 0 and the
// typed-spelling tier is off (the stem BM25 alone, "stem") and with one boost at its default value
// beside it; a component's value is that run's weight minus the stem-only weight (the components
// are summed by OP_OR, so the difference is what the component adds). Those runs are restricted to
// the K candidates (OP_FILTER by their id terms), so they cost little and score exactly the same
// documents.
//
// Words: the query's word leaves (not phrases, wildcards or exclusions),
// each built alone; a word that builds to nothing is a stop word and does not
// count. A word matches a document when its query (stem, title, form, parts)
// does; "title" when `title:word` does; a pair of neighbouring content words
// is found as a phrase when the query text from the first to the second
// (stop words between them included) matches as a phrase.
//
// Feature row, in this order (FeatureNames()):
//   0 rank       (K - rank + 1) / K: 1 for the first hit, 1/K for the K-th;
//                all weight here reproduces the default ranking
//   1 score      the default search's score (all-words-first tiers aside)
//   2 stem       BM25 of the stems (and nothing else)
//   3 title      what the S: title terms add
//   4 exact      what the E: exact forms add
//   5 part       what the P: compound parts (and the AND of a compound's parts) add
//   6 pairs      what the proximity pairs add
//   7 windows    what the proximity windows add
//   8 coord      content words matched / content words
//   9 coord_idf  the same, each word weighed by log(N / its document count)
//  10 all_words  1 when every content word matches, else 0
//  11 in_title   content words matched in the title / content words
//  12 phrase     neighbouring content-word pairs found as a phrase / pairs
//  13 doc_len    log(1 + the document's length in terms)
//  14 title_len  log(1 + the words of its title)
// A query without content words has 0 in 8 to 12.
//
// Not thread-safe: one extractor per thread (it holds a Searcher and
// Xapian handles).
#pragma once

#include <xapian.h>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "common/analyzer.h"
#include "common/status.h"
#include "searcher/query_builder.h"
#include "searcher/searcher.h"

namespace findling::ltr {

// The names of the features, in row order (16 characters at most).
const std::vector<std::string>& FeatureNames();

// The default ranking of one query and the feature rows of its first hits.
struct ExtractedQuery {
  std::vector<std::string> ranked;            // document ids, best first (up to `limit`)
  std::vector<std::vector<double>> features;  // rows for ranked[0 .. min(k, size) - 1]
};

class FeatureExtractor {
 public:
  // Opens the index at `index` (one local Findling index) twice: a Searcher
  // with `options` for the default ranking, and a Xapian database with the
  // index's analysis for the component runs. Fails as Searcher::Open does,
  // naming the path.
  static Result<std::unique_ptr<FeatureExtractor>> Open(const std::string& index,
                                                        const SearcherOptions& options);
  ~FeatureExtractor();
  FeatureExtractor(const FeatureExtractor&) = delete;
  FeatureExtractor& operator=(const FeatureExtractor&) = delete;

  // The default ranking of `query` to `limit` hits and the features of its
  // first `k` (k <= limit). Fails as Searcher::Search does; a Xapian error
  // in the component runs is kIo naming the query.
  Result<ExtractedQuery> Extract(const std::string& query, std::size_t k, std::size_t limit);

 private:
  FeatureExtractor() = default;
  struct Component {
    QueryWeights weights;
    std::unique_ptr<QueryBuilder> builder;
  };

  SearcherOptions options_;
  std::unique_ptr<Searcher> searcher_;
  Xapian::Database db_;
  std::unique_ptr<Analyzer> analyzer_;
  std::unique_ptr<DatabaseVocabulary> vocabulary_;
  std::unique_ptr<QueryBuilder> default_builder_;  // options_.weights: what a word matches
  // [0] stem only, then one per boost (title, exact, part, pairs, windows).
  std::vector<Component> components_;
};

}  // namespace findling::ltr
