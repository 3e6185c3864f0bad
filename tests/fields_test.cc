// Metadata fields (issue 13), from the declaration to the hit: which field
// declarations are accepted, what each reader keeps, and end to end through
// findling-index, findling-search and an in-process findling-server: filters
// (the matches and the non-matches beside them), facet counts, the fields in
// hits, and the errors (unknown field, unknown facet, a field declared
// twice, another declaration than the index's).
#include "common/fields.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/index_schema.h"
#include "indexer/readers.h"
#include "searcher/searcher.h"
#include "client/client.h"
#include "server/server.h"
#include "tests/running_server.h"
#include "tests/test_util.h"

namespace findling {
namespace {

using nlohmann::json;
using testing::RunningServer;
using testing::RunTool;
using namespace std::chrono_literals;

// ---------------------------------------------------------------------------
// Declarations

struct DeclarationRow {
  const char* name;
  std::vector<std::string> declarations;
  std::string expected;  // FieldSchema::ToString(), or "error: <part of the message>"
};

void PrintTo(const DeclarationRow& row, std::ostream* os) { *os << row.name; }

class DeclarationTest : public ::testing::TestWithParam<DeclarationRow> {};

TEST_P(DeclarationTest, ParsesOrNamesTheProblem) {
  const DeclarationRow& row = GetParam();
  auto schema = FieldSchema::Parse(row.declarations);
  const std::string got = schema.ok() ? schema->ToString() : "error: " + schema.status().message();
  if (row.expected.rfind("error: ", 0) == 0) {
    EXPECT_EQ(got.rfind("error: ", 0), 0u) << got;
    EXPECT_NE(got.find(row.expected.substr(7)), std::string::npos) << got;
  } else {
    EXPECT_EQ(got, row.expected);
    // The recorded form reads back as the same declaration.
    auto again = FieldSchema::FromMetadata(got);
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    EXPECT_EQ(again->ToString(), got);
  }
}

const DeclarationRow kDeclarationRows[] = {
    {"FilterAndFacet", {"author:filter,facet"}, "author:filter,facet"},
    {"OrderOfPropertiesDoesNotMatter", {"Autor:facet,filter"}, "autor:filter,facet"},
    {"SeveralInDeclarationOrder", {"tags:filter", "quelle:facet"}, "tags:filter quelle:facet"},
    {"PunctuationBecomesUnderscore",
     {"dc.creator:filter", "og-site name:facet"},
     "dc_creator:filter og_site_name:facet"},
    {"NoneDeclared", {}, ""},
    // Errors.
    {"DeclaredTwice", {"author:filter", "Author:facet"}, "error: \"author\" is declared twice"},
    {"BuiltInName", {"title:filter"}, "error: \"title\" is a built-in name"},
    {"GermanBuiltInName", {"kategorie:facet"}, "error: built-in name"},
    {"FacetYearIsTaken", {"year:facet"}, "error: built-in name"},
    {"NoProperties", {"author"}, "error: needs properties"},
    {"UnknownProperty", {"author:sort"}, "error: unknown property \"sort\""},
    {"Umlaut", {"schlagwörter:filter"}, "error: has a character other than"},
    {"StartsWithDigit", {"2autor:filter"}, "error: must start with a letter"},
    {"TooLong", {std::string(33, 'a') + ":filter"}, "error: longer than 32 bytes"},
};

INSTANTIATE_TEST_SUITE_P(Fields, DeclarationTest, ::testing::ValuesIn(kDeclarationRows),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(DeclarationFileTest, OneDeclarationPerLineErrorsNameTheLine) {
  testing::TempDir dir;
  const std::string good =
      dir.File("good.fields", "# Felder der Nachrichten\nauthor:filter,facet\n\n  tags:filter  \n");
  auto schema = FieldSchema::ParseFile(good);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(schema->ToString(), "author:filter,facet tags:filter");
  const std::string twice = dir.File("twice.fields", "author:filter\n# x\nauthor:facet\n");
  auto bad = FieldSchema::ParseFile(twice);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), twice + ":3: field \"author\" is declared twice");
  EXPECT_FALSE(FieldSchema::ParseFile(dir.path() + "/missing.fields").ok());
}

// ---------------------------------------------------------------------------
// Stored data: the fields follow the six, in order, in the data and the header.

TEST(StoredFieldsTest, RoundTripInDataAndHeaderAndTruncationIsCorruption) {
  StoredDocument doc{"chipwerk",   "Chiphersteller baut Werk in Dresden", "", "2025-03-30",
                     "Wirtschaft", "Das Werk soll 2027 Chips liefern."};
  const std::string without_fields = doc.ToData();
  doc.fields = {{"author", "Jane Doe"}, {"tags", "KI"}, {"tags", "Chips"}};
  for (const std::string& data : {doc.ToData(), doc.ToHeader()}) {
    auto back = StoredDocument::FromData(data);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(back->fields, doc.fields);
    EXPECT_EQ(back->category, "Wirtschaft");
  }
  // Data written before extra fields existed reads as no fields.
  auto old = StoredDocument::FromData(without_fields);
  ASSERT_TRUE(old.ok());
  EXPECT_TRUE(old->fields.empty());
  // A name without its value is cut data, not a field.
  const std::string data = doc.ToData();
  auto cut = StoredDocument::FromData(data.substr(0, data.size() - 6));
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.status().code(), Status::Code::kCorruption);
}

