#include "server/server.h"

#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <csignal>
#include <cstdio>
#include <deque>
#include <exception>
#include <optional>
#include <thread>
#include <unordered_map>

#include "server/accept_loop.h"
#include "server/handler.h"
#include "server/http_server.h"
#include "server/metrics.h"
#include "server/mutex.h"
#include "server/stats.h"
#include "server/worker_pool.h"

namespace findling::server {
namespace {

namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;
using boost::system::error_code;

std::string EndpointString(const tcp::endpoint& e) {
  const std::string a = e.address().to_string();
  return (e.address().is_v6() ? "[" + a + "]" : a) + ":" + std::to_string(e.port());
}

// JSON's whitespace (RFC 8259: space, \t, \n, \r), not common/ascii.h's
// wider set: a line of "\f" is no blank line to a JSON parser, and the
// client should hear bad_json for it rather than silence.
bool IsBlank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

struct Server::Impl : HttpBackend {
  explicit Impl(const ServerOptions& o)
      : options(o), control(asio::make_strand(io)), acceptor(control), accept_retry(control) {}

  void BeginStop();  // on `control`
  awaitable<void> AcceptLoop();
  void Unregister(std::uint64_t id, bool counted);
  ServerFacts Facts() const;

  // HttpBackend; Answer is the NDJSON connections' dispatch as well.
  void Answer(Request request, Clock::time_point received,
              std::function<void(Reply)> done) override;
  std::string MetricsText() override;
  void Record(std::string_view op, std::string_view status, double ms, bool error) override {
    stats.RecordRequest(ms, error);
    metrics.Record("http", op, status, ms);
  }

  void Log(const std::string& line) const {
    // One fprintf per line: stdio locks the stream, so lines from the I/O and
    // worker threads do not interleave.
    std::fprintf(stderr, "findling-server: %s\n", line.c_str());
  }

  const ServerOptions options;
  tcp::endpoint bound;  // set by Create()
  asio::io_context io;  // before everything that uses it, so it is destroyed last
  asio::strand<asio::io_context::executor_type> control;  // acceptor, signals, stopping
  tcp::acceptor acceptor;
  asio::steady_timer accept_retry;  // pause after accept() fails (out of descriptors)
  std::optional<asio::signal_set> signals;
  bool stopping = false;      // on `control`
  std::uint64_t next_id = 0;  // on `control`
  ServerStats stats;
  Metrics metrics;
  std::unique_ptr<HttpListener> http;  // when options.http
  // Declared after `io`: destroyed (threads joined) before it, because queued
  // tasks hold connections whose sockets belong to `io`.
  std::unique_ptr<WorkerPool> pool;

  mutable Mutex connections_mu;
  std::unordered_map<std::uint64_t, std::weak_ptr<Connection>> connections
      FINDLING_GUARDED_BY(connections_mu);
  std::size_t counted_connections FINDLING_GUARDED_BY(connections_mu) = 0;
};

// One client connection. Everything below runs on the connection's strand
// (the socket's executor), so its state needs no lock; workers reach it only
// through asio::post to that strand.
//
// Invariants: slots_ holds, in request order, one slot per request read and
// not yet written; first_seq_ is the sequence number of slots_.front();
// working_ counts slots whose request is on a worker (so not ready); only the
// reader adds slots, only the writer removes them (Close() aside).
class Server::Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Impl& server, tcp::socket socket, std::uint64_t id, bool counted)
      : server_(server),
        options_(server.options),
        executor_(socket.get_executor()),
        socket_(std::move(socket)),
        id_(id),
        counted_(counted),
        watchdog_(executor_),
        writer_wake_(executor_),
        reader_wake_(executor_) {
    error_code ec;
    const auto remote = socket_.remote_endpoint(ec);
    remote_ = ec ? "?" : EndpointString(remote);
    // Responses are whole lines written at once; Nagle's algorithm would only
    // delay the tail of a large one.
    socket_.set_option(tcp::no_delay(true), ec);
  }

