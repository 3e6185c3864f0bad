// Crash safety of findling-index: what a run killed at any moment, a full
// disk or a read-only folder leaves behind.
//
// IndexWriter promises that everything committed stays committed and that a
// batch is committed whole or not at all (indexer/index_writer.h). These
// tests hold the real executable to that: they SIGKILL it at seeded random
// moments, fill its disk and make its folder read-only, and after each
// fault open the index, verify every document's stored content, and run
// `findling-index --check`. Documents encode their own number, so a torn or
// mixed-up document cannot pass for a good one.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
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
using Clock = std::chrono::steady_clock;

constexpr int kBatch = 50;

std::string Id(int i) {
  char id[16];
  std::snprintf(id, sizeof id, "doc-%05d", i);
  return id;
}

// The text of document i: German sentences that vary with i, plus its id
// and a checksum word, so the stored text alone says which document it is.
std::string Text(int i) {
  static const char* const kSubjects[] = {"Die Stadtverwaltung", "Der Bundestag",
                                          "Eine Bürgerinitiative", "Das Forschungsinstitut",
                                          "Die Straßenbahngesellschaft"};
  static const char* const kVerbs[] = {"beschließt", "prüft", "kritisiert", "veröffentlicht"};
  static const char* const kObjects[] = {"einen Haushaltsentwurf", "die Fahrradstraßen",
                                         "ein Gutachten über Sprachmodelle",
                                         "neue Öffnungszeiten der Bäder"};
  return std::string(kSubjects[i % 5]) + " " + kVerbs[i % 4] + " " + kObjects[i % 7 % 4] +
         ". Meldung " + Id(i) + " mit Prüfwort p" + std::to_string(i * 7919 % 10007) +
         ". Weitere Einzelheiten folgen am " + std::to_string(1 + i % 28) + ". März.";
}

// `n` documents as JSONL, in id order.
std::string Jsonl(int first, int n) {
  std::string out;
  for (int i = first; i < first + n; ++i) {
    out += nlohmann::json{{"id", Id(i)},
                          {"title", "Meldung " + std::to_string(i)},
                          {"date", "2024-03-" + std::string(i % 28 < 9 ? "0" : "") +
                                       std::to_string(1 + i % 28)},
                          {"category", i % 2 ? "politik" : "lokales"},
                          {"text", Text(i)}}
               .dump();
    out += '\n';
  }
  return out;
}

struct IndexState {
  bool opened = false;
  std::string error;
  std::uint64_t count = 0;
  std::vector<int> numbers;      // of the documents present, sorted
  std::vector<std::string> bad;  // documents whose content is wrong
};

// Opens the index read-only and checks every document's content.
IndexState Inspect(const std::string& db) {
  IndexState s;
  try {
    Xapian::Database x(db);
    s.opened = true;
    s.count = x.get_doccount();
    for (auto it = x.postlist_begin(""); it != x.postlist_end(""); ++it) {
      const auto stored = StoredDocument::FromData(x.get_document(*it).get_data());
      if (!stored.ok() || stored->id.rfind("doc-", 0) != 0) {
        s.bad.push_back("docid " + std::to_string(*it));
        continue;
      }
      const int i = std::stoi(stored->id.substr(4));
      if (stored->text != Text(i) || stored->title != "Meldung " + std::to_string(i) ||
          x.get_termfreq(schema::kIdPrefix + stored->id) != 1) {
        s.bad.push_back(stored->id);
      }
      s.numbers.push_back(i);
    }
    std::sort(s.numbers.begin(), s.numbers.end());
  } catch (const Xapian::Error& e) {
    s.error = e.get_description();
  }
  return s;
}

// ---------------------------------------------------------------------------
// SIGKILL at random moments

