// findling-hostile: attacks a running findling-server with every kind of
// hostile client at once and measures what a well-behaved client sees.
//
//   findling-server --db news.db --listen 127.0.0.1:7700 --max-connections 3000 &
//   findling-hostile --connect 127.0.0.1:7700 --pid $! --duration 30
//
// First a probe client measures its normal search latency alone. Then, for
// --duration seconds, these run together while the probe keeps searching:
//  - idle: --idle connections opened and never used;
//  - slow: --slow connections sending requests one byte every 10 ms;
//  - huge: --huge clients sending --huge-mb MB lines without a newline;
//  - junk: --junk clients cycling through malformed JSON (deep nesting,
//    invalid UTF-8, wrong types) and expensive queries (thousands of terms,
//    wildcards, deep brackets, huge limits); each must get an error line.
// The report (markdown, or --json) gives the probe's latency before and
// during the attack, what each attacker achieved, and, with --pid, the
// server's resident memory before, at its peak and after.
//
// With --each SECONDS the attacks run one at a time instead, each for that
// long with a probe of the same protocol, on NDJSON (--connect) and, with
// --http HOST:PORT, on the same server's HTTP side, and the report is one
// table of probe p50/p95 per attack, the two protocols side by side:
//
//   findling-server --db news.db --listen 127.0.0.1:7700 --http 127.0.0.1:7701 &
//   findling-hostile --connect 127.0.0.1:7700 --http 127.0.0.1:7701 --each 5
//
// The HTTP attacks mirror the NDJSON ones: idle keep-alive connections,
// requests dripped a byte every 10 ms, request lines and bodies of --huge-mb
// MB (431, 413), junk (bad percent-encoding and UTF-8, Content-Length lies,
// other methods, expensive queries; each must get its status), pipelined
// bursts, and slowloris clients that never finish their headers.
// tests/server_hostile_test.cc asserts the same properties at a smaller
// scale; this tool produces the figures in docs/reliability.md.
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "client/client.h"
#include "common/host_port.h"
#include "common/percentile.h"
#include "server/process_memory.h"
#include "server/raw_socket.h"