  // Starts the coroutines. A connection over the cap (`counted` false) only
  // gets an "overloaded" response, then is closed.
  void Start() {
    auto self = shared_from_this();
    asio::dispatch(executor_, [self] {
      self->deadline_ = Clock::now() + self->options_.idle_timeout;
      if (!self->counted_) {
        self->reader_done_ = true;
        self->PushFinal(
            ErrorReply(ErrorCode::kOverloaded,
                       "too many connections (the limit is " +
                           std::to_string(self->options_.max_connections) + "); try again later",
                       std::nullopt),
            "connect", Clock::now());
      } else {
        asio::co_spawn(self->executor_, self->Reader(self), LogEscaped("a connection"));
      }
      asio::co_spawn(self->executor_, self->Writer(self), LogEscaped("a connection"));
      asio::co_spawn(self->executor_, self->Watchdog(self), LogEscaped("a connection"));
    });
  }

  // Stops reading and closes once every request already read is answered,
  // or at the drain deadline. Thread-safe.
  void Stop() {
    asio::post(executor_, [self = shared_from_this()] {
      if (self->closed_ || self->stopping_) return;
      self->stopping_ = true;
      self->stop_deadline_ = Clock::now() + self->options_.drain_timeout;
      error_code ec;
      // Ends a pending read with EOF (Linux); the watchdog's deadlines cover
      // systems where it does not.
      self->socket_.shutdown(tcp::socket::shutdown_receive, ec);
      self->reader_wake_.cancel();
      self->watchdog_.cancel();  // re-arm with the drain deadline
    });
  }

 private:
  struct Slot {
    std::string line;
    bool ready = false;
    bool close_after = false;  // the connection closes once this is written
  };

  awaitable<void> Reader(std::shared_ptr<Connection> /*keep alive*/) {
    std::string buffer;
    // + 1 for the newline: a line of exactly max_line_bytes is accepted.
    const std::size_t cap = options_.max_line_bytes + 1;
    for (;;) {
      // Backpressure: stop reading while max_in_flight responses are owed.
      while (!stopping_ && !closed_ && slots_.size() >= options_.max_in_flight) {
        error_code ec;
        reader_wake_.expires_at(Clock::time_point::max());
        co_await reader_wake_.async_wait(asio::redirect_error(use_awaitable, ec));
      }
      if (stopping_ || closed_) break;
      error_code ec;
      const std::size_t n =
          co_await asio::async_read_until(socket_, asio::dynamic_buffer(buffer, cap), '\n',
                                          asio::redirect_error(use_awaitable, ec));
      if (closed_ || stopping_) break;
      if (ec == asio::error::not_found) {
        // The buffer is full and holds no newline. The rest of the line
        // cannot be told from the next request, so answer and close.
        PushFinal(ErrorReply(ErrorCode::kLineTooLong,
                             "request line longer than " + std::to_string(options_.max_line_bytes) +
                                 " bytes; closing the connection",
                             std::nullopt),
                  "-", Clock::now());
        break;
      }
      if (ec) {
        // A last request without a newline ("printf '{...}' | nc") is still
        // answered; a half line cut off by the idle timeout is not.
        if (ec == asio::error::eof && !idle_expired_ && !IsBlank(buffer)) {
          Dispatch(std::move(buffer));
        }
        break;
      }
      std::string line = buffer.substr(0, n - 1);
      buffer.erase(0, n);
      // One huge request must not pin a megabyte to the connection for good.
      if (buffer.capacity() > (64u << 10) && buffer.size() < (4u << 10)) buffer.shrink_to_fit();
      Dispatch(std::move(line));
    }
    if (idle_expired_ && !closed_) {
      PushFinal(
          ErrorReply(ErrorCode::kTimeout,
                     "no complete request for " + std::to_string(options_.idle_timeout.count()) +
                         " ms; closing the connection",
                     std::nullopt),
          "-", Clock::now());
    }
    reader_done_ = true;
    writer_wake_.cancel();
  }

