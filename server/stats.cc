#include "server/stats.h"

#include <algorithm>

#include "common/percentile.h"

namespace findling::server {

ServerStats::ServerStats(std::size_t window) : latencies_(std::max<std::size_t>(window, 1)) {}

void ServerStats::RecordRequest(double ms, bool error) {
  requests_.fetch_add(1, std::memory_order_relaxed);
  if (error) errors_.fetch_add(1, std::memory_order_relaxed);
  MutexLock lock(&mu_);
  latencies_[next_] = ms;
  if (++next_ == latencies_.size()) {
    next_ = 0;
    full_ = true;
  }
}

void ServerStats::ConnectionOpened() {
  open_.fetch_add(1, std::memory_order_relaxed);
  accepted_.fetch_add(1, std::memory_order_relaxed);
}

void ServerStats::ConnectionClosed() { open_.fetch_sub(1, std::memory_order_relaxed); }

void ServerStats::ConnectionRejected() { rejected_.fetch_add(1, std::memory_order_relaxed); }

StatsSnapshot ServerStats::Snapshot() const {
  StatsSnapshot s;
  s.uptime_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  s.requests = requests_.load(std::memory_order_relaxed);
  s.errors = errors_.load(std::memory_order_relaxed);
  s.connections = open_.load(std::memory_order_relaxed);
  s.connections_total = accepted_.load(std::memory_order_relaxed);
  s.connections_rejected = rejected_.load(std::memory_order_relaxed);
  std::vector<double> recent;
  {
    MutexLock lock(&mu_);
    recent.assign(latencies_.begin(), full_ ? latencies_.end() : latencies_.begin() + next_);
  }
  std::sort(recent.begin(), recent.end());
  s.latency_window = recent.size();
  s.p50_ms = Percentile(recent, 50);
  s.p95_ms = Percentile(recent, 95);
  s.p99_ms = Percentile(recent, 99);
  return s;
}

}  // namespace findling::server
