// The closed-loop load run of the load generators (findling-load against
// findling-server, findling-sphinx-load against Sphinx searchd): clients on
// threads of their own, each sending its next request when the last is
// answered, and their latencies merged into one set of percentiles.
//
// Header-only, and apart from bench_common.h, so that findling-load needs
// no library beyond common/.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/percentile.h"
#include "common/status.h"

namespace findling::bench {

// One concurrency level of a closed-loop load run.
struct LoadLevel {
  unsigned concurrency = 0;
  std::uint64_t ok = 0, failed = 0;
  double seconds = 0;
  double p50 = 0, p95 = 0, p99 = 0;  // milliseconds, over every request sent
  std::string first_failure;         // "" when none failed
};

// What one request came to: "" or why it failed (naming the request), and
// whether the connection is gone, which ends that client's run.
struct LoadReply {
  std::string failure;
  bool connection_lost = false;
};

// One client's requests: each call sends the next request, waits for its
// answer and says how it went.
using LoadSession = std::function<LoadReply()>;

// Runs `concurrency` clients on threads of their own for `duration`, each
// sending its next request as soon as the last one is answered (closed
// loop). `open(t)` connects client t (0-based; it also seeds the client's
// own query order); a Status instead counts as one failed request. The
// percentiles cover every request sent, answered or failed.
inline LoadLevel RunClosedLoop(unsigned concurrency, std::chrono::steady_clock::duration duration,
                               const std::function<Result<LoadSession>(unsigned t)>& open) {
  using Clock = std::chrono::steady_clock;
  LoadLevel result;
  result.concurrency = concurrency;
  std::mutex mu;
  std::vector<double> latencies;
  std::atomic<std::uint64_t> ok{0}, failed{0};
  const auto start = Clock::now();
  const auto stop_at = start + duration;
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < concurrency; ++t) {
    threads.emplace_back([&, t] {
      std::vector<double> mine;
      std::string failure;
      Result<LoadSession> session = open(t);
      if (!session.ok()) {
        failure = session.status().message();
        ++failed;
      } else {
        while (Clock::now() < stop_at) {
          const auto sent = Clock::now();
          const LoadReply reply = session.value()();
          mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
          if (reply.failure.empty()) {
            ++ok;
            continue;
          }
          ++failed;
          if (failure.empty()) failure = reply.failure;
          if (reply.connection_lost) break;
        }
      }
      // Merged once per client, so the threads do not contend while they run.
      std::lock_guard<std::mutex> lock(mu);
      latencies.insert(latencies.end(), mine.begin(), mine.end());
      if (result.first_failure.empty()) result.first_failure = failure;
    });
  }
  for (auto& thread : threads) thread.join();
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.ok = ok;
  result.failed = failed;
  std::sort(latencies.begin(), latencies.end());
  result.p50 = Percentile(latencies, 50);
  result.p95 = Percentile(latencies, 95);
  result.p99 = Percentile(latencies, 99);
  return result;
}

// The load generators' table on stdout (the one docs/ quotes): a Markdown
// header, then `run(level)` for each of `levels` and its row, flushed as soon
// as the level is done so a long run shows progress. A level where requests
// failed is named on stderr as "`program`: N clients: ... failed, first: ...".
// Returns main()'s exit status: 0 when no request failed, else 1.
inline int PrintLoadTable(const char* program, const std::vector<unsigned>& levels,
                          const std::function<LoadLevel(unsigned level)>& run) {
  std::printf("| clients | requests | errors | requests/s | p50 ms | p95 ms | p99 ms |\n");
  std::printf("|--------:|---------:|-------:|-----------:|-------:|-------:|-------:|\n");
  std::fflush(stdout);
  bool all_ok = true;
  for (unsigned level : levels) {
    const LoadLevel r = run(level);
    std::printf("| %u | %llu | %llu | %.0f | %.2f | %.2f | %.2f |\n", level,
                static_cast<unsigned long long>(r.ok + r.failed),
                static_cast<unsigned long long>(r.failed), static_cast<double>(r.ok) / r.seconds,
                r.p50, r.p95, r.p99);
    std::fflush(stdout);
    if (r.failed > 0) {
      all_ok = false;
      std::fprintf(stderr, "%s: %u clients: %llu failed, first: %s\n", program, level,
                   static_cast<unsigned long long>(r.failed), r.first_failure.c_str());
    }
  }
  return all_ok ? 0 : 1;
}

}  // namespace findling::bench
