// Fuzzes a whole search, query string to hits with snippets, over a small
// German index built when the fuzzer starts: the parser, the QueryBuilder,
// Xapian's matcher (wildcards, phrases, filters) and the SnippetBuilder,
// which re-analyses stored text and computes byte offsets -- the code where
// an off-by-one would cut a UTF-8 sequence or run past a buffer.
//
// Checked: lenient searches never fail except on a limit or a field filter
// the index does not declare ("foo:bar"); strict ones only with
// kInvalidInput or kLimit; hits are ranked 1..n, known ids; snippets are
// valid UTF-8 and their highlights sorted, non-overlapping, inside the text,
// on code point boundaries (searcher/snippet_builder.h).
//
// Input: byte 0 = flags (strict, offset, small snippets, explain), byte 1 =
// limit, rest = the query. Capped at 2 KiB: each run is a real search.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/utf8.h"
#include "searcher/searcher.h"
#include "tests/fuzz/fuzz_util.h"
#include "tests/test_index.h"

namespace findling {
namespace {

std::string g_db;
std::set<std::string> g_ids;

void RemoveIndex() {
  std::error_code ec;
  std::filesystem::remove_all(std::filesystem::path(g_db).parent_path(), ec);
}

// Short articles that give the query features something to match: compounds,
// hyphenated compounds, umlaut spellings, titles, categories and dates.
void BuildIndex() {
  const char* const kTitles[] = {
      "Sprachmodelle in der Schule", "Die Regierung plant ein Gesetz",
      "Bayern gewinnt in Dortmund",  "Österreich wählt ein Parlament",
      "Chips für Rechenzentren",     "KI-Chip-Beschränkungen verschärft"};
  const char* const kTexts[] = {
      "Ein Sprachmodell hilft Schülern beim Schreiben von Aufsätzen. Die Regierung prüft den "
      "Einsatz im Unterricht.",
      "Die Bundesregierung legt ein Gesetz zur künstlichen Intelligenz vor. Müller und Mueller "
      "diskutieren über Straßenbahnen in der Strasse.",
      "Der FC Bayern München gewinnt das Spiel gegen Borussia Dortmund mit drei zu eins.",
      "In Österreich wird gewählt. Die neue Regierung muss eine Mehrheit im Parlament finden. "
      "„Wir schaffen das“, sagte sie.",
      "Neue Grafikkarten beschleunigen das Training großer Sprachmodelle in Rechenzentren. "
      "DeepSeek-R1 und GPT-4o im Vergleich; C++ und e-mail bleiben Wörter.",
      "Die USA verschärfen die KI-Chip-Beschränkungen. Chipbeschränkungen treffen "
      "Halbleiterhersteller 🤖 und Ressourcenbeschränkungen.",
  };
  const char* const kCategories[] = {"technik", "politik", "sport", "politik", "technik", "welt"};
  char folder[] = "/tmp/findling-search-fuzzer-XXXXXX";
  FUZZ_CHECK(mkdtemp(folder) != nullptr, "mkdtemp");
  g_db = std::string(folder) + "/db";
  std::atexit(RemoveIndex);
  std::vector<SourceDocument> docs;
  for (int copy = 0; copy < 4; ++copy) {
    for (int i = 0; i < 6; ++i) {
      SourceDocument doc;
      doc.id = "d" + std::to_string(copy * 6 + i);
      doc.title = kTitles[i];
      doc.text = std::string(kTexts[i]) + " " + kTexts[(i + copy) % 6];
      doc.category = kCategories[i];
      doc.date = "202" + std::to_string(copy + 2) + "-0" + std::to_string(i + 1) + "-1" +
                 std::to_string(i);
      doc.url = "https://example.org/" + doc.id;
      g_ids.insert(doc.id);
      docs.push_back(std::move(doc));
    }
  }
  const Status built = testing::BuildTestIndex(g_db, fuzz::SharedAnalyzer(), docs);
  FUZZ_CHECK(built.ok(), built.ToString());
}

Searcher& SharedSearcher() {
  static std::unique_ptr<Searcher> searcher = [] {
    BuildIndex();
    // The Searcher finds the lexicon through $FINDLING_LEXICON.
    if (fuzz::SharedAnalyzer().options().decompound) {
      setenv("FINDLING_LEXICON", fuzz::SharedAnalyzer().options().lexicon_path.c_str(), 1);
    }
    auto opened = Searcher::Open({g_db});
    FUZZ_CHECK(opened.ok(), opened.status().ToString());
    return std::move(opened).value();
  }();
  return *searcher;
}

void CheckHighlights(std::string_view text, const std::vector<Highlight>& highlights,
                     const std::string& at) {
  std::uint32_t previous_end = 0;
  for (const Highlight& h : highlights) {
    FUZZ_CHECK(h.start < h.end && h.end <= text.size(), at + " highlight outside the text");
    FUZZ_CHECK(h.start >= previous_end, at + " highlights overlap or are unsorted");
    FUZZ_CHECK(AlignToCodePoint(text, h.start) == h.start && AlignToCodePoint(text, h.end) == h.end,
               at + " highlight splits a code point");
    previous_end = h.end;
  }
}

}  // namespace
}  // namespace findling

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace findling;
  std::string_view input;
  if (size < 2 || !fuzz::Capped(data, size, 2 << 10, &input)) return -1;
  Searcher& searcher = SharedSearcher();
  const auto flags = static_cast<std::uint8_t>(input[0]);
  SearchRequest request;
  request.parse_mode = (flags & 1) ? ParseMode::kStrict : ParseMode::kLenient;
  request.offset = (flags & 2) ? 3 : 0;
  request.snippet_chars = (flags & 4) ? 12 : 200;
  request.explain = (flags & 8) != 0;
  request.limit = static_cast<std::uint8_t>(input[1]) % 30;
  request.query = std::string(input.substr(2));

  const Result<SearchResponse> response = searcher.Search(request);
  if (!response.ok()) {
    const Status::Code code = response.status().code();
    const bool unknown_field =
        code == Status::Code::kInvalidInput &&
        response.status().message().find("unknown field '") != std::string::npos;
    FUZZ_CHECK(
        code == Status::Code::kLimit || unknown_field ||
            (request.parse_mode == ParseMode::kStrict && code == Status::Code::kInvalidInput),
        "search failed: " + response.status().ToString());
    return 0;
  }
  FUZZ_CHECK(response->hits.size() <= request.limit, "more hits than the limit");
  std::uint32_t rank = request.offset;
  for (const Hit& hit : response->hits) {
    FUZZ_CHECK(hit.rank == ++rank, "ranks not consecutive");
    FUZZ_CHECK(g_ids.count(hit.id) == 1, "unknown id " + hit.id);
    const Snippet& s = hit.snippet;
    FUZZ_CHECK(FindInvalidUtf8(s.text) == std::string_view::npos, "snippet not UTF-8: " + s.text);
    FUZZ_CHECK(CountCodePoints(s.text) <= 3 * request.snippet_chars + 40,
               "snippet far longer than asked: " + s.text);
    CheckHighlights(s.text, s.highlights, hit.id + " snippet");
    CheckHighlights(hit.title, hit.title_highlights, hit.id + " title");
  }
  return 0;
}
