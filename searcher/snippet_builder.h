// SnippetBuilder: the best passage of a stored text, with the words that
// matched the query marked. It re-analyses the text with Findling's own
// Analyzer (MSet::snippet only knows a stemmer and would miss compound parts
// and umlaut spellings), so whatever matched in the index is what is marked.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/analyzer.h"

namespace findling {

// What counts as a match when marking words: built by the QueryBuilder from
// the same tokens that built the Xapian query. Each entry maps to the query
// word it came from, so a passage is judged by how many different query
// words it covers ("Sprachmodell" and its part "Modell" count once).
struct MatchSet {
  std::map<std::string, int> stems;       // word, joined form or part whose stem is here
  std::map<std::string, int> part_stems;  // parts of query compounds, and query words as parts
  std::vector<std::pair<std::string, int>> prefixes;  // forms starting with one (wildcards)
  bool empty() const { return stems.empty() && part_stems.empty() && prefixes.empty(); }
};

struct Highlight {
  std::uint32_t start = 0;  // byte offsets into Snippet::text
  std::uint32_t end = 0;
};

struct Snippet {
  std::string text;  // the passage, with "…" where it was cut from a longer text
  std::vector<Highlight> highlights;  // sorted, non-overlapping, on code point boundaries

  // The text with each highlight wrapped in `open` / `close`. With
  // escape_html the text (not the markers) is HTML-escaped, for <mark>.
  std::string Marked(std::string_view open, std::string_view close, bool escape_html) const;
};

struct SnippetOptions {
  std::uint32_t max_chars = 200;  // approximate passage length in code points
};

namespace snippet_internal {
struct Match;
}

class SnippetBuilder {
 public:
  explicit SnippetBuilder(Analyzer& analyzer) : analyzer_(analyzer) {}

  // The passage of `text` (about options.max_chars code points) that covers
  // the most distinct query words, then the most matches; the text's start
  // when nothing matches. NOT thread-safe (uses the analyzer).
  Snippet Build(std::string_view text, const MatchSet& matches, const SnippetOptions& options);

  // All matched byte ranges of `text` (for titles, which are shown whole).
  std::vector<Highlight> MarkAll(std::string_view text, const MatchSet& matches);

 private:
  using Match = snippet_internal::Match;
  // Appends the exact matches of text[from, to) (text offsets) to `found`.
  void AnalyzeRegion(std::string_view text, std::uint32_t from, std::uint32_t to,
                     const MatchSet& matches, std::vector<Match>& found);
  // Exact matches in the regions of `text` that can hold the best passage.
  void FindMatchesNearCandidates(std::string_view text, const MatchSet& matches,
                                 std::uint32_t budget, std::vector<Match>& found);

  Analyzer& analyzer_;
  std::vector<Token> tokens_;
};

}  // namespace findling
