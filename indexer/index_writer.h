// DocumentBuilder and IndexWriter: analysed documents into a Xapian database.
//
// DocumentBuilder turns a SourceDocument into a Xapian::Document using
// Findling's own analysis (common/) and the layout in common/index_schema.h.
// It touches no database, so several can run in parallel (one per thread).
//
// IndexWriter owns the one WritableDatabase of an index folder: it checks
// that the index was built by the same analysis, replaces documents by id,
// deletes, and commits in batches. Everything committed stays committed: a
// run killed half-way keeps every batch before the kill. NOT thread-safe.
//
// Errors: no method throws Xapian::Error. Open() and every method that
// returns a Status or Result catch Xapian's exceptions and return them as
// kIo (or the code below) naming the index path and what failed.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/analyzer.h"
#include "common/fields.h"
#include "common/status.h"
#include "indexer/source_document.h"

namespace findling {

class DocumentBuilder {
 public:
  // `fields`: the index's declared fields (IndexWriter::fields()), which get
  // filter terms and facet values; every field is stored either way.
  explicit DocumentBuilder(Analyzer& analyzer, FieldSchema fields = {})
      : analyzer_(analyzer), fields_(std::move(fields)) {}

  // Builds the Xapian document: terms, positions, stored data, date value,
  // id and category terms, and the declared fields' terms and values
  // (common/fields.h). `doc.id` must not be empty; doc.fields must be
  // normalised (the readers' Emit() does it). Touches no database; terms
  // beyond Xapian's length limit are left out rather than rejected later.
  Xapian::Document Build(const SourceDocument& doc);

 private:
  Analyzer& analyzer_;
  FieldSchema fields_;
  std::vector<Token> tokens_;  // reused between documents
};

struct IndexWriterOptions {
  // Xapian holds a batch's postings in maps keyed by term until the commit;
  // smaller maps stay in the CPU cache, which outweighs the extra commits down
  // to a few hundred documents: 300 took 12 user CPU s on gesetze against
  // 13.7 at 1,000 and 16.6 at 3,000, and 19 s of wall time on 20,000 news
  // articles against 23 (docs/scaling.md).
  std::uint32_t batch_documents = 300;      // commit after this many changes ...
  std::uint64_t batch_bytes = 32ull << 20;  // ... or this much source text, whichever first
  bool rebuild_if_incompatible = false;     // wipe an index built by another analysis
  // "I/N" when the index is shard I of a sharded index (shard_layout.h): the
  // shard must record exactly this label. "" for an unsharded index, which
  // must record none (so a shard folder is never written to as a whole index).
  std::string shard_label;
  // The declared fields (--field / --fields-file). nullopt: keep what the
  // index records (a new index: none). A value must equal the recorded
  // declaration, else Open fails (kIncompatible) unless rebuild_if_incompatible.
  std::optional<FieldSchema> fields;
};

struct WriteCounts {
  std::uint64_t added = 0;
  std::uint64_t replaced = 0;
  std::uint64_t deleted = 0;
  std::uint64_t committed_changes = 0;  // changes made durable so far
};

class IndexWriter {
 public:
  // Opens or creates the index at `path` for `analysis_signature`. Fails
  // with kIncompatible when the index records another analysis, and with
  // kInvalidInput when it records another field declaration than
  // options.fields (both unless rebuild_if_incompatible, which wipes it);
  // kCorruption when its recorded declaration is unreadable; kIncompatible
  // when it records another shard label than
  // options.shard_label, kIo when the folder cannot be created or is locked
  // by another writer, each naming the path.
  static Result<std::unique_ptr<IndexWriter>> Open(const std::string& path,
                                                   const std::string& analysis_signature,
                                                   const IndexWriterOptions& options = {});
  ~IndexWriter();  // commits what is pending (errors are lost: call Commit() to see them)
  IndexWriter(const IndexWriter&) = delete;
  IndexWriter& operator=(const IndexWriter&) = delete;

  // Adds `doc` under `id`, replacing a document with the same id. Commits
  // when the batch is full. `source_bytes` counts towards the batch size.
  Status Put(const std::string& id, const Xapian::Document& doc, std::uint64_t source_bytes,
             bool* replaced = nullptr);
  // Removes the document with `id`; *found says whether there was one.
  Status Delete(const std::string& id, bool* found = nullptr);
  // Sets a metadata entry; it becomes durable with the next commit, in the
  // same Xapian commit as the documents written before it.
  Status SetMetadata(const std::string& key, const std::string& value);
  // The metadata entry's value, "" when unset.
  Result<std::string> GetMetadata(const std::string& key) const;
  // Makes all changes so far durable.
  Status Commit();

  const WriteCounts& counts() const { return counts_; }
  // Documents in the index as this writer sees it (pending changes
  // included). kIo naming the path when Xapian cannot tell, rather than 0,
  // which would look like an empty (new) index.
  Result<std::uint64_t> document_count() const;
  const std::string& path() const { return path_; }
  // The field declaration in force: options.fields, or the recorded one.
  const FieldSchema& fields() const { return fields_; }

 private:
  IndexWriter(std::string path, Xapian::WritableDatabase db, IndexWriterOptions options,
              FieldSchema fields);
  Status MaybeCommit();

  std::string path_;
  Xapian::WritableDatabase db_;
  IndexWriterOptions options_;
  FieldSchema fields_;
  WriteCounts counts_;
  std::uint64_t pending_changes_ = 0;
  std::uint64_t pending_bytes_ = 0;
  bool pending_metadata_ = false;
};

}  // namespace findling