TEST(CrashSafety, KilledRunsKeepWholeBatchesAndARerunCompletes) {
  constexpr int kDocs = 2500;
  TempDir dir;
  const std::string input = dir.File("news.jsonl", Jsonl(0, kDocs));
  const std::string batch = std::to_string(kBatch);

  // A complete run first, to learn how long one takes on this machine (and
  // sanitizer build), so the kills land inside the run, not after it.
  const auto started = Clock::now();
  // One shard: this test holds the single writer to its promise that the
  // committed documents are whole batches from the start of the input (a
  // sharded build's kill is tested in shard_build_test.cc).
  const auto full = RunTool("findling-index", {"--db", dir.path() + "/full.db", "--shards", "1",
                                               "--batch", batch, "--json", input});
  const double full_ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
  ASSERT_EQ(full.exit_code, 0) << full.err;
  ASSERT_EQ(nlohmann::json::parse(full.out)["added"], kDocs);

  const std::string db = dir.path() + "/killed.db";
  std::mt19937 rng(20261129);  // fixed: a failing kill schedule must be reproducible
  std::uniform_real_distribution<double> moment(0.02, 0.9);
  std::uint64_t verified = 0;
  int killed_mid_run = 0, finished_first = 0;
  for (int kill = 0; kill < 5; ++kill) {
    int delay_ms = static_cast<int>(moment(rng) * full_ms);
    SCOPED_TRACE("kill " + std::to_string(kill) + " after " + std::to_string(delay_ms) + " ms");
    // A run that finishes before its kill (the machine is shared, so run
    // times vary) is repeated with half the delay, so that every round
    // really kills a run.
    for (int attempt = 0; attempt < 5; ++attempt, delay_ms /= 2) {
      const int status = testing::RunToolKilledAfter(
          "findling-index", {"--db", db, "--shards", "1", "--batch", batch, "--quiet", input},
          std::chrono::milliseconds(delay_ms));
      ASSERT_NE(status, -1);
      if (WIFSIGNALED(status)) {
        ++killed_mid_run;
        break;
      }
      ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
      ++finished_first;
    }
    if (!std::filesystem::exists(db)) continue;  // killed before it created the folder

    const IndexState s = Inspect(db);
    ASSERT_TRUE(s.opened) << s.error;
    EXPECT_TRUE(s.bad.empty()) << s.bad.size() << " wrong documents, first " << s.bad[0];
    // Whole batches only, and always the first ones of the input.
    EXPECT_TRUE(s.count % kBatch == 0 || s.count == static_cast<std::uint64_t>(kDocs)) << s.count;
    ASSERT_EQ(s.numbers.size(), s.count);
    for (std::size_t i = 0; i < s.numbers.size(); ++i) {
      ASSERT_EQ(s.numbers[i], static_cast<int>(i)) << "a gap in the committed documents";
    }
    verified += s.count;
    const auto check = RunTool("findling-index", {"--check", "--db", db});
    EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  }
  EXPECT_EQ(killed_mid_run, 5) << "every round should kill a run";
  std::printf(
      "[ figures  ] %d runs killed mid-run, %d finished before their kill (full run "
      "%.0f ms); %llu documents verified after kills\n",
      killed_mid_run, finished_first, full_ms, static_cast<unsigned long long>(verified));

  // Running the same input again completes the index: every document once.
  const auto rerun = RunTool("findling-index", {"--db", db, "--batch", batch, "--json", input});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.err;
  const IndexState s = Inspect(db);
  ASSERT_TRUE(s.opened) << s.error;
  EXPECT_EQ(s.count, static_cast<std::uint64_t>(kDocs));
  EXPECT_TRUE(s.bad.empty()) << s.bad.size() << " wrong documents, first " << s.bad[0];
  ASSERT_EQ(s.numbers.size(), static_cast<std::size_t>(kDocs));
  for (int i = 0; i < kDocs; ++i) ASSERT_EQ(s.numbers[i], i) << "missing or duplicate";
  const auto check = RunTool("findling-index", {"--check", "--json", "--db", db});
  ASSERT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_EQ(nlohmann::json::parse(check.out)["documents"], kDocs);
}

// ---------------------------------------------------------------------------
// A full disk and a read-only folder, on a small tmpfs of their own

// A tmpfs of `size` mounted on a fresh folder; unmounted by the destructor.
// Mounting needs CAP_SYS_ADMIN: mounted() is false without it.
class SmallDisk {
 public:
  explicit SmallDisk(const std::string& size) {
    if (mount("tmpfs", dir_.path().c_str(), "tmpfs", 0, ("size=" + size).c_str()) == 0) {
      mounted_ = true;
    } else {
      error_ = std::strerror(errno);
    }
  }
  ~SmallDisk() {
    if (mounted_) umount2(dir_.path().c_str(), MNT_DETACH);
  }
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;

  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }
  std::string path() const { return dir_.path(); }
  bool RemountReadOnly() {
    return mount("tmpfs", dir_.path().c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, nullptr) == 0;
  }

 private:
  TempDir dir_;
  bool mounted_ = false;
  std::string error_;
};

