// Searcher: query string in, ranked hits with snippets out.
//
// Opens one or more Findling indexes or shards (searched as one database, so
// BM25 statistics cover all of them; searcher/shards.h says what --db may
// name), checks that each was built by an analysis this build can reproduce,
// parses the query
// (QueryParser), turns it into a Xapian::Query (QueryBuilder), ranks with
// BM25 and builds snippets (SnippetBuilder); a search that finds (almost)
// nothing gets a spelling suggestion (Speller). NOT thread-safe: one Searcher
// per thread (the server keeps one per worker).
//
// No public function throws Xapian::Error: each catches it at this edge and
// answers with a Status, mapped as searcher/xapian_error.h says (a remote
// shard: kUnavailable -> shard_unavailable; an unreadable index: kIo).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/analyzer.h"
#include "common/fields.h"
#include "common/index_schema.h"
#include "common/status.h"
#include "searcher/query_builder.h"
#include "searcher/query_parser.h"
#include "searcher/shards.h"
#include "searcher/snippet_builder.h"
#include "searcher/speller.h"

namespace findling {

// The order of the hits. Relevance ties (and a query of filters only, where
// every score is equal) are broken by date, newest first.
enum class SortOrder { kRelevance, kDateDesc, kDateAsc };

// "relevance", "date" (newest first) or "date-asc" (oldest first); documents
// without a date come last in both date orders.
Result<SortOrder> ParseSortOrder(std::string_view key);
const char* SortOrderName(SortOrder order);
inline constexpr char kSortKeys[] = "relevance, date, date-asc";

// The facets a search can count: "category" (value slot kCategorySlot),
// "year" (the year of the date in kDateSlot), and the fields an index
// declares as facets (common/fields.h; Searcher::CheckFacetNames knows them).
inline constexpr char kFacetNames[] = "category, year";
// Checks what can be checked without an index: kInvalidInput naming the
// first repeated facet, or one that is neither built in nor a possible field
// name. Searcher::CheckFacetNames then checks the index's declaration.
Status CheckFacets(const std::vector<std::string>& facets);
inline constexpr std::uint32_t kMaxFacetLimit = 1000;

struct SearchRequest {
  std::string query;
  std::uint32_t offset = 0;
  std::uint32_t limit = 10;
  std::string category;            // extra filter, as category:...
  std::string date_from, date_to;  // extra filter, "YYYY-MM-DD" or ""
  std::uint32_t snippet_chars = 200;
  bool snippets = true;
  ParseMode parse_mode = ParseMode::kLenient;
  bool explain = false;  // fill SearchResponse::explain
  SortOrder sort = SortOrder::kRelevance;
  std::vector<std::string> facets;  // kFacetNames or declared facet fields, counted in that order
  std::uint32_t facet_limit = 10;   // values per facet, most frequent first
};

struct FacetValue {
  std::string value;
  std::uint64_t count = 0;
};

// The counts of one facet over the whole match set (not only the page).
struct FacetCounts {
  std::string name;
  std::vector<FacetValue> values;  // most frequent first, then by value; capped
};

struct Hit {
  std::uint32_t rank = 0;  // 1-based, counting from the first result overall
  std::string id, title, url, date, category;
  DocumentFields fields;  // the extra fields stored with the document
  double score = 0;
  Snippet snippet;
  std::vector<Highlight> title_highlights;
};

struct SearchResponse {
  std::uint64_t total = 0;  // Xapian's estimate of all matches
  double took_ms = 0;
  std::vector<Hit> hits;
  std::vector<ParseWarning> warnings;
  std::string understood;            // the query as understood (canonical form)
  std::vector<std::string> explain;  // analysis stages, one line each (when asked)
  std::string suggestion;            // "did you mean" query, or ""
  // Why no suggestion could be made ("" when the speller worked): the hits
  // stand, but a speller that could not read the index is said, not hidden.
  std::string suggestion_error;
  // Shards that did not answer (SearcherOptions::allow_partial): the hits
  // and the total come from the others. Empty when every shard answered.
  std::vector<std::string> missing_shards;
  std::vector<FacetCounts> facets;  // one per requested facet, in request order
};

struct SearcherLimits {
  std::uint32_t max_limit = 1000;    // limit per request
  std::uint32_t max_window = 10000;  // offset + limit
  QueryParserLimits parser;
  std::uint32_t max_wildcard_expansion = 1000;
};

struct SearcherOptions {
  SearcherLimits limits;
  QueryWeights weights;
  // Bare-word queries with at most this many content words rank documents
  // with all words first; longer ones (sentences, questions) rank by BM25
  // alone. 3 keeps that promise for keyword queries. At 6 it cost 0.049
  // MRR@10 on klexikon-known-item: in a short sentence a word the right
  // article lacks ("Hamburg ist über 1000 Jahre alt": 1000) put it below
  // every article that happens to have all words (rank 12 instead of 1).
  // Off (0) would gain another 0.010 there; docs/relevance.md has the figures.
  std::uint32_t all_words_first_max = 3;
  // Suggest a spelling when a query finds at most this many documents.
  std::uint32_t suggest_below = 2;
  ShardTimeouts shard_timeouts;
  // When a remote shard is down or slow: false fails the request (kUnavailable,
  // naming the shard); true answers from the shards that respond and lists
  // the others in SearchResponse::missing_shards.
  bool allow_partial = false;
  // A shard that failed is tried again (reconnected) at most this often, so a
  // host that is gone costs one time-out per interval, not one per query.
  std::chrono::milliseconds shard_retry_interval{5000};
  // Compound lexicon (--lexicon); "" looks it up as common/data_files.h says.
  std::string lexicon_path;
};

class Searcher {
 public:
  // Opens the indexes at `paths` (at least one; each a folder, a sharded
  // folder or remote:HOST:PORT, see ExpandShards). Fails with kNotFound for a
  // missing index, kIncompatible when an index was built by another analysis
  // or another format, kUnavailable when a remote shard does not answer
  // (unless options.allow_partial and another shard does), each naming the
  // path or shard.
  static Result<std::unique_ptr<Searcher>> Open(const std::vector<std::string>& paths,
                                                const SearcherOptions& options = {});
  ~Searcher();
  Searcher(const Searcher&) = delete;
  Searcher& operator=(const Searcher&) = delete;