// ---------------------------------------------------------------------------
// Readers: every format keeps its extra fields; the built-in ones stay out.

class FieldSink : public DocumentSink {
 public:
  bool Accept(SourceDocument&& doc) override {
    dump += doc.id + ":";
    for (const auto& [name, value] : doc.fields) dump += " " + name + "=" + value;
    dump += "\n";
    return true;
  }
  void Skip(const ReadIssue& issue) override { dump += "skip " + issue.message + "\n"; }
  void Warn(const ReadIssue& issue) override {
    dump += "warn " + issue.where + ": " + issue.message + "\n";
  }
  std::string dump;
};

struct ReaderRow {
  const char* name;
  const char* file;
  std::string content;
  std::string expected;  // FieldSink::dump with the folder removed
};

void PrintTo(const ReaderRow& row, std::ostream* os) { *os << row.name; }

class FieldReaderTest : public ::testing::TestWithParam<ReaderRow> {};

TEST_P(FieldReaderTest, KeepsTheExtraFields) {
  const ReaderRow& row = GetParam();
  testing::TempDir dir;
  const std::string path = dir.File(row.file, row.content);
  FieldSink sink;
  ASSERT_TRUE(ReadInput(path, ReaderOptions{}, sink).ok());
  std::string dump = sink.dump;
  for (std::size_t at; (at = dump.find(dir.path() + "/")) != std::string::npos;) {
    dump.erase(at, dir.path().size() + 1);
  }
  EXPECT_EQ(dump, row.expected);
}

const ReaderRow kReaderRows[] = {
    {"JsonlStringsAndArrays", "news.jsonl",
     R"({"id":"a","title":"KI-Gipfel","author":"Jane Doe","tags":["KI","Chips"],"category":"Technik","seiten":12,"meta":{"x":"y"}})"
     "\n",
     "a: author=Jane Doe tags=KI tags=Chips\n"},
    {"JsonlNameNormalisedValueTrimmed", "news.jsonl",
     R"({"id":"b","text":"Bahnstreik","Dc.Creator":"  Erika Mustermann  ","leer":""})"
     "\n",
     "b: dc_creator=Erika Mustermann\n"},
    {"JsonlBadNameWarnsAndTheDocumentStays", "news.jsonl",
     R"({"id":"c","text":"Hochwasser","Schlagwörter":"Donau","quelle":"dpa"})"
     "\n",
     "warn news.jsonl:1: field name \"Schlagwörter\" has a character other than a-z, 0-9, _ "
     "(or - . : space, which become _); field dropped\n"
     "c: quelle=dpa\n"},
    {"JsonlLongValueIsCutWithAWarning", "news.jsonl",
     "{\"id\":\"d\",\"text\":\"x\",\"quelle\":\"" + std::string(170, 'a') + "\"}\n",
     "warn news.jsonl:1: value of field \"quelle\" is longer than 160 bytes; cut\n"
     "d: quelle=" +
         std::string(160, 'a') + "\n"},
    {"CsvColumnsWithPipeSeparatedValues", "news.csv",
     "id,title,text,Author,tags\n"
     "e,Wahl in Thüringen,Die Wahl ist entschieden.,Max Muster,Politik|Thüringen\n"
     "f,Ohne Autor,Text,,\n",
     "e: author=Max Muster tags=Politik tags=Thüringen\nf:\n"},
    {"MarkdownFrontMatterListsBothWays", "artikel.md",
     "---\ntitle: Chips aus Dresden\nauthor: \"Jane Doe\"\ntags: [KI, Chips]\nquellen:\n  - dpa\n"
     "  - Reuters\ncategory: Wirtschaft\n---\n\nDas Werk soll 2027 Chips liefern.\n",
     "artikel.md: author=Jane Doe tags=KI tags=Chips quellen=dpa quellen=Reuters\n"},
    {"HtmlMetaRepeatedNamesAndNoTechnicalOnes", "seite.html",
     "<html><head><title>Bahnstreik</title><meta name=\"author\" content=\"Jane Doe\">"
     "<meta name=\"keywords\" content=\"Bahn\"><meta name=\"keywords\" content=\"Streik\">"
     "<meta name=\"viewport\" content=\"width=device-width\">"
     "<meta property=\"og:title\" content=\"Bahnstreik\">"
     "<meta name=\"category\" content=\"Verkehr\"></head><body><p>Die GDL "
     "streikt.</p></body></html>",
     "seite.html: author=Jane Doe keywords=Bahn keywords=Streik\n"},
};

