// Small pieces the benchmark programs share: a portable seeded random
// generator, the query-set file, the category hash that stands in for a
// category string where Sphinx wants an integer, and the program's own
// flags taken out of argv before Google Benchmark reads the rest.
//
// Header-only on purpose: each benchmark program is one .cc file plus this.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/index_schema.h"
#include "common/percentile.h"
#include "common/status.h"
#include "indexer/readers.h"

namespace findling::bench {

// SplitMix64. std::mt19937 would do, but the std:: distributions are not
// specified bit for bit, so a corpus drawn with them could differ between
// standard libraries; this generator and Below() are the same everywhere.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n), n > 0. Plain modulo: its bias is below n / 2^64,
  // nothing next to the sizes drawn here (at most millions).
  std::uint64_t Below(std::uint64_t n) { return Next() % n; }
  // Uniform in [lo, hi].
  std::uint64_t Between(std::uint64_t lo, std::uint64_t hi) { return lo + Below(hi - lo + 1); }
  bool Chance(double p) { return static_cast<double>(Next() >> 11) * 0x1.0p-53 < p; }

 private:
  std::uint64_t state_;
};

// FNV-1a of the normalised category: the Sphinx index keeps categories as a
// 32-bit attribute, so the exporter and the SphinxQL client must agree on it.
inline std::uint32_t CategoryHash(std::string_view category) {
  if (category.empty()) return 0;
  std::uint32_t h = 2166136261u;
  for (unsigned char c : schema::NormalizeCategory(category)) {
    h = (h ^ c) * 16777619u;
  }
  return h == 0 ? 1 : h;  // 0 means "no category"
}

// One line of the query-set file that findling-gencorpus --queries writes:
//   kind TAB findling-query TAB xapian-query TAB sphinx-match TAB category
// Each engine gets the same words in its own syntax (Findling's bare words
// are an OR ranked all-words-first, Xapian's QueryParser defaults to OR, so
// Sphinx gets "a | b"). Kind "known" is the check query, not part of the mix.
struct BenchQuery {
  std::string kind;  // word, two, three, phrase, prefix, filtered, known
  std::string findling;
  std::string xapian;
  std::string sphinx;
  std::string category;  // filter for kind "filtered" (Xapian and Sphinx apply it)
};

inline std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> out;
  std::size_t begin = 0;
  while (true) {
    const std::size_t tab = line.find('\t', begin);
    out.push_back(line.substr(begin, tab == std::string::npos ? std::string::npos : tab - begin));
    if (tab == std::string::npos) return out;
    begin = tab + 1;
  }
}

inline Result<std::vector<BenchQuery>> ReadQuerySet(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot open query set " + path);
  std::vector<BenchQuery> out;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    auto f = SplitTabs(line);
    if (f.size() != 5) {
      return Status::InvalidInput(path + ":" + std::to_string(number) +
                                  ": expected 5 tab-separated fields");
    }
    out.push_back({f[0], f[1], f[2], f[3], f[4]});
  }
  if (out.empty()) return Status::InvalidInput(path + " has no queries");
  return out;
}

// How to read 10kGNAD's test file: "Label;'text'", no header (see
// ../shared/README.md); the label is the category.
inline ReaderOptions GnadReaderOptions() {
  ReaderOptions options;
  options.format = InputFormat::kCsv;
  options.csv.delimiter = ';';
  options.csv.quote = '\'';
  options.csv.header = false;
  options.csv.id_column = options.csv.title_column = options.csv.url_column = "";
  options.csv.date_column = "";
  options.csv.category_column = "0";
  options.csv.text_column = "1";
  return options;
}

// Takes the program's own --name=value option out of argv and returns its
// value, "" when absent (given twice, the first is taken and the second left
// in argv); the rest of argv is left for Google Benchmark's flags.
inline std::string TakeFlag(int& argc, char** argv, const char* name) {
  const std::string prefix = std::string("--") + name + "=";
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], prefix.c_str(), prefix.size()) == 0) {
      std::string value = argv[i] + prefix.size();
      for (int j = i; j + 1 < argc; ++j) argv[j] = argv[j + 1];
      --argc;
      return value;
    }
  }
  return "";
}

}  // namespace findling::bench
