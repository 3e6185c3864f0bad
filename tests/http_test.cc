// Tests for the HTTP side of findling-server: the pure mapping (percent-
// decoding, targets onto protocol requests, status codes, API keys) as
// tables, then a real server on ephemeral loopback ports driven over raw
// sockets: every endpoint, keep-alive, keys, metrics and the request log,
// and the hostile clients of server_hostile_test.cc (slow loris, oversized
// headers and bodies, garbage, half-closed sockets, many connections).
// Every wait is bounded by a socket timeout of a few seconds.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "server/http_request.h"
#include "server/raw_socket.h"
#include "server/server.h"
#include "tests/running_server.h"
#include "tests/test_index.h"
#include "tests/test_util.h"

namespace findling::server {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using testing::HitIds;
using testing::RunningServer;

// ---------------------------------------------------------------------------
// Percent-decoding, as a table: German text as browsers and curl encode it,
// beside the encodings that must be refused.

struct DecodeRow {
  std::string encoded;
  std::string decoded;  // "ERROR" when it must fail
};

TEST(HttpPercentDecode, GermanTextAndBadEncodings) {
  const std::vector<DecodeRow> rows = {
      {"Stra%C3%9Fe", "Straße"},
      {"Stra%c3%9fe", "Straße"},  // lower-case hex
      {"M%C3%BCnchen+Hauptbahnhof", "München Hauptbahnhof"},
      {"Gr%C3%BC%C3%9Fe%20aus%20K%C3%B6ln", "Grüße aus Köln"},
      {"Straße", "Straße"},  // raw UTF-8 passes through
      {"%22Deutsche+Bahn%22", "\"Deutsche Bahn\""},
      {"Sprach*", "Sprach*"},
      {"a%2Bb", "a+b"},  // an encoded plus stays a plus
      {"", ""},
      {"100%", "ERROR"},       // '%' at the end
      {"%C3", "ERROR"},        // a lone lead byte: not UTF-8
      {"%G1", "ERROR"},        // not hex
      {"%2", "ERROR"},         // one digit
      {"Stra%DFe", "ERROR"},   // Latin-1 ß, not UTF-8
      {"%C0%AF", "ERROR"},     // overlong
      {"%ED%A0%80", "ERROR"},  // a surrogate
  };
  for (const DecodeRow& row : rows) {
    auto decoded = PercentDecode(row.encoded);
    EXPECT_EQ(decoded.ok() ? decoded.value() : "ERROR", row.decoded) << row.encoded;
  }
  EXPECT_EQ(PercentDecode("a+b", /*plus_is_space=*/false).value(), "a+b");
  EXPECT_NE(PercentDecode("Stra%DFe").status().message().find("UTF-8"), std::string::npos);
  EXPECT_NE(PercentDecode("ab%G1").status().message().find("byte 2"), std::string::npos);
}

// ---------------------------------------------------------------------------
// Targets onto requests: the request object printed in a canonical form, so a
// failing row shows what it became.

std::string Describe(const std::variant<HttpTarget, HttpError>& parsed) {
  if (const auto* e = std::get_if<HttpError>(&parsed)) {
    return std::to_string(e->status) + " " + ErrorCodeName(e->code);
  }
  const HttpTarget& t = std::get<HttpTarget>(parsed);
  if (t.route == HttpRoute::kPage) return "page";
  if (t.route == HttpRoute::kMetrics) return "metrics";
  const Request& r = t.request;
  std::string out = OpName(r.op);
  switch (r.op) {
    case Op::kSearch:
      out += " q=" + r.search.query + " limit=" + std::to_string(r.search.limit) +
             " offset=" + std::to_string(r.search.offset);
      if (!r.search.category.empty()) out += " category=" + r.search.category;
      if (!r.search.date_from.empty()) out += " from=" + r.search.date_from;
      if (r.highlight == HighlightStyle::kOffsets) out += " offsets";
      if (!r.search.snippets) out += " nosnippets";
      for (const std::string& f : r.search.facets) out += " facet=" + f;
      break;
    case Op::kGet:
      out += " doc=" + r.doc;
      break;
    case Op::kSuggest:
      out += " q=" + r.text;
      break;
    default:
      break;
  }
  return out;
}

TEST(HttpTarget, MapsOntoTheProtocolRequest) {
  const SearchRequest defaults;
  const std::string limit = " limit=" + std::to_string(defaults.limit) + " offset=0";
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"/search?q=Stra%C3%9Fe", "search q=Straße" + limit},
      {"/search?q=M%C3%BCnchen+Bahnhof&limit=5&offset=10",
       "search q=München Bahnhof limit=5 offset=10"},
      {"/search?q=Regierung&category=politik&date_from=2024-01-01",
       "search q=Regierung" + limit + " category=politik from=2024-01-01"},
      {"/search?q=2024", "search q=2024" + limit},  // q stays text
      {"/search?q=Bayern&highlight=offsets&snippets=false",
       "search q=Bayern" + limit + " offsets nosnippets"},
      {"/search?q=a&&limit=3&", "search q=a limit=3 offset=0"},
      // facets is a list: comma-separated, repeated, or both.
      {"/search?q=a&facets=category", "search q=a" + limit + " facet=category"},
      {"/search?q=a&facets=category,year", "search q=a" + limit + " facet=category facet=year"},
      {"/search?q=a&facets=category&facets=year",
       "search q=a" + limit + " facet=category facet=year"},
      {"/search?q=a&facets=kategorie", "400 bad_request"},  // not a facet
      {"/search?q=a&facets=category,", "400 bad_request"},  // an empty name
      {"/documents/d1", "get doc=d1"},
      {"/documents/dewiki%3ABr%C3%BCcke", "get doc=dewiki:Brücke"},
      {"/documents/a+b", "get doc=a+b"},  // '+' is literal in a path
      {"/suggest?q=Regirung", "suggest q=Regirung"},
      {"/stats", "stats"},
      {"/health", "ping"},
      {"/", "page"},
      {"/metrics", "metrics"},
      // Refused, with the protocol's checks:
      {"/search", "400 bad_request"},                // q is required
      {"/search?q=a&limt=5", "400 bad_request"},     // unknown field, as over NDJSON
      {"/search?q=a&limit=abc", "400 bad_request"},  // not a number
      {"/search?q=a&limit=-1", "400 bad_request"},
      {"/search?q=a&date_from=gestern", "400 bad_request"},
      {"/search?q=a&op=get", "400 bad_request"},  // the path sets the op
      {"/search?q=a&q=b", "400 bad_request"},     // twice: an array, not a string
      {"/search?q=Stra%DFe", "400 bad_request"},  // Latin-1
      {"/search?q=%", "400 bad_request"},
      {"/search?q=a&limit=100000", "search q=a limit=100000 offset=0"},  // the Searcher's cap
      {"/documents/", "404 not_found"},
      {"/documents/d1?doc=d2", "400 bad_request"},
      {"/suche?q=a", "404 not_found"},
      {"/search/extra", "404 not_found"},
  };
  for (const auto& [target, expected] : rows) {
    EXPECT_EQ(Describe(ParseHttpTarget(target)), expected) << target;
  }
}