TEST(CrashSafety, FullDiskFailsClearlyAndKeepsTheCommittedIndex) {
  SmallDisk disk("3m");
  if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here: " << disk.error();
  TempDir inputs;
  const std::string db = disk.path() + "/news.db";
  const auto first = RunTool("findling-index", {"--db", db, "--batch", "50", "--quiet",
                                                inputs.File("first.jsonl", Jsonl(0, 200))});
  ASSERT_EQ(first.exit_code, 0) << first.err;

  // About 12 MB of text and its postings cannot fit into 3 MB.
  const auto full = RunTool("findling-index", {"--db", db, "--batch", "500", "--quiet",
                                               inputs.File("more.jsonl", Jsonl(200, 30000))});
  EXPECT_EQ(full.exit_code, 3) << full.err;
  EXPECT_NE(full.err.find(db), std::string::npos) << "the message names the index: " << full.err;
  EXPECT_NE(full.err.find("No space left on device"), std::string::npos) << full.err;
  std::printf("[ figures  ] disk full: %s", full.err.c_str());

  const IndexState s = Inspect(db);
  ASSERT_TRUE(s.opened) << s.error;
  EXPECT_TRUE(s.bad.empty()) << s.bad.size() << " wrong documents, first " << s.bad[0];
  EXPECT_GE(s.count, 200u) << "the earlier documents are gone";
  for (std::size_t i = 0; i < s.numbers.size(); ++i) {
    ASSERT_EQ(s.numbers[i], static_cast<int>(i)) << "a gap in the committed documents";
  }
  const auto check = RunTool("findling-index", {"--check", "--db", db});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
}

TEST(CrashSafety, ReadOnlyFolderFailsClearlyAndKeepsTheIndex) {
  SmallDisk disk("4m");
  if (!disk.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here: " << disk.error();
  TempDir inputs;
  const std::string db = disk.path() + "/news.db";
  const auto first =
      RunTool("findling-index", {"--db", db, "--quiet", inputs.File("first.jsonl", Jsonl(0, 100))});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  // chmod would not stop root (the tests run as root in CI); a read-only
  // mount stops everyone.
  ASSERT_TRUE(disk.RemountReadOnly()) << std::strerror(errno);

  const auto more =
      RunTool("findling-index", {"--db", db, "--quiet", inputs.File("more.jsonl", Jsonl(100, 50))});
  EXPECT_EQ(more.exit_code, 3) << more.err;
  EXPECT_NE(more.err.find(db), std::string::npos) << "the message names the index: " << more.err;
  EXPECT_NE(more.err.find("Read-only file system"), std::string::npos) << more.err;
  // Regression: Xapian reports this as a lock error, which was passed on as
  // "locked by another writer" -- sending the user after a process that
  // does not exist.
  EXPECT_EQ(more.err.find("another writer"), std::string::npos) << more.err;
  std::printf("[ figures  ] read-only: %s", more.err.c_str());
  const IndexState s = Inspect(db);
  ASSERT_TRUE(s.opened) << s.error;
  EXPECT_EQ(s.count, 100u);
  EXPECT_TRUE(s.bad.empty());
  const auto check = RunTool("findling-index", {"--check", "--db", db});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
}

TEST(CrashSafety, AnIndexLockedByAnotherWriterIsReportedSo) {
  TempDir dir;
  const std::string db = dir.path() + "/news.db";
  ASSERT_EQ(RunTool("findling-index", {"--db", db, "--quiet", dir.File("a.jsonl", Jsonl(0, 3))})
                .exit_code,
            0);
  Xapian::WritableDatabase holder(db);  // holds the write lock until the end of the test
  const auto r =
      RunTool("findling-index", {"--db", db, "--quiet", dir.File("b.jsonl", Jsonl(3, 3))});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("locked by another writer"), std::string::npos) << r.err;
}

TEST(CrashSafety, IndexFolderThatCannotBeCreatedFailsClearly) {
  TempDir dir;
  const std::string blocker = dir.File("not-a-folder", "x");
  const auto r = RunTool("findling-index", {"--db", blocker + "/news.db", "--quiet",
                                            dir.File("in.jsonl", Jsonl(0, 3))});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find(blocker + "/news.db"), std::string::npos) << r.err;
}

// ---------------------------------------------------------------------------
// findling-index --check on indexes that are not intact