namespace {

using namespace findling;
using namespace findling::client;
using namespace findling::server;
using nlohmann::json;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// --- raw sockets: the attackers do what client::Client never would --------

int ConnectRaw(const HostPort& address) {
  if (address.host != "127.0.0.1" && address.host != "localhost") {
    std::fprintf(stderr, "findling-hostile: only loopback addresses are attacked\n");
    std::exit(2);
  }
  return ConnectLoopback(address.port, 10s);
}

std::string ErrorCodeOf(const std::string& line) {
  const json j = json::parse(line, nullptr, false);
  if (!j.is_object()) return "not_json";
  if (!j.contains("error")) return "ok";
  return j["error"].value("code", "?");
}

// --- measurements -----------------------------------------------------------

struct Latencies {
  std::vector<double> ms;
  long failed = 0;
  // Percentile `p` (0..100) of the answered requests' latencies.
  double At(double p) const {
    std::vector<double> sorted = ms;
    std::sort(sorted.begin(), sorted.end());
    return findling::Percentile(sorted, p);
  }
  json ToJson() const {
    return {{"answered", ms.size()}, {"failed", failed}, {"p50_ms", At(50)},
            {"p95_ms", At(95)},      {"p99_ms", At(99)}, {"max_ms", At(100)}};
  }
};

// The well-behaved client: one connection, a search every `interval`.
Latencies Probe(const HostPort& address, std::chrono::milliseconds interval,
                const std::atomic<bool>& stop, std::chrono::seconds max_time) {
  Latencies out;
  ClientOptions options;
  options.timeout = 10s;
  auto client = Client::Connect(address, options);
  if (!client.ok()) {
    out.failed = 1;
    return out;
  }
  static const char* const kQueries[] = {"Regierung", "Sprachmodell Schule", "\"neue Regierung\"",
                                         "Bundes*", "Wahl kategorie:politik"};
  const auto end = Clock::now() + max_time;
  for (std::size_t i = 0; !stop && Clock::now() < end; ++i) {
    const json request = {{"op", "search"}, {"q", kQueries[i % 5]}, {"limit", 10}};
    const auto start = Clock::now();
    const auto line = client.value()->Call(request.dump());
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    if (line.ok() && ErrorCodeOf(line.value()) == "ok") {
      out.ms.push_back(ms);
    } else {
      ++out.failed;
      if (!line.ok()) {
        // Reconnect: a broken probe connection is a failure, not the end.
        client = Client::Connect(address, options);
        if (!client.ok()) return out;
      }
    }
    std::this_thread::sleep_for(interval);
  }
  return out;
}

// The junk every junk client cycles through, each with the error it must get.
std::vector<std::pair<std::string, std::string>> JunkRequests() {
  std::vector<std::pair<std::string, std::string>> junk;
  const std::string deep = std::string(50000, '[') + std::string(50000, ']');
  junk.emplace_back(R"({"op":"search","q":"x","id":)" + deep + "}", "bad_json");
  junk.emplace_back(
      "{\"op\":\"search\",\"q\":\"Stra\xdf"
      "e\"}",
      "bad_json");
  junk.emplace_back("\xff\xfe garbage", "bad_json");
  junk.emplace_back(R"({"op":"search","q":"x","limit":1e400})", "bad_json");
  junk.emplace_back(R"({"op":"search","q":5})", "bad_request");
  junk.emplace_back(R"({"op":"search","q":"x","db":"/etc"})", "bad_request");
  std::string terms;
  for (int i = 0; i < 2000; ++i) terms += "w" + std::to_string(i) + " ";
  junk.emplace_back(json{{"op", "search"}, {"q", terms}}.dump(), "limit_exceeded");
  junk.emplace_back(
      json{{"op", "search"}, {"q", std::string(3000, '(') + "x" + std::string(3000, ')')}}.dump(),
      "limit_exceeded");
  junk.emplace_back(R"({"op":"search","q":"a*","strict":true})", "limit_exceeded|ok");
  // The most a query may have: 8 wildcards, each a vocabulary scan.
  junk.emplace_back(R"({"op":"search","q":"a* b* d* g* k* m* s* t*"})", "ok");
  junk.emplace_back(json{{"op", "search"},
                         {"q",
                          [] {
                            std::string q;
                            for (int i = 0; i < 200; ++i) q += "a* ";
                            return q;
                          }()}}
                        .dump(),
                    "limit_exceeded");
  junk.emplace_back(R"({"op":"search","q":"x","limit":100000})", "limit_exceeded");
  junk.emplace_back(R"({"op":"get","doc":"../../../etc/passwd"})", "not_found");
  return junk;
}

struct Counters {
  std::atomic<long> slow_answered{0}, slow_failed{0};
  std::atomic<long> huge_refused{0}, huge_unexpected{0};
  std::atomic<long> junk_answered{0}, junk_unexpected{0};
  std::mutex mu;
  std::map<std::string, long> junk_codes;  // guarded by mu
  std::vector<double> junk_ms;             // guarded by mu
};

void SlowClients(const HostPort& address, int n, const std::atomic<bool>& stop, Counters& c) {
  std::vector<int> fds;
  std::vector<std::string> buffers(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) fds.push_back(ConnectRaw(address));
  const std::string request = R"({"op":"search","q":"Regierung","limit":2})"
                              "\n";
  std::size_t at = 0;
  while (!stop) {
    for (int fd : fds) {
      if (fd < 0 || !SendAll(fd, request.substr(at, 1))) ++c.slow_failed;
    }
    if (++at == request.size()) {
      at = 0;
      for (std::size_t i = 0; i < fds.size(); ++i) {
        if (fds[i] < 0) continue;
        const auto line = ReadLine(fds[i], buffers[i]);
        ++(line && ErrorCodeOf(*line) == "ok" ? c.slow_answered : c.slow_failed);
      }
    }
    std::this_thread::sleep_for(10ms);
  }
  for (int fd : fds) {
    if (fd >= 0) close(fd);
  }
}

void HugeClient(const HostPort& address, int mb, const std::atomic<bool>& stop, Counters& c) {
  const std::string chunk(1 << 20, 'x');
  while (!stop) {
    const int fd = ConnectRaw(address);
    if (fd < 0) {
      ++c.huge_unexpected;
      std::this_thread::sleep_for(100ms);
      continue;
    }
    SendAll(fd, R"({"op":"search","q":")");
    for (int i = 0; i < mb && !stop && SendAll(fd, chunk); ++i) {
    }
    std::string buffer;
    const auto line = ReadLine(fd, buffer);
    ++(line && ErrorCodeOf(*line) == "line_too_long" ? c.huge_refused : c.huge_unexpected);
    close(fd);
  }
}

void JunkClient(const HostPort& address, const std::atomic<bool>& stop, Counters& c) {
  const auto junk = JunkRequests();
  int fd = ConnectRaw(address);
  std::string buffer;
  for (std::size_t i = 0; !stop; ++i) {
    const auto& [line, expected] = junk[i % junk.size()];
    const auto start = Clock::now();
    std::optional<std::string> answer;
    if (fd >= 0 && SendAll(fd, line + "\n")) answer = ReadLine(fd, buffer);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    const std::string code = answer ? ErrorCodeOf(*answer) : "no_answer";
    {
      std::lock_guard<std::mutex> lock(c.mu);
      ++c.junk_codes[code];
      c.junk_ms.push_back(ms);
    }
    if (expected.find(code) != std::string::npos) {
      ++c.junk_answered;
    } else {
      ++c.junk_unexpected;
      std::fprintf(stderr, "junk request %zu: expected %s, got %s\n", i % junk.size(),
                   expected.c_str(), answer ? answer->substr(0, 200).c_str() : "no answer");
      if (!answer) {
        if (fd >= 0) close(fd);
        fd = ConnectRaw(address);
        buffer.clear();
      }
    }
  }
  if (fd >= 0) close(fd);
}

// --- one attack at a time, on NDJSON and on HTTP (--each) ------------------

// One side of the server: its address and its protocol.
struct Side {
  const char* name;  // "NDJSON" or "HTTP"
  HostPort address;
  bool http = false;
};

std::string HttpGet(const std::string& target, const std::string& headers = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: findling\r\n" + headers + "\r\n";
}

struct HttpReply {
  int status = 0;  // 0: closed or timed out before a whole response
  bool close = false;
  std::string body;
};

// One response from `fd`; what follows it stays in `buffer`.
HttpReply ReadHttp(int fd, std::string& buffer) {
  RawHttpResponse raw = ReadHttpResponse(fd, buffer);
  HttpReply r;
  if (raw.status == 0) return r;
  r.status = raw.status;
  r.close = raw.headers.find("connection: close") != std::string::npos;
  r.body = std::move(raw.body);
  return r;
}

// The well-behaved client over HTTP: the Probe's queries as GET /search on
// one keep-alive connection.
Latencies HttpProbe(const HostPort& address, std::chrono::milliseconds interval,
                    const std::atomic<bool>& stop, std::chrono::seconds max_time) {
  Latencies out;
  static const char* const kTargets[] = {
      "/search?q=Regierung&limit=10", "/search?q=Sprachmodell+Schule&limit=10",
      "/search?q=%22neue+Regierung%22&limit=10", "/search?q=Bundes*&limit=10",
      "/search?q=Wahl+kategorie%3Apolitik&limit=10"};
  int fd = ConnectRaw(address);
  std::string buffer;
  const auto end = Clock::now() + max_time;
  for (std::size_t i = 0; !stop && Clock::now() < end; ++i) {
    const auto start = Clock::now();
    HttpReply reply;
    if (fd >= 0 && SendAll(fd, HttpGet(kTargets[i % 5]))) reply = ReadHttp(fd, buffer);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    if (reply.status == 200) {
      out.ms.push_back(ms);
    } else {
      ++out.failed;
    }
    if (reply.status == 0 || reply.close) {
      // Reconnect: a broken probe connection is a failure, not the end.
      if (fd >= 0) close(fd);
      fd = ConnectRaw(address);
      buffer.clear();
    }
    std::this_thread::sleep_for(interval);
  }
  if (fd >= 0) close(fd);
  return out;
}

// What the attackers of one phase achieved.
struct Tally {
  std::atomic<long> expected{0};    // answered (or refused) as they must be
  std::atomic<long> unexpected{0};  // anything else
  std::atomic<long> held{0};        // connections still open at the end (idle, loris)
  std::atomic<long> opened{0};
};

// HTTP requests that must be refused (or answered) with the given status,
// and whether the server then closes the connection.
struct HttpJunk {
  std::string request;
  int status;
};

std::vector<HttpJunk> HttpJunkRequests() {
  std::string terms, wildcards, brackets;
  for (int i = 0; i < 1000; ++i) terms += "w" + std::to_string(i) + "+";
  for (int i = 0; i < 200; ++i) wildcards += "a*+";
  for (int i = 0; i < 1000; ++i) brackets = "%28" + brackets + "%29";
  brackets.insert(brackets.size() / 2, "x");
  return {
      {HttpGet("/search?q=Stra%DFe"), 400},                 // Latin-1, not UTF-8
      {HttpGet("/search?q=Stra%G1e"), 400},                 // bad percent-encoding
      {HttpGet("/search?q=M\xfcnchen"), 400},               // a raw invalid byte
      {HttpGet("/documents/%FF%FE"), 400},                  // an id that is not UTF-8
      {HttpGet("/search?q=" + terms), 400},                 // limit_exceeded: terms
      {HttpGet("/search?q=" + wildcards), 400},             // limit_exceeded: wildcards
      {HttpGet("/search?q=" + brackets), 400},              // limit_exceeded: depth
      {HttpGet("/search?q=a*+b*+d*+g*+k*+m*+s*+t*"), 200},  // the most allowed
      {HttpGet("/search?q=x&limit=100000"), 400},
      {HttpGet("/search?q=x&db=/etc"), 400},
      {HttpGet("/documents/..%2F..%2Fetc%2Fpasswd"), 404},
      {HttpGet("/nirgendwo"), 404},
      {"POST /search HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}", 405},
      {"GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\n{}", 400},
      {"GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: "
       "chunked\r\n\r\n0\r\n\r\n",
       400},
      {std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 15), 400},
  };
}

