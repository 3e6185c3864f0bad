// End to end: the real findling-index and findling-search on temporary indexes.
#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "tests/test_util.h"

namespace findling {
namespace {

using testing::RunTool;
using testing::TempDir;

nlohmann::json SearchJson(const std::string& db, const std::vector<std::string>& query_args) {
  std::vector<std::string> args = {"--db", db, "--json"};
  args.insert(args.end(), query_args.begin(), query_args.end());
  const auto r = RunTool("findling-search", args);
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  return nlohmann::json::parse(r.out);
}

class CorpusIndex : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    db_ = dir_->path() + "/corpus.db";
    const auto r =
        RunTool("findling-index", {"--db", db_, "--json", testing::SourceDir() + "/corpus"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    summary_ = nlohmann::json::parse(r.out);
  }
  static void TearDownTestSuite() { delete dir_; }
  static TempDir* dir_;
  static std::string db_;
  static nlohmann::json summary_;
};
TempDir* CorpusIndex::dir_ = nullptr;
std::string CorpusIndex::db_;
nlohmann::json CorpusIndex::summary_;

TEST_F(CorpusIndex, IndexesEveryArticleOfTheCorpus) {
  EXPECT_GE(summary_["added"].get<int>(), 40);
  EXPECT_EQ(summary_["skipped"].get<int>(), 0);
  EXPECT_EQ(summary_["documents_in_index"], summary_["added"]);
}

// --json errors use the server's codes (common/error_code.h, docs/protocol.md),
// and the exit status is the code's: 2 for the query, 3 for the index.
struct JsonErrorRow {
  const char* name;
  std::vector<std::string> args;  // after --json; --db is the corpus index unless given
  const char* code;
  int exit_code;
  const char* message_part;
};

// One test over the rows, not TEST_P: a second suite would index the corpus again.
TEST_F(CorpusIndex, JsonErrorsPrintTheCodeOnStdout) {
  const JsonErrorRow rows[] = {
      {"UnclosedQuoteStrict", {"--strict", "\"Köln"}, "query_syntax", 2, "byte 0"},
      {"NoIndex", {"--db", "/nonexistent/findling.db", "Köln"}, "index_unavailable", 3, ""},
  };
  for (const JsonErrorRow& row : rows) {
    SCOPED_TRACE(row.name);
    std::vector<std::string> args = {"--json"};
    args.insert(args.end(), row.args.begin(), row.args.end());
    if (std::find(args.begin(), args.end(), "--db") == args.end()) {
      args.insert(args.begin(), {"--db", db_});
    }
    const auto r = RunTool("findling-search", args);
    EXPECT_EQ(r.exit_code, row.exit_code) << r.out << r.err;
    const auto j = nlohmann::json::parse(r.out, nullptr, false);
    ASSERT_TRUE(j.is_object()) << r.out;
    EXPECT_EQ(j["error"]["code"], row.code) << r.out;
    EXPECT_NE(j["error"]["message"].get<std::string>().find(row.message_part), std::string::npos)
        << r.out;
  }
}

// The lenient default repairs the same query instead (the non-match beside the match).
TEST_F(CorpusIndex, UnclosedQuoteLenientIsNoError) {
  const auto j = SearchJson(db_, {"\"Köln"});
  EXPECT_FALSE(j.contains("error")) << j;
}

TEST_F(CorpusIndex, FindsTheDeepSeekArticleFirstWithHighlights) {
  const auto j = SearchJson(db_, {"Sprachmodell", "Liang", "Wenfeng"});
  ASSERT_FALSE(j["hits"].empty());
  const auto& first = j["hits"][0];
  EXPECT_NE(first["title"].get<std::string>().find("DeepSeek"), std::string::npos) << first;
  const std::string snippet = first["snippet"];
  EXPECT_NE(snippet.find("<mark>Liang</mark>"), std::string::npos) << snippet;
  EXPECT_GE(j["total"].get<int>(), 1);
  EXPECT_TRUE(j.contains("took_ms"));
  for (const char* key : {"rank", "id", "title", "url", "date", "category", "score", "snippet"}) {
    EXPECT_TRUE(first.contains(key)) << key;
  }
}

TEST_F(CorpusIndex, TerminalOutputMarksMatchesWhenPiped) {
  const auto r = RunTool("findling-search", {"--db", db_, "Sprachmodell", "Liang", "Wenfeng"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("1. "), std::string::npos);
  EXPECT_NE(r.out.find("**Liang**"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\033["), std::string::npos) << "no colour codes when piped";
}

TEST_F(CorpusIndex, NoHitsSaysSoAndShowsTheQuery) {
  const auto r = RunTool("findling-search", {"--db", db_, "Quastenflosserzucht"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("No documents match"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Quastenflosserzucht"), std::string::npos) << r.out;
}

TEST_F(CorpusIndex, StrictSyntaxErrorNamesThePosition) {
  const auto r = RunTool("findling-search", {"--db", db_, "--strict", "(Sprachmodell OR"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("byte"), std::string::npos) << r.err;
}

TEST_F(CorpusIndex, LenientSyntaxErrorStillSearches) {
  const auto r = RunTool("findling-search", {"--db", db_, "(Sprachmodell OR"});
  EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
}

TEST_F(CorpusIndex, PagingAndLimit) {
  const auto all = SearchJson(db_, {"--limit", "4", "Regierung OR Bundesregierung OR Wirtschaft"});
  const auto page2 = SearchJson(
      db_, {"--limit", "2", "--offset", "2", "Regierung OR Bundesregierung OR Wirtschaft"});
  ASSERT_EQ(all["hits"].size(), 4u);
  ASSERT_EQ(page2["hits"].size(), 2u);
  EXPECT_EQ(page2["hits"][0]["id"], all["hits"][2]["id"]);
  EXPECT_EQ(page2["hits"][0]["rank"], 3);
}

TEST_F(CorpusIndex, ExplainShowsTheAnalysis) {
  const auto r = RunTool("findling-search", {"--db", db_, "--explain", "Verträgen"});
  EXPECT_NE(r.out.find("stem vertrag"), std::string::npos) << r.out;
}

TEST(Cli, StemmedFormsAreHighlighted) {
  TempDir dir;
  const std::string input = dir.File(
      "docs.jsonl",
      R"({"id":"a","title":"Handel","text":"Die Staaten einigten sich in Verträgen auf neue Zölle."})"
      "\n"
      R"({"id":"b","title":"Wetter","text":"Morgen wird es sonnig und warm."})"
      "\n");
  ASSERT_EQ(RunTool("findling-index", {"--db", dir.path() + "/db", "-q", input}).exit_code, 0);
  const auto j = SearchJson(dir.path() + "/db", {"Vertrag"});
  ASSERT_EQ(j["hits"].size(), 1u);
  EXPECT_NE(j["hits"][0]["snippet"].get<std::string>().find("<mark>Verträgen</mark>"),
            std::string::npos)
      << j;
}

TEST(Cli, BadRecordsAreSkippedWithFileAndLineAndTheRestIsIndexed) {
  TempDir dir;
  const std::string input =
      dir.File("mixed.jsonl",
               "{\"id\":\"ok1\",\"title\":\"Erster\",\"text\":\"Ein gültiger Artikel.\"}\n"
               "{\"id\":\"broken\",\"title\": \n"
               "{\"id\":\"bad-utf8\",\"title\":\"Kaputt\",\"text\":\"\xff\xfe\"}\n"
               "{\"id\":\"empty\",\"title\":\"\",\"text\":\"\"}\n"
               "{\"id\":\"ok2\",\"title\":\"Zweiter\",\"text\":\"Noch ein gültiger Artikel.\"}\n");
  const auto r = RunTool("findling-index", {"--db", dir.path() + "/db", "--json", input});
  EXPECT_EQ(r.exit_code, 1) << "exit status tells that records were skipped";
  EXPECT_NE(r.err.find("mixed.jsonl:2"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("mixed.jsonl:3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("mixed.jsonl:4"), std::string::npos) << r.err;
  const auto summary = nlohmann::json::parse(r.out);
  EXPECT_EQ(summary["added"], 2);
  EXPECT_EQ(summary["skipped"], 3);
}

// Issue 16: a date that is no day costs the document its date, nothing
// more: a warning naming file:line, exit code 0, the text still found.
TEST(Cli, ImpossibleDatesAreWarningsAndTheDocumentsAreIndexed) {
  TempDir dir;
  const std::string db = dir.path() + "/db";
  const std::string jsonl = dir.File(
      "termine.jsonl",
      R"({"id":"mai","title":"Maifeier","text":"Kundgebung am Tag der Arbeit.","date":"1.5.2024"})"
      "\n"
      R"({"id":"fasching","title":"Fasching","text":"Rosenmontagszug in Köln.","date":"31.02.2024"})"
      "\n");
  const std::string csv = dir.File("termine.csv",
                                   "id,title,text,date\n"
                                   "einheit,Einheit,Feiertag am dritten Oktober.,3.10.2024\n"
                                   "april,Aprilscherz,Kein einunddreißigster April.,2024-04-31\n");
  const auto r = RunTool("findling-index", {"--db", db, "--json", jsonl, csv});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("termine.jsonl:2: date \"31.02.2024\" is not a day in the calendar "
                       "(February 2024 has no day 31); indexed without a date"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("termine.csv:3: date \"2024-04-31\" is not a day in the calendar "
                       "(April 2024 has no day 31); indexed without a date"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("termine.jsonl:1"), std::string::npos) << "a good date is no warning";
  const auto summary = nlohmann::json::parse(r.out);
  EXPECT_EQ(summary["added"], 4);
  EXPECT_EQ(summary["skipped"], 0);

  const auto fasching = SearchJson(db, {"Rosenmontagszug"});
  ASSERT_EQ(fasching["hits"].size(), 1u) << fasching;
  EXPECT_EQ(fasching["hits"][0]["id"], "fasching");
  EXPECT_EQ(fasching["hits"][0]["date"], "");
  const auto april = SearchJson(db, {"Aprilscherz"});
  ASSERT_EQ(april["hits"].size(), 1u) << april;
  EXPECT_EQ(april["hits"][0]["date"], "");
  // The good dates are stored as days and filter like them.
  const auto may = SearchJson(db, {"--from", "1.5.2024", "--to", "2024-05-01", ""});
  ASSERT_EQ(may["hits"].size(), 1u) << may;
  EXPECT_EQ(may["hits"][0]["id"], "mai");
  EXPECT_EQ(may["hits"][0]["date"], "2024-05-01");
}

// --from/--to read days the way documents' dates are read; a day the
// calendar lacks is a usage error, not a filter nothing can match.
TEST(Cli, ImpossibleFromOrToIsAUsageError) {
  TempDir dir;
  const std::string db = dir.path() + "/db";
  const std::string input = dir.File(
      "a.jsonl", R"({"id":"a","title":"Schalttag","text":"Ein Tag mehr.","date":"2024-02-29"})"
                 "\n");
  ASSERT_EQ(RunTool("findling-index", {"--db", db, "-q", input}).exit_code, 0);
  const std::pair<std::vector<std::string>, std::string> kRows[] = {
      {{"--from", "31.02.2024"},
       "findling-search: --from: \"31.02.2024\" is not a day in the calendar (February 2024 has "
       "no day 31)"},
      {{"--to", "2023-02-29"},
       "findling-search: --to: \"2023-02-29\" is not a day in the calendar (February 2023 has no "
       "day 29)"},
      {{"--to", "gestern"},
       "findling-search: --to: \"gestern\" is not a date (expected YYYY-MM-DD or D.M.YYYY)"},
  };
  for (const auto& [flags, message] : kRows) {
    std::vector<std::string> args = {"--db", db};
    args.insert(args.end(), flags.begin(), flags.end());
    args.push_back("Tag");
    const auto r = RunTool("findling-search", args);
    EXPECT_EQ(r.exit_code, 2) << flags[1];
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
  }
  // The leap day itself is a day: found from 29.02.2024 on.
  EXPECT_EQ(SearchJson(db, {"--from", "29.02.2024", "Tag"})["total"], 1);
  // The query's date: filter says the same in --strict mode.
  const auto q = RunTool("findling-search", {"--db", db, "--strict", "Tag date:2024-02-30"});
  EXPECT_EQ(q.exit_code, 2);
  EXPECT_NE(q.err.find("February 2024 has no day 30"), std::string::npos) << q.err;
}

TEST(Cli, SameIdReplacesAndDeleteRemoves) {
  TempDir dir;
  const std::string db = dir.path() + "/db";
  const std::string v1 =
      dir.File("v1.jsonl", "{\"id\":\"x\",\"title\":\"Alt\",\"text\":\"Kartoffelsalat\"}\n");
  const std::string v2 =
      dir.File("v2.jsonl", "{\"id\":\"x\",\"title\":\"Neu\",\"text\":\"Gurkensalat\"}\n");
  ASSERT_EQ(RunTool("findling-index", {"--db", db, "-q", v1}).exit_code, 0);
  const auto r = RunTool("findling-index", {"--db", db, "--json", v2});
  EXPECT_EQ(nlohmann::json::parse(r.out)["replaced"], 1);
  EXPECT_EQ(SearchJson(db, {"Kartoffelsalat"})["total"], 0);
  EXPECT_EQ(SearchJson(db, {"Gurkensalat"})["total"], 1);
  const auto del = RunTool("findling-index", {"--db", db, "--json", "--delete", "x"});
  EXPECT_EQ(nlohmann::json::parse(del.out)["deleted"], 1);
  EXPECT_EQ(SearchJson(db, {"Gurkensalat"})["total"], 0);
}

TEST(Cli, StandardInputIsRead) {
  TempDir dir;
  const auto r =
      RunTool("findling-index", {"--db", dir.path() + "/db", "--json", "-"},
              "{\"id\":\"s\",\"title\":\"Von stdin\",\"text\":\"Eingabe über die Pipe.\"}\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["added"], 1);
}

// Issue 16: a Latin-1 CSV is skipped row by row as invalid UTF-8 without
// --encoding, read with it; an unknown encoding name is a usage error.
TEST(Cli, EncodingOptionReadsLatin1AndRejectsUnknownNames) {
  TempDir dir;
  const std::string db = dir.path() + "/db";
  const std::string input = dir.File("orte.csv",
                                     "id,title,text\nm,M\xFC"
                                     "nchen,Wei\xDF"
                                     "wurst und Bier\n");
  const auto strict = RunTool("findling-index", {"--db", db, "--json", input});
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_NE(strict.err.find("orte.csv:2"), std::string::npos) << strict.err;
  EXPECT_NE(strict.err.find("invalid UTF-8"), std::string::npos) << strict.err;

  const auto latin1 =
      RunTool("findling-index", {"--db", db, "--json", "--encoding", "latin1", input});
  EXPECT_EQ(latin1.exit_code, 0) << latin1.err;
  EXPECT_EQ(nlohmann::json::parse(latin1.out)["added"], 1);
  EXPECT_EQ(SearchJson(db, {"Weißwurst"})["total"], 1);
  EXPECT_EQ(SearchJson(db, {"München"})["total"], 1);

  const auto unknown = RunTool("findling-index", {"--db", db, "--encoding", "latin-12", input});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("findling-index: --encoding: unknown encoding \"latin-12\""),
            std::string::npos)
      << unknown.err;
}

TEST(Cli, IncompatibleIndexIsRefusedClearly) {
  TempDir dir;
  const std::string db = dir.path() + "/db";
  {
    Xapian::WritableDatabase w(db, Xapian::DB_CREATE);
    w.set_metadata("findling.format", "1");
    w.set_metadata("findling.analysis",
                   "findling-analysis/1 icu=72 stem=porter hyphen=join decompound=off");
    w.commit();
  }
  const auto s = RunTool("findling-search", {"--db", db, "Haus"});
  EXPECT_EQ(s.exit_code, 3);
  EXPECT_NE(s.err.find("stem"), std::string::npos) << s.err;
  const std::string input =
      dir.File("a.jsonl", "{\"id\":\"a\",\"title\":\"T\",\"text\":\"Haus\"}\n");
  const auto i = RunTool("findling-index", {"--db", db, input});
  EXPECT_EQ(i.exit_code, 3);
  EXPECT_NE(i.err.find("--rebuild"), std::string::npos) << i.err;
}

TEST(Cli, MissingIndexIsNamed) {
  const auto r = RunTool("findling-search", {"--db", "/nonexistent/findling.db", "Haus"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("/nonexistent/findling.db"), std::string::npos) << r.err;
}

TEST(Cli, HelpExplainsAndExitsZero) {
  const auto r = RunTool("findling-search", {"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Exit status"), std::string::npos);
}

}  // namespace
}  // namespace findling
