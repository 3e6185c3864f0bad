// A hyphenated query word whose pieces a document writes apart
// (QueryWeights::hyphen_pieces): "CPI-Maßstab" asked of a text that says
// "(CPI), einem Maßstab". Each row is a query and three documents: one with
// the word as the query writes it, one with all its pieces apart, one with
// only some of them. The written form always ranks first; the pieces apart
// are found below it with hyphen_pieces > 0 and not at all without; a
// document missing a piece is never found.
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "searcher/searcher.h"
#include "tests/test_index.h"
#include "tests/test_util.h"

namespace findling {
namespace {

struct PiecesRow {
  const char* name;
  const char* query;
  const char* written;  // the query word as written (or joined)
  const char* apart;    // every piece, not side by side
  const char* missing;  // some pieces only: never found
};

void PrintTo(const PiecesRow& row, std::ostream* os) { *os << row.query; }

const PiecesRow kRows[] = {
    // The xquad-de questions that found nothing, or not their paragraph,
    // before: the paragraph writes the pieces apart.
    {"CpiMassstab", "Was misst der CPI-Maßstab?",
     "Der CPI-Maßstab von Transparency International vergleicht die Länder.",
     "Kenia steht weit unten im Korruptionsindex (CPI), einem Maßstab für Bestechung.",
     "Ein neuer Maßstab für die Schulen des Landes."},
    // A compound after the hyphen: its parts count as pieces, so "Sport" and
    // "BSkyB-Portfolio" are all of "BSkyB-Sportportfolio".
    {"BskybSportportfolio", "Was gehörte zum BSkyB-Sportportfolio?",
     "Das BSkyB-Sportportfolio umfasst Fußball und Rugby.",
     "Kanäle mit Inhalten aus dem BSkyB-Portfolio, darunter Sport und Filme.",
     "Das Sportportfolio der Sender wächst jedes Jahr."},
    // The joined form in the document is the word as written.
    {"OelProduzent", "Öl-Produzent", "Saudi-Arabien ist der größte Ölproduzent der Erde.",
     "Russland fördert viel Öl und ist der größte Produzent von Erdgas.",
     "Der Produzent des Films lebt in Berlin."},
};

class PiecesTable : public ::testing::TestWithParam<PiecesRow> {
 protected:
  void SetUp() override {
    if (!testing::HaveLexicon()) GTEST_SKIP() << "no lexicon at " << testing::LexiconPath();
    const PiecesRow& row = GetParam();
    const std::vector<SourceDocument> docs = {
        {"written", "Bericht", row.written},
        {"apart", "Bericht", row.apart},
        {"missing", "Bericht", row.missing},
    };
    const Status built =
        testing::BuildTestIndex(dir_.path() + "/db", testing::SharedAnalyzer(), docs);
    ASSERT_TRUE(built.ok()) << built.ToString();
  }

  std::vector<std::string> Search(double hyphen_pieces) {
    SearcherOptions options;
    options.weights.hyphen_pieces = hyphen_pieces;
    return testing::HitIds(testing::SearchHits(dir_.path() + "/db", GetParam().query, options));
  }

  testing::TempDir dir_;
};

TEST_P(PiecesTable, PiecesApartRankBelowTheWrittenWord) {
  EXPECT_EQ(Search(SearcherOptions().weights.hyphen_pieces),
            (std::vector<std::string>{"written", "apart"}));
}

TEST_P(PiecesTable, WithoutTheFallbackOnlyTheWrittenWordMatches) {
  EXPECT_EQ(Search(0), std::vector<std::string>{"written"});
}

INSTANTIATE_TEST_SUITE_P(German, PiecesTable, ::testing::ValuesIn(kRows),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace findling
