#include "server/accept_loop.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <cstdio>
#include <utility>

namespace findling::server {

namespace asio = boost::asio;
using asio::ip::tcp;

asio::awaitable<void> AcceptLoop(tcp::acceptor& acceptor, asio::io_context& io,
                                 asio::steady_timer& retry, const bool& stopping,
                                 const std::function<void(tcp::socket)>& serve,
                                 const std::function<void(const std::string& why)>& report) {
  while (!stopping) {
    tcp::socket socket(asio::make_strand(io));
    boost::system::error_code ec;
    co_await acceptor.async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
    if (stopping) break;
    if (ec) {
      report(ec.message());
      retry.expires_after(std::chrono::milliseconds(100));
      co_await retry.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    serve(std::move(socket));
  }
}

std::function<void(std::exception_ptr)> LogEscaped(const char* where) {
  return [where](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      std::fprintf(stderr, "findling-server: internal error in %s: %s\n", where, ex.what());
    }
  };
}

}  // namespace findling::server
