// FolderSync: keeps an index in step with a folder (findling-index --sync).
//
// A run reads only the files that are new or changed since the last sync of
// the same folder into the same index, and deletes the documents of files
// that are gone. What the last sync saw is recorded in the index itself, as
// the metadata entry "findling.sync.<hash of the folder's absolute path>":
// per file its size, modification time, content hash and the ids of the
// documents it produced. A file counts as changed when its size differs, or
// when its modification time differs and its content hash does too (a file
// touched but not edited is not read again).
//
// Crash safety: the documents read are committed first (ShardedWriter::
// Finish()); then Finish() here deletes and sets the record in shard 0's
// metadata, and ShardedWriter::Commit() commits shard 0 last. The record
// therefore never becomes durable before the changes it describes. A run
// killed earlier leaves the previous record; the next run reads those files
// again and repeats the deletions, and since documents are replaced by id
// (in the shard ShardOfId gives), the result is that of an uninterrupted run.
//
// Use: Scan(), then ReadChanged() with the sink that analyses and writes,
// then (after the writes are flushed) Finish(), then ShardedWriter::Commit().
// NOT thread-safe; one FolderSync per run. Nothing here throws Xapian::Error:
// the index's failures come back as the ShardedWriter's Status.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "indexer/sharded_writer.h"
#include "indexer/readers.h"

namespace findling {

struct SyncCounts {
  std::uint64_t files_new = 0;
  std::uint64_t files_changed = 0;
  std::uint64_t files_gone = 0;       // their documents are deleted
  std::uint64_t files_unchanged = 0;  // not read
  std::uint64_t files_vanished = 0;   // listed by the scan, gone when read: treated as gone
};

// What the last sync recorded about one file.
struct SyncedFile {
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::uint64_t hash = 0;  // FNV-1a 64 of the content
  std::vector<std::string> ids;
};

class FolderSync {
 public:
  // `writer` must outlive this object. `folder` is read with `options`.
  FolderSync(ShardedWriter& writer, std::string folder, ReaderOptions options);
  FolderSync(const FolderSync&) = delete;
  FolderSync& operator=(const FolderSync&) = delete;

  // Reads the record of the last sync and lists and compares the folder's
  // files. Fails with kInvalidInput when `folder` is not a folder, kCorruption
  // when the record cannot be parsed, kIo on index trouble. Folders that
  // cannot be listed are reported through `sink`.Skip().
  Status Scan(DocumentSink& sink);

  // Reads every new or changed file into `sink`. A file that has vanished
  // since the scan is a warning on stderr and counts as gone. Stops when
  // `sink` asks to; files not read to the end keep their old record.
  void ReadChanged(DocumentSink& sink);

  // Deletes the documents of gone files and the ids a changed file no longer
  // has (unless another file has them now), and sets the new record. Call
  // after everything ReadChanged() produced is written; then commit.
  Status Finish();

  const SyncCounts& counts() const { return counts_; }
  std::uint64_t documents_deleted() const { return documents_deleted_; }
  // "PATH: vanished during the sync; ..." for each file that disappeared
  // while the run looked at it; the caller prints them.
  const std::vector<std::string>& warnings() const { return warnings_; }

  // The metadata key of `folder`'s record (exposed for tests).
  static std::string MetadataKey(const std::string& folder);

 private:
  struct Pending {
    std::string path;
    std::string relative;
    SyncedFile seen;  // size and mtime from the scan; hash and ids from the read
    bool known = false;
  };
  static std::string Encode(const std::string& folder,
                            const std::map<std::string, SyncedFile>& files);
  Status Decode(const std::string& value);

  ShardedWriter& writer_;
  std::string folder_;    // as given: document ids derive from these paths
  std::string absolute_;  // the record's key
  ReaderOptions options_;
  std::map<std::string, SyncedFile> previous_;  // relative path -> last record
  std::map<std::string, SyncedFile> next_;      // what Finish() records
  std::vector<Pending> to_read_;
  std::set<std::string> gone_;  // relative paths whose documents go
  std::set<std::string> read_;  // relative paths read to the end by ReadChanged()
  std::vector<std::string> warnings_;
  SyncCounts counts_;
  std::uint64_t documents_deleted_ = 0;
};

}  // namespace findling
