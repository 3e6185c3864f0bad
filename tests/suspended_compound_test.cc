// Suspended compounds (Ergänzungsstrich): "Privatpersonen und
// -organisationen" means Privatorganisationen, "Ein- und Ausfuhr" means
// Einfuhr. First what common/suspended_compound.h completes from the
// lexicon's parts, then what a search finds: the document that says the
// completed compound ranks above one that has only the piece, and a
// document with neither is never found.
#include "common/suspended_compound.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

#include "searcher/searcher.h"
#include "tests/test_index.h"
#include "tests/test_util.h"

namespace findling {
namespace {

struct CompletionRow {
  const char* name;
  const char* piece;
  SuspendedSide side;
  const char* partner;
  const char* completed;  // "" when the partner gives nothing to complete from
};

const CompletionRow kCompletionRows[] = {
    // The last part of the partner replaced: "-organisationen".
    {"PrivatOrganisationen", "-organisationen", SuspendedSide::kFront, "Privatpersonen",
     "Privatorganisationen"},
    {"StaatsAnwaeltinnen", "-anwältinnen", SuspendedSide::kFront, "Staatsanwälte",
     "Staatsanwältinnen"},
    // The first part replaced, its linking element with it: "Bundes-".
    {"BundesRecht", "Bundes-", SuspendedSide::kBack, "Landesrecht", "Bundesrecht"},
    {"KinderHilfe", "Kinder-,", SuspendedSide::kBack, "Familienhilfe", "Kinderhilfe"},
    {"TrockenZeit", "Trocken-", SuspendedSide::kBack, "Regenzeit", "Trockenzeit"},
    {"PartnerWithComma", "-vereine,", SuspendedSide::kFront, "Privatpersonen,", "Privatvereine"},
    // Nothing to complete from: no compound, a particle the lexicon does not
    // split (the query builder tries the index for those), two words.
    {"NoCompound", "-wahl", SuspendedSide::kFront, "Politik", ""},
    {"ParticleNotSplit", "Ein-", SuspendedSide::kBack, "Ausfuhr", ""},
    {"TwoWords", "-chips", SuspendedSide::kFront, "KI-Chips", ""},
    {"NotSuspended", "organisationen", SuspendedSide::kNone, "Privatpersonen", ""},
};

class CompletionTable : public ::testing::TestWithParam<CompletionRow> {};

TEST_P(CompletionTable, CompletesFromTheLexiconsParts) {
  if (!testing::HaveLexicon()) GTEST_SKIP() << "no lexicon at " << testing::LexiconPath();
  const CompletionRow& row = GetParam();
  EXPECT_EQ(CompleteSuspendedCompound(testing::SharedAnalyzer(), row.piece, row.side, row.partner),
            row.completed);
}

INSTANTIATE_TEST_SUITE_P(German, CompletionTable, ::testing::ValuesIn(kCompletionRows),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(SuspensionConjunction, ListWordsOnlyInLowerCase) {
  for (const char* w : {"und", "oder", "sowie", "bzw.", "beziehungsweise", "respektive", "bis"}) {
    EXPECT_TRUE(IsSuspensionConjunction(w)) << w;
  }
  // UND/ODER are the query's operators; "wie" and "als" are mostly comparisons.
  for (const char* w : {"UND", "ODER", "Und", "wie", "als", "aber", "bzw"}) {
    EXPECT_FALSE(IsSuspensionConjunction(w)) << w;
  }
}

struct SearchRow {
  const char* name;
  const char* query;
  const char* first;  // ranks first ("": any order)
  const char* below;  // found, below `first` ("": nothing more to find)
  const char* never;  // never found
};

void PrintTo(const SearchRow& row, std::ostream* os) {
  *os << row.name << " `" << row.query << "`";
}
void PrintTo(const CompletionRow& row, std::ostream* os) { *os << row.name; }

// Each document says one thing; "Organisationen", "Ausfuhr" and the rest
// stand alone where a row needs a document with the piece only.
const std::vector<SourceDocument> kDocs = {
    {"privatorganisationen", "Schulen", "Viele Schulen werden von Privatorganisationen getragen."},
    {"organisationen", "Schulen", "Organisationen der Eltern beraten die Schulen."},
    {"einfuhr", "Zoll", "Die Einfuhr von Waffen ist streng geregelt."},
    {"ausfuhr", "Zoll", "Die Ausfuhr von Getreide stieg im Herbst."},
    {"bundesrecht", "Recht", "Bundesrecht bricht Landesrecht, sagt das Grundgesetz."},
    {"landesrecht", "Recht", "Im Landesrecht regelt jedes Land die Schulen selbst."},
    {"wahl", "Politik", "Die Wahl des Parlaments findet im Herbst statt."},
    {"politik", "Politik", "Politik ist die Kunst des Möglichen."},
    {"fuchs", "Natur", "Ein Fuchs jagt nachts im Wald nach Mäusen."},
};

const SearchRow kSearchRows[] = {
    // Without completion "-organisationen" is the word Organisationen, and
    // the parents' organisations would rank first.
    {"UndOrganisationen", "Privatpersonen und -organisationen", "privatorganisationen",
     "organisationen", "fuchs"},
    // Without completion "Ein-" is the stop word "ein": Einfuhr is not found.
    // The lexicon does not split "Ausfuhr"; "einfuhr" is taken because the
    // index has it.
    {"EinUndAusfuhr", "Ein- und Ausfuhr", "", "einfuhr", "fuchs"},
    {"EinOderAusfuhr", "Ein- oder Ausfuhr von Getreide", "ausfuhr", "einfuhr", "fuchs"},
    {"BundesUndLandesrecht", "Bundes- und Landesrecht", "bundesrecht", "landesrecht", "fuchs"},
    // A sign after a word with no conjunction still excludes.
    {"PolitikOhneWahl", "Politik -Wahl", "politik", "", "wahl"},
};

class SuspendedSearchTable : public ::testing::TestWithParam<SearchRow> {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    const Status built =
        testing::BuildTestIndex(dir_->path() + "/db", testing::SharedAnalyzer(), kDocs);
    ASSERT_TRUE(built.ok()) << built.ToString();
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  static std::vector<std::string> Ids(const std::string& query) {
    return testing::HitIds(testing::SearchHits(dir_->path() + "/db", query));
  }

  static testing::TempDir* dir_;
};

testing::TempDir* SuspendedSearchTable::dir_ = nullptr;

TEST_P(SuspendedSearchTable, CompletedCompoundRanksFirst) {
  if (!testing::HaveLexicon()) GTEST_SKIP() << "no lexicon at " << testing::LexiconPath();
  const SearchRow& row = GetParam();
  const std::vector<std::string> ids = Ids(row.query);
  ASSERT_FALSE(ids.empty()) << row.query;
  if (*row.first != '\0') {
    EXPECT_EQ(ids[0], row.first);
  }
  const auto rank = [&](const char* id) {
    return std::find(ids.begin(), ids.end(), id) - ids.begin();
  };
  if (*row.below != '\0') {
    EXPECT_LT(rank(row.below), static_cast<std::ptrdiff_t>(ids.size()))
        << row.below << " not found";
  }
  EXPECT_EQ(rank(row.never), static_cast<std::ptrdiff_t>(ids.size())) << row.never << " found";
}

INSTANTIATE_TEST_SUITE_P(German, SuspendedSearchTable, ::testing::ValuesIn(kSearchRows),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace findling