TEST(HttpTarget, UnknownParametersReachTheHandlerCheck) {
  // A field the NDJSON parser learns later (sort, facets, ...) passes through
  // unchanged; today's parser names it in its error.
  auto parsed = ParseHttpTarget("/search?q=a&frobnicate=1");
  ASSERT_TRUE(std::holds_alternative<HttpError>(parsed));
  EXPECT_NE(std::get<HttpError>(parsed).message.find("frobnicate"), std::string::npos);
}

TEST(HttpStatus, ForEachErrorCode) {
  EXPECT_EQ(HttpStatusFor(ErrorCode::kBadRequest), 400u);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kQuerySyntax), 400u);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kNotFound), 404u);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kOverloaded), 429u);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kTimeout), 503u);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kInternal), 500u);
}

TEST(HttpApiKeys, AcceptsOnlyAListedBearerKey) {
  const ApiKeys keys = ApiKeys::FromKeys({"k1-0123456789abcdef", "k2-fedcba9876543210"});
  EXPECT_TRUE(keys.Accepts("Bearer k1-0123456789abcdef"));
  EXPECT_TRUE(keys.Accepts("Bearer k2-fedcba9876543210"));
  EXPECT_FALSE(keys.Accepts("Bearer k1-0123456789abcdeF"));   // one byte differs
  EXPECT_FALSE(keys.Accepts("Bearer k1-0123456789abcde"));    // a prefix
  EXPECT_FALSE(keys.Accepts("Bearer k1-0123456789abcdef0"));  // longer
  EXPECT_FALSE(keys.Accepts("k1-0123456789abcdef"));          // no scheme
  EXPECT_FALSE(keys.Accepts("Basic k1-0123456789abcdef"));
  EXPECT_FALSE(keys.Accepts(""));
  EXPECT_FALSE(ApiKeys::FromKeys({}).Accepts("Bearer "));
}

