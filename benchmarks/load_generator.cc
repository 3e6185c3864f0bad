// findling-load: replays a query mix against a findling-server and reports
// throughput and latency per concurrency level, as a markdown table.
//
//   findling-load --connect 127.0.0.1:7700 --vocab-from-index klex.db
//                 --concurrency 1,8,32,128 --duration 10
//
// Each simulated client is a thread with one connection that sends a request,
// waits for its response and sends the next (closed loop), so the latency is
// what a tool calling the server sees. Blocking threads rather than Asio keep
// the client simple; at 128 clients they cost the server some CPU on a small
// machine, which the report states with the thread count.
//
// The query mix is drawn with a fixed seed from the corpus itself (with
// --vocab-from-index): single words, two words, phrases of two adjacent words
// taken from stored documents, prefixes, and words with a category or date
// filter. With --queries FILE each line is one query, sent as written.
// Every response is checked: valid JSON, no "error", a "hits" array.
//
// With --http the same requests go to findling-server --http as
// GET /search?q=... on keep-alive connections (docs/http.md), so the two
// protocols can be compared on one server.
#include <xapian.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "benchmarks/closed_loop.h"
#include "client/client.h"
#include "common/host_port.h"
#include "common/index_schema.h"
#include "server/stats.h"

namespace {

using namespace findling;
using namespace findling::client;
using namespace findling::server;
using nlohmann::json;

struct QueryMix {
  std::vector<json> requests;  // {"op":"search",...} objects, drawn from at random
  std::map<std::string, int> kinds;
};

// "Straße" -> "Stra%C3%9Fe": everything but unreserved bytes escaped.
std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// The HTTP form of a {"op":"search",...} or {"op":"stats"} request:
// GET /search?q=...&limit=..., GET /stats.
std::string RequestTarget(const json& request) {
  std::string target = "/" + request.value("op", std::string("search")) + "?";
  for (const auto& [name, value] : request.items()) {
    if (name == "op") continue;
    if (target.back() != '?') target += '&';
    target += PercentEncode(name) + "=" +
              PercentEncode(value.is_string() ? value.get<std::string>() : value.dump());
  }
  return target;
}

// One client connection: sends a request object, returns the response body.
using Caller = std::function<Result<std::string>(const json&)>;

// A keep-alive HTTP/1.1 connection to findling-server --http.
class HttpCaller {
 public:
  static Result<std::shared_ptr<HttpCaller>> Connect(const HostPort& address) {
    auto caller = std::shared_ptr<HttpCaller>(new HttpCaller());
    boost::system::error_code ec;
    boost::asio::ip::tcp::resolver resolver(caller->io_);
    const auto endpoints = resolver.resolve(address.host, std::to_string(address.port), ec);
    if (!ec) caller->stream_.connect(endpoints, ec);
    if (ec) return Status::Io("cannot connect to " + address.ToString() + ": " + ec.message());
    caller->host_ = address.ToString();
    return caller;
  }
  Result<std::string> Call(const json& request) {
    namespace http = boost::beast::http;
    http::request<http::empty_body> get{http::verb::get, RequestTarget(request), 11};
    get.set(http::field::host, host_);
    http::response<http::string_body> response;
    boost::system::error_code ec;
    stream_.expires_after(std::chrono::seconds(30));
    http::write(stream_, get, ec);
    if (!ec) http::read(stream_, buffer_, response, ec);
    if (ec) return Status::Io("HTTP: " + ec.message());
    return std::move(response.body());
  }

