// Search behaviour on a small German collection, table-driven: each row is a
// query, the documents it must find (in order where it matters), and the
// documents it must not find.
#include <gtest/gtest.h>

#include <algorithm>

#include "indexer/index_writer.h"
#include "searcher/searcher.h"
#include "tests/test_util.h"

namespace findling {
namespace {

struct Doc {
  const char* id;
  const char* title;
  const char* text;
  const char* date;
  const char* category;
};

// Each document is small and about one thing, so a row can say exactly
// which documents a query should and should not reach.
const Doc kDocs[] = {
    {"sprachmodell", "Neues Sprachmodell aus China",
     "Das Sprachmodell DeepSeek-V3 wurde von Liang Wenfeng vorgestellt.", "2024-12-30", "technik"},
    {"modell", "Ein Modell der Stadt", "Im Museum steht ein Modell der Altstadt aus Holz.",
     "2024-03-01", "kultur"},
    {"sprache-modell", "Sprache lernen",
     "Die Sprache der Kinder folgt keinem festen Modell, sagen Forschende.", "2023-05-10",
     "wissenschaft"},
    {"ressourcen", "Knappe Mittel",
     "Ressourcenbeschränkungen zwingen die Firma zu neuen Wegen.", "2025-01-15", "wirtschaft"},
    {"chip-hyphen", "Exportregeln",
     "Die KI-Chip-Beschränkungen der USA treffen Hersteller in Asien.", "2024-10-01", "politik"},
    {"chip-closed", "Halbleiter",
     "Neue Chipbeschränkungen gelten ab dem Sommer.", "2025-06-01", "politik"},
    {"mueller-umlaut", "Interview", "Karin Müller leitet die Verhandlungen.", "2024-05-22",
     "wirtschaft"},
    {"mueller-ascii", "Zürich", "Reto Mueller führt ein Geschäft an der Strasse.", "2024-04-16",
     "schweiz"},
    {"strasse", "Verkehr", "Die Straße wird im Sommer gesperrt.", "2025-07-01", "verkehr"},
    {"oesterreich", "Wahl in Österreich", "In Österreich wird ein neues Parlament gewählt.",
     "2024-09-29", "oesterreich"},
    {"israel", "Nahost", "Israel und seine Nachbarn verhandeln erneut.", "2024-02-02", "politik"},
    {"poet", "Lyrik", "Der Poet las aus seinem neuen Gedichtband.", "2023-11-11", "kultur"},
    {"vertrag", "Handel", "Die Staaten einigten sich in Verträgen auf neue Zölle.", "2023-08-08",
     "wirtschaft"},
    {"regierung", "Berlin", "Die Regierung plant eine Reform der Rente.", "2025-02-20", "politik"},
    {"see", "Urlaub", "Das Haus am See ist im Sommer ausgebucht.", "2025-08-15", "kultur"},
};

class SearchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    Analyzer& analyzer = testing::SharedAnalyzer();
    auto writer = IndexWriter::Open(dir_->path() + "/db", analyzer.Signature());
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    DocumentBuilder builder(analyzer);
    for (const Doc& d : kDocs) {
      SourceDocument doc{d.id, d.title, d.text, "", d.date, d.category, "test", 0};
      ASSERT_TRUE(writer.value()->Put(d.id, builder.Build(doc), 0).ok());
    }
    ASSERT_TRUE(writer.value()->Commit().ok());
    writer.value().reset();
    auto searcher = Searcher::Open({dir_->path() + "/db"});
    ASSERT_TRUE(searcher.ok()) << searcher.status().ToString();
    searcher_ = std::move(searcher).value().release();
  }
  static void TearDownTestSuite() {
    delete searcher_;
    delete dir_;
  }

  static SearchResponse Search(const std::string& q, std::uint32_t limit = 20) {
    SearchRequest r;
    r.query = q;
    r.limit = limit;
    auto response = searcher_->Search(r);
    EXPECT_TRUE(response.ok()) << q << ": " << response.status().ToString();
    return response.ok() ? std::move(response).value() : SearchResponse{};
  }
  static std::vector<std::string> Ids(const SearchResponse& r) {
    std::vector<std::string> ids;
    for (const Hit& h : r.hits) ids.push_back(h.id);
    return ids;
  }

  static testing::TempDir* dir_;
  static Searcher* searcher_;
};
testing::TempDir* SearchTest::dir_ = nullptr;
Searcher* SearchTest::searcher_ = nullptr;

struct QueryRow {
  const char* name;
  const char* query;
  std::vector<std::string> first;    // the hits must start with these, in this order
  std::vector<std::string> include;  // found somewhere
  std::vector<std::string> exclude;  // never found
  bool needs_lexicon = false;
};

class QueryTable : public SearchTest, public ::testing::WithParamInterface<QueryRow> {};

