// findling-relevance: how well does Findling rank? Indexes a BEIR-layout
// evaluation set once per analysis configuration, runs every query and
// prints MRR@10, nDCG@10, Recall@10/100 per configuration (docs/relevance.md).
//
// The configurations are an ablation: each stage of the German analysis is
// added to the one before, so the table says what each stage is worth, then
// variations of the default ranking (title field, exact-form boost, part
// weight, all-words-first, BM25 parameters). Any configuration can be varied
// on the command line ("+stopwords:title=0.5,k1=1.5") for tuning.
//
// Indexes are kept in --work, one per distinct analysis, and reused when the
// analysis signature, the document count and the corpus file (size, mtime)
// all match, so a rerun only searches. The signature names the analysis
// options and the lexicon, not the code: after changing how the analyzer
// works, pass --reindex.
//
// With --cv the rows (configurations and scored run files) are compared by
// k-fold cross-validation (benchmarks/cross_validation.h): each fold picks the
// row with the best MRR@10 on the other folds and is scored with it, so the
// figure is one of tuning on other queries than those measured.
//
// With --ltr K the first configuration's top K hits are re-ranked by a linear
// model trained by coordinate ascent on the other folds
// (benchmarks/learned_ranking.h, features in benchmarks/ltr_features.h), and
// the held-out figures are compared with that configuration's own ranking.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "benchmarks/cross_validation.h"
#include "benchmarks/eval_metrics.h"
#include "benchmarks/learned_ranking.h"
#include "benchmarks/ltr_features.h"
#include "common/analyzer.h"
#include "common/cli_support.h"
#include "common/index_schema.h"
#include "indexer/index_writer.h"
#include "indexer/source_document.h"
#include "searcher/searcher.h"

