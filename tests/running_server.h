// A findling-server running in the test's own process, for tests that talk
// to it over loopback (tests/browse_test.cc, tests/fields_test.cc).
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "client/client.h"
#include "server/server.h"

namespace findling::testing {

// A server running Run() on its own thread over one index; the destructor
// stops it. A server that fails to start is a test failure (ok() is false).
class RunningServer {
 public:
  explicit RunningServer(const std::string& db) {
    server::ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.threads = 2;
    options.db_paths = {db};
    auto server = server::Server::Create(options);
    EXPECT_TRUE(server.ok()) << server.status().ToString();
    if (!server.ok()) return;
    server_ = std::move(server).value();
    // Run() returns OK once stopped (server/server.h); a server that did not
    // serve shows in the requests made of it, with the reason.
    thread_ = std::thread([this] { (void)server_->Run(); });
  }
  ~RunningServer() {
    if (thread_.joinable()) {
      server_->Stop();
      thread_.join();
    }
  }
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;

  bool ok() const { return server_ != nullptr; }
  std::uint16_t port() const { return server_->port(); }
  std::string address() const { return "127.0.0.1:" + std::to_string(port()); }

  // The response to one request line on a fresh connection, parsed.
  nlohmann::json Call(const std::string& request) const {
    client::ClientOptions options;
    options.timeout = std::chrono::seconds(5);  // bounds every wait
    auto client = client::Client::Connect({"127.0.0.1", port()}, options);
    if (!client.ok()) return {{"client_error", client.status().ToString()}};
    auto line = client.value()->Call(request);
    if (!line.ok()) return {{"client_error", line.status().ToString()}};
    return nlohmann::json::parse(line.value(), nullptr, false);
  }

 private:
  std::unique_ptr<server::Server> server_;
  std::thread thread_;
};

}  // namespace findling::testing