INSTANTIATE_TEST_SUITE_P(Formats, FieldReaderTest, ::testing::ValuesIn(kReaderRows),
                         [](const auto& info) { return std::string(info.param.name); });

// ---------------------------------------------------------------------------
// End to end

// Five dated articles with authors, tags and a source, and one without either. "wahl" has nine
// tags: the ninth is still filterable but beyond the facet slots (kFacetValuesPerDocument).
constexpr const char* kArticles =
    R"({"id":"chipwerk","date":"2025-03-30","category":"Wirtschaft","title":"Chiphersteller baut Werk in Dresden","text":"Das Werk soll 2027 Chips liefern.","author":"Jane Doe","tags":["KI","Chips"],"quelle":"dpa"}
{"id":"sprachmodell","date":"2025-01-27","category":"Technik","title":"Neues Sprachmodell aus China","text":"Das Modell rechnet mit weniger Chips.","author":["Jane Doe","Liang Wenfeng"],"tags":["KI"],"quelle":"Reuters"}
{"id":"bahnstreik","date":"2024-03-05","category":"Verkehr","title":"Bahnstreik legt Fernverkehr lahm","text":"Die Bahn stellt den Fernverkehr ein.","author":"Max Muster","tags":"Bahn"}
{"id":"haushalt","date":"2024-11-20","category":"Politik","title":"Haushaltsstreit im Bundestag","text":"Der Bundestag streitet über den Haushalt.","author":"jane doe"}
{"id":"wahl","date":"2024-09-01","category":"Politik","title":"Wahl in Thüringen","text":"Die Wahl ist entschieden.","tags":["Wahl","Thüringen","Erfurt","Landtag","CDU","SPD","AfD","BSW","Linke"]}
{"id":"glocke","title":"Glockenspiel im Rathaus","text":"Das Glockenspiel spielt wieder."}
)";

// The hits' ids in id order: these tests ask which documents match, not
// how they rank.
std::vector<std::string> HitIds(const json& response) {
  std::vector<std::string> ids = testing::HitIds(response);
  std::sort(ids.begin(), ids.end());
  return ids;
}

class FieldsEndToEndTest : public testing::SharedFolderTest<FieldsEndToEndTest> {
 protected:
  static void SetUpTestSuite() {
    SetUpFolder();
    input_ = dir_->File("news.jsonl", kArticles);
    db_ = dir_->path() + "/news.db";
    const auto r =
        RunTool("findling-index", {"--db", db_, "--field", "author:filter,facet", "--field",
                                   "tags:filter,facet", "--field", "quelle:facet", input_});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    server_ = std::make_unique<RunningServer>(db_);
  }

  static json Search(std::vector<std::string> args, int expected_exit = -1) {
    args.insert(args.begin(), {"--db", db_, "--json"});
    const auto r = RunTool("findling-search", args);
    if (expected_exit >= 0) {
      EXPECT_EQ(r.exit_code, expected_exit) << r.out << r.err;
    }
    return json::parse(r.out, nullptr, false);
  }

  static inline std::string input_, db_;
};

