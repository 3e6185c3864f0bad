// Browsing, end to end: sort orders and facet counts through the real
// findling-search, and through a findling-server (in-process, loopback, an
// ephemeral port) queried by a client and by findling-search --server.
//
// The index is a handful of German news items with known dates and
// categories, so every expected order and count can be read off kArticles.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "client/client.h"
#include "server/server.h"
#include "tests/running_server.h"
#include "tests/test_util.h"

namespace findling {
namespace {

using nlohmann::json;
using testing::HitIds;
using testing::RunningServer;
using testing::RunTool;
using namespace std::chrono_literals;

// id, date, category, title, text. "glocke-alt" and "glocke-neu" are the
// same article on different dates: their BM25 scores are equal.
constexpr const char* kArticles =
    R"({"id":"bahnstreik","date":"2024-03-05","category":"Verkehr","title":"Bahnstreik legt Fernverkehr lahm","text":"Die Bahn stellt den Fernverkehr ein, die Gewerkschaft ruft zum Streik."}
{"id":"bahnstrecke","date":"2025-01-10","category":"Verkehr","title":"Neue Bahnstrecke eröffnet","text":"Die Bahn fährt ab heute schneller zwischen Erfurt und Leipzig."}
{"id":"bahn-bericht","category":"Verkehr","title":"Bericht über die Bahn ohne Datum","text":"Die Bahn prüft ihre Brücken."}
{"id":"haushaltsstreit","date":"2024-11-20","category":"Politik","title":"Haushaltsstreit im Bundestag","text":"Der Bundestag streitet über den Haushalt."}
{"id":"koalition","date":"2025-06-02","category":"Politik","title":"Koalition einigt sich auf Haushalt","text":"Die Koalition legt den Haushalt vor."}
{"id":"wahlrecht","date":"2023-02-14","category":"Politik","title":"Wahlrecht vor dem Verfassungsgericht","text":"Karlsruhe verhandelt über das Wahlrecht."}
{"id":"chipwerk","date":"2025-03-30","category":"Wirtschaft","title":"Chiphersteller baut Werk in Dresden","text":"Das Werk soll 2027 Chips liefern."}
{"id":"glocke-alt","date":"2022-05-01","category":"Kultur","title":"Glockenspiel im Rathaus","text":"Das Glockenspiel spielt wieder."}
{"id":"glocke-neu","date":"2024-05-01","category":"Kultur","title":"Glockenspiel im Rathaus","text":"Das Glockenspiel spielt wieder."}
)";

class BrowseTest : public testing::SharedFolderTest<BrowseTest> {
 protected:
  static void SetUpTestSuite() {
    SetUpFolder();
    db_ = dir_->path() + "/news.db";
    const auto r = RunTool("findling-index", {"--db", db_, dir_->File("news.jsonl", kArticles)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    server_ = std::make_unique<RunningServer>(db_);
  }

  static json Search(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_, "--json"});
    const auto r = RunTool("findling-search", args);
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
    return json::parse(r.out, nullptr, false);
  }

