// Client: a small blocking client for findling-server, used by
// `findling-search --server`, findling-load and the tests. It lives in its
// own library (client/, on top of searcher/) so that the search command line
// can talk to a server without seeing the server's code; the response shape
// it reads back is searcher/response_json.h's, beside the code that writes it.
//
// One Client is one TCP connection. Every call blocks at most `timeout` per
// wait for the network and fails with a Status instead of hanging or
// throwing. NOT thread-safe: use one Client per thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/host_port.h"
#include "common/status.h"
#include "searcher/response_json.h"
#include "searcher/searcher.h"

namespace findling::client {

struct ClientOptions {
  std::chrono::milliseconds timeout{10000};    // connect, and each wait to send or receive
  std::size_t max_response_bytes = 256 << 20;  // a longer line fails with kLimit
};

class Client {
 public:
  // Connects to `address` (the first of its resolved addresses that
  // answers). Fails with kIo naming the address and the reason.
  static Result<std::unique_ptr<Client>> Connect(const HostPort& address,
                                                 const ClientOptions& options = {});
  ~Client();  // closes the connection
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Sends `bytes` as they are (one or more lines, or a part of one).
  // Fails with kIo when the connection breaks or stalls past the timeout.
  Status Send(std::string_view bytes);
  // The next response line, without its newline. Fails with kIo on a timeout
  // or when the server closed the connection (the message says which), and
  // with kLimit for a line longer than max_response_bytes.
  Result<std::string> ReadLine();
  // Send(request + "\n"), then ReadLine().
  Result<std::string> Call(std::string_view request);
  // Tells the server that no more requests follow (half-close).
  void ShutdownWrite();

 private:
  Client(int fd, ClientOptions options) : fd_(fd), options_(options) {}
  bool Wait(short events);  // poll() for `events` up to the timeout

  int fd_;  // owned, closed by the destructor
  ClientOptions options_;
  std::string buffer_;  // received bytes not yet returned as lines
};

// The search request as the protocol's {"op":"search",...} object.
nlohmann::json SearchRequestToJson(const SearchRequest& request, HighlightStyle style);

// Runs `request` on the findling-server at `address` ("HOST:PORT") over a
// fresh connection. `raw` (if not null) receives the server's JSON line,
// error responses included. An error response becomes the Status of its
// code in common/error_code.h (query_syntax and bad_request -> kInvalidInput,
// limit_exceeded -> kLimit, not_found -> kNotFound, timeout, overloaded and
// shard_unavailable -> kUnavailable, unknown codes -> kInternal), its message
// ending in "(code)"; an unreachable server or a broken answer -> kIo. Use HighlightStyle::kOffsets
// to get highlights back into the SearchResponse; with kMark they stay as <mark> in the text.
Result<SearchResponse> SearchViaServer(const std::string& address, const SearchRequest& request,
                                       HighlightStyle style, std::string* raw = nullptr);

}  // namespace findling::client