using Ids = std::vector<std::string>;

TEST_F(FieldsEndToEndTest, FiltersMatchTheValueAndNothingElse) {
  const std::pair<const char*, Ids> rows[] = {
      // One value; case folded as category: is, so "jane doe" counts too.
      {"author:\"Jane Doe\"", {"chipwerk", "haushalt", "sprachmodell"}},
      {"author:„jane doe“", {"chipwerk", "haushalt", "sprachmodell"}},
      // The second value of a repeated field.
      {"author:\"Liang Wenfeng\"", {"sprachmodell"}},
      // Exact values, not words: neither a part of the name nor a prefix.
      {"author:Jane", {}},
      {"author:\"Jane Do\"", {}},
      {"tags:ki", {"chipwerk", "sprachmodell"}},
      {"tags:KI Chips", {"chipwerk", "sprachmodell"}},
      {"tags:ki -tags:chips", {"sprachmodell"}},
      {"tags:bahn ODER tags:wahl", {"bahnstreik", "wahl"}},
      // The ninth tag is filterable though beyond the facet slots.
      {"tags:linke", {"wahl"}},
      // Combined with words and the built-in filters.
      {"Werk author:\"Jane Doe\"", {"chipwerk"}},
      {"kategorie:politik author:\"jane doe\"", {"haushalt"}},
      {"author:\"Jane Doe\" date:2025", {"chipwerk", "sprachmodell"}},
  };
  for (const auto& [query, expected] : rows) {
    EXPECT_EQ(HitIds(Search({"--limit", "20", query})), expected) << query;
  }
}

TEST_F(FieldsEndToEndTest, HitsCarryEveryStoredField) {
  const json j = Search({"author:\"Liang Wenfeng\""}, 0);
  ASSERT_EQ(j["hits"].size(), 1u) << j;
  EXPECT_EQ(
      j["hits"][0]["fields"],
      json::parse(R"({"author":["Jane Doe","Liang Wenfeng"],"tags":["KI"],"quelle":["Reuters"]})"));
  // Also without snippets (the header slot) and from the get op.
  const json plain = Search({"--no-snippets", "author:\"Liang Wenfeng\""}, 0);
  EXPECT_EQ(plain["hits"][0]["fields"], j["hits"][0]["fields"]);
  const json doc = server_->Call(R"({"op":"get","doc":"sprachmodell"})");
  EXPECT_EQ(doc["doc"]["fields"], j["hits"][0]["fields"]) << doc;
  // A document without extra fields has no "fields" member.
  const json plain_doc = Search({"Glockenspiel"}, 0);
  ASSERT_EQ(plain_doc["hits"].size(), 1u) << plain_doc;
  EXPECT_FALSE(plain_doc["hits"][0].contains("fields")) << plain_doc;
  const auto terminal =
      RunTool("findling-search", {"--db", db_, "--color", "never", "author:\"Liang Wenfeng\""});
  EXPECT_NE(terminal.out.find("   author: Jane Doe, Liang Wenfeng · tags: KI · quelle: Reuters\n"),
            std::string::npos)
      << terminal.out;
}

TEST_F(FieldsEndToEndTest, FacetsCountEveryValueOfEveryMatch) {
  const json j = Search(
      {"--facets", "author,tags,quelle", "--facet-limit", "3", "--limit", "1", "date:2024..2025"},
      0);
  EXPECT_EQ(j["total"], 5);
  // "Jane Doe" and "jane doe" filter alike but are counted as written.
  EXPECT_EQ(j["facets"]["author"],
            json::parse(R"([{"value":"Jane Doe","count":2},{"value":"Liang Wenfeng","count":1},
                            {"value":"Max Muster","count":1}])"));
  EXPECT_EQ(j["facets"]["tags"], json::parse(R"([{"value":"KI","count":2},{"value":"AfD","count":1},
                            {"value":"BSW","count":1}])"));
  EXPECT_EQ(j["facets"]["quelle"],
            json::parse(R"([{"value":"Reuters","count":1},{"value":"dpa","count":1}])"));
  // Over the match set only: the one article tagged Chips.
  const json ki = Search({"--facets", "tags", "tags:chips"}, 0);
  EXPECT_EQ(ki["facets"]["tags"],
            json::parse(R"([{"value":"Chips","count":1},{"value":"KI","count":1}])"));
  // Only the first eight distinct values of a document are counted.
  const json wahl = Search({"--facets", "tags", "--facet-limit", "20", "tags:wahl"}, 0);
  EXPECT_EQ(wahl["facets"]["tags"].size(), kFacetValuesPerDocument) << wahl;
  EXPECT_EQ(wahl["facets"]["tags"].dump().find("Linke"), std::string::npos);
}

