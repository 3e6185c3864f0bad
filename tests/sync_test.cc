// findling-index --sync, end to end through the real programs, and FolderSync
// itself for what a command line cannot time: a file that vanishes between
// the scan and its read.
#include <gtest/gtest.h>
#include <xapian.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "indexer/folder_sync.h"
#include "indexer/sharded_writer.h"
#include "tests/test_util.h"

namespace findling {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::RunTool;

// Sets a file's modification time to a fixed point plus `seconds`, so that
// tests do not depend on the clock's granularity.
void SetMtime(const std::string& path, int seconds) {
  fs::last_write_time(path, fs::file_time_type(std::chrono::seconds(1'700'000'000 + seconds)));
}

class SyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = dir_.path() + "/artikel";
    fs::create_directories(folder_ + "/politik");
    Write("haus.txt", "Das Haus am See wird verkauft.", 1);
    Write("politik/wahl.md", "# Wahl in Thüringen\n\nDie Wahlbeteiligung stieg deutlich.", 1);
    Write("meldungen.jsonl",
          R"({"id":"m1","title":"Fähre fällt aus","text":"Die Fähre nach Rügen fällt aus."})"
          "\n"
          R"({"id":"m2","title":"Brücke gesperrt","text":"Die Brücke über die Elbe ist gesperrt."})"
          "\n",
          1);
  }

  void Write(const std::string& relative, const std::string& text, int mtime) {
    dir_.File("artikel/" + relative, text);
    SetMtime(folder_ + "/" + relative, mtime);
  }

  json Sync() {
    const auto r = RunTool("findling-index", {"--db", db_, "--sync", "--json", folder_});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out, nullptr, false);
  }

  // Ids of the documents that match `query`.
  std::vector<std::string> Find(const std::string& query) {
    const auto r = RunTool("findling-search", {"--db", db_, "--json", "--no-snippets", query});
    std::vector<std::string> ids;
    const json j = json::parse(r.out, nullptr, false);
    for (const json& hit : j.value("hits", json::array())) ids.push_back(hit.value("id", ""));
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  testing::TempDir dir_;
  std::string folder_;
  std::string db_ = dir_.path() + "/sync.db";
};

// The counts of one run: files new/changed/gone/unchanged/vanished, then
// documents added/replaced/deleted.
std::vector<int> Counts(const json& j) {
  const json& s = j["sync"];
  return {s["files_new"],      s["files_changed"], s["files_gone"], s["files_unchanged"],
          s["files_vanished"], j["added"],         j["replaced"],   j["deleted"]};
}

TEST_F(SyncTest, ReadsOnlyWhatChangedAndDeletesWhatIsGone) {
  EXPECT_EQ(Counts(Sync()), (std::vector<int>{3, 0, 0, 0, 0, 4, 0, 0}));
  // Unchanged: nothing is read.
  EXPECT_EQ(Counts(Sync()), (std::vector<int>{0, 0, 0, 3, 0, 0, 0, 0}));
  // Touched, same content: the hash says unchanged.
  SetMtime(folder_ + "/haus.txt", 50);
  EXPECT_EQ(Counts(Sync()), (std::vector<int>{0, 0, 0, 3, 0, 0, 0, 0}));
  // Edited to the same size ("Haus" -> "Maus"), new time: read again.
  Write("haus.txt", "Das Maus am See wird verkauft.", 60);
  EXPECT_EQ(Counts(Sync()), (std::vector<int>{0, 1, 0, 2, 0, 0, 1, 0}));
  EXPECT_EQ(Find("Maus").size(), 1u);
  EXPECT_TRUE(Find("Haus").empty());
  // A record removed from a JSONL file, a file deleted, a file added.
  Write("meldungen.jsonl",
        R"({"id":"m1","title":"Fähre fährt wieder","text":"Die Fähre nach Rügen fährt wieder."})"
        "\n",
        70);
  fs::remove(folder_ + "/politik/wahl.md");
  Write("politik/haushalt.txt", "Der Landtag beschließt den Haushalt.", 70);
  EXPECT_EQ(Counts(Sync()), (std::vector<int>{1, 1, 1, 1, 0, 1, 1, 2}));
  EXPECT_EQ(Find("Fähre"), (std::vector<std::string>{"m1"}));
  EXPECT_TRUE(Find("Brücke").empty());
  EXPECT_TRUE(Find("Wahlbeteiligung").empty());
  EXPECT_EQ(Find("Landtag").size(), 1u);
  // And the record is consistent with the index: a rerun changes nothing.
  EXPECT_EQ(Counts(Sync()), (std::vector<int>{0, 0, 0, 3, 0, 0, 0, 0}));
}

TEST_F(SyncTest, PrintsWhatItDid) {
  Sync();
  fs::remove(folder_ + "/haus.txt");
  const auto r = RunTool("findling-index", {"--db", db_, "--sync", folder_});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("0 new, 0 changed, 1 gone, 2 unchanged files"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("1 deleted"), std::string::npos) << r.err;
}

TEST_F(SyncTest, TheRecordIsInTheIndex) {
  Sync();
  Xapian::Database db(db_);
  const std::string record = db.get_metadata(FolderSync::MetadataKey(folder_));
  const json j = json::parse(record, nullptr, false);
  ASSERT_TRUE(j.is_object()) << record;
  EXPECT_EQ(j["files"].size(), 3u);
  EXPECT_EQ(j["files"]["meldungen.jsonl"][3], json::parse(R"(["m1","m2"])"));
}

TEST_F(SyncTest, BadUsageIsExitTwo) {
  const std::vector<std::vector<std::string>> rows = {
      {"--db", db_, "--sync", folder_, folder_},           // two folders
      {"--db", db_, "--sync", folder_ + "/haus.txt"},      // a file
      {"--db", db_, "--sync", "--delete", "m1", folder_},  // with --delete
      {"--db", db_, "--sync", "-"},                        // stdin
  };
  for (const auto& args : rows) {
    const auto r = RunTool("findling-index", args);
    EXPECT_EQ(r.exit_code, 2) << ::testing::PrintToString(args) << r.err;
    EXPECT_NE(r.err.find("--sync"), std::string::npos) << r.err;
  }
}

// Writes what the readers produce, as findling-index does.
class WritingSink : public DocumentSink {
 public:
  explicit WritingSink(ShardedWriter& writer) : writer_(writer) {}
  bool Accept(SourceDocument&& doc) override { return writer_.Submit(std::move(doc)).ok(); }
  void Skip(const ReadIssue& issue) override { skipped.push_back(issue.where); }
  void Warn(const ReadIssue& issue) override {
    ADD_FAILURE() << issue.where << ": " << issue.message;
  }
  std::vector<std::string> skipped;

 private:
  ShardedWriter& writer_;
};

TEST_F(SyncTest, AFileThatVanishesDuringTheRunIsAWarning) {
  Analyzer& analyzer = testing::SharedAnalyzer();
  auto writer = ShardedWriter::Open({IndexFolderKind::kUnsharded, {db_}, false}, analyzer, {});
  ASSERT_TRUE(writer.ok()) << writer.status().ToString();
  WritingSink sink(*writer.value());
  {
    FolderSync first(*writer.value(), folder_, {});
    ASSERT_TRUE(first.Scan(sink).ok());
    first.ReadChanged(sink);
    ASSERT_TRUE(writer.value()->Finish().ok());
    ASSERT_TRUE(first.Finish().ok());
    ASSERT_TRUE(writer.value()->Commit().ok());
  }
  auto before = writer.value()->document_count();
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_EQ(before.value(), 4u);
  Write("haus.txt", "Das Haus am See ist verkauft, endlich.", 80);
  FolderSync second(*writer.value(), folder_, {});
  ASSERT_TRUE(second.Scan(sink).ok());
  fs::remove(folder_ + "/haus.txt");  // after the scan saw it changed, before its read
  second.ReadChanged(sink);
  ASSERT_TRUE(writer.value()->Finish().ok());
  ASSERT_TRUE(second.Finish().ok());
  ASSERT_TRUE(writer.value()->Commit().ok());
  ASSERT_EQ(second.warnings().size(), 1u);
  EXPECT_NE(second.warnings()[0].find("haus.txt: vanished during the sync"), std::string::npos);
  EXPECT_EQ(second.counts().files_vanished, 1u);
  EXPECT_TRUE(sink.skipped.empty());
  auto after = writer.value()->document_count();
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(after.value(), 3u);  // its document is gone too
}

}  // namespace
}  // namespace findling
