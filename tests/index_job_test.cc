// IndexJob as a library: the flow findling-index runs (delete, read, write,
// commit, compact or merge), called directly on temporary folders, with an
// observer that records what a terminal would print.
#include "indexer/index_job.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "common/index_schema.h"
#include "tests/test_util.h"

namespace findling {
namespace {

namespace fs = std::filesystem;
using testing::SharedAnalyzer;
using testing::TempDir;

// Records every event, in order, as one line each.
class RecordingObserver : public IndexJobObserver {
 public:
  void OnReadStart(std::uint64_t total_bytes) override {
    events.push_back("start " + std::to_string(total_bytes));
  }
  void OnProgress(std::uint64_t documents, std::uint64_t) override { documents_seen += documents; }
  void OnIssue(const ReadIssue& issue, bool skipped) override {
    events.push_back((skipped ? "skip " : "warn ") + issue.where + ": " + issue.message);
  }
  void OnWarning(const std::string& message) override { events.push_back("warning " + message); }
  void OnReadEnd(const Status& status) override {
    events.push_back(status.ok() ? "end ok" : "end " + status.message());
  }
  bool Interrupted() override { return stop_after > 0 && documents_seen >= stop_after; }

  // The events that start with `prefix`.
  std::vector<std::string> Starting(const std::string& prefix) const {
    std::vector<std::string> out;
    for (const std::string& e : events) {
      if (e.rfind(prefix, 0) == 0) out.push_back(e);
    }
    return out;
  }

  std::vector<std::string> events;
  std::uint64_t documents_seen = 0;
  std::uint64_t stop_after = 0;  // Interrupted() once this many were read; 0: never
};

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

// The ids in the index at `db`, sorted (a sharded folder opens as one).
std::vector<std::string> IdsIn(const std::string& db) {
  Xapian::Database xdb(db);
  std::vector<std::string> ids;
  for (auto it = xdb.allterms_begin(schema::kIdPrefix); it != xdb.allterms_end(schema::kIdPrefix);
       ++it) {
    ids.push_back((*it).substr(std::string(schema::kIdPrefix).size()));
  }
  return ids;
}

class IndexJobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = dir_.path() + "/artikel";
    dir_.File(
        "artikel/meldungen.jsonl",
        R"({"id":"faehre","title":"Fähre fällt aus","text":"Die Fähre nach Rügen fällt aus."})"
        "\n"
        R"({"id":"bruecke","title":"Brücke gesperrt","text":"Die Brücke über die Elbe ist gesperrt."})"
        "\n");
    dir_.File("artikel/wahl.md", "# Wahl in Thüringen\n\nDie Wahlbeteiligung stieg deutlich.\n");
    dir_.File("artikel/haus.txt", "Das Haus am See wird verkauft.\n");
  }

  IndexJobOptions Options() const {
    IndexJobOptions o;
    o.db = db_;
    o.inputs = {folder_};
    return o;
  }

  Result<IndexReport> Run(const IndexJobOptions& options) {
    observer_ = RecordingObserver();
    return IndexJob(options, SharedAnalyzer()).Run(observer_);
  }

  TempDir dir_;
  std::string folder_;
  std::string db_ = dir_.path() + "/index.db";
  RecordingObserver observer_;
};