TEST_F(FieldsEndToEndTest, UnknownFieldInAQueryIsAnErrorNamingTheDeclaredOnes) {
  const std::pair<const char*, const char*> rows[] = {
      {"autor:\"Jane Doe\"",
       "unknown field 'autor': this index does not declare it "
       "(filterable fields: title, category, date, author, tags)"},
      // Declared as a facet only.
      {"quelle:dpa", "unknown field 'quelle': this index declares it without filter"},
      {"Werk (ressort:wirtschaft ODER tags:ki)", "at byte 6: unknown field 'ressort'"},
  };
  for (const auto& [query, message] : rows) {
    for (const char* mode : {"--strict", "--json"}) {
      const auto r = RunTool("findling-search", {"--db", db_, mode, query});
      EXPECT_EQ(r.exit_code, 2) << query;
      EXPECT_NE((r.err + r.out).find(message), std::string::npos) << r.err << r.out;
    }
    const json reply = server_->Call(json{{"op", "search"}, {"q", query}}.dump());
    EXPECT_EQ(reply["error"]["code"], "query_syntax") << reply;
  }
}

TEST_F(FieldsEndToEndTest, UnknownFacetIsAnErrorInTheCliAndTheServer) {
  for (const char* facet : {"autor", "quelle,quelle", "title"}) {
    const auto r = RunTool("findling-search", {"--db", db_, "--facets", facet, "Werk"});
    EXPECT_EQ(r.exit_code, 2) << facet;
    EXPECT_NE(r.err.find("facet"), std::string::npos) << r.err;
  }
  const auto r = RunTool("findling-search", {"--db", db_, "--facets", "autor", "Werk"});
  EXPECT_NE(r.err.find("unknown facet \"autor\": this index declares no field of that name "
                       "(facets here: category, year, author, tags, quelle)"),
            std::string::npos)
      << r.err;
  const json reply = server_->Call(R"({"op":"search","q":"Werk","facets":["autor"]})");
  EXPECT_EQ(reply["error"]["code"], "bad_request") << reply;
  EXPECT_NE(reply["error"]["message"].get<std::string>().find("unknown facet \"autor\""),
            std::string::npos);
}

TEST_F(FieldsEndToEndTest, ServerFiltersAndCountsFieldFacets) {
  ASSERT_TRUE(server_->ok());
  const json r = server_->Call(
      R"({"op":"search","q":"author:\"Jane Doe\"","facets":["tags","author"],"facet_limit":2})");
  EXPECT_EQ(HitIds(r), (Ids{"chipwerk", "haushalt", "sprachmodell"})) << r;
  EXPECT_EQ(r["facets"]["tags"],
            json::parse(R"([{"value":"KI","count":2},{"value":"Chips","count":1}])"));
  EXPECT_EQ(r["facets"]["author"],
            json::parse(R"([{"value":"Jane Doe","count":2},{"value":"Liang Wenfeng","count":1}])"));
  // findling-search --server prints the same, fields line included (in the
  // JSON object's name order, which is all the response keeps).
  const auto via = RunTool("findling-search", {"--server", server_->address(), "--color", "never",
                                               "--facets", "author", "tags:chips"});
  ASSERT_EQ(via.exit_code, 0) << via.err;
  EXPECT_NE(via.out.find("author: Jane Doe · quelle: dpa · tags: KI, Chips"), std::string::npos)
      << via.out;
  EXPECT_NE(via.out.find("\nauthor: Jane Doe 1\n"), std::string::npos) << via.out;
}

