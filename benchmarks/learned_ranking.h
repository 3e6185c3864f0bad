// A learned re-ranking of the top K candidates of Findling's default ranking,
// measured by cross-validation (docs/relevance.md, "Learned ranking").
//
// The model is linear: a candidate's score is the dot product of a weight
// vector with its feature row (benchmarks/ltr_features.h), and the
// candidates are re-ordered by it; equal scores keep the default order. It is
// trained by coordinate ascent directly on MRR@10 (as RankLib's
// CoordinateAscent): one weight at a time is moved by steps that double in
// size, both ways, and the move that raises the training queries' MRR@10 the
// most is kept; rounds over all weights repeat until none gains. It starts
// from the vector that reproduces the default ranking (all weight on the
// default-rank feature) and only takes a move that gains more than
// `min_gain`, so it departs from the default only where that pays on the
// training queries.
//
// CrossValidate trains on k - 1 folds and re-ranks the held-out fold, with
// cross_validation.h's AssignFolds over the same query ids as
// `findling-relevance --cv`, so a seed splits the queries the same way.
//
// Everything here is plain data and pure functions: thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "benchmarks/eval_metrics.h"
#include "common/status.h"

namespace findling::ltr {

using Weights = std::vector<double>;

// One query's candidates in the default ranking's order (row 0 is the
// default's first hit): a feature row and a relevance grade (> 0: relevant)
// each. Every row has the same number of features.
struct RankingSample {
  std::vector<std::vector<double>> features;  // [candidate][feature]
  std::vector<int> grades;                    // [candidate]
};

// The candidate indices ordered by weights · features, highest first; equal
// scores (compared exactly) keep their default order, so the zero vector and any
// vector that only weighs the default rank reproduce the default ranking.
// Precondition (a bug if not): weights.size() equals each row's length.
std::vector<std::size_t> Rerank(const RankingSample& sample, const Weights& weights);

// 1 / the position of the first relevant candidate in Rerank's order when it
// is among the first 10, else 0.
double ReciprocalRankAt10(const RankingSample& sample, const Weights& weights);

// Divides each feature (column) of `sample` by its largest absolute value over
// the query's candidates (a column of zeros stays zero), so BM25 scores of
// long and short queries weigh alike.
void NormalizePerQuery(RankingSample& sample);

struct TrainOptions {
  double first_step = 0.01;  // the smallest move of a weight
  int steps = 12;            // moves of first_step × 2^0 .. 2^(steps-1), each way
  int max_rounds = 10;       // rounds over all weights
  double min_gain = 1e-9;    // a move must raise the mean RR@10 by more than this
  // Which weights may move (empty: all); the others keep their start value,
  // so a subset of the features can be measured on its own.
  std::vector<bool> movable;
};

// Coordinate ascent on the mean RR@10 of `train`, from `start` (see the top
// of this file). Returns `start` unchanged when no move gains; otherwise a
// vector whose training MRR@10 is strictly higher. Deterministic: weights are
// visited in index order, and of equal gains the smaller move wins.
Weights TrainCoordinateAscent(const std::vector<const RankingSample*>& train, const Weights& start,
                              const TrainOptions& options);

// One query of an evaluation set with its default ranking.
struct QueryCandidates {
  std::string query_id;
  std::vector<std::string> ranked;            // the default ranking's document ids (e.g. 100)
  std::vector<std::vector<double>> features;  // rows for ranked[0 .. K-1], unnormalized
};

struct CrossValidated {
  eval::Run baseline;  // the default rankings
  eval::Run learned;   // top K re-ranked by the held-out fold's model, the rest as the default
  std::vector<Weights> fold_weights;   // per fold, the trained vector
  std::vector<double> fold_train_mrr;  // its MRR@10 (over the K candidates) on training queries
  std::vector<double> fold_start_mrr;  // the default's, on the same queries
  std::vector<std::size_t> fold_of;    // per query of the qrels, its fold (qrels order)
  std::vector<std::string> query_ids;  // the qrels' queries with a relevant document
};

// Trains on every fold but one and re-ranks that one, for each of `k` folds
// (seeded split as `findling-relevance --cv --folds k --seed seed`). `start`
// is the default vector. Queries of the qrels without candidates are left
// unanswered in both runs. Fails with kInvalidInput as AssignFolds does, or
// when a row's length differs from `start`'s.
Result<CrossValidated> CrossValidate(const std::vector<QueryCandidates>& queries,
                                     const eval::Qrels& qrels, const Weights& start, std::size_t k,
                                     std::uint64_t seed, const TrainOptions& options);

}  // namespace findling::ltr
