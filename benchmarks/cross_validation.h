// k-fold cross-validation of ranking configurations: which figure would a
// tuning procedure reach on queries it was not tuned on?
//
// The relevance sets are development sets: picking the best of several
// configurations on all queries and reporting that best figure flatters the
// winner (it is partly fitted to these queries). Cross-validation splits the
// queries into k folds; for each fold it picks the configuration with the
// best mean on the other k - 1 folds and scores that pick on the held-out
// fold only. Every query is held out exactly once, so the held-out scores of
// all folds together are a figure over every query, of the procedure "tune
// on other queries, then run", not of any one configuration.
//
// Scores come in as a matrix scores[config][query] of one metric per query
// (eval_metrics.h's ScorePerQuery), the same query order in every row. The
// caller decides the order of configurations: ties go to the first, so put
// the default first and a change has to beat it to be picked.
//
// Everything here is plain data and pure functions: thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace findling::eval {

// Deals the queries `ids` into `k` folds. The ids are sorted, shuffled with
// std::mt19937_64 seeded by `seed` (a Fisher-Yates shuffle written here, since
// std::shuffle's draws differ between standard libraries while the engine's
// output is fixed by the C++ standard), and dealt round-robin. Returns the
// fold (0 .. k-1) of each id, in the order of `ids`.
// Promises: every id is in exactly one fold; fold sizes differ by at most one;
// the same set of ids, k and seed give the same split in every run, on every
// platform, and whatever order the ids come in (every configuration of a run
// sees the same split).
// Fails with kInvalidInput when k < 2, k > ids.size() (an empty fold) or an id
// appears twice, naming the id.
Result<std::vector<std::size_t>> AssignFolds(const std::vector<std::string>& ids, std::size_t k,
                                             std::uint64_t seed);

// scores[c][q]: one metric of configuration c on query q.
using ScoreMatrix = std::vector<std::vector<double>>;

// What one fold picked.
struct FoldPick {
  std::size_t config = 0;         // index of the picked row of the matrix
  double train_mean = 0;          // its mean over the other folds' queries
  std::size_t train_queries = 0;  // queries in the other folds
  std::size_t test_queries = 0;   // queries in this (held-out) fold
};

// For each fold f in 0 .. k-1, the configuration with the highest mean of
// `select` over the queries whose fold is not f. Means within 1e-12 of each
// other are a tie (summation order must not decide), and a tie goes to the
// lower index.
// Fails with kInvalidInput when `select` is empty, its rows differ in length
// from `fold_of`, or a fold number is >= k or a fold has no queries.
Result<std::vector<FoldPick>> PickPerFold(const ScoreMatrix& select,
                                          const std::vector<std::size_t>& fold_of, std::size_t k);

// Per query, the score in `metric` of the configuration that the query's
// fold picked: the held-out outcome of the procedure, one value per query
// (its mean is the cross-validated figure). `metric` may be another metric
// than the one picked by, with the same shape. Preconditions (a bug if not):
// `metric`, `fold_of` and `picks` are shaped as PickPerFold accepted them.
std::vector<double> HeldOut(const ScoreMatrix& metric, const std::vector<std::size_t>& fold_of,
                            const std::vector<FoldPick>& picks);

// a - b, query by query.
struct PairedDifference {
  double mean = 0;            // mean of a_i - b_i
  double standard_error = 0;  // sample standard deviation of a_i - b_i / sqrt(n); 0 if n < 2
  std::size_t better = 0;     // queries with a_i > b_i
  std::size_t worse = 0;      // queries with a_i < b_i
  std::size_t queries = 0;    // n
};

// The paired difference of two per-query score lists over the same queries in
// the same order. Precondition (a bug if not): a.size() == b.size().
PairedDifference Paired(const std::vector<double>& a, const std::vector<double>& b);

// Arithmetic mean; 0 for an empty list.
double Mean(const std::vector<double>& values);

}  // namespace findling::eval