 private:
  HttpCaller() : stream_(io_) {}
  boost::asio::io_context io_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::string host_;
};

Result<Caller> Open(const HostPort& address, bool http) {
  if (http) {
    auto caller = HttpCaller::Connect(address);
    if (!caller.ok()) return caller.status();
    return Caller([c = std::move(caller).value()](const json& r) { return c->Call(r); });
  }
  auto client = Client::Connect(address);
  if (!client.ok()) return client.status();
  std::shared_ptr<Client> shared = std::move(client).value();
  return Caller([shared](const json& r) { return shared->Call(r.dump()); });
}

bool g_http = false;

bool IsPlainWord(const std::string& w) {
  if (w.size() < 4) return false;
  for (unsigned char c : w) {
    // ASCII letters and any UTF-8 multibyte (umlauts, ß); no digits or marks.
    if (!(std::isalpha(c) || c >= 0x80)) return false;
  }
  return true;
}

std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalpha(u) || u >= 0x80) {
      current += c;
    } else {
      if (!current.empty()) out.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

// Set from --no-snippets before the mix is built.
bool g_snippets = true;

json Search(const std::string& q) {
  return {{"op", "search"}, {"q", q}, {"limit", 10}, {"snippets", g_snippets}};
}

// Builds `count` requests from the vocabulary and documents of the index at
// `path`. Deterministic for a given index and seed.
Result<QueryMix> MixFromIndex(const std::string& path, std::size_t count, unsigned seed) {
  std::vector<std::string> vocab, categories;
  std::vector<std::pair<std::string, std::string>> pairs;  // adjacent words from real text
  std::vector<std::string> dates;
  try {
    Xapian::Database db(path);
    // Exact forms that occur in at least 3 documents, most frequent first:
    // queries people type are rarely hapaxes.
    std::vector<std::pair<Xapian::doccount, std::string>> forms;
    for (auto it = db.allterms_begin(schema::kExactPrefix);
         it != db.allterms_end(schema::kExactPrefix); ++it) {
      const std::string form = (*it).substr(1);
      if (it.get_termfreq() >= 3 && IsPlainWord(form)) forms.emplace_back(it.get_termfreq(), form);
    }
    std::sort(forms.rbegin(), forms.rend());
    // Skip the 100 most frequent (stop-word-like), keep the next 5000.
    for (std::size_t i = std::min<std::size_t>(100, forms.size() / 10);
         i < forms.size() && vocab.size() < 5000; ++i) {
      vocab.push_back(forms[i].second);
    }
    for (auto it = db.allterms_begin(schema::kCategoryPrefix);
         it != db.allterms_end(schema::kCategoryPrefix); ++it) {
      categories.push_back((*it).substr(1));
    }
    std::mt19937 rng(seed);
    const Xapian::docid last = db.get_lastdocid();
    for (int i = 0; i < 400 && last > 0; ++i) {
      const Xapian::docid id = std::uniform_int_distribution<Xapian::docid>(1, last)(rng);
      try {
        auto doc = StoredDocument::FromData(db.get_document(id).get_data());
        if (!doc.ok()) continue;
        if (!doc->date.empty()) dates.push_back(doc->date);
        const auto words = Words(doc->text.substr(0, 2000));
        if (words.size() < 2) continue;
        const std::size_t at = std::uniform_int_distribution<std::size_t>(0, words.size() - 2)(rng);
        if (IsPlainWord(words[at]) && IsPlainWord(words[at + 1])) {
          pairs.emplace_back(words[at], words[at + 1]);
        }
      } catch (const Xapian::DocNotFoundError&) {
        // A deleted document: draw another.
      }
    }
  } catch (const Xapian::Error& e) {
    return Status::Io("cannot read vocabulary from " + path + ": " + e.get_description());
  }
  if (vocab.size() < 10) return Status::InvalidInput(path + " has too few words for a query mix");

  std::mt19937 rng(seed);
  const auto pick = [&rng](const auto& v) -> const auto& {
    return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
  };
  QueryMix mix;
  for (std::size_t i = 0; i < count; ++i) {
    // The mix, in percent: 35 one word, 25 two words, 15 phrase, 15 prefix, 10 filtered.
    const int roll = std::uniform_int_distribution<int>(0, 99)(rng);
    if (roll < 35) {
      mix.requests.push_back(Search(pick(vocab)));
      ++mix.kinds["word"];
    } else if (roll < 60) {
      mix.requests.push_back(Search(pick(vocab) + " " + pick(vocab)));
      ++mix.kinds["two words"];
    } else if (roll < 75 && !pairs.empty()) {
      const auto& [a, b] = pick(pairs);
      mix.requests.push_back(Search("\"" + a + " " + b + "\""));
      ++mix.kinds["phrase"];
    } else if (roll < 90) {
      const std::string& w = pick(vocab);
      // 4 to 6 bytes, backed off to a UTF-8 boundary.
      std::size_t n = std::min<std::size_t>(w.size(), 4 + rng() % 3);
      while (n > 0 && (static_cast<unsigned char>(w[n]) & 0xC0) == 0x80) --n;
      mix.requests.push_back(Search(w.substr(0, n) + "*"));
      ++mix.kinds["prefix"];
    } else {
      json r = Search(pick(vocab));
      if (!categories.empty() && rng() % 2 == 0) {
        r["category"] = pick(categories);
      } else if (!dates.empty()) {
        r["date_from"] = pick(dates).substr(0, 4) + "-01-01";
      }
      mix.requests.push_back(std::move(r));
      ++mix.kinds["filtered"];
    }
  }
  return mix;
}

Result<QueryMix> MixFromFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot open " + path);
  QueryMix mix;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    mix.requests.push_back(Search(line));
    ++mix.kinds["from file"];
  }
  if (mix.requests.empty()) return Status::InvalidInput(path + " has no queries");
  return mix;
}

// Why `line` is not a good search response, or "" when it is.
std::string CheckResponse(const Result<std::string>& line) {
  if (!line.ok()) return line.status().message();
  const json r = json::parse(line.value(), nullptr, /*allow_exceptions=*/false);
  if (!r.is_object()) return "not a JSON object: " + line.value().substr(0, 200);
  if (r.contains("error")) return "error response: " + r["error"].dump();
  if (!r.contains("hits") || !r["hits"].is_array()) return "no hits array: " + line.value();
  return "";
}