namespace findling {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// One row of the table: how to analyse (decides the index) and how to search.
struct Config {
  std::string name;
  std::string about;
  AnalyzerOptions analysis;
  SearcherOptions search;
};

// The ablation the relevance issue asks for, then variations of the default.
// Hyphen joining stays on throughout: it is not what the ablation measures.
std::vector<Config> BuiltinConfigs() {
  std::vector<Config> configs;
  auto add = [&](std::string name, std::string about, auto&& change) {
    Config c;
    c.name = std::move(name);
    c.about = std::move(about);
    change(c);
    configs.push_back(std::move(c));
  };
  auto stem_only = [](Config& c) {
    c.analysis.stemmer = "german";
    c.analysis.decompound = false;
    c.search.weights.drop_stopwords = false;
  };
  add("stem-only", "Snowball german, no decompounding, stop words kept in queries", stem_only);
  add("+umlaut", "german2 (ae/oe/ue read as umlauts)", [](Config& c) {
    c.analysis.decompound = false;
    c.search.weights.drop_stopwords = false;
  });
  add("+compounds", "decompounding on (parts weighted below the word)",
      [](Config& c) { c.search.weights.drop_stopwords = false; });
  add("+stopwords", "stop words dropped from queries = Findling's default", [](Config&) {});
  // Variations of the default, one knob each.
  add("no-title", "default without the title field (title weight 0)",
      [](Config& c) { c.search.weights.title = 0; });
  add("no-exact", "default without the exact-form boost",
      [](Config& c) { c.search.weights.exact = 0; });
  add("parts-1.0", "default with compound parts at full weight",
      [](Config& c) { c.search.weights.part = 1.0; });
  add("no-proximity", "default without the proximity boost",
      [](Config& c) { c.search.weights.proximity = 0; });
  add("no-all-first", "default, ranked by BM25 alone (no all-words-first)",
      [](Config& c) { c.search.all_words_first_max = 0; });
  add("all-first-6", "default with all-words-first up to 6 words (the first default)",
      [](Config& c) { c.search.all_words_first_max = 6; });
  add("bm25-xapian", "default with Xapian's BM25 defaults k1 = 1, b = 0.5", [](Config& c) {
    c.search.weights.bm25_k1 = 1.0;
    c.search.weights.bm25_b = 0.5;
  });
  return configs;
}

// The default ablation rows (what runs without --config / --all).
const std::vector<std::string> kDefaultConfigs = {"stem-only", "+umlaut", "+compounds",
                                                  "+stopwords"};

bool ParseNumber(const std::string& text, double* out) {
  if (text.empty()) return false;
  char* end = nullptr;
  *out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size();
}

// Applies "key=value,key=value" to `c`; kInvalidInput names the bad item.
Status ApplyOverrides(const std::string& spec, Config& c) {
  std::stringstream items(spec);
  std::string item;
  while (std::getline(items, item, ',')) {
    if (item.empty()) continue;
    const auto eq = item.find('=');
    const std::string key = item.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : item.substr(eq + 1);
    if (key == "stemmer") {
      c.analysis.stem = value != "none";
      if (c.analysis.stem) c.analysis.stemmer = value;
      continue;
    }
    QueryWeights& w = c.search.weights;
    const std::map<std::string, std::function<void(double)>> setters = {
        {"title", [&](double v) { w.title = v; }},
        {"exact", [&](double v) { w.exact = v; }},
        {"part", [&](double v) { w.part = v; }},
        {"prox", [&](double v) { w.proximity = v; }},
        {"win", [&](double v) { w.window = v; }},
        {"winwords", [&](double v) { w.window_words = static_cast<std::uint32_t>(v); }},
        {"winspan", [&](double v) { w.window_span = static_cast<std::uint32_t>(v); }},
        {"awprox", [&](double v) { w.all_words_proximity = v != 0; }},
        {"qwords", [&](double v) { w.drop_question_words = v != 0; }},
        {"hyphenapart", [&](double v) { w.hyphen_pieces = v; }},
        {"partidf", [&](double v) { w.part_idf = v; }},
        {"titlesyn", [&](double v) { w.title_synonym = v != 0; }},
        {"k1", [&](double v) { w.bm25_k1 = v; }},
        {"b", [&](double v) { w.bm25_b = v; }},
        {"stopwords", [&](double v) { w.drop_stopwords = v != 0; }},
        {"typed", [&](double v) { w.typed_spelling_first = v != 0; }},
        {"typedmulti", [&](double v) { w.typed_multi = v; }},
        {"foldprefix", [&](double v) { w.fold_prefixes = v != 0; }},
        {"awf", [&](double v) { c.search.all_words_first_max = static_cast<std::uint32_t>(v); }},
        {"decompound", [&](double v) { c.analysis.decompound = v != 0; }},
        {"join", [&](double v) { c.analysis.join_hyphenated = v != 0; }},
        {"vowels", [&](double v) { c.analysis.vowel_s = v != 0; }},
        {"suspended", [&](double v) { c.search.limits.parser.suspended_compounds = v != 0; }},
    };
    const auto setter = setters.find(key);
    if (setter == setters.end()) {
      return Status::InvalidInput("\"" + item + "\": unknown key \"" + key + "\"");
    }
    double v = 0;
    if (!ParseNumber(value, &v) || v < 0) {
      return Status::InvalidInput("\"" + item + "\": expected key=non-negative number");
    }
    setter->second(v);
  }
  return Status::Ok();
}

// "NAME" or "NAME:key=value,...": a built-in configuration, optionally varied.
Result<Config> ResolveConfig(const std::string& spec) {
  const auto colon = spec.find(':');
  const std::string base = spec.substr(0, colon);
  for (const Config& c : BuiltinConfigs()) {
    if (c.name != base) continue;
    Config out = c;
    if (colon != std::string::npos) {
      if (Status s = ApplyOverrides(spec.substr(colon + 1), out); !s.ok()) return s;
      out.name = spec;
      out.about = c.about + ", varied: " + spec.substr(colon + 1);
    }
    return out;
  }
  std::string names;
  for (const Config& c : BuiltinConfigs()) names += " " + c.name;
  return Status::InvalidInput("unknown configuration \"" + base + "\"; known:" + names);
}

struct Corpus {
  std::vector<SourceDocument> docs;
  std::size_t unique_ids = 0;
};

// Reads a BEIR corpus.jsonl (`_id`, `title`, `text`) or a JSONL with `id`
// instead of `_id`. A line without an id or text is reported and skipped.
Result<Corpus> LoadCorpus(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot open corpus " + path);
  Corpus corpus;
  std::set<std::string> ids;
  std::string line;
  std::size_t number = 0, skipped = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    auto string_field = [&](const char* key) -> std::string {
      if (!j.is_object()) return "";
      const auto it = j.find(key);
      return it != j.end() && it->is_string() ? it->get<std::string>() : "";
    };
    SourceDocument doc;
    doc.id = string_field("_id");
    if (doc.id.empty()) doc.id = string_field("id");
    doc.title = string_field("title");
    doc.text = string_field("text");
    doc.url = string_field("url");
    doc.origin = path + ":" + std::to_string(number);
    doc.source_bytes = line.size() + 1;
    if (doc.id.empty() || (doc.text.empty() && doc.title.empty())) {
      if (skipped++ < 5)
        std::fprintf(stderr, "warning: %s: no id or no text (skipped)\n", doc.origin.c_str());
      continue;
    }
    ids.insert(doc.id);
    corpus.docs.push_back(std::move(doc));
  }
  if (in.bad()) return Status::Io("reading " + path + " failed");
  corpus.unique_ids = ids.size();
  return corpus;
}

// A folder name that says which analysis built the index.
std::string AnalysisKey(const AnalyzerOptions& a) {
  return std::string(a.stem ? a.stemmer : "nostem") + (a.decompound ? "-decompound" : "") +
         (a.join_hyphenated ? "" : "-nojoin") + (a.decompound && !a.vowel_s ? "-novowels" : "");
}