TEST_P(QueryTable, Hits) {
  const QueryRow& row = GetParam();
  if (row.needs_lexicon && !testing::HaveLexicon()) GTEST_SKIP() << "no compound lexicon";
  const auto ids = Ids(Search(row.query));
  SCOPED_TRACE(::testing::PrintToString(ids));
  ASSERT_GE(ids.size(), row.first.size());
  for (std::size_t i = 0; i < row.first.size(); ++i) EXPECT_EQ(ids[i], row.first[i]) << i;
  for (const auto& id : row.include) {
    EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << id << " missing";
  }
  for (const auto& id : row.exclude) {
    EXPECT_EQ(std::find(ids.begin(), ids.end(), id), ids.end()) << id << " found";
  }
}

const QueryRow kQueryRows[] = {
    // Compounds: a part finds the compound, below the exact word.
    {"PartFindsCompound", "Modell", {"modell"}, {"sprachmodell", "sprache-modell"}, {}, true},
    {"CompoundFindsItselfFirst", "Sprachmodell", {"sprachmodell"}, {}, {"modell"}, true},
    // A compound in the query means all its parts, never one of them.
    {"CompoundMeansAllParts", "Sprachmodell", {}, {"sprache-modell"}, {"modell"}, true},
    {"PartsInAnyOrder", "Beschränkungen Ressourcen", {"ressourcen"}, {}, {}, true},
    // Phrases across compounds and their spelled-out forms.
    {"PhraseAcrossHyphenAndClosedCompound", "\"Chip Beschränkungen\"", {},
     {"chip-hyphen", "chip-closed"}, {"ressourcen"}, true},
    // Hyphenated compounds: whole, joined and by part.
    {"HyphenatedWhole", "KI-Chip-Beschränkungen", {"chip-hyphen"}, {}, {}},
    {"HyphenatedJoined", "KIChipBeschränkungen", {"chip-hyphen"}, {}, {}},
    {"HyphenatedPart", "Chip", {}, {"chip-hyphen", "chip-closed"}, {}, true},
    // Umlaut and ß spellings meet; the exact spelling ranks first.
    {"MuellerFindsMueller", "Mueller", {"mueller-ascii"}, {"mueller-umlaut"}, {}},
    {"MuellerUmlautFirst", "Müller", {"mueller-umlaut"}, {"mueller-ascii"}, {}},
    {"StrasseFindsStrasse", "Strasse", {"mueller-ascii"}, {"strasse"}, {}},
    {"OesterreichTransliterated", "Oesterreich", {"oesterreich"}, {}, {}},
    // Genuine ae/oe/ue are not umlauts: no false matches.
    {"IsraelOnlyIsrael", "Israel", {"israel"}, {}, {"poet", "oesterreich"}},
    {"PoetOnlyPoet", "Poet", {"poet"}, {}, {"israel"}},
    // Inflection.
    {"StemmedNoun", "Vertrag", {"vertrag"}, {}, {}},
    // Stop words are ignored in bare words but kept in phrases.
    {"StopWordsIgnored", "die Regierung", {"regierung"}, {}, {}},
    {"PhraseKeepsStopWords", "\"Haus am See\"", {"see"}, {}, {}},
    {"PhraseWordOrderMatters", "\"See am Haus\"", {}, {}, {"see"}},
    // All words rank above some words.
    {"AllWordsFirst", "Sprache Modell Kinder", {"sprache-modell"}, {"modell"}, {}},
    // Boolean syntax, English and German.
    {"AndGerman", "Sommer UND Straße", {"strasse"}, {}, {"see", "chip-closed"}},
    {"OrGerman", "Israel ODER Poet", {}, {"israel", "poet"}, {}},
    {"NotGerman", "Sommer NICHT Straße", {}, {"see"}, {"strasse"}},
    {"PlusMinus", "+Sommer -Straße", {}, {"see", "chip-closed"}, {"strasse"}},
    {"Brackets", "(Israel OR Poet) AND Gedichtband", {"poet"}, {}, {"israel"}},
    // Wildcards match unstemmed forms.
    {"Prefix", "Sprachmod*", {"sprachmodell"}, {}, {"modell"}},
    {"PrefixUmlaut", "Österr*", {"oesterreich"}, {}, {}},
    // Fields and filters.
    {"TitleField", "titel:Österreich", {"oesterreich"}, {}, {}},
    {"TitleFieldIgnoresBody", "title:Parlament", {}, {}, {"oesterreich"}},
    {"CategoryFilter", "Sommer kategorie:verkehr", {"strasse"}, {}, {"see", "chip-closed"}},
    {"DateRange", "Sommer date:2025-07-01..2025-12-31", {}, {"strasse", "see"}, {"chip-closed"}},
    {"DateYear", "Sommer datum:2025", {}, {"strasse", "see", "chip-closed"}, {}},
};

