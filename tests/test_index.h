// BuildTestIndex: the one way tests and fuzzers write a small index of their
// own documents. Free of GoogleTest, so the fuzz targets link it too; a test
// checks the Status with ASSERT_TRUE(...ok()).
#pragma once

#include <span>
#include <string>

#include "common/analyzer.h"
#include "common/status.h"
#include "indexer/source_document.h"

namespace findling::testing {

// Writes `docs` into the index at `path` (created if missing; a document with
// an id already there replaces it), analysed with `analyzer`, and commits.
// Each document counts its text size as its source bytes, as a reader would.
// Returns the first failure (opening, an empty id, writing, committing) with
// the writer's message naming the path or the document id; documents before
// it may already be written. Not thread-safe for the same `path`.
Status BuildTestIndex(const std::string& path, Analyzer& analyzer,
                      std::span<const SourceDocument> docs);

}  // namespace findling::testing
