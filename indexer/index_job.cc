#include "indexer/index_job.h"

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "common/folder_bytes.h"
#include "indexer/shard_layout.h"
#include "indexer/sharded_writer.h"

namespace findling {
namespace {

// Hands the readers' documents to the shards' writers and counts what the
// report needs; everything else goes to the observer.
class IndexingSink : public DocumentSink {
 public:
  IndexingSink(ShardedWriter& writer, IndexJobObserver& observer)
      : writer_(writer), observer_(observer) {}

  bool Accept(SourceDocument&& doc) override {
    if (observer_.Interrupted()) return false;
    const std::uint64_t bytes = doc.source_bytes;
    Status s = writer_.Submit(std::move(doc));
    if (!s.ok()) {
      error_ = s;
      return false;
    }
    bytes_ += bytes;
    observer_.OnProgress(1, bytes);
    return !observer_.Interrupted();
  }

  void Skip(const ReadIssue& issue) override {
    ++skipped_;
    bytes_ += issue.source_bytes;
    observer_.OnProgress(0, issue.source_bytes);
    observer_.OnIssue(issue, /*skipped=*/true);
  }

  // The document is indexed all the same: no skip, no failure.
  void Warn(const ReadIssue& issue) override { observer_.OnIssue(issue, /*skipped=*/false); }

  std::uint64_t skipped() const { return skipped_; }
  std::uint64_t bytes() const { return bytes_; }
  const Status& error() const { return error_; }

 private:
  ShardedWriter& writer_;
  IndexJobObserver& observer_;
  std::uint64_t skipped_ = 0;
  std::uint64_t bytes_ = 0;
  Status error_;
};

// The size of the inputs, for a percentage; 0 when standard input is among
// them (unknown size: no percentage).
std::uint64_t TotalInputBytes(const std::vector<std::string>& inputs) {
  std::uint64_t total = 0;
  for (const std::string& in : inputs) {
    std::error_code ec;
    if (in == "-") return 0;
    if (std::filesystem::is_directory(in, ec)) {
      total += FolderBytes(in);
    } else {
      const auto size = std::filesystem::file_size(in, ec);
      if (!ec) total += size;
    }
  }
  return total;
}

struct ShardChoice {
  ShardLayout layout;
  bool created = false;  // this run created a new sharded index
};

// Decides which shards this run writes: a new index gets `requested` shards
// (created here when more than one), an existing index keeps its own.
// Returns kInvalidInput for an explicit count that contradicts the index.
Result<ShardChoice> ChooseShards(const std::string& db, std::uint32_t requested,
                                 bool requested_explicitly, const std::string& signature,
                                 const std::string& fields, bool merge_at_end) {
  auto layout = ReadShardLayout(db);
  if (!layout.ok()) return layout.status();
  ShardChoice choice{layout.value()};
  const auto existing = static_cast<std::uint32_t>(choice.layout.shard_paths.size());
  switch (choice.layout.kind) {
    case IndexFolderKind::kNew:
      if (requested == 1) {
        choice.layout = {IndexFolderKind::kUnsharded, {db}, false};
        return choice;
      }
      if (Status s = CreateShardedIndex(db, requested, signature, fields, merge_at_end); !s.ok())
        return s;
      layout = ReadShardLayout(db);
      if (!layout.ok()) return layout.status();
      choice.layout = layout.value();
      choice.created = true;
      return choice;
    case IndexFolderKind::kUnsharded:
    case IndexFolderKind::kSharded:
      if (requested_explicitly && requested != existing) {
        return Status::InvalidInput(
            "--shards " + std::to_string(requested) + " contradicts the index at " + db +
            ", which has " + std::to_string(existing) + (existing == 1 ? " shard" : " shards") +
            " (documents are routed by the shard count it was built with); leave --shards out "
            "or index into a new folder");
      }
      return choice;
  }
  return choice;
}

// Compacts every shard in place, in parallel (each shard is a complete
// index, so CompactIndex's atomic exchange applies to each). nullopt, after
// a warning, when one fails: the shards stay complete and searchable.
std::optional<CompactionResult> CompactShards(const std::vector<std::string>& shards,
                                              IndexJobObserver& observer) {
  std::vector<Result<CompactionResult>> results(shards.size(), Status::Internal("not run"));
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < shards.size(); ++i) {
    threads.emplace_back([&, i] { results[i] = CompactIndex(shards[i]); });
  }
  for (auto& t : threads) t.join();
  CompactionResult total;
  for (const auto& r : results) {
    if (!r.ok()) {
      observer.OnWarning(r.status().message());
      return std::nullopt;
    }
    total.bytes_before += r->bytes_before;
    total.bytes_after += r->bytes_after;
    total.seconds = std::max(total.seconds, r->seconds);
  }
  return total;
}

// CompactIndex(db), or nullopt after a warning: the index is complete and
// intact either way, only larger than it could be (a merge: the next run
// retries it).
std::optional<CompactionResult> CompactOrWarn(const std::string& db, IndexJobObserver& observer) {
  auto compacted = CompactIndex(db);
  if (compacted.ok()) return compacted.value();
  observer.OnWarning(compacted.status().message());
  return std::nullopt;
}

Status CheckOptions(const IndexJobOptions& o) {
  if (o.sync && (o.inputs.size() != 1 || o.inputs[0] == "-" || !o.delete_ids.empty())) {
    return Status::InvalidInput("--sync takes one FOLDER, and no --delete");
  }
  if (o.shards < 1 || o.shards > kMaxShards) {
    return Status::InvalidInput("--shards " + std::to_string(o.shards) +
                                ": give a number from 1 to " + std::to_string(kMaxShards));
  }
  return Status::Ok();
}

}  // namespace

