#include "common/index_schema.h"

#include <nlohmann/json.hpp>

#include "common/ascii.h"

namespace findling::schema {

std::string NormalizeCategory(std::string_view category) { return AsciiLower(category); }

std::string FieldTerm(std::string_view name, std::string_view value) {
  std::string term(kFieldPrefix);
  term += name;
  term += ':';
  term += FoldFieldValue(value);
  return term;
}

}  // namespace findling::schema

namespace findling {

std::uint32_t ShardOfId(std::string_view id, std::uint32_t shard_count) {
  std::uint64_t hash = 14695981039346656037ull;  // FNV-1a 64-bit offset basis
  for (const char c : id) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;  // FNV-1a 64-bit prime
  }
  return static_cast<std::uint32_t>(hash % shard_count);
}

namespace {

// The stored data is read once per hit on every search: parsing a 10 KB
// article as JSON cost a quarter of a query, so the fields are stored as
// "F1" followed by six (varint length, bytes) pairs.
constexpr std::string_view kDataMagic = "F1";

void PutField(std::string& out, std::string_view field) {
  std::uint64_t n = field.size();
  while (n >= 0x80) {
    out += static_cast<char>((n & 0x7F) | 0x80);
    n >>= 7;
  }
  out += static_cast<char>(n);
  out += field;
}

bool GetField(std::string_view& in, std::string& field) {
  std::uint64_t n = 0;
  for (int shift = 0;; shift += 7) {
    if (in.empty() || shift > 35) return false;
    const auto c = static_cast<unsigned char>(in[0]);
    in.remove_prefix(1);
    n |= static_cast<std::uint64_t>(c & 0x7F) << shift;
    if ((c & 0x80) == 0) break;
  }
  if (n > in.size()) return false;
  field.assign(in.substr(0, n));
  in.remove_prefix(n);
  return true;
}

void PutExtraFields(std::string& out, const DocumentFields& fields) {
  for (const auto& [name, value] : fields) {
    PutField(out, name);
    PutField(out, value);
  }
}

}  // namespace

std::string StoredDocument::ToData() const {
  std::string out(kDataMagic);
  out.reserve(16 + id.size() + title.size() + url.size() + date.size() + category.size() +
              text.size());
  for (const std::string* f : {&id, &title, &url, &date, &category, &text}) PutField(out, *f);
  PutExtraFields(out, fields);
  return out;
}

std::string StoredDocument::ToHeader() const {
  std::string out(kDataMagic);
  out.reserve(16 + id.size() + title.size() + url.size() + date.size() + category.size());
  for (const std::string* f : {&id, &title, &url, &date, &category}) PutField(out, *f);
  PutField(out, std::string());
  PutExtraFields(out, fields);
  return out;
}

Result<StoredDocument> StoredDocument::FromData(std::string_view data) {
  if (data.substr(0, kDataMagic.size()) == kDataMagic) {
    std::string_view in = data.substr(kDataMagic.size());
    StoredDocument doc;
    for (std::string* f : {&doc.id, &doc.title, &doc.url, &doc.date, &doc.category, &doc.text}) {
      if (!GetField(in, *f)) return Status::Corruption("stored document data is truncated");
    }
    // Indexes written before extra fields end here.
    while (!in.empty()) {
      std::string name, value;
      if (!GetField(in, name) || !GetField(in, value)) {
        return Status::Corruption("stored document data has a truncated extra field");
      }
      doc.fields.emplace_back(std::move(name), std::move(value));
    }
    return doc;
  }
  // Indexes written before the binary layout stored JSON.
  auto j = nlohmann::json::parse(data, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return Status::Corruption("stored document data is not a JSON object");
  StoredDocument doc;
  auto get = [&j](const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  doc.id = get("id");
  doc.title = get("title");
  doc.url = get("url");
  doc.date = get("date");
  doc.category = get("category");
  doc.text = get("text");
  return doc;
}

}  // namespace findling
