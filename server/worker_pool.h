// WorkerPool: the threads that run searches, each with its own Searcher.
//
// A Searcher is not thread-safe (it owns a Xapian::Database and an Analyzer),
// so each worker thread opens one and uses it for every task it runs.
//
// Two lanes. Tasks wait in two bounded FIFO queues: the ordinary lane and the
// heavy lane (tasks the submitter expects to be expensive, such as wildcard
// searches). At most max_heavy heavy tasks run at once; a worker takes an
// ordinary task first whenever one waits, and a heavy task only while fewer
// than max_heavy run. With max_heavy < threads, threads - max_heavy workers
// are therefore always free for ordinary tasks, however many heavy ones
// arrive. Each queue holds at most max_queued tasks; a full queue refuses
// new tasks (the server answers "overloaded") rather than growing without
// limit, and a flood of heavy tasks cannot fill the ordinary queue.
//
// Before each task a worker calls Searcher::Reopen() when its last reopen is
// older than reopen_interval, so documents committed by findling-index while
// the server runs become visible within about that interval, at the cost of
// one cheap revision check per interval rather than per search.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "searcher/searcher.h"
#include "server/mutex.h"

namespace findling::server {

enum class Lane : std::uint8_t { kOrdinary, kHeavy };

struct WorkerPoolOptions {
  unsigned threads = 1;
  std::size_t max_queued = 4096;  // tasks waiting per lane, not counting those running
  unsigned max_heavy = 0;         // heavy tasks running at once; 0 = max(1, threads - 1)
  std::chrono::milliseconds reopen_interval{500};
};

class WorkerPool {
 public:
  // Runs on a worker thread with that worker's Searcher. Must not throw: the
  // pool swallows an escaping exception only to keep the worker alive.
  using Task = std::function<void(Searcher&)>;

  // Opens options.threads Searchers on `paths` (the same indexes, searched as
  // one) and starts the threads. Fails with the first Searcher::Open error.
  static Result<std::unique_ptr<WorkerPool>> Create(const std::vector<std::string>& paths,
                                                    const SearcherOptions& searcher_options,
                                                    const WorkerPoolOptions& options);
  // Stop()s: runs what is queued, then joins.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task` in `lane` unless that lane's queue is full or the pool is
  // stopping; returns whether it was queued. Thread-safe.
  bool TrySubmit(Task task, Lane lane = Lane::kOrdinary);

  // Refuses new tasks, lets the workers finish every queued task, and joins
  // them. Thread-safe and idempotent; must not be called from a task.
  void Stop();

  unsigned threads() const { return static_cast<unsigned>(searchers_.size()); }
  unsigned max_heavy() const { return max_heavy_; }

  // A consistent view of the queues, for the stats. Thread-safe.
  struct Load {
    std::size_t queued = 0;        // tasks waiting, both lanes
    std::size_t heavy_queued = 0;  // of which in the heavy lane
    unsigned heavy_running = 0;    // heavy tasks running now
    std::uint64_t heavy_run = 0;   // heavy tasks started since Create
  };
  Load load() const;
  std::size_t queued() const { return load().queued; }
  // The document count the most recent reopen of any worker saw. Thread-safe.
  std::uint64_t document_count() const { return documents_.load(std::memory_order_relaxed); }
  // How many reopen checks the workers made since Create (for the metrics).
  std::uint64_t reopens() const { return reopens_.load(std::memory_order_relaxed); }

 private:
  explicit WorkerPool(const WorkerPoolOptions& options);
  void Work(Searcher& searcher);
  // Whether a worker may take a task now.
  bool Runnable() const FINDLING_REQUIRES(mu_);

  const WorkerPoolOptions options_;
  const unsigned max_heavy_;
  std::vector<std::unique_ptr<Searcher>> searchers_;  // one per thread, fixed after Create
  std::vector<std::thread> threads_;                  // joined by Stop()
  mutable Mutex mu_;
  CondVar wake_;
  std::deque<Task> queue_ FINDLING_GUARDED_BY(mu_);  // the ordinary lane
  std::deque<Task> heavy_ FINDLING_GUARDED_BY(mu_);  // the heavy lane
  unsigned heavy_running_ FINDLING_GUARDED_BY(mu_) = 0;
  std::uint64_t heavy_run_ FINDLING_GUARDED_BY(mu_) = 0;
  bool stopping_ FINDLING_GUARDED_BY(mu_) = false;
  std::atomic<std::uint64_t> documents_{0};
  std::atomic<std::uint64_t> reopens_{0};
  Mutex join_mu_;  // serialises Stop() callers around the joins
};

}  // namespace findling::server
