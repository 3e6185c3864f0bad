#include "benchmarks/learned_ranking.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <map>
#include <numeric>

#include "benchmarks/cross_validation.h"

namespace findling::ltr {
namespace {

double Dot(const std::vector<double>& row, const Weights& weights) {
  assert(row.size() == weights.size());
  double sum = 0;
  for (std::size_t j = 0; j < row.size(); ++j) sum += row[j] * weights[j];
  return sum;
}

// RR@10 of candidates scored `scores`, ordered as Rerank orders them
// (higher first, equal scores by index), without sorting: a relevant
// candidate's position is one more than the candidates before it.
double ReciprocalRankOfScores(const std::vector<double>& scores, const std::vector<int>& grades) {
  std::size_t best = 0;  // 1-based position of the first relevant; 0 = none yet
  for (std::size_t r = 0; r < scores.size(); ++r) {
    if (grades[r] <= 0) continue;
    std::size_t position = 1;
    for (std::size_t c = 0; c < scores.size(); ++c) {
      if (scores[c] > scores[r] || (scores[c] == scores[r] && c < r)) ++position;
    }
    if (best == 0 || position < best) best = position;
  }
  return best > 0 && best <= 10 ? 1.0 / static_cast<double>(best) : 0.0;
}

std::vector<double> Scores(const RankingSample& sample, const Weights& weights) {
  std::vector<double> out;
  out.reserve(sample.features.size());
  for (const auto& row : sample.features) out.push_back(Dot(row, weights));
  return out;
}

double MeanRr(const std::vector<const RankingSample*>& samples, const Weights& weights) {
  if (samples.empty()) return 0;
  double sum = 0;
  for (const RankingSample* s : samples) sum += ReciprocalRankAt10(*s, weights);
  return sum / static_cast<double>(samples.size());
}

}  // namespace

std::vector<std::size_t> Rerank(const RankingSample& sample, const Weights& weights) {
  const std::vector<double> scores = Scores(sample, weights);
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  // Exact comparison, not a tolerance: a tolerance is no strict weak order,
  // and a vector that only weighs the rank feature gives distinct scores.
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  return order;
}

double ReciprocalRankAt10(const RankingSample& sample, const Weights& weights) {
  return ReciprocalRankOfScores(Scores(sample, weights), sample.grades);
}

void NormalizePerQuery(RankingSample& sample) {
  if (sample.features.empty()) return;
  const std::size_t n = sample.features.front().size();
  for (std::size_t j = 0; j < n; ++j) {
    double largest = 0;
    for (const auto& row : sample.features) largest = std::max(largest, std::abs(row[j]));
    if (largest == 0) continue;
    for (auto& row : sample.features) row[j] /= largest;
  }
}

Weights TrainCoordinateAscent(const std::vector<const RankingSample*>& train, const Weights& start,
                              const TrainOptions& options) {
  Weights weights = start;
  if (train.empty()) return weights;
  const double n = static_cast<double>(train.size());
  // Per query, the current scores; a trial move of weight j by d adds
  // d × feature j to each, so a trial costs one pass over the candidates.
  std::vector<std::vector<double>> scores;
  scores.reserve(train.size());
  for (const RankingSample* s : train) scores.push_back(Scores(*s, weights));
  double current = MeanRr(train, weights);
  std::vector<double> trial;
  for (int round = 0; round < options.max_rounds; ++round) {
    bool moved = false;
    for (std::size_t j = 0; j < weights.size(); ++j) {
      if (j < options.movable.size() && !options.movable[j]) continue;
      double best_delta = 0, best_value = current;
      for (int step = 0; step < options.steps; ++step) {
        for (const double sign : {1.0, -1.0}) {
          const double delta = sign * options.first_step * std::ldexp(1.0, step);
          double sum = 0;
          for (std::size_t q = 0; q < train.size(); ++q) {
            const RankingSample& s = *train[q];
            trial.resize(scores[q].size());
            for (std::size_t c = 0; c < trial.size(); ++c)
              trial[c] = scores[q][c] + delta * s.features[c][j];
            sum += ReciprocalRankOfScores(trial, s.grades);
          }
          // Strictly better by more than min_gain: of equal gains the
          // smaller move (tried first) stays.
          if (sum / n > best_value + options.min_gain) {
            best_value = sum / n;
            best_delta = delta;
          }
        }
      }
      if (best_delta == 0) continue;
      weights[j] += best_delta;
      // Rescored from the weights, not accumulated, so rounding cannot drift.
      for (std::size_t q = 0; q < train.size(); ++q) scores[q] = Scores(*train[q], weights);
      current = MeanRr(train, weights);
      moved = true;
    }
    if (!moved) break;
  }
  return weights;
}

Result<CrossValidated> CrossValidate(const std::vector<QueryCandidates>& queries,
                                     const eval::Qrels& qrels, const Weights& start, std::size_t k,
                                     std::uint64_t seed, const TrainOptions& options) {
  CrossValidated out;
  for (const QueryCandidates& q : queries) {
    out.baseline[q.query_id] = q.ranked;
    for (const auto& row : q.features) {
      if (row.size() != start.size()) {
        return Status::InvalidInput("query " + q.query_id + " has a feature row of " +
                                    std::to_string(row.size()) + " values, the model " +
                                    std::to_string(start.size()));
      }
    }
  }
  // The same ids, hence the same split, as --cv: the qrels' queries with a
  // relevant document (ScorePerQuery's list).
  for (const eval::QueryScores& s : eval::ScorePerQuery(qrels, out.baseline))
    out.query_ids.push_back(s.query);
  auto fold_of = eval::AssignFolds(out.query_ids, k, seed);
  if (!fold_of.ok()) return fold_of.status();
  out.fold_of = std::move(fold_of).value();

  // Normalized samples with their grades, by query id.
  std::map<std::string, RankingSample> samples;
  for (const QueryCandidates& q : queries) {
    RankingSample s;
    s.features = q.features;
    const auto judged = qrels.find(q.query_id);
    for (std::size_t c = 0; c < q.features.size(); ++c) {
      int grade = 0;
      if (judged != qrels.end()) {
        const auto g = judged->second.find(q.ranked[c]);
        if (g != judged->second.end()) grade = g->second;
      }
      s.grades.push_back(grade);
    }
    NormalizePerQuery(s);
    samples.emplace(q.query_id, std::move(s));
  }

  out.learned = out.baseline;
  for (std::size_t f = 0; f < k; ++f) {
    std::vector<const RankingSample*> train;
    for (std::size_t i = 0; i < out.query_ids.size(); ++i) {
      const auto s = samples.find(out.query_ids[i]);
      if (out.fold_of[i] != f && s != samples.end()) train.push_back(&s->second);
    }
    const Weights w = TrainCoordinateAscent(train, start, options);
    out.fold_weights.push_back(w);
    out.fold_train_mrr.push_back(MeanRr(train, w));
    out.fold_start_mrr.push_back(MeanRr(train, start));
    for (std::size_t i = 0; i < out.query_ids.size(); ++i) {
      if (out.fold_of[i] != f) continue;
      const auto s = samples.find(out.query_ids[i]);
      if (s == samples.end()) continue;
      const std::vector<std::string>& ranked = out.baseline[out.query_ids[i]];
      std::vector<std::string> reranked;
      for (std::size_t c : Rerank(s->second, w)) reranked.push_back(ranked[c]);
      reranked.insert(reranked.end(), ranked.begin() + static_cast<long>(reranked.size()),
                      ranked.end());
      out.learned[out.query_ids[i]] = std::move(reranked);
    }
  }
  return out;
}

}  // namespace findling::ltr
