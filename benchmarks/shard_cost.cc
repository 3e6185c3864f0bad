// findling-shard-cost: what searching shards costs beside the merged index of
// the same documents, per query kind, in instructions rather than time (the
// figures of docs/scaling.md).
//
//   findling-shard-cost --merged=DB --sharded=DB[,DB...] --queries=FILE.tsv
//
// First every query of the set (findling-gencorpus --queries) runs on both
// layouts, top 10 with snippets, and the hits are compared: the same ids in
// the same order with the same scores (relative difference below 1e-9), the
// same total. A difference is printed with its query and the run ends with
// exit status 1. This pass also warms both indexes.
//
// Then each kind (word, two, three, phrase, prefix, filtered) runs once per
// answer (ids: id and title; snippets: with a snippet) and layout. Under
// valgrind's callgrind each of these groups is one dump, labelled
// "KIND/ANSWER/LAYOUT", holding the instructions of its searches only:
//
//   valgrind --tool=callgrind --instr-atstart=no --collect-atstart=no
//       --callgrind-out-file=cg.out build/findling-shard-cost --merged=M --sharded=S --queries=Q
// (one command line)
//   grep -h -e '^desc: Trigger' -e '^totals' cg.out.*
//
// Outside valgrind the client requests do nothing and the program prints the
// wall time of each group, which a shared machine makes noisy.
#include <valgrind/callgrind.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "benchmarks/bench_common.h"
#include "searcher/searcher.h"

namespace findling::bench {
namespace {

SearchRequest RequestFor(const BenchQuery& q, bool snippets) {
  SearchRequest request;
  request.query = q.findling;
  request.limit = 10;
  request.snippets = snippets;
  request.snippet_chars = 200;
  return request;
}

// "" when both answers list the same documents with the same scores.
std::string Difference(const SearchResponse& merged, const SearchResponse& sharded) {
  if (merged.hits.size() != sharded.hits.size()) {
    return std::to_string(merged.hits.size()) + " hits merged, " +
           std::to_string(sharded.hits.size()) + " sharded";
  }
  for (std::size_t i = 0; i < merged.hits.size(); ++i) {
    const Hit& a = merged.hits[i];
    const Hit& b = sharded.hits[i];
    if (a.id != b.id) return "rank " + std::to_string(i + 1) + ": " + a.id + " / " + b.id;
    if (std::abs(a.score - b.score) > 1e-9 * std::max(1.0, std::abs(a.score))) {
      return "rank " + std::to_string(i + 1) + " (" + a.id + "): score " + std::to_string(a.score) +
             " / " + std::to_string(b.score);
    }
    if (a.snippet.text != b.snippet.text) return "rank " + std::to_string(i + 1) + ": snippet";
  }
  if (merged.total != sharded.total) {
    return "total " + std::to_string(merged.total) + " / " + std::to_string(sharded.total);
  }
  return "";
}

// Kept out of line so that a profile shows one frame per group.
__attribute__((noinline)) std::size_t RunGroup(Searcher& searcher,
                                               const std::vector<BenchQuery>& queries,
                                               bool snippets) {
  std::size_t hits = 0;
  for (const BenchQuery& q : queries) {
    auto response = searcher.Search(RequestFor(q, snippets));
    if (response.ok()) hits += response->hits.size();
  }
  return hits;
}

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t begin = 0; begin <= text.size();) {
    const std::size_t comma = std::min(text.find(',', begin), text.size());
    out.push_back(text.substr(begin, comma - begin));
    begin = comma + 1;
  }
  return out;
}

int Main(int argc, char** argv) {
  const std::string merged_db = TakeFlag(argc, argv, "merged");
  const std::string sharded_db = TakeFlag(argc, argv, "sharded");
  const std::string queries_path = TakeFlag(argc, argv, "queries");
  if (merged_db.empty() || sharded_db.empty() || queries_path.empty() || argc != 1) {
    std::fprintf(
        stderr, "usage: findling-shard-cost --merged=DB --sharded=DB[,DB...] --queries=FILE.tsv\n");
    return 2;
  }
  auto set = ReadQuerySet(queries_path);
  if (!set.ok()) {
    std::fprintf(stderr, "findling-shard-cost: %s\n", set.status().message().c_str());
    return 1;
  }
  auto merged = Searcher::Open({merged_db});
  auto sharded = Searcher::Open(SplitCommas(sharded_db));
  for (const auto* opened : {&merged, &sharded}) {
    if (!opened->ok()) {
      std::fprintf(stderr, "findling-shard-cost: %s\n", opened->status().message().c_str());
      return 1;
    }
  }

  std::map<std::string, std::vector<BenchQuery>> by_kind;
  int differences = 0;
  for (const BenchQuery& q : set.value()) {
    auto a = merged.value()->Search(RequestFor(q, true));
    auto b = sharded.value()->Search(RequestFor(q, true));
    if (!a.ok() || !b.ok()) {
      std::fprintf(stderr, "findling-shard-cost: \"%s\" failed: %s\n", q.findling.c_str(),
                   (!a.ok() ? a.status() : b.status()).message().c_str());
      return 1;
    }
    if (const std::string diff = Difference(a.value(), b.value()); !diff.empty()) {
      std::fprintf(stderr, "differs: %s \"%s\": %s\n", q.kind.c_str(), q.findling.c_str(),
                   diff.c_str());
      ++differences;
    }
    if (q.kind != "known") by_kind[q.kind].push_back(q);
  }
  std::printf("%zu queries, %d answered differently by the shards\n", set.value().size(),
              differences);

  CALLGRIND_START_INSTRUMENTATION;
  static const char* const kOrder[] = {"word", "two", "three", "phrase", "prefix", "filtered"};
  for (const bool snippets : {false, true}) {
    for (const char* kind : kOrder) {
      const auto it = by_kind.find(kind);
      if (it == by_kind.end()) continue;
      for (const auto& [layout, searcher] : {std::pair{"merged", merged.value().get()},
                                             std::pair{"sharded", sharded.value().get()}}) {
        const std::string label = std::string(kind) + (snippets ? "/snippets/" : "/ids/") + layout;
        const auto started = std::chrono::steady_clock::now();
        CALLGRIND_ZERO_STATS;
        CALLGRIND_TOGGLE_COLLECT;
        const std::size_t hits = RunGroup(*searcher, it->second, snippets);
        CALLGRIND_TOGGLE_COLLECT;
        CALLGRIND_DUMP_STATS_AT(label.c_str());
        const double us =
            std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - started)
                .count();
        std::printf("%-24s %3zu queries %4zu hits %10.0f us per query\n", label.c_str(),
                    it->second.size(), hits, us / static_cast<double>(it->second.size()));
      }
    }
  }
  return differences == 0 ? 0 : 1;
}

}  // namespace
}  // namespace findling::bench

int main(int argc, char** argv) { return findling::bench::Main(argc, argv); }