TEST_F(IndexJobTest, IndexesAFolderAndARerunReplacesInsteadOfDuplicating) {
  auto first = Run(Options());
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_TRUE(first->error.ok());
  EXPECT_EQ(first->counts.added, 4u);
  EXPECT_EQ(first->counts.replaced, 0u);
  EXPECT_EQ(first->documents_in_index, 4u);
  EXPECT_EQ(first->skipped, 0u);
  EXPECT_GT(first->bytes_read, 0u);
  // A new index is compacted at the end.
  EXPECT_TRUE(first->compaction.has_value());
  EXPECT_EQ(first->shards, 1u);
  EXPECT_FALSE(first->sharded);
  EXPECT_EQ(observer_.events.front(), "start " + std::to_string(first->bytes_read));
  EXPECT_EQ(observer_.events.back(), "end ok");
  const std::vector<std::string> ids = IdsIn(db_);
  EXPECT_EQ(ids, Sorted({"bruecke", "faehre", folder_ + "/haus.txt", folder_ + "/wahl.md"}));

  auto second = Run(Options());
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->counts.added, 0u);
  EXPECT_EQ(second->counts.replaced, 4u);
  EXPECT_EQ(second->documents_in_index, 4u);
  EXPECT_EQ(IdsIn(db_), ids);
  // An existing index is compacted only when asked.
  EXPECT_FALSE(second->compaction.has_value());
  IndexJobOptions always = Options();
  always.compaction = IndexJobOptions::Compaction::kAlways;
  auto third = Run(always);
  ASSERT_TRUE(third.ok()) << third.status().message();
  EXPECT_TRUE(third->compaction.has_value());
}

TEST_F(IndexJobTest, DeletesByIdAndWarnsAboutIdsThatAreNotThere) {
  ASSERT_TRUE(Run(Options()).ok());
  IndexJobOptions o = Options();
  o.inputs.clear();
  o.delete_ids = {"faehre", "gibt-es-nicht"};
  auto r = Run(o);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->ids_deleted, 1u);
  EXPECT_EQ(r->ids_not_found, 1u);
  EXPECT_EQ(r->counts.deleted, 1u);
  EXPECT_EQ(r->documents_in_index, 3u);
  EXPECT_EQ(observer_.Starting("warning"),
            (std::vector<std::string>{"warning no document with id \"gibt-es-nicht\" to delete"}));
  const std::vector<std::string> ids = IdsIn(db_);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), "faehre"), 0);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), "bruecke"), 1);
}

// A bad record is reported with file and line and skipped; a record with a
// date that is no day is reported and indexed without it; the good records
// beside them are indexed either way.
struct BadRecordRow {
  const char* name;
  const char* file;
  const char* content;
  const char* expected_event;  // after the file's path
  std::uint64_t skipped;
  std::vector<std::string> indexed_ids;
};

class IndexJobBadRecordTest : public ::testing::TestWithParam<BadRecordRow> {};

TEST_P(IndexJobBadRecordTest, IsReportedWithFileAndLineWhileTheRestIsIndexed) {
  const BadRecordRow& row = GetParam();
  TempDir dir;
  const std::string path = dir.File(row.file, row.content);
  IndexJobOptions o;
  o.db = dir.path() + "/index.db";
  o.inputs = {path};
  RecordingObserver observer;
  auto r = IndexJob(o, SharedAnalyzer()).Run(observer);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->error.ok());
  EXPECT_EQ(r->skipped, row.skipped);
  const std::string expected = std::string(row.expected_event)
                                   .replace(std::string(row.expected_event).find("PATH"), 4, path);
  std::vector<std::string> issues = observer.Starting("skip ");
  for (const std::string& w : observer.Starting("warn ")) issues.push_back(w);
  ASSERT_EQ(issues.size(), 1u) << ::testing::PrintToString(observer.events);
  EXPECT_EQ(issues[0].substr(0, expected.size()), expected) << issues[0];
  EXPECT_EQ(IdsIn(o.db), row.indexed_ids);
}

