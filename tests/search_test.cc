// Search behaviour on a small German collection, table-driven: each row is a
// query, the documents it must find (in order where it matters), and the
// documents it must not find.
#include <gtest/gtest.h>

#include <algorithm>
#include <exception>
#include <map>
#include <memory>
#include <span>

#include "searcher/searcher.h"
#include "searcher/xapian_error.h"
#include "tests/test_index.h"
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

void WriteIndex(const std::string& path, std::span<const Doc> docs) {
  std::vector<SourceDocument> source;
  for (const Doc& d : docs) source.push_back({d.id, d.title, d.text, "", d.date, d.category});
  const Status built = testing::BuildTestIndex(path, testing::SharedAnalyzer(), source);
  ASSERT_TRUE(built.ok()) << built.ToString();
}

class SearchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    ASSERT_NO_FATAL_FAILURE(WriteIndex(dir_->path() + "/db", kDocs));
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
  const auto suggested = searcher_->SuggestWord("Österreih");
  ASSERT_TRUE(suggested.ok()) << suggested.status().ToString();
  const std::vector<std::string>& suggestions = suggested.value();
  for (const std::string& s : suggestions) EXPECT_NE(s, "osterreich");
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

// A count, or an error: before issue 16 any Xapian error gave 0, which
// looked like an empty index.
TEST_F(SearchTest, DocumentCountIsTheIndexedDocuments) {
  auto count = searcher_->document_count();
  ASSERT_TRUE(count.ok()) << count.status().ToString();
  EXPECT_EQ(count.value(), std::size(kDocs));
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

// Wildcards expand to the most frequent forms under their prefix, within
// one budget per query. In this collection each document holds one of the
// forms, so the documents found tell which forms a wildcard kept:
//   akten 3 documents, aktien 2, aktion 2, akte 1, aktie 1; bahnhof 2, bahnsteig 1.
const Doc kWildcardDocs[] = {
    {"akten-1", "Gericht", "Die Akten liegen im Keller des Gerichts.", "", ""},
    {"akten-2", "Kanzlei", "Der Anwalt las die Akten bis spät in die Nacht.", "", ""},
    {"akten-3", "Archiv", "Alte Akten werden nach zehn Jahren vernichtet.", "", ""},
    {"aktien-1", "Börse", "Die Aktien der Firma stiegen am Montag.", "", ""},
    {"aktien-2", "Geldanlage", "Viele Sparer kaufen Aktien statt Anleihen.", "", ""},
    {"aktion-1", "Schule", "Die Aktion der Schüler sammelte Geld für das Tierheim.", "", ""},
    {"aktion-2", "Einkauf", "Eine Aktion im Supermarkt lockte viele Kunden.", "", ""},
    {"aktie-1", "Geschichte", "Eine einzelne Aktie kostete damals zehn Mark.", "", ""},
    {"akte-1", "Verwaltung", "Die Akte zum Bauantrag fehlt noch.", "", ""},
    {"bahnhof-1", "Reise", "Der Zug hält am Bahnhof der Stadt.", "", ""},
    {"bahnhof-2", "Ankunft", "Am Bahnhof wartet ein Taxi.", "", ""},
    {"bahnsteig-1", "Wetter", "Auf dem Bahnsteig stehen Reisende im Regen.", "", ""},
};

class WildcardTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    ASSERT_NO_FATAL_FAILURE(WriteIndex(dir_->path() + "/db", kWildcardDocs));
  }
  static void TearDownTestSuite() {
    searchers_.clear();
    delete dir_;
  }

  // Searches with queries expanding to at most `max_expansion` words.
  static Result<SearchResponse> Search(std::uint32_t max_expansion, const SearchRequest& r) {
    std::unique_ptr<Searcher>& s = searchers_[max_expansion];
    if (!s) {
      SearcherOptions options;
      options.limits.max_wildcard_expansion = max_expansion;
      auto opened = Searcher::Open({dir_->path() + "/db"}, options);
      if (!opened.ok()) return opened.status();
      s = std::move(opened).value();
    }
    return s->Search(r);
  }

  static testing::TempDir* dir_;
  static std::map<std::uint32_t, std::unique_ptr<Searcher>> searchers_;
};
testing::TempDir* WildcardTest::dir_ = nullptr;
std::map<std::uint32_t, std::unique_ptr<Searcher>> WildcardTest::searchers_;

struct WildcardRow {
  const char* name;
  const char* query;
  std::uint32_t max_expansion;  // SearcherLimits::max_wildcard_expansion
  bool strict;
  std::vector<std::string> found;  // exactly these documents, in any order
  const char* error = "";          // a Status code name instead of hits ("limit")
};