// What the index was built from, beside it: the corpus file and its state.
std::string CorpusStamp(const std::string& corpus_path) {
  std::error_code ec;
  const fs::path p = fs::absolute(corpus_path, ec);
  const auto size = fs::file_size(p, ec);
  const auto mtime = fs::last_write_time(p, ec).time_since_epoch().count();
  return p.string() + "\n" + std::to_string(size) + "\n" + std::to_string(mtime) + "\n";
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// True when the index at `path` was built by `signature` from this corpus.
bool Reusable(const std::string& path, const std::string& signature, std::size_t doc_count,
              const std::string& stamp) {
  std::error_code ec;
  if (!fs::exists(path, ec) || ReadFile(path + ".stamp") != stamp) return false;
  try {
    Xapian::Database db(path);
    return db.get_metadata(schema::kAnalysisKey) == signature && db.get_doccount() == doc_count;
  } catch (const Xapian::Error&) {
    return false;
  }
}

// Builds Xapian documents for docs[begin, end) on `builders.size()` threads,
// one DocumentBuilder (and Analyzer) each: analysis is the expensive part of
// indexing, and DocumentBuilder touches no database.
std::vector<Xapian::Document> BuildBatch(const Corpus& corpus, std::size_t begin, std::size_t end,
                                         std::vector<std::unique_ptr<DocumentBuilder>>& builders) {
  std::vector<Xapian::Document> out(end - begin);
  std::vector<std::thread> threads;
  const std::size_t n = builders.size();
  for (std::size_t t = 0; t < n; ++t) {
    threads.emplace_back([&, t] {
      for (std::size_t i = begin + t; i < end; i += n)
        out[i - begin] = builders[t]->Build(corpus.docs[i]);
    });
  }
  for (std::thread& th : threads) th.join();
  return out;
}

// Returns the path of an index of `corpus` under `analysis`, building it
// (into a fresh folder) unless a matching one is there.
Result<std::string> EnsureIndex(const Corpus& corpus, const std::string& corpus_path,
                                const AnalyzerOptions& analysis, const std::string& work,
                                unsigned threads, bool reindex) {
  auto analyzer = Analyzer::Create(analysis);
  if (!analyzer.ok()) return analyzer.status();
  const std::string signature = analyzer.value()->Signature();
  const std::string path = work + "/" + AnalysisKey(analysis);
  const std::string stamp = CorpusStamp(corpus_path);
  if (!reindex && Reusable(path, signature, corpus.unique_ids, stamp)) return path;

  std::fprintf(stderr, "indexing %zu documents into %s (%s) ...\n", corpus.docs.size(),
               path.c_str(), signature.c_str());
  const auto started = Clock::now();
  std::error_code ec;
  fs::remove(path + ".stamp", ec);
  fs::remove_all(path, ec);
  if (ec) return Status::Io("cannot remove old index " + path + ": " + ec.message());
  IndexWriterOptions writer_options;
  writer_options.batch_documents = 5000;  // fewer commits: the index is rebuilt whole anyway
  auto writer = IndexWriter::Open(path, signature, writer_options);
  if (!writer.ok()) return writer.status();

  std::vector<std::unique_ptr<Analyzer>> analyzers;
  std::vector<std::unique_ptr<DocumentBuilder>> builders;
  for (unsigned t = 0; t < std::max(1u, threads); ++t) {
    analyzers.push_back(analyzer.value()->Clone());
    builders.push_back(std::make_unique<DocumentBuilder>(*analyzers.back()));
  }
  // The next batch is analysed while this one is written.
  constexpr std::size_t kBatch = 256;
  const std::size_t total = corpus.docs.size();
  auto next = std::async(std::launch::async, BuildBatch, std::cref(corpus), 0,
                         std::min(kBatch, total), std::ref(builders));
  for (std::size_t begin = 0; begin < total; begin += kBatch) {
    std::vector<Xapian::Document> docs = next.get();
    const std::size_t after = begin + kBatch;
    if (after < total) {
      next = std::async(std::launch::async, BuildBatch, std::cref(corpus), after,
                        std::min(after + kBatch, total), std::ref(builders));
    }
    for (std::size_t i = 0; i < docs.size(); ++i) {
      const SourceDocument& d = corpus.docs[begin + i];
      if (Status s = writer.value()->Put(d.id, docs[i], d.source_bytes); !s.ok()) {
        if (next.valid()) next.wait();
        return s;
      }
    }
  }
  if (Status s = writer.value()->Commit(); !s.ok()) return s;
  writer.value().reset();
  std::ofstream(path + ".stamp") << stamp;
  std::fprintf(stderr, "  %zu documents in %.1f s\n", total, SecondsSince(started));
  return path;
}

struct Measured {
  std::string name, about;
  eval::Scores scores;
  std::vector<eval::QueryScores> per_query;  // for --cv: the same query order in every row
  double ms_per_query = 0;                   // mean Search() latency; 0 for scored run files
  std::size_t failed = 0;                    // queries Search() returned an error for
};

// Runs `queries` against the index on `threads` threads (one Searcher each),
// 100 hits per query without snippets, as a relevance run needs.
Result<Measured> RunQueries(const std::string& index, const Config& config,
                            const std::vector<eval::EvalQuery>& queries, unsigned threads,
                            eval::Run* run) {
  const unsigned n = std::max(1u, threads);
  std::vector<std::unique_ptr<Searcher>> searchers;
  for (unsigned t = 0; t < n; ++t) {
    auto s = Searcher::Open({index}, config.search);
    if (!s.ok()) return s.status();
    searchers.push_back(std::move(s).value());
  }
  std::vector<std::vector<std::string>> ranked(queries.size());
  std::vector<double> took(queries.size());
  std::atomic<std::size_t> failed{0};
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < n; ++t) {
    pool.emplace_back([&, t] {
      for (std::size_t i = t; i < queries.size(); i += n) {
        SearchRequest request;
        request.query = queries[i].text;
        request.limit = 100;
        request.snippets = false;
        const auto started = Clock::now();
        auto response = searchers[t]->Search(request);
        took[i] = SecondsSince(started) * 1000;
        if (!response.ok()) {
          if (failed++ < 5) {
            std::fprintf(stderr, "warning: query %s: %s\n", queries[i].id.c_str(),
                         response.status().ToString().c_str());
          }
          continue;
        }
        for (const Hit& h : response->hits) ranked[i].push_back(h.id);
      }
    });
  }
  for (std::thread& th : pool) th.join();
  Measured m{config.name, config.about, {}, {}, 0, failed};
  double total_ms = 0;
  for (std::size_t i = 0; i < queries.size(); ++i) {
    (*run)[queries[i].id] = std::move(ranked[i]);
    total_ms += took[i];
  }
  m.ms_per_query = queries.empty() ? 0 : total_ms / static_cast<double>(queries.size());
  return m;
}