  // Handles one request line: answers it at once (errors, ping, stats) or
  // queues it for a worker.
  void Dispatch(std::string line) {
    const auto received = Clock::now();
    if (!line.empty() && line.back() == '\r') line.pop_back();  // tolerate CRLF clients
    if (IsBlank(line)) return;  // blank lines are not requests and get no response
    deadline_ = received + options_.idle_timeout;
    const std::uint64_t seq = next_seq_++;
    slots_.emplace_back();
    auto parsed = ParseRequest(line, options_.request_limits);
    if (auto* error = std::get_if<ProtocolError>(&parsed)) {
      Complete(seq, ErrorReply(error->code, error->message, error->id),
               error->op ? OpName(*error->op) : "-", received);
      return;
    }
    Request& request = std::get<Request>(parsed);
    const char* op = OpName(request.op);
    ++working_;
    server_.Answer(std::move(request), received,
                   [self = shared_from_this(), seq, op, received](Reply reply) {
                     asio::post(self->executor_,
                                [self, seq, op, received, reply = std::move(reply)]() mutable {
                                  --self->working_;
                                  self->Complete(seq, std::move(reply), op, received);
                                });
                   });
  }

  // Adds a last response after which the connection closes.
  void PushFinal(Reply reply, const char* op, Clock::time_point received) {
    const std::uint64_t seq = next_seq_++;
    slots_.emplace_back();
    slots_.back().close_after = true;
    Complete(seq, std::move(reply), op, received);
  }

  // Fills slot `seq` (if the connection still wants it) and wakes the writer.
  void Complete(std::uint64_t seq, Reply reply, const char* op, Clock::time_point received) {
    const double ms = MillisSince(received);
    server_.stats.RecordRequest(ms, reply.error.has_value());
    server_.metrics.Record("ndjson", op, reply.status(), ms);
    if (options_.verbose || reply.error) {
      char took[32];
      std::snprintf(took, sizeof took, "%.1f ms", ms);
      server_.Log(remote_ + " " + op + " " + took + " " + reply.status() +
                  (reply.error ? ": " + reply.message : ""));
    }
    if (closed_ || seq < first_seq_) return;  // the connection is gone; nobody reads this
    Slot& slot = slots_[seq - first_seq_];
    slot.line = std::move(reply.line);
    slot.ready = true;
    writer_wake_.cancel();
  }

  awaitable<void> Writer(std::shared_ptr<Connection> /*keep alive*/) {
    for (;;) {
      if (closed_) co_return;
      if (!slots_.empty() && slots_.front().ready) {
        // Write every response that is ready in one go: pipelined requests
        // then cost one write, not one per response.
        std::string out;
        bool close_after = false;
        while (!slots_.empty() && slots_.front().ready && out.size() < (256u << 10)) {
          out += slots_.front().line;
          close_after = slots_.front().close_after;
          slots_.pop_front();
          ++first_seq_;
          if (close_after) break;
        }
        reader_wake_.cancel();  // below max_in_flight again
        error_code ec;
        co_await asio::async_write(socket_, asio::buffer(out),
                                   asio::redirect_error(use_awaitable, ec));
        if (ec) {
          Close();
          co_return;
        }
        deadline_ = Clock::now() + options_.idle_timeout;
        if (close_after) break;
        continue;
      }
      if (reader_done_ && slots_.empty()) break;
      error_code ec;
      writer_wake_.expires_at(Clock::time_point::max());
      co_await writer_wake_.async_wait(asio::redirect_error(use_awaitable, ec));
    }
    co_await Linger();
  }

  // Ends the connection gracefully: FIN after the last response, then read
  // and discard what the client still sends until it closes (or the linger
  // deadline). Closing with unread input would send a reset, which can
  // destroy the last response before the client reads it -- exactly the
  // line_too_long and overloaded errors a client most needs to see.
  awaitable<void> Linger() {
    closing_ = true;
    deadline_ = Clock::now() + options_.linger;
    watchdog_.cancel();  // re-arm with the linger deadline
    error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    // Bounded by time (the watchdog closes at the linger deadline), not by
    // bytes: the scratch buffer keeps the memory constant.
    std::array<char, 16384> scratch;
    while (!ec && !closed_) {
      co_await socket_.async_read_some(asio::buffer(scratch),
                                       asio::redirect_error(use_awaitable, ec));
    }
    Close();
  }