void HttpJunkClient(const HostPort& address, const std::atomic<bool>& stop, Tally& t) {
  const auto junk = HttpJunkRequests();
  int fd = -1;
  std::string buffer;
  for (std::size_t i = 0; !stop; ++i) {
    const HttpJunk& row = junk[i % junk.size()];
    if (fd < 0) {
      fd = ConnectRaw(address);
      buffer.clear();
    }
    HttpReply reply;
    if (fd >= 0 && SendAll(fd, row.request)) reply = ReadHttp(fd, buffer);
    if (reply.status == row.status) {
      ++t.expected;
    } else {
      ++t.unexpected;
      std::fprintf(stderr, "HTTP junk request %zu: expected %d, got %d %s\n", i % junk.size(),
                   row.status, reply.status, reply.body.substr(0, 200).c_str());
    }
    if (reply.status == 0 || reply.close) {
      if (fd >= 0) close(fd);
      fd = -1;
    }
  }
  if (fd >= 0) close(fd);
}

// Request lines and bodies of `mb` MB in turn: 431 and 413, then a close.
void HttpHugeClient(const HostPort& address, int mb, const std::atomic<bool>& stop, Tally& t) {
  const std::string chunk(1 << 20, 'x');
  for (int round = 0; !stop; ++round) {
    const int fd = ConnectRaw(address);
    if (fd < 0) {
      ++t.unexpected;
      std::this_thread::sleep_for(100ms);
      continue;
    }
    const bool body = round % 2 == 1;
    SendAll(fd, body ? "GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                           std::to_string(static_cast<long>(mb) << 20) + "\r\n\r\n"
                     : std::string("GET /search?q="));
    for (int i = 0; i < mb && !stop && SendAll(fd, chunk); ++i) {
    }
    std::string buffer;
    const HttpReply reply = ReadHttp(fd, buffer);
    ++(reply.status == (body ? 413 : 431) ? t.expected : t.unexpected);
    close(fd);
  }
}