std::string Fixed(double v, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

void PrintTable(const std::string& set_name, const std::vector<Measured>& rows) {
  std::printf("%s\n\n", set_name.c_str());
  std::printf("| config | MRR@10 | nDCG@10 | R@10 | R@100 | queries | ms/query |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  for (const Measured& m : rows) {
    std::printf("| %s | %s | %s | %s | %s | %zu | %s |\n", m.name.c_str(),
                Fixed(m.scores.mrr10, 3).c_str(), Fixed(m.scores.ndcg10, 3).c_str(),
                Fixed(m.scores.recall10, 3).c_str(), Fixed(m.scores.recall100, 3).c_str(),
                m.scores.queries, m.ms_per_query > 0 ? Fixed(m.ms_per_query, 2).c_str() : "–");
  }
}

void PrintJson(const std::string& set_name, const std::vector<Measured>& rows) {
  nlohmann::json out = nlohmann::json::array();
  for (const Measured& m : rows) {
    out.push_back({{"set", set_name},
                   {"config", m.name},
                   {"about", m.about},
                   {"mrr10", m.scores.mrr10},
                   {"ndcg10", m.scores.ndcg10},
                   {"recall10", m.scores.recall10},
                   {"recall100", m.scores.recall100},
                   {"queries", m.scores.queries},
                   {"unanswered", m.scores.unanswered},
                   {"failed", m.failed},
                   {"ms_per_query", m.ms_per_query}});
  }
  std::cout << out.dump(2) << "\n";
}

// The four metrics of the table, by name, for the cross-validation report.
struct MetricColumn {
  const char* key;    // JSON key
  const char* label;  // table heading
  double eval::QueryScores::*field;
};
constexpr MetricColumn kMetrics[] = {
    {"mrr10", "MRR@10", &eval::QueryScores::mrr10},
    {"ndcg10", "nDCG@10", &eval::QueryScores::ndcg10},
    {"recall10", "R@10", &eval::QueryScores::recall10},
    {"recall100", "R@100", &eval::QueryScores::recall100},
};
constexpr std::size_t kMetricCount = std::size(kMetrics);

// The outcome of --cv over `rows` (the baseline first).
struct CrossValidation {
  std::size_t folds = 0;
  std::uint64_t seed = 0;
  std::size_t queries = 0;
  std::vector<const Measured*> rows;  // rows[0] is the baseline
  std::vector<eval::FoldPick> picks;  // per fold, an index into rows
  // Per fold, the baseline's MRR@10 on that fold's queries, beside the pick's.
  std::vector<double> baseline_fold_mrr, picked_fold_mrr;
  // [metric]: the held-out mean, and its paired difference to the baseline.
  std::array<double, kMetricCount> held_out{};
  std::array<eval::PairedDifference, kMetricCount> held_out_vs_baseline{};
  // [row][metric]: each row's difference to the baseline over all queries.
  std::vector<std::array<eval::PairedDifference, kMetricCount>> vs_baseline;
};

// Cross-validates `rows`: the row named `baseline` goes first, so ties go to
// it. When no row has that name, the first row is the baseline, unless
// `baseline_required` (the user named it): then that is kInvalidInput, as is a
// bad fold count.
Result<CrossValidation> CrossValidate(const std::vector<Measured>& rows,
                                      const std::string& baseline, bool baseline_required,
                                      std::size_t folds, std::uint64_t seed) {
  CrossValidation cv;
  cv.folds = folds;
  cv.seed = seed;
  if (rows.empty()) return Status::InvalidInput("--cv needs configurations or run files");
  auto named =
      std::find_if(rows.begin(), rows.end(), [&](const Measured& m) { return m.name == baseline; });
  if (named == rows.end()) {
    if (baseline_required) {
      std::string names;
      for (const Measured& m : rows) names += " " + m.name;
      return Status::InvalidInput("no row is named \"" + baseline + "\"; rows:" + names);
    }
    named = rows.begin();
  }
  cv.rows.push_back(&*named);
  for (const Measured& m : rows) {
    if (&m != &*named) cv.rows.push_back(&m);
  }
  std::vector<std::string> ids;
  for (const eval::QueryScores& q : cv.rows[0]->per_query) ids.push_back(q.query);
  cv.queries = ids.size();
  auto fold_of = eval::AssignFolds(ids, folds, seed);
  if (!fold_of.ok()) return fold_of.status();

  std::array<eval::ScoreMatrix, kMetricCount> matrix;
  for (std::size_t m = 0; m < kMetricCount; ++m) {
    for (const Measured* row : cv.rows) {
      std::vector<double>& scores = matrix[m].emplace_back();
      for (const eval::QueryScores& q : row->per_query) scores.push_back(q.*kMetrics[m].field);
    }
  }
  auto picks = eval::PickPerFold(matrix[0], fold_of.value(), folds);  // by MRR@10
  if (!picks.ok()) return picks.status();
  cv.picks = std::move(picks).value();

  for (std::size_t m = 0; m < kMetricCount; ++m) {
    const std::vector<double> held = eval::HeldOut(matrix[m], fold_of.value(), cv.picks);
    cv.held_out[m] = eval::Mean(held);
    cv.held_out_vs_baseline[m] = eval::Paired(held, matrix[m][0]);
  }
  for (std::size_t r = 0; r < cv.rows.size(); ++r) {
    auto& diffs = cv.vs_baseline.emplace_back();
    for (std::size_t m = 0; m < kMetricCount; ++m)
      diffs[m] = eval::Paired(matrix[m][r], matrix[m][0]);
  }
  for (std::size_t f = 0; f < folds; ++f) {
    double picked = 0, base = 0;
    for (std::size_t q = 0; q < ids.size(); ++q) {
      if (fold_of.value()[q] != f) continue;
      picked += matrix[0][cv.picks[f].config][q];
      base += matrix[0][0][q];
    }
    const double n = static_cast<double>(cv.picks[f].test_queries);
    cv.picked_fold_mrr.push_back(picked / n);
    cv.baseline_fold_mrr.push_back(base / n);
  }
  return cv;
}

// "+0.004 ± 0.002 (35 / 21)": mean difference, paired standard error,
// queries better / worse, as docs/relevance.md writes them. The sign is the
// mean's, also where it rounds to 0.000 ("−0.000 ... (0 / 3)": a loss too
// small to print, not no change); "±0.000" is exactly none.
std::string DifferenceText(const eval::PairedDifference& d) {
  const char* sign = d.mean > 0 ? "+" : d.mean < 0 ? "−" : "±";
  const std::string mean = sign + Fixed(std::abs(d.mean), 3);
  return mean + " ± " + Fixed(d.standard_error, 3) + " (" + std::to_string(d.better) + " / " +
         std::to_string(d.worse) + ")";
}

void PrintCrossValidation(const std::string& set_name, const CrossValidation& cv) {
  const std::string& base = cv.rows[0]->name;
  std::printf(
      "%s: %zu-fold cross-validation (seed %llu, %zu queries); each fold runs the "
      "configuration with the best MRR@10 on the other %zu folds. Differences to the "
      "baseline %s on the same queries: mean ± paired standard error (queries better / worse).\n\n",
      set_name.c_str(), cv.folds, static_cast<unsigned long long>(cv.seed), cv.queries,
      cv.folds - 1, base.c_str());
  std::printf("| config |");
  for (const MetricColumn& m : kMetrics) std::printf(" %s |", m.label);
  for (const MetricColumn& m : kMetrics) std::printf(" %s vs baseline |", m.label);
  std::printf("\n|---|");
  for (std::size_t i = 0; i < 2 * kMetricCount; ++i) std::printf("---|");
  std::printf("\n| **cross-validated (held-out folds)** |");
  for (double v : cv.held_out) std::printf(" **%s** |", Fixed(v, 3).c_str());
  for (const auto& d : cv.held_out_vs_baseline) std::printf(" %s |", DifferenceText(d).c_str());
  std::printf("\n");
  for (std::size_t r = 0; r < cv.rows.size(); ++r) {
    const Measured& row = *cv.rows[r];
    std::printf("| %s%s |", row.name.c_str(), r == 0 ? " (baseline)" : "");
    const double values[] = {row.scores.mrr10, row.scores.ndcg10, row.scores.recall10,
                             row.scores.recall100};
    for (double v : values) std::printf(" %s |", Fixed(v, 3).c_str());
    for (const auto& d : cv.vs_baseline[r]) {
      std::printf(" %s |", r == 0 ? "–" : DifferenceText(d).c_str());
    }
    std::printf("\n");
  }
  std::printf(
      "\n| fold | queries | picked | its MRR@10 on the other folds | its MRR@10 held out | "
      "baseline's MRR@10 held out |\n|---|---|---|---|---|---|\n");
  for (std::size_t f = 0; f < cv.picks.size(); ++f) {
    const eval::FoldPick& p = cv.picks[f];
    std::printf("| %zu | %zu | %s | %s | %s | %s |\n", f + 1, p.test_queries,
                cv.rows[p.config]->name.c_str(), Fixed(p.train_mean, 3).c_str(),
                Fixed(cv.picked_fold_mrr[f], 3).c_str(), Fixed(cv.baseline_fold_mrr[f], 3).c_str());
  }
}

nlohmann::json DifferenceJson(const eval::PairedDifference& d) {
  return {{"mean", d.mean},
          {"standard_error", d.standard_error},
          {"better", d.better},
          {"worse", d.worse}};
}

nlohmann::json CrossValidationJson(const std::string& set_name, const CrossValidation& cv) {
  nlohmann::json held = {{"queries", cv.queries}};
  nlohmann::json held_diff = nlohmann::json::object();
  for (std::size_t m = 0; m < kMetricCount; ++m) {
    held[kMetrics[m].key] = cv.held_out[m];
    held_diff[kMetrics[m].key] = DifferenceJson(cv.held_out_vs_baseline[m]);
  }
  held["vs_baseline"] = held_diff;
  nlohmann::json configs = nlohmann::json::array();
  for (std::size_t r = 0; r < cv.rows.size(); ++r) {
    const Measured& row = *cv.rows[r];
    nlohmann::json diff = nlohmann::json::object();
    for (std::size_t m = 0; m < kMetricCount; ++m) {
      diff[kMetrics[m].key] = DifferenceJson(cv.vs_baseline[r][m]);
    }
    configs.push_back({{"config", row.name},
                       {"about", row.about},
                       {"mrr10", row.scores.mrr10},
                       {"ndcg10", row.scores.ndcg10},
                       {"recall10", row.scores.recall10},
                       {"recall100", row.scores.recall100},
                       {"queries", row.scores.queries},
                       {"ms_per_query", row.ms_per_query},
                       {"vs_baseline", diff}});
  }
  nlohmann::json folds = nlohmann::json::array();
  for (std::size_t f = 0; f < cv.picks.size(); ++f) {
    const eval::FoldPick& p = cv.picks[f];
    folds.push_back({{"fold", f + 1},
                     {"queries", p.test_queries},
                     {"picked", cv.rows[p.config]->name},
                     {"train_mrr10", p.train_mean},
                     {"held_out_mrr10", cv.picked_fold_mrr[f]},
                     {"baseline_held_out_mrr10", cv.baseline_fold_mrr[f]}});
  }
  return {{"set", set_name},
          {"folds", cv.folds},
          {"seed", cv.seed},
          {"select_by", "mrr10"},
          {"baseline", cv.rows[0]->name},
          {"cross_validated", held},
          {"configs", configs},
          {"fold_picks", folds}};
}

// --ltr: features of `config`'s top `k` hits for every query (on `threads`
// threads, one extractor each), then per seed the cross-validated learned
// re-ranking against the configuration's own ranking, as a markdown table,
// and the seed's fold vectors.
Status RunLearnedRanking(const std::string& set_name, const std::string& index,
                         const Config& config, const std::vector<eval::EvalQuery>& queries,
                         const eval::Qrels& qrels, std::size_t k, std::size_t folds,
                         const std::vector<std::uint64_t>& seeds,
                         const std::vector<std::string>& trained, unsigned threads) {
  ltr::TrainOptions train;
  if (!trained.empty()) {
    const std::vector<std::string>& names = ltr::FeatureNames();
    train.movable.assign(names.size(), false);
    train.movable[0] = true;  // the rank feature: the default's own weight
    for (const std::string& name : trained) {
      const auto at = std::find(names.begin(), names.end(), name);
      if (at == names.end()) return Status::InvalidInput("--ltr-features: no feature " + name);
      train.movable[static_cast<std::size_t>(at - names.begin())] = true;
    }
  }
  const auto started = Clock::now();
  const unsigned n = std::max(1u, threads);
  std::vector<std::unique_ptr<ltr::FeatureExtractor>> extractors;
  for (unsigned t = 0; t < n; ++t) {
    auto e = ltr::FeatureExtractor::Open(index, config.search);
    if (!e.ok()) return e.status();
    extractors.push_back(std::move(e).value());
  }
  std::vector<ltr::QueryCandidates> candidates(queries.size());
  std::vector<Status> failures(n, Status::Ok());
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < n; ++t) {
    pool.emplace_back([&, t] {
      for (std::size_t i = t; i < queries.size() && failures[t].ok(); i += n) {
        auto x = extractors[t]->Extract(queries[i].text, k, 100);
        if (!x.ok()) {
          failures[t] = x.status();
          break;
        }
        candidates[i] = {queries[i].id, std::move(x->ranked), std::move(x->features)};
      }
    });
  }
  for (std::thread& th : pool) th.join();
  for (const Status& s : failures) {
    if (!s.ok()) return s;
  }
  std::fprintf(stderr, "  features of the top %zu for %zu queries in %.1f s\n", k, queries.size(),
               SecondsSince(started));

  const std::string trained_text =
      trained.empty() ? "all" : "rank + " + CLI::detail::join(trained, " + ");
  ltr::Weights start(ltr::FeatureNames().size(), 0.0);
  start[0] = 1;  // the rank feature: the default ranking
  std::printf(
      "%s: learned re-ranking of %s's top %zu, linear, coordinate ascent on MRR@10, %zu folds, "
      "features %s; held-out figures, and the difference to %s on the same queries: mean ± "
      "paired standard error (queries better / worse).\n\n",
      set_name.c_str(), config.name.c_str(), k, folds, trained_text.c_str(), config.name.c_str());
  std::printf("| seed | MRR@10 | nDCG@10 | R@10 | R@100 |");
  for (const MetricColumn& m : kMetrics) std::printf(" %s vs default |", m.label);
  std::printf("\n|---|---|---|---|---|---|---|---|---|\n");
  std::vector<ltr::CrossValidated> outcomes;
  for (std::uint64_t seed : seeds) {
    auto cv = ltr::CrossValidate(candidates, qrels, start, folds, seed, train);
    if (!cv.ok()) return cv.status();
    const auto learned = eval::ScorePerQuery(qrels, cv->learned);
    const auto base = eval::ScorePerQuery(qrels, cv->baseline);
    std::printf("| %llu |", static_cast<unsigned long long>(seed));
    for (const MetricColumn& m : kMetrics) {
      double sum = 0;
      for (const auto& q : learned) sum += q.*m.field;
      std::printf(" %s |", Fixed(learned.empty() ? 0 : sum / learned.size(), 3).c_str());
    }
    for (const MetricColumn& m : kMetrics) {
      std::vector<double> a, b;
      for (const auto& q : learned) a.push_back(q.*m.field);
      for (const auto& q : base) b.push_back(q.*m.field);
      std::printf(" %s |", DifferenceText(eval::Paired(a, b)).c_str());
    }
    std::printf("\n");
    outcomes.push_back(std::move(cv).value());
  }
  {
    double sum = 0;
    const auto base = eval::ScorePerQuery(qrels, outcomes.front().baseline);
    for (const auto& q : base) sum += q.mrr10;
    std::printf("| default (%s) | %s | | | | | | | |\n", config.name.c_str(),
                Fixed(base.empty() ? 0 : sum / base.size(), 3).c_str());
  }
  // The vectors of the first seed's folds: what the model learned.
  const ltr::CrossValidated& first = outcomes.front();
  std::printf(
      "\nSeed %llu, the vector each fold learned (features normalized per query by their "
      "largest value), and MRR@10 over the top %zu on its training queries:\n\n| fold |",
      static_cast<unsigned long long>(seeds.front()), k);
  for (const std::string& name : ltr::FeatureNames()) std::printf(" %s |", name.c_str());
  std::printf(" train MRR@10 (default → learned) |\n|---|");
  for (std::size_t j = 0; j <= ltr::FeatureNames().size(); ++j) std::printf("---|");
  std::printf("\n");
  for (std::size_t f = 0; f < first.fold_weights.size(); ++f) {
    std::printf("| %zu |", f + 1);
    for (double w : first.fold_weights[f]) std::printf(" %s |", Fixed(w, 2).c_str());
    std::printf(" %s → %s |\n", Fixed(first.fold_start_mrr[f], 3).c_str(),
                Fixed(first.fold_train_mrr[f], 3).c_str());
  }
  return Status::Ok();
}

