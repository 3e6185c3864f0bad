// SourceDocument and the readers' contract: files in, documents out.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "common/fields.h"

namespace findling {

// One document as a reader found it, before analysis.
struct SourceDocument {
  std::string id;  // given id, else the file path (one document per file), else
                   // "<path>:<line>" (one per line), else a content hash; never empty
  std::string title;
  std::string text;  // body text, plain (HTML and Markdown markup removed)
  std::string url;
  std::string date;  // "YYYY-MM-DD" or ""; readers cut "2024-05-01T10:00:00Z" to the day
  std::string category;
  std::string origin;              // where it came from, for messages: "corpus/news.jsonl:12"
  std::uint64_t source_bytes = 0;  // bytes of input this document consumed (for MB/s)
  // Last, so that positional initialisers of the fields above still work.
  // Every other field the reader found (author, tags, ...), names as
  // written and values as found; a name may repeat (a JSON array, a
  // front-matter list, several <meta> of one name). Emit() normalises them
  // (common/fields.h) before the sink sees the document, dropping bad ones
  // with a warning.
  DocumentFields fields;
};

// A problem with one record. Skipped: the record is dropped, everything else
// goes on. Warned: the record is kept without the field the message names.
struct ReadIssue {
  std::string where;    // "file:line" or "file" or "file: byte 1234"
  std::string message;  // "malformed JSON: ...", "invalid UTF-8 at byte 17", "empty document"
  std::uint64_t source_bytes = 0;  // bytes of input the skipped record consumed (0 for a warning)
};

// Receives what readers produce. Readers call Accept() for each good
// document and Skip() for each bad record, in input order; Warn() for a
// document comes right before its Accept().
class DocumentSink {
 public:
  virtual ~DocumentSink() = default;
  // Returns false to ask the reader to stop early (e.g. on SIGINT).
  virtual bool Accept(SourceDocument&& doc) = 0;
  virtual void Skip(const ReadIssue& issue) = 0;
  // A field was dropped and the document is still accepted (a date such as
  // "31.02.2024" that is no day: indexed without a date). The message says
  // what was dropped; the document's bytes are counted by its Accept().
  virtual void Warn(const ReadIssue& issue) = 0;
};

// Passes everything on to `inner` and remembers whether it asked to stop,
// so that a walk over several files (a folder, a sync) stops too.
class StopTrackingSink : public DocumentSink {
 public:
  explicit StopTrackingSink(DocumentSink& inner) : inner_(inner) {}
  bool Accept(SourceDocument&& doc) override {
    if (!inner_.Accept(std::move(doc))) stopped_ = true;
    return !stopped_;
  }
  void Skip(const ReadIssue& issue) override { inner_.Skip(issue); }
  void Warn(const ReadIssue& issue) override { inner_.Warn(issue); }
  bool stopped() const { return stopped_; }

 private:
  DocumentSink& inner_;
  bool stopped_ = false;
};

}  // namespace findling
