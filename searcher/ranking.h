// Ranking: what orders the matches rather than decides them.
//
// QueryBuilder decides which documents a query matches; the pieces here only
// weigh: the terms a word is scored by (stem, title, exact form, compound
// parts, WordScore), the bonus for query words close together
// (ProximityBoost), BM25's parameters (Bm25), and the tiers a page is taken
// from (RankPage: documents with all words of a short query first).
// Searcher::SearchOnce applies the limits and filters around them and builds
// the hits. Everything is built from Xapian's own operators, posting sources
// and weights, so remote shards (xapian-tcpsrv) rank exactly as a local
// index does (docs/scaling.md). docs/relevance.md has what each piece is
// worth, measured with findling-relevance.
#pragma once

#include <xapian.h>

#include <optional>
#include <vector>

#include "common/analyzer.h"
#include "searcher/query_builder.h"

namespace findling {

// Xapian's BM25 with `weights`' k1 and b (k2 0, k3 1, min_normlen 0.5, as
// Xapian's defaults).
Xapian::BM25Weight Bm25(const QueryWeights& weights);

// The terms one bare query word `word` is scored by:
//   OR(stem, S:stem × title, E:form × exact, P:stem × part [, AND(parts) × part])
// `part_slots` are the word's compound parts, each matching the part as a
// word or as a compound part (fewer than two: the word is no compound). A
// compound in the query means all of its parts, never one of them, so the
// parts are one AND. The result matches exactly the documents with the stem,
// the title stem, the form, the stem as a compound part, or all parts.
// `part_idfs` (one per slot, or empty) are the parts' BM25 idf; with
// weights.part_idf > 0 each part is scaled by (idf / mean idf)^part_idf, so
// the rare part of a compound ("Kartoffelsalat": kartoffel) counts more than
// a common one (salat), on top of BM25's own idf. With weights.title_synonym the stem and the title
// stem are one OP_SYNONYM (a title occurrence counts twice, saturated with the body: BM25F with one
// length normalisation) instead of two terms.
Xapian::Query WordScore(const Token& word, const std::vector<Xapian::Query>& part_slots,
                        const std::vector<double>& part_idfs, const QueryWeights& weights);

// The bonus for query words that stand close together in a document. `runs`
// holds the content words of a bare query in order, one slot each (the word
// as a word or as a compound part), split into runs where something that is
// no single word stood between them. Each pair of neighbours in a run becomes
// an OP_NEAR within 3 positions (at most one word between them, either
// order), scaled by weights.proximity. With weights.window > 0, each
// stretch of weights.window_words neighbours in a run also becomes an
// OP_NEAR within weights.window_span positions (any order), scaled by
// weights.window: three words close together say more than two pairs. The
// result only weighs: callers put it beside (OR, AND_MAYBE) the words, never
// as a match of its own. Empty when there is nothing to weigh.
Xapian::Query ProximityBoost(const std::vector<std::vector<Xapian::Query>>& runs,
                             const QueryWeights& weights);

// One page of a ranking.
struct RankedPage {
  std::vector<Xapian::MSetIterator> hits;  // in rank order (an iterator keeps its MSet)
  Xapian::doccount total = 0;              // Xapian's estimate of all matches
};

// Runs `query` on `enquire` (weighting and order already set) and returns the
// hits offset + 1 .. offset + limit. A non-empty `first_tier` (a query whose
// matches are a subset of `query`'s) ranks above the rest: its documents are
// taken first, in the enquire's order, and the rest of `query` after them.
// With `ties_by` set, the enquire must rank by relevance alone, and equal
// weights are ordered by that value slot, largest first, then by document
// id: the order set_sort_by_relevance_then_value(*ties_by, true) gives,
// hit for hit, without reading the slot of every candidate (see
// RelevanceThenValue in ranking.cc). May throw Xapian::Error.
RankedPage RankPage(Xapian::Enquire& enquire, const Xapian::Query& query,
                    const Xapian::Query& first_tier, Xapian::doccount offset,
                    Xapian::doccount limit, std::optional<Xapian::valueno> ties_by);

}  // namespace findling