// `n` connections, each sending its request a byte every 10 ms and reading
// the answer, over and over.
void DripClients(const Side& side, int n, const std::atomic<bool>& stop, Tally& t) {
  std::vector<int> fds;
  std::vector<std::string> buffers(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) fds.push_back(ConnectRaw(side.address));
  const std::string request = side.http ? HttpGet("/search?q=Regierung&limit=2")
                                        : std::string(R"({"op":"search","q":"Regierung","limit":2})"
                                                      "\n");
  std::size_t at = 0;
  while (!stop) {
    for (int fd : fds) {
      if (fd < 0 || !SendAll(fd, request.substr(at, 1))) ++t.unexpected;
    }
    if (++at == request.size()) {
      at = 0;
      for (std::size_t i = 0; i < fds.size(); ++i) {
        if (fds[i] < 0) continue;
        bool ok;
        if (side.http) {
          ok = ReadHttp(fds[i], buffers[i]).status == 200;
        } else {
          const auto line = ReadLine(fds[i], buffers[i]);
          ok = line && ErrorCodeOf(*line) == "ok";
        }
        ++(ok ? t.expected : t.unexpected);
      }
    }
    std::this_thread::sleep_for(10ms);
  }
  for (int fd : fds) {
    if (fd >= 0) close(fd);
  }
}

