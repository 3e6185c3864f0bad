// Metrics: request counters and latency histograms for GET /metrics, in the
// Prometheus text exposition format (version 0.0.4).
//
// Both protocols record here: every answered request under its protocol
// ("ndjson" or "http"), op ("search", "get", ..., "page", "metrics", "-" when
// unknown) and status ("ok" or an error code name such as "bad_request", and
// on HTTP also "unauthorized", "method_not_allowed"). Thread-safe: one short
// critical section per request.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "server/handler.h"
#include "server/mutex.h"
#include "server/stats.h"

namespace findling::server {

// One listener's connections (each protocol has its own --max-connections).
struct ConnectionCounts {
  std::uint64_t open = 0;      // open now and counted towards the cap
  std::uint64_t accepted = 0;  // since start, under the cap
  std::uint64_t rejected = 0;  // turned away at the cap (answered "overloaded", closed)
};

// Gauges and totals that live elsewhere (the worker pool, the index, the
// listeners).
struct MetricFacts {
  ServerFacts server;
  StatsSnapshot stats;
  std::uint64_t reopens = 0;  // index reopen checks by the workers
  // By protocol ("ndjson", "http"), for the listeners the server runs.
  std::vector<std::pair<std::string, ConnectionCounts>> connections;
};

class Metrics {
 public:
  // Upper bounds of the latency buckets, in seconds (Prometheus' base unit).
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1,    2.5,   5};

  void Record(std::string_view protocol, std::string_view op, std::string_view status, double ms);

  // The whole exposition: findling_requests_total{protocol,op,status},
  // findling_request_duration_seconds{protocol,op} (histogram),
  // findling_connections{protocol} (gauge) with
  // findling_connections_{accepted,rejected}_total{protocol}, and the other
  // gauges and counters of `facts`.
  std::string Prometheus(const MetricFacts& facts) const;

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};  // not cumulative here
    std::uint64_t count = 0;
    double sum_s = 0;
  };
  mutable Mutex mu_;
  std::map<std::tuple<std::string, std::string, std::string>, std::uint64_t> requests_
      FINDLING_GUARDED_BY(mu_);
  std::map<std::pair<std::string, std::string>, Histogram> latency_ FINDLING_GUARDED_BY(mu_);
};

}  // namespace findling::server
