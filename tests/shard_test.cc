// Tests for searching shards (searcher/shards.h, Searcher over several
// databases): the --db forms as a table, then the corpus/ articles indexed
// once as one index and once as two shards (findling-index --shards 2
// --keep-shards: a XAPIANDB stub over shard-00, shard-01), which must give the same hits in the
// same order with the same scores, locally and through xapian-tcpsrv shard servers on loopback. The
// remote tests start xapian-tcpsrv on free 127.0.0.1 ports (skipped when it is not installed),
// stop, kill and restart shards, and bound every wait by short shard time-outs and the client
// time-out.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "client/client.h"
#include "common/index_schema.h"
#include "searcher/searcher.h"
#include "searcher/shards.h"
#include "server/server.h"
#include "tests/running_server.h"
#include "tests/test_util.h"

namespace findling {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

// ---------------------------------------------------------------------------
// ExpandShards, as a table: what a --db argument (or a stub line) names

std::string Describe(const Result<std::vector<ShardSpec>>& shards, const std::string& dir) {
  if (!shards.ok()) {
    std::string m = shards.status().message();
    for (std::size_t at; (at = m.find(dir)) != std::string::npos;) m.replace(at, dir.size(), "D");
    return std::string(Status::CodeName(shards.status().code())) + ": " + m;
  }
  std::string out;
  for (const ShardSpec& s : shards.value()) {
    std::string name = s.Name();
    if (name.rfind(dir, 0) == 0) name = "D" + name.substr(dir.size());
    out += (out.empty() ? "" : " ") + name;
  }
  return out;
}

struct ExpandRow {
  const char* name;
  std::vector<std::string> args;  // "D" is replaced by the test folder
  const char* stub;               // D/sharded/XAPIANDB, or nullptr
  const char* expected;
};

class ExpandShardsTest : public ::testing::TestWithParam<ExpandRow> {};

TEST_P(ExpandShardsTest, Names) {
  const ExpandRow& row = GetParam();
  testing::TempDir dir;
  fs::create_directories(dir.path() + "/plain.db");
  fs::create_directories(dir.path() + "/sharded");
  if (row.stub != nullptr) dir.File("sharded/XAPIANDB", row.stub);
  std::vector<std::string> args;
  for (std::string arg : row.args) {
    if (arg.rfind("D", 0) == 0) arg = dir.path() + arg.substr(1);
    args.push_back(arg);
  }
  EXPECT_EQ(Describe(ExpandShards(args), dir.path()), row.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ExpandShardsTest,
    ::testing::Values(
        // A plain index folder is one shard, as always.
        ExpandRow{"PlainFolder", {"D/plain.db"}, nullptr, "D/plain.db"},
        // A sharded folder: its stub's lines, relative to the stub.
        ExpandRow{"StubLocal",
                  {"D/sharded"},
                  "glass shard-00\nglass shard-01\n",
                  "D/sharded/shard-00 D/sharded/shard-01"},
        ExpandRow{
            "StubFileItself", {"D/sharded/XAPIANDB"}, "auto shard-00\n", "D/sharded/shard-00"},
        ExpandRow{"StubCommentsAndBlanks",
                  {"D/sharded"},
                  "# two hosts\n\nremote 10.0.0.7:7801\n  remote shard-b.example:7802  \n",
                  "remote:10.0.0.7:7801 remote:shard-b.example:7802"},
        // remote:HOST:PORT on the command line, mixed with local folders.
        ExpandRow{"RemoteAndLocal",
                  {"remote:127.0.0.1:7801", "D/plain.db"},
                  nullptr,
                  "remote:127.0.0.1:7801 D/plain.db"},
        // Not shards: each error names the argument, or the stub file and line.
        ExpandRow{"RemoteWithoutPort",
                  {"remote:127.0.0.1"},
                  nullptr,
                  "invalid_input: --db remote:127.0.0.1: expected remote:HOST:PORT"},
        ExpandRow{"RemotePortZero",
                  {"remote:host:0"},
                  nullptr,
                  "invalid_input: --db remote:host:0: expected remote:HOST:PORT"},
        ExpandRow{"Missing",
                  {"D/nope.db"},
                  nullptr,
                  "not_found: no index at D/nope.db (build one with: findling-index --db "
                  "D/nope.db FILES...)"},
        ExpandRow{"StubBadPort",
                  {"D/sharded"},
                  "glass shard-00\nremote host:port\n",
                  "invalid_input: D/sharded/XAPIANDB:2: expected \"remote HOST:PORT\", found "
                  "\"remote host:port\""},
        ExpandRow{"StubRemoteProgram",
                  {"D/sharded"},
                  "remote :xapian-progsrv db\n",
                  "invalid_input: D/sharded/XAPIANDB:1: expected \"glass PATH\" or \"remote "
                  "HOST:PORT\", found \"remote :xapian-progsrv db\""},
        ExpandRow{"StubEmpty",
                  {"D/sharded"},
                  "# nothing yet\n",
                  "invalid_input: D/sharded/XAPIANDB lists no shards"}),
    [](const ::testing::TestParamInfo<ExpandRow>& info) { return std::string(info.param.name); });

// ---------------------------------------------------------------------------
// The corpus as one index and as two shards

// xapian-tcpsrv serving one shard on a free loopback port, in its own process
// group: it forks a child per connection, and kill() must reach those too.
class ShardServer {
 public:
  ShardServer(std::string db, int port) : db_(std::move(db)), port_(port) { Start(); }
  ~ShardServer() { Kill(); }
  ShardServer(const ShardServer&) = delete;
  ShardServer& operator=(const ShardServer&) = delete;

  static bool Available() { return std::system("command -v xapian-tcpsrv >/dev/null 2>&1") == 0; }

  // A port that was free a moment ago (xapian-tcpsrv has no "port 0").
  static int FreePort() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    close(fd);
    return ntohs(addr.sin_port);
  }

  // Starts (again) and waits, at most 5 s, until it accepts connections.
  void Start() {
    pid_ = fork();
    if (pid_ == 0) {
      setpgid(0, 0);
      const std::string port = std::to_string(port_);
      execlp("xapian-tcpsrv", "xapian-tcpsrv", "--interface", "127.0.0.1", "--port", port.c_str(),
             "--quiet", db_.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    setpgid(pid_, pid_);
    for (int i = 0; i < 250; ++i) {
      if (Accepts()) return;
      std::this_thread::sleep_for(20ms);
    }
    ADD_FAILURE() << "xapian-tcpsrv on port " << port_ << " did not start";
  }
  void Stop() { kill(-pid_, SIGSTOP); }  // alive but silent: a slow shard
  void Kill() {
    if (pid_ <= 0) return;
    kill(-pid_, SIGKILL);
    kill(-pid_, SIGCONT);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  std::string Name() const { return "remote:127.0.0.1:" + std::to_string(port_); }

 private:
  bool Accepts() const {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port_));
    const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    close(fd);
    return ok;
  }
  std::string db_;
  int port_;
  pid_t pid_ = -1;
};

// findling-index --db DB --quiet FLAGS... INPUTS..., as a user builds an
// index (findling-index writes the stub and routes by ShardOfId); a run
// that fails fails the test.
void Index(const std::string& db, const std::vector<std::string>& flags,
           const std::vector<std::string>& inputs) {
  std::vector<std::string> args = {"--db", db, "--quiet"};
  args.insert(args.end(), flags.begin(), flags.end());
  args.insert(args.end(), inputs.begin(), inputs.end());
  const auto built = testing::RunTool("findling-index", args);
  ASSERT_EQ(built.exit_code, 0) << built.err;
}

// xapian-tcpsrv over shard-00 and shard-01 of the sharded index `sharded`,
// each on a free port.
std::vector<std::unique_ptr<ShardServer>> ServeShards(const std::string& sharded) {
  std::vector<std::unique_ptr<ShardServer>> servers;
  for (const char* shard : {"00", "01"}) {
    servers.push_back(
        std::make_unique<ShardServer>(sharded + "/shard-" + shard, ShardServer::FreePort()));
  }
  return servers;
}

class ShardTest : public testing::SharedFolderTest<ShardTest> {
 protected:
  static void SetUpTestSuite() {
    SetUpFolder();
    // Three undated reports beside two dated ones on the same subject, so that
    // "Hochwasser" sorted by date shows where undated documents go.
    const std::string undated = dir_->File(
        "undated.jsonl",
        R"({"id": "hochwasser-pegel-koeln", "title": "Hochwasser: Pegel in Köln steigt weiter", "date": "2024-06-03", "category": "panorama", "text": "Das Hochwasser am Rhein erreicht Köln, die Altstadt schützt sich mit mobilen Wänden."}
{"id": "hochwasser-deich-passau", "title": "Passau verstärkt die Deiche", "date": "2025-01-20", "category": "panorama", "text": "Nach dem Hochwasser im Sommer baut Passau die Deiche an Donau und Inn höher."}
{"id": "hochwasser-ratgeber-keller", "title": "Ratgeber: Wenn das Hochwasser in den Keller kommt", "category": "panorama", "text": "Strom abschalten, Heizöl sichern, Fotos für die Versicherung: was nach einem Hochwasser im Keller zu tun ist."}
{"id": "hochwasser-chronik-elbe", "title": "Chronik der Elbe-Hochwasser", "category": "panorama", "text": "Von der Flut 2002 bis heute: die großen Hochwasser an der Elbe in Zahlen."}
{"id": "hochwasser-schule-projekt", "title": "Schüler bauen ein Hochwasser-Modell", "category": "bildung", "text": "Im Projektunterricht zeigt ein Modell aus Sand und Wasser, wie ein Hochwasser entsteht."}
)");
    const std::vector<std::string> inputs = {testing::SourceDir() + "/corpus/news-2024.jsonl",
                                             testing::SourceDir() + "/corpus/news-2025.jsonl",
                                             undated};
    // The same articles once as one index and once as two kept shards.
    Index(Single(), {"--shards", "1"}, inputs);
    Index(Sharded(), {"--shards", "2", "--keep-shards"}, inputs);
    ASSERT_TRUE(fs::exists(Sharded() + "/XAPIANDB") && fs::exists(Sharded() + "/shard-01"));
  }

  static std::string Single() { return dir_->path() + "/single.db"; }
  static std::string Sharded() { return dir_->path() + "/sharded"; }

  static std::unique_ptr<Searcher> Open(const std::vector<std::string>& dbs,
                                        const SearcherOptions& options = {}) {
    auto opened = Searcher::Open(dbs, options);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

};

// The hits of a search in a canonical form: "total N" then "id score" lines.
// Scores are printed to 12 significant digits: each shard sums a document's
// term weights in its own order (Xapian arranges an OR by each database's
// bounds), so the last bits of a many-word score may differ (10.37314970757061
// against 10.373149707570608); everything else is compared exactly.
std::string Ranking(Searcher& searcher, const std::string& query, std::uint32_t limit = 20) {
  SearchRequest request;
  request.query = query;
  request.limit = limit;
  request.snippets = false;
  auto r = searcher.Search(request);
  if (!r.ok()) return "error: " + r.status().ToString();
  std::string out = "total " + std::to_string(r->total) + "\n";
  char score[32];
  for (const Hit& h : r->hits) {
    std::snprintf(score, sizeof score, "%.12g", h.score);
    out += h.id + " " + score + "\n";
  }
  return out;
}

// Queries of every kind Findling builds: each must rank the same on one
// index, on two local shards and on two remote shards.
const char* const kQueries[] = {
    "Sprachmodell Liang Wenfeng",         // words (all-words-first)
    "Wasserstoff",                        // one word, also a compound part
    "Straße Hamburg Europa Wahl Verein",  // many words (BM25 alone), ties likely
    "\"römische Straße\"",                // phrase
    "\"Chip Beschränkungen\"",            // phrase over compound parts
    "Sprach*",                            // prefix
    "Hitze* OR Sonne*",                   // two prefixes, OR
    "Rente kategorie:schweiz",            // category filter
    "kategorie:sport",                    // filter only: every score ties
    "date:2025 Wahl",                     // date filter
    "Förderung NOT Auto",                 // NOT
    "titel:Basel",                        // title field
    "Halbleiterwerk",                     // compound
    "Frauenfussball",                     // umlaut / ß spelling
    "Oberbürgermeisterin",                // compound
};

TEST_F(ShardTest, TwoLocalShardsRankLikeOneIndex) {
  auto single = Open({Single()});
  auto sharded = Open({Sharded()});
  ASSERT_TRUE(single && sharded);
  ASSERT_TRUE(sharded->document_count().ok() && single->document_count().ok());
  EXPECT_EQ(sharded->document_count().value(), single->document_count().value());
  EXPECT_EQ(single->document_count().value(), 43u);
  for (const char* query : kQueries) {
    const std::string expected = Ranking(*single, query);
    EXPECT_NE(expected.find('\n', expected.find('\n') + 1), std::string::npos)
        << query << " finds nothing: the comparison would prove nothing";
    EXPECT_EQ(Ranking(*sharded, query), expected) << query;
  }
}

// Browsing over shards: sorted by date and with facet counts, as a user of
// --sort and --facets sees them. Each row's page and counts must be those of
// the one index; facets count every match, so the counts are exact.
struct BrowseRow {
  const char* query;
  SortOrder sort;
  std::vector<std::string> facets;
};

const BrowseRow kBrowseRows[] = {
    {"Regierung", SortOrder::kDateDesc, {}},
    {"Stadt", SortOrder::kDateAsc, {}},
    {"kategorie:politik", SortOrder::kDateAsc, {}},  // filter only
    {"Wasserstoff", SortOrder::kRelevance, {"category", "year"}},
    {"Regierung", SortOrder::kDateDesc, {"year"}},
    {"date:2025", SortOrder::kRelevance, {"category"}},
    {"Hochwasser", SortOrder::kDateAsc, {}},  // undated after the dated, both ways
    {"Hochwasser", SortOrder::kDateDesc, {}},
};

// Each facet on a line of its own: "name: value=count ...".
std::string FacetLines(const std::vector<FacetCounts>& facets) {
  std::string out;
  for (const FacetCounts& f : facets) {
    out += f.name + ":";
    for (const FacetValue& v : f.values) out += " " + v.value + "=" + std::to_string(v.count);
    out += "\n";
  }
  return out;
}

std::string Browse(Searcher& searcher, const BrowseRow& row) {
  SearchRequest request;
  request.query = row.query;
  request.sort = row.sort;
  request.facets = row.facets;
  request.limit = 8;
  request.snippets = false;
  auto r = searcher.Search(request);
  if (!r.ok()) return "error: " + r.status().ToString();
  std::string out = "total " + std::to_string(r->total) + "\n";
  for (const Hit& h : r->hits) out += h.id + " " + h.date + "\n";
  return out + FacetLines(r->facets);
}

TEST_F(ShardTest, SortByDateAndFacetsOverShardsLikeOneIndex) {
  auto single = Open({Single()});
  auto sharded = Open({Sharded()});
  ASSERT_TRUE(single && sharded);
  for (const BrowseRow& row : kBrowseRows) {
    const std::string expected = Browse(*single, row);
    ASSERT_EQ(expected.find("error"), std::string::npos) << row.query << ": " << expected;
    // Two hits at least, or the order proves nothing.
    EXPECT_GE(std::count(expected.begin(), expected.end(), '\n'), 3) << row.query;
    EXPECT_EQ(Browse(*sharded, row), expected) << row.query;
  }
  // Undated documents come after every dated one, oldest first or newest
  // first: the dated three in date order, then the three undated ones.
  const std::string undated =
      "hochwasser-chronik-elbe \nhochwasser-ratgeber-keller \nhochwasser-schule-projekt \n";
  const auto dated_then_undated = [](const std::string& page) {
    const std::size_t first_undated = page.find(" \n") == std::string::npos
                                          ? page.size()
                                          : page.rfind('\n', page.find(" \n")) + 1;
    std::vector<std::string> rest;
    for (std::size_t at = first_undated; at < page.size(); at = page.find('\n', at) + 1) {
      rest.push_back(page.substr(at, page.find('\n', at) + 1 - at));
    }
    std::sort(rest.begin(), rest.end());
    std::string out = page.substr(0, first_undated) + "then:\n";
    for (const std::string& line : rest) out += line;
    return out;
  };
  EXPECT_EQ(dated_then_undated(Browse(*sharded, kBrowseRows[6])),
            "total 6\nhochwasser-pegel-koeln 2024-06-03\nhochwasser-deich-passau 2025-01-20\n"
            "hitzewelle-sonnenschein-mensch-tier 2025-07-01\nthen:\n" +
                undated);
  EXPECT_EQ(dated_then_undated(Browse(*sharded, kBrowseRows[7])),
            "total 6\nhitzewelle-sonnenschein-mensch-tier 2025-07-01\n"
            "hochwasser-deich-passau 2025-01-20\nhochwasser-pegel-koeln 2024-06-03\nthen:\n" +
                undated);
  // A known count, so that equal counts cannot both be empty.
  SearchRequest request;
  request.query = "kategorie:sport";
  request.facets = {"category"};
  auto r = sharded->Search(request);
  ASSERT_TRUE(r.ok() && r->facets.size() == 1 && !r->facets[0].values.empty());
  EXPECT_EQ(r->facets[0].values[0].value, "sport");
  EXPECT_EQ(r->facets[0].values[0].count, r->total);
}

TEST_F(ShardTest, GetSuggestAndSnippetsSeeEveryShard) {
  auto single = Open({Single()});
  auto sharded = Open({Sharded()});
  ASSERT_TRUE(single && sharded);
  // One id from each shard.
  for (const char* id : {"deepseek-v3-liang-wenfeng", "wien-gemeindebau-mieten",
                         "roemerstrasse-ausgrabung-ladenburg", "eishockey-playoffs-aufsteiger"}) {
    auto doc = sharded->Get(id);
    ASSERT_TRUE(doc.ok()) << id << ": " << doc.status().ToString();
    EXPECT_EQ(doc->title, single->Get(id)->title);
  }
  EXPECT_EQ(sharded->Get("nicht-da").status().code(), Status::Code::kNotFound);
  EXPECT_EQ(sharded->SuggestWord("Sprachmodel").value(),
            single->SuggestWord("Sprachmodel").value());
  SearchRequest request;
  request.query = "Sprachmodel";  // misspelt: a suggestion from the vocabulary of both shards
  auto r = sharded->Search(request);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->suggestion, "Sprachmodell");
  request.query = "Rechenleistung";
  r = sharded->Search(request);
  ASSERT_TRUE(r.ok() && !r->hits.empty());
  EXPECT_NE(r->hits[0].snippet.Marked("[", "]", false).find("[Rechenleistung"), std::string::npos)
      << r->hits[0].snippet.text;
}

TEST_F(ShardTest, ShardOfAnotherAnalysisIsRefusedByName) {
  testing::TempDir other;
  const auto built =
      testing::RunTool("findling-index", {"--db", other.path() + "/x.db", "--no-decompound",
                                          testing::SourceDir() + "/corpus/news-2024.jsonl"});
  if (built.exit_code != 0) GTEST_SKIP() << "findling-index has no --no-decompound: " << built.err;
  auto opened = Searcher::Open({Sharded(), other.path() + "/x.db"});
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), Status::Code::kIncompatible);
  EXPECT_NE(opened.status().message().find(other.path() + "/x.db"), std::string::npos)
      << opened.status().message();
}

