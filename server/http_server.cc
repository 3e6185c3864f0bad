#include "server/http_server.h"

#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "server/accept_loop.h"
#include "server/search_page.h"

namespace findling::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;
using boost::system::error_code;

using HttpRequest = http::request<http::string_body>;
using HttpResponse = http::response<http::string_body>;

// An answer before it becomes a response.
struct Answer {
  unsigned status = 200;
  std::string body;
  std::string content_type = "application/json; charset=utf-8";
  std::string op = "-";
  std::string code = "ok";      // "ok" or the error code name, for metrics and the log
  bool close = false;           // the connection closes after this response
  std::size_t query_bytes = 0;  // of "q", for the log
};

Answer JsonError(unsigned status, std::string_view code, std::string_view message,
                 std::string op = "-") {
  const nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
  return {status,
          body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n",
          "application/json; charset=utf-8",
          std::move(op),
          std::string(code),
          false};
}

std::string UtcTimestamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(millis));
  return buffer;
}

}  // namespace

struct HttpListener::Impl : std::enable_shared_from_this<HttpListener::Impl> {
  Impl(asio::io_context& io_in, HttpBackend& backend_in, const HttpOptions& options_in)
      : io(io_in),
        backend(backend_in),
        options(options_in),
        control(asio::make_strand(io_in)),
        acceptor(control),
        accept_retry(control) {}

  awaitable<void> AcceptLoop(std::shared_ptr<Impl> self);
  void Unregister(std::uint64_t id, bool counted);

  asio::io_context& io;
  HttpBackend& backend;
  const HttpOptions options;
  asio::strand<asio::io_context::executor_type> control;
  tcp::acceptor acceptor;
  asio::steady_timer accept_retry;
  bool stopping = false;  // on `control`
  std::uint64_t next_id = 0;
  std::uint16_t bound_port = 0;  // set by Create()

  mutable Mutex mu;
  std::unordered_map<std::uint64_t, std::weak_ptr<Session>> sessions FINDLING_GUARDED_BY(mu);
  ConnectionCounts counts FINDLING_GUARDED_BY(mu);  // counts.open: towards the cap
};