TEST(HttpApiKeys, LoadsAFileAndNamesTheBadLine) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/keys";
  std::ofstream(path) << "# Schlüssel für die Redaktion\n\n  k1-0123456789abcdef  \n";
  auto keys = ApiKeys::Load(path);
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  EXPECT_TRUE(keys->Accepts("Bearer k1-0123456789abcdef"));
  std::ofstream(path) << "k1-0123456789abcdef\nkurz\n";
  auto short_key = ApiKeys::Load(path);
  ASSERT_FALSE(short_key.ok());
  EXPECT_NE(short_key.status().message().find(path + ":2"), std::string::npos);
  std::ofstream(path) << "# nur ein Kommentar\n";
  EXPECT_FALSE(ApiKeys::Load(path).ok());
  EXPECT_EQ(ApiKeys::Load(dir.path() + "/missing").status().code(), Status::Code::kIo);
}

// ---------------------------------------------------------------------------
// A real server

const std::vector<SourceDocument> kDocs = {
    {"d1", "Die Straße nach München",
     "Die neue Straße verbindet Augsburg mit München. Der Bau der Straße dauerte drei Jahre.",
     "https://example.org/d1", "2024-03-01", "verkehr"},
    {"d2", "Die Regierung plant ein Gesetz",
     "Die Bundesregierung in Berlin legt ein Gesetz zur künstlichen Intelligenz vor.",
     "https://example.org/d2", "2024-06-15", "politik"},
    {"d3", "Bayern gewinnt in Dortmund",
     "Der FC Bayern München gewinnt das Spiel gegen Borussia Dortmund mit drei zu eins.",
     "https://example.org/d3", "2023-11-20", "sport"},
    {"d4", "Österreich wählt ein neues Parlament",
     "In Österreich wird gewählt. Die neue Regierung muss eine Mehrheit im Parlament finden.",
     "https://example.org/d4", "2024-09-29", "politik"},
};

void BuildIndex(const std::string& path) {
  const Status built = testing::BuildTestIndex(path, testing::SharedAnalyzer(), kDocs);
  ASSERT_TRUE(built.ok()) << built.ToString();
}

// Options for a server over a new index of kDocs in `dir`, with the build's
// lexicon in force: the start of each test of one server option.
ServerOptions OptionsOverNewIndex(const testing::TempDir& dir) {
  testing::UseBuildLexicon();
  BuildIndex(dir.path() + "/db");
  ServerOptions options;
  options.db_paths = {dir.path() + "/db"};
  return options;
}

// A server with HTTP (and NDJSON) on free loopback ports.
std::unique_ptr<RunningServer> StartHttp(ServerOptions options) {
  options.http = true;
  return RunningServer::Start(std::move(options));
}

// A raw TCP connection with a receive timeout, for well-formed and
// ill-formed HTTP alike.
class Socket : public LoopbackSocket {
 public:
  using LoopbackSocket::LoopbackSocket;

  void ShutdownWrite() { ::shutdown(fd(), SHUT_WR); }

  // One response: status, headers (lower-case names) and body; status 0 when
  // the connection closed or timed out first.
  struct Response : RawHttpResponse {
    json Json() const { return json::parse(body, nullptr, false); }
    bool Has(std::string_view header_line) const {
      return headers.find(header_line) != std::string::npos;
    }
  };
  // `head`: the response to a HEAD request, which has no body whatever its
  // Content-Length says.
  Response Read(bool head = false) { return {ReadHttpResponse(fd(), buffer_, head)}; }
  // Whether the server closed the connection (EOF) within the timeout.
  bool ClosedByServer() {
    char c;
    return ::recv(fd(), &c, 1, 0) == 0;
  }

