// Speller: "did you mean" from the index vocabulary, table-driven. Each row
// is what a user typed, the spelling that must come first (or none), and a
// spelling that must not be offered; then whole queries; then an index that
// cannot be read, which must be a failure and not "no suggestion".
#include "searcher/speller.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "tests/test_index.h"
#include "tests/test_util.h"

namespace findling {
namespace {

const SourceDocument kDocs[] = {
    {"regierung", "Berlin", "Die Regierung plant eine Reform der Rente."},
    {"oesterreich", "Wahl", "In Österreich wird ein neues Parlament gewählt."},
    {"osterreiter", "Ostern", "Die Osterreiter ziehen durch das Dorf."},
    {"baecker", "Handwerk", "Der Bäcker backt Brot, die Bäckerei öffnet früh."},
    {"strasse", "Verkehr", "Die Straße wird im Sommer gesperrt."},
    {"haus", "Urlaub", "Das Haus am See ist ausgebucht."},
};

class SpellerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    const std::vector<SourceDocument> docs(std::begin(kDocs), std::end(kDocs));
    const Status built = testing::BuildTestIndex(Db(), testing::SharedAnalyzer(), docs);
    ASSERT_TRUE(built.ok()) << built.ToString();
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string Db() { return dir_->path() + "/db"; }

  void SetUp() override {
    db_ = Xapian::Database(Db());
    speller_ = std::make_unique<Speller>(db_, testing::SharedAnalyzer());
  }

  static testing::TempDir* dir_;
  Xapian::Database db_;
  std::unique_ptr<Speller> speller_;
};
testing::TempDir* SpellerTest::dir_ = nullptr;

struct WordRow {
  const char* typed;
  const char* first;  // the best spelling, "" for none
  const char* never;  // must not be among the suggestions ("" to skip)
};

const WordRow kWordRows[] = {
    {"Regirung", "regierung", "rente"},           // one letter left out
    {"Regierung", "", ""},                        // known: no other spelling is near
    {"Parlamant", "parlament", ""},               // one letter wrong
    {"Österreih", "österreich", "osterreich"},    // umlaut typed: never stripped
    {"Osterreich", "österreich", "osterreiter"},  // first letter's umlaut partner
    {"Backer", "bäcker", "bäckerei"},             // bäckerei is 3 edits away
    {"Strase", "straße", ""},                     // ß for s
    {"Hau", "haus", ""},                          // 3 letters: 1 edit
    {"Hxyz", "", "haus"},                         // 4 letters allow 1 edit; haus is 3
    {"Xy", "", ""},                               // too short to guess
    {"2024", "", ""},                             // numbers are not spelled
    {"Zebra", "", ""},                            // nothing near
};

TEST_F(SpellerTest, SuggestWord) {
  for (const WordRow& row : kWordRows) {
    SCOPED_TRACE(row.typed);
    auto suggested = speller_->SuggestWord(row.typed);
    ASSERT_TRUE(suggested.ok()) << suggested.status().ToString();
    const std::vector<std::string>& s = suggested.value();
    if (*row.first == '\0') {
      EXPECT_TRUE(s.empty()) << s.front();
    } else {
      ASSERT_FALSE(s.empty());
      EXPECT_EQ(s.front(), row.first);
    }
    if (*row.never != '\0') {
      EXPECT_EQ(std::count(s.begin(), s.end(), row.never), 0);
    }
  }
}

TEST_F(SpellerTest, SuggestWordKeepsAtMostMax) {
  auto one = speller_->SuggestWord("Osterreich", 1);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_EQ(one.value(), std::vector<std::string>{"österreich"});
}

struct QueryRow {
  const char* query;
  const char* suggestion;  // "" when nothing changes
};

const QueryRow kQueryRows[] = {
    {"Regirung Österreich", "Regierung Österreich"},  // only the unknown word, capitalised
    {"regirung", "regierung"},
    {"Die Regirung plant", "Die Regierung plant"},  // stop words and known words stay
    {"Regierungen", ""},                            // the stem is known: no suggestion
    {"\"Regirung plant\"", ""},                     // phrases are left as typed
    {"Regirung*", ""},                              // so are wildcards
    {"Zebra", ""},                                  // unknown, but nothing near
};

TEST_F(SpellerTest, SuggestQuery) {
  for (const QueryRow& row : kQueryRows) {
    SCOPED_TRACE(row.query);
    auto parsed = ParseQuery(row.query, ParseMode::kLenient, {});
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    auto suggested = speller_->SuggestQuery(row.query, *parsed->root);
    ASSERT_TRUE(suggested.ok()) << suggested.status().ToString();
    EXPECT_EQ(suggested.value(), row.suggestion);
  }
}

// A Xapian error is a Status naming the word, never an empty suggestion
// that looks like "nothing to suggest".
TEST_F(SpellerTest, AnUnreadableIndexIsAFailureNotSilence) {
  db_.close();
  auto word = speller_->SuggestWord("Regirung");
  ASSERT_FALSE(word.ok());
  EXPECT_EQ(word.status().code(), Status::Code::kIo);
  EXPECT_NE(word.status().message().find("\"Regirung\""), std::string::npos)
      << word.status().message();

  auto parsed = ParseQuery("Regirung", ParseMode::kLenient, {});
  ASSERT_TRUE(parsed.ok());
  auto query = speller_->SuggestQuery("Regirung", *parsed->root);
  ASSERT_FALSE(query.ok());
  EXPECT_EQ(query.status().code(), Status::Code::kIo);
  // Words too short to spell never touch the index, so they cannot fail.
  auto short_word = speller_->SuggestWord("Xy");
  ASSERT_TRUE(short_word.ok());
  EXPECT_TRUE(short_word->empty());
}

}  // namespace
}  // namespace findling
