// Building an index in shards (findling-index --shards N, --keep-shards):
// the same documents as one writer, replace and delete routed to the shard
// that holds the id, a killed sharded build, and bad --shards values. The
// real executable on temporary folders.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/index_schema.h"
#include "tests/test_util.h"

namespace findling {
namespace {

using testing::RunTool;
using testing::TempDir;
namespace fs = std::filesystem;

// ---------------------------------------------------------------------------
// ShardOfId: FNV-1a 64-bit modulo the shard count

struct ShardRow {
  const char* id;
  std::uint32_t shard_count;
  std::uint32_t shard;
};

class ShardOfIdTest : public ::testing::TestWithParam<ShardRow> {};

TEST_P(ShardOfIdTest, RoutesLikeFnv1a64) {
  EXPECT_EQ(ShardOfId(GetParam().id, GetParam().shard_count), GetParam().shard);
}

INSTANTIATE_TEST_SUITE_P(Rows, ShardOfIdTest,
                         ::testing::Values(
                             // The published FNV-1a 64 values ("" = offset basis cbf29ce484222325,
                             // "a" = af63dc4c8601ec8c, "foobar" = 85944171f73967e8) modulo a
                             // large prime, so the whole hash shows through.
                             ShardRow{"", 4294967291u, 2145334189u},
                             ShardRow{"a", 4294967291u, 4076157463u},
                             ShardRow{"foobar", 4294967291u, 2468261676u},
                             // Ids as the readers make them; bytes, not characters, are hashed.
                             ShardRow{"doc-00001", 2, 1}, ShardRow{"doc-00001", 3, 0},
                             ShardRow{"doc-00001", 4, 3}, ShardRow{"gesetz/bgb/§ 433", 64, 1},
                             ShardRow{"Straße", 3, 2}, ShardRow{"Straße", 64, 24},
                             // One shard holds everything.
                             ShardRow{"Straße", 1, 0}, ShardRow{"", 1, 0}),
                         [](const auto& info) { return "row" + std::to_string(info.index); });

TEST(ShardOfId, SpreadsIdsEvenly) {
  std::vector<int> per_shard(4);
  for (int i = 0; i < 4000; ++i) ++per_shard[ShardOfId("artikel-" + std::to_string(i), 4)];
  for (int n : per_shard) EXPECT_NEAR(n, 1000, 100);
}

// ---------------------------------------------------------------------------
// Helpers

std::string Id(int i) { return "meldung-" + std::to_string(i); }

// Text of document i in `version`: German sentences naming both, so the
// stored text says which document and which version it is.
std::string Text(int i, int version) {
  static const char* const kSubjects[] = {"Die Stadtverwaltung", "Der Landtag",
                                          "Eine Bürgerinitiative", "Das Forschungsinstitut"};
  static const char* const kObjects[] = {"den Haushaltsentwurf", "die Fahrradstraßen",
                                         "ein Gutachten über Sprachmodelle",
                                         "neue Öffnungszeiten der Schwimmbäder"};
  return std::string(kSubjects[i % 4]) + " prüft " + kObjects[(i / 4) % 4] + ". Meldung " +
         std::to_string(i) + " in Fassung " + std::to_string(version) + ".";
}

std::string Jsonl(int first, int n, int version) {
  std::string out;
  for (int i = first; i < first + n; ++i) {
    out += nlohmann::json{{"id", Id(i)},
                          {"title", "Meldung " + std::to_string(i)},
                          {"category", i % 2 ? "politik" : "lokales"},
                          {"text", Text(i, version)}}
               .dump() +
           "\n";
  }
  return out;
}

nlohmann::json Index(const std::vector<std::string>& args, int expected_exit = 0) {
  std::vector<std::string> all = {"--json"};
  all.insert(all.end(), args.begin(), args.end());
  const auto r = RunTool("findling-index", all);
  EXPECT_EQ(r.exit_code, expected_exit) << r.err;
  return nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
}

// Every document by id; an id seen twice is recorded under "DUPLICATE <id>".
std::map<std::string, StoredDocument> Documents(const std::string& db) {
  std::map<std::string, StoredDocument> docs;
  Xapian::Database x(db);
  for (auto it = x.postlist_begin(""); it != x.postlist_end(""); ++it) {
    auto stored = StoredDocument::FromData(x.get_document(*it).get_data());
    EXPECT_TRUE(stored.ok()) << "docid " << *it;
    if (!stored.ok()) continue;
    const std::string key = docs.count(stored->id) ? "DUPLICATE " + stored->id : stored->id;
    docs[key] = stored.value();
  }
  return docs;
}

bool SameStored(const StoredDocument& a, const StoredDocument& b) {
  return a.ToData() == b.ToData();
}

// Each shard of a kept index holds exactly the ids ShardOfId() sends to it.
void ExpectRoutedByShardOfId(const std::string& db, std::uint32_t shards) {
  for (std::uint32_t s = 0; s < shards; ++s) {
    char name[16];
    std::snprintf(name, sizeof name, "/shard-%02u", s % 100);
    Xapian::Database shard(db + name);
    EXPECT_EQ(shard.get_metadata(schema::kShardKey),
              std::to_string(s) + "/" + std::to_string(shards));
    for (auto it = shard.postlist_begin(""); it != shard.postlist_end(""); ++it) {
      const auto stored = StoredDocument::FromData(shard.get_document(*it).get_data());
      ASSERT_TRUE(stored.ok());
      EXPECT_EQ(ShardOfId(stored->id, shards), s) << stored->id << " in shard " << s;
    }
  }
}

// ---------------------------------------------------------------------------
// Same documents as one writer

TEST(ShardBuild, MergedAndKeptShardsHoldTheSameDocumentsAsOneWriter) {
  TempDir dir;
  const std::string corpus = testing::SourceDir() + "/corpus";
  const std::string single = dir.path() + "/single.db", merged = dir.path() + "/merged.db",
                    kept = dir.path() + "/kept.db";
  const auto one = Index({"--db", single, "--shards", "1", corpus});
  const auto two = Index({"--db", merged, "--shards", "2", corpus});
  const auto three = Index({"--db", kept, "--shards", "3", "--keep-shards", corpus});
  EXPECT_EQ(two["shards_written"], 2);
  EXPECT_EQ(two["shards"], 1) << "merged into one database";
  EXPECT_TRUE(two["compaction"]["merged"].get<bool>());
  EXPECT_EQ(three["shards"], 3);
  EXPECT_FALSE(fs::exists(merged + "/XAPIANDB"));
  EXPECT_TRUE(fs::exists(kept + "/XAPIANDB"));
  EXPECT_FALSE(fs::exists(kept + "/MERGE-PENDING"));
  EXPECT_EQ(Xapian::Database(merged).get_metadata(schema::kShardKey), "")
      << "a merged index is no shard";

  const auto expected = Documents(single);
  ASSERT_GE(expected.size(), 40u);
  for (const std::string& db : {merged, kept}) {
    const auto got = Documents(db);
    ASSERT_EQ(got.size(), expected.size()) << db;
    for (const auto& [id, doc] : expected) {
      ASSERT_TRUE(got.count(id)) << id << " missing in " << db;
      EXPECT_TRUE(SameStored(got.at(id), doc)) << id << " in " << db;
    }
    EXPECT_EQ(Xapian::Database(db).get_metadata(schema::kAnalysisKey),
              Xapian::Database(single).get_metadata(schema::kAnalysisKey));
    const auto check = RunTool("findling-index", {"--check", "--db", db});
    EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  }
  ExpectRoutedByShardOfId(kept, 3);
  // The search finds the same article in all three.
  for (const std::string& db : {single, merged, kept}) {
    const auto r = RunTool("findling-search", {"--db", db, "--json", "Sprachmodell Liang"});
    ASSERT_EQ(r.exit_code, 0) << db << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)["hits"][0]["id"], "deepseek-v3-liang-wenfeng") << db;
  }
}