  static inline std::string db_;
};

using Ids = std::vector<std::string>;

struct SortRow {
  std::vector<std::string> args;  // findling-search arguments after --db/--json
  Ids expected;                   // hit ids in order
};

TEST_F(BrowseTest, SortOrdersHitsAsAsked) {
  const SortRow rows[] = {
      // Newest first; the undated report comes last.
      {{"--sort", "date", "Bahn"}, {"bahnstrecke", "bahnstreik", "bahn-bericht"}},
      // Oldest first; the undated report still comes last.
      {{"--sort", "date-asc", "Bahn"}, {"bahnstreik", "bahnstrecke", "bahn-bericht"}},
      // Filters only: a list, newest first, not index order.
      {{"--category", "politik", ""}, {"koalition", "haushaltsstreit", "wahlrecht"}},
      {{"kategorie:politik"}, {"koalition", "haushaltsstreit", "wahlrecht"}},
      {{"--sort", "date-asc", "kategorie:politik"}, {"wahlrecht", "haushaltsstreit", "koalition"}},
      // Equal scores: the newer article first, whatever the index order.
      {{"Glockenspiel"}, {"glocke-neu", "glocke-alt"}},
      {{"--sort", "relevance", "Glockenspiel"}, {"glocke-neu", "glocke-alt"}},
      // ... also when the page ends or starts between the two.
      {{"--limit", "1", "Glockenspiel"}, {"glocke-neu"}},
      {{"--limit", "1", "--offset", "1", "Glockenspiel"}, {"glocke-alt"}},
      {{"--sort", "date-asc", "Glockenspiel"}, {"glocke-alt", "glocke-neu"}},
      // Sorting does not change what matches.
      {{"--sort", "date", "Haushalt", "NOT", "Koalition"}, {"haushaltsstreit"}},
  };
  for (const SortRow& row : rows) {
    EXPECT_EQ(HitIds(Search(row.args)), row.expected) << ::testing::PrintToString(row.args);
  }
}

TEST_F(BrowseTest, DateSortPagesThroughTheWholeMatchSet) {
  EXPECT_EQ(HitIds(Search({"--sort", "date", "--limit", "2", "--offset", "1", "Bahn"})),
            (Ids{"bahnstreik", "bahn-bericht"}));
}

TEST_F(BrowseTest, UnknownSortKeyIsAUsageErrorNamingTheKeys) {
  const auto r = RunTool("findling-search", {"--db", db_, "--sort", "datum", "Bahn"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown sort key \"datum\""), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("relevance, date, date-asc"), std::string::npos) << r.err;
}

TEST_F(BrowseTest, FacetsCountTheWholeMatchSetNotThePage) {
  const json j = Search({"--facets", "category,year", "--limit", "1", "--from", "2000-01-01", ""});
  EXPECT_EQ(j["total"], 8) << j;
  EXPECT_EQ(j["hits"].size(), 1u);
  // Most frequent first, ties in value order; the undated report is not counted.
  EXPECT_EQ(j["facets"]["category"],
            json::parse(R"([{"value":"Politik","count":3},{"value":"Kultur","count":2},
                            {"value":"Verkehr","count":2},{"value":"Wirtschaft","count":1}])"));
  EXPECT_EQ(j["facets"]["year"],
            json::parse(R"([{"value":"2024","count":3},{"value":"2025","count":3},
                            {"value":"2022","count":1},{"value":"2023","count":1}])"));
}

TEST_F(BrowseTest, FacetsFollowTheQueryAndTheCap) {
  const json bahn = Search({"--facets", "year,category", "Bahn"});
  EXPECT_EQ(bahn["facets"]["category"], json::parse(R"([{"value":"Verkehr","count":3}])"));
  EXPECT_EQ(bahn["facets"]["year"],
            json::parse(R"([{"value":"2024","count":1},{"value":"2025","count":1}])"));
  const json capped = Search({"--facets", "category", "--facet-limit", "1", ""});
  // An empty query without filters matches nothing, so nothing is counted.
  EXPECT_EQ(capped["facets"]["category"], json::array());
  const json politik = Search({"--facets", "category", "--facet-limit", "1", "date:2024..2025"});
  EXPECT_EQ(politik["facets"]["category"], json::parse(R"([{"value":"Politik","count":2}])"));
  EXPECT_FALSE(Search({"Bahn"}).contains("facets"));
}

TEST_F(BrowseTest, FacetLineUnderTheHitsInTheTerminal) {
  const auto r = RunTool("findling-search",
                         {"--db", db_, "--color", "never", "--facets", "category,year", "Bahn"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\ncategory: Verkehr 3\nyear: 2024 1, 2025 1\n"), std::string::npos)
      << r.out;
}

TEST_F(BrowseTest, UnknownFacetIsAUsageError) {
  for (const char* facets : {"autor", "category,category", "jahr,year"}) {
    const auto r = RunTool("findling-search", {"--db", db_, "--facets", facets, "Bahn"});
    EXPECT_EQ(r.exit_code, 2) << facets;
    EXPECT_NE(r.err.find("facet"), std::string::npos) << r.err;
  }
  const auto r = RunTool("findling-search", {"--db", db_, "--facets", "autor", "Bahn"});
  // "autor" could be a field: the index says it has none of that name.
  EXPECT_NE(r.err.find("unknown facet \"autor\": this index declares no field of that name "
                       "(facets here: category, year)"),
            std::string::npos)
      << r.err;
}

TEST_F(BrowseTest, ServerSortsAndCountsFacets) {
  ASSERT_TRUE(server_->ok());
  const json r = server_->Call(
      R"({"op":"search","q":"Bahn","sort":"date-asc","facets":["category","year"],"facet_limit":1,"id":4})");
  EXPECT_EQ(HitIds(r), (Ids{"bahnstreik", "bahnstrecke", "bahn-bericht"})) << r;
  EXPECT_EQ(r["facets"]["category"], json::parse(R"([{"value":"Verkehr","count":3}])"));
  EXPECT_EQ(r["facets"]["year"], json::parse(R"([{"value":"2024","count":1}])"));
  EXPECT_EQ(r["id"], 4);
  const json list = server_->Call(R"({"op":"search","q":"","category":"politik"})");
  EXPECT_EQ(HitIds(list), (Ids{"koalition", "haushaltsstreit", "wahlrecht"})) << list;
}

TEST_F(BrowseTest, ServerRejectsUnknownSortAndFacetsAndServesTheNextRequest) {
  ASSERT_TRUE(server_->ok());
  struct Row {
    const char* request;
    const char* code;
    const char* message_part;
  };
  const Row rows[] = {
      {R"({"op":"search","q":"Bahn","sort":"neueste"})", "bad_request",
       "relevance, date, date-asc"},
      {R"({"op":"search","q":"Bahn","sort":1})", "bad_request", "\"sort\" must be a string"},
      {R"({"op":"search","q":"Bahn","facets":["autor"]})", "bad_request",
       "unknown facet \"autor\""},
      {R"({"op":"search","q":"Bahn","facets":"category"})", "bad_request", "must be an array"},
      {R"({"op":"search","q":"Bahn","facets":["year"],"facet_limit":0})", "limit_exceeded",
       "facet_limit"},
  };
  for (const Row& row : rows) {
    const json r = server_->Call(row.request);
    ASSERT_TRUE(r.contains("error")) << row.request << " -> " << r;
    EXPECT_EQ(r["error"]["code"], row.code) << row.request;
    EXPECT_NE(r["error"]["message"].get<std::string>().find(row.message_part), std::string::npos)
        << r;
  }
  // One connection: an error, then a good search on the same connection.
  client::ClientOptions options;
  options.timeout = 5s;
  auto client = client::Client::Connect({"127.0.0.1", server_->port()}, options);
  ASSERT_TRUE(client.ok());
  auto bad = client.value()->Call(R"({"op":"search","q":"Bahn","sort":"x"})");
  ASSERT_TRUE(bad.ok());
  auto good = client.value()->Call(R"({"op":"search","q":"Bahn","sort":"date"})");
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(HitIds(json::parse(good.value())), (Ids{"bahnstrecke", "bahnstreik", "bahn-bericht"}));
}

TEST_F(BrowseTest, SearchThroughTheServerPrintsFacetsAndKeepsTheOrder) {
  ASSERT_TRUE(server_->ok());
  const auto r = RunTool("findling-search", {"--server", server_->address(), "--color", "never",
                                             "--sort", "date", "--facets", "year", "Bahn"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto strecke = r.out.find("strecke eröffnet"), streik = r.out.find("streik legt");
  ASSERT_NE(strecke, std::string::npos) << r.out;
  EXPECT_LT(strecke, streik) << r.out;
  EXPECT_NE(r.out.find("\nyear: 2024 1, 2025 1\n"), std::string::npos) << r.out;
  const auto bad =
      RunTool("findling-search", {"--server", server_->address(), "--facets", "autor", "Bahn"});
  EXPECT_EQ(bad.exit_code, 2);
}

}  // namespace
}  // namespace findling
