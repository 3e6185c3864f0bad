// The coordinate-ascent trainer of benchmarks/learned_ranking.h on small
// hand-made tables: two features per candidate, the default-rank feature
// (1, 0.75, 0.5, 0.25 down the default ranking) and one other ("title":
// 1 when the candidate's title has the query word). The trainer starts from
// the vector that reproduces the default ranking; where the relevant
// document sits lower in the default ranking but has the feature, it must
// learn to lift it, and where the default already ranks it first it must
// leave the vector, and so the ranking, as it is.
#include "benchmarks/learned_ranking.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace findling::ltr {
namespace {

constexpr double kRank[] = {1.0, 0.75, 0.5, 0.25};

// One query: four candidates in default order, `title` per candidate, the
// relevant one at `relevant` (0-based default position).
RankingSample Query(const std::vector<double>& title, std::size_t relevant) {
  RankingSample s;
  for (std::size_t c = 0; c < title.size(); ++c) {
    s.features.push_back({kRank[c], title[c]});
    s.grades.push_back(c == relevant ? 1 : 0);
  }
  return s;
}

const Weights kDefault = {1.0, 0.0};

std::vector<const RankingSample*> Pointers(const std::vector<RankingSample>& samples) {
  std::vector<const RankingSample*> out;
  for (const RankingSample& s : samples) out.push_back(&s);
  return out;
}

double Mrr(const std::vector<RankingSample>& samples, const Weights& w) {
  double sum = 0;
  for (const RankingSample& s : samples) sum += ReciprocalRankAt10(s, w);
  return sum / static_cast<double>(samples.size());
}

struct TableRow {
  const char* name;
  std::vector<RankingSample> queries;
  double default_mrr;  // the default vector's MRR@10 on the table
  double learned_mrr;  // what the trainer must reach
  bool changes;        // whether the vector may move at all
};

std::vector<TableRow> Rows() {
  return {
      // "Hauptstadt Frankreich": the article "Paris" (title match) sits
      // third behind two long articles that mention both words often; a
      // second query the same way at rank 2. The title feature lifts both.
      {"TitleLiftsTheArticle",
       {Query({0, 0, 1, 0}, 2), Query({0, 1, 0, 0}, 1)},
       (1.0 / 3 + 1.0 / 2) / 2,
       1.0,
       true},
      // The default ranks the relevant document first in every query; a
      // title match elsewhere (non-matches beside the matches) must not
      // tempt it: any move that lifts them costs the first place.
      {"DefaultAlreadyBest",
       {Query({0, 1, 0, 0}, 0), Query({1, 0, 0, 1}, 0), Query({0, 0, 1, 1}, 0)},
       1.0,
       1.0,
       false},
      // The feature says nothing (title in the relevant and a non-relevant
      // document alike, above and below): no move gains, the vector stays.
      {"UselessFeatureIgnored",
       {Query({1, 1, 0, 0}, 1), Query({1, 1, 0, 0}, 0)},
       (1.0 / 2 + 1.0) / 2,
       (1.0 / 2 + 1.0) / 2,
       false},
  };
}

class TrainerTable : public ::testing::TestWithParam<TableRow> {};

TEST_P(TrainerTable, LearnsWhereItPaysAndOnlyThere) {
  const TableRow& row = GetParam();
  EXPECT_NEAR(Mrr(row.queries, kDefault), row.default_mrr, 1e-12);
  const Weights learned = TrainCoordinateAscent(Pointers(row.queries), kDefault, {});
  EXPECT_NEAR(Mrr(row.queries, learned), row.learned_mrr, 1e-12);
  if (!row.changes) {
    EXPECT_EQ(learned, kDefault);
    for (const RankingSample& q : row.queries) {
      EXPECT_EQ(Rerank(q, learned), (std::vector<std::size_t>{0, 1, 2, 3}));
    }
  } else {
    EXPECT_NE(learned, kDefault);
    EXPECT_GT(learned[1], 0) << "the title feature must count for, not against";
  }
}

INSTANTIATE_TEST_SUITE_P(LearnedRanking, TrainerTable, ::testing::ValuesIn(Rows()),
                         [](const auto& info) { return std::string(info.param.name); });

// A weight that may not move stays at its start, even where moving it pays:
// the title feature frozen, the table that needs it keeps the default.
TEST(TrainCoordinateAscent, FrozenWeightsStay) {
  const std::vector<RankingSample> queries = {Query({0, 0, 1, 0}, 2), Query({0, 1, 0, 0}, 1)};
  TrainOptions options;
  options.movable = {true, false};
  EXPECT_EQ(TrainCoordinateAscent(Pointers(queries), kDefault, options), kDefault);
  options.movable = {false, true};
  EXPECT_NEAR(Mrr(queries, TrainCoordinateAscent(Pointers(queries), kDefault, options)), 1.0,
              1e-12);
}

TEST(Rerank, EqualScoresKeepTheDefaultOrder) {
  const RankingSample q = Query({1, 1, 1, 1}, 3);
  EXPECT_EQ(Rerank(q, {0.0, 0.0}), (std::vector<std::size_t>{0, 1, 2, 3}));
  EXPECT_EQ(Rerank(q, {0.0, 1.0}), (std::vector<std::size_t>{0, 1, 2, 3}));
  EXPECT_EQ(Rerank(q, {-1.0, 0.0}), (std::vector<std::size_t>{3, 2, 1, 0}));
  EXPECT_DOUBLE_EQ(ReciprocalRankAt10(q, {-1.0, 0.0}), 1.0);
  EXPECT_DOUBLE_EQ(ReciprocalRankAt10(q, kDefault), 0.25);
}

TEST(NormalizePerQuery, EachColumnByItsLargestValue) {
  RankingSample s;
  s.features = {{12.0, 0.0, -2.0}, {6.0, 0.0, 1.0}};
  s.grades = {0, 1};
  NormalizePerQuery(s);
  EXPECT_EQ(s.features, (std::vector<std::vector<double>>{{1.0, 0.0, -1.0}, {0.5, 0.0, 0.5}}));
}

// Cross-validation: a held-out fold is re-ranked by a vector trained on the
// others only. Twenty queries where the title feature lifts the relevant
// document from rank 3 to 1; every fold learns it from the other folds, so
// every held-out query gets it first, and the ranks after the K candidates
// stay as the default had them.
TEST(CrossValidate, HeldOutFoldsUseVectorsTrainedOnTheOthers) {
  std::vector<QueryCandidates> queries;
  eval::Qrels qrels;
  for (int i = 0; i < 20; ++i) {
    const std::string id = "q" + std::to_string(i);
    QueryCandidates q{id, {"a" + id, "b" + id, "c" + id, "d" + id, "e" + id}, {}};
    for (std::size_t c = 0; c < 4; ++c) q.features.push_back({kRank[c], c == 2 ? 1.0 : 0.0});
    qrels[id]["c" + id] = 1;
    queries.push_back(q);
  }
  auto cv = CrossValidate(queries, qrels, kDefault, 5, 1, {});
  ASSERT_TRUE(cv.ok()) << cv.status().ToString();
  ASSERT_EQ(cv->fold_weights.size(), 5u);
  for (const QueryCandidates& q : queries) {
    const std::vector<std::string>& learned = cv->learned.at(q.query_id);
    ASSERT_EQ(learned.size(), 5u);
    EXPECT_EQ(learned[0], "c" + q.query_id);
    EXPECT_EQ(learned[4], "e" + q.query_id) << "beyond the candidates the default order stays";
    EXPECT_EQ(cv->baseline.at(q.query_id), q.ranked);
  }
  // A row of the wrong length is refused, naming the query.
  queries[3].features[1].push_back(0);
  auto bad = CrossValidate(queries, qrels, kDefault, 5, 1, {});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("q3"), std::string::npos);
}

}  // namespace
}  // namespace findling::ltr
