#include "server/raw_socket.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace findling::server {

int ConnectLoopback(std::uint16_t port, std::chrono::milliseconds timeout) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  // Before connect(), so that the timeouts bound the connect as well.
  const timeval tv{static_cast<time_t>(timeout.count() / 1000),
                   static_cast<suseconds_t>(timeout.count() % 1000 * 1000)};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

LoopbackSocket::~LoopbackSocket() {
  if (fd_ >= 0) ::close(fd_);
}

bool SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    // MSG_NOSIGNAL: a server that closed first is an answer to check, not a
    // signal that kills the test.
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool ReceiveSome(int fd, std::string& buffer, std::size_t max_bytes) {
  char chunk[65536];
  const ssize_t n = ::recv(fd, chunk, std::min(max_bytes, sizeof chunk), 0);
  if (n <= 0) return false;
  buffer.append(chunk, static_cast<std::size_t>(n));
  return true;
}

std::optional<std::string> ReadLine(int fd, std::string& buffer) {
  for (;;) {
    if (const auto nl = buffer.find('\n'); nl != std::string::npos) {
      std::string line = buffer.substr(0, nl);
      buffer.erase(0, nl + 1);
      return line;
    }
    if (!ReceiveSome(fd, buffer)) return std::nullopt;
  }
}

RawHttpResponse ReadHttpResponse(int fd, std::string& buffer, bool head_request,
                                 std::size_t max_chunk, std::chrono::milliseconds pause) {
  const auto receive = [&] {
    if (pause.count() > 0) std::this_thread::sleep_for(pause);
    return ReceiveSome(fd, buffer, max_chunk);
  };
  RawHttpResponse r;
  std::size_t end;
  while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
    if (!receive()) return r;
  }
  r.headers = buffer.substr(0, end + 2);
  for (char& c : r.headers) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  buffer.erase(0, end + 4);
  std::size_t length = 0;
  if (const auto at = r.headers.find("content-length: ");
      at != std::string::npos && !head_request) {
    length = std::strtoul(r.headers.c_str() + at + 16, nullptr, 10);
  }
  while (buffer.size() < length) {
    if (!receive()) return r;
  }
  std::sscanf(r.headers.c_str(), "http/1.%*d %d", &r.status);
  r.body = buffer.substr(0, length);
  buffer.erase(0, length);
  return r;
}

}  // namespace findling::server