  awaitable<void> Watchdog(std::shared_ptr<Connection> /*keep alive*/) {
    while (!closed_) {
      error_code ec;
      watchdog_.expires_at(std::min(deadline_, stop_deadline_));
      co_await watchdog_.async_wait(asio::redirect_error(use_awaitable, ec));
      if (closed_) break;
      const auto now = Clock::now();
      if (now >= stop_deadline_) {
        server_.Log(remote_ + " closed: requests still running at the drain deadline");
        Close();
        break;
      }
      if (now < deadline_) continue;  // woken early, or the deadline moved
      if (closing_ || idle_expired_) {
        Close();  // the client did not finish closing in time
        break;
      }
      if (working_ > 0) {
        // The wait is ours, not the client's; the query budget bounds it.
        deadline_ = now + options_.idle_timeout;
        continue;
      }
      if (!slots_.empty() || reader_done_) {
        // Responses are ready but the write has not finished for a whole
        // idle period: the client does not read. Cut it off.
        if (!slots_.empty()) server_.Log(remote_ + " closed: client not reading its responses");
        Close();
        break;
      }
      // Idle: the client owes us a request. End the read with EOF; the reader
      // then answers "timeout" and the writer closes after it.
      idle_expired_ = true;
      if (options_.verbose) server_.Log(remote_ + " idle timeout");
      deadline_ = now + options_.linger;
      socket_.shutdown(tcp::socket::shutdown_receive, ec);
    }
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    error_code ec;
    socket_.close(ec);
    watchdog_.cancel();
    writer_wake_.cancel();
    reader_wake_.cancel();
    slots_.clear();
    first_seq_ = next_seq_;
    server_.Unregister(id_, counted_);
  }

  Impl& server_;
  const ServerOptions& options_;
  const asio::any_io_executor executor_;  // the connection's strand
  tcp::socket socket_;
  const std::uint64_t id_;
  const bool counted_;  // counts towards max_connections
  std::string remote_;
  asio::steady_timer watchdog_;
  asio::steady_timer writer_wake_;  // cancelled to wake the writer
  asio::steady_timer reader_wake_;  // cancelled to wake the reader
  std::deque<Slot> slots_;
  std::uint64_t first_seq_ = 0;
  std::uint64_t next_seq_ = 0;
  std::size_t working_ = 0;
  Clock::time_point deadline_ = Clock::time_point::max();
  Clock::time_point stop_deadline_ = Clock::time_point::max();
  bool reader_done_ = false;
  bool idle_expired_ = false;
  bool stopping_ = false;
  bool closing_ = false;
  bool closed_ = false;
};

void Server::Impl::BeginStop() {
  if (stopping) return;
  stopping = true;
  if (http) http->Stop();
  error_code ec;
  acceptor.close(ec);
  accept_retry.cancel();
  if (signals) {
    // clear() restores the default action: a second Ctrl-C ends the process.
    signals->cancel(ec);
    signals->clear(ec);
  }
  std::vector<std::shared_ptr<Connection>> open;
  {
    MutexLock lock(&connections_mu);
    for (auto& [id, weak] : connections) {
      if (auto c = weak.lock()) open.push_back(std::move(c));
    }
  }
  for (auto& c : open) c->Stop();
}

void Server::Impl::Unregister(std::uint64_t id, bool counted) {
  MutexLock lock(&connections_mu);
  connections.erase(id);
  if (counted) {
    --counted_connections;
    stats.ConnectionClosed();
  }
}

ServerFacts Server::Impl::Facts() const {
  ServerFacts f;
  f.documents = pool->document_count();
  f.index_bytes = IndexBytesOnDisk(options.db_paths);
  f.threads = pool->threads();
  const WorkerPool::Load load = pool->load();
  f.queued = load.queued;
  f.max_heavy = pool->max_heavy();
  f.heavy_queued = load.heavy_queued;
  f.heavy_running = load.heavy_running;
  f.heavy_run = load.heavy_run;
  return f;
}

