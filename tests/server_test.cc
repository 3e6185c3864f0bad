// Tests for findling-server (server/): the request parser as a table, then
// the real server on an ephemeral loopback port with real sockets.
//
// The parser table prints each parsed line in a canonical form
// ("search q=... limit=5 ..." or "bad_request id=7"), so a failing row shows
// the difference. The socket tests start the server in-process on a thread
// (port 0, read back) over a small index of German documents built here with
// DocumentBuilder/IndexWriter. Every wait is bounded by the client timeout.
#include "server/server.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "client/client.h"
#include "searcher/hit_printer.h"
#include "searcher/searcher.h"
#include "server/handler.h"
#include "server/protocol.h"
#include "server/worker_pool.h"
#include "tests/running_server.h"
#include "tests/test_index.h"
#include "tests/test_util.h"

namespace findling::server {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using client::Client;
using client::ClientOptions;
using client::SearchViaServer;
using testing::HitIds;
using testing::RunningServer;

// ---------------------------------------------------------------------------
// ParseRequest, as a table

std::string Describe(const std::variant<Request, ProtocolError>& parsed) {
  if (const auto* e = std::get_if<ProtocolError>(&parsed)) {
    return std::string(ErrorCodeName(e->code)) + (e->id ? " id=" + e->id->dump() : "");
  }
  const Request& r = std::get<Request>(parsed);
  std::string out = OpName(r.op);
  if (r.id) out += " id=" + r.id->dump();
  switch (r.op) {
    case Op::kSearch: {
      const SearchRequest& s = r.search;
      out += " q=" + s.query + " limit=" + std::to_string(s.limit) +
             " offset=" + std::to_string(s.offset);
      if (!s.category.empty()) out += " category=" + s.category;
      if (!s.date_from.empty() || !s.date_to.empty()) {
        out += " date=" + s.date_from + ".." + s.date_to;
      }
      out += " snippet_chars=" + std::to_string(s.snippet_chars);
      out += r.highlight == HighlightStyle::kOffsets ? " offsets" : " mark";
      if (s.parse_mode == ParseMode::kStrict) out += " strict";
      if (s.explain) out += " explain";
      if (!s.snippets) out += " no-snippets";
      break;
    }
    case Op::kGet:
      out += " doc=" + r.doc;
      break;
    case Op::kSuggest:
      out += " q=" + r.text;
      break;
    case Op::kStats:
    case Op::kPing:
      break;
  }
  return out;
}

struct ParseRow {
  const char* name;
  std::string line;
  std::string expected;
};

// ctest and failure messages show the row's line, not its bytes.
void PrintTo(const ParseRow& row, std::ostream* os) { *os << row.line; }

class ParseRequestTest : public ::testing::TestWithParam<ParseRow> {};

TEST_P(ParseRequestTest, Parses) {
  RequestLimits limits;
  limits.max_suggest_words = 3;
  EXPECT_EQ(Describe(ParseRequest(GetParam().line, limits)), GetParam().expected)
      << GetParam().line;
}

const ParseRow kParseRows[] = {
    // Every op, with defaults filled in.
    {"Ping", R"({"op":"ping"})", "ping"},
    {"Stats", R"({"op":"stats"})", "stats"},
    {"Get", R"({"op":"get","doc":"d1"})", "get doc=d1"},
    {"Suggest", R"({"op":"suggest","q":"Regirung"})", "suggest q=Regirung"},
    {"SearchDefaults", R"({"op":"search","q":"Sprachmodell"})",
     "search q=Sprachmodell limit=10 offset=0 snippet_chars=200 mark"},
    {"SearchAllFields",
     R"({"op":"search","q":"Sprachmodell","limit":5,"offset":2,"category":"technik",)"
     R"("date_from":"2024-01-01","date_to":"2024-12-31","snippet_chars":80,)"
     R"("highlight":"offsets","strict":true,"explain":true,"snippets":false})",
     "search q=Sprachmodell limit=5 offset=2 category=technik date=2024-01-01..2024-12-31 "
     "snippet_chars=80 offsets strict explain no-snippets"},
    {"SearchEmptyQueryIsAllowed", R"({"op":"search","q":"","category":"sport"})",
     "search q= limit=10 offset=0 category=sport snippet_chars=200 mark"},
    // The id is echoed whatever its JSON type, also with errors.
    {"IdNumber", R"({"op":"ping","id":7})", "ping id=7"},
    {"IdString", R"({"id":"a-1","op":"stats"})", "stats id=\"a-1\""},
    {"IdKeptOnBadRequest", R"({"op":"nope","id":[1,2]})", "bad_request id=[1,2]"},
    // Not JSON, or not an object.
    {"Truncated", R"({"op":"se)", "bad_json"},
    {"Empty", "", "bad_json"},
    {"Array", R"([{"op":"ping"}])", "bad_json"},
    {"BareString", R"("ping")", "bad_json"},
    {"InvalidUtf8", "{\"op\":\"search\",\"q\":\"\xff\"}", "bad_json"},
    {"TooDeep", R"({"op":"ping","id":[[[[[[[[[[1]]]]]]]]]]})", "bad_json"},
    // Wrong op or fields.
    {"MissingOp", R"({"q":"x"})", "bad_request"},
    {"OpNotString", R"({"op":1})", "bad_request"},
    {"UnknownOp", R"({"op":"delete","doc":"d1"})", "bad_request"},
    {"UnknownField", R"({"op":"search","q":"x","limt":5})", "bad_request"},
    {"FieldOfAnotherOp", R"({"op":"ping","q":"x"})", "bad_request"},
    {"MissingQuery", R"({"op":"search"})", "bad_request"},
    {"QueryNotString", R"({"op":"search","q":5})", "bad_request"},
    {"LimitString", R"({"op":"search","q":"x","limit":"5"})", "bad_request"},
    {"LimitNegative", R"({"op":"search","q":"x","limit":-1})", "bad_request"},
    {"LimitFloat", R"({"op":"search","q":"x","limit":5.0})", "bad_request"},
    {"StrictNotBool", R"({"op":"search","q":"x","strict":1})", "bad_request"},
    {"HighlightUnknown", R"({"op":"search","q":"x","highlight":"bold"})", "bad_request"},
    {"DateNotIso", R"({"op":"search","q":"x","date_from":"1.1.2024"})", "bad_request"},
    // Issue 16: the calendar decides, as it does for documents and date: filters.
    {"DateNotInCalendar", R"({"op":"search","q":"x","date_from":"2024-02-30"})", "bad_request"},
    {"DateToNotALeapDay", R"({"op":"search","q":"x","date_to":"2023-02-29"})", "bad_request"},
    {"DateLeapDay", R"({"op":"search","q":"x","date_to":"2024-02-29"})",
     "search q=x limit=10 offset=0 date=..2024-02-29 snippet_chars=200 mark"},
    {"GetEmptyDoc", R"({"op":"get","doc":""})", "bad_request"},
    // Caps checked before any work is queued.
    {"LimitBeyond32Bits", R"({"op":"search","q":"x","limit":5000000000})", "limit_exceeded"},
    {"SnippetTooLong", R"({"op":"search","q":"x","snippet_chars":1000000})", "limit_exceeded"},
    {"SuggestTooManyWords", R"({"op":"suggest","q":"a b c d"})", "limit_exceeded"},
    {"SuggestAtWordCap", R"({"op":"suggest","q":"a b c"})", "suggest q=a b c"},
};

INSTANTIATE_TEST_SUITE_P(Table, ParseRequestTest, ::testing::ValuesIn(kParseRows),
                         [](const auto& info) { return std::string(info.param.name); });

// ---------------------------------------------------------------------------
// IsHeavy: which requests go to the workers' heavy lane

TEST(ServerHeavyLaneTest, WildcardsAndLongQueriesAreHeavy) {
  const auto heavy = [](const std::string& line) {
    auto parsed = ParseRequest(line);
    EXPECT_TRUE(std::holds_alternative<Request>(parsed)) << line;
    return std::holds_alternative<Request>(parsed) && IsHeavy(std::get<Request>(parsed));
  };
  EXPECT_TRUE(heavy(R"({"op":"search","q":"Sprach*"})"));
  EXPECT_TRUE(heavy(R"({"op":"search","q":"a* b* d* g* k* m* s* t*"})"));
  EXPECT_TRUE(heavy(json{{"op", "search"}, {"q", "Regierung (Sprach** OR Chip)"}}.dump()));
  EXPECT_TRUE(heavy(R"({"op":"search","q":"title:Bay*"})"));
  EXPECT_TRUE(heavy(R"({"op":"search","q":"C*-Algebra"})"));  // errs on the heavy side
  std::string words;
  for (std::size_t i = 0; i < kHeavyWords; ++i) words += " w" + std::to_string(i);
  EXPECT_FALSE(heavy(json{{"op", "search"}, {"q", words}}.dump()));
  EXPECT_TRUE(heavy(json{{"op", "search"}, {"q", words + " more"}}.dump()));
  EXPECT_FALSE(heavy(json{{"op", "search"}, {"q", words + "  \t "}}.dump()));

  EXPECT_FALSE(heavy(R"({"op":"search","q":"Regierung Gesetz"})"));
  EXPECT_FALSE(heavy(json{{"op", "search"}, {"q", "* Regierung ( * ) \"*\""}}.dump()));  // no word
  EXPECT_FALSE(heavy(R"({"op":"search","q":"","category":"sport"})"));
  EXPECT_FALSE(heavy(R"({"op":"get","doc":"a*"})"));
  EXPECT_FALSE(heavy(R"({"op":"suggest","q":"a*"})"));
}

// ---------------------------------------------------------------------------
// A small German index and a server over it

const std::vector<SourceDocument> kDocs = {
    {"d1", "Sprachmodelle in der Schule",
     "Ein Sprachmodell hilft Schülern beim Schreiben von Aufsätzen. Die Regierung prüft den "
     "Einsatz im Unterricht.",
     "https://example.org/d1", "2024-03-01", "technik"},
    {"d2", "Die Regierung plant ein Gesetz",
     "Die Bundesregierung in Berlin legt ein Gesetz zur künstlichen Intelligenz vor. Die "
     "Regierung will Sprachmodelle prüfen lassen.",
     "https://example.org/d2", "2024-06-15", "politik"},
    {"d3", "Bayern gewinnt in Dortmund",
     "Der FC Bayern München gewinnt das Spiel gegen Borussia Dortmund mit drei zu eins.",
     "https://example.org/d3", "2023-11-20", "sport"},
    {"d4", "Österreich wählt ein neues Parlament",
     "In Österreich wird gewählt. Die neue Regierung muss eine Mehrheit im Parlament finden.",
     "https://example.org/d4", "2024-09-29", "politik"},
    {"d5", "Chips für Rechenzentren",
     "Neue Grafikkarten beschleunigen das Training großer Sprachmodelle in Rechenzentren.",
     "https://example.org/d5", "2025-01-10", "technik"},
};

// Builds an index of `docs` at `path` with the analyzer the tests share.
void BuildIndex(const std::string& path, const std::vector<SourceDocument>& docs) {
  const Status built = testing::BuildTestIndex(path, testing::SharedAnalyzer(), docs);
  ASSERT_TRUE(built.ok()) << built.ToString();
}

std::unique_ptr<Client> Connect(const HostPort& address) {
  ClientOptions options;
  options.timeout = 5s;  // bounds every wait in these tests
  auto client = Client::Connect(address, options);
  EXPECT_TRUE(client.ok()) << client.status().ToString();
  return client.ok() ? std::move(client).value() : nullptr;
}

// The response to one request line, parsed; {"client_error": ...} when the
// connection failed, so assertions show what happened.
json Parsed(const Result<std::string>& line) {
  if (!line.ok()) return {{"client_error", line.status().ToString()}};
  json r = json::parse(line.value(), nullptr, /*allow_exceptions=*/false);
  if (!r.is_object()) return {{"client_error", "not a JSON object: " + line.value()}};
  return r;
}

json Call(Client& client, const std::string& request) { return Parsed(client.Call(request)); }

json Read(Client& client) { return Parsed(client.ReadLine()); }

std::string ErrorCodeOf(const json& response) {
  if (response.contains("client_error")) return "client_error: " + response.dump();
  if (!response.contains("error")) return "none";
  return response["error"].value("code", "?");
}

class ServerTest : public testing::SharedFolderTest<ServerTest> {
 protected:
  static void SetUpTestSuite() {
    SetUpFolder();
    BuildIndex(Db(), kDocs);
    ServerOptions options;
    options.db_paths = {Db()};
    server_ = RunningServer::Start(options);
  }
  void SetUp() override { ASSERT_NE(server_, nullptr); }

