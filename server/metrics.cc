#include "server/metrics.h"

#include <cstdio>

namespace findling::server {
namespace {

std::string Number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

void Header(std::string& out, const char* name, const char* type, const char* help) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

void Sample(std::string& out, const char* name, double value) {
  out += std::string(name) + " " + Number(value) + "\n";
}

// One sample per protocol of the `field` of its ConnectionCounts.
void ConnectionSamples(std::string& out, const char* name, const char* type, const char* help,
                       const std::vector<std::pair<std::string, ConnectionCounts>>& connections,
                       std::uint64_t ConnectionCounts::*field) {
  Header(out, name, type, help);
  for (const auto& [protocol, counts] : connections) {
    out += std::string(name) + "{protocol=\"" + protocol + "\"} " + std::to_string(counts.*field) +
           "\n";
  }
}

}  // namespace

void Metrics::Record(std::string_view protocol, std::string_view op, std::string_view status,
                     double ms) {
  const double seconds = ms / 1000;
  MutexLock lock(&mu_);
  ++requests_[{std::string(protocol), std::string(op), std::string(status)}];
  Histogram& h = latency_[{std::string(protocol), std::string(op)}];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++h.buckets[i];
      break;
    }
  }
  ++h.count;
  h.sum_s += seconds;
}

std::string Metrics::Prometheus(const MetricFacts& facts) const {
  std::string out;
  {
    MutexLock lock(&mu_);
    Header(out, "findling_requests_total", "counter",
           "Requests answered, by protocol, op and status.");
    for (const auto& [key, count] : requests_) {
      const auto& [protocol, op, status] = key;
      out += "findling_requests_total{protocol=\"" + protocol + "\",op=\"" + op + "\",status=\"" +
             status + "\"} " + std::to_string(count) + "\n";
    }
    Header(out, "findling_request_duration_seconds", "histogram",
           "Time from request received to response ready, by protocol and op.");
    for (const auto& [key, h] : latency_) {
      const std::string labels = "protocol=\"" + key.first + "\",op=\"" + key.second + "\"";
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        cumulative += h.buckets[i];
        out += "findling_request_duration_seconds_bucket{" + labels + ",le=\"" +
               Number(kBuckets[i]) + "\"} " + std::to_string(cumulative) + "\n";
      }
      out += "findling_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} " +
             std::to_string(h.count) + "\n";
      out += "findling_request_duration_seconds_sum{" + labels + "} " + Number(h.sum_s) + "\n";
      out += "findling_request_duration_seconds_count{" + labels + "} " + std::to_string(h.count) +
             "\n";
    }
  }
  const ServerFacts& f = facts.server;
  Header(out, "findling_queue_depth", "gauge", "Requests waiting for a worker, both lanes.");
  Sample(out, "findling_queue_depth", static_cast<double>(f.queued));
  Header(out, "findling_heavy_queue_depth", "gauge", "Heavy requests waiting for a worker.");
  Sample(out, "findling_heavy_queue_depth", static_cast<double>(f.heavy_queued));
  Header(out, "findling_heavy_running", "gauge", "Heavy requests on a worker now.");
  Sample(out, "findling_heavy_running", f.heavy_running);
  Header(out, "findling_workers", "gauge", "Search worker threads.");
  Sample(out, "findling_workers", f.threads);
  Header(out, "findling_index_documents", "gauge", "Documents in the index at the last reopen.");
  Sample(out, "findling_index_documents", static_cast<double>(f.documents));
  Header(out, "findling_index_bytes", "gauge", "Size of the index folders on disk.");
  Sample(out, "findling_index_bytes", static_cast<double>(f.index_bytes));
  Header(out, "findling_index_reopens_total", "counter",
         "Index reopen checks by the workers (each picks up findling-index commits).");
  Sample(out, "findling_index_reopens_total", static_cast<double>(facts.reopens));
  ConnectionSamples(out, "findling_connections", "gauge",
                    "Open connections counted towards --max-connections, by protocol.",
                    facts.connections, &ConnectionCounts::open);
  ConnectionSamples(out, "findling_connections_accepted_total", "counter",
                    "Connections accepted under the cap since start, by protocol.",
                    facts.connections, &ConnectionCounts::accepted);
  ConnectionSamples(out, "findling_connections_rejected_total", "counter",
                    "Connections turned away at --max-connections, by protocol.", facts.connections,
                    &ConnectionCounts::rejected);
  Header(out, "findling_uptime_seconds", "gauge", "Seconds since the server started.");
  Sample(out, "findling_uptime_seconds", facts.stats.uptime_s);
  return out;
}

}  // namespace findling::server
