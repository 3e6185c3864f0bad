// Features of benchmarks/ltr_features.h on a tiny index of German
// documents: each row is a query, a candidate and the values a reader can
// check by looking at the text (which content words it has, in the title or
// not, side by side or not), the matches beside the non-matches.
#include "benchmarks/ltr_features.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "tests/test_index.h"
#include "tests/test_util.h"

namespace findling::ltr {
namespace {

const std::vector<SourceDocument> kDocs = {
    {"hafen", "Der größte Hafen Deutschlands",
     "Der Hafen von Hamburg ist der größte Seehafen Deutschlands. Schiffe bringen Container."},
    {"stadt", "Hamburg",
     "Hamburg ist eine Stadt im Norden. Die Elbe fließt durch die Stadt, am Ufer liegt ein Hafen."},
    {"bremen", "Bremen", "Bremen hat einen Hafen an der Weser. Auch hier kommen Schiffe an."},
    {"wald", "Schwarzwald", "Im Schwarzwald wachsen Tannen. Der Feldberg ist der höchste Berg."},
};

std::size_t Index(const std::string& name) {
  const auto& names = FeatureNames();
  return static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin());
}

struct FeatureRow {
  const char* name;
  const char* query;
  const char* doc;  // the candidate whose row is checked
  std::map<std::string, double> expected;
};

const FeatureRow kRows[] = {
    // Both content words ("der" is a stop word and does not count), one in
    // the title ("Hafen" in one, "Hamburg" in the other), not side by side
    // as written ("Hafen von Hamburg" is no "Hafen Hamburg" phrase).
    {"BothWordsHafenDoc",
     "der Hafen Hamburg",
     "hafen",
     {{"coord", 1.0}, {"all_words", 1.0}, {"in_title", 0.5}, {"phrase", 0.0}}},
    {"BothWordsStadtDoc",
     "der Hafen Hamburg",
     "stadt",
     {{"coord", 1.0}, {"all_words", 1.0}, {"in_title", 0.5}, {"title_len", std::log1p(1.0)}}},
    // One word of two: Bremen has a Hafen but no Hamburg.
    {"OneWordOfTwo", "der Hafen Hamburg", "bremen", {{"coord", 0.5}, {"all_words", 0.0}}},
    // The query's words as a phrase, with the stop word between them.
    {"PhraseFound",
     "Hafen von Hamburg",
     "hafen",
     {{"coord", 1.0}, {"phrase", 1.0}, {"in_title", 0.5}}},
    {"PhraseNotFound", "Hafen von Hamburg", "stadt", {{"coord", 1.0}, {"phrase", 0.0}}},
    // A word only in the title: the title component is positive, the stem
    // component counts the body too.
    {"TitleWord", "Schwarzwald Tannen", "wald", {{"coord", 1.0}, {"in_title", 0.5}}},
};

class FeatureTable : public ::testing::TestWithParam<FeatureRow> {
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
  static testing::TempDir* dir_;
};
testing::TempDir* FeatureTable::dir_ = nullptr;

TEST_P(FeatureTable, ValuesAsTheTextSays) {
  const FeatureRow& row = GetParam();
  auto extractor = FeatureExtractor::Open(dir_->path() + "/db", {});
  ASSERT_TRUE(extractor.ok()) << extractor.status().ToString();
  auto x = extractor.value()->Extract(row.query, 10, 10);
  ASSERT_TRUE(x.ok()) << x.status().ToString();
  ASSERT_EQ(x->features.size(), x->ranked.size());
  EXPECT_EQ(std::count(x->ranked.begin(), x->ranked.end(), "wald") +
                std::count(x->ranked.begin(), x->ranked.end(), "hafen"),
            1)
      << "a query finds the Hafen documents or the Schwarzwald one, never both";
  const auto at = std::find(x->ranked.begin(), x->ranked.end(), row.doc);
  ASSERT_NE(at, x->ranked.end()) << row.doc << " not found";
  const std::vector<double>& f = x->features[static_cast<std::size_t>(at - x->ranked.begin())];
  ASSERT_EQ(f.size(), FeatureNames().size());
  for (const auto& [name, value] : row.expected) {
    ASSERT_LT(Index(name), f.size()) << name;
    EXPECT_NEAR(f[Index(name)], value, 1e-9) << name;
  }
  // Every candidate: the components are BM25 weights, never negative; the
  // rank feature falls down the list, 1 for the first hit.
  for (std::size_t c = 0; c < x->features.size(); ++c) {
    EXPECT_NEAR(x->features[c][Index("rank")], (10.0 - c) / 10.0, 1e-12);
    EXPECT_GT(x->features[c][Index("stem")], 0);
    EXPECT_GE(x->features[c][Index("doc_len")], std::log1p(5.0));
  }
}

INSTANTIATE_TEST_SUITE_P(LtrFeatures, FeatureTable, ::testing::ValuesIn(kRows),
                         [](const auto& info) { return std::string(info.param.name); });

// The title component is what the S: term adds: positive for the document
// with the word in its title, 0 for the one with it in the body only.
TEST(LtrFeatures, TitleComponentOnlyForTitleMatches) {
  testing::TempDir dir;
  ASSERT_TRUE(testing::BuildTestIndex(dir.path() + "/db", testing::SharedAnalyzer(), kDocs).ok());
  auto extractor = FeatureExtractor::Open(dir.path() + "/db", {});
  ASSERT_TRUE(extractor.ok()) << extractor.status().ToString();
  auto x = extractor.value()->Extract("Bremen", 10, 10);
  ASSERT_TRUE(x.ok()) << x.status().ToString();
  ASSERT_EQ(x->ranked, (std::vector<std::string>{"bremen"}));
  EXPECT_GT(x->features[0][Index("title")], 0);
  auto y = extractor.value()->Extract("Elbe", 10, 10);
  ASSERT_TRUE(y.ok()) << y.status().ToString();
  ASSERT_EQ(y->ranked, (std::vector<std::string>{"stadt"}));
  EXPECT_EQ(y->features[0][Index("title")], 0);
  EXPECT_EQ(y->features[0][Index("in_title")], 0);
  EXPECT_EQ(y->features[0][Index("coord")], 1);
}

}  // namespace
}  // namespace findling::ltr