  static std::string Db() { return dir_->path() + "/main.db"; }
  static HostPort Address() { return server_->host_port(); }
};

// ---------------------------------------------------------------------------
// Every op

TEST_F(ServerTest, PingAnswersPong) {
  auto client = Connect(Address());
  ASSERT_TRUE(client);
  EXPECT_EQ(Call(*client, R"({"op":"ping"})"), json::parse(R"({"pong":true})"));
}

TEST_F(ServerTest, SearchReturnsRankedHitsWithMarkedSnippets) {
  auto client = Connect(Address());
  ASSERT_TRUE(client);
  const json r = Call(*client, R"({"op":"search","q":"Sprachmodell","limit":5})");
  ASSERT_EQ(ErrorCodeOf(r), "none") << r.dump();
  EXPECT_GE(r["total"].get<int>(), 3);  // d1, d2, d5 (Sprachmodell, Sprachmodelle)
  const auto ids = HitIds(r);
  ASSERT_GE(ids.size(), 3u);
  EXPECT_NE(std::find(ids.begin(), ids.end(), "d1"), ids.end());
  EXPECT_EQ(std::find(ids.begin(), ids.end(), "d3"), ids.end()) << "football matched";
  EXPECT_EQ(r["hits"][0]["rank"], 1);
  EXPECT_NE(r["hits"][0]["snippet"].get<std::string>().find("<mark>"), std::string::npos);
  EXPECT_TRUE(r.contains("took_ms"));
}

TEST_F(ServerTest, SearchFiltersByCategoryAndDate) {
  auto client = Connect(Address());
  ASSERT_TRUE(client);
  const json r = Call(*client, R"({"op":"search","q":"Regierung","category":"politik",)"
                               R"("date_from":"2024-07-01","date_to":"2024-12-31"})");
  EXPECT_EQ(HitIds(r), std::vector<std::string>{"d4"}) << r.dump();
}

TEST_F(ServerTest, SearchWithOffsetsGivesPlainSnippetAndRanges) {
  auto client = Connect(Address());
  ASSERT_TRUE(client);
  const json r = Call(*client, R"({"op":"search","q":"Dortmund","highlight":"offsets"})");
  ASSERT_EQ(HitIds(r), std::vector<std::string>{"d3"}) << r.dump();
  const json& hit = r["hits"][0];
  const std::string snippet = hit["snippet"];
  EXPECT_EQ(snippet.find("<mark>"), std::string::npos);
  ASSERT_FALSE(hit["highlights"].empty());
  const auto start = hit["highlights"][0][0].get<std::size_t>();
  const auto end = hit["highlights"][0][1].get<std::size_t>();
  EXPECT_EQ(snippet.substr(start, end - start), "Dortmund");
  EXPECT_FALSE(hit["title_highlights"].empty());
}

TEST_F(ServerTest, GetReturnsTheStoredDocument) {
  auto client = Connect(Address());
  ASSERT_TRUE(client);
  const json r = Call(*client, R"({"op":"get","doc":"d2"})");
  EXPECT_EQ(r["doc"]["title"], "Die Regierung plant ein Gesetz") << r.dump();
  EXPECT_EQ(r["doc"]["date"], "2024-06-15");
  EXPECT_EQ(ErrorCodeOf(Call(*client, R"({"op":"get","doc":"d99"})")), "not_found");
}

TEST_F(ServerTest, SuggestCorrectsAMisspelledWord) {
  auto client = Connect(Address());
  ASSERT_TRUE(client);
  const json r = Call(*client, R"({"op":"suggest","q":"Regirung"})");
  EXPECT_EQ(r["suggestion"], "Regierung") << r.dump();
  ASSERT_EQ(r["words"].size(), 1u);
  EXPECT_EQ(r["words"][0]["word"], "Regirung");
  EXPECT_EQ(r["words"][0]["suggestions"][0], "regierung");
  EXPECT_EQ(r["words"][0]["matches"], 0);
  // A correctly spelled query needs no suggestion.
  EXPECT_EQ(Call(*client, R"({"op":"suggest","q":"Regierung"})")["suggestion"], "");
  // The misspelled word is corrected even though the other one finds documents.
  const json mixed = Call(*client, R"({"op":"suggest","q":"Bayern  Regirung"})");
  EXPECT_EQ(mixed["suggestion"], "Bayern  Regierung") << mixed.dump();
  EXPECT_GT(mixed["words"][0]["matches"].get<int>(), 0);
}

TEST_F(ServerTest, StatsReportsIndexAndTraffic) {
  auto client = Connect(Address());
  ASSERT_TRUE(client);
  Call(*client, R"({"op":"search","q":"Bayern"})");
  const json r = Call(*client, R"({"op":"stats"})");
  EXPECT_EQ(r["documents"], kDocs.size()) << r.dump();
  EXPECT_GT(r["index_bytes"].get<std::uint64_t>(), 0u);
  EXPECT_GE(r["requests"].get<std::uint64_t>(), 1u);
  EXPECT_GE(r["connections"].get<std::uint64_t>(), 1u);
  EXPECT_GE(r["uptime_s"].get<double>(), 0.0);
  for (const char* p : {"p50", "p95", "p99"}) {
    EXPECT_GE(r["latency_ms"][p].get<double>(), 0.0) << p;
  }
  EXPECT_LE(r["latency_ms"]["p50"].get<double>(), r["latency_ms"]["p99"].get<double>());
  EXPECT_EQ(r["threads"], 2);
  EXPECT_EQ(r["heavy"]["max"], 1) << r.dump();  // threads - 1
  EXPECT_EQ(r["heavy"]["running"], 0) << r.dump();
  EXPECT_EQ(r["heavy"]["queued"], 0) << r.dump();
  const std::uint64_t run = r["heavy"]["run"].get<std::uint64_t>();
  EXPECT_TRUE(Call(*client, R"({"op":"search","q":"Bay*"})").contains("hits"));
  EXPECT_EQ(Call(*client, R"({"op":"stats"})")["heavy"]["run"], run + 1);
}

TEST_F(ServerTest, WorkerPoolKeepsAWorkerFreeFromHeavyTasks) {
  WorkerPoolOptions options;
  options.threads = 2;  // max_heavy defaults to 1
  auto pool = WorkerPool::Create({Db()}, {}, options);
  ASSERT_TRUE(pool.ok()) << pool.status().ToString();
  WorkerPool& p = *pool.value();
  EXPECT_EQ(p.max_heavy(), 1u);
  // Two heavy tasks that block until released: one runs, one must wait, and
  // an ordinary task still runs on the other worker meanwhile.
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  int heavy_started = 0, heavy_done = 0;
  bool ordinary_ran = false;
  const auto heavy_task = [&](Searcher&) {
    std::unique_lock<std::mutex> lock(mu);
    ++heavy_started;
    cv.notify_all();
    cv.wait_for(lock, 10s, [&] { return release; });
    ++heavy_done;
    cv.notify_all();
  };
  ASSERT_TRUE(p.TrySubmit(heavy_task, Lane::kHeavy));
  ASSERT_TRUE(p.TrySubmit(heavy_task, Lane::kHeavy));
  ASSERT_TRUE(p.TrySubmit(
      [&](Searcher&) {
        std::lock_guard<std::mutex> lock(mu);
        ordinary_ran = true;
        cv.notify_all();
      },
      Lane::kOrdinary));
  {
    std::unique_lock<std::mutex> lock(mu);
    EXPECT_TRUE(cv.wait_for(lock, 10s, [&] { return ordinary_ran && heavy_started == 1; }));
  }
  // The second heavy task is still waiting, not running on the free worker.
  std::this_thread::sleep_for(50ms);
  const WorkerPool::Load load = p.load();
  EXPECT_EQ(load.heavy_running, 1u);
  EXPECT_EQ(load.heavy_queued, 1u);
  {
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_EQ(heavy_started, 1);
    release = true;
  }
  cv.notify_all();
  p.Stop();  // drains the waiting heavy task
  EXPECT_EQ(heavy_done, 2);
  EXPECT_EQ(p.load().heavy_run, 2u);
}

TEST_F(ServerTest, ErrorsHaveDistinctCodesAndKeepTheConnection) {
  auto client = Connect(Address());
  ASSERT_TRUE(client);
  EXPECT_EQ(ErrorCodeOf(Call(*client, R"({"op":"search","q":"\"offen","strict":true})")),
            "query_syntax");
  EXPECT_EQ(ErrorCodeOf(Call(*client, R"({"op":"search","q":"x","limit":100000})")),
            "limit_exceeded");
  EXPECT_EQ(ErrorCodeOf(Call(*client, R"({"op":"frobnicate"})")), "bad_request");
  EXPECT_EQ(ErrorCodeOf(Call(*client, R"({"op":"search","q":)")), "bad_json");
  // Lenient mode repairs the same query instead.
  EXPECT_EQ(ErrorCodeOf(Call(*client, R"({"op":"search","q":"\"offen"})")), "none");
  EXPECT_EQ(Call(*client, R"({"op":"ping"})")["pong"], true);
}

// Issue 16: an impossible date is a bad_request that says why, and the
// connection goes on.
TEST_F(ServerTest, ImpossibleDateIsABadRequestAndTheConnectionGoesOn) {
  auto client = Connect(Address());
  ASSERT_TRUE(client);
  const json bad = Call(*client, R"({"op":"search","q":"Regierung","date_from":"2024-02-30"})");
  EXPECT_EQ(ErrorCodeOf(bad), "bad_request");
  EXPECT_EQ(bad["error"]["message"],
            "\"date_from\" must be a date YYYY-MM-DD: \"2024-02-30\" is not a day in the calendar "
            "(February 2024 has no day 30)");
  const json good = Call(*client, R"({"op":"search","q":"Regierung","category":"politik",)"
                                  R"("date_from":"2024-07-01","date_to":"2024-12-31"})");
  EXPECT_EQ(HitIds(good), std::vector<std::string>{"d4"}) << good.dump();
}

TEST_F(ServerTest, MalformedJsonThenAGoodRequestOnTheSameConnection) {
  auto client = Connect(Address());
  ASSERT_TRUE(client);
  const json bad = Call(*client, R"({"op":"search", "q": "Bayern)");
  EXPECT_EQ(ErrorCodeOf(bad), "bad_json");
  EXPECT_NE(bad["error"]["message"].get<std::string>().find("byte"), std::string::npos);
  EXPECT_EQ(HitIds(Call(*client, R"({"op":"search","q":"Bayern"})")),
            std::vector<std::string>{"d3"});
}

TEST_F(ServerTest, UnknownOpThenAGoodRequest) {
  auto client = Connect(Address());
  ASSERT_TRUE(client);
  const json r = Call(*client, R"({"op":"delete","doc":"d1","id":"x"})");
  EXPECT_EQ(ErrorCodeOf(r), "bad_request");
  EXPECT_EQ(r["id"], "x");
  EXPECT_EQ(Call(*client, R"({"op":"get","doc":"d1"})")["doc"]["id"], "d1");
}

TEST_F(ServerTest, IdIsEchoedOnSuccessAndError) {
  auto client = Connect(Address());
  ASSERT_TRUE(client);
  EXPECT_EQ(Call(*client, R"({"op":"ping","id":42})")["id"], 42);
  EXPECT_EQ(Call(*client, R"({"op":"search","q":"Bayern","id":"q-1"})")["id"], "q-1");
  EXPECT_EQ(Call(*client, R"({"op":"get","doc":"nope","id":{"n":1}})")["id"],
            json::parse(R"({"n":1})"));
  EXPECT_FALSE(Call(*client, R"({"op":"ping"})").contains("id"));
}

TEST_F(ServerTest, BlankLinesAreSkipped) {
  auto client = Connect(Address());
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->Send("\n  \r\n{\"op\":\"ping\",\"id\":1}\r\n").ok());
  EXPECT_EQ(Read(*client)["id"], 1);
}

// ---------------------------------------------------------------------------
// Pipelining and concurrency

TEST_F(ServerTest, TenPipelinedRequestsAnswerInOrder) {
  auto client = Connect(Address());
  ASSERT_TRUE(client);
  // Slow and fast ops mixed, so workers finish out of order.
  const char* kOps[] = {R"("op":"search","q":"Sprachmodell Regierung","limit":20)",
                        R"("op":"ping")", R"("op":"get","doc":"d3")",
                        R"("op":"suggest","q":"Regirung")", R"("op":"search","q":"x","limit":-1)"};
  std::string batch;
  for (int i = 0; i < 10; ++i) batch += "{\"id\":" + std::to_string(i) + "," + kOps[i % 5] + "}\n";
  ASSERT_TRUE(client->Send(batch).ok());  // one write
  for (int i = 0; i < 10; ++i) {
    const json r = Read(*client);
    EXPECT_EQ(r["id"], i) << r.dump();
  }
}

TEST_F(ServerTest, FiftyConcurrentClients) {
  constexpr int kClients = 50, kRequests = 4;
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      ClientOptions options;
      options.timeout = 10s;
      auto client = Client::Connect(Address(), options);
      if (!client.ok()) return;
      for (int i = 0; i < kRequests; ++i) {
        const std::string id = std::to_string(c) + "/" + std::to_string(i);
        const char* q = (c + i) % 2 ? "Regierung" : "Sprachmodell";
        auto line = client.value()->Call(R"({"op":"search","q":")" + std::string(q) +
                                         R"(","id":")" + id + "\"}");
        if (!line.ok()) return;
        const json r = json::parse(line.value(), nullptr, false);
        if (r.value("id", "") == id && r.contains("hits") && !r["hits"].empty()) ++good;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(good.load(), kClients * kRequests);
}

TEST_F(ServerTest, ClientThatDoesNotReadCannotGrowTheServer) {
  ServerOptions options;
  options.db_paths = {Db()};
  options.max_in_flight = 4;
  auto server = RunningServer::Start(options);
  ASSERT_TRUE(server);
  auto client = Connect(server->host_port());
  ASSERT_TRUE(client);
  // 200 requests at once; the server reads at most 4 ahead of what it has
  // written, so this only works if reading resumes as responses drain.
  std::string batch;
  for (int i = 0; i < 200; ++i) batch += "{\"op\":\"ping\",\"id\":" + std::to_string(i) + "}\n";
  ASSERT_TRUE(client->Send(batch).ok());
  for (int i = 0; i < 200; ++i) ASSERT_EQ(Read(*client)["id"], i);
}

// ---------------------------------------------------------------------------
// Limits

TEST_F(ServerTest, LineAtTheCapIsServedOneByteMoreIsAnErrorAndClose) {
  ServerOptions options;
  options.db_paths = {Db()};
  options.max_line_bytes = 1024;
  auto server = RunningServer::Start(options);
  ASSERT_TRUE(server);
  auto client = Connect(server->host_port());
  ASSERT_TRUE(client);
  std::string at_cap = R"({"op":"ping","id":1})";
  at_cap.insert(1, 1024 - at_cap.size(), ' ');  // JSON allows the padding
  ASSERT_EQ(at_cap.size(), 1024u);
  EXPECT_EQ(Call(*client, at_cap)["id"], 1);

  // A megabyte without a newline: the server must not buffer it all.
  const json r = Call(*client, "{\"op\":\"search\",\"q\":\"" + std::string(1 << 20, 'x') + "\"}");
  EXPECT_EQ(ErrorCodeOf(r), "line_too_long") << r.dump().substr(0, 200);
  const auto after = client->ReadLine();
  EXPECT_FALSE(after.ok());
  EXPECT_NE(after.status().message().find("closed"), std::string::npos) << after.status().message();
}

TEST_F(ServerTest, StalledHalfLineDoesNotBlockOthersAndTimesOut) {
  ServerOptions options;
  options.db_paths = {Db()};
  options.idle_timeout = 1000ms;
  auto server = RunningServer::Start(options);
  ASSERT_TRUE(server);
  auto stalled = Connect(server->host_port());
  ASSERT_TRUE(stalled);
  ASSERT_TRUE(stalled->Send(R"({"op":"search","q":"Ba)").ok());

  const auto start = std::chrono::steady_clock::now();
  auto other = Connect(server->host_port());
  ASSERT_TRUE(other);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(HitIds(Call(*other, R"({"op":"search","q":"Bayern"})")),
              std::vector<std::string>{"d3"});
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 900ms) << "the stall blocked a client";

  const json r = Read(*stalled);
  EXPECT_EQ(ErrorCodeOf(r), "timeout") << r.dump();
  EXPECT_FALSE(stalled->ReadLine().ok()) << "connection should be closed";
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST_F(ServerTest, OverTheConnectionCapIsOverloaded) {
  ServerOptions options;
  options.db_paths = {Db()};
  options.max_connections = 2;
  auto server = RunningServer::Start(options);
  ASSERT_TRUE(server);
  auto a = Connect(server->host_port()), b = Connect(server->host_port());
  ASSERT_TRUE(a && b);
  EXPECT_EQ(Call(*a, R"({"op":"ping"})")["pong"], true);  // both accepted by now
  EXPECT_EQ(Call(*b, R"({"op":"ping"})")["pong"], true);
  auto c = Connect(server->host_port());
  ASSERT_TRUE(c);
  EXPECT_EQ(ErrorCodeOf(Read(*c)), "overloaded");
  EXPECT_FALSE(c->ReadLine().ok());
  // Once one leaves, a new client gets in.
  a.reset();
  for (int attempt = 0; attempt < 50; ++attempt) {
    auto d = Connect(server->host_port());
    ASSERT_TRUE(d);
    if (Call(*d, R"({"op":"ping"})").value("pong", false)) return;
    std::this_thread::sleep_for(20ms);
  }
  ADD_FAILURE() << "no new connection accepted after one closed";
}

TEST_F(ServerTest, TimeBudgetExceededIsTimeout) {
  ServerOptions options;
  options.db_paths = {Db()};
  options.query_budget = 0ms;  // every queued request is already late
  auto server = RunningServer::Start(options);
  ASSERT_TRUE(server);
  auto client = Connect(server->host_port());
  ASSERT_TRUE(client);
  EXPECT_EQ(ErrorCodeOf(Call(*client, R"({"op":"search","q":"Bayern"})")), "timeout");
  EXPECT_EQ(Call(*client, R"({"op":"ping"})")["pong"], true);  // answered without a worker
}

TEST_F(ServerTest, NonLoopbackAddressNeedsAllowRemote) {
  ServerOptions options;
  options.db_paths = {Db()};
  options.host = "0.0.0.0";
  options.port = 0;
  auto server = Server::Create(options);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), Status::Code::kInvalidInput);
  EXPECT_NE(server.status().message().find("--allow-remote"), std::string::npos);
}

