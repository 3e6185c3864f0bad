// The spelling as typed ranks first (words and wildcards): german2 folds umlauts and ß, so
// "fördern"/"fordern", "Bär"/"Bar", "Maße"/"Masse" and "Mütter"/"Mutter"
// share a stem. Each row is a query, the documents that have the word as
// typed (inflected or not), which must fill the top of the list, the
// documents that have it only in the other spelling, which must be found
// below them, and documents that must not be found at all. The other
// spelling is the more frequent one in its documents, so term frequency
// alone would rank it first.
#include <gtest/gtest.h>

#include <algorithm>
#include <span>

#include "searcher/searcher.h"
#include "tests/test_index.h"
#include "tests/test_util.h"

namespace findling {
namespace {

struct Doc {
  const char* id;
  const char* title;
  const char* text;
};

const Doc kDocs[] = {
    {"foerdern-einmal", "Stiftung", "Die Stiftung will junge Talente in der Region fördern."},
    {"fordern-oft", "Tarifrunde",
     "Die Gewerkschaften fordern mehr Lohn. Sie fordern es laut, sie fordern es jedes Jahr."},
    {"fordern-einmal", "Streik", "Die Streikenden fordern kürzere Schichten im Hafen."},
    {"foerdern-oft", "Energie",
     "Die Länder fördern Solarstrom. Sie fördern Speicher und fördern Netze."},
    {"baer-einmal", "Wald", "Ein Bär wurde im Wald gesehen."},
    {"baeren-einmal", "Zoo", "Im Zoo leben zwei junge Bären."},
    {"bar-oft", "Hafen",
     "Die Bar am Hafen ist neu. In der Bar spielt eine Band, und die Bar schließt spät."},
    {"masse-oft", "Sonne",
     "Die Masse der Sonne ist groß. Ihre Masse bestimmt die Bahnen, Masse zieht Masse an."},
    {"masse-einmal", "Physik", "Kraft ist Masse mal Beschleunigung."},
    {"masze-einmal", "Möbel", "Die Maße des Schranks passen in die Nische."},
    {"muetter-oft", "Familie",
     "Viele Mütter arbeiten. Mütter in Teilzeit und Mütter mit kleinen Kindern."},
    {"mutter-einmal", "Brief", "Die Mutter schrieb einen langen Brief."},
    {"fuchs", "Wald", "Der Fuchs jagt nachts im Wald."},
    {"buch", "Lesen", "Das Buch liegt auf dem Tisch."},
    {"buecher", "Regal", "Alte Bücher stehen im Regal, Bücher über Bücher."},
    {"strasse-sz", "Verkehr", "Die Straße ist im Sommer gesperrt."},
    {"mueller-umlaut", "Interview", "Karin Müller leitet die Sitzung."},
    {"mueller-ascii", "Zürich", "Reto Mueller führt ein Geschäft."},
};

void WriteIndex(const std::string& path) {
  std::vector<SourceDocument> source;
  for (const Doc& d : kDocs) source.push_back({d.id, d.title, d.text});
  const Status built = testing::BuildTestIndex(path, testing::SharedAnalyzer(), source);
  ASSERT_TRUE(built.ok()) << built.ToString();
}

struct SpellingRow {
  const char* name;
  const char* query;
  std::vector<std::string> typed;   // the first hits, in any order
  std::vector<std::string> folded;  // found, after all of `typed`
  std::vector<std::string> absent;  // never found
  // Without the tier a folded match ranks above a typed one (false where
  // the exact-form boost alone already puts the typed spelling first).
  bool frequency_wins = true;
};

class SpellingTable : public ::testing::TestWithParam<SpellingRow> {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    ASSERT_NO_FATAL_FAILURE(WriteIndex(dir_->path() + "/db"));
    for (bool typed_first : {true, false}) {
      SearcherOptions options;
      options.weights.typed_spelling_first = typed_first;
      auto searcher = Searcher::Open({dir_->path() + "/db"}, options);
      ASSERT_TRUE(searcher.ok()) << searcher.status().ToString();
      (typed_first ? searcher_ : folded_only_) = std::move(searcher).value().release();
    }
  }
  static void TearDownTestSuite() {
    delete searcher_;
    delete folded_only_;
    delete dir_;
  }
  static std::vector<std::string> Ids(Searcher& searcher, const std::string& query) {
    SearchRequest r;
    r.query = query;
    r.limit = 20;
    auto response = searcher.Search(r);
    EXPECT_TRUE(response.ok()) << query << ": " << response.status().ToString();
    std::vector<std::string> ids;
    if (response.ok()) {
      for (const Hit& h : response->hits) ids.push_back(h.id);
    }
    return ids;
  }