// ---------------------------------------------------------------------------
// Remote shards through xapian-tcpsrv

class RemoteShardTest : public ShardTest {
 protected:
  void SetUp() override {
    if (!ShardServer::Available()) GTEST_SKIP() << "xapian-tcpsrv is not installed (xapian-tools)";
    servers_ = ServeShards(Sharded());
  }
  std::vector<std::string> RemoteDbs() const { return {servers_[0]->Name(), servers_[1]->Name()}; }
  // Short time-outs and retries keep these tests quick.
  static SearcherOptions Quick(bool allow_partial) {
    SearcherOptions options;
    options.shard_timeouts.connect = 500ms;
    options.shard_timeouts.read = 300ms;
    options.shard_retry_interval = 50ms;
    options.allow_partial = allow_partial;
    return options;
  }
  // A server with one worker over the two remote shards.
  server::ServerOptions ServerOverRemotes(const SearcherOptions& searcher) const {
    server::ServerOptions options;
    options.db_paths = RemoteDbs();
    options.threads = 1;
    options.searcher = searcher;
    return options;
  }
  // A client of `server` that waits at most 5 s for any answer.
  static Result<std::unique_ptr<client::Client>> Connect(const testing::RunningServer& server) {
    client::ClientOptions options;
    options.timeout = 5s;
    return client::Client::Connect(server.host_port(), options);
  }
  std::vector<std::unique_ptr<ShardServer>> servers_;
};