TEST_F(ServerTest, MissingIndexFailsToStart) {
  ServerOptions options;
  options.db_paths = {dir_->path() + "/nothing-here"};
  options.port = 0;
  auto server = Server::Create(options);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), Status::Code::kNotFound);
}

// ---------------------------------------------------------------------------
// Indexes

TEST_F(ServerTest, SeveralIndexesAreSearchedAsOne) {
  testing::TempDir dir;
  BuildIndex(dir.path() + "/a.db", {kDocs[0], kDocs[1]});
  BuildIndex(dir.path() + "/b.db", {kDocs[2]});
  ServerOptions options;
  options.db_paths = {dir.path() + "/a.db", dir.path() + "/b.db"};
  auto server = RunningServer::Start(options);
  ASSERT_TRUE(server);
  auto client = Connect(server->host_port());
  ASSERT_TRUE(client);
  EXPECT_EQ(HitIds(Call(*client, R"({"op":"search","q":"Bayern OR Gesetz"})")).size(), 2u);
  EXPECT_EQ(Call(*client, R"({"op":"stats"})")["documents"], 3);
}

TEST_F(ServerTest, DocumentsAddedWhileServingAppearWithinSeconds) {
  testing::TempDir dir;
  const std::string db = dir.path() + "/live.db";
  BuildIndex(db, kDocs);
  ServerOptions options;
  options.db_paths = {db};
  auto server = RunningServer::Start(options);
  ASSERT_TRUE(server);
  auto client = Connect(server->host_port());
  ASSERT_TRUE(client);
  const std::string query = R"({"op":"search","q":"Zeppelin"})";
  EXPECT_TRUE(HitIds(Call(*client, query)).empty());

  // As findling-index would: a writer on the folder the server reads.
  BuildIndex(db, {{"d6", "Zeppelin über dem Bodensee", "Ein Zeppelin fliegt über Friedrichshafen.",
                   "", "2025-02-01", "technik"}});
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < 3s) {
    if (HitIds(Call(*client, query)) == std::vector<std::string>{"d6"}) return;
    std::this_thread::sleep_for(100ms);
  }
  ADD_FAILURE() << "new document not found within 3 s";
}

