#include "common/index_schema.h"

#include <nlohmann/json.hpp>

namespace findling::schema {

std::string NormalizeCategory(std::string_view category) {
  std::string out(category);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
  }
  return out;
}

bool IsIsoDate(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (d[i] < '0' || d[i] > '9') return false;
  }
  const int month = (d[5] - '0') * 10 + (d[6] - '0');
  const int day = (d[8] - '0') * 10 + (d[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

}  // namespace findling::schema

namespace findling {

std::string StoredDocument::ToData() const {
  nlohmann::json j = {{"id", id},   {"title", title},       {"url", url},
                      {"date", date}, {"category", category}, {"text", text}};
  // Invalid UTF-8 never reaches here (readers reject it), but replace rather
  // than throw if it ever does.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<StoredDocument> StoredDocument::FromData(std::string_view data) {
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