  // Runs one search. Fails with kInvalidInput (strict syntax errors, naming
  // the byte offset; a field filter the index does not declare filterable,
  // naming the field and the declared ones; a facet it cannot count),
  // kLimit (limits exceeded), kIo/kInternal (index trouble).
  // Retries once after reopening if the index changed under it. A remote shard
  // that hangs up or exceeds the read time-out fails the search with
  // kUnavailable naming it, or, with allow_partial, the search is rerun on the
  // other shards. Every remote is reconnected after such a failure, and a
  // shard that is down is tried again (shard_retry_interval) before a search,
  // so a restarted shard serves again without restarting the Searcher.
  // A speller failure does not fail the search: the response carries it in
  // suggestion_error.
  Result<SearchResponse> Search(const SearchRequest& request);

  // The stored document with `id`, or kNotFound (kUnavailable as in Search).
  Result<StoredDocument> Get(const std::string& id);

  // Spelling suggestions for `word` from the index vocabulary, best first
  // (Speller::SuggestWord); fails with kUnavailable or kIo when the index
  // cannot be read.
  Result<std::vector<std::string>> SuggestWord(const std::string& word, std::size_t max = 5);

  // Sees the latest committed state of the indexes (cheap when unchanged) and
  // tries shards that are down again.
  Status Reopen();

  // Documents in the shards that are up. Fails with kUnavailable when a
  // remote shard hangs up and kIo when the index cannot be read, rather than
  // answering 0, which would look like an empty index.
  Result<std::uint64_t> document_count();
  const std::vector<std::string>& paths() const { return paths_; }
  // Names (ShardSpec::Name) of the shards that are down now.
  std::vector<std::string> missing_shards() const;
  const std::string& analysis_signature() const { return signature_; }
  // The field declaration every shard records (findling.fields).
  const FieldSchema& fields() const { return fields_; }
  // kInvalidInput naming the first facet that is neither category, year nor
  // a field this index declares as a facet, and listing those it can count;
  // or a repeated one.
  Status CheckFacetNames(const std::vector<std::string>& facets) const;

 private:
  Searcher(std::vector<std::string> paths, SearcherOptions options);
  struct Shard {
    ShardSpec spec;
    Xapian::Database db;  // valid while up
    bool up = false;
    std::string why_down;
    std::chrono::steady_clock::time_point last_try;
  };

  Result<SearchResponse> SearchOnce(const SearchRequest& request);
  // Runs `run` (which reads *db_) with the retries and shard handling that
  // Search() describes; `what` starts error messages.
  template <class Run>
  auto RunOnShards(const std::string& what, Run&& run) -> decltype(run());
  // A shard's metadata matches this Searcher's (format, analysis).
  Status CheckShard(const std::string& name, const Xapian::Database& db) const;
  // *db_ := the shards that are up, as one database.
  void Combine();
  // Fails when no shard is up, or one is down and partial answers are off.
  Status ShardsReady() const;
  // Some shard (up or down) is served by xapian-tcpsrv.
  bool HasRemoteShards() const;
  void RetryDownShards();
  // After `failure` (kUnavailable, from StatusOfXapianError): the remote
  // shard that timed out is down (TimedOutAt); every other remote gets a new
  // connection (the old ones may hold half-read answers), and those that do
  // not answer are down too.
  void ReconnectRemotes(const Status& failure);
  // Counts the requested facets over every match of `query` with Xapian's
  // built-in ValueCountMatchSpy (which also runs over the remote backend);
  // returns the exact number of matches.
  Result<Xapian::doccount> CountFacets(const Xapian::Query& query, const SearchRequest& request,
                                       std::vector<FacetCounts>& out);

  std::vector<std::string> paths_;
  SearcherOptions options_;
  std::string signature_;
  std::string fields_recorded_;  // findling.fields of the first shard, as recorded
  FieldSchema fields_;
  std::vector<Shard> shards_;
  std::unique_ptr<Xapian::Database> db_;            // the shards that are up
  std::unique_ptr<DatabaseVocabulary> vocabulary_;  // of *db_, for wildcards
  std::unique_ptr<Analyzer> analyzer_;
  std::unique_ptr<QueryBuilder> builder_;
  std::unique_ptr<SnippetBuilder> snippets_;
  std::unique_ptr<Speller> speller_;  // reads *db_
};

}  // namespace findling