// ---------------------------------------------------------------------------
// Shutdown

TEST_F(ServerTest, ShutdownWhileBusyAnswersWhatWasReadThenCloses) {
  ServerOptions options;
  options.db_paths = {Db()};
  auto server = RunningServer::Start(options);
  ASSERT_TRUE(server);
  std::vector<std::unique_ptr<Client>> clients;
  std::string batch;
  for (int i = 0; i < 30; ++i) {
    batch += R"({"op":"search","q":"Regierung Sprachmodell","limit":50,"id":)" + std::to_string(i) +
             "}\n";
  }
  for (int c = 0; c < 4; ++c) {
    clients.push_back(Connect(server->host_port()));
    ASSERT_TRUE(clients.back());
    ASSERT_EQ(Call(*clients.back(), R"({"op":"ping"})")["pong"], true);  // surely accepted
    ASSERT_TRUE(clients.back()->Send(batch).ok());
  }
  // The first answer on each connection shows its batch is being served.
  for (auto& client : clients) ASSERT_EQ(Read(*client)["id"], 0);
  const auto took = server->Stop();
  EXPECT_TRUE(server->run_ok());
  EXPECT_LT(took, 5s);
  // Each client got a prefix of its answers, in order and whole, then EOF.
  for (auto& client : clients) {
    int next = 1;
    for (;;) {
      auto line = client->ReadLine();
      if (!line.ok()) {
        EXPECT_NE(line.status().message().find("closed"), std::string::npos)
            << line.status().message();
        break;
      }
      const json r = json::parse(line.value(), nullptr, false);
      ASSERT_EQ(r.value("id", -1), next) << line.value().substr(0, 200);
      EXPECT_TRUE(r.contains("hits"));
      ++next;
    }
    EXPECT_LE(next, 30);
  }
  // Nothing listens any more.
  ClientOptions quick;
  quick.timeout = 1s;
  EXPECT_FALSE(Client::Connect(server->host_port(), quick).ok());
}

