// ShardedWriter: one reader feeding N shard pipelines, so every core works.
//
// Before shards, one thread read and analysed and one WritePipeline thread
// wrote: at most two cores, and only while both halves kept pace. Here the
// caller's thread only reads and parses; Submit() routes each document by
// ShardOfId() to its shard's worker, which analyses it with an Analyzer of
// its own (a Clone) and hands the Xapian document to the shard's own
// WritePipeline and IndexWriter. With N shards, N analysis threads and N
// writer threads share the cores (docs/benchmarks.md, "Shards").
//
// Order: all versions of an id go to one shard, in the order submitted, so
// a later version still replaces an earlier one, and a rerun replaces the
// document in the shard that holds it (never a duplicate in another).
//
// Thread safety: every method is called from one thread. Delete(),
// SetMetadata() and Commit() only before the first Submit() or after
// Finish(): the shards' writers belong to their pipelines in between.
// Submit() after Finish() starts a new round of workers.
//
// Errors: nothing here throws Xapian::Error, on the caller's thread or on a
// worker's; every failure is the Status of the call that meets it (or of
// the next Submit() / Finish() for a worker's), naming the shard's path.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/analyzer.h"
#include "common/status.h"
#include "indexer/index_writer.h"
#include "indexer/shard_layout.h"
#include "indexer/source_document.h"

namespace findling {

class ShardedWriter {
 public:
  // Opens a writer on every shard of `layout` (kUnsharded or kSharded).
  // Fails like IndexWriter::Open, naming the shard; then no shard is held.
  static Result<std::unique_ptr<ShardedWriter>> Open(const ShardLayout& layout,
                                                     const Analyzer& analyzer,
                                                     const IndexWriterOptions& options);
  ~ShardedWriter();  // Finish(), then commits every shard
  ShardedWriter(const ShardedWriter&) = delete;
  ShardedWriter& operator=(const ShardedWriter&) = delete;

  // Removes the document with `id` from the shard that holds it.
  Status Delete(const std::string& id, bool* found = nullptr);
  // Queues `doc` for its shard; blocks while that shard's queue is full.
  // Returns the first error of any shard (then stop submitting).
  Status Submit(SourceDocument&& doc);
  // Waits until every queued document is written and commits every shard;
  // returns the first error.
  Status Finish();

  // Index-wide metadata (a folder sync's record) lives in shard 0: the
  // merge keeps shard 0's entries, and one shard's commit makes it durable.
  Result<std::string> GetMetadata(const std::string& key) const;
  // Durable with the next Commit().
  Status SetMetadata(const std::string& key, const std::string& value);
  // Makes every change durable, shard 0 last, so a record in its metadata
  // never describes changes of other shards that a kill could still lose.
  Status Commit();
  // The first shard's path, for messages.
  const std::string& path() const { return writers_[0]->path(); }

  std::uint32_t shard_count() const { return static_cast<std::uint32_t>(writers_.size()); }
  WriteCounts counts() const;            // summed over the shards
  // Summed over the shards; the first shard's failure (naming its path) ends it.
  Result<std::uint64_t> document_count() const;

 private:
  class Worker;
  explicit ShardedWriter(std::vector<std::unique_ptr<IndexWriter>> writers,
                         const Analyzer& analyzer);
  void StartWorkers();

  std::vector<std::unique_ptr<IndexWriter>> writers_;
  const Analyzer& analyzer_;
  std::vector<std::unique_ptr<Worker>> workers_;  // started by the first Submit()
};

}  // namespace findling