INSTANTIATE_TEST_SUITE_P(
    Rows, IndexJobBadRecordTest,
    ::testing::Values(BadRecordRow{"MalformedJson",
                                   "nachrichten.jsonl",
                                   R"({"id":"a","text":"Der Zug nach München fährt wieder."})"
                                   "\n"
                                   R"({"id":"b","text":"Die Brücke ist gesperrt.")"
                                   "\n"
                                   R"({"id":"c","text":"Das Rathaus öffnet am Montag."})"
                                   "\n",
                                   "skip PATH:2: ",
                                   1,
                                   {"a", "c"}},
                      BadRecordRow{"InvalidUtf8InCsv",
                                   "meldungen.csv",
                                   "id,text\n"
                                   "m1,Die Straßenbahn fährt wieder.\n"
                                   "m2,Gr\xfc\xdf"
                                   "e aus K\xf6ln\n"
                                   "m3,Der Flughafen bleibt geöffnet.\n",
                                   "skip PATH:3: ",
                                   1,
                                   {"m1", "m3"}},
                      BadRecordRow{
                          "ImpossibleDateIsAWarningOnly",
                          "termine.jsonl",
                          R"({"id":"t1","date":"31.02.2024","text":"Die Sitzung des Stadtrats."})"
                          "\n"
                          R"({"id":"t2","date":"29.02.2024","text":"Der Haushalt wird beraten."})"
                          "\n",
                          "warn PATH:1: ",
                          0,
                          {"t1", "t2"}}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(IndexJobTest, AnInputThatCannotBeReadIsSkippedAndTheOthersAreIndexed) {
  IndexJobOptions o = Options();
  o.inputs = {dir_.path() + "/fehlt.jsonl", folder_};
  auto r = Run(o);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->skipped, 1u);
  EXPECT_EQ(r->documents_in_index, 4u);
  const std::vector<std::string> warnings = observer_.Starting("warning ");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find(dir_.path() + "/fehlt.jsonl"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("(skipped)"), std::string::npos) << warnings[0];
}

TEST_F(IndexJobTest, AnInterruptionCommitsWhatWasReadAndDoesNotCompact) {
  IndexJobOptions o = Options();
  o.writer.batch_documents = 1;
  observer_.stop_after = 1;
  RecordingObserver& observer = observer_;
  observer.events.clear();
  auto r = IndexJob(o, SharedAnalyzer()).Run(observer);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->interrupted);
  EXPECT_EQ(r->counts.added, 1u);
  EXPECT_EQ(r->counts.committed_changes, 1u);
  EXPECT_FALSE(r->compaction.has_value());
  EXPECT_EQ(IdsIn(db_).size(), 1u);
}

TEST_F(IndexJobTest, ShardsAreMergedAtTheEndOrKeptWhenAsked) {
  IndexJobOptions o = Options();
  o.shards = 3;
  auto merged = Run(o);
  ASSERT_TRUE(merged.ok()) << merged.status().message();
  EXPECT_TRUE(merged->sharded);
  EXPECT_TRUE(merged->merged);
  EXPECT_EQ(merged->shards_written, 3u);
  EXPECT_EQ(merged->shards, 1u);
  EXPECT_FALSE(fs::exists(db_ + "/XAPIANDB"));
  EXPECT_EQ(IdsIn(db_).size(), 4u);

  o.db = dir_.path() + "/kept.db";
  o.keep_shards = true;
  auto kept = Run(o);
  ASSERT_TRUE(kept.ok()) << kept.status().message();
  EXPECT_FALSE(kept->merged);
  EXPECT_EQ(kept->shards, 3u);
  EXPECT_TRUE(kept->compaction.has_value());  // each shard compacted
  EXPECT_TRUE(fs::exists(o.db + "/XAPIANDB"));
  EXPECT_FALSE(fs::exists(o.db + "/MERGE-PENDING"));
  EXPECT_EQ(IdsIn(o.db).size(), 4u);
}

TEST_F(IndexJobTest, SyncReadsOnlyWhatChanged) {
  IndexJobOptions o = Options();
  o.sync = true;
  auto first = Run(o);
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_TRUE(first->sync.has_value());
  EXPECT_EQ(first->sync->files_new, 3u);
  EXPECT_EQ(first->counts.added, 4u);
  EXPECT_EQ(observer_.events.front(), "start 0");  // a sync's size is unknown
  fs::remove(folder_ + "/haus.txt");
  auto second = Run(o);
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->sync->files_gone, 1u);
  EXPECT_EQ(second->sync->files_unchanged, 2u);
  EXPECT_EQ(second->counts.added + second->counts.replaced, 0u);
  EXPECT_EQ(second->counts.deleted, 1u);
  EXPECT_EQ(IdsIn(db_), Sorted({"bruecke", "faehre", folder_ + "/wahl.md"}));
}

