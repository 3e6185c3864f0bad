// findling-sphinx-load: the query mix of findling-load, sent to Sphinx's
// searchd over its MySQL protocol (SphinxQL), for the server-side comparison.
//
//   findling-sphinx-load --connect 127.0.0.1:9306 --index gen --queries queries.tsv
//                        --texts gen.tsv --concurrency 1,8,32 --duration 10 [--no-snippets]
//
// A request is what an application on Sphinx does for a page of ten hits:
//   SELECT id FROM idx WHERE MATCH('...') [AND cat=N] LIMIT 10
// and, with snippets, CALL SNIPPETS over the ten texts. Sphinx keeps no
// text, so the client holds it (from the tsvpipe file the index was built
// from), as the application's own database would; titles are looked up
// there too. The report has the same columns as findling-load's.
//
// The MySQL client is written here (about 150 lines) because Debian's
// libmysqlclient would be one more build dependency for one benchmark;
// searchd accepts any user without a password, so the handshake needs no
// authentication. Every answer is checked (no ERR packet, a result set).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "benchmarks/bench_common.h"
#include "benchmarks/closed_loop.h"

namespace findling::bench {
namespace {

// One result set: rows of column values (NULL is returned as "").
using Rows = std::vector<std::vector<std::string>>;

class SphinxQl {
 public:
  SphinxQl() = default;
  ~SphinxQl() {
    if (fd_ >= 0) ::close(fd_);
  }
  SphinxQl(const SphinxQl&) = delete;
  SphinxQl& operator=(const SphinxQl&) = delete;

  // Connects and completes the handshake; "" or why not.
  std::string Connect(const std::string& host, int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) return "socket() failed";
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) return "bad IPv4 address " + host;
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      return "cannot connect to " + host + ":" + std::to_string(port);
    }
    const int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    // A server that never answers must fail the run, not hang it.
    timeval timeout{};
    timeout.tv_sec = 60;
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    std::string greeting;
    if (!ReadPacket(greeting) || greeting.empty() || greeting[0] != 10) {
      return "no MySQL protocol 10 greeting";
    }
    // HandshakeResponse41: CLIENT_LONG_PASSWORD | CLIENT_PROTOCOL_41 |
    // CLIENT_SECURE_CONNECTION, 16 MB packets, utf8_general_ci (33), 23
    // reserved bytes, user "bench", an empty auth response.
    std::string response;
    AppendLe(response, 0x00000001u | 0x00000200u | 0x00008000u, 4);
    AppendLe(response, 16u << 20, 4);
    response += static_cast<char>(33);
    response.append(23, '\0');
    response += "bench";
    response += '\0';
    response += '\0';
    if (!WritePacket(response, 1)) return "handshake: write failed";
    std::string ok;
    if (!ReadPacket(ok) || ok.empty() || static_cast<unsigned char>(ok[0]) != 0) {
      return "handshake refused: " + ErrorText(ok);
    }
    return "";
  }

  // Runs one statement; "" or the server's error.
  std::string Query(const std::string& sql, Rows& rows) {
    rows.clear();
    if (!WritePacket(std::string(1, '\x03') + sql, 0)) return "write failed";
    std::string p;
    if (!ReadPacket(p) || p.empty()) return "connection closed";
    const auto first = static_cast<unsigned char>(p[0]);
    if (first == 0xFF) return ErrorText(p);
    if (first == 0x00) return "";  // OK: no result set
    std::size_t at = 0;
    const std::uint64_t columns = LenEnc(p, at);
    for (std::uint64_t i = 0; i < columns; ++i) {
      if (!ReadPacket(p)) return "connection closed in column definitions";
    }
    if (!ReadPacket(p) || !IsEof(p)) return "no EOF after column definitions";
    while (true) {
      if (!ReadPacket(p)) return "connection closed in rows";
      if (IsEof(p)) return "";
      if (static_cast<unsigned char>(p[0]) == 0xFF) return ErrorText(p);
      std::vector<std::string> row;
      at = 0;
      for (std::uint64_t i = 0; i < columns && at < p.size(); ++i) {
        if (static_cast<unsigned char>(p[at]) == 0xFB) {  // NULL
          ++at;
          row.emplace_back();
          continue;
        }
        const std::uint64_t n = LenEnc(p, at);
        row.push_back(p.substr(at, n));
        at += n;
      }
      rows.push_back(std::move(row));
    }
  }

 private:
  static void AppendLe(std::string& out, std::uint32_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
  }
  static bool IsEof(const std::string& p) {
    return !p.empty() && static_cast<unsigned char>(p[0]) == 0xFE && p.size() < 9;
  }
  static std::uint64_t LenEnc(const std::string& p, std::size_t& at) {
    if (at >= p.size()) return 0;
    const auto b = static_cast<unsigned char>(p[at++]);
    int bytes = 0;
    if (b < 0xFB) return b;
    if (b == 0xFC) bytes = 2;
    if (b == 0xFD) bytes = 3;
    if (b == 0xFE) bytes = 8;
    std::uint64_t v = 0;
    for (int i = 0; i < bytes && at < p.size(); ++i) {
      v |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[at++])) << (8 * i);
    }
    return v;
  }
  static std::string ErrorText(const std::string& p) {
    // ERR: FF, code (2 bytes), '#' and a 5-byte SQL state, message.
    if (p.size() > 9 && p[3] == '#') return p.substr(9);
    if (p.size() > 3) return p.substr(3);
    return "malformed reply";
  }
  bool ReadFull(char* buf, std::size_t n) {
    while (n > 0) {
      const ssize_t got = ::recv(fd_, buf, n, 0);
      if (got <= 0) return false;
      buf += got;
      n -= static_cast<std::size_t>(got);
    }
    return true;
  }
  bool ReadPacket(std::string& payload) {
    unsigned char header[4];
    if (!ReadFull(reinterpret_cast<char*>(header), 4)) return false;
    const std::size_t n = header[0] | (header[1] << 8) | (header[2] << 16);
    payload.resize(n);
    return n == 0 || ReadFull(payload.data(), n);
  }
  bool WritePacket(const std::string& payload, unsigned char seq) {
    std::string packet;
    AppendLe(packet, static_cast<std::uint32_t>(payload.size()), 3);
    packet += static_cast<char>(seq);
    packet += payload;
    std::size_t sent = 0;
    while (sent < packet.size()) {
      const ssize_t n = ::send(fd_, packet.data() + sent, packet.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<std::size_t>(n);
    }
    return true;
  }

  int fd_ = -1;
};