void Server::Impl::Answer(Request request, Clock::time_point received,
                          std::function<void(Reply)> done) {
  if (request.op == Op::kPing) {
    done(OkReply({{"pong", true}}, request.id));
    return;
  }
  if (request.op == Op::kStats) {
    done(OkReply(StatsJson(stats.Snapshot(), Facts()), request.id));
    return;
  }
  const std::optional<nlohmann::json> id = request.id;
  const ExecuteOptions execute{options.query_budget, options.searcher.suggest_below};
  const Lane lane = IsHeavy(request) ? Lane::kHeavy : Lane::kOrdinary;
  // Shared, because a refused task is dropped and `done` must still be called.
  auto shared_done = std::make_shared<std::function<void(Reply)>>(std::move(done));
  const bool queued = pool->TrySubmit(
      [shared_done, received, execute, request = std::move(request)](Searcher& searcher) {
        (*shared_done)(Execute(request, searcher, received, execute));
      },
      lane);
  if (!queued) {
    (*shared_done)(
        ErrorReply(ErrorCode::kOverloaded,
                   "server busy: " + std::to_string(options.max_queued) +
                       (lane == Lane::kHeavy ? " heavy (wildcard or long) requests" : " requests") +
                       " are waiting for a worker; try again later",
                   id));
  }
}

std::string Server::Impl::MetricsText() {
  MetricFacts facts;
  facts.server = Facts();
  facts.stats = stats.Snapshot();
  facts.reopens = pool->reopens();
  if (options.ndjson) {
    facts.connections.emplace_back(
        "ndjson", ConnectionCounts{facts.stats.connections, facts.stats.connections_total,
                                   facts.stats.connections_rejected});
  }
  if (http) facts.connections.emplace_back("http", http->connections());
  return metrics.Prometheus(facts);
}

