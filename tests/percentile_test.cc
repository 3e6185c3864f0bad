// common/percentile.h: the nearest-rank percentile every latency report uses.
// Each row is a set of latencies in milliseconds, sorted, and what p50, p95,
// p99 and p100 read from it; the rows with 2, 10 and 20 values are where the
// older definitions (interpolated, rounded rank, floor index) gave other values.
#include "common/percentile.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace findling {
namespace {

std::string Dump(const std::vector<double>& sorted) {
  std::string out;
  for (double p : {50.0, 95.0, 99.0, 100.0}) {
    if (!out.empty()) out += ' ';
    const double v = Percentile(sorted, p);
    out += "p" + std::to_string(static_cast<int>(p)) + "=" + std::to_string(static_cast<int>(v));
  }
  return out;
}

std::vector<double> OneTo(int n) {
  std::vector<double> v;
  for (int i = 1; i <= n; ++i) v.push_back(i);
  return v;
}

struct Row {
  const char* name;
  std::vector<double> sorted;
  const char* expected;
};

const Row kRows[] = {
    {"NoSamples", {}, "p50=0 p95=0 p99=0 p100=0"},
    {"OneSample", {7}, "p50=7 p95=7 p99=7 p100=7"},
    // p50 of an even count is the lower middle value, never their mean (15).
    {"TwoSamples", {10, 20}, "p50=10 p95=20 p99=20 p100=20"},
    {"Three", {4, 9, 31}, "p50=9 p95=31 p99=31 p100=31"},
    // Rank ceil(0.5 * 10) = 5: the 5th value; the floor index read the 6th.
    {"Ten", OneTo(10), "p50=5 p95=10 p99=10 p100=10"},
    // Rank ceil(0.95 * 20) = 19: one slow request in twenty shows in p99 and
    // p100, not in p95.
    {"TwentyWithOneSlow",
     {1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4, 5, 900},
     "p50=2 p95=5 p99=900 p100=900"},
    // Rank ceil(0.95 * 12) = 12 (11.4 rounded up); the rounded rank read the 11th.
    {"Twelve", OneTo(12), "p50=6 p95=12 p99=12 p100=12"},
    {"Hundred", OneTo(100), "p50=50 p95=95 p99=99 p100=100"},
    {"Thousand", OneTo(1000), "p50=500 p95=950 p99=990 p100=1000"},
};

class PercentileTable : public testing::TestWithParam<Row> {};

TEST_P(PercentileTable, NearestRank) { EXPECT_EQ(Dump(GetParam().sorted), GetParam().expected); }

INSTANTIATE_TEST_SUITE_P(Rows, PercentileTable, testing::ValuesIn(kRows),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Percentile, OutOfRangeIsClampedToMinimumAndMaximum) {
  const std::vector<double> sorted = {3, 5, 8};
  EXPECT_EQ(Percentile(sorted, 0), 3);
  EXPECT_EQ(Percentile(sorted, -20), 3);
  EXPECT_EQ(Percentile(sorted, 250), 8);
}

}  // namespace
}  // namespace findling
