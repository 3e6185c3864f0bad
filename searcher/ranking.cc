#include "searcher/ranking.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <string>
#include <utility>

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

// Hits first + 1 .. first + count of the enquire's query, and its estimate
// of all matches.
struct Slice {
  std::vector<Xapian::MSetIterator> hits;
  Xapian::doccount estimated = 0;
};

Slice Fetch(Xapian::Enquire& enquire, Xapian::doccount first, Xapian::doccount count) {
  Slice slice;
  const Xapian::MSet mset = enquire.get_mset(first, count);
  for (auto it = mset.begin(); it != mset.end(); ++it) slice.hits.push_back(it);
  slice.estimated = mset.get_matches_estimated();
  return slice;
}

// Orders [begin, end) by the value in `slot`, largest first, equal values
// in their present order. Each document's value is read once, not once per
// comparison (a read may be a block read, or a round trip to a remote shard).
void SortByValue(std::vector<Xapian::MSetIterator>::iterator begin,
                 std::vector<Xapian::MSetIterator>::iterator end, Xapian::valueno slot) {
  std::vector<std::pair<std::string, Xapian::MSetIterator>> keyed;
  for (auto it = begin; it != end; ++it)
    keyed.emplace_back(it->get_document().get_value(slot), *it);
  std::stable_sort(keyed.begin(), keyed.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (auto& [value, hit] : keyed) *begin++ = std::move(hit);
}

// Fetch() in relevance order with equal weights ordered by the value in
// `slot`, largest first. Xapian's own relevance-then-value order reads the
// slot of every document that reaches the candidate set, and that was 10-15 %
// of a one-word search's instructions (callgrind, gesetze). Relevance alone
// selects the same documents unless equal weights straddle an edge of the
// page: one more hit on each side shows that, and only then is Xapian asked
// for the exact order. Otherwise each run of equal weights inside the page
// is sorted by the slot (stable, so equal values keep document id order, as
// Xapian's tie-break does); a hit's document is read for its hit anyway.
Slice RelevanceThenValue(Xapian::Enquire& enquire, Xapian::doccount first, Xapian::doccount count,
                         Xapian::valueno slot) {
  const Xapian::doccount lead = first > 0 ? 1 : 0;
  const Xapian::MSet wide = enquire.get_mset(first - lead, count + lead + 1);
  const Xapian::doccount end = std::min<Xapian::doccount>(wide.size(), lead + count);
  const auto weight = [&](Xapian::doccount i) { return wide[i].get_weight(); };
  const bool straddles = (lead == 1 && wide.size() > 1 && weight(0) == weight(1)) ||
                         (end > lead && wide.size() > end && weight(end - 1) == weight(end));
  if (straddles) {
    enquire.set_sort_by_relevance_then_value(slot, /*reverse=*/true);
    Slice exact = Fetch(enquire, first, count);
    enquire.set_sort_by_relevance();
    return exact;
  }
  Slice slice;
  slice.estimated = wide.get_matches_estimated();
  for (Xapian::doccount i = lead; i < end; ++i) slice.hits.push_back(wide[i]);
  for (auto run = slice.hits.begin(); run != slice.hits.end();) {
    const auto run_end = std::find_if(run, slice.hits.end(), [&](const Xapian::MSetIterator& it) {
      return it.get_weight() != run->get_weight();
    });
    if (run_end - run > 1) SortByValue(run, run_end, slot);
    run = run_end;
  }
  return slice;
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
                    Xapian::doccount limit, std::optional<Xapian::valueno> ties_by) {
  const auto fetch = [&](Xapian::doccount first, Xapian::doccount count) {
    return ties_by ? RelevanceThenValue(enquire, first, count, *ties_by)
                   : Fetch(enquire, first, count);
  };
  RankedPage page;
  const Xapian::doccount want = offset + limit;
  if (first_tier.empty()) {
    enquire.set_query(query);
    Slice all = fetch(offset, limit);
    page.hits = std::move(all.hits);
    page.total = all.estimated;
    return page;
  }
  // The first tier ranks above the rest: take it first, then fill the page
  // from the rest.
  enquire.set_query(first_tier);
  const Slice first = fetch(0, want);
  const auto first_count = static_cast<Xapian::doccount>(first.hits.size());
  // By position, not get_rank(): equal weights may have been reordered.
  for (Xapian::doccount i = offset; i < first_count; ++i) page.hits.push_back(first.hits[i]);
  enquire.set_query(query);
  if (first_count < want) {
    enquire.set_query(Q(Q::OP_AND_NOT, query, first_tier));
    const Xapian::doccount skip = offset > first_count ? offset - first_count : 0;
    Slice rest = fetch(skip, want - std::max<Xapian::doccount>(first_count, offset));
    page.hits.insert(page.hits.end(), rest.hits.begin(), rest.hits.end());
    page.total = first_count + rest.estimated;
  } else {
    // The page is full of first-tier documents; the total only needs
    // Xapian's estimate from term statistics. Counting the matches
    // (check_at_least = want) walked every posting list of the full query
    // and was 60 % of a two-word search.
    page.total = std::max(first.estimated, enquire.get_mset(0, 0).get_matches_estimated());
  }
  return page;
}

}  // namespace findling