// A SphinxQL string literal.
std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

struct Corpus {
  std::vector<std::string> titles, texts;  // by Sphinx id - 1
};

// The tsvpipe file: id TAB title TAB text TAB cat TAB day, ids 1..n in order.
bool LoadTexts(const std::string& path, Corpus& corpus) {
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  while (std::getline(in, line)) {
    const auto f = SplitTabs(line);
    if (f.size() < 3) return false;
    corpus.titles.push_back(f[1]);
    corpus.texts.push_back(f[2]);
  }
  return !corpus.texts.empty();
}

struct Options {
  std::string host = "127.0.0.1";
  int port = 9306;
  std::string index;
  bool snippets = true;
};

// One page of results; returns "" or the error, and the number of hits.
std::string RunQuery(SphinxQl& sql, const Options& o, const Corpus& corpus, const BenchQuery& q,
                     std::size_t& hits) {
  std::string where = "MATCH(" + Quote(q.sphinx) + ")";
  if (!q.category.empty()) where += " AND cat=" + std::to_string(CategoryHash(q.category));
  Rows rows;
  std::string error =
      sql.Query("SELECT id FROM " + o.index + " WHERE " + where + " LIMIT 10", rows);
  if (!error.empty()) return error;
  hits = rows.size();
  std::string docs;
  std::size_t title_bytes = 0;
  for (const auto& row : rows) {
    const std::size_t id = row.empty() ? 0 : std::stoul(row[0]);
    if (id == 0 || id > corpus.texts.size()) return "unknown id " + (row.empty() ? "" : row[0]);
    title_bytes += corpus.titles[id - 1].size();
    if (o.snippets) docs += (docs.empty() ? "" : ", ") + Quote(corpus.texts[id - 1]);
  }
  if (!o.snippets || rows.empty()) return "";
  // query_mode makes the snippet query use the full-text syntax (phrases,
  // "|" and prefixes), as the SELECT did.
  error = sql.Query("CALL SNIPPETS((" + docs + "), " + Quote(o.index) + ", " + Quote(q.sphinx) +
                        ", 200 AS limit, 1 AS query_mode)",
                    rows);
  if (!error.empty()) return error;
  if (rows.size() != hits) return "CALL SNIPPETS returned " + std::to_string(rows.size()) + " rows";
  return "";
}

