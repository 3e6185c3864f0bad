// Metadata fields beyond the six built-in ones (author, source, tags, ...):
// how their names and values are normalised, and the per-index declaration
// of which fields are filterable and facetable.
//
// Every document keeps all its fields (stored, returned in hits). Only the
// fields declared for an index get index terms and value slots:
//   filter: boolean term  X<name>:<value folded>  (common/index_schema.h)
//   facet:  the document's first kFacetValuesPerDocument distinct values in
//           value slots FieldSchema::Slot(field, 0..7), one value per slot,
//           so Xapian's own ValueCountMatchSpy counts them (one spy per slot,
//           the counts summed), also over remote shards.
// The declaration is recorded in the index metadata (kFieldsKey) in the
// canonical form ToString() writes; writer and searcher compare it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace findling {

// (name, value) pairs in the order a reader found them; a name may repeat.
using DocumentFields = std::vector<std::pair<std::string, std::string>>;

inline constexpr std::size_t kMaxFieldNameBytes = 32;
// Keeps "X" + name + ":" + value below schema::kMaxTermBytes, so every value
// of a filter field is findable.
inline constexpr std::size_t kMaxFieldValueBytes = 160;
inline constexpr std::size_t kMaxFieldsPerDocument = 64;  // values, over all names
inline constexpr std::size_t kMaxDeclaredFields = 16;
inline constexpr std::size_t kFacetValuesPerDocument = 8;

// A field name as written ("Author", "dc.creator", "og-site name") to its
// normalised form: ASCII lower case, '-', '.', ':' and ' ' become '_'; the
// result must match [a-z][a-z0-9_]* and be at most kMaxFieldNameBytes long.
// nullopt with *why set ("has a character other than a-z, 0-9, _") otherwise.
std::optional<std::string> NormalizeFieldName(std::string_view raw, std::string* why);

// Names that the built-in fields, the query syntax or the facets use
// (id, title, text, date, category, year, ...): never extra fields.
bool IsReservedFieldName(std::string_view name);

// A value as stored: ASCII whitespace trimmed, control characters (line
// breaks in a front-matter value) turned into spaces, cut at a UTF-8 code
// point boundary to at most kMaxFieldValueBytes (*cut says so).
std::string NormalizeFieldValue(std::string_view raw, bool* cut);

// A value as its filter term holds it: lower-cased ASCII, as category
// filters are ("Jane Doe" and "jane doe" match alike; umlauts kept).
std::string FoldFieldValue(std::string_view value);

struct FieldDeclaration {
  std::string name;
  bool filter = false;
  bool facet = false;
};

// The fields declared for one index. Immutable after parsing; copyable.
// Invariants: names are normalised, unique, not reserved, at most
// kMaxDeclaredFields, in declaration order; every field is filter, facet or both.
class FieldSchema {
 public:
  FieldSchema() = default;

  // From "--field" arguments, each "NAME:filter", "NAME:facet" or
  // "NAME:filter,facet" ("author:facet" alone counts but cannot filter).
  // kInvalidInput naming the declaration for a bad name or property, a
  // reserved name, a field declared twice, or too many fields.
  static Result<FieldSchema> Parse(const std::vector<std::string>& declarations);
  // From a settings file: one declaration per line as above; blank lines
  // and lines starting with '#' are skipped. Errors name "PATH:LINE".
  static Result<FieldSchema> ParseFile(const std::string& path);
  // From the index metadata (ToString()'s form, "" = none); kCorruption when bad.
  static Result<FieldSchema> FromMetadata(std::string_view recorded);

  // Canonical form, "author:filter,facet tags:filter" ("" when empty).
  std::string ToString() const;

  bool empty() const { return fields_.empty(); }
  const std::vector<FieldDeclaration>& fields() const { return fields_; }
  // The declaration of `name` (normalised), or null.
  const FieldDeclaration* Find(std::string_view name) const;
  // Names of the filterable / facetable fields, ", "-joined, or "none".
  std::string FilterNames() const;
  std::string FacetNames() const;
  // Value slot `i` (0 .. kFacetValuesPerDocument-1) of the facet field `name`.
  // `name` must be declared (any declared field has its slots reserved, so
  // slots never move when a declaration changes properties).
  unsigned Slot(std::string_view name, std::size_t i) const;

 private:
  std::vector<FieldDeclaration> fields_;
};

}  // namespace findling