IndexJob::IndexJob(IndexJobOptions options, const Analyzer& analyzer)
    : options_(std::move(options)), analyzer_(analyzer) {}

Result<IndexReport> IndexJob::Run(IndexJobObserver& observer) {
  if (Status s = CheckOptions(options_); !s.ok()) return s;
  const std::string& db = options_.db;
  // The module's edge: every part below returns Xapian's failures as a
  // Status already; this catches whatever one of them might still let
  // through, so a caller never sees a Xapian exception.
  try {
    const bool never_compact = options_.compaction == IndexJobOptions::Compaction::kNever;
    const bool merge_at_end = !options_.keep_shards && !never_compact;
    auto chosen = ChooseShards(db, options_.shards, options_.shards_explicit, analyzer_.Signature(),
                               options_.writer.fields ? options_.writer.fields->ToString() : "",
                               merge_at_end);
    if (!chosen.ok()) return chosen.status();
    const ShardLayout& layout = chosen->layout;
    auto writer = ShardedWriter::Open(layout, analyzer_, options_.writer);
    if (!writer.ok()) return writer.status();
    ShardedWriter& w = *writer.value();
    // A sharded build stays new until the run that completes it merges it.
    // An index whose size cannot be read is no new one: it stops here
    // rather than be compacted (or merged) as if it were empty.
    auto documents_before = w.document_count();
    if (!documents_before.ok()) {
      return Status::Io("cannot tell whether " + db +
                        " is a new index: " + documents_before.status().message());
    }
    const bool new_index = documents_before.value() == 0 || layout.merge_pending;

    IndexReport report;
    report.db = db;
    for (const std::string& id : options_.delete_ids) {
      bool found = false;
      if (Status s = w.Delete(id, &found); !s.ok()) return s;
      if (found) {
        ++report.ids_deleted;
      } else {
        ++report.ids_not_found;
        observer.OnWarning("no document with id \"" + id + "\" to delete");
      }
    }

    const auto started = std::chrono::steady_clock::now();
    observer.OnReadStart(options_.sync ? 0 : TotalInputBytes(options_.inputs));
    IndexingSink sink(w, observer);
    std::unique_ptr<FolderSync> folder_sync;
    std::uint64_t unreadable = 0;
    if (options_.sync) {
      folder_sync = std::make_unique<FolderSync>(w, options_.inputs[0], options_.reader);
      if (Status s = folder_sync->Scan(sink); !s.ok()) return s;
      folder_sync->ReadChanged(sink);
    } else {
      for (const std::string& input : options_.inputs) {
        if (observer.Interrupted()) break;
        Status s = ReadInput(input, options_.reader, sink);
        if (!sink.error().ok()) break;
        if (!s.ok()) {
          observer.OnWarning(s.message() + " (skipped)");
          ++unreadable;
        }
      }
    }
    const Status written = w.Finish();
    Status synced;
    if (folder_sync && written.ok() && sink.error().ok()) synced = folder_sync->Finish();
    const Status committed = synced.ok() ? w.Commit() : synced;
    report.error = !sink.error().ok() ? sink.error() : (!written.ok() ? written : committed);
    report.counts = w.counts();
    // What was written stays written; a count that fails after it is the
    // run's error (so the index is not compacted), unless one came first.
    if (auto documents = w.document_count(); documents.ok()) {
      report.documents_in_index = documents.value();
    } else if (report.error.ok()) {
      report.error = documents.status();
    }
    observer.OnReadEnd(report.error);
    report.shards_written = w.shard_count();
    writer.value().reset();  // releases the shards for compaction
    const bool wrote = report.counts.added + report.counts.replaced + report.counts.deleted > 0;
    report.sharded = layout.kind == IndexFolderKind::kSharded;
    const bool complete = report.error.ok() && !observer.Interrupted();
    if (complete && report.sharded && layout.merge_pending && options_.keep_shards) {
      if (Status s = ClearMergePending(db); !s.ok()) observer.OnWarning(s.message());
    }
    if (folder_sync) {
      for (const std::string& warning : folder_sync->warnings()) observer.OnWarning(warning);
      report.sync = folder_sync->counts();
    }
    const bool compact = options_.compaction == IndexJobOptions::Compaction::kAlways || new_index;
    if (complete && !never_compact && compact && (wrote || layout.merge_pending)) {
      if (report.sharded && !options_.keep_shards && layout.merge_pending) {
        // The merge: one database from all shards, swapped in for the folder.
        report.compaction = CompactOrWarn(db, observer);
        report.merged = report.compaction.has_value();
      } else if (report.sharded) {
        report.compaction = CompactShards(layout.shard_paths, observer);
      } else {
        report.compaction = CompactOrWarn(db, observer);
      }
    }
    report.shards = report.merged ? 1 : report.shards_written;
    report.skipped = sink.skipped() + unreadable;
    report.bytes_read = sink.bytes();
    report.interrupted = observer.Interrupted();
    report.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return report;
  } catch (const Xapian::Error& e) {
    return Status::Io("indexing into " + db + ": " + e.get_description());
  }
}

}  // namespace findling
