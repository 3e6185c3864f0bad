#include "tests/test_index.h"

#include "indexer/index_writer.h"

namespace findling::testing {

Status BuildTestIndex(const std::string& path, Analyzer& analyzer,
                      std::span<const SourceDocument> docs) {
  auto writer = IndexWriter::Open(path, analyzer.Signature());
  if (!writer.ok()) return writer.status();
  DocumentBuilder builder(analyzer);
  for (const SourceDocument& doc : docs) {
    // DocumentBuilder requires an id; say which document lacked it rather
    // than fail inside Xapian.
    if (doc.id.empty()) {
      return Status::InvalidInput("test document without an id (title '" + doc.title + "')");
    }
    if (Status s = writer.value()->Put(doc.id, builder.Build(doc), doc.text.size()); !s.ok()) {
      return s;
    }
  }
  return writer.value()->Commit();
}

}  // namespace findling::testing
