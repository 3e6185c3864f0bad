// findling-query-bench: in-process query latency, Findling's Searcher against
// Xapian's own QueryParser + Enquire + MSet::snippet, on indexes built from
// the same documents (findling-index and scriptindex; see benchmarks/bench.sh).
// This is what `quest` does, without a process start per query.
//
//   findling-query-bench --findling-db=F --xapian-db=X --queries=queries.tsv
//                        [--sharded-db=S1,S2,...] [--repeats=N] [Google Benchmark flags]
//
// Without --xapian-db only Findling runs (no "xapian/..." benchmarks): what
// browsing costs on a collection can be measured without building the peer's
// index, which takes longer than Findling's own at 100k documents.
//
// --sharded-db adds a third engine, "sharded": Findling over the listed --db
// arguments (a sharded folder, shard folders, remote:HOST:PORT), the same
// documents as F (docs/scaling.md compares the two).
//
// One benchmark per engine x query kind x {ids and titles, with snippets};
// and for Findling, one-word, two-word and filtered queries again sorted by
// date (findling/two/ids/date), with category and year facets counted
// over all matches (findling/two/ids/facets), and with the author and tags
// field facets when the index declares them (findling/two/ids/fieldfacets).
// Each runs every query of its kind `repeats` times, in file order, so both
// engines do exactly the same work; each iteration is timed by hand
// (UseManualTime) and the counters give p50/p95/p99 in microseconds, the
// queries per second of one thread, the mean hits per query and the share of
// queries that found nothing.
//
// Checks before anything is timed (exit 1 with a message when one fails):
// both indexes hold the same number of documents, the "known" query finds
// something in each, and every query of the set runs without error.
#include <benchmark/benchmark.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "benchmarks/bench_common.h"
#include "benchmarks/google_benchmark_main.h"
#include "searcher/searcher.h"

namespace findling::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct RunResult {
  bool ok = true;
  std::string error;
  std::size_t hits = 0;
  std::size_t bytes = 0;  // of titles and snippets: keeps the work observable
};

class Engine {
 public:
  virtual ~Engine() = default;
  virtual RunResult Run(const BenchQuery& q, bool snippets) = 0;
  virtual std::uint64_t Documents() = 0;
};

// `browse` sets the sort order and facets of every request: the same
// queries sorted by date or with facet counts cost what browsing adds.
class FindlingEngine : public Engine {
 public:
  FindlingEngine(Searcher* s, SearchRequest browse) : searcher_(s), browse_(std::move(browse)) {}
  RunResult Run(const BenchQuery& q, bool snippets) override {
    SearchRequest request = browse_;
    request.query = q.findling;
    request.limit = 10;
    request.snippets = snippets;
    request.snippet_chars = 200;
    RunResult r;
    auto response = searcher_->Search(request);
    if (!response.ok()) return {false, response.status().ToString()};
    r.hits = response->hits.size();
    for (const Hit& h : response->hits) r.bytes += h.title.size() + h.snippet.text.size();
    return r;
  }
  // 0 on failure: the document-count comparison in main() then stops the run.
  std::uint64_t Documents() override {
    auto n = searcher_->document_count();
    return n.ok() ? n.value() : 0;
  }

 private:
  Searcher* searcher_;  // not owned
  SearchRequest browse_;
};

// What an application on Xapian 1.4 writes: QueryParser with the German
// stemmer (STEM_SOME, as Omega), BM25, the data stored by scriptindex's
// `field` actions ("id=...\ntitle=...\ntext=...") and MSet::snippet over the
// text, 200 bytes (Findling's snippets are 200 code points).
class XapianEngine : public Engine {
 public:
  explicit XapianEngine(const std::string& path) : db_(path), stem_("german") {
    parser_.set_database(db_);
    parser_.set_stemmer(stem_);
    parser_.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    // The same cap Findling applies to a wildcard (SearcherLimits).
    parser_.set_max_expansion(1000, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
  }
  RunResult Run(const BenchQuery& q, bool snippets) override {
    RunResult r;
    try {
      Xapian::Query query = parser_.parse_query(
          q.xapian, Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD);
      if (!q.category.empty()) {
        query = Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query("K" + q.category));
      }
      Xapian::Enquire enquire(db_);
      enquire.set_query(query);
      const Xapian::MSet mset = enquire.get_mset(0, 10);
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        const std::string data = it.get_document().get_data();
        r.bytes += Field(data, "title").size();
        if (snippets) r.bytes += mset.snippet(std::string(Field(data, "text")), 200, stem_).size();
        ++r.hits;
      }
    } catch (const Xapian::Error& e) {
      return {false, e.get_description()};
    }
    return r;
  }
  std::uint64_t Documents() override { return db_.get_doccount(); }

 private:
  static std::string_view Field(std::string_view data, std::string_view name) {
    std::size_t at = 0;
    while (at < data.size()) {
      std::size_t end = data.find('\n', at);
      if (end == std::string_view::npos) end = data.size();
      const std::string_view line = data.substr(at, end - at);
      if (line.size() > name.size() && line.substr(0, name.size()) == name &&
          line[name.size()] == '=') {
        return line.substr(name.size() + 1);
      }
      at = end + 1;
    }
    return {};
  }

  Xapian::Database db_;
  Xapian::Stem stem_;
  Xapian::QueryParser parser_;
};

