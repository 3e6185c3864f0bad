// The one harness behind the four reader fuzzers: runs ReadStream over the
// input as a file of a given format and checks the readers' contract
// (indexer/readers.h, indexer/source_document.h) on what comes out.
#pragma once

#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

#include "common/ascii.h"
#include "common/date.h"
#include "common/index_schema.h"
#include "common/utf8.h"
#include "indexer/readers.h"
#include "tests/fuzz/fuzz_util.h"

namespace findling::fuzz {

// Checks every document and skip as it arrives.
class CheckingSink : public DocumentSink {
 public:
  explicit CheckingSink(std::string_view input) : input_(input) {}

  bool Accept(SourceDocument&& doc) override {
    FUZZ_CHECK(!doc.id.empty(), "document without an id");
    FUZZ_CHECK(!doc.origin.empty(), "document without an origin");
    FUZZ_CHECK(!IsAsciiBlank(doc.title) || !IsAsciiBlank(doc.text), "empty document accepted");
    for (const std::string* field : {&doc.id, &doc.title, &doc.text, &doc.url, &doc.category}) {
      // Readers skip records with invalid UTF-8, and markup removal and
      // entity decoding must not create any: the index and every JSON
      // response take these bytes as they are.
      FUZZ_CHECK(FindInvalidUtf8(*field) == std::string::npos, "invalid UTF-8 in " + *field);
    }
    FUZZ_CHECK(doc.date.empty() || IsIsoDay(doc.date), "bad date " + doc.date);
    bytes_ += doc.source_bytes;
    ++documents_;
    return true;
  }

  void Skip(const ReadIssue& issue) override {
    FUZZ_CHECK(!issue.where.empty() && !issue.message.empty(), "skip without where/why");
    bytes_ += issue.source_bytes;
  }

  void Warn(const ReadIssue& issue) override {
    FUZZ_CHECK(!issue.where.empty() && !issue.message.empty(), "warning without where/why");
    FUZZ_CHECK(issue.source_bytes == 0, "a warning credits bytes the document counts again");
  }

  // Called after the read: the bytes credited add up to at most the input.
  void Finish() const {
    FUZZ_CHECK(bytes_ <= input_.size(), "source_bytes add up to " + std::to_string(bytes_) +
                                            " of " + std::to_string(input_.size()) + " bytes");
  }

 private:
  std::string_view input_;
  std::uint64_t bytes_ = 0;
  std::uint64_t documents_ = 0;
};

// Reads `input` as the file `name` (its extension picks the reader).
inline void ReadAndCheck(std::string_view input, const std::string& name,
                         const ReaderOptions& options) {
  std::istringstream in{std::string(input)};
  CheckingSink sink(input);
  const Status status = ReadStream(in, name, options, sink);
  // An in-memory stream cannot fail to read; only a CSV file whose header
  // is unusable may be rejected as a whole.
  FUZZ_CHECK(status.ok() || status.code() == Status::Code::kInvalidInput, status.ToString());
  sink.Finish();
}

}  // namespace findling::fuzz
