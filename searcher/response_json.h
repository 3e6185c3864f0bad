// The JSON shape of search results, shared by `findling-search --json` and
// findling-server (docs/protocol.md):
//   {"total": N, "took_ms": 1.2, "hits": [{"rank", "id", "title", "url", "date",
//    "category", "score", "snippet", "fields"}...], "query": "...", "warnings": [...],
//    "suggestion": "...", "facets": {"category": [{"value", "count"}...], ...}}
// ("facets" only when asked for, each facet's values most frequent first;
// "fields" only when the document has extra fields: {"author": ["Jane Doe"],
// "tags": ["KI", "Chips"]}, every value list in the reader's order).
// Highlights: kMark puts <mark>…</mark> in "snippet" (text HTML-escaped, so it
// is safe to insert into a page); kOffsets leaves "snippet" plain and adds
// "highlights": [[start, end], ...] as byte offsets into it, and
// "title_highlights" likewise into "title".
#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "searcher/searcher.h"

namespace findling {

enum class HighlightStyle { kMark, kOffsets };

nlohmann::json ResponseToJson(const SearchResponse& response, HighlightStyle style);
nlohmann::json DocumentToJson(const StoredDocument& doc);

// The reverse of ResponseToJson, beside it so that the two shapes cannot
// drift apart: a response object (with "highlights" and "title_highlights"
// when it was written with kOffsets) back into a SearchResponse. Fails with
// kIo naming the JSON error when the object has another shape; never throws.
// Thread-safe (no state).
Result<SearchResponse> SearchResponseFromJson(const nlohmann::json& body);

}  // namespace findling