// `n` connections that begin a request and never finish it: a byte a
// second, never the end of the headers (HTTP) or the line (NDJSON). The
// server closes them at --idle-timeout (HTTP with 408); until then they
// are held.
void LorisClients(const Side& side, int n, const std::atomic<bool>& stop, Tally& t) {
  std::vector<int> fds;
  const std::string begin =
      side.http ? "GET /search?q=Regierung HTTP/1.1\r\nX-Loris: " : R"({"op":"search","q":")";
  for (int i = 0; i < n; ++i) {
    const int fd = ConnectRaw(side.address);
    if (fd >= 0 && SendAll(fd, begin)) fds.push_back(fd);
  }
  t.opened += static_cast<long>(fds.size());
  while (!stop) {
    for (int fd : fds) SendAll(fd, "a");
    for (int i = 0; i < 10 && !stop; ++i) std::this_thread::sleep_for(100ms);
  }
  for (int fd : fds) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 0) == 0) ++t.held;
    close(fd);
  }
}

// Bursts of 100 pipelined searches on one connection, every answer read.
void PipelineClient(const Side& side, const std::atomic<bool>& stop, Tally& t) {
  const int fd = ConnectRaw(side.address);
  if (fd < 0) {
    ++t.unexpected;
    return;
  }
  std::string burst, buffer;
  for (int i = 0; i < 100; ++i) {
    burst += side.http ? HttpGet("/search?q=Regierung&limit=10")
                       : std::string(R"({"op":"search","q":"Regierung","limit":10})"
                                     "\n");
  }
  while (!stop) {
    if (!SendAll(fd, burst)) {
      ++t.unexpected;
      break;
    }
    for (int i = 0; i < 100; ++i) {
      bool ok;
      if (side.http) {
        ok = ReadHttp(fd, buffer).status == 200;
      } else {
        const auto line = ReadLine(fd, buffer);
        ok = line && ErrorCodeOf(*line) == "ok";
      }
      ++(ok ? t.expected : t.unexpected);
    }
  }
  close(fd);
}

struct PhaseOptions {
  int idle = 2000, slow = 100, huge = 4, huge_mb = 16, junk = 2, loris = 100, pipeline = 2;
  std::chrono::milliseconds probe_interval{20};
  std::chrono::seconds each{5};
};

enum class Attack { kNone, kIdle, kSlow, kLoris, kHuge, kJunk, kPipeline };

struct PhaseResult {
  Latencies probe;
  std::string attackers;  // what they achieved, for the table
  bool held_up = true;
};

std::string Thousands(long n) {
  std::string digits = std::to_string(n);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(i, ",");
  return digits;
}