// One HTTP connection; everything runs on its strand (the stream's executor).
class HttpListener::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(std::shared_ptr<Impl> listener, tcp::socket socket, std::uint64_t id, bool counted)
      : listener_(std::move(listener)),
        options_(listener_->options),
        stream_(std::move(socket)),
        id_(id),
        counted_(counted),
        wake_(stream_.get_executor()),
        deadline_(stream_.get_executor()) {
    error_code ec;
    const auto remote = stream_.socket().remote_endpoint(ec);
    remote_ = ec ? "?" : remote.address().to_string() + ":" + std::to_string(remote.port());
    stream_.socket().set_option(tcp::no_delay(true), ec);
  }

  void Start() {
    asio::co_spawn(stream_.get_executor(), Run(shared_from_this()),
                   LogEscaped("an HTTP connection"));
  }

  // Closes an idle connection now and a busy one after its response.
  void Stop() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      self->stopping_ = true;
      if (self->reading_) self->stream_.cancel();
    });
  }

 private:
  awaitable<void> Run(std::shared_ptr<Session> /*keep alive*/) {
    if (!counted_) {
      Answer busy = JsonError(503, "overloaded",
                              "too many connections (the limit is " +
                                  std::to_string(options_.max_connections) + "); try again later",
                              "connect");
      busy.close = true;
      co_await Write(std::move(busy), 11, false, Clock::now());
    } else {
      co_await Serve();
    }
    co_await Linger();
    listener_->Unregister(id_, counted_);
  }

  awaitable<void> Serve() {
    beast::flat_buffer buffer;
    for (;;) {
      if (stopping_) co_return;
      http::request_parser<http::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
      parser.body_limit(options_.max_body_bytes);
      error_code ec;
      const bool timed_out = co_await ReadWithDeadline(buffer, parser, ec);
      const auto received = Clock::now();
      if (ec) {
        if (timed_out && !stopping_ && (parser.got_some() || buffer.size() > 0)) {
          // Begun but not finished in time: a slow loris, or a body shorter
          // than its Content-Length. An idle connection just ends (below).
          Answer late = JsonError(408, "timeout",
                                  "request not complete within " +
                                      std::to_string(options_.idle_timeout.count()) +
                                      " ms (--idle-timeout); closing the connection");
          late.close = true;
          co_await Write(std::move(late), 11, false, received);
          co_return;
        }
        if (timed_out || ec == http::error::end_of_stream || ec == asio::error::eof || stopping_ ||
            ec == asio::error::operation_aborted || ec == asio::error::connection_reset) {
          co_return;
        }
        Answer error;
        if (ec == http::error::header_limit) {
          error = JsonError(431, "limit_exceeded",
                            "request line and headers exceed " +
                                std::to_string(options_.max_header_bytes) + " bytes");
        } else if (ec == http::error::body_limit) {
          error = JsonError(
              413, "limit_exceeded",
              "request body exceeds " + std::to_string(options_.max_body_bytes) + " bytes");
        } else {
          error = JsonError(400, "bad_request", "malformed HTTP request: " + ec.message());
        }
        error.close = true;
        co_await Write(std::move(error), 11, false, received);
        co_return;
      }
      const HttpRequest& request = parser.get();
      Answer answer = co_await Handle(request, received);
      const bool keep_alive = request.keep_alive() && !answer.close && !stopping_;
      if (!keep_alive) answer.close = true;
      if (!co_await Write(std::move(answer), request.version(),
                          request.method() == http::verb::head, received)) {
        co_return;
      }
      if (!keep_alive) co_return;
    }
  }

  awaitable<Answer> Handle(const HttpRequest& request, Clock::time_point received) {
    const bool get = request.method() == http::verb::get || request.method() == http::verb::head;
    if (!get) {
      Answer a = JsonError(405, "method_not_allowed",
                           "only GET (and HEAD) are served; the query goes in the URL");
      co_return a;
    }
    const std::string_view target(request.target().data(), request.target().size());
    auto parsed = ParseHttpTarget(target, options_.request_limits);
    if (auto* target_ok = std::get_if<HttpTarget>(&parsed);
        target_ok != nullptr && target_ok->route == HttpRoute::kPage) {
      // The page holds no data; its API calls carry the key.
      co_return Answer{
          200, std::string(SearchPageHtml()), "text/html; charset=utf-8", "page", "ok", false};
    }
    if (!options_.keys.empty()) {
      const auto it = request.find(http::field::authorization);
      const std::string_view given = it == request.end()
                                         ? std::string_view()
                                         : std::string_view(it->value().data(), it->value().size());
      if (!options_.keys.Accepts(given)) {
        co_return JsonError(401, "unauthorized",
                            it == request.end() ? "this server needs an API key: send "
                                                  "\"Authorization: Bearer KEY\""
                                                : "the API key is not valid");
      }
    }
    if (auto* error = std::get_if<HttpError>(&parsed)) {
      co_return JsonError(error->status, ErrorCodeName(error->code), error->message,
                          error->op ? OpName(*error->op) : "-");
    }
    HttpTarget& routed = std::get<HttpTarget>(parsed);
    if (routed.route == HttpRoute::kMetrics) {
      co_return Answer{
          200,  listener_->backend.MetricsText(), "text/plain; version=0.0.4", "metrics", "ok",
          false};
    }
    const std::string op = OpName(routed.request.op);
    const std::size_t query_bytes = routed.request.search.query.size() + routed.request.text.size();
    Reply reply = co_await AnswerOnWorker(std::move(routed.request), received);
    Answer answer;
    answer.op = op;
    answer.query_bytes = query_bytes;
    answer.body = std::move(reply.line);
    if (reply.error) {
      answer.status = HttpStatusFor(*reply.error);
      answer.code = ErrorCodeName(*reply.error);
    }
    co_return answer;
  }

  // Reads one request into `parser`, for at most the idle timeout; returns
  // whether the deadline ended it. Not the stream's own expiry: that closes
  // the socket, which would leave no way to answer 408.
  awaitable<bool> ReadWithDeadline(beast::flat_buffer& buffer,
                                   http::request_parser<http::string_body>& parser,
                                   error_code& ec) {
    stream_.expires_never();
    bool timed_out = false;
    const std::uint64_t read = ++reads_;
    deadline_.expires_after(options_.idle_timeout);
    deadline_.async_wait([self = shared_from_this(), read, &timed_out](error_code wait_ec) {
      // `timed_out` lives in the reading coroutine's frame, which is still
      // suspended in this read when `read` is the current one.
      if (wait_ec || !self->reading_ || read != self->reads_) return;
      timed_out = true;
      self->stream_.cancel();
    });
    reading_ = true;
    co_await http::async_read(stream_, buffer, parser, asio::redirect_error(use_awaitable, ec));
    reading_ = false;
    deadline_.cancel();
    co_return timed_out;
  }

  // The backend's answer, waited for on this strand.
  awaitable<Reply> AnswerOnWorker(Request request, Clock::time_point received) {
    std::optional<Reply> result;
    wake_.expires_at(Clock::time_point::max());
    auto self = shared_from_this();
    listener_->backend.Answer(std::move(request), received, [self, &result](Reply reply) {
      // `result` lives in the waiting coroutine's frame, which stays
      // suspended until it is set.
      asio::post(self->stream_.get_executor(), [self, &result, reply = std::move(reply)]() mutable {
        result = std::move(reply);
        self->wake_.cancel();
      });
    });
    while (!result) {
      error_code ec;
      co_await wake_.async_wait(asio::redirect_error(use_awaitable, ec));
    }
    co_return std::move(*result);
  }

  // Writes `answer`; returns whether the connection is still usable.
  awaitable<bool> Write(Answer answer, unsigned version, bool head, Clock::time_point received) {
    const double ms = MillisSince(received);
    const bool error = answer.status >= 400;
    listener_->backend.Record(answer.op, answer.code, ms, error);
    if (options_.log_requests) {
      const nlohmann::json line = {{"ts", UtcTimestamp()},    {"protocol", "http"},
                                   {"remote", remote_},       {"op", answer.op},
                                   {"status", answer.status}, {"code", answer.code},
                                   {"latency_ms", ms},        {"query_bytes", answer.query_bytes}};
      std::fprintf(stderr, "%s\n", line.dump().c_str());
    }
    HttpResponse response{static_cast<http::status>(answer.status), version};
    response.set(http::field::server, "findling");
    response.set(http::field::content_type, answer.content_type);
    response.set(http::field::cache_control, "no-store");
    if (answer.status == 429 || answer.status == 503) response.set(http::field::retry_after, "1");
    if (answer.status == 401) response.set(http::field::www_authenticate, "Bearer");
    if (answer.status == 405) response.set(http::field::allow, "GET, HEAD");
    response.keep_alive(!answer.close);
    const std::size_t length = answer.body.size();
    if (!head) response.body() = std::move(answer.body);
    response.content_length(length);
    stream_.expires_after(options_.write_timeout);
    error_code ec;
    co_await http::async_write(stream_, response, asio::redirect_error(use_awaitable, ec));
    co_return !ec;
  }

  // FIN after the last response, then discard what the client still sends
  // until it closes or the linger time ends: closing with unread input would
  // reset the connection and could destroy that last response.
  awaitable<void> Linger() {
    error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(options_.linger);
    std::array<char, 16384> scratch;
    while (!ec) {
      co_await stream_.async_read_some(asio::buffer(scratch),
                                       asio::redirect_error(use_awaitable, ec));
    }
    stream_.close();
  }

  const std::shared_ptr<Impl> listener_;
  const HttpOptions& options_;
  beast::tcp_stream stream_;
  const std::uint64_t id_;
  const bool counted_;
  std::string remote_;
  asio::steady_timer wake_;
  asio::steady_timer deadline_;  // of the current read
  std::uint64_t reads_ = 0;      // reads started; tells a stale deadline from the current one
  bool reading_ = false;
  bool stopping_ = false;
};

