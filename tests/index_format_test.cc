// The stored record: hit lists without snippets read the header value
// (slot 1), everything else the data; both give the same fields, and an
// index written before slot 1 existed is still read.
#include <gtest/gtest.h>
#include <xapian.h>

#include <nlohmann/json.hpp>

#include "common/index_schema.h"
#include "tests/test_util.h"

namespace findling {
namespace {

using testing::RunTool;
using testing::TempDir;

TEST(IndexFormat, HeaderIsTheRecordWithoutItsText) {
  const StoredDocument doc{"gesetz-1", "Grundgesetz, Artikel 1", "https://example.org/gg",
                           "1949-05-23", "Recht", "Die Würde des Menschen ist unantastbar."};
  auto header = StoredDocument::FromData(doc.ToHeader());
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header->id, doc.id);
  EXPECT_EQ(header->title, doc.title);
  EXPECT_EQ(header->url, doc.url);
  EXPECT_EQ(header->date, doc.date);
  EXPECT_EQ(header->category, doc.category);
  EXPECT_EQ(header->text, "");
  EXPECT_LT(doc.ToHeader().size(), doc.ToData().size());
}

nlohmann::json Search(const std::string& db, const std::string& query, bool snippets) {
  std::vector<std::string> args = {"--db", db, "--json", query};
  if (!snippets) args.push_back("--no-snippets");
  const auto r = RunTool("findling-search", args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

TEST(IndexFormat, HitsWithAndWithoutSnippetsShowTheSameFields) {
  TempDir dir;
  const std::string db = dir.path() + "/db";
  ASSERT_EQ(RunTool("findling-index", {"--db", db, "-q", testing::SourceDir() + "/corpus"}).exit_code, 0);
  // An index from before the header slot: take it away from one document.
  {
    Xapian::WritableDatabase w(db, Xapian::DB_OPEN);
    Xapian::Document d = w.get_document(1);
    d.remove_value(schema::kHeaderSlot);
    w.replace_document(1, d);
    w.commit();
  }
  for (const char* query : {"Sprachmodell Liang Wenfeng", "Energie", "Bürgeramt"}) {
    const auto with = Search(db, query, true), without = Search(db, query, false);
    ASSERT_EQ(with["hits"].size(), without["hits"].size()) << query;
    ASSERT_FALSE(with["hits"].empty()) << query;
    for (std::size_t i = 0; i < with["hits"].size(); ++i) {
      for (const char* field : {"id", "title", "url", "date", "category"}) {
        EXPECT_EQ(with["hits"][i][field], without["hits"][i][field]) << query << " " << field;
      }
      EXPECT_FALSE(without["hits"][i]["title"].get<std::string>().empty());
    }
  }
  EXPECT_EQ(RunTool("findling-index", {"--db", db, "--check"}).exit_code, 0);
}

TEST(IndexFormat, CheckFindsAHeaderThatDisagreesWithTheData) {
  TempDir dir;
  const std::string db = dir.path() + "/db";
  ASSERT_EQ(RunTool("findling-index", {"--db", db, "-q", testing::SourceDir() + "/corpus"}).exit_code, 0);
  {
    Xapian::WritableDatabase w(db, Xapian::DB_OPEN);
    Xapian::Document d = w.get_document(2);
    d.add_value(schema::kHeaderSlot, StoredDocument{"anderer", "Falscher Titel", "", "", "", ""}.ToHeader());
    w.replace_document(2, d);
    w.commit();
  }
  const auto r = RunTool("findling-index", {"--db", db, "--check"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.out.find("header value"), std::string::npos) << r.out << r.err;
}

}  // namespace
}  // namespace findling
