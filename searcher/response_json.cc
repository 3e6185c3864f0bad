#include "searcher/response_json.h"

namespace findling {
namespace {

// {"author": ["Jane Doe"], "tags": ["KI", "Chips"]}: every field a list, so
// a client need not tell one value from several; names in first-seen order
// would need an ordered JSON object, so they come sorted.
nlohmann::json FieldsToJson(const DocumentFields& fields) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, value] : fields) out[name].push_back(value);
  return out;
}

}  // namespace

nlohmann::json ResponseToJson(const SearchResponse& r, HighlightStyle style) {
  nlohmann::json hits = nlohmann::json::array();
  for (const Hit& h : r.hits) {
    nlohmann::json j = {{"rank", h.rank},  {"id", h.id},     {"title", h.title},
                        {"url", h.url},    {"date", h.date}, {"category", h.category},
                        {"score", h.score}};
    if (!h.fields.empty()) j["fields"] = FieldsToJson(h.fields);
    if (style == HighlightStyle::kMark) {
      j["snippet"] = h.snippet.Marked("<mark>", "</mark>", /*escape_html=*/true);
    } else {
      j["snippet"] = h.snippet.text;
      auto offsets = [](const std::vector<Highlight>& marks) {
        nlohmann::json out = nlohmann::json::array();
        for (const Highlight& hl : marks) out.push_back({hl.start, hl.end});
        return out;
      };
      j["highlights"] = offsets(h.snippet.highlights);
      j["title_highlights"] = offsets(h.title_highlights);
    }
    hits.push_back(std::move(j));
  }
  nlohmann::json out = {{"total", r.total},
                        {"took_ms", r.took_ms},
                        {"hits", std::move(hits)},
                        {"query", r.understood}};
  if (!r.warnings.empty()) {
    nlohmann::json w = nlohmann::json::array();
    for (const ParseWarning& pw : r.warnings) {
      w.push_back({{"offset", pw.offset}, {"message", pw.message}});
    }
    out["warnings"] = std::move(w);
  }
  if (!r.suggestion.empty()) out["suggestion"] = r.suggestion;
  if (!r.explain.empty()) out["explain"] = r.explain;
  if (!r.missing_shards.empty()) out["missing_shards"] = r.missing_shards;
  if (!r.facets.empty()) {
    nlohmann::json facets = nlohmann::json::object();
    for (const FacetCounts& f : r.facets) {
      nlohmann::json values = nlohmann::json::array();
      for (const FacetValue& v : f.values)
        values.push_back({{"value", v.value}, {"count", v.count}});
      facets[f.name] = std::move(values);
    }
    out["facets"] = std::move(facets);
  }
  return out;
}

nlohmann::json DocumentToJson(const StoredDocument& d) {
  nlohmann::json j = {{"id", d.id},     {"title", d.title},       {"url", d.url},
                      {"date", d.date}, {"category", d.category}, {"text", d.text}};
  if (!d.fields.empty()) j["fields"] = FieldsToJson(d.fields);
  return j;
}

}  // namespace findling