awaitable<void> HttpListener::Impl::AcceptLoop(std::shared_ptr<Impl> self) {
  // `self` keeps this listener alive while the loop runs.
  auto serve = [this, &self](tcp::socket socket) {
    std::shared_ptr<Session> session;
    {
      MutexLock lock(&mu);
      const bool is_counted = counts.open < options.max_connections;
      session = std::make_shared<Session>(self, std::move(socket), ++next_id, is_counted);
      sessions.emplace(next_id, session);
      ++(is_counted ? counts.accepted : counts.rejected);
      if (is_counted) ++counts.open;
    }
    session->Start();
  };
  co_await server::AcceptLoop(
      acceptor, io, accept_retry, stopping, serve, [](const std::string& why) {
        std::fprintf(stderr, "findling-server: HTTP accept failed: %s\n", why.c_str());
      });
}

void HttpListener::Impl::Unregister(std::uint64_t id, bool is_counted) {
  MutexLock lock(&mu);
  sessions.erase(id);
  if (is_counted) --counts.open;
}

HttpListener::HttpListener(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpListener::~HttpListener() = default;

Result<std::unique_ptr<HttpListener>> HttpListener::Create(asio::io_context& io,
                                                           const tcp::endpoint& endpoint,
                                                           HttpBackend& backend,
                                                           const HttpOptions& options) {
  auto impl = std::make_shared<Impl>(io, backend, options);
  error_code ec;
  tcp::acceptor& acceptor = impl->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) impl->bound_port = acceptor.local_endpoint(ec).port();
  if (ec) {
    return Status::Io("cannot listen for HTTP on " + endpoint.address().to_string() + ":" +
                      std::to_string(endpoint.port()) + ": " + ec.message());
  }
  return std::unique_ptr<HttpListener>(new HttpListener(std::move(impl)));
}

void HttpListener::Start() {
  asio::co_spawn(impl_->control, impl_->AcceptLoop(impl_), LogEscaped("an HTTP connection"));
}

void HttpListener::Stop() {
  asio::post(impl_->control, [impl = impl_] {
    if (impl->stopping) return;
    impl->stopping = true;
    error_code ec;
    impl->acceptor.close(ec);
    impl->accept_retry.cancel();
    std::vector<std::shared_ptr<Session>> open;
    {
      MutexLock lock(&impl->mu);
      for (auto& [id, weak] : impl->sessions) {
        if (auto s = weak.lock()) open.push_back(std::move(s));
      }
    }
    for (auto& s : open) s->Stop();
  });
}

std::uint16_t HttpListener::port() const { return impl_->bound_port; }

ConnectionCounts HttpListener::connections() const {
  MutexLock lock(&impl_->mu);
  return impl_->counts;
}

}  // namespace findling::server
