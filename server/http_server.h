// HttpListener: the HTTP/1.1 face of findling-server (docs/http.md), beside
// the NDJSON listener and on the same workers, handler and limits.
//
// Each accepted connection is one coroutine on its own strand that reads a
// request (Boost.Beast parser with header and body limits, one deadline for
// the whole request, so a slow loris is cut off), maps its target onto a
// protocol Request (http_request.h), hands that to the HttpBackend (the
// server's dispatch: ping and stats at once, the rest on a worker lane) and
// writes the JSON reply with a status code from the error code. Requests on
// a connection are answered one after the other (keep-alive; pipelined
// requests wait in the socket, so a client that pipelines without reading
// holds at most one response in the server). The limits per connection are
// the NDJSON side's: at most max_connections open (more get 503 and a
// close), idle_timeout to receive a whole request and write_timeout to
// write a response (the server sets both from --idle-timeout). A request
// begun but not complete by then (a slow loris, a body shorter than its
// Content-Length) gets 408 and a close; an idle keep-alive connection that
// sent nothing is closed without a response. A malformed request, oversized
// headers (431) or an oversized body (413) get an error response and a
// close, because the rest of the stream cannot be trusted; everything else
// keeps the connection.
//
// Stop() stops accepting; idle connections close at once, busy ones after
// their response (sent with "Connection: close").
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/status.h"
#include "server/handler.h"
#include "server/http_request.h"
#include "server/metrics.h"
#include "server/mutex.h"
#include "server/protocol.h"

namespace findling::server {

struct HttpOptions {
  std::size_t max_header_bytes = 8192;             // request line and headers; more is 431
  std::size_t max_body_bytes = 64 << 10;           // GET needs none; more is 413
  std::size_t max_connections = 1024;              // more are answered 503 and closed
  std::chrono::milliseconds idle_timeout{60000};   // to read one whole request
  std::chrono::milliseconds write_timeout{60000};  // to write one response
  std::chrono::milliseconds linger{2000};          // after the last response
  RequestLimits request_limits;
  ApiKeys keys = ApiKeys::FromKeys({});  // empty: no Authorization needed
  bool log_requests = false;             // one JSON line per request on stderr
};

// What a session needs from the server. Implemented by Server.
class HttpBackend {
 public:
  virtual ~HttpBackend() = default;
  // Answers an API request exactly once through `done`, from any thread:
  // the same dispatch as an NDJSON request line.
  virtual void Answer(Request request, Clock::time_point received,
                      std::function<void(Reply)> done) = 0;
  // The body of GET /metrics.
  virtual std::string MetricsText() = 0;
  // One answered request, for the stats and the metrics.
  virtual void Record(std::string_view op, std::string_view status, double ms, bool error) = 0;
};

class HttpListener {
 public:
  // Binds `endpoint` on `io`. Fails with kIo naming the address.
  static Result<std::unique_ptr<HttpListener>> Create(
      boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
      HttpBackend& backend, const HttpOptions& options);
  ~HttpListener();
  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  void Start();  // begins accepting (on the io_context's threads)
  void Stop();   // thread-safe, idempotent; see above
  std::uint16_t port() const;
  // Open, accepted and rejected connections; thread-safe.
  ConnectionCounts connections() const;

  class Session;
  struct Impl;

 private:
  explicit HttpListener(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace findling::server
