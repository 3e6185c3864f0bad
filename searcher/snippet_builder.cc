#include "searcher/snippet_builder.h"

#include <algorithm>
#include <map>
#include <set>

#include "common/ascii.h"
#include "common/utf8.h"

namespace findling {
namespace snippet_internal {

struct Match {
  std::uint32_t start, end;
  int key;  // the query word that matched: distinct query words make a good passage
  // A free-standing word that matched only a part of a query compound
  // ("Stadt" for "Hauptstadt"): marked only where the compound itself is not.
  bool weak = false;
};

}  // namespace snippet_internal

namespace {

using snippet_internal::Match;

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

// The query word `t` matches, or -1.
int MatchKey(const Token& t, const MatchSet& m, bool* weak) {
  *weak = false;
  if (auto it = m.stems.find(t.stem); it != m.stems.end()) return it->second;
  if (auto it = m.part_stems.find(t.stem); it != m.part_stems.end()) {
    *weak = t.role != TokenRole::kPart;
    return it->second;
  }
  if (t.role != TokenRole::kPart) {
    for (const auto& [prefix, key] : m.prefixes) {
      if (StartsWith(t.form, prefix)) return key;
    }
  }
  return -1;
}

bool ByPosition(const Match& a, const Match& b) {
  return a.start != b.start ? a.start < b.start : a.end > b.end;
}

void FindMatches(const std::vector<Token>& tokens, const MatchSet& m, std::vector<Match>& out) {
  for (const Token& t : tokens) {
    bool weak;
    if (const int key = MatchKey(t, m, &weak); key >= 0) out.push_back({t.start, t.end, key, weak});
  }
  std::sort(out.begin(), out.end(), ByPosition);
}

// Drops weak matches of query words that also matched strongly.
void DropWeakMatches(std::vector<Match>& found) {
  std::map<int, bool> strong;
  for (const Match& m : found) strong[m.key] = strong[m.key] || !m.weak;
  std::erase_if(found, [&](const Match& m) { return m.weak && strong[m.key]; });
}

// Lower-cases ASCII and spells umlauts and ß the way german2 stems see them
// (ä/ae -> a, ö/oe -> o, ü/ue -> u, ß -> ss), so a stem's first letters can
// be found with a plain byte search. `origin[i]` is the text offset of byte i.
void FoldForScan(std::string_view text, std::string& folded, std::vector<std::uint32_t>& origin) {
  folded.clear();
  origin.clear();
  for (std::size_t i = 0; i < text.size();) {
    const auto at = static_cast<std::uint32_t>(i);
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0xC3 && i + 1 < text.size()) {
      const auto d = static_cast<unsigned char>(text[i + 1]);
      const char* repl = nullptr;
      switch (d) {
        case 0xA4:
        case 0x84:
          repl = "a";
          break;  // ä Ä
        case 0xB6:
        case 0x96:
          repl = "o";
          break;  // ö Ö
        case 0xBC:
        case 0x9C:
          repl = "u";
          break;  // ü Ü
        case 0x9F:
          repl = "ss";
          break;  // ß
        default:
          break;
      }
      if (repl != nullptr) {
        for (const char* r = repl; *r; ++r) folded += *r, origin.push_back(at);
        i += 2;
        continue;
      }
    }
    char out = ToAsciiLower(static_cast<char>(c));
    // "ue" after anything but "q" reads as "ü" in german2: drop the "e".
    if (out == 'e' && !folded.empty() &&
        (folded.back() == 'a' || folded.back() == 'o' ||
         (folded.back() == 'u' && !(folded.size() >= 2 && folded[folded.size() - 2] == 'q')))) {
      ++i;
      continue;
    }
    folded += out;
    origin.push_back(at);
    ++i;
  }
}

// Where the query's stems, parts and prefixes may occur: a superset of the
// real matches (a stem's first four letters), in text offsets.
std::vector<Match> ScanCandidates(std::string_view text, const MatchSet& m) {
  std::string folded;
  std::vector<std::uint32_t> origin;
  FoldForScan(text, folded, origin);
  std::vector<std::pair<std::string, int>> anchors;
  auto add = [&](const std::string& stem, int key) {
    std::string f;
    std::vector<std::uint32_t> unused;
    FoldForScan(stem, f, unused);
    if (!f.empty()) anchors.emplace_back(f.substr(0, 4), key);
  };
  for (const auto& [stem, key] : m.stems) add(stem, key);
  for (const auto& [stem, key] : m.part_stems) add(stem, key);
  for (const auto& [prefix, key] : m.prefixes) add(prefix, key);
  std::vector<Match> out;
  const std::string_view hay(folded);
  for (const auto& [anchor, key] : anchors) {
    for (std::size_t at = hay.find(anchor); at != std::string_view::npos && out.size() < 20000;
         at = hay.find(anchor, at + 1)) {
      const std::size_t end = std::min(at + anchor.size(), origin.size()) - 1;
      out.push_back({origin[at], origin[end] + 1, key});
    }
  }
  std::sort(out.begin(), out.end(), ByPosition);
  return out;
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

std::string Snippet::Marked(std::string_view open, std::string_view close, bool escape_html) const {
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

void SnippetBuilder::AnalyzeRegion(std::string_view text, std::uint32_t from, std::uint32_t to,
                                   const MatchSet& matches, std::vector<Match>& found) {
  tokens_.clear();
  analyzer_.AnalyzeInto(text.substr(from, to - from), AnalysisMode::kDocument, 0, tokens_);
  for (Token& t : tokens_) {
    t.start += from;
    t.end += from;
  }
  FindMatches(tokens_, matches, found);
}

void SnippetBuilder::FindMatchesNearCandidates(std::string_view text, const MatchSet& matches,
                                               std::uint32_t budget, std::vector<Match>& found) {
  const auto size = static_cast<std::uint32_t>(text.size());
  // Short texts: analyse everything, it is cheap and exact.
  if (size <= 4 * budget) {
    AnalyzeRegion(text, 0, size, matches, found);
    std::sort(found.begin(), found.end(), ByPosition);
    return;
  }
  // Long texts: analysing a 10 KB article costs milliseconds, ten of them
  // per page. A byte scan for the query stems' first letters finds the
  // regions worth analysing; only those go through the Analyzer, so the
  // marks stay exact.
  std::vector<Match> candidates = ScanCandidates(text, matches);
  if (candidates.empty()) {
    AnalyzeRegion(text, 0, AlignToCodePoint(text, std::min(size, 4 * budget)), matches, found);
    std::sort(found.begin(), found.end(), ByPosition);
    return;
  }
  std::set<int> wanted;
  for (const Match& c : candidates) wanted.insert(c.key);
  std::uint32_t covered_to = 0;
  const std::uint32_t margin = budget / 2;
  for (int round = 0; round < 2 && !candidates.empty(); ++round) {
    const auto [i, j] = BestWindow(candidates, budget);
    std::uint32_t from = candidates[i].start > margin ? candidates[i].start - margin : 0;
    std::uint32_t to = std::min(size, candidates[j - 1].end + margin);
    from = std::max(from, covered_to);
    from = static_cast<std::uint32_t>(AlignToCodePoint(text, from));
    while (from > 0 && from > covered_to && !IsAsciiSpace(text[from - 1])) --from;
    to = static_cast<std::uint32_t>(AlignToCodePoint(text, to));
    while (to < size && !IsAsciiSpace(text[to])) ++to;
    if (from < to) AnalyzeRegion(text, from, to, matches, found);
    covered_to = std::max(covered_to, to);
    // Enough when the region really holds every query word the scan saw;
    // otherwise (a false candidate, such as "spra" in "sprang") try the next best.
    std::set<int> got;
    for (const Match& m : found) got.insert(m.key);
    if (got == wanted) break;
    // The second round looks at the best window outside this region.
    std::vector<Match> rest;
    for (const Match& c : candidates) {
      if (c.end <= from || c.start >= to) rest.push_back(c);
    }
    candidates.swap(rest);
  }
  std::sort(found.begin(), found.end(), ByPosition);
}

std::vector<Highlight> SnippetBuilder::MarkAll(std::string_view text, const MatchSet& matches) {
  if (matches.empty() || text.empty()) return {};
  tokens_.clear();
  analyzer_.AnalyzeInto(text, AnalysisMode::kDocument, 0, tokens_);
  std::vector<Match> found;
  FindMatches(tokens_, matches, found);
  DropWeakMatches(found);
  return Merge(found, 0, static_cast<std::uint32_t>(text.size()));
}

Snippet SnippetBuilder::Build(std::string_view text, const MatchSet& matches,
                              const SnippetOptions& options) {
  // Bytes per character: German text is mostly ASCII; a little slack for umlauts.
  const std::uint32_t budget = options.max_chars + options.max_chars / 16;
  std::vector<Match> found;
  if (!matches.empty()) FindMatchesNearCandidates(text, matches, budget, found);
  DropWeakMatches(found);
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
          IsAsciiSpace(text[k - 1])) {
        from = k;
        break;
      }
    }
    while (from > 0 && from < first && !IsAsciiSpace(text[from - 1])) ++from;
    while (from < first && IsAsciiSpace(text[from])) ++from;  // "\n\n" after a sentence
  }
  std::uint32_t to = std::min<std::uint32_t>(size, std::max(from + budget, last_end));
  if (to < size) {
    std::uint32_t cut = to;
    while (cut > last_end && cut > from && !IsAsciiSpace(text[cut])) --cut;
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
    if (IsAsciiSpace(text[k])) {
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
