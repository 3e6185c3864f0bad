// common/folder_bytes.h: the size of an index folder as findling-index's
// compaction line and the server's stats report it. Each row builds a small
// tree and states the bytes counted; files outside the folder, symbolic links
// and folders themselves are the non-matches that must not be counted.
#include "common/folder_bytes.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>

#include "tests/test_util.h"

namespace findling {
namespace {

namespace fs = std::filesystem;

struct Row {
  const char* name;
  // Builds the tree under `root` and returns the path to measure.
  std::function<std::string(const testing::TempDir& root)> make;
  std::uint64_t expected;
};

const Row kRows[] = {
    {"MissingPathIsZero", [](const auto& t) { return t.path() + "/fehlt"; }, 0},
    {"EmptyFolderIsZero",
     [](const auto& t) {
       fs::create_directories(t.path() + "/leer");
       return t.path() + "/leer";
     },
     0},
    {"OneFileGivenDirectly",
     [](const auto& t) { return t.File("bericht.txt", "Die Regierung plant eine Reform."); }, 32},
    // Umlauts count in bytes, not letters: "Größe" is 7 bytes.
    {"FilesInNestedFolders",
     [](const auto& t) {
       t.File("db/postlist.glass", "Größe");
       t.File("db/sub/termlist.glass", "Straße");
       t.File("db/sub/tiefer/leer", "");
       t.File("nebenan.txt", "nicht im Ordner");
       return t.path() + "/db";
     },
     7 + 7},
    {"SymbolicLinksAreNotFollowed",
     [](const auto& t) {
       const std::string outside = t.File("draussen/gross.bin", std::string(1000, 'x'));
       t.File("db/iamglass", "12345");
       fs::create_symlink(outside, t.path() + "/db/link-auf-datei");
       fs::create_directory_symlink(t.path() + "/draussen", t.path() + "/db/link-auf-ordner");
       return t.path() + "/db";
     },
     5},
};

class FolderBytesTable : public ::testing::TestWithParam<Row> {};

TEST_P(FolderBytesTable, CountsRegularFiles) {
  testing::TempDir dir;
  const std::string path = GetParam().make(dir);
  EXPECT_EQ(FolderBytes(path), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(Rows, FolderBytesTable, ::testing::ValuesIn(kRows),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace findling