bench::LoadLevel RunLevel(const HostPort& address, const QueryMix& mix, unsigned concurrency,
                          std::chrono::seconds duration, unsigned seed) {
  return bench::RunClosedLoop(concurrency, duration, [&](unsigned t) -> Result<bench::LoadSession> {
    auto client = Open(address, g_http);
    if (!client.ok()) return client.status();
    auto rng = std::make_shared<std::mt19937>(seed * 7919u + t);
    return bench::LoadSession([&mix, rng, call = std::move(client).value()] {
      const json& request = mix.requests[std::uniform_int_distribution<std::size_t>(
          0, mix.requests.size() - 1)(*rng)];
      const auto line = call(request);
      const std::string why = CheckResponse(line);
      if (why.empty()) return bench::LoadReply{};
      return bench::LoadReply{why + " (query " + request.dump() + ")", !line.ok()};
    });
  });
}

std::vector<unsigned> ParseLevels(const std::string& text) {
  std::vector<unsigned> out;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t comma = text.find(',', i);
    const std::string part =
        text.substr(i, comma == std::string::npos ? std::string::npos : comma - i);
    try {
      const unsigned long n = std::stoul(part);
      if (n == 0 || n > 4096) return {};
      out.push_back(static_cast<unsigned>(n));
    } catch (const std::exception&) {
      return {};
    }
    if (comma == std::string::npos) break;
    i = comma + 1;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Load a findling-server with a replayed query mix; prints a markdown table.",
               "findling-load"};
  std::string connect = "127.0.0.1:7700", queries_file, vocab_db, levels_text = "1,8,32,128";
  unsigned duration_s = 10, seed = 42;
  std::size_t mix_size = 10000;
  app.add_option("--connect", connect, "findling-server address HOST:PORT")->capture_default_str();
  auto* file_opt = app.add_option("--queries", queries_file, "File with one query per line");
  auto* vocab_opt = app.add_option("--vocab-from-index", vocab_db,
                                   "Draw the query mix from this index's vocabulary");
  file_opt->excludes(vocab_opt);
  app.add_option("--concurrency", levels_text, "Comma-separated client counts")
      ->capture_default_str();
  app.add_option("--duration", duration_s, "Seconds per concurrency level")
      ->capture_default_str()
      ->check(CLI::Range(1u, 3600u));
  app.add_option("--seed", seed, "Random seed for the query mix")->capture_default_str();
  app.add_option("--mix-size", mix_size, "Queries in the generated mix")->capture_default_str();
  bool no_snippets = false;
  app.add_flag("--http", g_http,
               "--connect names findling-server --http: send GET /search?q=... (keep-alive)");
  app.add_flag("--no-snippets", no_snippets,
               "Ask for hits without snippets (measures search and server, not snippets)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (queries_file.empty() == vocab_db.empty()) {
    std::fprintf(stderr, "findling-load: give --queries FILE or --vocab-from-index DB\n");
    return 2;
  }
  g_snippets = !no_snippets;
  const auto levels = ParseLevels(levels_text);
  if (levels.empty()) {
    std::fprintf(stderr, "findling-load: --concurrency wants numbers like 1,8,32,128\n");
    return 2;
  }
  auto address = ParseHostPort(connect);
  if (!address.ok()) {
    std::fprintf(stderr, "findling-load: --connect: %s\n", address.status().message().c_str());
    return 2;
  }
  auto mix = vocab_db.empty() ? MixFromFile(queries_file) : MixFromIndex(vocab_db, mix_size, seed);
  if (!mix.ok()) {
    std::fprintf(stderr, "findling-load: %s\n", mix.status().message().c_str());
    return 2;
  }
  // One request first: fail fast with the server's own words.
  {
    auto client = Open(address.value(), g_http);
    if (!client.ok()) {
      std::fprintf(stderr, "findling-load: %s\n", client.status().message().c_str());
      return 3;
    }
    auto stats = client.value()(json{{"op", "stats"}});
    const json s = stats.ok() ? json::parse(stats.value(), nullptr, false) : json();
    std::printf("Server %s (%s): %s documents, %s worker threads. Query mix: %zu queries (",
                connect.c_str(), g_http ? "HTTP" : "NDJSON",
                s.is_object() ? s.value("documents", json()).dump().c_str() : "?",
                s.is_object() ? s.value("threads", json()).dump().c_str() : "?",
                mix->requests.size());
    bool first = true;
    for (const auto& [kind, n] : mix->kinds) {
      std::printf("%s%s %d", first ? "" : ", ", kind.c_str(), n);
      first = false;
    }
    std::printf("), seed %u, %u s per level, %s.\n\n", seed, duration_s,
                g_snippets ? "10 hits with snippets" : "10 hits without snippets");
  }
  return bench::PrintLoadTable("findling-load", levels, [&](unsigned level) {
    return RunLevel(address.value(), mix.value(), level, std::chrono::seconds(duration_s), seed);
  });
}
