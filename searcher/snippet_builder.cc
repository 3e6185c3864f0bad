#include "searcher/snippet_builder.h"

#include <algorithm>
#include <map>

#include "common/utf8.h"

namespace findling {
namespace {

struct Match {
  std::uint32_t start, end;
  int key;  // the query word that matched: distinct query words make a good passage
};

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

// The query word `t` matches, or -1.
int MatchKey(const Token& t, const MatchSet& m) {
  if (auto it = m.stems.find(t.stem); it != m.stems.end()) return it->second;
  if (auto it = m.part_stems.find(t.stem); it != m.part_stems.end()) return it->second;
  if (t.role != TokenRole::kPart) {
    for (const auto& [prefix, key] : m.prefixes) {
      if (StartsWith(t.form, prefix)) return key;
    }
  }
  return -1;
}

void FindMatches(const std::vector<Token>& tokens, const MatchSet& m, std::vector<Match>& out) {
  for (const Token& t : tokens) {
    if (const int key = MatchKey(t, m); key >= 0) out.push_back({t.start, t.end, key});
  }
  std::sort(out.begin(), out.end(), [](const Match& a, const Match& b) {
    return a.start != b.start ? a.start < b.start : a.end > b.end;
  });
}

// Union of overlapping or touching ranges: a compound whose parts all
// matched ("Sprach"+"modell") is marked as one word.
std::vector<Highlight> Merge(const std::vector<Match>& matches, std::uint32_t from,
                             std::uint32_t to) {
  std::vector<Highlight> out;
  for (const Match& m : matches) {
    if (m.start < from || m.end > to) continue;
    if (!out.empty() && m.start <= out.back().end) {
      out.back().end = std::max(out.back().end, m.end);
    } else {
      out.push_back({m.start, m.end});
    }
  }
  return out;
}

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f'; }

// The first match and one past the last match of the best window of at most
// `budget` bytes: most distinct keys, then most matches, then earliest.
std::pair<std::size_t, std::size_t> BestWindow(const std::vector<Match>& m, std::uint32_t budget) {
  std::size_t best_i = 0, best_j = 1;
  long best_score = -1;
  std::map<int, int> seen;
  const std::size_t limit = std::min<std::size_t>(m.size(), 4000);
  for (std::size_t i = 0; i < limit; ++i) {
    seen.clear();
    std::size_t j = i;
    while (j < limit && m[j].end - m[i].start <= budget) ++seen[m[j++].key];
    if (j == i) j = i + 1;  // a single match longer than the budget
    const long score = static_cast<long>(seen.size()) * 1000 + static_cast<long>(j - i);
    if (score > best_score) best_score = score, best_i = i, best_j = j;
  }
  return {best_i, best_j};
}

}  // namespace

std::string Snippet::Marked(std::string_view open, std::string_view close,
                            bool escape_html) const {
  std::string out;
  out.reserve(text.size() + highlights.size() * (open.size() + close.size()));
  auto append = [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) {
      const char c = text[i];
      if (escape_html && c == '<') {
        out += "&lt;";
      } else if (escape_html && c == '>') {
        out += "&gt;";
      } else if (escape_html && c == '&') {
        out += "&amp;";
      } else {
        out += c;
      }
    }
  };
  std::size_t pos = 0;
  for (const Highlight& h : highlights) {
    append(pos, h.start);
    out += open;
    append(h.start, h.end);
    out += close;
    pos = h.end;
  }
  append(pos, text.size());
  return out;
}

std::vector<Highlight> SnippetBuilder::MarkAll(std::string_view text, const MatchSet& matches) {
  if (matches.empty() || text.empty()) return {};
  tokens_.clear();
  analyzer_.AnalyzeInto(text, AnalysisMode::kDocument, 0, tokens_);
  std::vector<Match> found;
  FindMatches(tokens_, matches, found);
  return Merge(found, 0, static_cast<std::uint32_t>(text.size()));
}

Snippet SnippetBuilder::Build(std::string_view text, const MatchSet& matches,
                              const SnippetOptions& options) {
  // Bytes per character: German text is mostly ASCII; a little slack for umlauts.
  const std::uint32_t budget = options.max_chars + options.max_chars / 16;
  std::vector<Match> found;
  if (!matches.empty()) {
    tokens_.clear();
    analyzer_.AnalyzeInto(text, AnalysisMode::kDocument, 0, tokens_);
    FindMatches(tokens_, matches, found);
  }
  const auto size = static_cast<std::uint32_t>(text.size());
  std::uint32_t from = 0;
  std::uint32_t last_end = 0;
  if (!found.empty()) {
    const auto [i, j] = BestWindow(found, budget);
    const std::uint32_t first = found[i].start;
    last_end = found[j - 1].end;
    for (std::size_t k = i; k < j; ++k) last_end = std::max(last_end, found[k].end);
    const std::uint32_t used = last_end - first;
    const std::uint32_t slack = used < budget ? budget - used : 0;
    // Context before the first match: up to a third of the slack, moved back
    // to a sentence start if one is that close, else to a word start.
    from = first > slack / 3 ? first - slack / 3 : 0;
    for (std::uint32_t k = first; k > from; --k) {
      if (k >= 2 && (text[k - 2] == '.' || text[k - 2] == '!' || text[k - 2] == '?') &&
          IsSpace(text[k - 1])) {
        from = k;
        break;
      }
    }
    while (from > 0 && from < first && !IsSpace(text[from - 1])) ++from;
    while (from < first && IsSpace(text[from])) ++from;  // "\n\n" after a sentence
  }
  std::uint32_t to = std::min<std::uint32_t>(size, std::max(from + budget, last_end));
  if (to < size) {
    std::uint32_t cut = to;
    while (cut > last_end && cut > from && !IsSpace(text[cut])) --cut;
    if (cut > from && cut >= last_end) to = cut;
  }
  from = static_cast<std::uint32_t>(AlignToCodePoint(text, from));
  if (to < size) to = static_cast<std::uint32_t>(AlignToCodePoint(text, to));

  // Copy the passage, collapsing whitespace runs to one space, and move the
  // highlights along with the bytes they cover.
  std::vector<Highlight> marks = Merge(found, from, to);
  Snippet s;
  if (from > 0) s.text = "… ";
  std::size_t mark = 0;
  bool in_space = false;
  std::vector<Highlight> moved;
  for (std::uint32_t k = from; k < to; ++k) {
    if (mark < marks.size() && k == marks[mark].start) {
      moved.push_back({static_cast<std::uint32_t>(s.text.size()), 0});
    }
    if (IsSpace(text[k])) {
      if (!in_space) s.text += ' ';
      in_space = true;
    } else {
      s.text += text[k];
      in_space = false;
    }
    if (mark < marks.size() && k + 1 == marks[mark].end) {
      moved.back().end = static_cast<std::uint32_t>(s.text.size());
      ++mark;
    }
  }
  while (!s.text.empty() && s.text.back() == ' ') s.text.pop_back();
  if (to < size) s.text += " …";
  s.highlights = std::move(moved);
  return s;
}

}  // namespace findling