 private:
  std::string buffer_;
};

std::string Get(const std::string& target, const std::string& extra_headers = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + extra_headers + "\r\n";
}

Socket::Response Fetch(std::uint16_t port, const std::string& target,
                       const std::string& extra_headers = "") {
  Socket s(port);
  if (!s.Send(Get(target, extra_headers))) return {};
  return s.Read();
}

class HttpServerTest : public testing::SharedFolderTest<HttpServerTest> {
 protected:
  static void SetUpTestSuite() {
    SetUpFolder();
    BuildIndex(Db());
    ServerOptions options;
    options.db_paths = {Db()};
    options.idle_timeout = 1500ms;  // the slow-loris test waits for it
    options.max_header_bytes = 4096;
    server_ = StartHttp(options);
  }
  void SetUp() override { ASSERT_NE(server_, nullptr); }
  static std::string Db() { return dir_->path() + "/main.db"; }
  static std::uint16_t Port() { return server_->http_port(); }
};

TEST_F(HttpServerTest, SearchFindsAGermanQueryWithMarks) {
  const auto r = Fetch(Port(), "/search?q=Stra%C3%9Fe&limit=5");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.Has("content-type: application/json"));
  const json body = r.Json();
  EXPECT_EQ(HitIds(body), std::vector<std::string>{"d1"});
  EXPECT_NE(body["hits"][0]["snippet"].get<std::string>().find("<mark>Straße</mark>"),
            std::string::npos)
      << body.dump();
}

TEST_F(HttpServerTest, SameResultsAsTheNdjsonShape) {
  const json body = Fetch(Port(), "/search?q=Regierung&category=politik").Json();
  auto ids = HitIds(body);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"d2", "d4"}));
  EXPECT_TRUE(body.contains("total") && body.contains("took_ms") && body.contains("query"));
  EXPECT_EQ(HitIds(Fetch(Port(), "/search?q=Regierung&category=sport").Json()).size(), 0u);
}

TEST_F(HttpServerTest, FiltersSortAndFacetsAsOverNdjson) {
  // Filtered by date: only the newer of the two political articles.
  EXPECT_EQ(
      HitIds(Fetch(Port(), "/search?q=Regierung&date_from=2024-07-01&date_to=2024-12-31").Json()),
      std::vector<std::string>{"d4"});
  EXPECT_EQ(HitIds(Fetch(Port(), "/search?q=Regierung&date_to=2024-07-01").Json()),
            std::vector<std::string>{"d2"});
  // Newest first, and counted per category and year over every match.
  const auto r = Fetch(Port(), "/search?q=Regierung&sort=date&facets=category,year");
  ASSERT_EQ(r.status, 200) << r.body;
  const json body = r.Json();
  EXPECT_EQ(HitIds(body), (std::vector<std::string>{"d4", "d2"}));
  EXPECT_EQ(body["facets"]["category"], json::parse(R"([{"count":2,"value":"politik"}])"));
  EXPECT_EQ(body["facets"]["year"], json::parse(R"([{"count":2,"value":"2024"}])"));
  EXPECT_EQ(HitIds(Fetch(Port(), "/search?q=Regierung&sort=date-asc").Json()),
            (std::vector<std::string>{"d2", "d4"}));
  EXPECT_EQ(Fetch(Port(), "/search?q=Regierung&sort=neueste").status, 400);
}

TEST_F(HttpServerTest, OffsetsInsteadOfMarks) {
  const auto r = Fetch(Port(), "/search?q=Dortmund&highlight=offsets");
  ASSERT_EQ(r.status, 200) << r.body;
  const json body = r.Json();
  ASSERT_EQ(HitIds(body), std::vector<std::string>{"d3"});
  const json& hit = body["hits"][0];
  const std::string snippet = hit["snippet"];
  EXPECT_EQ(snippet.find("<mark>"), std::string::npos);
  ASSERT_FALSE(hit["highlights"].empty());
  const auto start = hit["highlights"][0][0].get<std::size_t>();
  const auto end = hit["highlights"][0][1].get<std::size_t>();
  EXPECT_EQ(snippet.substr(start, end - start), "Dortmund");
}

