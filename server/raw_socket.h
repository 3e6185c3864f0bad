// Raw loopback sockets for clients that misbehave on purpose: the hostile
// tests (tests/server_hostile_test.cc, tests/http_*_test.cc) and
// findling-hostile (benchmarks/hostile_client.cc) send what client::Client
// and an HTTP library never would (half lines, a byte at a time, nothing at
// all). Plain blocking POSIX calls, so each attacker controls every byte and
// every pause; nothing here is used by the server itself.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace findling::server {

// A blocking TCP connection to 127.0.0.1:`port` whose every send and receive
// gives up after `timeout` (SO_SNDTIMEO / SO_RCVTIMEO), so no test or
// benchmark can hang on a silent server. Returns the descriptor, which the
// caller closes, or -1 when no socket can be made or the connection is
// refused (nothing is left open then).
int ConnectLoopback(std::uint16_t port, std::chrono::milliseconds timeout);

// Sends all of `data`; false when the peer closed or reset the connection or
// a send timed out (what was sent before stays sent). Never raises SIGPIPE.
bool SendAll(int fd, std::string_view data);

// Appends what one receive of at most `max_bytes` returns to `buffer`; false,
// with `buffer` unchanged, on end of stream, error or timeout.
bool ReceiveSome(int fd, std::string& buffer, std::size_t max_bytes = 65536);

// The next line of the connection, without its '\n'. `buffer` holds what
// was received past the previous line and must be kept between calls on the
// same descriptor. std::nullopt when the connection closes or a receive times
// out before a whole line arrived (the partial line stays in `buffer`).
std::optional<std::string> ReadLine(int fd, std::string& buffer);

// One HTTP/1.x response as it came over the wire.
struct RawHttpResponse {
  int status = 0;       // 0: closed or timed out before a whole response arrived
  std::string headers;  // status line and header lines, lower-cased, each ending "\r\n"
  std::string body;     // Content-Length bytes (none without the header)
};

// Reads the next response from `fd`, with `buffer` kept between calls as for
// ReadLine (what follows the response stays in it: pipelined answers). The
// body is Content-Length bytes, or none for the answer to a HEAD request
// (`head_request`), whatever its Content-Length says. A slow reader takes at
// most `max_chunk` bytes per receive and sleeps `pause` before each one. On
// close or timeout the status is 0; headers already read are kept.
RawHttpResponse ReadHttpResponse(int fd, std::string& buffer, bool head_request = false,
                                 std::size_t max_chunk = 65536,
                                 std::chrono::milliseconds pause = std::chrono::milliseconds(0));

// A ConnectLoopback() connection that owns its descriptor (closed by the
// destructor): the common part of the tests' raw HTTP clients, which add
// what each one reads. NOT thread-safe; not copyable.
class LoopbackSocket {
 public:
  explicit LoopbackSocket(std::uint16_t port,
                          std::chrono::milliseconds timeout = std::chrono::milliseconds(5000))
      : fd_(ConnectLoopback(port, timeout)) {}
  ~LoopbackSocket();
  LoopbackSocket(const LoopbackSocket&) = delete;
  LoopbackSocket& operator=(const LoopbackSocket&) = delete;

  bool connected() const { return fd_ >= 0; }
  // SendAll on the connection (false when it was never made).
  bool Send(std::string_view data) { return SendAll(fd_, data); }
  int fd() const { return fd_; }  // -1 when not connected; still owned by this

 private:
  int fd_;
};

}  // namespace findling::server