TEST_F(RemoteShardTest, TwoRemoteShardsRankLikeOneIndex) {
  auto single = Open({Single()});
  auto remote = Open(RemoteDbs());
  ASSERT_TRUE(single && remote);
  // The hits, not the total: over the remote protocol Xapian's total is an
  // estimate from each shard's bounds (22 where the local count says 30 for
  // a five-word OR); get_matches_estimated() promises no more.
  const auto hits = [](const std::string& ranking) { return ranking.substr(ranking.find('\n')); };
  for (const char* query : kQueries) {
    EXPECT_EQ(hits(Ranking(*remote, query)), hits(Ranking(*single, query))) << query;
  }
  for (const BrowseRow& row : kBrowseRows) {
    const auto hits = [](const std::string& page) { return page.substr(page.find('\n')); };
    EXPECT_EQ(hits(Browse(*remote, row)), hits(Browse(*single, row))) << row.query;
  }
  auto doc = remote->Get("deepseek-v3-liang-wenfeng");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_NE(doc->text.find("Liang Wenfeng"), std::string::npos);
}

TEST_F(RemoteShardTest, StubWithARemoteAndALocalShard) {
  testing::TempDir dir;
  dir.File("XAPIANDB",
           "glass " + Sharded() + "/shard-00\nremote " + servers_[1]->Name().substr(7) + "\n");
  auto single = Open({Single()});
  auto mixed = Open({dir.path()});
  ASSERT_TRUE(single && mixed);
  for (const char* query : {"Sprachmodell Liang Wenfeng", "Sprach*", "kategorie:sport"}) {
    EXPECT_EQ(Ranking(*mixed, query), Ranking(*single, query)) << query;
  }
}