// A file name for a configuration name ("+stopwords:title=0.5" -> "stopwords_title-0.5").
std::string FileSafe(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-') {
      out += c;
    } else if (c == '=') {
      out += '-';
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  return out.empty() ? "run" : out;
}

int Run(int argc, char** argv) {
  CLI::App app{
      "Measure Findling's ranking on a BEIR-layout evaluation set (corpus.jsonl, "
      "queries.jsonl, qrels.tsv): index the corpus once per analysis, run every query "
      "(100 hits, no snippets) and print MRR@10, nDCG@10, Recall@10 and Recall@100 as a "
      "markdown table. With --score-run, score TREC run files of other engines the same "
      "way.\n\nConfigurations: NAME or NAME:key=value,... with keys title, exact, part, prox, "
      "win (window proximity weight), winwords (words per window), winspan (its positions), "
      "awprox (1: the pairs and windows also order the all-words tier), qwords (1: drop "
      "interrogatives such as wer/wann/worauf with the stop words), hyphenapart (weight of a "
      "hyphenated word's pieces found apart; 0: off), "
      "partidf (compound parts scaled by (idf / mean idf)^partidf), titlesyn (1: stem and "
      "title stem as one synonym term), "
      "k1, b, stopwords (1 = drop from queries), typed (1 = typed spelling first), "
      "typedmulti (its share in longer queries), foldprefix (wildcards over umlaut/ß "
      "spellings), awf (all-words-first max words), stemmer, decompound, join, vowels (0: keep a "
      "noun's -s after a vowel), suspended (0: read \"und -organisationen\" as an exclusion, "
      "as before suspended compounds were completed). Exit status: "
      "0 done, 2 usage error, 3 data or index trouble.",
      "findling-relevance"};
  std::string set_dir, corpus_path, work;
  std::vector<std::string> config_specs, score_runs;
  std::string runs_dir;
  bool all = false, json = false, list = false, reindex = false, cv = false;
  std::size_t folds = 5;
  std::uint64_t seed = 1;
  std::string baseline = "+stopwords";
  std::size_t ltr_k = 0;
  std::vector<std::uint64_t> ltr_seeds;
  std::vector<std::string> ltr_features;
  unsigned threads = std::min(2u, std::max(1u, std::thread::hardware_concurrency()));
  app.add_option("--set", set_dir, "Evaluation set folder (queries.jsonl, qrels.tsv)");
  app.add_option("--corpus", corpus_path,
                 "Corpus JSONL (_id or id, title, text); default SET/corpus.jsonl");
  app.add_option("--work", work, "Folder for the indexes (reused between runs)");
  app.add_option("--config", config_specs, "Configuration(s) to run (default: the ablation)");
  app.add_flag("--all", all, "Run every built-in configuration");
  app.add_flag("--list", list, "List the built-in configurations and exit");
  app.add_option("--score-run", score_runs, "Score a TREC run file (qid Q0 docid rank score tag)");
  app.add_option("--runs", runs_dir, "Also write each configuration's run as a TREC file here");
  app.add_option("--threads", threads, "Threads for indexing and searching")->default_val(threads);
  app.add_flag("--reindex", reindex,
               "Rebuild the indexes even if they look current (after analyzer code changes)");
  app.add_flag("--json", json, "Print JSON instead of the markdown table");
  app.add_flag("--cv", cv,
               "Cross-validate the rows: each of --folds folds runs the row with the best "
               "MRR@10 on the other folds; print the held-out figures and every row's paired "
               "difference to --baseline");
  app.add_option("--folds", folds, "Folds for --cv")
      ->default_val(folds)
      ->check(CLI::Range(2, 1000));
  app.add_option("--seed", seed, "Seed of the --cv split (the same split for every row)")
      ->default_val(seed);
  app.add_option("--baseline", baseline,
                 "Row the --cv differences are taken to, and ties go to (default: Findling's "
                 "default, or the first row when it is not run)")
      ->default_val(baseline);
  app.add_option("--ltr", ltr_k,
                 "Re-rank the first configuration's top K hits by a linear model trained by "
                 "coordinate ascent on the other --folds folds; print the held-out figures "
                 "against that configuration")
      ->check(CLI::Range(2, 100));
  app.add_option("--ltr-seeds", ltr_seeds, "Seeds of the --ltr splits (default: --seed)");
  app.add_option("--ltr-features", ltr_features,
                 "Train only these features' weights beside the rank's (default: all of rank, "
                 "score, stem, title, exact, part, pairs, windows, coord, coord_idf, all_words, "
                 "in_title, phrase, doc_len, title_len)")
      ->delimiter(',');
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  if (list) {
    for (const Config& c : BuiltinConfigs())
      std::printf("%-14s %s\n", c.name.c_str(), c.about.c_str());
    return kExitOk;
  }
  if (set_dir.empty()) {
    std::fprintf(stderr, "findling-relevance: --set DIR is required\n");
    return kExitUsage;
  }
  while (set_dir.size() > 1 && set_dir.back() == '/') set_dir.pop_back();
  const std::string set_name = fs::path(set_dir).filename().string();

  std::vector<Config> configs;
  if (all) {
    configs = BuiltinConfigs();
  } else {
    if (config_specs.empty() && score_runs.empty()) config_specs = kDefaultConfigs;
    for (const std::string& spec : config_specs) {
      auto c = ResolveConfig(spec);
      if (!c.ok()) {
        std::fprintf(stderr, "findling-relevance: %s\n", c.status().message().c_str());
        return kExitUsage;
      }
      configs.push_back(std::move(c).value());
    }
  }
  if (!configs.empty() && work.empty()) {
    std::fprintf(stderr, "findling-relevance: --work DIR is required to build indexes\n");
    return kExitUsage;
  }
  // A misspelt feature name is a usage error, found before any index is built.
  for (const std::string& name : ltr_features) {
    const std::vector<std::string>& names = ltr::FeatureNames();
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      std::fprintf(stderr, "findling-relevance: --ltr-features: no feature %s (features: %s)\n",
                   name.c_str(), CLI::detail::join(names, ", ").c_str());
      return kExitUsage;
    }
  }

  auto fail = [](const Status& s) {
    std::fprintf(stderr, "findling-relevance: %s\n", s.message().c_str());
    return kExitFailure;
  };
  auto qrels = eval::LoadQrels(set_dir + "/qrels.tsv");
  if (!qrels.ok()) return fail(qrels.status());
  std::vector<Measured> rows;

  for (const std::string& path : score_runs) {
    auto run = eval::LoadRun(path);
    if (!run.ok()) return fail(run.status());
    rows.push_back({fs::path(path).stem().string(), "run file " + path,
                    eval::Evaluate(qrels.value(), run.value()),
                    eval::ScorePerQuery(qrels.value(), run.value()), 0, 0});
  }

  if (!configs.empty()) {
    auto all_queries = eval::LoadQueries(set_dir + "/queries.jsonl");
    if (!all_queries.ok()) return fail(all_queries.status());
    // Only judged queries are run: the others cannot be scored.
    std::vector<eval::EvalQuery> queries;
    for (eval::EvalQuery& q : all_queries.value()) {
      if (qrels->count(q.id)) queries.push_back(std::move(q));
    }
    if (queries.size() < qrels->size()) {
      std::fprintf(stderr,
                   "warning: %zu judged queries have no text in queries.jsonl (they score 0)\n",
                   qrels->size() - queries.size());
    }
    if (corpus_path.empty()) corpus_path = set_dir + "/corpus.jsonl";
    const auto load_started = Clock::now();
    auto corpus = LoadCorpus(corpus_path);
    if (!corpus.ok()) return fail(corpus.status());
    std::fprintf(stderr, "%s: %zu documents read in %.1f s, %zu queries\n", corpus_path.c_str(),
                 corpus->docs.size(), SecondsSince(load_started), queries.size());
    const std::string index_root =
        work + "/" + set_name + "." + fs::path(corpus_path).stem().string();
    if (!runs_dir.empty()) {
      std::error_code ec;
      fs::create_directories(runs_dir, ec);
    }
    std::set<std::string> rebuilt;  // with --reindex, each index once per run
    std::string first_index;        // the first configuration's, for --ltr
    for (const Config& config : configs) {
      const bool again = reindex && rebuilt.insert(AnalysisKey(config.analysis)).second;
      auto index =
          EnsureIndex(corpus.value(), corpus_path, config.analysis, index_root, threads, again);
      if (!index.ok()) return fail(index.status());
      if (first_index.empty()) first_index = index.value();
      eval::Run run;
      auto measured = RunQueries(index.value(), config, queries, threads, &run);
      if (!measured.ok()) return fail(measured.status());
      measured->scores = eval::Evaluate(qrels.value(), run);
      measured->per_query = eval::ScorePerQuery(qrels.value(), run);
      std::fprintf(stderr, "  %-16s MRR@10 %.4f  (%.2f ms/query)\n", config.name.c_str(),
                   measured->scores.mrr10, measured->ms_per_query);
      if (!runs_dir.empty()) {
        const std::string path = runs_dir + "/" + set_name + "." + FileSafe(config.name) + ".run";
        if (Status s = eval::WriteRun(run, FileSafe(config.name), path); !s.ok()) return fail(s);
      }
      rows.push_back(std::move(measured).value());
    }
    if (ltr_k > 0) {
      if (ltr_seeds.empty()) ltr_seeds.push_back(seed);
      if (Status s =
              RunLearnedRanking(set_name, first_index, configs.front(), queries, qrels.value(),
                                ltr_k, folds, ltr_seeds, ltr_features, threads);
          !s.ok()) {
        return fail(s);
      }
      return kExitOk;
    }
  }
  if (cv) {
    auto result = CrossValidate(rows, baseline, app.count("--baseline") > 0, folds, seed);
    if (!result.ok()) {
      std::fprintf(stderr, "findling-relevance: --cv: %s\n", result.status().message().c_str());
      return kExitUsage;
    }
    if (json) {
      std::cout << CrossValidationJson(set_name, result.value()).dump(2) << "\n";
    } else {
      PrintCrossValidation(set_name, result.value());
    }
  } else if (json) {
    PrintJson(set_name, rows);
  } else {
    PrintTable(set_name, rows);
  }
  return kExitOk;
}

}  // namespace
}  // namespace findling

int main(int argc, char** argv) { return findling::Run(argc, argv); }