// ---------------------------------------------------------------------------
// A second run replaces, never duplicates

class ShardRerun : public ::testing::TestWithParam<bool> {};  // keep the shards?

TEST_P(ShardRerun, ChangedDocumentsReplaceTheirOldVersion) {
  const bool keep = GetParam();
  TempDir dir;
  const std::string db = dir.path() + "/news.db";
  std::vector<std::string> first = {
      "--db", db, "--shards", "4", "--batch", "25", dir.File("v1.jsonl", Jsonl(0, 200, 1))};
  if (keep) first.push_back("--keep-shards");
  Index(first);
  // Version 2 of the first half, and 20 new documents; no --shards: the
  // index's own layout decides.
  const auto second = Index(
      {"--db", db, "--batch", "25", dir.File("v2.jsonl", Jsonl(0, 100, 2) + Jsonl(200, 20, 2))});
  EXPECT_EQ(second["replaced"], 100);
  EXPECT_EQ(second["added"], 20);
  EXPECT_EQ(second["documents_in_index"], 220);
  EXPECT_EQ(second["shards"], keep ? 4 : 1);

  const auto docs = Documents(db);
  ASSERT_EQ(docs.size(), 220u);
  Xapian::Database x(db);
  for (int i = 0; i < 220; ++i) {
    ASSERT_TRUE(docs.count(Id(i))) << Id(i);
    EXPECT_EQ(docs.at(Id(i)).text, Text(i, i < 100 || i >= 200 ? 2 : 1)) << Id(i);
    EXPECT_EQ(x.get_termfreq(schema::kIdPrefix + Id(i)), 1u) << Id(i);
  }
  if (keep) ExpectRoutedByShardOfId(db, 4);
}

