// A findling-server running in the test's own process, for tests that talk
// to it over loopback (browse_test, fields_test, server_test, http_test,
// shard_test).
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "client/client.h"
#include "common/host_port.h"
#include "server/server.h"
#include "tests/test_util.h"

namespace findling::testing {

// A server running Run() on its own thread; the destructor stops it (also
// when an assertion returned early). A server that fails to start is a test
// failure (ok() is false, Start() returns null).
class RunningServer {
 public:
  // Over one index, NDJSON only, two worker threads.
  explicit RunningServer(const std::string& db) {
    server::ServerOptions options;
    options.threads = 2;
    options.db_paths = {db};
    Create(std::move(options));
  }

  // With `options` as given, except that every listener it asks for binds
  // a free loopback port (NDJSON, and HTTP when options.http) and threads 0
  // means 2. Null (and a test failure) when the server cannot be created.
  static std::unique_ptr<RunningServer> Start(server::ServerOptions options) {
    std::unique_ptr<RunningServer> running(new RunningServer());
    running->Create(std::move(options));
    if (!running->ok()) return nullptr;
    return running;
  }

  ~RunningServer() { (void)Stop(); }
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;

  // Stops and waits for Run() to return; returns how long that took.
  std::chrono::milliseconds Stop() {
    const auto start = std::chrono::steady_clock::now();
    if (thread_.joinable()) {
      server_->Stop();
      thread_.join();
    }
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 start);
  }
  // Whether Run() returned OK (meaningful after Stop()).
  bool run_ok() const { return run_ok_; }

  bool ok() const { return server_ != nullptr; }
  std::uint16_t port() const { return server_->port(); }
  std::uint16_t http_port() const { return server_->http_port(); }
  HostPort host_port() const { return {"127.0.0.1", port()}; }
  // "127.0.0.1:PORT", as findling-search --server takes it.
  std::string address() const { return "127.0.0.1:" + std::to_string(port()); }

  // The response to one request line on a fresh connection, parsed.
  nlohmann::json Call(const std::string& request) const {
    client::ClientOptions options;
    options.timeout = std::chrono::seconds(5);  // bounds every wait
    auto client = client::Client::Connect(host_port(), options);
    if (!client.ok()) return {{"client_error", client.status().ToString()}};
    auto line = client.value()->Call(request);
    if (!line.ok()) return {{"client_error", line.status().ToString()}};
    return nlohmann::json::parse(line.value(), nullptr, false);
  }

 private:
  RunningServer() = default;

  void Create(server::ServerOptions options) {
    options.host = "127.0.0.1";
    options.port = 0;
    if (options.http) {
      options.http_host = "127.0.0.1";
      options.http_port = 0;
    }
    if (options.threads == 0) options.threads = 2;
    auto server = server::Server::Create(options);
    EXPECT_TRUE(server.ok()) << server.status().ToString();
    if (!server.ok()) return;
    server_ = std::move(server).value();
    // Run() returns OK once stopped (server/server.h); a server that did not
    // serve shows in run_ok() and in the requests made of it.
    thread_ = std::thread([this] { run_ok_ = server_->Run().ok(); });
  }

  std::unique_ptr<server::Server> server_;
  std::thread thread_;
  std::atomic<bool> run_ok_{false};
};

// The fixture of a suite whose tests share one temporary folder, with what
// the suite builds in it once (an index, the shards), and usually one
// server over that: the suite's SetUpTestSuite calls SetUpFolder() first,
// builds into dir_, and sets server_ when it serves; TearDownTestSuite
// stops the server and removes the folder, also after a failed set-up.
// `Suite` (the deriving fixture) gives each suite storage of its own.
template <class Suite>
class SharedFolderTest : public ::testing::Test {
 protected:
  // A new folder in dir_, with the build's lexicon in force (UseBuildLexicon).
  static void SetUpFolder() {
    UseBuildLexicon();
    dir_ = std::make_unique<TempDir>();
  }
  static void TearDownTestSuite() {
    server_.reset();
    dir_.reset();
  }

  static inline std::unique_ptr<TempDir> dir_;
  static inline std::unique_ptr<RunningServer> server_;
};

// The ids of a search response's hits, in their order ("" for a hit without
// one), as the tests of the CLI's --json, NDJSON and HTTP compare them.
inline std::vector<std::string> HitIds(const nlohmann::json& response) {
  std::vector<std::string> ids;
  for (const nlohmann::json& hit : response.value("hits", nlohmann::json::array())) {
    ids.push_back(hit.value("id", ""));
  }
  return ids;
}

}  // namespace findling::testing
