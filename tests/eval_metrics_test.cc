// The relevance metrics against hand-computed values, the loaders against
// small files, and a check on the real evaluation sets when ../shared exists.
#include "benchmarks/eval_metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/test_util.h"

namespace findling::eval {
namespace {

using findling::testing::TempDir;

// One query with relevant documents a (grade 1) and b (grade 2), and c
// judged not relevant (grade 0).
const std::map<std::string, int> kJudged = {{"a", 1}, {"b", 2}, {"c", 0}};

// --- Reciprocal rank: the first relevant hit within k, grades ignored ---

TEST(ReciprocalRank, FirstRelevantHitCounts) {
  EXPECT_DOUBLE_EQ(ReciprocalRankAt({"a", "b"}, kJudged, 10), 1.0);
  EXPECT_DOUBLE_EQ(ReciprocalRankAt({"x", "c", "b", "a"}, kJudged, 10), 1.0 / 3);
}

TEST(ReciprocalRank, JudgedNotRelevantAndUnjudgedDoNotCount) {
  EXPECT_DOUBLE_EQ(ReciprocalRankAt({"c", "x", "y"}, kJudged, 10), 0.0);
}

TEST(ReciprocalRank, CutAtK) {
  std::vector<std::string> ranked(10, "x");
  ranked.push_back("a");  // rank 11
  EXPECT_DOUBLE_EQ(ReciprocalRankAt(ranked, kJudged, 10), 0.0);
  EXPECT_DOUBLE_EQ(ReciprocalRankAt(ranked, kJudged, 11), 1.0 / 11);
  EXPECT_DOUBLE_EQ(ReciprocalRankAt({}, kJudged, 10), 0.0);
}

// --- nDCG: linear gain (the grade), log2(rank + 1) discount, as trec_eval ---

TEST(Ndcg, IdealOrderIsOne) { EXPECT_DOUBLE_EQ(NdcgAt({"b", "a", "c"}, kJudged, 10), 1.0); }

TEST(Ndcg, SwappedOrderByHand) {
  // DCG = 1/log2(2) + 2/log2(3) = 1 + 1.26186 = 2.26186
  // IDCG = 2/log2(2) + 1/log2(3) = 2 + 0.63093 = 2.63093
  const double expected = (1.0 + 2.0 / std::log2(3.0)) / (2.0 + 1.0 / std::log2(3.0));
  EXPECT_NEAR(NdcgAt({"a", "b"}, kJudged, 10), expected, 1e-12);
  EXPECT_NEAR(expected, 0.85972, 1e-5);
}

TEST(Ndcg, OneRelevantDocumentAtRankThree) {
  // A single relevant document at rank 3: 1 / log2(4) = 0.5.
  EXPECT_DOUBLE_EQ(NdcgAt({"x", "y", "a"}, {{"a", 1}}, 10), 0.5);
}

TEST(Ndcg, CutAtKOnBothSides) {
  // k = 1: DCG = 1 (a), IDCG = 2 (b alone fits): 0.5.
  EXPECT_DOUBLE_EQ(NdcgAt({"a", "b"}, kJudged, 1), 0.5);
  EXPECT_DOUBLE_EQ(NdcgAt({"x"}, kJudged, 1), 0.0);
}

TEST(Ndcg, DuplicateHitGainsOnce) { EXPECT_DOUBLE_EQ(NdcgAt({"a", "a"}, {{"a", 1}}, 10), 1.0); }

// --- Recall: relevant found within k / all relevant ---

TEST(Recall, ByHand) {
  EXPECT_DOUBLE_EQ(RecallAt({"a", "x", "b"}, kJudged, 2), 0.5);
  EXPECT_DOUBLE_EQ(RecallAt({"a", "x", "b"}, kJudged, 3), 1.0);
  EXPECT_DOUBLE_EQ(RecallAt({"c"}, kJudged, 10), 0.0);
  EXPECT_DOUBLE_EQ(RecallAt({"a", "a"}, kJudged, 10), 0.5);  // duplicates count once
  EXPECT_DOUBLE_EQ(RecallAt({"a"}, {{"a", 0}}, 10), 0.0);    // nothing relevant to find
}

// --- Evaluate: averages over judged queries; unanswered ones count 0 ---

TEST(Evaluate, AveragesOverQueriesWithARelevantDocument) {
  const Qrels qrels = {
      {"q1", {{"d1", 1}}},
      {"q2", {{"d2", 1}}},
      {"q3", {{"d3", 1}}},  // not in the run: counts as 0
      {"q4", {{"d4", 0}}},  // no relevant document: not averaged
  };
  const eval::Run run = {{"q1", {"d1"}}, {"q2", {"x", "d2"}}, {"q4", {"d4"}}, {"q9", {"d1"}}};
  const Scores s = Evaluate(qrels, run);
  EXPECT_EQ(s.queries, 3u);
  EXPECT_EQ(s.unanswered, 1u);
  EXPECT_DOUBLE_EQ(s.mrr10, (1.0 + 0.5 + 0.0) / 3);
  EXPECT_DOUBLE_EQ(s.ndcg10, (1.0 + 1.0 / std::log2(3.0)) / 3);
  EXPECT_DOUBLE_EQ(s.recall10, 2.0 / 3);
  EXPECT_DOUBLE_EQ(s.recall100, 2.0 / 3);
}

// --- Loaders ---

TEST(LoadQrels, ReadsBeirTsvWithHeaderAndTrecFormat) {
  TempDir dir;
  auto beir = LoadQrels(dir.File("q.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td2\t0\n"));
  ASSERT_TRUE(beir.ok()) << beir.status().ToString();
  EXPECT_EQ(beir->at("q1").at("d1"), 1);
  EXPECT_EQ(beir->at("q1").at("d2"), 0);
  auto trec = LoadQrels(dir.File("q.trec", "q1 0 d1 2\r\n\nq2 0 d9 1\n"));
  ASSERT_TRUE(trec.ok()) << trec.status().ToString();
  EXPECT_EQ(trec->at("q1").at("d1"), 2);
  EXPECT_EQ(trec->size(), 2u);
}

TEST(LoadQrels, BadLineNamesFileAndLine) {
  TempDir dir;
  const std::string path = dir.File("bad.tsv", "q1\td1\t1\nq2\td2\tmaybe\n");
  auto r = LoadQrels(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidInput);
  EXPECT_NE(r.status().message().find(path + ":2"), std::string::npos) << r.status().message();
  EXPECT_EQ(LoadQrels(dir.path() + "/missing.tsv").status().code(), Status::Code::kNotFound);
}

TEST(LoadQueries, ReadsIdAndTextInOrder) {
  TempDir dir;
  auto q = LoadQueries(dir.File("q.jsonl",
                                "{\"_id\": \"k2\", \"text\": \"Wer baute das Riesenrad?\"}\n"
                                "{\"id\": \"k1\", \"text\": \"Mundart\"}\n"));
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  ASSERT_EQ(q->size(), 2u);
  EXPECT_EQ(q.value()[0].id, "k2");
  EXPECT_EQ(q.value()[0].text, "Wer baute das Riesenrad?");
  EXPECT_EQ(q.value()[1].id, "k1");
  auto bad = LoadQueries(dir.File("bad.jsonl", "{\"_id\": \"k\"}\n"));
  EXPECT_EQ(bad.status().code(), Status::Code::kInvalidInput);
}

TEST(LoadRun, OrdersByScoreThenDocumentIdDescendingLikeTrecEval) {
  TempDir dir;
  auto run = LoadRun(dir.File("r.run",
                              "q1 Q0 a 1 0.5 t\n"
                              "q1 Q0 b 2 0.9 t\n"
                              "q1 Q0 c 3 0.5 t\n"  // ties with a: "c" > "a" comes first
                              "q1 Q0 b 4 0.1 t\n"  // listed twice: its best score counts
                              "q2\tQ0\tz\t1\t1e-3\n"));
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->at("q1"), (std::vector<std::string>{"b", "c", "a"}));
  EXPECT_EQ(run->at("q2"), (std::vector<std::string>{"z"}));
  EXPECT_EQ(LoadRun(dir.File("bad.run", "q1 Q0 a\n")).status().code(), Status::Code::kInvalidInput);
}

TEST(WriteRun, ReadsBackInTheSameOrder) {
  TempDir dir;
  // "a" < "b" < "c": written ranks must survive trec_eval's tie-breaking.
  const eval::Run run = {{"q1", {"a", "b", "c"}}, {"q2", {}}};
  const std::string path = dir.path() + "/out.run";
  ASSERT_TRUE(WriteRun(run, "test", path).ok());
  auto back = LoadRun(path);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->at("q1"), run.at("q1"));
  EXPECT_EQ(back->count("q2"), 0u);  // an empty answer has no lines
}

