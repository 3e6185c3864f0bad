// findling-analysis-bench: MB/s of Findling's analysis on real German text,
// with and without compound splitting, plus ICU segmentation alone as the
// floor the rest of the chain is measured against.
//
//   findling-analysis-bench [--corpora=DIR] [--mb=4] [Google Benchmark flags]
//
// Text: the first --mb megabytes of text of each corpus in DIR (default
// ../shared/corpora): gesetze (legal prose, long compounds), klexikon
// (encyclopedia) and 10kGNAD (news). Without them the program says so and
// exits 1: synthetic text would measure something else.
//
// Every iteration's token count must equal the count a fresh Analyzer gave
// on the same text before timing: the stem cache and the decompounder's
// memo tables are warm during the run, and a cache that changed results
// would otherwise go unnoticed behind a nicer MB/s (SkipWithError then).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "benchmarks/bench_common.h"
#include "benchmarks/google_benchmark_main.h"
#include "common/analyzer.h"
#include "common/segmenter.h"
#include "indexer/readers.h"

namespace findling::bench {
namespace {

namespace fs = std::filesystem;

struct Corpus {
  std::string name;
  std::vector<std::string> texts;
  std::size_t bytes = 0;
};

class TextSink : public DocumentSink {
 public:
  TextSink(Corpus& corpus, std::size_t max_bytes) : corpus_(corpus), max_bytes_(max_bytes) {}
  bool Accept(SourceDocument&& doc) override {
    corpus_.bytes += doc.text.size();
    corpus_.texts.push_back(std::move(doc.text));
    return corpus_.bytes < max_bytes_;
  }
  void Skip(const ReadIssue&) override {}
  void Warn(const ReadIssue&) override {}

 private:
  Corpus& corpus_;
  std::size_t max_bytes_;
};

std::vector<Corpus> LoadCorpora(const std::string& dir, std::size_t max_bytes) {
  std::vector<Corpus> out;
  const std::pair<const char*, const char*> files[] = {{"gesetze", "gesetze-2022-03.jsonl"},
                                                       {"klexikon", "klexikon-wiki.jsonl"},
                                                       {"10kgnad", "10kgnad-test.csv"}};
  for (const auto& [name, file] : files) {
    const fs::path path = fs::path(dir) / file;
    if (!fs::exists(path)) continue;
    const ReaderOptions options =
        std::strcmp(name, "10kgnad") == 0 ? GnadReaderOptions() : ReaderOptions{};
    Corpus corpus;
    corpus.name = name;
    TextSink sink(corpus, max_bytes);
    if (ReadInput(path.string(), options, sink).ok() && !corpus.texts.empty()) {
      out.push_back(std::move(corpus));
    }
  }
  return out;
}

std::size_t CountTokens(Analyzer& analyzer, const Corpus& corpus, std::vector<Token>& tokens) {
  std::size_t n = 0;
  for (const std::string& text : corpus.texts) {
    tokens.clear();
    analyzer.AnalyzeInto(text, AnalysisMode::kDocument, 0, tokens);
    n += tokens.size();
  }
  return n;
}

void BM_Analyze(benchmark::State& state, const Corpus* corpus, bool decompound) {
  AnalyzerOptions options;
  options.decompound = decompound;
  auto reference = Analyzer::Create(options);
  if (!reference.ok()) {
    state.SkipWithError(reference.status().message().c_str());
    return;
  }
  std::vector<Token> tokens;
  const std::size_t expected = CountTokens(*reference.value(), *corpus, tokens);
  std::unique_ptr<Analyzer> analyzer = reference.value()->Clone();
  for (auto _ : state) {
    const std::size_t got = CountTokens(*analyzer, *corpus, tokens);
    if (got != expected) {
      state.SkipWithError(("token count " + std::to_string(got) +
                           " != " + std::to_string(expected) + " of a fresh analyzer")
                              .c_str());
      break;
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * corpus->bytes));
  state.counters["tokens"] = static_cast<double>(expected);
  state.counters["tokens_per_s"] =
      benchmark::Counter(static_cast<double>(expected) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}

void BM_SegmentOnly(benchmark::State& state, const Corpus* corpus) {
  auto segmenter = Segmenter::Create();
  if (!segmenter.ok()) {
    state.SkipWithError(segmenter.status().message().c_str());
    return;
  }
  std::vector<WordSpan> spans;
  std::size_t expected = 0;
  for (const std::string& text : corpus->texts) {
    spans.clear();
    segmenter.value()->Segment(text, spans);
    expected += spans.size();
  }
  for (auto _ : state) {
    std::size_t got = 0;
    for (const std::string& text : corpus->texts) {
      spans.clear();
      segmenter.value()->Segment(text, spans);
      got += spans.size();
    }
    if (got != expected) {
      state.SkipWithError("segmenter word count changed between runs");
      break;
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * corpus->bytes));
  state.counters["words"] = static_cast<double>(expected);
}

int Main(int argc, char** argv) {
  std::string dir = TakeFlag(argc, argv, "corpora");
  const std::string mb = TakeFlag(argc, argv, "mb");
  if (dir.empty()) dir = "../shared/corpora";
  if (!InitGoogleBenchmark(argc, argv)) return 2;
  const double max_mb = mb.empty() ? 4.0 : std::atof(mb.c_str());
  static const std::vector<Corpus> corpora =
      LoadCorpora(dir, static_cast<std::size_t>(max_mb * 1e6));
  if (corpora.empty()) {
    std::fprintf(stderr, "findling-analysis-bench: no corpora in %s (give --corpora=DIR)\n",
                 dir.c_str());
    return 1;
  }
  for (const Corpus& c : corpora) {
    benchmark::RegisterBenchmark(("segment_only/" + c.name).c_str(), BM_SegmentOnly, &c)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("analyze/" + c.name + "/decompound").c_str(), BM_Analyze, &c,
                                 true)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("analyze/" + c.name + "/no_decompound").c_str(), BM_Analyze, &c,
                                 false)
        ->Unit(benchmark::kMillisecond);
  }
  return RunRegisteredBenchmarks();
}

}  // namespace
}  // namespace findling::bench

int main(int argc, char** argv) { return findling::bench::Main(argc, argv); }
