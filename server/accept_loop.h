// The accept loop both listeners run (NDJSON in server.cc, HTTP in
// http_server.cc), and the completion handler their coroutines share.
#pragma once

// clang-format off
// Boost 1.74's awaitable.hpp uses std::exchange without including <utility>.
#include <utility>
// clang-format on
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <exception>
#include <functional>
#include <string>

namespace findling::server {

// Accepts connections on `acceptor` until `stopping` is true (both read and
// written on the acceptor's strand; `acceptor`, `retry` and `stopping` must
// outlive the loop). Each socket gets a strand of `io` of its own, so with
// several I/O threads a connection's coroutines never run concurrently, and
// goes to `serve`. An accept that fails (out of descriptors and the like) is
// told to `report` and tried again after 100 ms on `retry`: the server keeps
// serving the connections it has rather than spinning or giving up. To stop
// it, set `stopping`, then cancel `retry` and close `acceptor`.
boost::asio::awaitable<void> AcceptLoop(
    boost::asio::ip::tcp::acceptor& acceptor, boost::asio::io_context& io,
    boost::asio::steady_timer& retry, const bool& stopping,
    const std::function<void(boost::asio::ip::tcp::socket)>& serve,
    const std::function<void(const std::string& why)>& report);

// Completion handler for co_spawn: a coroutine that escapes with an
// exception is a bug; this says so on stderr ("internal error in `where`:
// ...") instead of dropping it silently. `where` must outlive the handler
// (a string literal).
std::function<void(std::exception_ptr)> LogEscaped(const char* where);

}  // namespace findling::server