// Options that cannot work fail before anything is read or created.
struct BadOptionsRow {
  const char* name;
  void (*change)(IndexJobOptions&);
  const char* message_part;
};

class IndexJobBadOptionsTest : public ::testing::TestWithParam<BadOptionsRow> {};

TEST_P(IndexJobBadOptionsTest, FailsWithInvalidInputAndWritesNothing) {
  TempDir dir;
  IndexJobOptions o;
  o.db = dir.path() + "/index.db";
  o.inputs = {dir.File("a.txt", "Ein Text über Hamburg.")};
  GetParam().change(o);
  RecordingObserver observer;
  auto r = IndexJob(o, SharedAnalyzer()).Run(observer);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidInput);
  EXPECT_NE(r.status().message().find(GetParam().message_part), std::string::npos)
      << r.status().message();
  EXPECT_TRUE(observer.events.empty()) << ::testing::PrintToString(observer.events);
  EXPECT_FALSE(fs::exists(o.db));
}

INSTANTIATE_TEST_SUITE_P(
    Rows, IndexJobBadOptionsTest,
    ::testing::Values(BadOptionsRow{"SyncOfTwoInputs",
                                    [](IndexJobOptions& o) {
                                      o.sync = true;
                                      o.inputs.push_back(o.inputs[0]);
                                    },
                                    "--sync takes one FOLDER"},
                      BadOptionsRow{"SyncOfStandardInput",
                                    [](IndexJobOptions& o) {
                                      o.sync = true;
                                      o.inputs = {"-"};
                                    },
                                    "--sync takes one FOLDER"},
                      BadOptionsRow{"SyncWithDelete",
                                    [](IndexJobOptions& o) {
                                      o.sync = true;
                                      o.delete_ids = {"x"};
                                    },
                                    "no --delete"},
                      BadOptionsRow{"NoShards", [](IndexJobOptions& o) { o.shards = 0; },
                                    "give a number from 1 to 64"},
                      BadOptionsRow{"TooManyShards", [](IndexJobOptions& o) { o.shards = 65; },
                                    "--shards 65"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(IndexJobTest, AShardCountTheIndexDoesNotHaveIsInvalidInputNamingTheIndex) {
  ASSERT_TRUE(Run(Options()).ok());
  IndexJobOptions o = Options();
  o.shards = 2;
  o.shards_explicit = true;
  auto r = Run(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidInput);
  EXPECT_NE(r.status().message().find(db_ + ", which has 1 shard"), std::string::npos)
      << r.status().message();
  // Without the explicit count, the index keeps its one shard.
  o.shards_explicit = false;
  auto kept = Run(o);
  ASSERT_TRUE(kept.ok()) << kept.status().message();
  EXPECT_EQ(kept->shards_written, 1u);
}

// Xapian's failures come back as a Status naming the index, never as an
// exception: here another writer holds the index's lock.
TEST_F(IndexJobTest, AnIndexLockedByAnotherWriterIsAnIoErrorNamingIt) {
  ASSERT_TRUE(Run(Options()).ok());
  Xapian::WritableDatabase other(db_, Xapian::DB_OPEN);
  Result<IndexReport> r = Status::Internal("not run");
  EXPECT_NO_THROW(r = Run(Options()));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kIo);
  EXPECT_NE(r.status().message().find(db_), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("locked"), std::string::npos) << r.status().message();
  EXPECT_TRUE(observer_.events.empty());
}

}  // namespace
}  // namespace findling
