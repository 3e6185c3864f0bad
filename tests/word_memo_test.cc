// WordMemo: a bounded table from a word form to its analysis. And the
// Analyzer that uses it: a word analysed a second time (from the memo) gives
// the tokens of its first analysis, at its own positions and offsets.
#include "common/word_memo.h"

#include <gtest/gtest.h>

#include <string>

#include "common/analyzer.h"
#include "tests/test_util.h"

namespace findling {
namespace {

WordAnalysis Stemmed(std::string stem) {
  WordAnalysis a;
  a.stem = std::move(stem);
  return a;
}

TEST(WordMemo, FindsWhatWasInsertedAndNothingElse) {
  WordMemo memo(8);
  WordAnalysis compound = Stemmed("sprachmodell");
  compound.parts = {{0, 6, "sprach"}, {6, 12, "modell"}};
  memo.Insert("sprachmodell", compound);
  memo.Insert("und", [] {
    WordAnalysis a = Stemmed("und");
    a.is_stopword = true;
    return a;
  }());
  memo.Insert("ressourcenbeschränkungen", Stemmed("ressourcenbeschrank"));  // longer than SSO

  const WordAnalysis* found = memo.Find("sprachmodell");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->stem, "sprachmodell");
  ASSERT_EQ(found->parts.size(), 2u);
  EXPECT_EQ(found->parts[1].stem, "modell");
  EXPECT_EQ(found->parts[1].begin, 6u);
  ASSERT_NE(memo.Find("und"), nullptr);
  EXPECT_TRUE(memo.Find("und")->is_stopword);
  ASSERT_NE(memo.Find("ressourcenbeschränkungen"), nullptr);
  EXPECT_EQ(memo.Find("ressourcenbeschränkungen")->stem, "ressourcenbeschrank");

  // Non-matches: other forms, prefixes and case variants of recorded forms.
  for (const char* other : {"sprachmodelle", "sprach", "Und", "", "ressourcenbeschränkung"}) {
    EXPECT_EQ(memo.Find(other), nullptr) << other;
  }
}

TEST(WordMemo, ForgetsEverythingWhenFullAndStaysUsable) {
  WordMemo memo(4);
  ASSERT_EQ(memo.capacity(), 4u);
  const char* forms[] = {"haus", "häuser", "straße", "strasse"};
  for (const char* form : forms) memo.Insert(form, Stemmed(form));
  EXPECT_EQ(memo.size(), 4u);
  for (const char* form : forms) EXPECT_NE(memo.Find(form), nullptr) << form;

  memo.Insert("baum", Stemmed("baum"));  // the fifth: the memo starts again
  EXPECT_EQ(memo.size(), 1u);
  EXPECT_NE(memo.Find("baum"), nullptr);
  for (const char* form : forms) EXPECT_EQ(memo.Find(form), nullptr) << form;
  memo.Insert("haus", Stemmed("haus"));
  ASSERT_NE(memo.Find("haus"), nullptr);
  EXPECT_EQ(memo.Find("haus")->stem, "haus");
}

TEST(WordMemo, ManyFormsStayApart) {
  WordMemo memo(1 << 12);
  for (int i = 0; i < 4000; ++i) {
    const std::string form = "wort" + std::to_string(i);
    memo.Insert(form, Stemmed("stamm" + std::to_string(i)));
  }
  for (int i = 0; i < 4000; ++i) {
    const WordAnalysis* found = memo.Find("wort" + std::to_string(i));
    ASSERT_NE(found, nullptr) << i;
    EXPECT_EQ(found->stem, "stamm" + std::to_string(i));
  }
  EXPECT_EQ(memo.Find("wort4000"), nullptr);
}

// The same words written twice, the second time with other case or another
// Unicode spelling of the same form: the second analysis comes from the memo
// and must be the first one's, moved to where the second one stands.
struct RepeatRow {
  const char* name;
  const char* first;
  const char* second;
};

class MemoisedAnalysis : public ::testing::TestWithParam<RepeatRow> {};

TEST_P(MemoisedAnalysis, SecondOccurrenceMatchesAFreshAnalysis) {
  if (!testing::HaveLexicon()) GTEST_SKIP() << "no lexicon at " << testing::LexiconPath();
  const RepeatRow& row = GetParam();
  AnalyzerOptions o;
  o.lexicon_path = testing::LexiconPath();
  auto warm = std::move(Analyzer::Create(o)).value();
  auto fresh = std::move(Analyzer::Create(o)).value();
  const std::string text = std::string(row.first) + " " + row.second;
  const std::vector<Token> both = warm->Analyze(text, AnalysisMode::kDocument);
  // The second text alone, analysed cold, then moved to where it stands in `text`.
  const std::uint32_t offset = static_cast<std::uint32_t>(std::string(row.first).size() + 1);
  const std::vector<Token> first = fresh->Analyze(row.first, AnalysisMode::kDocument);
  auto cold = std::move(Analyzer::Create(o)).value();
  std::uint32_t next = 0;
  for (const Token& t : first) next = std::max(next, t.position + t.position_length);
  std::vector<Token> expected = first;
  for (Token t : cold->Analyze(row.second, AnalysisMode::kDocument, next)) {
    t.start += offset;
    t.end += offset;
    expected.push_back(std::move(t));
  }
  ASSERT_EQ(both.size(), expected.size()) << testing::Dump(text, both);
  for (std::size_t i = 0; i < both.size(); ++i) {
    EXPECT_EQ(DebugString(both[i]), DebugString(expected[i])) << i;
  }
}

const RepeatRow kRepeatRows[] = {
    {"Compound", "Sprachmodell", "Sprachmodell"},
    {"CompoundInCapitals", "Sprachmodell", "SPRACHMODELL"},
    // Composed ü (one code point) and u + combining diaeresis (two): the same
    // form, but the parts' offsets in the text differ.
    {"DecomposedUmlaut", "Kündigungsfrist", "Ku\u0308ndigungsfrist"},
    {"LinkingS", "Arbeitsmarkt Arbeitsmarkt", "Arbeitsmarkt"},
    {"VowelS", "Afrikas Chaos", "Afrikas Chaos"},
    {"StopWordsAndNumbers", "und 2024 die", "Und 2024 DIE"},
    {"HyphenGroup", "KI-Chip-Beschränkungen", "KI-Chip-Beschränkungen"},
};

INSTANTIATE_TEST_SUITE_P(Rows, MemoisedAnalysis, ::testing::ValuesIn(kRepeatRows),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace findling