void RunQueries(benchmark::State& state, Engine* engine, const std::vector<BenchQuery>* queries,
                bool snippets) {
  std::vector<double> latencies;
  latencies.reserve(static_cast<std::size_t>(state.max_iterations));
  std::size_t next = 0, hits = 0, empty = 0, bytes = 0;
  for (auto _ : state) {
    const BenchQuery& q = (*queries)[next++ % queries->size()];
    const auto start = Clock::now();
    const RunResult r = engine->Run(q, snippets);
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    state.SetIterationTime(seconds);
    if (!r.ok) {
      state.SkipWithError(("query " + q.findling + ": " + r.error).c_str());
      break;
    }
    latencies.push_back(seconds);
    hits += r.hits;
    empty += r.hits == 0;
    bytes += r.bytes;
  }
  benchmark::DoNotOptimize(bytes);
  if (latencies.empty()) return;
  double total = 0;
  for (double l : latencies) total += l;
  std::sort(latencies.begin(), latencies.end());
  const double n = static_cast<double>(latencies.size());
  state.counters["p50_us"] = Percentile(latencies, 50) * 1e6;
  state.counters["p95_us"] = Percentile(latencies, 95) * 1e6;
  state.counters["p99_us"] = Percentile(latencies, 99) * 1e6;
  state.counters["qps"] = n / total;
  state.counters["hits_per_query"] = static_cast<double>(hits) / n;
  state.counters["empty_pct"] = 100.0 * static_cast<double>(empty) / n;
}