awaitable<void> Server::Impl::AcceptLoop() {
  auto serve = [this](tcp::socket socket) {
    const std::uint64_t id = ++next_id;
    bool counted;
    std::shared_ptr<Connection> connection;
    {
      MutexLock lock(&connections_mu);
      counted = counted_connections < options.max_connections;
      connection = std::make_shared<Connection>(*this, std::move(socket), id, counted);
      connections.emplace(id, connection);
      if (counted) ++counted_connections;
    }
    if (counted) {
      stats.ConnectionOpened();
    } else {
      stats.ConnectionRejected();
      Log("connection refused: " + std::to_string(options.max_connections) +
          " connections open (--max-connections)");
    }
    connection->Start();
  };
  co_await server::AcceptLoop(acceptor, io, accept_retry, stopping, serve,
                              [this](const std::string& why) { Log("accept failed: " + why); });
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() = default;

Result<std::unique_ptr<Server>> Server::Create(const ServerOptions& options_in) {
  ServerOptions options = options_in;
  if (options.db_paths.empty()) return Status::InvalidInput("no index given (--db PATH)");
  if (options.threads == 0) options.threads = std::max(1u, std::thread::hardware_concurrency());
  if (options.io_threads == 0) return Status::InvalidInput("--io-threads must be at least 1");
  if (options.max_line_bytes < 64) return Status::InvalidInput("--max-line must be at least 64");
  if (options.max_in_flight == 0 || options.max_connections == 0 || options.max_queued == 0) {
    return Status::InvalidInput("connection, queue and in-flight limits must be at least 1");
  }
  auto impl = std::make_unique<Impl>(options);

  // Resolve and vet the address before the (slower) index opening.
  tcp::resolver resolver(impl->io);
  error_code ec;
  const auto endpoints = resolver.resolve(options.host, std::to_string(options.port),
                                          tcp::resolver::numeric_service, ec);
  if (ec || endpoints.empty()) {
    return Status::InvalidInput("cannot resolve listen address \"" + options.host +
                                "\": " + ec.message());
  }
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  if (!options.ndjson && !options.http) {
    return Status::InvalidInput("nothing to serve: give --listen, --http or both");
  }
  tcp::endpoint http_endpoint;
  HttpOptions http_options;
  if (options.http) {
    const auto http_endpoints = resolver.resolve(
        options.http_host, std::to_string(options.http_port), tcp::resolver::numeric_service, ec);
    if (ec || http_endpoints.empty()) {
      return Status::InvalidInput("cannot resolve --http address \"" + options.http_host +
                                  "\": " + ec.message());
    }
    http_endpoint = http_endpoints.begin()->endpoint();
    if (!options.api_key_file.empty()) {
      auto keys = ApiKeys::Load(options.api_key_file);
      if (!keys.ok()) return Status::InvalidInput("--api-key-file: " + keys.status().message());
      http_options.keys = std::move(keys).value();
    }
    if (!http_endpoint.address().is_loopback() && http_options.keys.empty()) {
      return Status::InvalidInput("refusing to serve HTTP on " + EndpointString(http_endpoint) +
                                  ": not a loopback address, and no API keys. Pass "
                                  "--api-key-file FILE (one key per line) so that every request "
                                  "must carry \"Authorization: Bearer KEY\".");
    }
    http_options.max_header_bytes = options.max_header_bytes;
    http_options.max_connections = options.max_connections;
    // The NDJSON side's limits per connection: the same cap (counted per
    // protocol) and idle deadline, which also bounds a response's write
    // there (a client not reading its responses is cut off after it).
    http_options.idle_timeout = options.idle_timeout;
    http_options.write_timeout = options.idle_timeout;
    http_options.linger = options.linger;
    http_options.request_limits = options.request_limits;
    http_options.log_requests = options.log_requests;
  }
  if (options.ndjson && !endpoint.address().is_loopback() && !options.allow_remote) {
    return Status::InvalidInput(
        "refusing to listen on " + EndpointString(endpoint) +
        ": not a loopback address, and the protocol has no authentication or encryption. "
        "Pass --allow-remote to serve other machines (behind a firewall).");
  }

  WorkerPoolOptions pool_options;
  pool_options.threads = options.threads;
  pool_options.max_queued = options.max_queued;
  pool_options.max_heavy = options.max_heavy;
  pool_options.reopen_interval = options.reopen_interval;
  auto pool = WorkerPool::Create(options.db_paths, options.searcher, pool_options);
  if (!pool.ok()) return pool.status();
  impl->pool = std::move(pool).value();

  if (options.http) {
    auto http = HttpListener::Create(impl->io, http_endpoint, *impl, http_options);
    if (!http.ok()) return http.status();
    impl->http = std::move(http).value();
  }
  if (!options.ndjson) return std::unique_ptr<Server>(new Server(std::move(impl)));
  tcp::acceptor& acceptor = impl->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  // Lets a restarted server bind while old connections sit in TIME_WAIT.
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) impl->bound = acceptor.local_endpoint(ec);
  if (ec) {
    return Status::Io("cannot listen on " + EndpointString(endpoint) + ": " + ec.message());
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Status Server::Run() {
  Impl& s = *impl_;
  if (s.options.ndjson) asio::co_spawn(s.control, s.AcceptLoop(), LogEscaped("a connection"));
  if (s.http) s.http->Start();
  if (s.options.handle_signals) {
    s.signals.emplace(s.control, SIGINT, SIGTERM);
    s.signals->async_wait([&s](const error_code& ec, int signal) {
      if (ec) return;
      s.Log(std::string("stopping on ") + (signal == SIGINT ? "SIGINT" : "SIGTERM") +
            ": finishing requests in flight");
      s.BeginStop();
    });
  }
  std::vector<std::thread> extra;
  for (unsigned i = 1; i < s.options.io_threads; ++i) extra.emplace_back([&s] { s.io.run(); });
  s.io.run();  // returns when the acceptor and every connection are closed
  for (std::thread& t : extra) t.join();
  // Workers may still hold tasks of connections the watchdog cut off; let
  // them finish, then run the completions they posted (which find their
  // connections closed and drop the responses).
  s.pool->Stop();
  s.io.restart();
  s.io.run();
  return Status::Ok();
}

void Server::Stop() {
  asio::post(impl_->control, [s = impl_.get()] { s->BeginStop(); });
}

std::uint16_t Server::port() const { return impl_->options.ndjson ? impl_->bound.port() : 0; }

std::string Server::address() const {
  return impl_->options.ndjson ? EndpointString(impl_->bound) : "";
}

std::uint16_t Server::http_port() const { return impl_->http ? impl_->http->port() : 0; }

std::string Server::http_address() const {
  if (!impl_->http) return "";
  const std::string host = impl_->options.http_host;
  return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
         std::to_string(http_port());
}

}  // namespace findling::server