// --- The real sets: the loaders agree with their README ---

TEST(SharedSets, EveryJudgedQueryHasTextAndOneRelevantDocument) {
  const std::string set = findling::testing::SharedDir() + "/eval/xquad-de";
  if (!std::filesystem::exists(set + "/qrels.tsv")) GTEST_SKIP() << "no " << set;
  auto qrels = LoadQrels(set + "/qrels.tsv");
  auto queries = LoadQueries(set + "/queries.jsonl");
  ASSERT_TRUE(qrels.ok()) << qrels.status().ToString();
  ASSERT_TRUE(queries.ok()) << queries.status().ToString();
  EXPECT_EQ(qrels->size(), 595u);
  EXPECT_EQ(queries->size(), 595u);
  for (const EvalQuery& q : queries.value()) {
    ASSERT_EQ(qrels->count(q.id), 1u) << q.id;
    EXPECT_EQ(qrels->at(q.id).size(), 1u) << q.id;
  }
  // A run that answers every query with its relevant document is perfect.
  eval::Run perfect;
  for (const auto& [query, judged] : qrels.value()) perfect[query] = {judged.begin()->first};
  const Scores s = Evaluate(qrels.value(), perfect);
  EXPECT_DOUBLE_EQ(s.mrr10, 1.0);
  EXPECT_DOUBLE_EQ(s.ndcg10, 1.0);
  EXPECT_DOUBLE_EQ(s.recall100, 1.0);
}

