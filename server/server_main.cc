// findling-server: serves Findling indexes over newline-delimited JSON on TCP.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <cstdio>
#include <string>

#include "common/cli_support.h"
#include "common/host_port.h"
#include "searcher/shard_flags.h"
#include "server/server.h"

int main(int argc, char** argv) {
  using namespace findling;
  using namespace findling::server;
  CLI::App app{
      "Serve Findling indexes to tools: one JSON request per line in, one JSON response per "
      "line out (see docs/protocol.md). Try: printf '{\"op\":\"ping\"}\\n' | nc -q1 127.0.0.1 "
      "7700\n\nStops on SIGINT/SIGTERM after answering the requests in flight. Exit status: 0 "
      "stopped cleanly, 2 bad command line, 3 index missing or address unusable.",
      "findling-server"};
  app.footer(
      "HTTP: --http 127.0.0.1:7701 serves the same requests as GET /search?q=..., "
      "/documents/ID, /suggest?q=..., /stats, /health, /metrics and a search page at / (see "
      "docs/http.md). Without --listen, --http serves HTTP only; give both for both.");
  ServerOptions options;
  std::string listen = "127.0.0.1:7700";
  double idle_s = 60, budget_s = 2;
  unsigned reopen_ms = 500;
  ShardFlags shard_flags;
  shard_flags.Add(app, options.db_paths, options.searcher,
                  "When a remote shard is down or slow, answer from the others and name the "
                  "missing one in \"missing_shards\" (default: a shard_unavailable error)");
  // Every option with a value worth showing shows its default in --help.
  const auto with_default = [&app](const char* name, auto& value, const char* help) {
    return app.add_option(name, value, help)->capture_default_str();
  };
  std::string http;
  CLI::Option* listen_option =
      with_default("--listen", listen, "HOST:PORT to serve NDJSON on (port 0: any free port)");
  app.add_option("--http", http,
                 "HOST:PORT to serve HTTP/JSON and the search page on, e.g. 127.0.0.1:7701");
  app.add_option("--api-key-file", options.api_key_file,
                 "File of API keys, one per line ('#' comments); every HTTP request except the "
                 "page at / then needs 'Authorization: Bearer KEY'. Required for a non-loopback "
                 "--http address")
      ->check(CLI::ExistingFile);
  with_default("--max-header", options.max_header_bytes,
               "Longest HTTP request line plus headers in bytes; longer ones get 431 and a close");
  app.add_flag("--log-requests", options.log_requests,
               "One JSON line per HTTP request on stderr (time, op, status, latency, query "
               "length; never the key)");
  app.add_flag("--allow-remote", options.allow_remote,
               "Allow a non-loopback --listen address (NDJSON has no authentication)");
  app.add_option("--threads", options.threads, "Search worker threads (default: cores)");
  with_default("--io-threads", options.io_threads, "Network threads");
  app.add_option("--max-heavy", options.max_heavy,
                 "Heavy searches (a wildcard such as Sprach*, or more than 32 words) running at "
                 "once; the other workers stay free for ordinary requests (default: threads - 1, "
                 "at least 1)")
      ->check(CLI::PositiveNumber);
  with_default("--max-line", options.max_line_bytes,
               "Longest request line in bytes; longer ones get an error and a close");
  with_default("--max-connections", options.max_connections,
               "Open connections, per protocol (NDJSON, HTTP); more are answered "
               "'overloaded' (HTTP: 503) and closed");
  with_default("--max-in-flight", options.max_in_flight,
               "Pipelined requests per connection before reading pauses");
  with_default("--max-queued", options.max_queued,
               "Requests waiting for a worker, per lane (ordinary, heavy); more are answered "
               "'overloaded'");
  with_default("--max-limit", options.searcher.limits.max_limit, "Largest 'limit' of a search");
  with_default("--idle-timeout", idle_s,
               "Seconds without a complete request before closing (a request begun over HTTP "
               "gets 408); also how long a client may leave a response unread")
      ->check(CLI::PositiveNumber);
  with_default("--time-budget", budget_s,
               "Seconds a request may take, queueing included, before it is a timeout error")
      ->check(CLI::PositiveNumber);
  with_default("--reopen-interval", reopen_ms,
               "Milliseconds between checks for index updates by findling-index");
  app.add_option("--lexicon", options.searcher.lexicon_path, kLexiconOptionHelp);
  app.add_flag("-v,--verbose", options.verbose, "Log every request on stderr (errors always are)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  if (options.db_paths.empty()) options.db_paths.push_back(DefaultDbPath());
  // HOST:PORT into host and port, or false after saying what is wrong with `flag`.
  const auto address = [](const char* flag, const std::string& text, std::string& host,
                          std::uint16_t& port) {
    auto parsed = ParseHostPort(text);
    if (!parsed.ok()) {
      std::fprintf(stderr, "findling-server: %s: %s\n", flag, parsed.status().message().c_str());
      return false;
    }
    host = parsed->host;
    port = parsed->port;
    return true;
  };
  if (!address("--listen", listen, options.host, options.port)) return kExitUsage;
  if (!http.empty()) {
    if (!address("--http", http, options.http_host, options.http_port)) return kExitUsage;
    options.http = true;
    options.ndjson = listen_option->count() > 0;
  }
  options.idle_timeout = std::chrono::milliseconds(static_cast<long>(idle_s * 1000));
  options.query_budget = std::chrono::milliseconds(static_cast<long>(budget_s * 1000));
  options.reopen_interval = std::chrono::milliseconds(reopen_ms);
  shard_flags.ApplyTo(options.searcher);
  options.handle_signals = true;

  auto server = Server::Create(options);
  if (!server.ok()) {
    std::fprintf(stderr, "findling-server: %s\n", server.status().message().c_str());
    return server.status().code() == Status::Code::kInvalidInput ? kExitUsage : kExitFailure;
  }
  // Scripts that start the server with port 0 read the address from here.
  if (options.ndjson) {
    std::fprintf(stderr, "findling-server: listening on %s\n", server.value()->address().c_str());
  }
  if (options.http) {
    std::fprintf(stderr, "findling-server: HTTP on http://%s/\n",
                 server.value()->http_address().c_str());
  }
  const Status run = server.value()->Run();
  if (!run.ok()) {
    std::fprintf(stderr, "findling-server: %s\n", run.message().c_str());
    return kExitFailure;
  }
  std::fprintf(stderr, "findling-server: stopped\n");
  return kExitOk;
}
