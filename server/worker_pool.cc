#include "server/worker_pool.h"

#include <cstdio>

namespace findling::server {

Result<std::unique_ptr<WorkerPool>> WorkerPool::Create(const std::vector<std::string>& paths,
                                                       const SearcherOptions& searcher_options,
                                                       const WorkerPoolOptions& options) {
  std::unique_ptr<WorkerPool> pool(new WorkerPool(options));
  const unsigned n = options.threads == 0 ? 1 : options.threads;
  for (unsigned i = 0; i < n; ++i) {
    auto searcher = Searcher::Open(paths, searcher_options);
    if (!searcher.ok()) return searcher.status();
    pool->searchers_.push_back(std::move(searcher).value());
  }
  pool->documents_ = pool->searchers_.front()->document_count();
  // Threads start only once every Searcher opened, so a failed Create never
  // leaves threads behind.
  for (auto& searcher : pool->searchers_) {
    pool->threads_.emplace_back([p = pool.get(), s = searcher.get()] { p->Work(*s); });
  }
  return pool;
}

WorkerPool::~WorkerPool() { Stop(); }

bool WorkerPool::TrySubmit(Task task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || queue_.size() >= options_.max_queued) return false;
    queue_.push_back(std::move(task));
  }
  wake_.notify_one();
  return true;
}

void WorkerPool::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  std::lock_guard<std::mutex> lock(join_mu_);
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
}

std::size_t WorkerPool::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

void WorkerPool::Work(Searcher& searcher) {
  using Clock = std::chrono::steady_clock;
  auto last_reopen = Clock::now();
  for (;;) {
    Task task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      // Drain before leaving: queued tasks are requests a client is waiting for.
      if (queue_.empty()) return;
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    const auto now = Clock::now();
    if (now - last_reopen >= options_.reopen_interval) {
      // A failed reopen keeps the old state readable; the search reports
      // real trouble itself, so the status is not needed here.
      (void)searcher.Reopen();
      documents_.store(searcher.document_count(), std::memory_order_relaxed);
      last_reopen = now;
    }
    try {
      task(searcher);
    } catch (...) {
      std::fprintf(stderr, "findling-server: a worker task threw; request dropped\n");
    }
  }
}

}  // namespace findling::server