// Runs one attack against one side for o.each while its probe searches.
PhaseResult RunPhase(const Side& side, Attack attack, const PhaseOptions& o) {
  std::atomic<bool> stop{false};
  Tally t;
  std::vector<std::thread> attackers;
  std::vector<int> idle_fds;
  switch (attack) {
    case Attack::kNone:
      break;
    case Attack::kIdle:
      for (int i = 0; i < o.idle; ++i) {
        const int fd = ConnectRaw(side.address);
        if (fd < 0) continue;
        // HTTP: one request first, so these are idle keep-alive connections.
        std::string buffer;
        if (side.http && (!SendAll(fd, HttpGet("/health")) || ReadHttp(fd, buffer).status != 200)) {
          ++t.unexpected;
        }
        idle_fds.push_back(fd);
      }
      break;
    case Attack::kSlow:
      for (int i = 0; i < o.slow; i += 25) {
        attackers.emplace_back(DripClients, std::cref(side), std::min(25, o.slow - i),
                               std::cref(stop), std::ref(t));
      }
      break;
    case Attack::kLoris:
      for (int i = 0; i < o.loris; i += 50) {
        attackers.emplace_back(LorisClients, std::cref(side), std::min(50, o.loris - i),
                               std::cref(stop), std::ref(t));
      }
      break;
    case Attack::kHuge:
      for (int i = 0; i < o.huge; ++i) {
        if (side.http) {
          attackers.emplace_back(HttpHugeClient, side.address, o.huge_mb, std::cref(stop),
                                 std::ref(t));
        } else {
          attackers.emplace_back([&] {
            Counters c;
            HugeClient(side.address, o.huge_mb, stop, c);
            t.expected += c.huge_refused;
            t.unexpected += c.huge_unexpected;
          });
        }
      }
      break;
    case Attack::kJunk:
      for (int i = 0; i < o.junk; ++i) {
        if (side.http) {
          attackers.emplace_back(HttpJunkClient, side.address, std::cref(stop), std::ref(t));
        } else {
          attackers.emplace_back([&] {
            Counters c;
            JunkClient(side.address, stop, c);
            t.expected += c.junk_answered;
            t.unexpected += c.junk_unexpected;
          });
        }
      }
      break;
    case Attack::kPipeline:
      for (int i = 0; i < o.pipeline; ++i) {
        attackers.emplace_back(PipelineClient, std::cref(side), std::cref(stop), std::ref(t));
      }
      break;
  }
  if (attack != Attack::kNone) std::this_thread::sleep_for(200ms);  // all at it
  PhaseResult result;
  result.probe = side.http ? HttpProbe(side.address, o.probe_interval, stop, o.each)
                           : Probe(side.address, o.probe_interval, stop, o.each);
  for (int fd : idle_fds) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 0) == 0) ++t.held;
  }
  stop = true;
  for (auto& thread : attackers) thread.join();
  for (int fd : idle_fds) close(fd);
  switch (attack) {
    case Attack::kNone:
      result.attackers = "-";
      break;
    case Attack::kIdle:
      result.attackers = Thousands(t.held) + " of " + Thousands(o.idle) + " held";
      break;
    case Attack::kLoris:
      result.attackers = Thousands(t.held) + " of " + Thousands(t.opened) + " held";
      break;
    case Attack::kHuge:
      result.attackers = Thousands(t.expected) + " refused, " + Thousands(t.unexpected) + " other";
      break;
    default:
      result.attackers =
          Thousands(t.expected) + " as expected, " + Thousands(t.unexpected) + " not";
  }
  result.held_up = result.probe.failed == 0 && t.unexpected == 0;
  std::this_thread::sleep_for(1s);  // let the server close what the attackers left
  return result;
}

// The --each report: one row per attack, a column pair per side.
int RunEach(const std::vector<Side>& sides, const PhaseOptions& o, bool as_json) {
  const std::vector<std::pair<Attack, std::string>> attacks = {
      {Attack::kNone, "none (probe alone)"},
      {Attack::kIdle, Thousands(o.idle) + " idle connections"},
      {Attack::kSlow, std::to_string(o.slow) + " clients dripping a byte every 10 ms"},
      {Attack::kLoris, std::to_string(o.loris) + " requests begun, never finished"},
      {Attack::kHuge,
       std::to_string(o.huge) + " clients sending " + std::to_string(o.huge_mb) + " MB requests"},
      {Attack::kJunk, std::to_string(o.junk) + " clients sending junk"},
      {Attack::kPipeline, std::to_string(o.pipeline) + " clients pipelining 100 searches"},
  };
  json report = json::array();
  bool held_up = true;
  std::vector<std::vector<PhaseResult>> rows;
  for (const auto& [attack, name] : attacks) {
    std::vector<PhaseResult> row;
    for (const Side& side : sides) {
      std::fprintf(stderr, "findling-hostile: %s on %s\n", name.c_str(), side.name);
      row.push_back(RunPhase(side, attack, o));
      held_up = held_up && row.back().held_up;
      report.push_back({{"attack", name},
                        {"protocol", side.name},
                        {"probe", row.back().probe.ToJson()},
                        {"attackers", row.back().attackers}});
    }
    rows.push_back(std::move(row));
  }
  if (as_json) {
    std::printf("%s\n", report.dump().c_str());
    return held_up ? 0 : 1;
  }
  std::printf("| attack (%lld s each) |", static_cast<long long>(o.each.count()));
  for (const Side& side : sides)
    std::printf(" %s probe p50 / p95 ms | %s attackers |", side.name, side.name);
  std::printf("\n|---|");
  for (std::size_t i = 0; i < sides.size(); ++i) std::printf("---:|---|");
  std::printf("\n");
  for (std::size_t a = 0; a < attacks.size(); ++a) {
    std::printf("| %s |", attacks[a].second.c_str());
    for (const PhaseResult& r : rows[a]) {
      std::printf(
          " %.2f / %.2f%s | %s |", r.probe.At(50), r.probe.At(95),
          r.probe.failed ? (" (" + std::to_string(r.probe.failed) + " failed)").c_str() : "",
          r.attackers.c_str());
    }
    std::printf("\n");
  }
  return held_up ? 0 : 1;
}

