#include "searcher/hit_printer.h"

namespace findling {
namespace {

constexpr const char* kBold = "\033[1m";
constexpr const char* kHighlight = "\033[1;33m";
constexpr const char* kDim = "\033[2m";
constexpr const char* kReset = "\033[0m";

std::string MarkTitle(const Hit& hit, const PrintOptions& o) {
  Snippet title{hit.title, hit.title_highlights};
  if (o.colour) {
    return std::string(kBold) + title.Marked("\033[33m", std::string(kReset) + kBold, false) +
           kReset;
  }
  return title.Marked("**", "**", false);
}

// "category: Politik 120, Wirtschaft 80" (or "category: none").
std::string FacetLine(const FacetCounts& f) {
  std::string line = f.name + ":";
  for (const FacetValue& v : f.values) {
    line += (&v == &f.values.front() ? " " : ", ") + v.value + " " + std::to_string(v.count);
  }
  if (f.values.empty()) line += " none";
  return line;
}

// "author: Jane Doe · tags: KI, Chips", cut after ~160 bytes so that a
// document with many fields keeps its hit short.
std::string FieldsLine(const DocumentFields& fields) {
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const auto& [name, value] = fields[i];
    const bool same_name = i > 0 && fields[i - 1].first == name;
    if (line.size() > 160) return line + " …";
    line += same_name ? ", " : (i == 0 ? "" : " · ") + name + ": ";
    line += value;
  }
  return line;
}

}  // namespace

void PrintResponse(const SearchResponse& r, const SearchRequest& request, const PrintOptions& o,
                   std::FILE* out) {
  for (const ParseWarning& w : r.warnings) {
    std::fprintf(out, "note: at byte %u of the query: %s\n", w.offset, w.message.c_str());
  }
  for (const std::string& line : r.explain) std::fprintf(out, "explain: %s\n", line.c_str());
  if (r.hits.empty()) {
    if (r.total > 0) {
      std::fprintf(out, "No hits on this page: %llu in all, offset %u.\n",
                   static_cast<unsigned long long>(r.total), request.offset);
    } else {
      std::fprintf(out, "No documents match. The query was understood as: %s\n",
                   r.understood.c_str());
    }
  }
  for (const Hit& h : r.hits) {
    std::fprintf(out, "%u. %s\n", h.rank, MarkTitle(h, o).c_str());
    std::string meta = h.url.empty() ? h.id : h.url;
    if (!h.date.empty()) meta += "  " + h.date;
    if (!h.category.empty()) meta += "  " + h.category;
    char score[32];
    std::snprintf(score, sizeof score, "  score %.2f", h.score);
    meta += score;
    std::fprintf(out, "   %s%s%s\n", o.colour ? kDim : "", meta.c_str(), o.colour ? kReset : "");
    if (!h.fields.empty()) {
      std::fprintf(out, "   %s%s%s\n", o.colour ? kDim : "", FieldsLine(h.fields).c_str(),
                   o.colour ? kReset : "");
    }
    const std::string snippet = o.colour ? h.snippet.Marked(kHighlight, kReset, false)
                                         : h.snippet.Marked("**", "**", false);
    if (!snippet.empty()) std::fprintf(out, "   %s\n", snippet.c_str());
    std::fprintf(out, "\n");
  }
  if (!r.suggestion.empty()) std::fprintf(out, "Did you mean: %s\n", r.suggestion.c_str());
  if (!r.suggestion_error.empty()) {
    std::fprintf(out, "note: no spelling suggestion: %s\n", r.suggestion_error.c_str());
  }
  for (const FacetCounts& f : r.facets) std::fprintf(out, "%s\n", FacetLine(f).c_str());
  std::fprintf(out, "%s%llu %s, showing %zu, %.1f ms%s\n", o.colour ? kDim : "",
               static_cast<unsigned long long>(r.total), r.total == 1 ? "match" : "matches",
               r.hits.size(), r.took_ms, o.colour ? kReset : "");
}

}  // namespace findling