TEST_F(RemoteShardTest, ShardDownAtOpenIsNamedAndExitsThree) {
  const std::string down = servers_[1]->Name();
  servers_[1]->Kill();
  auto opened = Searcher::Open(RemoteDbs(), Quick(false));
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), Status::Code::kUnavailable);
  EXPECT_NE(opened.status().message().find(down), std::string::npos) << opened.status().message();
  const auto cli = testing::RunTool(
      "findling-search",
      {"--db", RemoteDbs()[0], "--db", down, "--shard-connect-timeout", "0.5", "Wasserstoff"});
  EXPECT_EQ(cli.exit_code, 3);
  EXPECT_NE(cli.err.find(down), std::string::npos) << cli.err;
  // With --allow-partial the CLI answers from the other shard and says so.
  const auto partial = testing::RunTool(
      "findling-search",
      {"--db", RemoteDbs()[0], "--db", down, "--allow-partial", "--json", "kategorie:sport"});
  EXPECT_LE(partial.exit_code, 1) << partial.err;
  EXPECT_NE(partial.err.find(down), std::string::npos) << partial.err;
  EXPECT_EQ(json::parse(partial.out).value("missing_shards", json::array()), json::array({down}));
}

TEST_F(RemoteShardTest, SlowShardIsAnErrorOrPartialNeverAHang) {
  auto strict = Open(RemoteDbs(), Quick(false));
  auto partial = Open(RemoteDbs(), Quick(true));
  ASSERT_TRUE(strict && partial);
  const std::string all = Ranking(*strict, "kategorie:sport");
  servers_[1]->Stop();
  const auto started = std::chrono::steady_clock::now();
  SearchRequest request;
  request.query = "kategorie:sport";
  auto failed = strict->Search(request);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), Status::Code::kUnavailable);
  EXPECT_NE(failed.status().message().find(servers_[1]->Name()), std::string::npos)
      << failed.status().message();
  auto answered = partial->Search(request);
  ASSERT_TRUE(answered.ok()) << answered.status().ToString();
  EXPECT_EQ(answered->missing_shards, std::vector<std::string>{servers_[1]->Name()});
  EXPECT_GT(answered->hits.size(), 0u);
  // Two searches, each at most a read time-out, a reconnect and a retry.
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  servers_[1]->Kill();
}