int Run(int argc, char** argv) {
  CLI::App app{
      "Attack a findling-server (loopback only) with hostile clients and report what a "
      "well-behaved client sees.",
      "findling-hostile"};
  std::string connect = "127.0.0.1:7700";
  long pid = 0;
  int duration_s = 20, idle = 2000, slow = 100, huge = 4, huge_mb = 16, junk = 2;
  int probe_ms = 20;
  bool as_json = false;
  std::string http;
  int each_s = 0, loris = 100, pipeline = 2;
  app.add_option("--connect", connect, "Server HOST:PORT (loopback)")->capture_default_str();
  app.add_option("--http", http,
                 "The same server's HTTP HOST:PORT (loopback): with --each, attack it too");
  app.add_option("--each", each_s,
                 "Run the attacks one at a time, this many seconds each, and report the probe's "
                 "p50/p95 per attack (NDJSON, and HTTP with --http)");
  app.add_option("--loris", loris, "With --each: requests begun and never finished")
      ->capture_default_str();
  app.add_option("--pipeline", pipeline, "With --each: clients pipelining 100 searches")
      ->capture_default_str();
  app.add_option("--pid", pid, "Server process id, to read its memory from /proc");
  app.add_option("--duration", duration_s, "Seconds of attack")->capture_default_str();
  app.add_option("--idle", idle, "Idle connections held")->capture_default_str();
  app.add_option("--slow", slow, "Byte-at-a-time clients")->capture_default_str();
  app.add_option("--huge", huge, "Clients sending oversized lines")->capture_default_str();
  app.add_option("--huge-mb", huge_mb, "Megabytes per oversized line")->capture_default_str();
  app.add_option("--junk", junk, "Clients sending malformed and expensive requests")
      ->capture_default_str();
  app.add_option("--probe-interval", probe_ms, "Milliseconds between probe searches")
      ->capture_default_str();
  app.add_flag("--json", as_json, "Print the report as one JSON object");
  CLI11_PARSE(app, argc, argv);
  auto address = ParseHostPort(connect);
  if (!address.ok()) {
    std::fprintf(stderr, "findling-hostile: %s\n", address.status().message().c_str());
    return 2;
  }
  const HostPort& to = address.value();
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
  if (!http.empty() && each_s <= 0) {
    std::fprintf(stderr, "findling-hostile: --http needs --each SECONDS\n");
    return 2;
  }
  if (each_s > 0) {
    std::vector<Side> sides = {{"NDJSON", to, false}};
    if (!http.empty()) {
      auto http_address = ParseHostPort(http);
      if (!http_address.ok()) {
        std::fprintf(stderr, "findling-hostile: --http: %s\n",
                     http_address.status().message().c_str());
        return 2;
      }
      sides.push_back({"HTTP", http_address.value(), true});
    }
    PhaseOptions o;
    o.idle = idle;
    o.slow = slow;
    o.huge = huge;
    o.huge_mb = huge_mb;
    o.junk = junk;
    o.loris = loris;
    o.pipeline = pipeline;
    o.probe_interval = std::chrono::milliseconds(probe_ms);
    o.each = std::chrono::seconds(each_s);
    return RunEach(sides, o, as_json);
  }

  const ProcessMemory before = ReadProcessMemory(pid);
  std::atomic<bool> stop{false};
  const Latencies baseline = Probe(to, std::chrono::milliseconds(probe_ms), stop, 5s);

  // Idle connections first, then everything else at once.
  std::vector<int> idle_fds;
  for (int i = 0; i < idle; ++i) {
    const int fd = ConnectRaw(to);
    if (fd >= 0) idle_fds.push_back(fd);
  }
  Counters counters;
  std::vector<std::thread> attackers;
  for (int i = 0; i < slow; i += 25) {
    attackers.emplace_back(SlowClients, to, std::min(25, slow - i), std::cref(stop),
                           std::ref(counters));
  }
  for (int i = 0; i < huge; ++i) {
    attackers.emplace_back(HugeClient, to, huge_mb, std::cref(stop), std::ref(counters));
  }
  for (int i = 0; i < junk; ++i) {
    attackers.emplace_back(JunkClient, to, std::cref(stop), std::ref(counters));
  }
  ProcessMemory peak_sample;
  std::thread sampler([&] {
    while (!stop) {
      const ProcessMemory m = ReadProcessMemory(pid);
      peak_sample.rss_kb = std::max(peak_sample.rss_kb, m.rss_kb);
      std::this_thread::sleep_for(100ms);
    }
  });
  const Latencies attacked =
      Probe(to, std::chrono::milliseconds(probe_ms), stop, std::chrono::seconds(duration_s));
  // Idle connections still open (the server answers "overloaded" and closes
  // those over its cap).
  long held = 0;
  for (int fd : idle_fds) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 0) == 0) ++held;
  }
  stop = true;
  for (auto& t : attackers) t.join();
  sampler.join();
  for (int fd : idle_fds) close(fd);
  std::this_thread::sleep_for(1s);
  const ProcessMemory after = ReadProcessMemory(pid);

  std::vector<double> junk_ms;
  std::map<std::string, long> junk_codes;
  {
    std::lock_guard<std::mutex> lock(counters.mu);
    junk_ms = counters.junk_ms;
    junk_codes = counters.junk_codes;
  }
  Latencies junk_latency;
  junk_latency.ms = junk_ms;
  json report = {
      {"duration_s", duration_s},
      {"probe_baseline", baseline.ToJson()},
      {"probe_under_attack", attacked.ToJson()},
      {"idle", {{"opened", idle_fds.size()}, {"held", held}}},
      {"slow",
       {{"clients", slow},
        {"answered", counters.slow_answered.load()},
        {"failed", counters.slow_failed.load()}}},
      {"huge",
       {{"clients", huge},
        {"mb_per_line", huge_mb},
        {"refused", counters.huge_refused.load()},
        {"unexpected", counters.huge_unexpected.load()}}},
      {"junk",
       {{"clients", junk},
        {"answered_as_expected", counters.junk_answered.load()},
        {"unexpected", counters.junk_unexpected.load()},
        {"codes", junk_codes},
        {"latency", junk_latency.ToJson()}}},
      {"memory_kb",
       {{"before", before.rss_kb},
        {"peak_sampled", peak_sample.rss_kb},
        {"peak_vmhwm", after.peak_kb},
        {"after", after.rss_kb}}},
  };
  if (as_json) {
    std::printf("%s\n", report.dump().c_str());
  } else {
    const auto row = [](const char* name, const Latencies& l) {
      std::printf("| %s | %zu | %ld | %.2f | %.2f | %.2f | %.2f |\n", name, l.ms.size(), l.failed,
                  l.At(50), l.At(95), l.At(99), l.At(100));
    };
    std::printf("| probe | answered | failed | p50 ms | p95 ms | p99 ms | max ms |\n");
    std::printf("|---|---:|---:|---:|---:|---:|---:|\n");
    row("alone (5 s)", baseline);
    row(("under attack (" + std::to_string(duration_s) + " s)").c_str(), attacked);
    row("junk requests", junk_latency);
    std::printf("\n| attacker | result |\n|---|---|\n");
    std::printf("| %d idle connections | %ld still open at the end |\n", idle, held);
    std::printf("| %d byte-at-a-time clients | %ld requests answered, %ld failed |\n", slow,
                counters.slow_answered.load(), counters.slow_failed.load());
    std::printf("| %d clients sending %d MB lines | %ld refused (line_too_long), %ld other |\n",
                huge, huge_mb, counters.huge_refused.load(), counters.huge_unexpected.load());
    std::printf("| %d junk clients | %ld answered as expected, %ld not |\n", junk,
                counters.junk_answered.load(), counters.junk_unexpected.load());
    if (pid > 0) {
      std::printf(
          "\nserver RSS: %ld kB before, %ld kB peak (sampled), %ld kB VmHWM, %ld kB after\n",
          before.rss_kb, peak_sample.rss_kb, after.peak_kb, after.rss_kb);
    }
  }
  const bool held_up = attacked.failed == 0 && counters.junk_unexpected == 0 &&
                       counters.huge_unexpected == 0 && counters.slow_failed == 0;
  return held_up ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) { return Run(argc, argv); }