// ---------------------------------------------------------------------------
// The client side: findling-search --server prints what a local search prints

std::string Printed(const SearchResponse& response, const SearchRequest& request) {
  SearchResponse r = response;
  r.took_ms = 0;  // the only field that differs between two runs
  char* buffer = nullptr;
  std::size_t size = 0;
  std::FILE* out = open_memstream(&buffer, &size);
  PrintResponse(r, request, PrintOptions{}, out);
  std::fclose(out);
  std::string text(buffer, size);
  std::free(buffer);
  return text;
}

TEST_F(ServerTest, RemoteSearchPrintsLikeALocalSearch) {
  auto local = Searcher::Open({Db()});
  ASSERT_TRUE(local.ok());
  for (const char* q : {"Sprachmodell", "Regierung Parlament", "Regirung", "\"offen"}) {
    SCOPED_TRACE(q);
    SearchRequest request;
    request.query = q;
    auto want = local.value()->Search(request);
    ASSERT_TRUE(want.ok());
    auto got = SearchViaServer(Address().ToString(), request, HighlightStyle::kOffsets);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(Printed(got.value(), request), Printed(want.value(), request));
  }
  SearchRequest strict;
  strict.query = "\"offen";
  strict.parse_mode = ParseMode::kStrict;
  EXPECT_EQ(SearchViaServer(Address().ToString(), strict, HighlightStyle::kMark).status().code(),
            Status::Code::kInvalidInput);
  EXPECT_EQ(SearchViaServer("127.0.0.1:1", strict, HighlightStyle::kMark).status().code(),
            Status::Code::kIo);
}

