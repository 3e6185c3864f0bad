#include "searcher/speller.h"

#include <algorithm>
#include <cstdlib>
#include <string_view>
#include <utility>

#include "common/index_schema.h"
#include "common/utf8.h"
#include "searcher/xapian_error.h"

namespace findling {
namespace {

// Optimal-string-alignment distance between two code point sequences,
// giving up (returning max + 1) once it must exceed `max`.
int EditDistance(const std::u32string& a, const std::u32string& b, int max) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  if (std::abs(n - m) > max) return max + 1;
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1));
  for (int i = 0; i <= n; ++i) d[i][0] = i;
  for (int j = 0; j <= m; ++j) d[0][j] = j;
  for (int i = 1; i <= n; ++i) {
    int row_min = max + 1;
    for (int j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
      row_min = std::min(row_min, d[i][j]);
    }
    if (row_min > max) return max + 1;
  }
  return d[n][m];
}

std::u32string Decode(std::string_view s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) out.push_back(DecodeUtf8(s, i));
  return out;
}

bool HasUmlaut(const std::u32string& s) {
  for (char32_t c : s) {
    if (c == U'ä' || c == U'ö' || c == U'ü' || c == U'ß') return true;
  }
  return false;
}

// The first letters under which candidates are looked for: the word's own,
// and its umlaut partner ("o" and "ö").
std::vector<char32_t> FirstLetters(char32_t c) {
  switch (c) {
    case U'a':
      return {U'a', U'ä'};
    case U'ä':
      return {U'ä', U'a'};
    case U'o':
      return {U'o', U'ö'};
    case U'ö':
      return {U'ö', U'o'};
    case U'u':
      return {U'u', U'ü'};
    case U'ü':
      return {U'ü', U'u'};
    default:
      return {c};
  }
}

// Byte ranges of the plain words (not phrases, prefixes or filters) in the query.
void CollectWordSpans(const QueryNode& node,
                      std::vector<std::pair<std::uint32_t, std::uint32_t>>& out) {
  if (node.kind == QueryNode::Kind::kWord) out.emplace_back(node.begin, node.end);
  for (const auto& child : node.children) CollectWordSpans(*child, out);
}

}  // namespace

Result<std::vector<std::string>> Speller::SuggestWord(const std::string& word,
                                                      std::size_t max) const {
  std::vector<Token> tokens = analyzer_.Analyze(word, AnalysisMode::kPrefix);
  if (tokens.size() != 1 || tokens[0].is_number) return std::vector<std::string>{};
  const std::string form = tokens[0].form;
  const std::u32string typed = Decode(form);
  if (typed.size() < 3) return std::vector<std::string>{};
  const int max_distance = typed.size() <= 5 ? 1 : 2;
  const bool typed_umlaut = HasUmlaut(typed);
  struct Candidate {
    int distance;
    Xapian::doccount freq;
    bool umlaut;
    std::string form;
  };
  std::vector<Candidate> found;
  try {
    for (char32_t first : FirstLetters(typed[0])) {
      std::string prefix = schema::kExactPrefix;
      AppendUtf8(first, prefix);
      for (auto it = db_.allterms_begin(prefix); it != db_.allterms_end(prefix); ++it) {
        const std::string term = *it;
        const std::string_view candidate = std::string_view(term).substr(1);
        if (candidate == form) continue;
        const std::u32string c = Decode(candidate);
        const int d = EditDistance(typed, c, max_distance);
        if (d > max_distance) continue;
        const bool umlaut = HasUmlaut(c);
        // Never offer a spelling with the umlauts stripped of what was typed.
        if (typed_umlaut && !umlaut) continue;
        found.push_back({d, it.get_termfreq(), umlaut, std::string(candidate)});
      }
    }
  } catch (const Xapian::Error&) {
    return StatusOfXapianError("spelling \"" + word + "\"");
  }
  std::sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) {
    if (a.distance != b.distance) return a.distance < b.distance;
    if (a.umlaut != b.umlaut) return a.umlaut;  // "Österreich" before "Osterreich"
    return a.freq > b.freq;
  });
  std::vector<std::string> out;
  for (const Candidate& c : found) {
    if (out.size() >= max) break;
    out.push_back(c.form);
  }
  return out;
}

Result<std::string> Speller::SuggestQuery(const std::string& query, const QueryNode& root) const {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> spans;
  CollectWordSpans(root, spans);
  auto in_word = [&spans](const Token& t) {
    for (const auto& [begin, end] : spans) {
      if (t.start >= begin && t.end <= end) return true;
    }
    return false;
  };
  // Query mode, so a word is left alone when its stem is in the index
  // ("Beschränkung" finds "Beschränkungen" and needs no suggestion).
  std::vector<Token> tokens = analyzer_.Analyze(query, AnalysisMode::kQuery);
  std::string out;
  std::size_t copied = 0;
  bool changed = false;
  for (const Token& t : tokens) {
    if (t.role != TokenRole::kWord || t.is_number || t.is_stopword || !in_word(t)) continue;
    const std::string typed = query.substr(t.start, t.end - t.start);
    try {
      if (db_.get_termfreq(t.stem) > 0 || db_.get_termfreq(schema::kExactPrefix + t.form) > 0) {
        continue;
      }
    } catch (const Xapian::Error&) {
      return StatusOfXapianError("spelling \"" + typed + "\"");
    }
    auto candidates = SuggestWord(typed, 1);
    if (!candidates.ok()) return candidates.status();
    if (candidates->empty()) continue;
    out += query.substr(copied, t.start - copied);
    out += CapitalizeLike(candidates->front(), typed);
    copied = t.end;
    changed = true;
  }
  if (!changed) return std::string();
  out += query.substr(copied);
  return out;
}

}  // namespace findling