INSTANTIATE_TEST_SUITE_P(Layouts, ShardRerun, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Kept" : "Merged"; });

TEST(ShardBuild, DeleteByIdRemovesFromTheShardThatHoldsIt) {
  TempDir dir;
  const std::string db = dir.path() + "/news.db";
  Index({"--db", db, "--shards", "3", "--keep-shards", dir.File("a.jsonl", Jsonl(0, 30, 1))});
  const auto deleted =
      Index({"--db", db, "--delete", Id(3), "--delete", Id(17), "--delete", Id(28)});
  EXPECT_EQ(deleted["deleted"], 3);
  EXPECT_EQ(deleted["documents_in_index"], 27);
  // An id that is not there: a warning and exit 1, the rest untouched.
  const auto missing = RunTool("findling-index", {"--db", db, "--delete", "meldung-999"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("meldung-999"), std::string::npos) << missing.err;
  const auto docs = Documents(db);
  EXPECT_EQ(docs.size(), 27u);
  for (int i : {3, 17, 28}) EXPECT_FALSE(docs.count(Id(i))) << Id(i);
  for (int i : {0, 4, 16, 29}) EXPECT_TRUE(docs.count(Id(i))) << Id(i);
}

// ---------------------------------------------------------------------------
// A killed sharded build

TEST(ShardBuild, KilledBuildOpensAndARerunCompletesWithoutDuplicates) {
  constexpr int kDocs = 2000;
  TempDir dir;
  const std::string input = dir.File("news.jsonl", Jsonl(0, kDocs, 1));
  const auto started = std::chrono::steady_clock::now();
  Index({"--db", dir.path() + "/full.db", "--shards", "2", "--batch", "50", input});
  const double full_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();

  const std::string db = dir.path() + "/killed.db";
  std::mt19937 rng(20261205);  // fixed: a failing kill schedule must be reproducible
  std::uniform_real_distribution<double> moment(0.05, 0.9);
  int killed = 0;
  for (int round = 0; round < 4; ++round) {
    int delay_ms = static_cast<int>(moment(rng) * full_ms);
    SCOPED_TRACE("round " + std::to_string(round) + ", kill after " + std::to_string(delay_ms) +
                 " ms");
    const int status = testing::RunToolKilledAfter(
        "findling-index", {"--db", db, "--shards", "2", "--batch", "50", "--quiet", input},
        std::chrono::milliseconds(delay_ms));
    ASSERT_NE(status, -1);
    if (WIFSIGNALED(status)) ++killed;
    if (!fs::exists(db)) continue;  // killed before the shards were in place
    // Whatever the moment: it opens as one database, every document whole
    // and once.
    const auto docs = Documents(db);
    for (const auto& [id, doc] : docs) {
      EXPECT_EQ(id.rfind("DUPLICATE", 0), std::string::npos) << id;
      if (id.rfind("meldung-", 0) != 0) continue;
      EXPECT_EQ(doc.text, Text(std::stoi(id.substr(8)), 1)) << id;
    }
    const auto check = RunTool("findling-index", {"--check", "--db", db});
    EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  }
  EXPECT_GE(killed, 1) << "at least one round should kill a run mid-way";

  // The rerun completes the collection and, as the build it continues was
  // to be merged, merges it.
  const auto rerun = Index({"--db", db, "--batch", "50", input});
  EXPECT_EQ(rerun["documents_in_index"], kDocs);
  EXPECT_EQ(rerun["shards"], 1);
  EXPECT_FALSE(fs::exists(db + "/XAPIANDB"));
  const auto docs = Documents(db);
  ASSERT_EQ(docs.size(), static_cast<std::size_t>(kDocs));
  for (int i = 0; i < kDocs; ++i) ASSERT_TRUE(docs.count(Id(i))) << "missing " << Id(i);
}

// ---------------------------------------------------------------------------
// Bad --shards values

struct BadShardsRow {
  const char* name;
  std::vector<std::string> args;  // after --db DB; the index was built with 2 kept shards
  int exit_code;
  const char* message;  // part of stderr
};

class BadShards : public ::testing::TestWithParam<BadShardsRow> {};

TEST_P(BadShards, FailWithAClearMessageAndLeaveTheIndexAlone) {
  TempDir dir;
  const std::string db = dir.path() + "/news.db";
  Index({"--db", db, "--shards", "2", "--keep-shards", dir.File("a.jsonl", Jsonl(0, 10, 1))});
  const std::string input = dir.File("b.jsonl", Jsonl(10, 5, 1));
  std::vector<std::string> args = {"--db", db};
  for (std::string a : GetParam().args) {
    if (a == "DB") a = db;
    args.push_back(a);
  }
  args.push_back(input);
  const auto r = RunTool("findling-index", args);
  EXPECT_EQ(r.exit_code, GetParam().exit_code) << r.err;
  EXPECT_NE(r.err.find(GetParam().message), std::string::npos) << r.err;
  EXPECT_EQ(Xapian::Database(db).get_doccount(), 10u);
}

INSTANTIATE_TEST_SUITE_P(
    Rows, BadShards,
    ::testing::Values(
        BadShardsRow{"Zero", {"--shards", "0"}, 2, "--shards 0: give a number from 1 to 64"},
        BadShardsRow{"TooMany", {"--shards", "65"}, 2, "give a number from 1 to 64"},
        BadShardsRow{"NotANumber", {"--shards", "zwei"}, 2, "--shards"},
        BadShardsRow{"ContradictsTheIndex", {"--shards", "3"}, 2, "which has 2 shards"},
        BadShardsRow{"OneShardOfIt", {"--shards", "1"}, 2, "which has 2 shards"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(ShardBuild, AnUnshardedIndexIsOneShardAndAShardIsNoIndexOfItsOwn) {
  TempDir dir;
  const std::string plain = dir.path() + "/plain.db", sharded = dir.path() + "/sharded.db";
  const std::string a = dir.File("a.jsonl", Jsonl(0, 10, 1));
  Index({"--db", plain, "--shards", "1", a});
  EXPECT_FALSE(fs::exists(plain + "/XAPIANDB"));
  const auto contradicts = RunTool("findling-index", {"--db", plain, "--shards", "2", a});
  EXPECT_EQ(contradicts.exit_code, 2);
  EXPECT_NE(contradicts.err.find("which has 1 shard"), std::string::npos) << contradicts.err;
  // Without --shards, an update goes to the one shard.
  EXPECT_EQ(Index({"--db", plain, a})["replaced"], 10);

  Index({"--db", sharded, "--shards", "2", "--keep-shards", a});
  const auto into_shard = RunTool("findling-index", {"--db", sharded + "/shard-01", a});
  EXPECT_EQ(into_shard.exit_code, 3);
  EXPECT_NE(into_shard.err.find("is shard 1/2 of a sharded index"), std::string::npos)
      << into_shard.err;
}

// The stored text is compressed in the shards as they are written, as in an
// unsharded index: uncompacted shards (--no-compact keeps them as built) of
// 200 documents of 6.8 KB of repetitive text each hold far less than the
// text. (Xapian left it uncompressed in a shard reopened after its creation,
// and the merge then compressed all of it on one thread.)
TEST(ShardBuild, ShardsStoreTheTextCompressed) {
  TempDir dir;
  std::string input;
  std::string text;
  for (int i = 0; i < 400; ++i) text += "Haus Baum Garten ";
  for (int i = 0; i < 200; ++i) {
    input += nlohmann::json{{"id", Id(i)}, {"title", "Meldung"}, {"text", text}}.dump() + "\n";
  }
  const std::string db = dir.path() + "/db";
  const auto report =
      Index({"--db", db, "--shards", "2", "--no-compact", dir.File("same.jsonl", input)});
  EXPECT_EQ(report["shards"], 2);
  std::uintmax_t stored = 0;
  for (const char* shard : {"/shard-00", "/shard-01"}) {
    stored += fs::file_size(db + shard + "/docdata.glass");
    EXPECT_GT(Xapian::Database(db + shard).get_doccount(), 0u) << shard;
  }
  EXPECT_LT(stored, input.size() / 4) << "document data in the shards: " << stored << " bytes";
  EXPECT_EQ(Documents(db).size(), 200u);
}

}  // namespace
}  // namespace findling