int Main(int argc, char** argv) {
  const std::string findling_db = TakeFlag(argc, argv, "findling-db");
  const std::string xapian_db = TakeFlag(argc, argv, "xapian-db");
  const std::string queries_path = TakeFlag(argc, argv, "queries");
  const std::string repeats_text = TakeFlag(argc, argv, "repeats");
  const std::string sharded_db = TakeFlag(argc, argv, "sharded-db");
  if (!InitGoogleBenchmark(argc, argv)) return 2;
  if (findling_db.empty() || queries_path.empty()) {
    std::fprintf(stderr,
                 "usage: findling-query-bench --findling-db=DIR [--xapian-db=DIR] "
                 "--queries=FILE.tsv [--sharded-db=S1,S2,...] [--repeats=N] "
                 "[benchmark flags]\n");
    return 2;
  }
  const int repeats = repeats_text.empty() ? 1 : std::max(1, std::atoi(repeats_text.c_str()));

  auto set = ReadQuerySet(queries_path);
  if (!set.ok()) {
    std::fprintf(stderr, "findling-query-bench: %s\n", set.status().message().c_str());
    return 1;
  }
  auto searcher = Searcher::Open({findling_db});
  if (!searcher.ok()) {
    std::fprintf(stderr, "findling-query-bench: %s\n", searcher.status().message().c_str());
    return 1;
  }
  std::unique_ptr<Engine> findling =
      std::make_unique<FindlingEngine>(searcher->get(), SearchRequest{});
  // Browsing: the same searcher, sorted by date, or counting category and
  // year facets over every match (findling only: the peers have neither).
  SearchRequest by_date, with_facets, with_field_facets;
  by_date.sort = SortOrder::kDateDesc;
  with_facets.facets = {"category", "year"};
  // Declared field facets (findling-index --field author:filter,facet
  // --field tags:filter,facet, as bench.sh builds): several values a
  // document (tags) and one spy per used value slot.
  with_field_facets.facets = {"author", "tags"};
  std::unique_ptr<Engine> findling_field_facets;
  if (searcher.value()->CheckFacetNames(with_field_facets.facets).ok()) {
    findling_field_facets = std::make_unique<FindlingEngine>(searcher->get(), with_field_facets);
  }
  std::unique_ptr<Engine> findling_date =
      std::make_unique<FindlingEngine>(searcher->get(), by_date);
  std::unique_ptr<Engine> findling_facets =
      std::make_unique<FindlingEngine>(searcher->get(), with_facets);
  std::unique_ptr<Engine> xapian;
  std::vector<std::pair<const char*, Engine*>> engines = {{"findling", findling.get()}};
  if (!xapian_db.empty()) {
    try {
      xapian = std::make_unique<XapianEngine>(xapian_db);
    } catch (const Xapian::Error& e) {
      std::fprintf(stderr, "findling-query-bench: %s: %s\n", xapian_db.c_str(),
                   e.get_description().c_str());
      return 1;
    }
    engines.emplace_back("xapian", xapian.get());
  }
  std::unique_ptr<Searcher> sharded_searcher;
  std::unique_ptr<Engine> sharded;
  if (!sharded_db.empty()) {
    std::vector<std::string> dbs;
    for (std::size_t begin = 0; begin <= sharded_db.size();) {
      const std::size_t comma = std::min(sharded_db.find(',', begin), sharded_db.size());
      dbs.push_back(sharded_db.substr(begin, comma - begin));
      begin = comma + 1;
    }
    auto opened = Searcher::Open(dbs);
    if (!opened.ok()) {
      std::fprintf(stderr, "findling-query-bench: %s\n", opened.status().message().c_str());
      return 1;
    }
    sharded_searcher = std::move(opened).value();
    sharded = std::make_unique<FindlingEngine>(sharded_searcher.get(), SearchRequest{});
    if (sharded->Documents() != findling->Documents()) {
      std::fprintf(stderr, "findling-query-bench: the shards hold %llu documents, %s %llu\n",
                   static_cast<unsigned long long>(sharded->Documents()), findling_db.c_str(),
                   static_cast<unsigned long long>(findling->Documents()));
      return 1;
    }
    engines.emplace_back("sharded", sharded.get());
  }

  // The checks, which also warm both indexes' caches.
  if (findling->Documents() == 0 || (xapian && findling->Documents() != xapian->Documents())) {
    std::fprintf(stderr,
                 "findling-query-bench: document counts differ: findling %llu, xapian %llu\n",
                 static_cast<unsigned long long>(findling->Documents()),
                 static_cast<unsigned long long>(xapian ? xapian->Documents() : 0));
    return 1;
  }
  static std::map<std::string, std::vector<BenchQuery>> by_kind;
  for (const BenchQuery& q : set.value()) {
    for (const auto& [name, engine] : engines) {
      const RunResult r = engine->Run(q, true);
      if (!r.ok) {
        std::fprintf(stderr, "findling-query-bench: %s failed on \"%s\": %s\n", name,
                     q.findling.c_str(), r.error.c_str());
        return 1;
      }
      if (q.kind == "known" && r.hits == 0) {
        std::fprintf(stderr, "findling-query-bench: %s finds nothing for the known query \"%s\"\n",
                     name, q.findling.c_str());
        return 1;
      }
    }
    if (q.kind != "known") by_kind[q.kind].push_back(q);
  }

  static const char* const kOrder[] = {"word", "two", "three", "phrase", "prefix", "filtered"};
  for (const bool snippets : {false, true}) {
    for (const char* kind : kOrder) {
      const auto it = by_kind.find(kind);
      if (it == by_kind.end()) continue;
      for (const auto& [name, engine] : engines) {
        const std::string label =
            std::string(name) + "/" + kind + (snippets ? "/snippets" : "/ids");
        benchmark::RegisterBenchmark(label.c_str(), RunQueries, engine, &it->second, snippets)
            ->UseManualTime()
            ->Unit(benchmark::kMicrosecond)
            ->Iterations(static_cast<benchmark::IterationCount>(it->second.size()) * repeats);
      }
    }
  }
  // findling/<kind>/ids/date and .../ids/facets beside findling/<kind>/ids.
  static const char* const kBrowseKinds[] = {"word", "two", "filtered"};
  for (const char* kind : kBrowseKinds) {
    const auto it = by_kind.find(kind);
    if (it == by_kind.end()) continue;
    for (const auto& [variant, engine] :
         {std::pair<const char*, Engine*>{"date", findling_date.get()},
          std::pair<const char*, Engine*>{"facets", findling_facets.get()},
          std::pair<const char*, Engine*>{"fieldfacets", findling_field_facets.get()}}) {
      if (engine == nullptr) continue;  // an index without the declared fields
      const std::string label = std::string("findling/") + kind + "/ids/" + variant;
      benchmark::RegisterBenchmark(label.c_str(), RunQueries, engine, &it->second, false)
          ->UseManualTime()
          ->Unit(benchmark::kMicrosecond)
          ->Iterations(static_cast<benchmark::IterationCount>(it->second.size()) * repeats);
    }
  }
  return RunRegisteredBenchmarks();
}

}  // namespace
}  // namespace findling::bench

int main(int argc, char** argv) { return findling::bench::Main(argc, argv); }
