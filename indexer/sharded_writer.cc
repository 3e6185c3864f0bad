#include "indexer/sharded_writer.h"

#include <xapian.h>

#include "common/index_schema.h"
#include "indexer/work_queue.h"
#include "indexer/write_pipeline.h"

namespace findling {

// One shard's analysis thread, feeding the shard's WritePipeline.
class ShardedWriter::Worker {
 public:
  // Enough documents to keep the analysis thread busy while the reader is
  // briefly slower; few enough that N queues of long articles stay small.
  static constexpr std::size_t kCapacity = 64;

  Worker(IndexWriter& writer, std::unique_ptr<Analyzer> analyzer)
      : path_(writer.path()),
        analyzer_(std::move(analyzer)),
        builder_(*analyzer_, writer.fields()),
        pipeline_(writer),
        queue_(kCapacity, [this](SourceDocument& doc) { return Build(doc); }) {}
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  Status Submit(SourceDocument&& doc) { return queue_.Push(std::move(doc)); }

  // Drains the queue and the pipeline; the first error of either.
  Status Finish() {
    const Status built = queue_.Finish();
    const Status written = pipeline_.Finish();
    return built.ok() ? written : built;
  }

 private:
  // On the queue's thread. Built and handed over here: the Xapian::Document
  // (whose reference count is not atomic) then belongs to the pipeline alone.
  Status Build(const SourceDocument& doc) {
    try {
      return pipeline_.Submit(doc.id, builder_.Build(doc), doc.source_bytes);
    } catch (const Xapian::Error& e) {
      // An exception must not leave this thread (it would end the process).
      return Status::Internal("analysing document " + doc.id + " for " + path_ + ": " +
                              e.get_description());
    }
  }

  const std::string path_;  // the shard's, for messages
  std::unique_ptr<Analyzer> analyzer_;
  DocumentBuilder builder_;
  WritePipeline pipeline_;
  WorkQueue<SourceDocument> queue_;  // last: its thread uses everything above
};

ShardedWriter::ShardedWriter(std::vector<std::unique_ptr<IndexWriter>> writers,
                             const Analyzer& analyzer)
    : writers_(std::move(writers)), analyzer_(analyzer) {}

ShardedWriter::~ShardedWriter() { (void)Finish(); }

Result<std::unique_ptr<ShardedWriter>> ShardedWriter::Open(const ShardLayout& layout,
                                                           const Analyzer& analyzer,
                                                           const IndexWriterOptions& options) {
  const auto count = static_cast<std::uint32_t>(layout.shard_paths.size());
  std::vector<std::unique_ptr<IndexWriter>> writers;
  for (std::uint32_t i = 0; i < count; ++i) {
    IndexWriterOptions shard_options = options;
    shard_options.shard_label =
        layout.kind == IndexFolderKind::kSharded ? ShardLabel(i, count) : "";
    auto writer = IndexWriter::Open(layout.shard_paths[i], analyzer.Signature(), shard_options);
    if (!writer.ok()) return writer.status();  // the writers opened so far close here
    // Without --field each shard keeps its own record: they must agree, or
    // a filter would find the documents of some shards only.
    if (!writers.empty() &&
        writer.value()->fields().ToString() != writers.front()->fields().ToString()) {
      return Status::Incompatible("shard " + layout.shard_paths[i] + " declares the fields \"" +
                                  writer.value()->fields().ToString() + "\" but " +
                                  layout.shard_paths[0] + " declares \"" +
                                  writers.front()->fields().ToString() +
                                  "\"; pass --rebuild with the --field declarations you want");
    }
    writers.push_back(std::move(writer.value()));
  }
  return std::unique_ptr<ShardedWriter>(new ShardedWriter(std::move(writers), analyzer));
}

Status ShardedWriter::Delete(const std::string& id, bool* found) {
  return writers_[ShardOfId(id, shard_count())]->Delete(id, found);
}

void ShardedWriter::StartWorkers() {
  for (auto& writer : writers_) {
    workers_.push_back(std::make_unique<Worker>(*writer, analyzer_.Clone()));
  }
}

Status ShardedWriter::Submit(SourceDocument&& doc) {
  if (workers_.empty()) StartWorkers();
  return workers_[ShardOfId(doc.id, shard_count())]->Submit(std::move(doc));
}

Status ShardedWriter::Finish() {
  Status first;
  for (auto& worker : workers_) {
    Status s = worker->Finish();
    if (first.ok()) first = s;
  }
  workers_.clear();
  Status committed = Commit();
  return first.ok() ? committed : first;
}

Result<std::string> ShardedWriter::GetMetadata(const std::string& key) const {
  return writers_[0]->GetMetadata(key);
}

Status ShardedWriter::SetMetadata(const std::string& key, const std::string& value) {
  return writers_[0]->SetMetadata(key, value);
}

Status ShardedWriter::Commit() {
  Status first;
  for (std::size_t i = writers_.size(); i-- > 0;) {
    Status s = writers_[i]->Commit();
    if (first.ok()) first = s;
  }
  return first;
}

WriteCounts ShardedWriter::counts() const {
  WriteCounts total;
  for (const auto& writer : writers_) {
    const WriteCounts& c = writer->counts();
    total.added += c.added;
    total.replaced += c.replaced;
    total.deleted += c.deleted;
    total.committed_changes += c.committed_changes;
  }
  return total;
}

Result<std::uint64_t> ShardedWriter::document_count() const {
  std::uint64_t total = 0;
  for (const auto& writer : writers_) {
    auto count = writer->document_count();
    if (!count.ok()) return count.status();
    total += count.value();
  }
  return total;
}

}  // namespace findling