LoadLevel RunLevel(const Options& o, const Corpus& corpus, const std::vector<BenchQuery>& mix,
                   unsigned concurrency, int duration_s, std::uint64_t seed) {
  return RunClosedLoop(concurrency, std::chrono::seconds(duration_s),
                       [&](unsigned t) -> Result<LoadSession> {
                         auto sql = std::make_shared<SphinxQl>();
                         if (std::string why = sql->Connect(o.host, o.port); !why.empty()) {
                           return Status::Unavailable(why);
                         }
                         auto rng = std::make_shared<Random>(seed * 7919u + t);
                         return LoadSession([&o, &corpus, &mix, sql, rng] {
                           const BenchQuery& q = mix[rng->Below(mix.size())];
                           std::size_t hits = 0;
                           const std::string why = RunQuery(*sql, o, corpus, q, hits);
                           if (why.empty()) return LoadReply{};
                           // A failed exchange may leave the connection mid-reply: this client
                           // stops.
                           return LoadReply{why + " (query " + q.sphinx + ")", true};
                         });
                       });
}

int Main(int argc, char** argv) {
  CLI::App app{
      "Load Sphinx searchd (SphinxQL) with the benchmark's query set; prints a markdown table.",
      "findling-sphinx-load"};
  Options o;
  std::string connect = "127.0.0.1:9306", queries_path, texts_path, levels_text = "1,8,32";
  int duration_s = 10;
  std::uint64_t seed = 42;
  bool no_snippets = false;
  app.add_option("--connect", connect, "searchd mysql41 listener HOST:PORT")->capture_default_str();
  app.add_option("--index", o.index, "Sphinx index name")->required();
  app.add_option("--queries", queries_path, "Query set (findling-gencorpus --queries)")->required();
  app.add_option("--texts", texts_path, "The tsvpipe file the index was built from")->required();
  app.add_option("--concurrency", levels_text, "Comma-separated client counts")
      ->capture_default_str();
  app.add_option("--duration", duration_s, "Seconds per level")->capture_default_str();
  app.add_option("--seed", seed, "Seed for the order of queries")->capture_default_str();
  app.add_flag("--no-snippets", no_snippets, "Ids only, no CALL SNIPPETS");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  o.snippets = !no_snippets;
  const auto colon = connect.rfind(':');
  if (colon == std::string::npos) {
    std::fprintf(stderr, "findling-sphinx-load: --connect wants HOST:PORT\n");
    return 2;
  }
  o.host = connect.substr(0, colon);
  o.port = std::atoi(connect.c_str() + colon + 1);
  std::vector<unsigned> levels;
  for (const std::string& part : SplitTabs([&] {
         std::string s = levels_text;
         std::replace(s.begin(), s.end(), ',', '\t');
         return s;
       }())) {
    const int n = std::atoi(part.c_str());
    if (n <= 0 || n > 4096) {
      std::fprintf(stderr, "findling-sphinx-load: --concurrency wants numbers like 1,8,32\n");
      return 2;
    }
    levels.push_back(static_cast<unsigned>(n));
  }
  auto set = ReadQuerySet(queries_path);
  if (!set.ok()) {
    std::fprintf(stderr, "findling-sphinx-load: %s\n", set.status().message().c_str());
    return 2;
  }
  Corpus corpus;
  if (!LoadTexts(texts_path, corpus)) {
    std::fprintf(stderr, "findling-sphinx-load: cannot read %s\n", texts_path.c_str());
    return 2;
  }
  std::vector<BenchQuery> mix;
  const BenchQuery* known = nullptr;
  for (const BenchQuery& q : set.value()) {
    if (q.kind == "known") {
      known = &q;
    } else {
      mix.push_back(q);
    }
  }
  // Fail fast: the known query must find something, and every query of the
  // set must be accepted by searchd.
  {
    SphinxQl sql;
    if (std::string why = sql.Connect(o.host, o.port); !why.empty()) {
      std::fprintf(stderr, "findling-sphinx-load: %s\n", why.c_str());
      return 3;
    }
    for (const BenchQuery& q : set.value()) {
      std::size_t hits = 0;
      const std::string why = RunQuery(sql, o, corpus, q, hits);
      if (!why.empty()) {
        std::fprintf(stderr, "findling-sphinx-load: query \"%s\": %s\n", q.sphinx.c_str(),
                     why.c_str());
        return 1;
      }
      if (&q == known && hits == 0) {
        std::fprintf(stderr, "findling-sphinx-load: the known query \"%s\" finds nothing\n",
                     q.sphinx.c_str());
        return 1;
      }
    }
  }
  std::printf(
      "searchd %s, index %s: %zu documents' texts held by the client. Query mix: %zu "
      "queries, %d s per level, %s.\n\n",
      connect.c_str(), o.index.c_str(), corpus.texts.size(), mix.size(), duration_s,
      o.snippets ? "10 hits with CALL SNIPPETS" : "10 ids");
  return PrintLoadTable("findling-sphinx-load", levels, [&](unsigned level) {
    return RunLevel(o, corpus, mix, level, duration_s, seed);
  });
}

}  // namespace
}  // namespace findling::bench

int main(int argc, char** argv) { return findling::bench::Main(argc, argv); }