TEST_F(HttpServerTest, HeadHasTheHeadersWithoutTheBody) {
  Socket s(Port());
  ASSERT_TRUE(s.Send("HEAD /documents/d1 HTTP/1.1\r\nHost: x\r\n\r\n" + Get("/health")));
  const auto head = s.Read(/*head=*/true);
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.Has("content-type: application/json"));
  EXPECT_FALSE(head.Has("content-length: 0"));  // the length of the GET's body
  // The next response follows at once: nothing of a body came in between.
  const auto next = s.Read();
  EXPECT_EQ(next.status, 200);
  EXPECT_EQ(next.Json()["pong"], true);
}

TEST_F(HttpServerTest, ConcurrentKeepAliveClientsGetTheirOwnAnswers) {
  const std::vector<std::pair<std::string, std::string>> queries = {
      {"Bayern", "d3"}, {"Parlament", "d4"}, {"Gesetz", "d2"}, {"Augsburg", "d1"}};
  std::atomic<int> wrong{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 16; ++c) {
    clients.emplace_back([&, c] {
      Socket s(Port());
      for (int i = 0; i < 10; ++i) {
        const auto& [q, id] = queries[(c + i) % queries.size()];
        if (!s.Send(Get("/search?q=" + q)) || HitIds(s.Read().Json()) != std::vector{id}) {
          ++wrong;
        }
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST_F(HttpServerTest, DocumentsSuggestStatsHealth) {
  const auto doc = Fetch(Port(), "/documents/d3");
  ASSERT_EQ(doc.status, 200);
  EXPECT_EQ(doc.Json()["doc"]["title"], "Bayern gewinnt in Dortmund");
  EXPECT_EQ(Fetch(Port(), "/documents/d9").status, 404);
  const auto suggest = Fetch(Port(), "/suggest?q=Regirung");
  ASSERT_EQ(suggest.status, 200);
  EXPECT_EQ(suggest.Json()["suggestion"], "Regierung");
  const auto stats = Fetch(Port(), "/stats");
  ASSERT_EQ(stats.status, 200);
  EXPECT_EQ(stats.Json()["documents"], kDocs.size());
  const auto health = Fetch(Port(), "/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.Json()["pong"], true);
}

TEST_F(HttpServerTest, ErrorsAreJsonWithStatusCodes) {
  struct Row {
    std::string request;
    int status;
    std::string code;
  };
  const std::vector<Row> rows = {
      {Get("/search?q=a&limt=5"), 400, "bad_request"},
      {Get("/search?q=Stra%DFe"), 400, "bad_request"},
      {Get("/search?q=a&limit=100000"), 400, "limit_exceeded"},
      {Get("/search?q=(Regierung&strict=true"), 400, "query_syntax"},
      {Get("/nirgendwo"), 404, "not_found"},
      {"POST /search HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}", 405,
       "method_not_allowed"},
      {"DELETE /documents/d1 HTTP/1.1\r\nHost: x\r\n\r\n", 405, "method_not_allowed"},
  };
  for (const Row& row : rows) {
    Socket s(Port());
    ASSERT_TRUE(s.Send(row.request));
    const auto r = s.Read();
    EXPECT_EQ(r.status, row.status) << row.request << r.body;
    EXPECT_EQ(r.Json()["error"].value("code", "?"), row.code) << row.request << r.body;
    // The connection carries on after an error.
    ASSERT_TRUE(s.Send(Get("/health")));
    EXPECT_EQ(s.Read().status, 200) << row.request;
  }
}

TEST_F(HttpServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  Socket s(Port());
  // Pipelined: all sent before any is read; answered in order.
  std::string batch;
  for (const char* q : {"Bayern", "Parlament", "Gesetz"})
    batch += Get(std::string("/search?q=") + q);
  ASSERT_TRUE(s.Send(batch));
  EXPECT_EQ(HitIds(s.Read().Json()), std::vector<std::string>{"d3"});
  EXPECT_EQ(HitIds(s.Read().Json()), std::vector<std::string>{"d4"});
  EXPECT_EQ(HitIds(s.Read().Json()), std::vector<std::string>{"d2"});
  ASSERT_TRUE(s.Send(Get("/health", "Connection: close\r\n")));
  const auto last = s.Read();
  EXPECT_EQ(last.status, 200);
  EXPECT_TRUE(last.Has("connection: close"));
  EXPECT_TRUE(s.ClosedByServer());
}

TEST_F(HttpServerTest, SearchPageIsServedAsHtml) {
  const auto r = Fetch(Port(), "/");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(r.Has("content-type: text/html"));
  EXPECT_NE(r.body.find("<form id=\"search\""), std::string::npos);
  EXPECT_EQ(r.body.find("http://"), std::string::npos);  // nothing fetched from elsewhere
  EXPECT_EQ(r.body.find("https://"), std::string::npos);
}

TEST_F(HttpServerTest, MetricsCountRequestsByOpAndStatus) {
  ASSERT_EQ(Fetch(Port(), "/search?q=Bayern").status, 200);
  ASSERT_EQ(Fetch(Port(), "/documents/fehlt").status, 404);
  const auto r = Fetch(Port(), "/metrics");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(r.Has("content-type: text/plain; version=0.0.4"));
  for (const char* line :
       {"findling_requests_total{protocol=\"http\",op=\"search\",status=\"ok\"}",
        "findling_requests_total{protocol=\"http\",op=\"get\",status=\"not_found\"}",
        "findling_request_duration_seconds_bucket{protocol=\"http\",op=\"search\",le=\"+Inf\"}",
        "findling_queue_depth 0", "findling_index_documents 4", "findling_index_reopens_total"}) {
    EXPECT_NE(r.body.find(line), std::string::npos) << line << "\n" << r.body;
  }
}

// --- hostile clients ---------------------------------------------------------

TEST_F(HttpServerTest, OversizedHeadersAre431ThenClosed) {
  Socket s(Port());
  ASSERT_TRUE(
      s.Send("GET /health HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(8000, 'a') + "\r\n\r\n"));
  const auto r = s.Read();
  EXPECT_EQ(r.status, 431);
  EXPECT_EQ(r.Json()["error"]["code"], "limit_exceeded");
  EXPECT_TRUE(s.ClosedByServer());
  EXPECT_EQ(Fetch(Port(), "/health").status, 200);
}

TEST_F(HttpServerTest, OversizedBodyIs413ThenClosed) {
  Socket s(Port());
  ASSERT_TRUE(s.Send("GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n" +
                     std::string(1000, 'x')));
  const auto r = s.Read();
  EXPECT_EQ(r.status, 413);
  EXPECT_TRUE(s.ClosedByServer());
}

TEST_F(HttpServerTest, GarbageIs400ThenClosed) {
  for (const std::string& garbage :
       {std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 15),
        std::string("{\"op\":\"search\",\"q\":\"Bayern\"}\r\n\r\n"),
        std::string("GET /health HTTP/9.9\r\n\r\n")}) {
    Socket s(Port());
    ASSERT_TRUE(s.Send(garbage));
    const auto r = s.Read();
    EXPECT_EQ(r.status, 400) << garbage;
    EXPECT_TRUE(s.ClosedByServer());
  }
  EXPECT_EQ(Fetch(Port(), "/health").status, 200);
}

TEST_F(HttpServerTest, SlowLorisIsCutOffWhileOthersAreServed) {
  // Headers dripped slower than the server waits for a whole request.
  Socket loris(Port(), 4000ms);
  ASSERT_TRUE(loris.Send("GET /search?q=Bayern HTTP/1.1\r\n"));
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 4; ++i) {
    std::this_thread::sleep_for(250ms);
    (void)loris.Send("X-Drip: " + std::to_string(i) + "\r\n");
    EXPECT_EQ(Fetch(Port(), "/health").status, 200);  // others unaffected meanwhile
  }
  // 408 and closed at the idle timeout (1.5 s), well before the client's 4 s
  // timeout.
  const auto late = loris.Read();
  EXPECT_EQ(late.status, 408);
  EXPECT_EQ(late.Json()["error"]["code"], "timeout");
  EXPECT_TRUE(loris.ClosedByServer());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3500ms);
}

TEST_F(HttpServerTest, HalfClosedClientStillGetsItsResponse) {
  Socket s(Port());
  ASSERT_TRUE(s.Send(Get("/search?q=Parlament")));
  s.ShutdownWrite();
  const auto r = s.Read();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(HitIds(r.Json()), std::vector<std::string>{"d4"});
}

TEST_F(HttpServerTest, ManyIdleConnectionsDoNotStarveOthers) {
  std::vector<std::unique_ptr<Socket>> idle;
  for (int i = 0; i < 200; ++i) {
    idle.push_back(std::make_unique<Socket>(Port()));
    ASSERT_TRUE(idle.back()->connected());
  }
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Fetch(Port(), "/search?q=Bayern").status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1000ms);
}

// --- options -----------------------------------------------------------------

TEST(HttpServerOptions, KeysGuardEverythingButThePage) {
  testing::TempDir dir;
  ServerOptions options = OptionsOverNewIndex(dir);
  std::ofstream(dir.path() + "/keys") << "redaktion-0123456789abcdef\n";
  options.api_key_file = dir.path() + "/keys";
  auto server = StartHttp(options);
  ASSERT_NE(server, nullptr);
  const std::uint16_t port = server->http_port();
  const auto missing = Fetch(port, "/search?q=Bayern");
  EXPECT_EQ(missing.status, 401);
  EXPECT_TRUE(missing.Has("www-authenticate: bearer"));
  EXPECT_EQ(missing.Json()["error"]["code"], "unauthorized");
  EXPECT_EQ(Fetch(port, "/metrics", "Authorization: Bearer falsch-0123456789abcdef\r\n").status,
            401);
  const auto ok =
      Fetch(port, "/search?q=Bayern", "Authorization: Bearer redaktion-0123456789abcdef\r\n");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(HitIds(ok.Json()), std::vector<std::string>{"d3"});
  EXPECT_EQ(Fetch(port, "/").status, 200);  // the page holds no data
}

TEST(HttpServerOptions, OverTheConnectionCapIs503ThenClosed) {
  testing::TempDir dir;
  ServerOptions options = OptionsOverNewIndex(dir);
  options.max_connections = 1;
  auto server = StartHttp(options);
  ASSERT_NE(server, nullptr);
  Socket first(server->http_port());
  ASSERT_TRUE(first.Send(Get("/health")));
  EXPECT_EQ(first.Read().status, 200);  // the one allowed connection, kept alive
  Socket second(server->http_port());
  const auto refused = second.Read();
  EXPECT_EQ(refused.status, 503);
  EXPECT_TRUE(refused.Has("retry-after: 1"));
  EXPECT_EQ(refused.Json()["error"]["code"], "overloaded");
  EXPECT_TRUE(second.ClosedByServer());
  ASSERT_TRUE(first.Send(Get("/search?q=Bayern")));  // the first is still served
  EXPECT_EQ(HitIds(first.Read().Json()), std::vector<std::string>{"d3"});
}

TEST(HttpServerOptions, OverTheTimeBudgetIs503) {
  testing::TempDir dir;
  ServerOptions options = OptionsOverNewIndex(dir);
  options.query_budget = 0ms;  // every queued request is already late
  auto server = StartHttp(options);
  ASSERT_NE(server, nullptr);
  Socket s(server->http_port());
  ASSERT_TRUE(s.Send(Get("/search?q=Bayern")));
  const auto late = s.Read();
  EXPECT_EQ(late.status, 503);
  EXPECT_TRUE(late.Has("retry-after: 1"));
  EXPECT_EQ(late.Json()["error"]["code"], "timeout");
  ASSERT_TRUE(s.Send(Get("/health")));  // answered without a worker, same connection
  EXPECT_EQ(s.Read().status, 200);
}

// One worker and room for one waiting request: of many searches sent at
// once, those that find the queue full get 429 with Retry-After, the others
// their hits. Which ones is up to the scheduler, so a round where the worker
// kept up is tried again (at most 20 rounds).
TEST(HttpServerOptions, AFullQueueIs429) {
  testing::TempDir dir;
  ServerOptions options = OptionsOverNewIndex(dir);
  options.threads = 1;
  options.max_queued = 1;
  auto server = StartHttp(options);
  ASSERT_NE(server, nullptr);
  int overloaded = 0, other = 0;
  for (int round = 0; round < 20 && overloaded == 0; ++round) {
    std::vector<std::unique_ptr<Socket>> sockets;
    for (int i = 0; i < 24; ++i) sockets.push_back(std::make_unique<Socket>(server->http_port()));
    for (auto& s : sockets) ASSERT_TRUE(s->Send(Get("/search?q=Regierung+OR+Bayern&limit=50")));
    for (auto& s : sockets) {
      const auto r = s->Read();
      if (r.status == 429) {
        ++overloaded;
        EXPECT_TRUE(r.Has("retry-after: 1"));
        EXPECT_EQ(r.Json()["error"]["code"], "overloaded");
      } else if (r.status != 200 || HitIds(r.Json()).size() != 3) {
        ++other;
      }
    }
  }
  EXPECT_GT(overloaded, 0) << "the queue never filled";
  EXPECT_EQ(other, 0);
}

TEST(HttpServerOptions, NonLoopbackWithoutKeysIsRefused) {
  testing::TempDir dir;
  ServerOptions options;
  options.db_paths = {dir.path() + "/db"};
  options.http = true;
  options.http_host = "0.0.0.0";
  options.allow_remote = true;  // NDJSON's switch does not open HTTP
  auto server = Server::Create(options);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), Status::Code::kInvalidInput);
  EXPECT_NE(server.status().message().find("--api-key-file"), std::string::npos);
}

// The executable: --http alone, keys, and one JSON log line per request that
// never holds the key.
TEST(HttpServerExecutable, LogsEachRequestWithoutTheKey) {
  testing::UseBuildLexicon();
  testing::TempDir dir;
  BuildIndex(dir.path() + "/db");
  const std::string key = "geheim-0123456789abcdef";
  std::ofstream(dir.path() + "/keys") << key << "\n";
  const std::string log = dir.path() + "/stderr";
  const std::string binary = std::string(FINDLING_BINARY_DIR) + "/findling-server";
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (!freopen(log.c_str(), "w", stderr)) _exit(127);
    execl(binary.c_str(), binary.c_str(), "--db", (dir.path() + "/db").c_str(), "--http",
          "127.0.0.1:0", "--api-key-file", (dir.path() + "/keys").c_str(), "--log-requests",
          "--threads", "1", static_cast<char*>(nullptr));
    _exit(127);
  }
  const auto read_log = [&log] {
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  };
  int port = 0;
  for (int i = 0; i < 200 && port == 0; ++i) {  // at most 10 s
    const std::string text = read_log();
    if (const auto at = text.find("HTTP on http://127.0.0.1:"); at != std::string::npos) {
      port = std::atoi(text.c_str() + at + 25);
    } else {
      std::this_thread::sleep_for(50ms);
    }
  }
  ASSERT_GT(port, 0) << read_log();
  EXPECT_EQ(read_log().find("listening on"), std::string::npos);  // no NDJSON without --listen
  const auto p = static_cast<std::uint16_t>(port);
  EXPECT_EQ(Fetch(p, "/search?q=Stra%C3%9Fe", "Authorization: Bearer " + key + "\r\n").status, 200);
  EXPECT_EQ(Fetch(p, "/search?q=Stra%C3%9Fe", "Authorization: Bearer falsch\r\n").status, 401);
  const int status = testing::TerminateChild(pid, "findling-server");
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  const std::string text = read_log();
  EXPECT_EQ(text.find("geheim"), std::string::npos) << text;
  EXPECT_EQ(text.find("falsch"), std::string::npos) << text;
  std::vector<json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] == '{') lines.push_back(json::parse(line, nullptr, false));
  }
  ASSERT_EQ(lines.size(), 2u) << text;
  EXPECT_EQ(lines[0]["op"], "search");
  EXPECT_EQ(lines[0]["status"], 200);
  EXPECT_EQ(lines[0]["query_bytes"], 7);  // "Straße" in UTF-8
  EXPECT_TRUE(lines[0]["latency_ms"].is_number());
  EXPECT_TRUE(lines[0]["ts"].get<std::string>().ends_with("Z"));
  EXPECT_EQ(lines[1]["status"], 401);
  EXPECT_EQ(lines[1]["code"], "unauthorized");
}

TEST(HttpServerExecutable, NonLoopbackWithoutKeysExitsWithUsageStatus) {
  const auto result =
      testing::RunTool("findling-server", {"--db", "/nonexistent", "--http", "0.0.0.0:0"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--api-key-file"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace findling::server
