// IndexCheck: is this index intact, and can this build keep writing to it?
//
// Behind `findling-index --check`. After a crash, a full disk or a copy
// between machines, the question is not only "does Xapian open it" but
// "does every document still say what the indexer wrote": the check walks
// the whole index and holds each document to the layout of
// common/index_schema.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace findling {

struct IndexCheckOptions {
  // The analysis this run would index with (Analyzer::Signature()). The
  // index must record exactly this one, as IndexWriter::Open demands; ""
  // skips the comparison.
  std::string expected_signature;
  // Problems listed in the report; the count goes on past this.
  std::size_t max_listed_problems = 100;
};

struct IndexCheckReport {
  std::string path;
  std::string format;                 // findling.format metadata
  std::string signature;              // findling.analysis metadata
  std::uint64_t documents = 0;        // documents walked
  std::uint64_t xapian_errors = 0;    // from Xapian's own B-tree check
  std::uint64_t problem_count = 0;    // every problem found, listed or not
  std::vector<std::string> problems;  // the first max_listed_problems, each naming the
                                      // document (docid and id) or the metadata key
  bool structure_checked = false;     // Xapian's B-tree check ran to its end
  std::vector<std::string> notes;     // what could not be checked, and why
  bool ok() const { return problem_count == 0; }

  // For findling-index --check: "index PATH: N documents, ...: OK" or the
  // problems, one per line, then the notes; or one JSON object {"db", "ok",
  // "documents", "format", "analysis", "problem_count", "problems", "notes",
  // "structure_checked"}.
  std::string ToText() const;
  std::string ToJson() const;
};

// Checks the index at `path`:
//  - Xapian's structural check of every table (Xapian::Database::check),
//    when it can open them (it opens them for writing, so not on a read-only
//    file system: then a note says so and the rest is still checked);
//  - the format and analysis metadata (present, known format, and equal to
//    options.expected_signature when that is set);
//  - every document: its stored data parses (StoredDocument::FromData), its
//    id is not empty, it carries exactly one id term and that term is
//    Q<its id>, no other document carries the same id term, and its date
//    value agrees with the stored date;
//  - the number of documents walked equals Xapian's document count.
// Problems go into the report (ok() is false). Fails only when the index
// cannot be checked at all: kNotFound (no such folder or not an index), or
// kCorruption / kIo (Xapian cannot open it), each naming the path.
// Reads only; safe while a writer is running (it sees the last commit).
// Never throws Xapian::Error: what Xapian throws is a problem in the report
// or one of the failures above.
Result<IndexCheckReport> CheckIndex(const std::string& path, const IndexCheckOptions& options);

}  // namespace findling
