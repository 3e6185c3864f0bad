// Window proximity (searcher/ranking.h, ProximityBoost): query words that
// stand close together in a document count extra. Each row is a query and
// two documents made of exactly the same words (so BM25 scores them alike),
// one with the query words side by side, one with them scattered eight words
// apart; a third document has none of them and must never be found. With
// the window boost on, the close document ranks above the scattered one;
// with it (and the pairwise boost) off, both score the same.
#include "searcher/ranking.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <string>
#include <vector>

#include "searcher/searcher.h"
#include "tests/test_index.h"
#include "tests/test_util.h"

namespace findling {
namespace {

// Words none of the queries below contain, to pad the documents.
const std::vector<std::string> kFiller = {
    "Wüste",  "Sonne", "Sand", "Hafen",  "Handel", "Markt",  "Reise",  "Kamel",  "Turm",  "Insel",
    "Küste",  "Perle", "Gold", "Palme",  "Oase",   "Brücke", "Museum", "Strand", "Hotel", "Dattel",
    "Zelt",   "Boot",  "Wind", "Himmel", "Wolke",  "Regen",  "Schnee", "Nebel",  "Sturm", "Blitz",
    "Donner", "Welle", "Fels", "Tal",    "Wiese",  "Acker",  "Baum",   "Blume",  "Stein", "Quelle"};

// The query words first, then the filler.
std::string Close(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += w + " ";
  for (const std::string& f : kFiller) out += f + " ";
  return out;
}

// Each query word, then eight filler words: no two query words within
// eight positions of each other.
std::string Scattered(const std::vector<std::string>& words) {
  std::string out;
  std::size_t f = 0;
  for (const std::string& w : words) {
    out += w + " ";
    for (int i = 0; i < 8 && f < kFiller.size(); ++i) out += kFiller[f++] + " ";
  }
  while (f < kFiller.size()) out += kFiller[f++] + " ";
  return out;
}

struct ProximityRow {
  const char* name;
  std::string query;
  std::vector<std::string> words;  // how the documents write the query's words
};

// An index of the row's words side by side ("close"), the same words
// scattered ("scattered") and a document with none of them ("unrelated").
class CloseAndScatteredTable : public ::testing::TestWithParam<ProximityRow> {
 protected:
  void SetUp() override {
    const ProximityRow& row = GetParam();
    const std::vector<SourceDocument> docs = {
        {"close", "Bericht", Close(row.words)},
        {"scattered", "Bericht", Scattered(row.words)},
        {"unrelated", "Bericht", "Ein Fuchs jagt nachts im Wald nach Mäusen."},
    };
    const Status built =
        testing::BuildTestIndex(dir_.path() + "/db", testing::SharedAnalyzer(), docs);
    ASSERT_TRUE(built.ok()) << built.ToString();
  }

  std::vector<Hit> Search(const SearcherOptions& options) {
    return testing::SearchHits(dir_.path() + "/db", GetParam().query, options);
  }

