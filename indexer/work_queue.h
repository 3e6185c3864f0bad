// WorkQueue: a bounded queue with one consumer thread of its own that stops
// at the first error. The single writer's pipeline (write_pipeline.h) and
// each shard's analysis thread (sharded_writer.cc) are both one of these.
//
// Items are handled in the order pushed. The handler runs on the queue's
// thread, on an item moved out of the queue, so the item belongs to that
// thread alone while it is handled (Xapian::Document's reference count is
// not atomic). When the handler returns an error, the queue drops what is
// waiting, wakes a blocked Push() and handles nothing more; Push() and
// Finish() return that first error from then on.
//
// Thread safety: Push() and Finish() are called from one thread (the
// producer). The handler must not throw (an exception would end the
// process): it turns failures into a Status.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>

#include "common/status.h"

namespace findling {

template <typename Item>
class WorkQueue {
 public:
  using Handler = std::function<Status(Item&)>;

  // Starts the thread. `capacity` (at least 1): items waiting before Push()
  // blocks, which bounds memory when the handler is the slower side.
  WorkQueue(std::size_t capacity, Handler handler)
      : capacity_(capacity == 0 ? 1 : capacity),
        handler_(std::move(handler)),
        thread_([this] { Run(); }) {}
  ~WorkQueue() { (void)Finish(); }
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // Queues `item`; blocks while the queue is full. Returns the handler's
  // first error, if there was one (then `item` is dropped: stop producing).
  Status Push(Item&& item) {
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait(lock, [this] { return queue_.size() < capacity_ || !error_.ok(); });
    if (!error_.ok()) return error_;
    queue_.push_back(std::move(item));
    changed_.notify_all();
    return Status::Ok();
  }

  // Waits until every queued item is handled and ends the thread; returns
  // the handler's first error. Later calls return the same at once.
  Status Finish() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
      changed_.notify_all();
    }
    if (thread_.joinable()) thread_.join();
    std::lock_guard<std::mutex> lock(mu_);
    return error_;
  }

 private:
  void Run() {
    for (;;) {
      Item item;
      {
        std::unique_lock<std::mutex> lock(mu_);
        changed_.wait(lock, [this] { return !queue_.empty() || done_; });
        if (queue_.empty()) return;  // done_ and drained
        item = std::move(queue_.front());
        queue_.pop_front();
        changed_.notify_all();
      }
      Status s = handler_(item);
      if (!s.ok()) {
        std::lock_guard<std::mutex> lock(mu_);
        error_ = std::move(s);
        queue_.clear();
        changed_.notify_all();
        return;
      }
    }
  }

  const std::size_t capacity_;
  const Handler handler_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<Item> queue_;  // guarded by mu_
  bool done_ = false;       // guarded by mu_
  Status error_;            // guarded by mu_
  std::thread thread_;      // last: starts when everything above exists
};

}  // namespace findling
