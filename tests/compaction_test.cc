// Compaction of a finished index: findling-index compacts a new index, the
// compacted index answers exactly as the uncompacted one, and compaction
// never leaves the index missing or changed when it cannot complete.
#include <gtest/gtest.h>
#include <xapian.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "indexer/index_compactor.h"
#include "tests/test_util.h"

namespace findling {
namespace {

using testing::RunTool;
using testing::TempDir;

nlohmann::json Index(const std::vector<std::string>& args, int expected_exit = 0) {
  std::vector<std::string> all = {"--json"};
  all.insert(all.end(), args.begin(), args.end());
  const auto r = RunTool("findling-index", all);
  EXPECT_EQ(r.exit_code, expected_exit) << r.err;
  return nlohmann::json::parse(r.out);
}

std::vector<std::string> HitIds(const std::string& db, const std::string& query) {
  const auto r = RunTool("findling-search", {"--db", db, "--json", "--limit", "20", query});
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  std::vector<std::string> ids;
  const auto response = nlohmann::json::parse(r.out);
  for (const auto& hit : response["hits"]) ids.push_back(hit["id"]);
  EXPECT_TRUE(response.contains("hits")) << r.out;
  return ids;
}

TEST(Compaction, NewIndexIsCompactedAndAnswersAsBuilt) {
  TempDir dir;
  const std::string corpus = testing::SourceDir() + "/corpus";
  const std::string compacted = dir.path() + "/compacted.db", as_built = dir.path() + "/built.db";
  const auto summary = Index({"--db", compacted, corpus});
  Index({"--db", as_built, "--no-compact", corpus});
  ASSERT_TRUE(summary.contains("compaction")) << summary.dump();
  const std::uint64_t after = summary["compaction"]["bytes_after"];
  EXPECT_LT(after, summary["compaction"]["bytes_before"].get<std::uint64_t>());
  EXPECT_EQ(after, FolderBytes(compacted));
  EXPECT_LT(FolderBytes(compacted), FolderBytes(as_built));
  EXPECT_FALSE(std::filesystem::exists(compacted + ".compacting"));
  // Same documents, same ranking, same stored data and analysis record.
  for (const char* query : {"Sprachmodell Liang Wenfeng", "\"Chip Beschränkungen\"", "Strasse",
                            "Energie*", "title:Bürgeramt", "Klima NICHT Wetter"}) {
    EXPECT_EQ(HitIds(compacted, query), HitIds(as_built, query)) << query;
  }
  EXPECT_EQ(RunTool("findling-index", {"--db", compacted, "--check"}).exit_code, 0);
}

TEST(Compaction, AddingToAnIndexCompactsOnlyWhenAsked) {
  TempDir dir;
  const std::string db = dir.path() + "/db";
  const std::string a = dir.File("a.jsonl", "{\"id\":\"a\",\"title\":\"Apfelernte\",\"text\":\"Die Apfelernte beginnt.\"}\n");
  const std::string b = dir.File("b.jsonl", "{\"id\":\"b\",\"title\":\"Birnenernte\",\"text\":\"Die Birnenernte folgt.\"}\n");
  EXPECT_TRUE(Index({"--db", db, a}).contains("compaction")) << "a new index";
  EXPECT_FALSE(Index({"--db", db, b}).contains("compaction")) << "an existing index";
  EXPECT_TRUE(Index({"--db", db, "--compact", b}).contains("compaction")) << "asked for";
  EXPECT_FALSE(Index({"--db", dir.path() + "/db2", "--no-compact", a}).contains("compaction"));
  EXPECT_EQ(HitIds(db, "Ernte"), (std::vector<std::string>{"a", "b"}));
}

TEST(Compaction, LeftoverCopyOfAKilledRunIsReplaced) {
  TempDir dir;
  const std::string db = dir.path() + "/db";
  Index({"--db", db, "--no-compact", testing::SourceDir() + "/corpus"});
  // What a kill during the copy leaves behind: a partial folder.
  std::filesystem::create_directories(db + ".compacting");
  std::ofstream(db + ".compacting/postlist.glass") << "partial";
  auto result = CompactIndex(db);
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_FALSE(std::filesystem::exists(db + ".compacting"));
  EXPECT_EQ(Xapian::Database(db).get_doccount(), 46u);
}

TEST(Compaction, LockedOrMissingIndexIsLeftAlone) {
  TempDir dir;
  const std::string db = dir.path() + "/db";
  Index({"--db", db, "--no-compact", testing::SourceDir() + "/corpus"});
  const std::uint64_t before = FolderBytes(db);
  {
    Xapian::WritableDatabase writer(db, Xapian::DB_OPEN);
    auto result = CompactIndex(db);
    ASSERT_FALSE(result.ok());
    EXPECT_NE(result.status().message().find("locked"), std::string::npos)
        << result.status().message();
    EXPECT_NE(result.status().message().find(db), std::string::npos);
  }
  EXPECT_EQ(FolderBytes(db), before);
  EXPECT_FALSE(std::filesystem::exists(db + ".compacting"));
  auto missing = CompactIndex(dir.path() + "/nothing.db");
  EXPECT_FALSE(missing.ok());
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/nothing.db"));
}

}  // namespace
}  // namespace findling