INSTANTIATE_TEST_SUITE_P(Rows, QueryTable, ::testing::ValuesIn(kQueryRows),
                         [](const auto& info) { return std::string(info.param.name); });

// Highlights: the snippet marks what matched, at correct byte offsets.
struct HighlightRow {
  const char* name;
  const char* query;
  const char* doc;
  const char* marked;  // a piece of the snippet with **marks**
  bool needs_lexicon = false;
};

class HighlightTable : public SearchTest, public ::testing::WithParamInterface<HighlightRow> {};

TEST_P(HighlightTable, Marks) {
  const HighlightRow& row = GetParam();
  if (row.needs_lexicon && !testing::HaveLexicon()) GTEST_SKIP() << "no compound lexicon";
  const SearchResponse r = Search(row.query);
  const auto it = std::find_if(r.hits.begin(), r.hits.end(),
                               [&](const Hit& h) { return h.id == row.doc; });
  ASSERT_NE(it, r.hits.end()) << row.doc << " not found";
  const std::string marked = it->snippet.Marked("**", "**", false);
  EXPECT_NE(marked.find(row.marked), std::string::npos) << marked;
  for (const Highlight& h : it->snippet.highlights) {
    EXPECT_LT(h.start, h.end);
    EXPECT_LE(h.end, it->snippet.text.size());
  }
}

const HighlightRow kHighlightRows[] = {
    {"StemmedForm", "Vertrag", "vertrag", "in **Verträgen** auf"},
    {"PartOfHyphenCompound", "Beschränkung", "chip-hyphen", "KI-Chip-**Beschränkungen**", true},
    {"PartOfClosedCompound", "Beschränkung", "chip-closed", "Chip**beschränkungen**", true},
    {"WholeCompoundWhenAllPartsMatch", "Sprachmodell", "sprachmodell", "Das **Sprachmodell** "},
    {"Transliterated", "Mueller", "mueller-umlaut", "Karin **Müller** leitet"},
    {"Eszett", "Strasse", "strasse", "Die **Straße** wird"},
    {"Umlaut", "Oesterreich", "oesterreich", "In **Österreich** wird"},
    {"Prefix", "Verhandl*", "mueller-umlaut", "die **Verhandlungen**."},
};

INSTANTIATE_TEST_SUITE_P(Rows, HighlightTable, ::testing::ValuesIn(kHighlightRows),
                         [](const auto& info) { return std::string(info.param.name); });

TEST_F(SearchTest, DidYouMeanSuggestsAKnownSpelling) {
  EXPECT_EQ(Search("Regirung").suggestion, "Regierung");
  EXPECT_EQ(Search("Regierung").suggestion, "");
}

TEST_F(SearchTest, SuggestionsNeverStripUmlauts) {
  for (const std::string& s : searcher_->SuggestWord("Österreih")) {
    EXPECT_NE(s, "osterreich");
  }
  const auto suggestions = searcher_->SuggestWord("Österreih");
  ASSERT_FALSE(suggestions.empty());
  EXPECT_EQ(suggestions[0], "österreich");
}

TEST_F(SearchTest, ExplainShowsStages) {
  SearchRequest r;
  r.query = "Sprachmodelle";
  r.explain = true;
  const auto response = searcher_->Search(r);
  ASSERT_TRUE(response.ok());
  std::string all;
  for (const auto& line : response->explain) all += line + "\n";
  EXPECT_NE(all.find("sprachmodell"), std::string::npos) << all;
  EXPECT_NE(all.find("xapian:"), std::string::npos) << all;
}

TEST_F(SearchTest, LimitsGiveClearErrors) {
  SearchRequest r;
  r.query = "Sommer";
  r.limit = 100000;
  auto response = searcher_->Search(r);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), Status::Code::kLimit);
  r.limit = 10;
  r.offset = 1000000;
  response = searcher_->Search(r);
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), Status::Code::kLimit);
}

TEST_F(SearchTest, GetReturnsTheStoredDocument) {
  auto doc = searcher_->Get("poet");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->title, "Lyrik");
  EXPECT_EQ(searcher_->Get("nope").status().code(), Status::Code::kNotFound);
}

TEST_F(SearchTest, PagingContinuesAfterAllWordsHits) {
  // Without compound splitting "Sprachmodell" has no part "Modell": too few hits.
  if (!testing::HaveLexicon()) GTEST_SKIP() << "no compound lexicon";
  const auto all = Ids(Search("Sprache Modell Kinder", 10));
  ASSERT_GE(all.size(), 3u);
  SearchRequest r;
  r.query = "Sprache Modell Kinder";
  r.offset = 1;
  r.limit = 2;
  const auto page = searcher_->Search(r);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->hits.size(), 2u);
  EXPECT_EQ(page->hits[0].id, all[1]);
  EXPECT_EQ(page->hits[1].id, all[2]);
  EXPECT_EQ(page->hits[0].rank, 2u);
}

}  // namespace
}  // namespace findling