TEST(FieldsIndexTest, DeclarationIsRecordedAndAnotherOneNeedsRebuild) {
  testing::TempDir dir;
  const std::string input = dir.File("news.jsonl", kArticles);
  const std::string db = dir.path() + "/db";
  auto index = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db, "-q"});
    args.push_back(input);
    return RunTool("findling-index", args);
  };
  ASSERT_EQ(index({"--field", "author:filter"}).exit_code, 0);
  // Later runs may leave the declaration out: the recorded one is kept.
  ASSERT_EQ(index({}).exit_code, 0);
  EXPECT_EQ(Xapian::Database(db).get_metadata("findling.fields"), "author:filter");
  // The same declaration again is fine; another one is a usage error.
  EXPECT_EQ(index({"--field", "author:filter"}).exit_code, 0);
  const auto other = index({"--field", "author:filter,facet"});
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_NE(other.err.find("declares the fields \"author:filter\", but this run declares "
                           "\"author:filter,facet\""),
            std::string::npos)
      << other.err;
  // A field declared twice, or a built-in one, is refused before anything is written.
  const auto twice = index({"--field", "author:filter", "--field", "author:facet"});
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_NE(twice.err.find("\"author\" is declared twice"), std::string::npos) << twice.err;
  EXPECT_EQ(index({"--field", "date:filter"}).exit_code, 2);
  // --rebuild re-indexes with the new declaration.
  const std::string file = dir.File("felder.txt", "author:filter,facet\ntags:filter\n");
  ASSERT_EQ(index({"--rebuild", "--fields-file", file}).exit_code, 0);
  EXPECT_EQ(Xapian::Database(db).get_metadata("findling.fields"),
            "author:filter,facet tags:filter");
  const auto r = RunTool("findling-search", {"--db", db, "--json", "tags:ki"});
  EXPECT_EQ(HitIds(json::parse(r.out, nullptr, false)), (Ids{"chipwerk", "sprachmodell"})) << r.out;
}

TEST(FieldsIndexTest, EveryShardRecordsTheDeclarationAndFacetsSpanThem) {
  testing::TempDir dir;
  const std::string input = dir.File("news.jsonl", kArticles);
  const std::string db = dir.path() + "/db";
  const auto built = RunTool("findling-index", {"--db", db, "-q", "--shards", "2", "--keep-shards",
                                                "--field", "tags:filter,facet", input});
  ASSERT_EQ(built.exit_code, 0) << built.err;
  for (const char* shard : {"/shard-00", "/shard-01"}) {
    EXPECT_EQ(Xapian::Database(db + shard).get_metadata("findling.fields"), "tags:filter,facet");
  }
  const auto r = RunTool("findling-search", {"--db", db, "--json", "--facets", "tags",
                                             "--facet-limit", "2", "tags:ki"});
  const json j = json::parse(r.out, nullptr, false);
  EXPECT_EQ(HitIds(j), (Ids{"chipwerk", "sprachmodell"})) << r.out << r.err;
  EXPECT_EQ(j["facets"]["tags"],
            json::parse(R"([{"value":"KI","count":2},{"value":"Chips","count":1}])"));
  // A shard whose declaration differs is refused, naming it.
  {
    Xapian::WritableDatabase shard(db + "/shard-01");
    shard.set_metadata("findling.fields", "tags:filter");
    shard.commit();
  }
  const auto refused = RunTool("findling-search", {"--db", db, "tags:ki"});
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_NE(refused.err.find("same field declaration"), std::string::npos) << refused.err;
}

TEST(FieldsIndexTest, AnOpenSearcherFollowsANewDeclarationOnReopen) {
  testing::TempDir dir;
  const std::string db = dir.path() + "/db";
  ASSERT_EQ(RunTool("findling-index", {"--db", db, "-q", "--field", "author:filter",
                                       dir.File("news.jsonl", kArticles)})
                .exit_code,
            0);
  testing::UseBuildLexicon();
  auto searcher = Searcher::Open({db});
  ASSERT_TRUE(searcher.ok()) << searcher.status().ToString();
  SearchRequest request;
  request.query = "tags:ki";
  EXPECT_FALSE(searcher.value()->Search(request).ok());
  // As a rebuild with --field tags:filter would leave it (the documents
  // have the tags stored; the terms do not matter for the declaration).
  {
    Xapian::WritableDatabase writable(db);
    writable.set_metadata("findling.fields", "author:filter tags:filter");
    writable.commit();
  }
  ASSERT_TRUE(searcher.value()->Reopen().ok());
  EXPECT_EQ(searcher.value()->fields().ToString(), "author:filter tags:filter");
  EXPECT_TRUE(searcher.value()->Search(request).ok());
}

}  // namespace
}  // namespace findling
