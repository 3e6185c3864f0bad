// IndexJob: one run of findling-index as a library call.
//
// The whole flow of a run, in this order: choose the shards (a new index
// gets the requested count and is created sharded from its first moment;
// an existing one keeps its own), open a writer on every shard, delete the
// ids asked for, read the inputs (or, with sync, only the new and changed
// files of one folder) into the shards' writer threads, commit (shard 0
// last, so a sync record never outruns its documents), then compact a new
// index or merge its shards. findling-index (indexer/index_main.cc) parses
// its flags into IndexJobOptions, runs the job and prints the IndexReport;
// tests and other programs run the same job directly.
//
// What happens on the way (a skipped record, a warning, progress, an id that
// was not there to delete) reaches an IndexJobObserver on the calling
// thread, in order, so a terminal can draw a progress bar and interleave
// warnings; the job itself prints nothing.
//
// Errors: Run() never throws Xapian::Error (nor does anything else in
// indexer/ that returns a Status or Result): every failure becomes a Status
// naming the index path and what failed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/analyzer.h"
#include "common/status.h"
#include "indexer/folder_sync.h"
#include "indexer/index_compactor.h"
#include "indexer/index_writer.h"
#include "indexer/readers.h"

namespace findling {

struct IndexJobOptions {
  std::string db;                       // the index folder (created if missing)
  std::vector<std::string> inputs;      // files, folders, "-" for standard input
  std::vector<std::string> delete_ids;  // removed before anything is read
  // Keep the index in step with the one folder in `inputs` (FolderSync):
  // read only new and changed files, delete the documents of gone ones.
  // Requires exactly one input, not "-", and no delete_ids.
  bool sync = false;
  ReaderOptions reader;
  IndexWriterOptions writer;
  // The shard count of a new index (1 .. kMaxShards). An existing index
  // keeps its own; when `shards_explicit`, a different count is kInvalidInput.
  std::uint32_t shards = 1;
  bool shards_explicit = false;
  enum class Compaction : std::uint8_t {
    kNewIndex,  // compact (or merge the shards of) an index this run created
    kAlways,    // also compact an existing index this run wrote to
    kNever,     // leave the index as built (a new sharded index keeps its shards)
  };
  Compaction compaction = Compaction::kNewIndex;
  // A new sharded index stays N shards behind PATH/XAPIANDB (each compacted)
  // instead of being merged into one database at the end.
  bool keep_shards = false;
};

// Receives what happens during IndexJob::Run(), on the calling thread. Every
// method has a default that does nothing (Interrupted(): never).
class IndexJobObserver {
 public:
  virtual ~IndexJobObserver() = default;
  // Reading begins; `total_bytes` is the size of the inputs, 0 when unknown
  // (standard input, or a sync, which reads only part of its folder).
  virtual void OnReadStart(std::uint64_t total_bytes) { (void)total_bytes; }
  // `documents` more documents and `bytes` more input were read.
  virtual void OnProgress(std::uint64_t documents, std::uint64_t bytes) {
    (void)documents;
    (void)bytes;
  }
  // A reader skipped a record (`skipped`) or warned about one it indexed
  // all the same; `issue.where` is "file:line".
  virtual void OnIssue(const ReadIssue& issue, bool skipped) {
    (void)issue;
    (void)skipped;
  }
  // Anything else worth a "warning:" line: an id not there to delete, an
  // input that could not be read ("... (skipped)"), a file that vanished
  // during a sync, a compaction that failed (the index stays complete).
  virtual void OnWarning(const std::string& message) { (void)message; }
  // Everything read is written and committed, or writing failed: the
  // failure (also IndexReport::error) is `status`, else OK.
  virtual void OnReadEnd(const Status& status) { (void)status; }
  // Polled between documents and inputs: true stops reading; what was read
  // is committed, and the index is not compacted.
  virtual bool Interrupted() { return false; }
};

struct IndexReport {
  std::string db;
  WriteCounts counts;               // summed over the shards, deletions included
  std::uint64_t ids_deleted = 0;    // of delete_ids, those that were there
  std::uint64_t ids_not_found = 0;  // of delete_ids, those that were not
  std::uint64_t skipped = 0;        // records skipped plus inputs that could not be read
  std::uint64_t bytes_read = 0;     // input consumed, skipped records included
  double seconds = 0;               // from the start of reading to the end of the run
  std::uint64_t documents_in_index = 0;
  std::uint32_t shards_written = 0;  // shards this run wrote to
  std::uint32_t shards = 0;          // shards the index has now (1 after a merge)
  bool sharded = false;              // the index was a sharded folder during the run
  bool merged = false;               // the shards were merged into one database
  bool interrupted = false;          // IndexJobObserver::Interrupted() said so
  std::optional<SyncCounts> sync;    // with options.sync
  std::optional<CompactionResult> compaction;
  // A failure while writing or committing, or counting the documents after
  // it: documents read before it may be committed; the index is not
  // compacted. OK otherwise.
  Status error;
};

class IndexJob {
 public:
  // `analyzer` must outlive the job; each shard's writer thread analyses with
  // a clone of it, and the index records its signature.
  IndexJob(IndexJobOptions options, const Analyzer& analyzer);

  // Runs the job once. Fails, before reading anything, with kInvalidInput
  // for options that contradict each other or the index (a --shards count
  // the index does not have, another field declaration, a sync input that
  // is not one folder) and kIo / kIncompatible / kCorruption when the index
  // cannot be opened or an id cannot be deleted, each naming the path.
  // Once reading has begun, a failure is IndexReport::error instead, so that
  // the report still says what was committed. Bad records are no failure:
  // they are counted in `skipped` and reported to the observer.
  Result<IndexReport> Run(IndexJobObserver& observer);

 private:
  IndexJobOptions options_;
  const Analyzer& analyzer_;
};

}  // namespace findling