// The server over two remote shards: a shard killed while a query waits for
// it, the next request on the same connection, then the shard restarted.
TEST_F(RemoteShardTest, ServerSurvivesAShardKilledAndRestarted) {
  server::ServerOptions options = ServerOverRemotes(Quick(false));
  options.reopen_interval = 10ms;
  auto srv = testing::RunningServer::Start(options);
  ASSERT_NE(srv, nullptr);
  auto client = Connect(*srv);
  ASSERT_TRUE(client.ok());
  auto call = [&client](const std::string& line) {
    auto reply = client.value()->Call(line);
    return reply.ok() ? json::parse(reply.value())
                      : json{{"client_error", reply.status().ToString()}};
  };
  const std::string query = R"({"op":"search","q":"kategorie:sport","limit":20})";
  const json before = call(query);
  ASSERT_EQ(before.value("hits", json::array()).size(), 5u)
      << before.dump();  // five sport articles

  // Killed mid-query: stopped, asked, then killed while the server waits.
  servers_[1]->Stop();
  ASSERT_TRUE(client.value()->Send(query + "\n").ok());
  std::this_thread::sleep_for(100ms);
  servers_[1]->Kill();
  auto line = client.value()->ReadLine();
  ASSERT_TRUE(line.ok()) << line.status().ToString();
  const json killed = json::parse(line.value());
  EXPECT_EQ(killed["error"].value("code", ""), "shard_unavailable") << killed.dump();
  EXPECT_NE(killed["error"].value("message", "").find(servers_[1]->Name()), std::string::npos);
  // The same connection serves the next request (ping, and a search that
  // again names the missing shard).
  EXPECT_EQ(call(R"({"op":"ping"})").value("pong", false), true);
  EXPECT_EQ(call(query)["error"].value("code", ""), "shard_unavailable");

  // Restarted on the same port: within a few retry intervals the server
  // answers from both shards again.
  servers_[1]->Start();
  json after;
  for (int i = 0; i < 50; ++i) {
    after = call(query);
    if (!after.contains("error")) break;
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(after.value("hits", json::array()), before["hits"]) << after.dump();
  EXPECT_FALSE(after.contains("missing_shards"));
}

TEST_F(RemoteShardTest, PartialServerAnswerNamesTheMissingShard) {
  auto srv = testing::RunningServer::Start(ServerOverRemotes(Quick(true)));
  ASSERT_NE(srv, nullptr);
  auto client = Connect(*srv);
  ASSERT_TRUE(client.ok());
  servers_[0]->Kill();
  auto reply = client.value()->Call(R"({"op":"search","q":"kategorie:sport","limit":20})");
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  const json partial = json::parse(reply.value());
  EXPECT_EQ(partial.value("missing_shards", json::array()), json::array({servers_[0]->Name()}))
      << partial.dump();
  EXPECT_FALSE(partial.contains("error"));
  // Only the other shard's sport articles.
  for (const json& hit : partial.value("hits", json::array())) {
    EXPECT_EQ(ShardOfId(hit.value("id", ""), 2), 1u) << hit.dump();
  }
}

// ---------------------------------------------------------------------------
// Declared fields over remote shards: the same articles, built with
// --field author:filter,facet --field tags:filter,facet once as one merged
// index and once as two kept shards served by xapian-tcpsrv. Field filters
// are X terms and field facets value slots (16…), so both must travel
// through Xapian's remote protocol and sum over the shards exactly as the
// one index counts them.

class RemoteFieldShardTest : public testing::SharedFolderTest<RemoteFieldShardTest> {
 protected:
  static void SetUpTestSuite() {
    SetUpFolder();
    // Authors and tags repeat across articles (and so, by ShardOfId, across
    // the shards); two authors on one article, up to three tags, one
    // article with neither, and tags spelt in other cases ("ki", "KI").
    const std::string input = dir_->File(
        "felder.jsonl",
        R"({"id": "ki-gipfel-berlin", "title": "KI-Gipfel in Berlin", "date": "2025-02-11", "category": "technik", "author": "Jana Berger", "tags": ["KI", "Politik"], "text": "Auf dem KI-Gipfel streiten Regierung und Unternehmen über Regeln für Sprachmodelle."}
{"id": "sprachmodell-behoerde", "title": "Ein Sprachmodell für die Behörde", "date": "2025-04-02", "category": "technik", "author": ["Jana Berger", "Tobias Hartmann"], "tags": ["KI", "Verwaltung"], "text": "Das Bürgeramt testet ein Sprachmodell, das Anträge vorsortiert."}
{"id": "chipwerk-dresden", "title": "Chipwerk in Dresden wächst", "date": "2024-10-15", "category": "wirtschaft", "author": "Tobias Hartmann", "tags": ["Chips", "Sachsen"], "text": "Der Halbleiterhersteller erweitert sein Werk in Dresden um eine zweite Halle."}
{"id": "chipgesetz-eu", "title": "EU beschließt Chipgesetz", "date": "2024-07-01", "category": "politik", "author": "Lea Vogt", "tags": ["Chips", "EU"], "text": "Mit dem Chipgesetz will die EU die Halbleiterfertigung in Europa stärken."}
{"id": "reparatur-smartphones", "title": "Recht auf Reparatur für Smartphones", "date": "2024-04-23", "category": "politik", "author": "Lea Vogt", "tags": ["Smartphones", "EU"], "text": "Hersteller müssen Ersatzteile für Smartphones sieben Jahre lang anbieten."}
{"id": "glasfaser-dorf", "title": "Glasfaser erreicht das Dorf", "date": "2024-03-12", "category": "technik", "author": "Lea Vogt", "tags": ["Internet"], "text": "Im Dorf am Waldrand surfen die ersten Haushalte mit Glasfaser."}
{"id": "quantenrechner-muenchen", "title": "Quantenrechner aus München", "date": "2025-06-30", "category": "wissenschaft", "author": "Tobias Hartmann", "tags": ["Quantencomputer", "Start-up", "ki"], "text": "Ein Start-up aus München baut einen Quantenrechner mit zwanzig Qubits."}
{"id": "ki-klassenzimmer", "title": "KI im Klassenzimmer", "date": "2025-09-08", "category": "bildung", "author": "Jana Berger", "tags": ["KI", "Schule"], "text": "Lehrkräfte probieren Sprachmodelle im Unterricht aus und sammeln Erfahrungen."}
{"id": "bahnstreik-fernverkehr", "title": "Bahnstreik legt Fernverkehr lahm", "date": "2024-03-05", "category": "verkehr", "author": "Max Muster", "tags": "Bahn", "text": "Die Bahn stellt den Fernverkehr während des Streiks fast vollständig ein."}
{"id": "wetter-ohne-felder", "title": "Sonniges Wochenende erwartet", "date": "2025-05-16", "category": "panorama", "text": "Der Wetterdienst erwartet Sonne und bis zu 26 Grad am Wochenende."}
)");
    std::vector<std::string> flags = {"--field", "author:filter,facet", "--field",
                                      "tags:filter,facet", "--shards", "2"};
    Index(Merged(), flags, {input});
    flags.push_back("--keep-shards");
    Index(Sharded(), flags, {input});
    ASSERT_FALSE(fs::exists(Merged() + "/XAPIANDB"));  // one glass database
    ASSERT_TRUE(fs::exists(Sharded() + "/shard-01"));
  }
  void SetUp() override {
    if (!ShardServer::Available()) GTEST_SKIP() << "xapian-tcpsrv is not installed (xapian-tools)";
    servers_ = ServeShards(Sharded());
  }
  static std::string Merged() { return dir_->path() + "/merged.db"; }
  static std::string Sharded() { return dir_->path() + "/sharded"; }
  std::vector<std::string> RemoteDbs() const { return {servers_[0]->Name(), servers_[1]->Name()}; }

  std::vector<std::unique_ptr<ShardServer>> servers_;
};

// A search as its user sees the fields: the matching ids (sorted, since a
// filter-only query lists by date and the order is tested elsewhere), then
// every facet's values with their counts, or the error.
std::string FieldView(Searcher& searcher, const std::string& query,
                      const std::vector<std::string>& facets) {
  SearchRequest request;
  request.query = query;
  request.facets = facets;
  request.facet_limit = 50;
  request.limit = 50;
  request.snippets = false;
  auto r = searcher.Search(request);
  if (!r.ok()) return "error: " + std::string(Status::CodeName(r.status().code()));
  std::vector<std::string> ids;
  for (const Hit& h : r->hits) ids.push_back(h.id);
  std::sort(ids.begin(), ids.end());
  std::string out;
  for (const std::string& id : ids) out += id + " ";
  out += "\n";
  return out + FacetLines(r->facets);
}

TEST_F(RemoteFieldShardTest, FieldFiltersAndFacetsMatchTheMergedIndex) {
  // Non-vacuous: "Jana Berger" and "KI" each have articles in both shards,
  // so a count that forgot a shard, or did not sum them, would differ.
  for (const auto& ids :
       {std::vector<std::string>{"ki-gipfel-berlin", "sprachmodell-behoerde", "ki-klassenzimmer"},
        std::vector<std::string>{"ki-gipfel-berlin", "sprachmodell-behoerde", "ki-klassenzimmer",
                                 "quantenrechner-muenchen"}}) {
    std::set<std::uint32_t> shards;
    for (const std::string& id : ids) shards.insert(ShardOfId(id, 2));
    ASSERT_EQ(shards.size(), 2u) << ids[0] << "...: all in one shard, the test proves nothing";
  }
  auto merged = Searcher::Open({Merged()});
  auto remote = Searcher::Open(RemoteDbs());
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  ASSERT_TRUE(remote.ok()) << remote.status().ToString();
  struct Row {
    const char* query;
    std::vector<std::string> facets;
    const char* merged;  // what the merged index answers: remote must answer the same
  };
  const Row rows[] = {
      {"author:\"Jana Berger\"",
       {"author", "tags"},
       "ki-gipfel-berlin ki-klassenzimmer sprachmodell-behoerde \n"
       "author: Jana Berger=3 Tobias Hartmann=1\n"
       "tags: KI=3 Politik=1 Schule=1 Verwaltung=1\n"},
      {"author:„jana berger“ author:\"Tobias Hartmann\"",  // AND of two filters
       {"author"},
       "sprachmodell-behoerde \nauthor: Jana Berger=1 Tobias Hartmann=1\n"},
      {"author:Jana", {"author"}, "\nauthor:\n"},  // a filter is the whole value
      {"tags:ki",
       {"tags", "category", "year"},
       "ki-gipfel-berlin ki-klassenzimmer quantenrechner-muenchen sprachmodell-behoerde \n"
       "tags: KI=3 Politik=1 Quantencomputer=1 Schule=1 Start-up=1 Verwaltung=1 ki=1\n"
       "category: technik=2 bildung=1 wissenschaft=1\n"
       "year: 2025=4\n"},
      {"tags:ki -tags:politik",
       {"author"},
       "ki-klassenzimmer quantenrechner-muenchen sprachmodell-behoerde \n"
       "author: Jana Berger=2 Tobias Hartmann=2\n"},
      {"tags:chips ODER tags:bahn",
       {"author", "tags"},
       "bahnstreik-fernverkehr chipgesetz-eu chipwerk-dresden \n"
       "author: Lea Vogt=1 Max Muster=1 Tobias Hartmann=1\n"
       "tags: Chips=2 Bahn=1 EU=1 Sachsen=1\n"},
      {"Sprachmodell tags:ki",
       {"author"},
       "ki-gipfel-berlin ki-klassenzimmer sprachmodell-behoerde \nauthor: Jana Berger=3 Tobias "
       "Hartmann=1\n"},
      {"kategorie:politik author:\"Lea Vogt\"",
       {"tags"},
       "chipgesetz-eu reparatur-smartphones \ntags: EU=2 Chips=1 Smartphones=1\n"},
      // The whole collection: every author and tag once per article.
      {"date:2024..2025",
       {"author"},
       "bahnstreik-fernverkehr chipgesetz-eu chipwerk-dresden glasfaser-dorf ki-gipfel-berlin "
       "ki-klassenzimmer quantenrechner-muenchen reparatur-smartphones sprachmodell-behoerde "
       "wetter-ohne-felder \n"
       "author: Jana Berger=3 Lea Vogt=3 Tobias Hartmann=3 Max Muster=1\n"},
      // Not declared: the same clear error from the shards' recorded declaration.
      {"quelle:dpa", {}, "error: invalid_input"},
      {"Chips", {"quelle"}, "error: invalid_input"},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(FieldView(*merged.value(), row.query, row.facets), row.merged) << row.query;
    EXPECT_EQ(FieldView(*remote.value(), row.query, row.facets), row.merged) << row.query;
  }
}

// The same through findling-search, as a user runs it against two shard servers.
TEST_F(RemoteFieldShardTest, CliOverRemoteShardsPrintsTheMergedCounts) {
  const auto local = testing::RunTool(
      "findling-search",
      {"--db", Merged(), "--json", "--no-snippets", "--facets", "author,tags", "tags:eu"});
  const auto remote =
      testing::RunTool("findling-search", {"--db", RemoteDbs()[0], "--db", RemoteDbs()[1], "--json",
                                           "--no-snippets", "--facets", "author,tags", "tags:eu"});
  ASSERT_EQ(local.exit_code, 0) << local.err;
  ASSERT_EQ(remote.exit_code, 0) << remote.err;
  const json l = json::parse(local.out), r = json::parse(remote.out);
  EXPECT_EQ(r["facets"], l["facets"]);
  EXPECT_EQ(l["facets"]["author"], json::parse(R"([{"value":"Lea Vogt","count":2}])"));
  EXPECT_EQ(r["hits"].size(), 2u);
  EXPECT_EQ(r["total"], l["total"]);
}

}  // namespace
}  // namespace findling
