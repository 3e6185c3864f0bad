// The work behind each op: what a request does to a Searcher and what JSON it
// answers. The Server decides where this runs (search, get and suggest on a
// worker thread; ping and stats on the I/O thread, so that monitoring still
// answers when every worker is busy).
#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "searcher/searcher.h"
#include "server/protocol.h"
#include "server/stats.h"

namespace findling::server {

using Clock = std::chrono::steady_clock;

// Milliseconds from `start` to now.
inline double MillisSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// A finished response line and how it went (for the log and the stats).
struct Reply {
  std::string line;                // ends in '\n'
  std::optional<ErrorCode> error;  // unset for a successful response
  std::string message;             // the error message, for the log
  const char* status() const { return error ? ErrorCodeName(*error) : "ok"; }
};

// A successful Reply with `body` (plus the id).
Reply OkReply(nlohmann::json body, const std::optional<nlohmann::json>& id);

// An error Reply.
Reply ErrorReply(ErrorCode code, std::string_view message, const std::optional<nlohmann::json>& id);

struct ExecuteOptions {
  std::chrono::milliseconds budget{2000};
  // suggest: a word that alone matches at most this many documents counts as
  // misspelled (the Searcher's SearcherOptions::suggest_below).
  std::uint64_t rare_word_matches = 2;
};

// Runs a search, get or suggest `request` with `searcher` (which the caller
// owns and uses from this thread only). `received` is when its line arrived:
// when the wait before this call already used up options.budget, the answer is a
// timeout without searching; when the search itself ends past the budget its
// result is dropped for a timeout error too, because Xapian 1.4 cannot stop a
// match midway and a late answer would mislead a client that has moved on.
// Searcher failures become error replies (ErrorCodeFor); never throws.
Reply Execute(const Request& request, Searcher& searcher, Clock::time_point received,
              const ExecuteOptions& options);

// Whether `request` goes to the workers' heavy lane (WorkerPool, Lane::kHeavy),
// of which at most --max-heavy run at once. Decided on the I/O thread before
// queueing, from the request alone (no index access, one pass over the query):
// a search is heavy when its query has a wildcard, that is a '*' right after
// a byte that is not ASCII whitespace, a bracket, a quote or another '*'
// (each wildcard scans the vocabulary: `a* b* c*` costs tens to hundreds of
// milliseconds on a large index), or more than kHeavyWords words (runs of
// non-blank bytes), whose postings a search merges. The scan errs on the heavy
// side: a '*' inside a word or a phrase ("C*-Algebra", "\"a* b\"") counts too.
// get and suggest are never heavy.
inline constexpr std::size_t kHeavyWords = 32;
bool IsHeavy(const Request& request);

// Everything {"op":"stats"} reports besides the ServerStats counters.
struct ServerFacts {
  std::uint64_t documents = 0;
  std::uint64_t index_bytes = 0;
  unsigned threads = 0;
  std::size_t queued = 0;        // waiting for a worker, both lanes
  unsigned max_heavy = 0;        // --max-heavy as in force
  std::size_t heavy_queued = 0;  // heavy requests waiting
  unsigned heavy_running = 0;    // heavy requests on a worker now
  std::uint64_t heavy_run = 0;   // heavy requests taken by a worker since start
};

// The body of a stats response (docs/protocol.md lists the fields).
nlohmann::json StatsJson(const StatsSnapshot& stats, const ServerFacts& facts);

// The size on disk of the index folders at `paths`: the sum of the regular
// files in them. Unreadable entries count as 0 (stats must not fail).
std::uint64_t IndexBytesOnDisk(const std::vector<std::string>& paths);

}  // namespace findling::server
