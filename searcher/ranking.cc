#include "searcher/ranking.h"

#include <algorithm>
#include <cmath>
#include <iterator>

#include "common/index_schema.h"

namespace findling {
namespace {

using Q = Xapian::Query;

Q Scaled(const Q& q, double factor) {
  if (q.empty() || factor <= 0) return Q();
  return factor == 1.0 ? q : Q(Q::OP_SCALE_WEIGHT, q, factor);
}

Q AnyOf(const std::vector<Q>& parts) {
  std::vector<Q> usable;
  for (const Q& q : parts) {
    if (!q.empty()) usable.push_back(q);
  }
  if (usable.empty()) return Q();
  if (usable.size() == 1) return usable[0];
  return Q(Q::OP_OR, usable.begin(), usable.end());
}

}  // namespace

Xapian::BM25Weight Bm25(const QueryWeights& weights) {
  return Xapian::BM25Weight(weights.bm25_k1, 0, 1, weights.bm25_b, 0.5);
}

Xapian::Query WordScore(const Token& word, const std::vector<Xapian::Query>& part_slots,
                        const std::vector<double>& part_idfs, const QueryWeights& weights) {
  std::vector<Q> alternatives;
  if (weights.title_synonym) {
    alternatives.emplace_back(Q::OP_SYNONYM, Q(word.stem), Q(schema::kTitlePrefix + word.stem));
  } else {
    alternatives.emplace_back(word.stem);
    alternatives.push_back(Scaled(Q(schema::kTitlePrefix + word.stem), weights.title));
  }
  alternatives.push_back(Scaled(Q(schema::kExactPrefix + word.form), weights.exact));
  alternatives.push_back(Scaled(Q(schema::kPartPrefix + word.stem), weights.part));
  if (part_slots.size() >= 2) {
    // All parts, never one of them: "Sprachmodell" must not find every text about "Modell".
    if (weights.part_idf > 0 && part_idfs.size() == part_slots.size()) {
      double mean = 0;
      for (double idf : part_idfs) mean += idf;
      mean /= static_cast<double>(part_idfs.size());
      std::vector<Q> scaled;
      for (std::size_t i = 0; i < part_slots.size(); ++i) {
        // A part found nowhere (idf of an absent term) keeps the flat weight:
        // the AND finds nothing anyway.
        const double share =
            mean > 0 && part_idfs[i] > 0 ? std::pow(part_idfs[i] / mean, weights.part_idf) : 1.0;
        scaled.push_back(Scaled(part_slots[i], weights.part * share));
      }
      alternatives.emplace_back(Q::OP_AND, scaled.begin(), scaled.end());
    } else {
      alternatives.push_back(
          Scaled(Q(Q::OP_AND, part_slots.begin(), part_slots.end()), weights.part));
    }
  }
  return AnyOf(alternatives);
}

// Neighbouring words of a bare query that stand close together in a document
// say more than the same words scattered over a long article ("Frankfurt am
// Main", "Vereinigte Arabische Emirate"). Xapian weighs a NEAR as the sum of
// its words.
Xapian::Query ProximityBoost(const std::vector<std::vector<Xapian::Query>>& runs,
                             const QueryWeights& weights) {
  constexpr Xapian::termcount kProximityWindow = 3;  // at most one word in between
  std::vector<Q> pairs, windows;
  const std::size_t n = weights.window_words;
  for (const std::vector<Q>& run : runs) {
    for (std::size_t i = 1; i < run.size() && weights.proximity > 0; ++i) {
      const Q both[] = {run[i - 1], run[i]};
      pairs.emplace_back(Q::OP_NEAR, std::begin(both), std::end(both), kProximityWindow);
    }
    for (std::size_t i = 0; n >= 2 && weights.window > 0 && i + n <= run.size(); ++i) {
      const auto first = run.begin() + static_cast<std::ptrdiff_t>(i);
      windows.emplace_back(Q::OP_NEAR, first, first + static_cast<std::ptrdiff_t>(n),
                           std::max<Xapian::termcount>(weights.window_span, n));
    }
  }
  return AnyOf({Scaled(AnyOf(pairs), weights.proximity), Scaled(AnyOf(windows), weights.window)});
}

RankedPage RankPage(Xapian::Enquire& enquire, const Xapian::Query& query,
                    const Xapian::Query& first_tier, Xapian::doccount offset,
                    Xapian::doccount limit) {
  RankedPage page;
  const Xapian::doccount want = offset + limit;
  if (first_tier.empty()) {
    enquire.set_query(query);
    const Xapian::MSet all = enquire.get_mset(offset, limit);
    for (auto it = all.begin(); it != all.end(); ++it) page.hits.push_back(it);
    page.total = all.get_matches_estimated();
    return page;
  }
  // The first tier ranks above the rest: take it first, then fill the page
  // from the rest.
  enquire.set_query(first_tier);
  const Xapian::MSet first = enquire.get_mset(0, want);
  const Xapian::doccount first_count = first.size();
  for (auto it = first.begin(); it != first.end(); ++it) {
    if (it.get_rank() >= offset) page.hits.push_back(it);
  }
  enquire.set_query(query);
  if (first_count < want) {
    enquire.set_query(Q(Q::OP_AND_NOT, query, first_tier));
    const Xapian::doccount skip = offset > first_count ? offset - first_count : 0;
    const Xapian::MSet rest =
        enquire.get_mset(skip, want - std::max<Xapian::doccount>(first_count, offset));
    for (auto it = rest.begin(); it != rest.end(); ++it) page.hits.push_back(it);
    page.total = first_count + rest.get_matches_estimated();
  } else {
    // The page is full of first-tier documents; the total only needs
    // Xapian's estimate from term statistics. Counting the matches
    // (check_at_least = want) walked every posting list of the full query
    // and was 60 % of a two-word search.
    page.total =
        std::max(first.get_matches_estimated(), enquire.get_mset(0, 0).get_matches_estimated());
  }
  return page;
}

}  // namespace findling
