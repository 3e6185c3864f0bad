#include "searcher/response_json.h"

namespace findling {
namespace {

using nlohmann::json;

std::vector<Highlight> HighlightsFrom(const json& pairs) {
  std::vector<Highlight> out;
  if (!pairs.is_array()) return out;
  for (const json& p : pairs) {
    if (p.is_array() && p.size() == 2 && p[0].is_number_unsigned() && p[1].is_number_unsigned()) {
      out.push_back({p[0].get<std::uint32_t>(), p[1].get<std::uint32_t>()});
    }
  }
  return out;
}

std::string StringOr(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

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
  if (!r.suggestion_error.empty()) out["suggestion_error"] = r.suggestion_error;
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

Result<SearchResponse> SearchResponseFromJson(const json& body) {
  try {
    SearchResponse r;
    r.total = body.at("total").get<std::uint64_t>();
    r.took_ms = body.at("took_ms").get<double>();
    for (const json& h : body.at("hits")) {
      Hit hit;
      hit.rank = h.at("rank").get<std::uint32_t>();
      hit.id = StringOr(h, "id");
      hit.title = StringOr(h, "title");
      hit.url = StringOr(h, "url");
      hit.date = StringOr(h, "date");
      hit.category = StringOr(h, "category");
      if (h.contains("fields")) {
        for (const auto& [name, values] : h["fields"].items()) {
          for (const json& v : values) hit.fields.emplace_back(name, v.get<std::string>());
        }
      }
      hit.score = h.at("score").get<double>();
      hit.snippet.text = StringOr(h, "snippet");
      if (h.contains("highlights")) hit.snippet.highlights = HighlightsFrom(h["highlights"]);
      if (h.contains("title_highlights"))
        hit.title_highlights = HighlightsFrom(h["title_highlights"]);
      r.hits.push_back(std::move(hit));
    }
    r.understood = StringOr(body, "query");
    r.suggestion = StringOr(body, "suggestion");
    r.suggestion_error = StringOr(body, "suggestion_error");
    if (body.contains("warnings")) {
      for (const json& w : body["warnings"]) {
        r.warnings.push_back({w.at("offset").get<std::uint32_t>(), StringOr(w, "message")});
      }
    }
    if (body.contains("missing_shards")) {
      r.missing_shards = body["missing_shards"].get<std::vector<std::string>>();
    }
    if (body.contains("explain")) r.explain = body["explain"].get<std::vector<std::string>>();
    if (body.contains("facets")) {
      for (const auto& [name, values] : body["facets"].items()) {
        FacetCounts f{name, {}};
        for (const json& v : values) {
          f.values.push_back({StringOr(v, "value"), v.at("count").get<std::uint64_t>()});
        }
        r.facets.push_back(std::move(f));
      }
    }
    return r;
  } catch (const json::exception& e) {
    return Status::Io(std::string("findling-server sent an unexpected response: ") + e.what());
  }
}

}  // namespace findling