// --- findling-relevance end to end, on a tiny set written here ---

bool HaveRelevanceTool() {
  return std::filesystem::exists(std::string(FINDLING_BINARY_DIR) + "/findling-relevance");
}

// Three articles and one question for each, in BEIR layout under `dir`.
std::string WriteTinySet(const TempDir& dir) {
  const std::string set = dir.path() + "/tiny";
  std::filesystem::create_directories(set);
  dir.File("tiny/corpus.jsonl",
           "{\"_id\": \"d1\", \"title\": \"Riesenrad\", \"text\": \"Das London Eye ist ein "
           "Riesenrad an der Themse in London.\"}\n"
           "{\"_id\": \"d2\", \"title\": \"Krankenkasse\", \"text\": \"Eine Krankenkasse "
           "bezahlt Ärzte und Krankenhäuser für ihre Mitglieder.\"}\n"
           "{\"_id\": \"d3\", \"title\": \"Radiergummi\", \"text\": \"Ein Radiergummi "
           "entfernt Striche von Bleistiften auf Papier.\"}\n");
  dir.File("tiny/queries.jsonl",
           "{\"_id\": \"q1\", \"text\": \"Wie hoch ist das Riesenrad in London?\"}\n"
           "{\"_id\": \"q2\", \"text\": \"Wer bezahlt die Ärzte?\"}\n"
           "{\"_id\": \"q3\", \"text\": \"Bleistift Striche entfernen\"}\n");
  dir.File("tiny/qrels.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\nq3\td3\t1\n");
  return set;
}

TEST(RelevanceTool, IndexesOnceThenReusesTheIndex) {
  if (!HaveRelevanceTool()) GTEST_SKIP() << "findling-relevance not built";
  TempDir dir;
  const std::string set = WriteTinySet(dir);
  // +umlaut: no decompounding, so no lexicon is needed.
  const std::vector<std::string> args = {"--set",    set,       "--work", dir.path() + "/work",
                                         "--config", "+umlaut", "--json"};
  const auto first = findling::testing::RunTool("findling-relevance", args);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const auto rows = nlohmann::json::parse(first.out);
  ASSERT_EQ(rows.size(), 1u) << first.out;
  EXPECT_EQ(rows[0]["config"], "+umlaut");
  EXPECT_EQ(rows[0]["queries"], 3);
  EXPECT_DOUBLE_EQ(rows[0]["mrr10"].get<double>(), 1.0) << first.out;
  EXPECT_NE(first.err.find("indexing 3 documents"), std::string::npos) << first.err;

  const auto second = findling::testing::RunTool("findling-relevance", args);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.err.find("indexing"), std::string::npos) << second.err;
}

