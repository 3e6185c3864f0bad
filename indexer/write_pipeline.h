// WritePipeline: overlaps analysis with Xapian's write path.
//
// Profiling showed indexing split about evenly between building documents
// (analysis, Findling's code) and Xapian writing postings. The pipeline runs
// IndexWriter::Put and commits on a writer thread of its own while the
// caller reads and analyses the next documents, so both cores work.
// Documents are written in the order they were submitted, so a later
// version of an id still replaces an earlier one.
//
// Thread safety: Submit() and Finish() are called from one thread (the
// producer); the IndexWriter must not be touched by anyone else until
// Finish() returns. Neither throws: the writer's failures (Xapian's
// included) come back as its Status.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <string>

#include "common/status.h"
#include "indexer/index_writer.h"
#include "indexer/work_queue.h"

namespace findling {

class WritePipeline {
 public:
  // `capacity`: documents waiting for the writer before Submit() blocks,
  // which bounds memory when the writer is the slower side.
  WritePipeline(IndexWriter& writer, std::size_t capacity = 256);
  ~WritePipeline();  // calls Finish()
  WritePipeline(const WritePipeline&) = delete;
  WritePipeline& operator=(const WritePipeline&) = delete;

  // Queues a document for writing. Returns the writer's first error, if one
  // happened (then nothing more is written; stop producing).
  Status Submit(std::string id, Xapian::Document doc, std::uint64_t source_bytes);
  // Waits until everything queued is written; returns the first error. Does
  // not commit: the caller decides (IndexWriter::Commit()).
  Status Finish();

 private:
  struct Item {
    std::string id;
    Xapian::Document doc;
    std::uint64_t bytes = 0;
  };

  IndexWriter& writer_;
  WorkQueue<Item> queue_;  // last: its thread calls writer_
};

}  // namespace findling