class WildcardTable : public WildcardTest, public ::testing::WithParamInterface<WildcardRow> {};

TEST_P(WildcardTable, Expands) {
  const WildcardRow& row = GetParam();
  SearchRequest r;
  r.query = row.query;
  r.limit = 50;
  r.parse_mode = row.strict ? ParseMode::kStrict : ParseMode::kLenient;
  const auto response = Search(row.max_expansion, r);
  if (*row.error != '\0') {
    ASSERT_FALSE(response.ok()) << "expected " << row.error;
    EXPECT_STREQ(Status::CodeName(response.status().code()), row.error)
        << response.status().ToString();
    return;
  }
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  std::vector<std::string> ids;
  for (const Hit& h : response->hits) ids.push_back(h.id);
  std::sort(ids.begin(), ids.end());
  std::vector<std::string> want = row.found;
  std::sort(want.begin(), want.end());
  EXPECT_EQ(ids, want);
}

const std::vector<std::string> kAkten = {"akten-1", "akten-2", "akten-3"};
const std::vector<std::string> kAktien = {"aktien-1", "aktien-2"};
const std::vector<std::string> kAktion = {"aktion-1", "aktion-2"};
const std::vector<std::string> kAktie = {"aktie-1"};
const std::vector<std::string> kAkte = {"akte-1"};
const std::vector<std::string> kBahn = {"bahnhof-1", "bahnhof-2", "bahnsteig-1"};

std::vector<std::string> Docs(std::initializer_list<std::vector<std::string>> groups) {
  std::vector<std::string> out;
  for (const auto& g : groups) out.insert(out.end(), g.begin(), g.end());
  return out;
}

const WildcardRow kWildcardRows[] = {
    // Lenient: the most frequent forms; on equal frequency the earlier
    // ("aktien" before "aktion", "akte" before "aktie").
    {"AllFormsWithinLimit", "Akt*", 5, false, Docs({kAkten, kAktien, kAktion, kAkte, kAktie})},
    {"MostFrequentKept", "Akt*", 1, false, kAkten},
    {"EqualFrequencyByWordOrder", "Akt*", 2, false, Docs({kAkten, kAktien})},
    {"LeastFrequentDropped", "Akt*", 3, false, Docs({kAkten, kAktien, kAktion})},
    {"EqualFrequencyAtTheCut", "Akt*", 4, false, Docs({kAkten, kAktien, kAktion, kAkte})},
    {"LongerPrefixFewerForms", "Aktie*", 1, false, kAktien},
    // Strict: a wildcard with more forms than its share is refused.
    {"StrictWithinLimit", "Akt*", 5, true, Docs({kAkten, kAktien, kAktion, kAkte, kAktie})},
    {"StrictPastLimit", "Akt*", 4, true, {}, "limit"},
    // Two wildcards share the budget: 4 is 2 each.
    {"SharedBudget", "Akt* Bahn*", 4, false, Docs({kAkten, kAktien, kBahn})},
    {"SharedBudgetStrict", "Akt* Bahn*", 4, true, {}, "limit"},
    {"SharedBudgetStrictWithin", "Aktie* Bahn*", 4, true, Docs({kAktien, kAktie, kBahn})},
    {"SameWildcardTwice", "Akt* Akt*", 4, false, Docs({kAkten, kAktien})},
    // No form under the prefix: no hits, no error, and nothing found where
    // it is required.
    {"NoSuchPrefix", "Xylophon*", 4, false, {}},
    {"NoSuchPrefixStrict", "Xylophon*", 4, true, {}},
    {"NoSuchPrefixRequired", "+Xylophon* Akten", 4, false, {}},
    {"NoSuchPrefixAnd", "Akten UND Xylophon*", 4, false, {}},
    {"NoSuchPrefixNot", "Xylophon* NICHT Akten", 4, false, {}},
    {"NoSuchPrefixBesideWord", "Xylophon* Bahnsteig", 4, false, {"bahnsteig-1"}},
};

INSTANTIATE_TEST_SUITE_P(Rows, WildcardTable, ::testing::ValuesIn(kWildcardRows),
                         [](const auto& info) { return std::string(info.param.name); });

TEST_F(WildcardTest, ExpandedFormsAreMarked) {
  SearchRequest r;
  r.query = "Akt*";
  const auto response = Search(2, r);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  const auto it = std::find_if(response->hits.begin(), response->hits.end(),
                               [](const Hit& h) { return h.id == "aktien-2"; });
  ASSERT_NE(it, response->hits.end());
  const std::string marked = it->snippet.Marked("**", "**", false);
  EXPECT_NE(marked.find("kaufen **Aktien** statt"), std::string::npos) << marked;
}

