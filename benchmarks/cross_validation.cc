#include "benchmarks/cross_validation.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>
#include <random>

namespace findling::eval {

Result<std::vector<std::size_t>> AssignFolds(const std::vector<std::string>& ids, std::size_t k,
                                             std::uint64_t seed) {
  if (k < 2) {
    return Status::InvalidInput("cross-validation needs at least 2 folds, not " +
                                std::to_string(k));
  }
  if (k > ids.size()) {
    return Status::InvalidInput(std::to_string(k) + " folds for " + std::to_string(ids.size()) +
                                " queries would leave a fold empty");
  }
  // Sorted first, so the split depends on the set of ids, not on file order.
  std::vector<std::size_t> order(ids.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return ids[a] < ids[b]; });
  for (std::size_t i = 1; i < order.size(); ++i) {
    if (ids[order[i]] == ids[order[i - 1]]) {
      return Status::InvalidInput("query id \"" + ids[order[i]] + "\" appears twice");
    }
  }
  // Fisher-Yates, drawing with a plain modulo: its bias (below 2^-50 for any
  // set this size) does not matter, and unlike uniform_int_distribution it
  // draws the same numbers with every standard library.
  std::mt19937_64 rng(seed);
  for (std::size_t i = order.size(); i > 1; --i) {
    const std::size_t j = static_cast<std::size_t>(rng() % i);
    std::swap(order[i - 1], order[j]);
  }
  std::vector<std::size_t> fold_of(ids.size());
  for (std::size_t position = 0; position < order.size(); ++position) {
    fold_of[order[position]] = position % k;
  }
  return fold_of;
}

Result<std::vector<FoldPick>> PickPerFold(const ScoreMatrix& select,
                                          const std::vector<std::size_t>& fold_of, std::size_t k) {
  if (select.empty()) return Status::InvalidInput("no configurations to choose from");
  const std::size_t n = fold_of.size();
  for (std::size_t c = 0; c < select.size(); ++c) {
    if (select[c].size() != n) {
      return Status::InvalidInput("configuration " + std::to_string(c) + " has " +
                                  std::to_string(select[c].size()) + " query scores, the split " +
                                  std::to_string(n));
    }
  }
  std::vector<std::size_t> fold_size(k, 0);
  for (std::size_t q = 0; q < n; ++q) {
    if (fold_of[q] >= k) {
      return Status::InvalidInput("query " + std::to_string(q) + " is in fold " +
                                  std::to_string(fold_of[q]) + " of " + std::to_string(k));
    }
    ++fold_size[fold_of[q]];
  }
  for (std::size_t f = 0; f < k; ++f) {
    if (fold_size[f] == 0 || fold_size[f] == n) {
      return Status::InvalidInput("fold " + std::to_string(f) + " has " +
                                  std::to_string(fold_size[f]) + " of " + std::to_string(n) +
                                  " queries: nothing to hold out or nothing to train on");
    }
  }
  // Per configuration, the sum over each fold: a fold's training sum is the
  // total minus the fold.
  std::vector<FoldPick> picks(k);
  std::vector<bool> first(k, true);
  for (std::size_t c = 0; c < select.size(); ++c) {
    std::vector<double> fold_sum(k, 0.0);
    double total = 0;
    for (std::size_t q = 0; q < n; ++q) {
      fold_sum[fold_of[q]] += select[c][q];
      total += select[c][q];
    }
    for (std::size_t f = 0; f < k; ++f) {
      const std::size_t train = n - fold_size[f];
      const double mean = (total - fold_sum[f]) / static_cast<double>(train);
      // Strictly better by more than rounding: a tie keeps the earlier row.
      if (first[f] || mean > picks[f].train_mean + 1e-12) {
        picks[f] = {c, mean, train, fold_size[f]};
        first[f] = false;
      }
    }
  }
  return picks;
}

std::vector<double> HeldOut(const ScoreMatrix& metric, const std::vector<std::size_t>& fold_of,
                            const std::vector<FoldPick>& picks) {
  std::vector<double> out(fold_of.size());
  for (std::size_t q = 0; q < fold_of.size(); ++q) {
    assert(fold_of[q] < picks.size());
    out[q] = metric.at(picks[fold_of[q]].config).at(q);
  }
  return out;
}

PairedDifference Paired(const std::vector<double>& a, const std::vector<double>& b) {
  assert(a.size() == b.size());
  PairedDifference d;
  d.queries = a.size();
  if (a.empty()) return d;
  std::vector<double> diff(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff[i] = a[i] - b.at(i);
    d.better += a[i] > b[i];
    d.worse += a[i] < b[i];
  }
  d.mean = Mean(diff);
  if (diff.size() < 2) return d;
  double squares = 0;
  for (double x : diff) squares += (x - d.mean) * (x - d.mean);
  const double n = static_cast<double>(diff.size());
  d.standard_error = std::sqrt(squares / (n - 1)) / std::sqrt(n);
  return d;
}

double Mean(const std::vector<double>& values) {
  if (values.empty()) return 0;
  double sum = 0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

}  // namespace findling::eval