  static testing::TempDir* dir_;
  static Searcher* searcher_;
  static Searcher* folded_only_;  // the tier switched off
};
testing::TempDir* SpellingTable::dir_ = nullptr;
Searcher* SpellingTable::searcher_ = nullptr;
Searcher* SpellingTable::folded_only_ = nullptr;

std::ptrdiff_t RankOf(const std::vector<std::string>& ids, const std::string& id) {
  const auto it = std::find(ids.begin(), ids.end(), id);
  return it == ids.end() ? -1 : it - ids.begin();
}

TEST_P(SpellingTable, TypedSpellingFirst) {
  const SpellingRow& row = GetParam();
  const auto ids = Ids(*searcher_, row.query);
  SCOPED_TRACE(::testing::PrintToString(ids));
  ASSERT_EQ(ids.size(), row.typed.size() + row.folded.size());
  for (const auto& id : row.typed) {
    const auto rank = RankOf(ids, id);
    EXPECT_GE(rank, 0) << id << " missing";
    EXPECT_LT(rank, static_cast<std::ptrdiff_t>(row.typed.size())) << id << " below a folded match";
  }
  for (const auto& id : row.folded) {
    EXPECT_GE(RankOf(ids, id), static_cast<std::ptrdiff_t>(row.typed.size())) << id;
  }
  for (const auto& id : row.absent) EXPECT_EQ(RankOf(ids, id), -1) << id << " found";
}

// Without the tier the same documents match, and term frequency puts a
// folded match above a typed one: what the tier is there to change.
TEST_P(SpellingTable, WithoutTheTierFrequencyWins) {
  const SpellingRow& row = GetParam();
  if (!row.frequency_wins) GTEST_SKIP() << "the exact-form boost suffices here";
  const auto ids = Ids(*folded_only_, row.query);
  SCOPED_TRACE(::testing::PrintToString(ids));
  ASSERT_EQ(ids.size(), row.typed.size() + row.folded.size());
  std::ptrdiff_t best_folded = static_cast<std::ptrdiff_t>(ids.size());
  std::ptrdiff_t worst_typed = -1;
  for (const auto& id : row.folded) best_folded = std::min(best_folded, RankOf(ids, id));
  for (const auto& id : row.typed) worst_typed = std::max(worst_typed, RankOf(ids, id));
  EXPECT_LT(best_folded, worst_typed);
}

const SpellingRow kRows[] = {
    {"FoerdernTyped",
     "fördern",
     {"foerdern-einmal", "foerdern-oft"},
     {"fordern-oft", "fordern-einmal"},
     {"fuchs", "bar-oft"},
     false},
    {"FordernTyped",
     "fordern",
     {"fordern-oft", "fordern-einmal"},
     {"foerdern-einmal", "foerdern-oft"},
     {"fuchs"},
     false},
    // Inflection is not another spelling: "Bären" is "Bär" typed.
    {"BaerTyped", "Bär", {"baer-einmal", "baeren-einmal"}, {"bar-oft"}, {"fuchs"}},
    {"MasseTyped", "Maße", {"masze-einmal"}, {"masse-oft", "masse-einmal"}, {"fuchs"}},
    {"MutterTyped", "Mutter", {"mutter-einmal"}, {"muetter-oft"}, {"fuchs", "foerdern-oft"}},
    // A stop word aside, the query is still one word.
    {"BaerAfterStopWord", "der Bär", {"baer-einmal", "baeren-einmal"}, {"bar-oft"}, {"fuchs"}},
    // Wildcards fold like words; the prefix as typed ranks first.
    {"PrefixBuch", "Buch*", {"buch"}, {"buecher"}, {"fuchs", "bar-oft"}, false},
    {"PrefixStrass", "Strass*", {}, {"strasse-sz"}, {"fuchs"}, false},
    {"PrefixMuell", "Müll*", {"mueller-umlaut"}, {"mueller-ascii"}, {"fuchs"}, false},
    {"PrefixMuellAscii", "Muell*", {"mueller-ascii"}, {"mueller-umlaut"}, {"fuchs"}, false},
};

INSTANTIATE_TEST_SUITE_P(Spelling, SpellingTable, ::testing::ValuesIn(kRows),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace findling
