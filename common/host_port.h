// HostPort: the "HOST:PORT" strings that findling-server, findling-search
// --server and findling-load take on their command lines.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace findling {

struct HostPort {
  std::string host;  // a name or an address, IPv6 without the brackets
  std::uint16_t port = 0;

  // "127.0.0.1:7700", or "[::1]:7700" for an IPv6 address.
  std::string ToString() const;
};

// Parses "HOST:PORT" or "[IPV6]:PORT". The port must be 0..65535 (0 asks the
// system for a free port, which only makes sense for a server). Fails with
// kInvalidInput naming the text. Thread-safe (no state).
Result<HostPort> ParseHostPort(std::string_view text);

}  // namespace findling
