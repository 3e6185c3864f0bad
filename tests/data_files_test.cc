// Where the compound lexicon is looked for (common/data_files.h): a table of
// which files exist and what was asked, against the file found or the exact
// list of places tried. "$R" stands for the row's scratch folder; the
// executable is $R/prefix/bin/findling-search and the installed data folder
// $R/data, so every place of the order is a distinct folder.
#include "common/data_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/analyzer.h"
#include "tests/test_util.h"

namespace findling {
namespace {

namespace fs = std::filesystem;

struct Row {
  const char* name;
  const char* files;  // comma-separated paths under $R; a trailing '/' makes a folder
  const char* explicit_path;
  const char* env_path;
  const char* found;  // the path expected, or "" when the lookup must fail
  const char* tried;  // on failure: the places named, in order
};

// ctest lists a row by its name, not by its bytes.
void PrintTo(const Row& row, std::ostream* os) { *os << row.name; }

const Row kRows[] = {
    // An explicit choice wins, and is not second-guessed when it is missing.
    {"ExplicitWinsOverEverything",
     "explicit.lex,env.lex,prefix/bin/german-compounds.lex,data/german-compounds.lex",
     "$R/explicit.lex", "$R/env.lex", "$R/explicit.lex", ""},
    {"MissingExplicitIsAnErrorNotAFallback", "env.lex,prefix/bin/german-compounds.lex",
     "$R/tippfehler.lex", "$R/env.lex", "", "$R/tippfehler.lex (--lexicon)"},
    {"EnvironmentWhenNoOption", "env.lex,prefix/bin/german-compounds.lex", "", "$R/env.lex",
     "$R/env.lex", ""},
    {"MissingEnvironmentIsAnError", "prefix/bin/german-compounds.lex", "", "$R/weg.lex", "",
     "$R/weg.lex ($FINDLING_LEXICON)"},

    // Without either, the folders around the executable, then the data folder.
    {"BesideTheExecutableFirst",
     "prefix/bin/german-compounds.lex,prefix/german-compounds.lex,"
     "prefix/share/findling/german-compounds.lex,data/german-compounds.lex",
     "", "", "$R/prefix/bin/german-compounds.lex", ""},
    {"AboveTheExecutableForTestPrograms",
     "prefix/german-compounds.lex,prefix/share/findling/german-compounds.lex", "", "",
     "$R/prefix/german-compounds.lex", ""},
    {"RelocatedInstallTree", "prefix/share/findling/german-compounds.lex,data/german-compounds.lex",
     "", "", "$R/prefix/share/findling/german-compounds.lex", ""},
    {"InstalledDataFolderLast", "data/german-compounds.lex", "", "", "$R/data/german-compounds.lex",
     ""},
    {"AFolderOfThatNameIsNoLexicon", "prefix/bin/german-compounds.lex/,data/german-compounds.lex",
     "", "", "$R/data/german-compounds.lex", ""},
    {"NothingFoundNamesEveryPlaceInOrder", "prefix/bin/other.lex", "", "", "",
     "$R/prefix/bin/german-compounds.lex (beside the executable), "
     "$R/prefix/german-compounds.lex (above the executable), "
     "$R/prefix/share/findling/german-compounds.lex (data folder relative to the executable), "
     "$R/data/german-compounds.lex (installed data folder)"},
};

std::string Expand(std::string s, const std::string& root) {
  for (std::size_t at; (at = s.find("$R")) != std::string::npos;) s.replace(at, 2, root);
  return s;
}

void MakeFiles(const std::string& root, const std::string& files) {
  std::stringstream list(files);
  for (std::string rel; std::getline(list, rel, ',');) {
    const fs::path path = fs::path(root) / rel;
    if (rel.back() == '/') {
      fs::create_directories(path);
      continue;
    }
    fs::create_directories(path.parent_path());
    std::ofstream(path) << "not a real lexicon; the lookup only checks that it is a file\n";
  }
}

// The places named in a not-found message, between "tried " and ". Give".
std::string TriedList(const std::string& message) {
  const std::size_t from = message.find("tried ");
  const std::size_t to = message.find(". Give");
  if (from == std::string::npos || to == std::string::npos) return "<no list in: " + message + ">";
  return message.substr(from + 6, to - from - 6);
}

class LexiconLookup : public ::testing::TestWithParam<Row> {};

TEST_P(LexiconLookup, FindsOrNamesEveryPlace) {
  const Row& row = GetParam();
  testing::TempDir dir;
  const std::string root = fs::canonical(dir.path()).string();
  MakeFiles(root, row.files);
  DataSearch search;
  search.explicit_path = Expand(row.explicit_path, root);
  search.env_path = Expand(row.env_path, root);
  search.executable = root + "/prefix/bin/findling-search";
  search.data_dir = root + "/data";

  auto found = FindDataFile(kLexiconFileName, "compound lexicon", search);
  if (*row.found != '\0') {
    ASSERT_TRUE(found.ok()) << found.status().message();
    EXPECT_EQ(found.value(), Expand(row.found, root));
  } else {
    ASSERT_FALSE(found.ok()) << "found " << found.value();
    EXPECT_EQ(found.status().code(), Status::Code::kNotFound);
    EXPECT_EQ(TriedList(found.status().message()), Expand(row.tried, root));
  }
}

INSTANTIATE_TEST_SUITE_P(Rows, LexiconLookup, ::testing::ValuesIn(kRows),
                         [](const auto& info) { return std::string(info.param.name); });

// The Debian package's layout: /usr/bin/../share/findling is the installed
// data folder, tried once.
TEST(LexiconCandidates, AnInstalledProgramTriesTheDataFolderOnce) {
  DataSearch search;
  search.executable = "/usr/bin/findling-index";
  search.data_dir = "/usr/share/findling";
  std::string listed;
  for (const DataCandidate& c : DataFileCandidates(kLexiconFileName, search)) {
    listed += c.path + " (" + c.origin + ")\n";
  }
  EXPECT_EQ(listed,
            "/usr/bin/german-compounds.lex (beside the executable)\n"
            "/usr/german-compounds.lex (above the executable)\n"
            "/usr/share/findling/german-compounds.lex (data folder relative to the executable)\n");
}

// The programs pass --lexicon through and fail with the path in the message.
TEST(LexiconOption, AnalyzerRefusesAMissingLexicon) {
  AnalyzerOptions options;
  options.lexicon_path = "/nonexistent/findling/german-compounds.lex";
  auto analyzer = Analyzer::Create(options);
  ASSERT_FALSE(analyzer.ok());
  EXPECT_EQ(analyzer.status().code(), Status::Code::kNotFound);
  EXPECT_NE(
      analyzer.status().message().find("/nonexistent/findling/german-compounds.lex (--lexicon)"),
      std::string::npos)
      << analyzer.status().message();
}

TEST(LexiconOption, IndexerExitsThreeNamingTheLexicon) {
  testing::TempDir dir;
  const auto run = testing::RunTool(
      "findling-index", {"--db", dir.path() + "/x.db", "--lexicon", dir.path() + "/fehlt.lex", "-"},
      "{\"id\":\"a\",\"text\":\"Sprachmodell\"}\n");
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find(dir.path() + "/fehlt.lex (--lexicon)"), std::string::npos) << run.err;
}

TEST(LexiconOption, SearcherTakesTheLexiconOfItsOptions) {
  if (!testing::HaveLexicon()) GTEST_SKIP() << "no lexicon built";
  testing::TempDir dir;
  const std::string db = dir.path() + "/news.db";
  const auto indexed = testing::RunTool("findling-index", {"--db", db, "-q", "-"},
                                        "{\"id\":\"a\",\"text\":\"Ein Sprachmodell aus China\"}\n");
  ASSERT_EQ(indexed.exit_code, 0) << indexed.err;
  const auto missing = testing::RunTool(
      "findling-search", {"--db", db, "--lexicon", dir.path() + "/fehlt.lex", "Modell"});
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_NE(missing.err.find(dir.path() + "/fehlt.lex (--lexicon)"), std::string::npos)
      << missing.err;
  const auto given = testing::RunTool("findling-search",
                                      {"--db", db, "--lexicon", testing::LexiconPath(), "Modell"});
  EXPECT_EQ(given.exit_code, 0) << given.err;
}

}  // namespace
}  // namespace findling
