// Server: JSON line in, JSON line out, over TCP (docs/protocol.md), and the
// same requests over HTTP/JSON when options.http (server/http_server.h,
// docs/http.md). Both protocols go through Impl::Answer: ping and stats on
// the I/O thread, the rest on the worker pool's lanes.
//
// Threads. One or more I/O threads run an asio::io_context and do only I/O,
// JSON parsing of requests and the cheap ops (ping, stats). Searches, gets and
// suggestions run on a WorkerPool, whose threads each own a Searcher; a
// worker serialises its response and posts it back to the connection. The
// reader sorts each search into the pool's ordinary or heavy lane (IsHeavy)
// before queueing it; at most max_heavy heavy requests run at once, so
// wildcard floods cannot occupy every worker.
//
// Connections. Each connection is three coroutines on one strand: a reader
// (bounded line buffer, at most max_in_flight requests outstanding, then it
// stops reading until responses drain, so a client that never reads cannot
// grow the server's memory), a writer (sends responses strictly in request
// order, however the workers finish) and a watchdog (idle timeout, slow
// readers, the drain deadline on shutdown). A bad request gets an error
// response and the connection carries on; only an oversized line closes it,
// because the rest of that line cannot be told apart from the next request.
//
// Shutdown. Stop() (or SIGINT/SIGTERM when handle_signals) stops accepting,
// stops reading, lets every request already read finish and be written, then
// closes the connections; Run() returns once they are all closed.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "searcher/searcher.h"
#include "server/protocol.h"

namespace findling::server {

struct ServerOptions {
  std::vector<std::string> db_paths;  // at least one; several are searched as one
  std::string host = "127.0.0.1";
  std::uint16_t port = 7700;  // 0: any free port (see Server::port())
  bool ndjson = true;         // serve NDJSON on host:port
  // HTTP/JSON beside (or instead of) NDJSON, on the same workers and limits
  // (server/http_server.h, docs/http.md).
  bool http = false;
  std::string http_host = "127.0.0.1";
  std::uint16_t http_port = 7701;  // 0: any free port (see Server::http_port())
  // API keys for HTTP (http_request.h, ApiKeys); empty: none. Without keys,
  // HTTP listens on loopback addresses only, --allow-remote or not.
  std::string api_key_file;
  std::size_t max_header_bytes = 8192;  // HTTP request line and headers
  bool log_requests = false;            // one JSON line per HTTP request on stderr
  // The protocol has no authentication, so listening on anything but a
  // loopback address must be asked for.
  bool allow_remote = false;

  unsigned threads = 0;     // search workers; 0 = the number of cores
  unsigned io_threads = 1;  // one I/O thread outpaces the workers on small machines
  // Heavy requests (IsHeavy in handler.h: wildcards, many words) running at
  // once; 0 = max(1, threads - 1), so that with two or more workers one is
  // always free for ordinary requests. More than `threads` counts as threads.
  unsigned max_heavy = 0;

  std::size_t max_line_bytes = 1 << 20;            // a request line without its newline
  std::size_t max_connections = 1024;              // more are answered "overloaded" and closed
  std::size_t max_in_flight = 64;                  // per connection, read but not yet written
  std::size_t max_queued = 4096;                   // per lane: requests waiting for a worker
  std::chrono::milliseconds idle_timeout{60000};   // no complete request and nothing to do
  std::chrono::milliseconds query_budget{2000};    // line received to response ready
  std::chrono::milliseconds reopen_interval{500};  // how stale a worker's index view may get
  std::chrono::milliseconds drain_timeout{10000};  // on Stop(), then connections are cut
  std::chrono::milliseconds linger{2000};  // after the last response, waiting for the client

  SearcherOptions searcher;
  RequestLimits request_limits;

  bool handle_signals = false;  // SIGINT/SIGTERM call Stop() (the executable sets this)
  bool verbose = false;         // one stderr line per request; errors are always logged
};

class Server {
 public:
  // Checks the options, opens one Searcher per worker and binds the listening
  // socket (so port() is known before Run()). Fails with kInvalidInput for
  // bad options or a non-loopback address without allow_remote, the Searcher
  // error for a missing or incompatible index, kIo when the address cannot
  // be bound (in use, not local), each with a message naming what failed.
  static Result<std::unique_ptr<Server>> Create(const ServerOptions& options);
  // Run() must have returned (or never been called) before destruction.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Serves until Stop(), then drains as described above and returns OK.
  // Blocks the calling thread, which becomes an I/O thread. Call once.
  Status Run();

  // Begins the shutdown. Thread-safe; may be called before Run() (Run() then
  // returns as soon as it started), more than once, and from any thread.
  void Stop();

  // The bound port (the real one when options.port was 0), and "host:port";
  // 0 and "" when NDJSON is off. http_port() likewise for HTTP.
  std::uint16_t port() const;
  std::string address() const;
  std::uint16_t http_port() const;
  std::string http_address() const;

 private:
  class Connection;
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace findling::server
