#include "server/worker_pool.h"

#include <algorithm>
#include <cstdio>

namespace findling::server {
namespace {

unsigned ThreadCount(const WorkerPoolOptions& options) {
  return options.threads == 0 ? 1 : options.threads;
}

}  // namespace

WorkerPool::WorkerPool(const WorkerPoolOptions& options)
    : options_(options),
      max_heavy_(options.max_heavy == 0 ? std::max(1u, ThreadCount(options) - 1)
                                        : std::min(options.max_heavy, ThreadCount(options))) {}

Result<std::unique_ptr<WorkerPool>> WorkerPool::Create(const std::vector<std::string>& paths,
                                                       const SearcherOptions& searcher_options,
                                                       const WorkerPoolOptions& options) {
  std::unique_ptr<WorkerPool> pool(new WorkerPool(options));
  const unsigned n = ThreadCount(options);
  for (unsigned i = 0; i < n; ++i) {
    auto searcher = Searcher::Open(paths, searcher_options);
    if (!searcher.ok()) return searcher.status();
    pool->searchers_.push_back(std::move(searcher).value());
  }
  auto documents = pool->searchers_.front()->document_count();
  if (!documents.ok()) return documents.status();
  pool->documents_ = documents.value();
  // Threads start only once every Searcher opened, so a failed Create never
  // leaves threads behind.
  for (auto& searcher : pool->searchers_) {
    pool->threads_.emplace_back([p = pool.get(), s = searcher.get()] { p->Work(*s); });
  }
  return pool;
}

WorkerPool::~WorkerPool() { Stop(); }

bool WorkerPool::TrySubmit(Task task, Lane lane) {
  {
    MutexLock lock(&mu_);
    std::deque<Task>& queue = lane == Lane::kHeavy ? heavy_ : queue_;
    if (stopping_ || queue.size() >= options_.max_queued) return false;
    queue.push_back(std::move(task));
  }
  // A woken worker that may not take a heavy task (max_heavy_ running) sleeps
  // again; the heavy task that finishes next wakes everyone.
  wake_.NotifyOne();
  return true;
}

void WorkerPool::Stop() {
  {
    MutexLock lock(&mu_);
    stopping_ = true;
  }
  wake_.NotifyAll();
  MutexLock lock(&join_mu_);
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
}

WorkerPool::Load WorkerPool::load() const {
  MutexLock lock(&mu_);
  return {queue_.size() + heavy_.size(), heavy_.size(), heavy_running_, heavy_run_};
}

bool WorkerPool::Runnable() const {
  return !queue_.empty() || (!heavy_.empty() && heavy_running_ < max_heavy_);
}

void WorkerPool::Work(Searcher& searcher) {
  using Clock = std::chrono::steady_clock;
  auto last_reopen = Clock::now();
  for (;;) {
    Task task;
    bool heavy = false;
    {
      MutexLock lock(&mu_);
      // Drain before leaving: queued tasks are requests a client is waiting
      // for. A worker that may not take a waiting heavy task stays until the
      // lanes are empty; the heavy task that finishes wakes it. (A loop, not
      // a predicate lambda: the analysis sees the reads under mu_.)
      while (!Runnable() && !(stopping_ && queue_.empty() && heavy_.empty())) wake_.Wait(mu_);
      if (!Runnable()) return;
      // Ordinary tasks first: they are cheap, and a heavy task may wait.
      heavy = queue_.empty();
      std::deque<Task>& queue = heavy ? heavy_ : queue_;
      task = std::move(queue.front());
      queue.pop_front();
      if (heavy) {
        ++heavy_running_;
        ++heavy_run_;
      }
    }
    const auto now = Clock::now();
    if (now - last_reopen >= options_.reopen_interval) {
      // A failed reopen keeps the old state readable; the search reports
      // real trouble itself, so the status is not needed here.
      (void)searcher.Reopen();
      reopens_.fetch_add(1, std::memory_order_relaxed);
      // A failed count keeps the last one for stats; searches report the trouble.
      if (auto documents = searcher.document_count(); documents.ok()) {
        documents_.store(documents.value(), std::memory_order_relaxed);
      }
      last_reopen = now;
    }
    try {
      task(searcher);
    } catch (...) {
      std::fprintf(stderr, "findling-server: a worker task threw; request dropped\n");
    }
    if (heavy) {
      {
        MutexLock lock(&mu_);
        --heavy_running_;
      }
      // A heavy slot is free: a sleeping worker may take the next heavy task
      // (or, when stopping, see that nothing is left and leave).
      wake_.NotifyAll();
    }
  }
}

}  // namespace findling::server