// Everything but the last line, which reports the time taken.
std::string WithoutTiming(const std::string& out) {
  const auto last = out.rfind('\n', out.size() >= 2 ? out.size() - 2 : 0);
  return last == std::string::npos ? "" : out.substr(0, last);
}

TEST_F(ServerTest, SearchToolWithServerPrintsLikeWithDb) {
  for (const char* q : {"Sprachmodell", "Regirung"}) {
    SCOPED_TRACE(q);
    const auto local = testing::RunTool("findling-search", {"--db", Db(), q});
    const auto remote = testing::RunTool("findling-search", {"--server", Address().ToString(), q});
    EXPECT_EQ(remote.exit_code, local.exit_code) << remote.err;
    EXPECT_EQ(WithoutTiming(remote.out), WithoutTiming(local.out));
    EXPECT_FALSE(WithoutTiming(local.out).empty());
  }
  // --json prints the server's response line as it came.
  const auto json_out = testing::RunTool(
      "findling-search", {"--server", Address().ToString(), "--json", "--limit", "2", "Bayern"});
  EXPECT_EQ(json_out.exit_code, 0) << json_out.err;
  const json r = json::parse(json_out.out, nullptr, false);
  EXPECT_EQ(HitIds(r), std::vector<std::string>{"d3"}) << json_out.out;
  const auto strict = testing::RunTool(
      "findling-search", {"--server", Address().ToString(), "--json", "--strict", "\"offen"});
  EXPECT_EQ(strict.exit_code, 2);
  EXPECT_EQ(ErrorCodeOf(json::parse(strict.out, nullptr, false)), "query_syntax") << strict.out;
  const auto down = testing::RunTool("findling-search", {"--server", "127.0.0.1:1", "x"});
  EXPECT_EQ(down.exit_code, 3);
  EXPECT_NE(down.err.find("findling-server"), std::string::npos) << down.err;
}

