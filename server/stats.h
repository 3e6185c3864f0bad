// ServerStats: the counters behind {"op":"stats"}.
//
// Thread-safe: I/O threads and workers record into it concurrently. Counters
// are atomics; the latency window is a ring buffer under a mutex (one short
// critical section per request, far cheaper than the search itself).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "server/mutex.h"

namespace findling::server {

struct StatsSnapshot {
  double uptime_s = 0;
  std::uint64_t requests = 0;      // responses sent or queued, errors included
  std::uint64_t errors = 0;        // error responses
  std::size_t latency_window = 0;  // how many recent requests the percentiles cover
  double p50_ms = 0, p95_ms = 0, p99_ms = 0;
  std::uint64_t connections = 0;           // open now
  std::uint64_t connections_total = 0;     // accepted since start
  std::uint64_t connections_rejected = 0;  // turned away at the connection cap
};

class ServerStats {
 public:
  // Percentiles cover the last `window` requests (at least 1).
  explicit ServerStats(std::size_t window = 1024);
  ServerStats(const ServerStats&) = delete;
  ServerStats& operator=(const ServerStats&) = delete;

  // One request answered after `ms` milliseconds (line received to response ready).
  void RecordRequest(double ms, bool error);
  void ConnectionOpened();
  void ConnectionClosed();
  void ConnectionRejected();

  StatsSnapshot Snapshot() const;

 private:
  const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::atomic<std::uint64_t> requests_{0}, errors_{0};
  std::atomic<std::uint64_t> open_{0}, accepted_{0}, rejected_{0};
  mutable Mutex mu_;
  // Ring buffer of the last `window` latencies; next_ is where the next one
  // goes, full_ says the ring has wrapped.
  std::vector<double> latencies_ FINDLING_GUARDED_BY(mu_);
  std::size_t next_ FINDLING_GUARDED_BY(mu_) = 0;
  bool full_ FINDLING_GUARDED_BY(mu_) = false;
};

}  // namespace findling::server
