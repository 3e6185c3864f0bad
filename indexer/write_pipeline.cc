#include "indexer/write_pipeline.h"

namespace findling {

WritePipeline::WritePipeline(IndexWriter& writer, std::size_t capacity)
    : writer_(writer), capacity_(capacity == 0 ? 1 : capacity), thread_([this] { Run(); }) {}

WritePipeline::~WritePipeline() { (void)Finish(); }

Status WritePipeline::Submit(std::string id, Xapian::Document doc, std::uint64_t source_bytes) {
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait(lock, [this] { return queue_.size() < capacity_ || !error_.ok(); });
  if (!error_.ok()) return error_;
  queue_.push_back({std::move(id), std::move(doc), source_bytes});
  changed_.notify_all();
  return Status::Ok();
}

Status WritePipeline::Finish() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
    changed_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
  std::lock_guard<std::mutex> lock(mu_);
  return error_;
}

void WritePipeline::Run() {
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
    // Xapian::Document's reference count is not atomic: the item was moved
    // out of the queue, so only this thread holds it now.
    Status s = writer_.Put(item.id, item.doc, item.bytes);
    if (!s.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      error_ = s;
      queue_.clear();
      changed_.notify_all();
      return;
    }
  }
}

}  // namespace findling
