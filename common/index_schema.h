// The index layout shared by the indexer (which writes it) and the searcher
// (which reads it). docs/index-format.md explains the choices.
//
// Terms (all built from Analyzer tokens, never by Xapian's TermGenerator):
//   <stem>        body and title words, stemmed, WITH positions
//   S<stem>       title words, stemmed, with positions (title field, boosted at query time)
//   P<stem>       compound parts, with positions, colocated with the compound
//   E<form>       exact normalised forms, umlauts kept, NO positions: ranks exact
//                 spellings first, feeds wildcards and spelling suggestions
//   Q<id>         the document id (unique; replace and delete use it)
//   K<category>   lower-cased category, boolean filter
//   X<name>:<value>  a declared filter field's value, lower-cased ASCII
//                 (common/fields.h), boolean filter: "Xauthor:jane doe"
// Values: slot 0 = date "YYYY-MM-DD" (string order is date order);
//         slot 1 = the stored document without its text (StoredDocument::
//         ToHeader()), so a hit list without snippets never reads, nor
//         inflates, the compressed text (a third of a 3-word search without
//         it). Indexes written before it have no slot 1: read the data.
//         slot 2 = the category as given ("Politik"), for category facets.
//         Indexes written before it have none; the searcher says so.
//         slots 16.. = declared facet fields, kFacetValuesPerDocument slots
//         each (FieldSchema::Slot), one value per slot.
// Data: the stored document (id, title, url, date, category, text, then the
//       extra fields as name/value pairs), see ToData().
// Metadata: findling.format, findling.analysis (Analyzer::Signature()),
//           findling.fields (FieldSchema::ToString(), absent = none declared);
//           in a shard of a sharded index also findling.shard ("I/N").
// A sharded index is a folder with a Xapian stub file XAPIANDB listing its
// shards (shard-00, shard-01, ...); each shard is a complete index as above
// and holds the documents whose id ShardOfId() maps to it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/fields.h"
#include "common/status.h"

namespace findling::schema {

inline constexpr char kTitlePrefix[] = "S";
inline constexpr char kPartPrefix[] = "P";
inline constexpr char kExactPrefix[] = "E";
inline constexpr char kIdPrefix[] = "Q";
inline constexpr char kCategoryPrefix[] = "K";
inline constexpr char kFieldPrefix[] = "X";
inline constexpr unsigned kDateSlot = 0;
inline constexpr unsigned kHeaderSlot = 1;
inline constexpr unsigned kCategorySlot = 2;

inline constexpr char kFormatKey[] = "findling.format";
inline constexpr char kFormatVersion[] = "1";
inline constexpr char kAnalysisKey[] = "findling.analysis";
inline constexpr char kFieldsKey[] = "findling.fields";
// "I/N" in shard I of an index of N shards: a writer checks it routes with the right N.
inline constexpr char kShardKey[] = "findling.shard";

// Body positions start this far after the title's last position so that a
// phrase never runs from the title into the body.
inline constexpr std::uint32_t kBodyPositionGap = 100;

// Xapian refuses terms longer than about 245 bytes; longer words (base64,
// hashes, garbage) are simply not indexed.
inline constexpr std::size_t kMaxTermBytes = 200;

// Category as stored in the K term: lower-cased ASCII letters, other bytes kept.
std::string NormalizeCategory(std::string_view category);

// The filter term of value `value` (as stored) of field `name` (normalised).
std::string FieldTerm(std::string_view name, std::string_view value);

}  // namespace findling::schema

namespace findling {

// The shard (0 .. shard_count-1) that holds the document with `id`: FNV-1a
// 64-bit over the id's bytes, modulo shard_count. Stable across runs,
// machines and versions (a sharded index depends on it), so it must never
// change. `shard_count` must be at least 1.
std::uint32_t ShardOfId(std::string_view id, std::uint32_t shard_count);

}  // namespace findling

namespace findling {

// What the index stores for display: the document data, as JSON.
struct StoredDocument {
  std::string id;
  std::string title;
  std::string url;
  std::string date;  // "YYYY-MM-DD" or ""
  std::string category;
  std::string text;
  DocumentFields fields;  // extra fields, normalised, in the reader's order

  // "F1", six length-prefixed fields, then a length-prefixed name and value
  // per extra field: read on every hit, so cheap to parse.
  std::string ToData() const;
  // ToData() with an empty text: what value slot kHeaderSlot holds.
  std::string ToHeader() const;
  // Fails with kCorruption if `data` is not what ToData() writes (JSON data
  // of earlier indexes is still read).
  static Result<StoredDocument> FromData(std::string_view data);
};

}  // namespace findling