TEST(IndexCheck, ReportsAMissingIndex) {
  TempDir dir;
  const auto r = RunTool("findling-index", {"--check", "--db", dir.path() + "/none.db"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find(dir.path() + "/none.db"), std::string::npos) << r.err;
}

TEST(IndexCheck, ReportsAFolderThatIsNoIndex) {
  TempDir dir;
  dir.File("plain/readme.txt", "kein Index");
  const auto r = RunTool("findling-index", {"--check", "--db", dir.path() + "/plain"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("not a Xapian index"), std::string::npos) << r.err;
}

TEST(IndexCheck, ReportsAnotherAnalysis) {
  TempDir dir;
  const std::string db = dir.path() + "/news.db";
  ASSERT_EQ(RunTool("findling-index",
                    {"--db", db, "--no-stem", "--quiet", dir.File("in.jsonl", Jsonl(0, 5))})
                .exit_code,
            0);
  // Checked with the options it was built with: intact.
  const auto same = RunTool("findling-index", {"--check", "--no-stem", "--db", db});
  EXPECT_EQ(same.exit_code, 0) << same.out << same.err;
  EXPECT_NE(same.out.find("5 documents"), std::string::npos) << same.out;
  // With the default analysis: indexing into it would be refused, and --check says so.
  const auto other = RunTool("findling-index", {"--check", "--db", db});
  EXPECT_EQ(other.exit_code, 3);
  EXPECT_NE(other.out.find("stem=none"), std::string::npos) << other.out;
}

TEST(IndexCheck, ReportsDocumentsThatBreakTheLayout) {
  TempDir dir;
  const std::string db = dir.path() + "/news.db";
  ASSERT_EQ(RunTool("findling-index", {"--db", db, "--quiet", dir.File("in.jsonl", Jsonl(0, 5))})
                .exit_code,
            0);
  {
    // What a bug or a foreign writer could leave: data that is not ours, a
    // document without its id term, and two documents with one id.
    Xapian::WritableDatabase w(db);
    Xapian::Document garbage;
    garbage.set_data("not json");
    garbage.add_boolean_term("Qgarbage");
    w.add_document(garbage);
    Xapian::Document no_id;
    no_id.set_data(StoredDocument{"lost", "t", "", "", "", "x"}.ToData());
    w.add_document(no_id);
    Xapian::Document twin = w.get_document(w.postlist_begin("Q" + Id(1)).operator*());
    w.add_document(twin);
    w.commit();
  }
  const auto r = RunTool("findling-index", {"--check", "--json", "--db", db});
  EXPECT_EQ(r.exit_code, 3);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["documents"], 8);
  EXPECT_FALSE(j["ok"].get<bool>());
  const std::string problems = j["problems"].dump();
  EXPECT_NE(problems.find("not a JSON object"), std::string::npos) << problems;
  EXPECT_NE(problems.find("found none"), std::string::npos) << problems;
  EXPECT_NE(problems.find("2 documents carry the id term Q" + Id(1)), std::string::npos)
      << problems;
}

// Issue 16: an index written before dates were checked may hold
// "2024-02-31"; the check names it and says what to do.
TEST(IndexCheck, ReportsADateThatIsNoDay) {
  TempDir dir;
  const std::string db = dir.path() + "/news.db";
  ASSERT_EQ(RunTool("findling-index", {"--db", db, "--quiet", dir.File("in.jsonl", Jsonl(0, 2))})
                .exit_code,
            0);
  {
    // What the readers used to write for "31.02.2024": stored and in the date slot.
    Xapian::WritableDatabase w(db);
    Xapian::Document old;
    old.set_data(StoredDocument{"fasching", "Fasching", "", "2024-02-31", "", "Umzug"}.ToData());
    old.add_boolean_term("Qfasching");
    old.add_value(schema::kDateSlot, "2024-02-31");
    w.add_document(old);
    w.commit();
  }
  const auto r = RunTool("findling-index", {"--check", "--json", "--db", db});
  EXPECT_EQ(r.exit_code, 3);
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["problems"].size(), 1u) << j["problems"];
  EXPECT_NE(
      j["problems"][0].get<std::string>().find(
          "(\"fasching\"): date \"2024-02-31\" is not a day in the calendar (written before dates "
          "were checked; index the document again)"),
      std::string::npos)
      << j["problems"];
}

TEST(IndexCheck, ReportsACorruptTable) {
  TempDir dir;
  const std::string db = dir.path() + "/news.db";
  ASSERT_EQ(RunTool("findling-index", {"--db", db, "--quiet", dir.File("in.jsonl", Jsonl(0, 300))})
                .exit_code,
            0);
  // Overwrite the middle of the postings table with noise.
  const std::string table = db + "/postlist.glass";
  ASSERT_TRUE(std::filesystem::exists(table));
  const auto size = std::filesystem::file_size(table);
  ASSERT_GT(size, 16384u);
  {
    std::fstream f(table, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size / 2));
    const std::string noise(4096, '\x5a');
    f.write(noise.data(), static_cast<std::streamsize>(noise.size()));
  }
  const auto r = RunTool("findling-index", {"--check", "--db", db});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_FALSE((r.out + r.err).empty());
}

}  // namespace
}  // namespace findling