TEST(RelevanceTool, ScoresARunFileAndRejectsUnknownConfigurations) {
  if (!HaveRelevanceTool()) GTEST_SKIP() << "findling-relevance not built";
  TempDir dir;
  const std::string set = WriteTinySet(dir);
  // q1 right at rank 2, q2 wrong, q3 not answered: MRR@10 = (0.5 + 0 + 0) / 3.
  const std::string run = dir.File("other.run",
                                   "q1 Q0 d3 1 2.0 x\nq1 Q0 d1 2 1.0 x\n"
                                   "q2 Q0 d3 1 1.0 x\n");
  const auto r = findling::testing::RunTool("findling-relevance",
                                            {"--set", set, "--score-run", run, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = nlohmann::json::parse(r.out);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["config"], "other");
  EXPECT_NEAR(rows[0]["mrr10"].get<double>(), 0.5 / 3, 1e-12);
  EXPECT_EQ(rows[0]["unanswered"], 1);

  const auto bad = findling::testing::RunTool(
      "findling-relevance", {"--set", set, "--work", dir.path(), "--config", "+umlaut:tilte=1"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("unknown key \"tilte\""), std::string::npos) << bad.err;
}

TEST(RelevanceTool, CrossValidatesRunFilesOnHeldOutQueries) {
  if (!HaveRelevanceTool()) GTEST_SKIP() << "findling-relevance not built";
  TempDir dir;
  const std::string set = WriteTinySet(dir);
  // Reciprocal ranks: a = (1, 1, 0), b = (0, 1, 1), both 2/3 over all queries.
  // Three folds of one query each; each fold picks on the other two:
  //   q1 held out: a 0.5, b 1 -> b, which misses q1: 0
  //   q2 held out: a 0.5, b 0.5, a tie -> a (the baseline): 1
  //   q3 held out: a 1, b 0.5 -> a, which misses q3: 0
  // so the held-out MRR@10 is 1/3, below both, whichever fold holds which query.
  const std::string a = dir.File("a.run", "q1 Q0 d1 1 1 a\nq2 Q0 d2 1 1 a\nq3 Q0 d1 1 1 a\n");
  const std::string b = dir.File("b.run", "q1 Q0 d3 1 1 b\nq2 Q0 d2 1 1 b\nq3 Q0 d3 1 1 b\n");
  const std::vector<std::string> args = {"--set", set,     "--score-run", a,   "--score-run",
                                         b,       "--cv",  "--folds",     "3", "--baseline",
                                         "a",     "--json"};
  const auto r = findling::testing::RunTool("findling-relevance", args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto cv = nlohmann::json::parse(r.out);
  EXPECT_EQ(cv["baseline"], "a");
  EXPECT_NEAR(cv["cross_validated"]["mrr10"].get<double>(), 1.0 / 3, 1e-12) << r.out;
  // Against a = (1, 1, 0): held out (0, 1, 0) loses q1 only.
  const auto& held_diff = cv["cross_validated"]["vs_baseline"]["mrr10"];
  EXPECT_NEAR(held_diff["mean"].get<double>(), -1.0 / 3, 1e-12);
  EXPECT_EQ(held_diff["better"], 0);
  EXPECT_EQ(held_diff["worse"], 1);
  std::map<std::string, int> picked;
  for (const auto& fold : cv["fold_picks"]) {
    EXPECT_EQ(fold["queries"], 1);
    ++picked[fold["picked"].get<std::string>()];
  }
  EXPECT_EQ(picked, (std::map<std::string, int>{{"a", 2}, {"b", 1}})) << r.out;
  // b - a = (-1, 0, +1): mean 0, sd 1, SE 1 / sqrt(3).
  ASSERT_EQ(cv["configs"].size(), 2u);
  EXPECT_EQ(cv["configs"][1]["config"], "b");
  const auto& b_diff = cv["configs"][1]["vs_baseline"]["mrr10"];
  EXPECT_NEAR(b_diff["mean"].get<double>(), 0.0, 1e-12);
  EXPECT_NEAR(b_diff["standard_error"].get<double>(), 1 / std::sqrt(3.0), 1e-12);

  // The markdown table leads with the held-out row.
  std::vector<std::string> table_args = args;
  table_args.pop_back();
  const auto table = findling::testing::RunTool("findling-relevance", table_args);
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("| **cross-validated (held-out folds)** | **0.333** |"),
            std::string::npos)
      << table.out;
  EXPECT_NE(table.out.find("| a (baseline) | 0.667 |"), std::string::npos) << table.out;

  // Four folds for three queries leave one empty: a usage error.
  std::vector<std::string> too_many = args;
  too_many[8] = "4";
  const auto bad = findling::testing::RunTool("findling-relevance", too_many);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("4 folds for 3 queries"), std::string::npos) << bad.err;
  // A baseline the user names must be one of the rows.
  std::vector<std::string> typo = args;
  typo[10] = "c";
  const auto no_baseline = findling::testing::RunTool("findling-relevance", typo);
  EXPECT_EQ(no_baseline.exit_code, 2);
  EXPECT_NE(no_baseline.err.find("no row is named \"c\"; rows: a b"), std::string::npos)
      << no_baseline.err;
}

}  // namespace
}  // namespace findling::eval