// The executable: prints its address, serves, and exits 0 on SIGTERM.
TEST_F(ServerTest, ExecutableStopsCleanlyOnSigterm) {
  int err_pipe[2];
  ASSERT_EQ(pipe(err_pipe), 0);
  const std::string binary = std::string(FINDLING_BINARY_DIR) + "/findling-server";
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    dup2(err_pipe[1], STDERR_FILENO);
    close(err_pipe[0]);
    close(err_pipe[1]);
    execl(binary.c_str(), binary.c_str(), "--db", Db().c_str(), "--listen", "127.0.0.1:0",
          "--threads", "1", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(err_pipe[1]);
  // "findling-server: listening on 127.0.0.1:PORT\n", within a few seconds.
  std::string err;
  pollfd p{err_pipe[0], POLLIN, 0};
  while (err.find('\n') == std::string::npos && poll(&p, 1, 10000) > 0) {
    char chunk[256];
    const ssize_t n = read(err_pipe[0], chunk, sizeof chunk);
    if (n <= 0) break;
    err.append(chunk, static_cast<std::size_t>(n));
  }
  const auto at = err.find("listening on ");
  if (at != std::string::npos) {
    auto address = ParseHostPort(err.substr(at + 13, err.find('\n', at) - at - 13));
    ASSERT_TRUE(address.ok()) << err;
    auto client = Connect(address.value());
    ASSERT_TRUE(client);
    EXPECT_EQ(Call(*client, R"({"op":"ping"})")["pong"], true);
  } else {
    ADD_FAILURE() << "no address printed: " << err;
  }
  const int status = testing::TerminateChild(pid, "findling-server");
  close(err_pipe[0]);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
}

}  // namespace
}  // namespace findling::server