  testing::TempDir dir_;
};

const ProximityRow kRows[] = {
    // Four content words: no all-words tier.
    {"Emirate",
     "Vereinigte Arabische Emirate Hauptstadt",
     {"Vereinigte", "Arabische", "Emirate", "Hauptstadt"}},
    // A stop word between them is skipped, as the query skips it. (Four
    // content words: with three or fewer, both documents would be in the
    // all-words tier, which ranks by BM25 without the proximity boosts.)
    {"FrankfurtAmMain",
     "Frankfurt am Main Flughafen Terminal",
     {"Frankfurt", "am", "Main", "Flughafen", "Terminal"}},
    // Inflected in the document, as a question asks it.
    {"Schwarzwald",
     "höchster Berg Schwarzwalds Feldberg",
     {"höchste", "Berg", "Schwarzwalds", "Feldberg"}},
};

class WindowTable : public CloseAndScatteredTable {
 protected:
  // Hit ids and scores for the query, with only the window boost (weight
  // `window`) beside BM25.
  std::vector<Hit> Search(double window) {
    SearcherOptions options;
    options.weights.proximity = 0;
    options.weights.window = window;
    return CloseAndScatteredTable::Search(options);
  }
};

TEST_P(WindowTable, CloseWordsRankFirst) {
  const std::vector<Hit> hits = Search(0.2);
  ASSERT_EQ(hits.size(), 2u) << "the unrelated document must not be found";
  EXPECT_EQ(hits[0].id, "close");
  EXPECT_EQ(hits[1].id, "scattered");
  EXPECT_GT(hits[0].score, hits[1].score);
}

TEST_P(WindowTable, WithoutTheBoostBothScoreAlike) {
  const std::vector<Hit> hits = Search(0);
  ASSERT_EQ(hits.size(), 2u) << "the unrelated document must not be found";
  EXPECT_NEAR(hits[0].score, hits[1].score, 1e-9);
}

INSTANTIATE_TEST_SUITE_P(Ranking, WindowTable, ::testing::ValuesIn(kRows),
                         [](const auto& info) { return std::string(info.param.name); });

// The all-words tier (BuiltQuery::all_words): a query of two or three
// content words ranks the documents with all of them first, by the tier's
// own query. With QueryWeights::all_words_proximity the pairs and windows
// order the tier too, so of two documents with the same words the one that
// has them side by side ranks first; without it (the default: it moved no
// query of the dev sets, docs/relevance.md "The all-words tier") both score
// alike. The unrelated document is never found.
const ProximityRow kTierRows[] = {
    // Three content words, the stop word skipped as the query skips it.
    {"FrankfurtAmMain", "Frankfurt am Main Flughafen", {"Frankfurt", "am", "Main", "Flughafen"}},
    {"Emirate", "Vereinigte Arabische Emirate", {"Vereinigte", "Arabische", "Emirate"}},
    // Two content words: the pair alone (a window needs three).
    {"Hauptstadt", "Hauptstadt Frankreichs", {"Hauptstadt", "Frankreichs"}},
};

class TierTable : public CloseAndScatteredTable {
 protected:
  std::vector<Hit> Search(bool tier_proximity) {
    SearcherOptions options;
    options.weights.all_words_proximity = tier_proximity;
    return CloseAndScatteredTable::Search(options);
  }
};

TEST_P(TierTable, WithTierProximityCloseWordsRankFirst) {
  const std::vector<Hit> hits = Search(true);
  ASSERT_EQ(hits.size(), 2u) << "the unrelated document must not be found";
  EXPECT_EQ(hits[0].id, "close");
  EXPECT_EQ(hits[1].id, "scattered");
  EXPECT_GT(hits[0].score, hits[1].score);
}

TEST_P(TierTable, ByDefaultTheTierIgnoresProximity) {
  const std::vector<Hit> hits = Search(false);
  ASSERT_EQ(hits.size(), 2u) << "the unrelated document must not be found";
  EXPECT_NEAR(hits[0].score, hits[1].score, 1e-9);
}

INSTANTIATE_TEST_SUITE_P(Ranking, TierTable, ::testing::ValuesIn(kTierRows),
                         [](const auto& info) { return std::string(info.param.name); });

// RankPage with ties_by gives, page for page, Xapian's own
// set_sort_by_relevance_then_value order: the same documents in the same
// order, whether runs of equal weights lie inside a page or straddle its
// edges. Documents come in groups of identical text (equal BM25 weights);
// dates repeat and some are missing, so equal weights and equal dates
// (document id order) occur too.
TEST(RankPageTies, SameOrderAsXapiansRelevanceThenValue) {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  const char* texts[] = {"bahn", "bahn bahn streik", "bahn streik streik", "streik"};
  const char* dates[] = {"2024-03-05", "", "2025-01-10", "2024-03-05", "2023-12-31"};
  for (int i = 0; i < 40; ++i) {
    Xapian::Document doc;
    for (std::string_view text = texts[i % 4]; !text.empty();) {
      const auto space = text.find(' ');
      doc.add_term(std::string(text.substr(0, space)));
      text = space == std::string_view::npos ? "" : text.substr(space + 1);
    }
    doc.add_value(1, dates[(i * 7) % 5]);
    db.add_document(doc);
  }
  const Xapian::Query query(Xapian::Query::OP_OR, Xapian::Query("bahn"), Xapian::Query("streik"));
  const Xapian::Query first_tier(Xapian::Query::OP_AND, Xapian::Query("bahn"),
                                 Xapian::Query("streik"));
  for (const Xapian::Query& tier : {Xapian::Query(), first_tier}) {
    Xapian::Enquire exact(db);
    exact.set_sort_by_relevance_then_value(1, /*reverse=*/true);
    for (Xapian::doccount offset = 0; offset < 42; offset += 3) {
      for (Xapian::doccount limit : {1u, 2u, 5u, 10u, 40u}) {
        Xapian::Enquire enquire(db);
        const RankedPage got = RankPage(enquire, query, tier, offset, limit, 1);
        const RankedPage want = RankPage(exact, query, tier, offset, limit, std::nullopt);
        std::vector<Xapian::docid> got_ids, want_ids;
        for (const auto& it : got.hits) got_ids.push_back(*it);
        for (const auto& it : want.hits) want_ids.push_back(*it);
        EXPECT_EQ(got_ids, want_ids) << "offset " << offset << " limit " << limit
                                     << (tier.empty() ? "" : " with the all-words tier");
      }
    }
  }
}

}  // namespace
}  // namespace findling