TEST_F(WildcardTest, ExplainCountsTheForms) {
  SearchRequest r;
  r.query = "Akt* Xylophon*";
  r.explain = true;
  const auto response = Search(2, r);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  std::string all;
  for (const auto& line : response->explain) all += line + "\n";
  EXPECT_NE(all.find("prefix akt* (unstemmed forms) -> 1 word, the most frequent of 5"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("prefix xylophon* (unstemmed forms) -> no such word"), std::string::npos)
      << all;
}

// The builder alone, over a vocabulary that records how far it was walked.
class ListVocabulary : public Vocabulary {
 public:
  explicit ListVocabulary(std::vector<std::pair<std::string, Xapian::doccount>> terms)
      : terms_(std::move(terms)) {}
  void ForEachTerm(const std::string& prefix, const Visit& visit) const override {
    for (const auto& [term, freq] : terms_) {
      if (term.compare(0, prefix.size(), prefix) != 0) continue;
      ++visited;
      if (!visit(term, freq)) return;
    }
  }
  mutable int visited = 0;

 private:
  std::vector<std::pair<std::string, Xapian::doccount>> terms_;  // sorted
};

std::vector<std::string> TermsOf(const Xapian::Query& q) {
  return {q.get_unique_terms_begin(), q.get_unique_terms_end()};
}

TEST(QueryBuilderWildcard, KeepsTheMostFrequentAsOneSynonym) {
  ListVocabulary vocabulary({{"Ehaus", 7},
                             {"Ehausarzt", 2},
                             {"Ehausaufgaben", 2},
                             {"Ehausbau", 5},
                             {"Ehaustür", 4},
                             {"Ehäuser", 9},
                             {"Shaus", 3}});
  QueryBuilder builder(testing::SharedAnalyzer(), vocabulary, QueryWeights{});
  auto parsed = ParseQuery("Haus*", ParseMode::kLenient, {});
  ASSERT_TRUE(parsed.ok());
  // The four most frequent under "Ehaus", "Ehausarzt" before
  // "Ehausaufgaben" on equal frequency; "Ehäuser" and "Shaus" are not under it.
  auto built = builder.Build(*parsed->root, {.max_wildcard_expansion = 4});
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  EXPECT_EQ(built->query.get_type(), Xapian::Query::OP_SYNONYM);
  EXPECT_EQ(TermsOf(built->query),
            (std::vector<std::string>{"Ehaus", "Ehausarzt", "Ehausbau", "Ehaustür"}));
  EXPECT_EQ(vocabulary.visited, 5);
}

TEST(QueryBuilderWildcard, ExplainStaysShort) {
  std::vector<std::pair<std::string, Xapian::doccount>> terms;
  for (int i = 1000; i < 1600; ++i) terms.emplace_back("Ehausnummer" + std::to_string(i), 1);
  ListVocabulary vocabulary(terms);
  QueryBuilder builder(testing::SharedAnalyzer(), vocabulary, QueryWeights{});
  auto parsed = ParseQuery("Hausnummer*", ParseMode::kLenient, {});
  ASSERT_TRUE(parsed.ok());
  auto built = builder.Build(*parsed->root, {.max_wildcard_expansion = 1000});
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  EXPECT_EQ(TermsOf(built->query).size(), 600u);
  ASSERT_FALSE(built->explain.empty());
  const std::string& xapian = built->explain.back();
  EXPECT_EQ(xapian.rfind("xapian: ", 0), 0u) << xapian;
  EXPECT_LT(xapian.size(), 2100u);
  EXPECT_NE(xapian.find(" bytes)"), std::string::npos) << xapian;
}

TEST(QueryBuilderWildcard, StrictStopsAtTheFirstFormPastTheLimit) {
  ListVocabulary vocabulary({{"Ehaus", 7}, {"Ehausaufgaben", 4}, {"Ehausbau", 2}, {"Ehaustür", 2}});
  QueryBuilder builder(testing::SharedAnalyzer(), vocabulary, QueryWeights{});
  auto parsed = ParseQuery("Haus*", ParseMode::kStrict, {});
  ASSERT_TRUE(parsed.ok());
  auto built = builder.Build(*parsed->root, {.max_wildcard_expansion = 2, .strict = true});
  ASSERT_FALSE(built.ok());
  EXPECT_EQ(built.status().code(), Status::Code::kLimit);
  EXPECT_EQ(built.status().message(), "wildcard expands to too many words (limit 2)");
  EXPECT_EQ(vocabulary.visited, 3);
}

// ForEachTermUnder: one term-list cursor for several prefixes (the other
// umlaut/ß spellings of a word or a wildcard) must visit exactly what a walk
// per prefix visits, in ascending order of the prefixes, on one database and
// on shards searched as one.
struct UnderRow {
  const char* name;
  std::vector<std::string> prefixes;
  int stop_after;        // terms visited per prefix before the visit says stop (0: all)
  const char* expected;  // "prefix index:term/document frequency ..."
};

const UnderRow kUnderRows[] = {
    // The spellings of "Bär" as the typed-spelling tier lists them; "Ebars"
    // is under "Ebar", "Ebären" under "Ebär".
    {"BaerSpellings", {"Ebär", "Ebar", "Ebaer"}, 0,
     "2:Ebaer/1 1:Ebar/2 1:Ebars/1 0:Ebär/1 0:Ebären/1"},
    // "Emas" holds everything under "Emass": the second walk starts over.
    {"PrefixExtendingAnother", {"Emass", "Emas"}, 0,
     "1:Emass/1 1:Emasse/2 0:Emass/1 0:Emasse/2"},
    {"SamePrefixTwice", {"Emaß", "Emaß"}, 0, "0:Emaß/1 0:Emaße/1 1:Emaß/1 1:Emaße/1"},
    // The walk of "Emaß" reaches the end of the list, yet "Emaße" is found.
    {"ExtensionAfterTheEnd", {"Emaß", "Emaße"}, 0, "0:Emaß/1 0:Emaße/1 1:Emaße/1"},
    // Stopping one prefix's walk leaves the next whole.
    {"StopEndsOnlyThatPrefix", {"Emas", "Ebar"}, 1, "1:Ebar/2 0:Emass/1"},
    {"DifferentLetters", {"Emaß", "Ebär"}, 0, "1:Ebär/1 1:Ebären/1 0:Emaß/1 0:Emaße/1"},
    // Non-matches: nothing under these, before, between and after the terms.
    {"NothingUnder", {"Eapfel", "Ebaum", "Emaus", "Ezebra"}, 0, ""},
    {"NoneAfterTheLast", {"Ebar", "Ezebra"}, 0, "0:Ebar/2 0:Ebars/1"},
};

// A vocabulary with only ForEachTerm: the default ForEachTermUnder, a walk
// per prefix, is the reference.
class PerPrefixVocabulary : public Vocabulary {
 public:
  explicit PerPrefixVocabulary(const Vocabulary& inner) : inner_(inner) {}
  void ForEachTerm(const std::string& prefix, const Visit& visit) const override {
    inner_.ForEachTerm(prefix, visit);
  }

 private:
  const Vocabulary& inner_;
};

std::string WalkUnder(const Vocabulary& vocabulary, const UnderRow& row) {
  std::string out;
  std::map<std::size_t, int> visited;
  vocabulary.ForEachTermUnder(
      row.prefixes, [&](std::size_t i, const std::string& term, Xapian::doccount freq) {
        out += (out.empty() ? "" : " ") + std::to_string(i) + ":" + term + "/" +
               std::to_string(freq);
        return row.stop_after == 0 || ++visited[i] < row.stop_after;
      });
  return out;
}

class VocabularyUnder : public ::testing::TestWithParam<UnderRow> {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    // Shard a holds the first two documents, shard b the third; "whole" all three.
    const std::vector<std::vector<std::string>> docs = {
        {"Ebar", "Ebären", "Emasse"}, {"Ebar", "Ebaer", "Emaß", "Emaße"},
        {"Ebär", "Emass", "Emasse", "Ebars"}};
    for (const char* name : {"whole", "a", "b"}) {
      Xapian::WritableDatabase db(dir_->path() + "/" + name, Xapian::DB_CREATE_OR_OPEN);
      for (std::size_t d = 0; d < docs.size(); ++d) {
        const bool in_shard = name[0] == 'w' || (name[0] == 'a') == (d < 2);
        if (!in_shard) continue;
        Xapian::Document doc;
        for (const std::string& term : docs[d]) doc.add_term(term);
        db.add_document(doc);
      }
      db.commit();
    }
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static testing::TempDir* dir_;
};

testing::TempDir* VocabularyUnder::dir_ = nullptr;

TEST_P(VocabularyUnder, VisitsWhatAWalkPerPrefixVisits) {
  const UnderRow& row = GetParam();
  const Xapian::Database whole(dir_->path() + "/whole");
  Xapian::Database sharded(dir_->path() + "/a");
  sharded.add_database(Xapian::Database(dir_->path() + "/b"));
  const DatabaseVocabulary one(whole), shards(sharded), as_remote(sharded, /*remote=*/true);
  EXPECT_EQ(WalkUnder(one, row), row.expected);
  EXPECT_EQ(WalkUnder(PerPrefixVocabulary(one), row), row.expected);
  EXPECT_EQ(WalkUnder(shards, row), row.expected);
  EXPECT_EQ(WalkUnder(as_remote, row), row.expected);
}

INSTANTIATE_TEST_SUITE_P(Rows, VocabularyUnder, ::testing::ValuesIn(kUnderRows),
                         [](const auto& info) { return std::string(info.param.name); });

// The exception edge: a vocabulary that throws (an index modified under
// the walk, a remote shard that timed out or hung up, a corrupt table) is a
// Status from Build, mapped as searcher/xapian_error.h says. Its code is
// what Searcher retries on (kModified: reopen; kUnavailable: reconnect,
// keeping down the remote that TimedOutAt names), so each row checks both.
class ThrowingVocabulary : public Vocabulary {
 public:
  explicit ThrowingVocabulary(int kind) : kind_(kind) {}
  void ForEachTerm(const std::string&, const Visit&) const override {
    switch (kind_) {
      case 0:
        throw Xapian::DatabaseModifiedError("the index changed");
      case 1:
        throw Xapian::NetworkTimeoutError("no answer", "remote:tcp(127.0.0.1:1)");
      case 2:
        throw Xapian::NetworkError("hung up", "remote:tcp(127.0.0.1:1)");
      case 3:
        throw Xapian::DatabaseCorruptError("bad block");
      default:
        throw Xapian::InvalidArgumentError("a bug");
    }
  }

 private:
  int kind_;
};

struct EdgeRow {
  const char* name;
  Status::Code code;
  const char* message;  // found in the Status's message
  bool timed_out;       // TimedOutAt(status, "127.0.0.1:1")
};

const EdgeRow kEdgeRows[] = {
    {"DatabaseModifiedError", Status::Code::kModified, "the index changed", false},
    {"NetworkTimeoutError", Status::Code::kUnavailable, "no answer", true},
    // Hung up rather than timed out: reconnected at once, not kept down.
    {"NetworkError", Status::Code::kUnavailable, "hung up", false},
    {"DatabaseCorruptError", Status::Code::kCorruption, "bad block", false},
    {"InvalidArgumentError", Status::Code::kInternal, "a bug", false},
};

TEST(QueryBuilderXapianEdge, AThrowingVocabularyIsAStatusNeverAnException) {
  for (int kind = 0; kind < static_cast<int>(std::size(kEdgeRows)); ++kind) {
    const EdgeRow& row = kEdgeRows[kind];
    SCOPED_TRACE(row.name);
    ThrowingVocabulary vocabulary(kind);
    QueryBuilder builder(testing::SharedAnalyzer(), vocabulary, QueryWeights{});
    // A wildcard walks the vocabulary; "Regierung" alone would not (its
    // typed-spelling tier needs a document count, which this one lacks).
    auto parsed = ParseQuery("Regier*", ParseMode::kLenient, {});
    ASSERT_TRUE(parsed.ok());
    Result<BuiltQuery> built(Status::Internal("not built"));
    EXPECT_NO_THROW(built = builder.Build(*parsed->root, {}));
    ASSERT_FALSE(built.ok());
    EXPECT_EQ(built.status().code(), row.code) << built.status().ToString();
    EXPECT_NE(built.status().message().find(row.message), std::string::npos)
        << built.status().message();
    EXPECT_EQ(TimedOutAt(built.status(), "127.0.0.1:1"), row.timed_out);
    // Another remote (a port that only starts alike) did not time out.
    EXPECT_FALSE(TimedOutAt(built.status(), "127.0.0.1:10"));
  }
  // A word with no wildcard never walks the vocabulary: no failure to report.
  ThrowingVocabulary vocabulary(0);
  QueryBuilder builder(testing::SharedAnalyzer(), vocabulary, QueryWeights{});
  auto parsed = ParseQuery("Regierung", ParseMode::kLenient, {});
  ASSERT_TRUE(parsed.ok());
  auto built = builder.Build(*parsed->root, {});
  EXPECT_TRUE(built.ok()) << built.status().ToString();
}

}  // namespace
}  // namespace findling
