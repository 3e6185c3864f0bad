// Tests for the document readers (indexer/readers.h).
//
// Every table row writes one file into a fresh temporary folder, reads it
// with ReadInput() and compares the canonical dump of what the sink received
// (documents and skips, one per line, paths relative to the folder). The
// sink checks the SourceDocument invariants on every document.
#include "indexer/readers.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <streambuf>
#include <string>
#include <vector>

#include "common/ascii.h"
#include "common/date.h"
#include "common/utf8.h"
#include "indexer/char_refs.h"

namespace findling {
namespace {

namespace fs = std::filesystem;
using reader_internal::TitleFromFirstSentence;

// ---------------------------------------------------------------------------
// Helpers

// A fresh folder under the system temp dir, removed with everything in it.
class ScratchDir {
 public:
  ScratchDir() {
    static std::atomic<int> counter{0};
    path_ = (fs::temp_directory_path() / ("findling_readers_test_" + std::to_string(::getpid()) +
                                          "_" + std::to_string(counter++)))
                .string();
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    // Restore permissions a test took away, so that removal works.
    for (auto it = fs::recursive_directory_iterator(path_, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
    }
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }
  // Writes `content` to `name` (folders created as needed); returns the path.
  std::string Write(const std::string& name, std::string_view content) const {
    const fs::path p = fs::path(path_) / name;
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    return p.string();
  }

 private:
  std::string path_;
};

std::string Escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out += c;
    }
  }
  return out;
}

// The SourceDocument contract (indexer/source_document.h), asserted on
// every document any test sees.
void CheckDocumentInvariants(const SourceDocument& doc) {
  SCOPED_TRACE(doc.origin);
  EXPECT_FALSE(doc.id.empty()) << "id is never empty";
  EXPECT_FALSE(doc.origin.empty());
  EXPECT_GT(doc.source_bytes, 0u);
  EXPECT_FALSE(IsAsciiBlank(doc.title) && IsAsciiBlank(doc.text))
      << "empty documents are skipped, not accepted";
  for (const std::string* field : {&doc.id, &doc.title, &doc.text, &doc.url, &doc.category}) {
    EXPECT_EQ(FindInvalidUtf8(*field), std::string_view::npos) << "invalid UTF-8 in " << *field;
  }
  EXPECT_TRUE(doc.date.empty() || IsIsoDay(doc.date)) << "date is a day YYYY-MM-DD: " << doc.date;
}

// Records what the readers deliver in a canonical text form:
//   doc <id> | title=... | text=... [| url=...] [| date=...] [| category=...]
//   skip <where>: <message>
class DumpSink : public DocumentSink {
 public:
  bool Accept(SourceDocument&& doc) override {
    CheckDocumentInvariants(doc);
    dump += "doc " + doc.id + " | title=" + Escape(doc.title) + " | text=" + Escape(doc.text);
    if (!doc.url.empty()) dump += " | url=" + doc.url;
    if (!doc.date.empty()) dump += " | date=" + doc.date;
    if (!doc.category.empty()) dump += " | category=" + doc.category;
    dump += "\n";
    bytes += doc.source_bytes;
    docs.push_back(std::move(doc));
    return stop_after == 0 || docs.size() < stop_after;
  }
  void Skip(const ReadIssue& issue) override {
    dump += "skip " + issue.where + ": " + issue.message + "\n";
    bytes += issue.source_bytes;
    issues.push_back(issue);
  }
  void Warn(const ReadIssue& issue) override {
    dump += "warn " + issue.where + ": " + issue.message + "\n";
    EXPECT_EQ(issue.source_bytes, 0u) << "a warned document's bytes are counted once, by Accept";
    warnings.push_back(issue);
  }

  // Replaces `dir` + "/" so that dumps do not depend on the temp folder.
  std::string Relative(const std::string& dir) const {
    std::string out = dump;
    const std::string prefix = dir + "/";
    for (std::size_t pos; (pos = out.find(prefix)) != std::string::npos;)
      out.erase(pos, prefix.size());
    return out;
  }

  std::string dump;
  std::vector<SourceDocument> docs;
  std::vector<ReadIssue> issues;
  std::vector<ReadIssue> warnings;
  std::uint64_t bytes = 0;
  std::size_t stop_after = 0;  // > 0: Accept() asks to stop after this many
};

// One row: a file, how to read it, and what must come out.
struct ReaderCase {
  const char* name;  // test name suffix
  const char* file;  // file name in the scratch folder; its extension picks the format
  std::string content;
  std::string expected;  // DumpSink::Relative()
  void (*configure)(ReaderOptions&) = nullptr;
  std::string status = "OK";  // Status::ToString(), scratch folder removed
};

std::string CaseName(const ::testing::TestParamInfo<ReaderCase>& info) { return info.param.name; }
// Failures name the row instead of dumping its bytes.
void PrintTo(const ReaderCase& c, std::ostream* os) { *os << c.name; }

class ReaderTableTest : public ::testing::TestWithParam<ReaderCase> {};

TEST_P(ReaderTableTest, Dump) {
  const ReaderCase& c = GetParam();
  ScratchDir dir;
  const std::string path = dir.Write(c.file, c.content);
  ReaderOptions options;
  if (c.configure != nullptr) c.configure(options);
  DumpSink sink;
  const Status status = ReadInput(path, options, sink);
  std::string status_text = status.ToString();
  const std::string prefix = dir.path() + "/";
  if (const std::size_t pos = status_text.find(prefix); pos != std::string::npos) {
    status_text.erase(pos, prefix.size());
  }
  EXPECT_EQ(status_text, c.status);
  EXPECT_EQ(sink.Relative(dir.path()), c.expected);
  EXPECT_LE(sink.bytes, c.content.size()) << "source_bytes add up to at most the input";
}

// ---------------------------------------------------------------------------
// JSONL

const ReaderCase kJsonlCases[] = {
    // Good lines: every field, and what stands in for a missing one.
    {"AllFields", "gesetze.jsonl",
     R"({"id": "bgb/1", "title": "BGB § 7 Wohnsitz", "text": "Wer sich an einem Orte ständig niederlässt, begründet an diesem Ort seinen Wohnsitz.", "url": "https://www.gesetze-im-internet.de/bgb/", "date": "1896-08-18", "category": "BGB"})"
     "\n",
     "doc bgb/1 | title=BGB § 7 Wohnsitz | text=Wer sich an einem Orte ständig niederlässt, "
     "begründet an diesem Ort seinen Wohnsitz. | url=https://www.gesetze-im-internet.de/bgb/ | "
     "date=1896-08-18 | category=BGB\n"},
    {"MissingIdIsPathAndLine", "news.jsonl",
     R"({"title": "Bahnstreik", "text": "Die GDL streikt ab Dienstag."})"
     "\n"
     R"({"title": "Hochwasser", "text": "Der Pegel der Donau steigt."})"
     "\n",
     "doc news.jsonl:1 | title=Bahnstreik | text=Die GDL streikt ab Dienstag.\n"
     "doc news.jsonl:2 | title=Hochwasser | text=Der Pegel der Donau steigt.\n"},
    {"NumbersAsIds", "ids.jsonl",
     R"({"id": 42, "text": "Zweiundvierzig"})"
     "\n"
     R"({"id": -7, "text": "Minus sieben"})"
     "\n"
     R"({"id": 1.50, "text": "Eins fünfzig"})"
     "\n"
     R"({"id": "", "text": "Leere Kennung zählt als fehlend"})"
     "\n",
     "doc 42 | title= | text=Zweiundvierzig\n"
     "doc -7 | title= | text=Minus sieben\n"
     "doc 1.50 | title= | text=Eins fünfzig\n"
     "doc ids.jsonl:4 | title= | text=Leere Kennung zählt als fehlend\n"},
    {"BodyInsteadOfText", "body.jsonl",
     R"({"id": "a", "title": "Brezel", "body": "Laugengebäck aus Bayern."})"
     "\n"
     R"({"id": "b", "title": "Text gewinnt", "text": "Der Text.", "body": "Der Body."})"
     "\n",
     "doc a | title=Brezel | text=Laugengebäck aus Bayern.\n"
     "doc b | title=Text gewinnt | text=Der Text.\n"},
    {"UnknownFieldsIgnored", "extra.jsonl",
     R"({"id": "x", "law": {"title": "nicht der Titel", "list": [1, {"text": "nein"}]}, "title": "Straßenbahn", "score": 3.5, "neu": true, "leer": null, "tags": ["Wien"], "text": "Die Bim fährt."})"
     "\n",
     "doc x | title=Straßenbahn | text=Die Bim fährt.\n"},
    {"NullFieldIsAbsent", "null.jsonl",
     R"({"id": null, "title": "Übersicht", "text": null, "date": null})"
     "\n",
     "doc null.jsonl:1 | title=Übersicht | text=\n"},
    {"DatesCutToTheDay", "daten.jsonl",
     R"({"id": "iso", "text": "a", "date": "2024-05-01T10:00:00Z"})"
     "\n"
     R"({"id": "deutsch", "text": "b", "date": "1.5.2024"})"
     "\n"
     R"({"id": "unlesbar", "text": "c", "date": "1. Mai 2024"})"
     "\n",
     "doc iso | title= | text=a | date=2024-05-01\n"
     "doc deutsch | title= | text=b | date=2024-05-01\n"
     "doc unlesbar | title= | text=c\n"},
    // Issue 16: a date written like one that is no day is a warning naming
    // file:line, and the document is indexed without a date.
    {"ImpossibleDateWarns", "termine.jsonl",
     R"({"id": "feb", "title": "Fasching", "text": "Umzug in Köln", "date": "31.02.2024"})"
     "\n"
     R"({"id": "kurz", "text": "Tag der Arbeit", "date": "01.05.24"})"
     "\n"
     R"({"id": "schalt", "text": "Schalttag", "date": "2024-02-29T12:00:00+01:00"})"
     "\n",
     "warn termine.jsonl:1: date \"31.02.2024\" is not a day in the calendar (February 2024 has "
     "no day 31); indexed without a date\n"
     "doc feb | title=Fasching | text=Umzug in Köln\n"
     "warn termine.jsonl:2: date \"01.05.24\" is not a date (a two-digit year is ambiguous; write "
     "the year with four digits); indexed without a date\n"
     "doc kurz | title= | text=Tag der Arbeit\n"
     "doc schalt | title= | text=Schalttag | date=2024-02-29\n"},
    // An empty record is skipped, not warned about as well.
    {"ImpossibleDateOnEmptyRecord", "leer.jsonl",
     R"({"id": "leer", "text": " ", "date": "30.02.2024"})"
     "\n",
     "skip leer.jsonl:1: empty document\n"},
    {"UnicodeEscapesAndDuplicateKeys", "escapes.jsonl",
     R"({"id": "u", "title": "Gr\u00fc\u00dfe", "text": "Lachen \ud83d\ude00", "title": "Gr\u00fc\u00dfe aus K\u00f6ln"})"
     "\n",
     "doc u | title=Grüße aus Köln | text=Lachen 😀\n"},
    // Line ends and blank lines: CRLF, whitespace-only lines, no final newline.
    {"CrlfAndBlankLines", "crlf.jsonl",
     "{\"id\": \"a\", \"text\": \"Erste Zeile\"}\r\n"
     "\r\n"
     "   \t\r\n"
     "{\"id\": \"b\", \"text\": \"Vierte Zeile\"}\r\n"
     "{\"text\": \"Ohne Zeilenende\"}",
     "doc a | title= | text=Erste Zeile\n"
     "doc b | title= | text=Vierte Zeile\n"
     "doc crlf.jsonl:5 | title= | text=Ohne Zeilenende\n"},
    // Bad lines are skipped, naming file:line, and reading goes on.
    {"MalformedLine", "kaputt.jsonl",
     R"({"id": "a", "title": "Öl" "text": "fehlendes Komma"})"
     "\n"
     R"({"id": "b", "text": "Brötchen)"
     "\n"
     R"({"id": "c", "text": "Nach den Fehlern geht es weiter."})"
     "\n",
     "skip kaputt.jsonl:1: malformed JSON at byte 32: syntax error while parsing object - "
     "unexpected string literal; expected '}'\n"
     "skip kaputt.jsonl:2: malformed JSON at byte 30: syntax error while parsing value - invalid "
     "string: missing closing quote; last read: '\"Brötchen'\n"
     "doc c | title= | text=Nach den Fehlern geht es weiter.\n"},
    {"TrailingGarbage", "rest.jsonl",
     R"({"id": "a", "text": "x"} {"id": "b"})"
     "\n",
     "skip rest.jsonl:1: malformed JSON at byte 25: syntax error while parsing value - "
     "unexpected '{'; expected end of input\n"},
    {"InvalidUtf8", "latin1.jsonl",
     "{\"id\": \"a\", \"text\": \"gut\"}\n"
     "{\"id\": \"b\", \"text\": \"K\xE4se\"}\n",
     "doc a | title= | text=gut\n"
     "skip latin1.jsonl:2: invalid UTF-8 at byte 22 of the line (byte 49 of the file)\n"},
    {"LoneSurrogateEscape", "surrogat.jsonl",
     R"({"id": "a", "text": "\ud800"})"
     "\n",
     "skip surrogat.jsonl:1: malformed JSON at byte 27: syntax error while parsing value - "
     "invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF; last read: "
     "'\"\\ud800\"'\n"},
    {"EmptyDocument", "leer.jsonl",
     R"({"id": "a", "title": "", "text": "   "})"
     "\n"
     R"({"id": "b"})"
     "\n"
     R"({"id": "c", "title": "Nur ein Titel"})"
     "\n",
     "skip leer.jsonl:1: empty document\n"
     "skip leer.jsonl:2: empty document\n"
     "doc c | title=Nur ein Titel | text=\n"},
    {"NotAnObject", "arten.jsonl", "[\"Wien\", \"Graz\"]\n\"Linz\"\n42\nnull\n",
     "skip arten.jsonl:1: expected a JSON object, found an array\n"
     "skip arten.jsonl:2: expected a JSON object, found a string\n"
     "skip arten.jsonl:3: expected a JSON object, found a number\n"
     "skip arten.jsonl:4: expected a JSON object, found null\n"},
    {"WrongFieldType", "typen.jsonl",
     R"({"id": "a", "title": ["Mehrere", "Titel"], "text": "x"})"
     "\n"
     R"({"id": "b", "text": 5})"
     "\n"
     R"({"id": true, "text": "y"})"
     "\n",
     "skip typen.jsonl:1: field \"title\" must be a string, found an array\n"
     "skip typen.jsonl:2: field \"text\" must be a string, found a number\n"
     "skip typen.jsonl:3: field \"id\" must be a string, found a boolean\n"},
    {"MaxRecordBytes", "klein.jsonl",
     R"({"id": "a", "text": "kurz"})"
     "\n"
     R"({"id": "b", "text": "diese Zeile ist deutlich zu lang"})"
     "\n"
     R"({"id": "c", "text": "kurz"})",
     "doc a | title= | text=kurz\n"
     "skip klein.jsonl:2: line longer than max_record_bytes (56 > 40 bytes)\n"
     "doc c | title= | text=kurz\n",
     [](ReaderOptions& o) { o.max_record_bytes = 40; }},
    // An explicit format wins over the extension.
    {"ExplicitFormat", "daten.txt",
     R"({"id": "a", "text": "JSON in einer .txt-Datei"})"
     "\n",
     "doc a | title= | text=JSON in einer .txt-Datei\n",
     [](ReaderOptions& o) { o.format = InputFormat::kJsonl; }},
};
INSTANTIATE_TEST_SUITE_P(Jsonl, ReaderTableTest, ::testing::ValuesIn(kJsonlCases), CaseName);

// A 5 MB line is skipped without being held whole, and the line after it
// keeps its number.
TEST(JsonlReaderTest, FiveMegabyteLineIsSkipped) {
  ScratchDir dir;
  std::string content = R"({"id": "vorher", "text": "Vor der langen Zeile."})"
                        "\n";
  content += R"({"id": "lang", "text": ")" + std::string(5'000'000, 'a') + "\"}\n";
  content += R"({"text": "Nach der langen Zeile."})"
             "\n";
  const std::string path = dir.Write("lang.jsonl", content);
  DumpSink sink;
  ASSERT_TRUE(ReadInput(path, ReaderOptions(), sink).ok());
  EXPECT_EQ(sink.Relative(dir.path()),
            "doc vorher | title= | text=Vor der langen Zeile.\n"
            "skip lang.jsonl:2: line longer than max_record_bytes (5000027 > 4194304 bytes)\n"
            "doc lang.jsonl:3 | title= | text=Nach der langen Zeile.\n");
  EXPECT_EQ(sink.bytes, content.size());
}

// Records that straddle the 1 MiB read blocks come out whole.
TEST(JsonlReaderTest, LinesAcrossBlockBoundaries) {
  ScratchDir dir;
  std::string content;
  std::vector<std::string> texts;
  std::mt19937 rng(7);
  while (content.size() < 3 * reader_internal::kBlockBytes + 1000) {
    std::string text(rng() % 700, 'x');
    text += "ä" + std::to_string(texts.size());
    content += R"({"text": ")" + text + "\"}\n";
    texts.push_back(std::move(text));
  }
  const std::string path = dir.Write("viele.jsonl", content);
  DumpSink sink;
  ASSERT_TRUE(ReadInput(path, ReaderOptions(), sink).ok());
  ASSERT_EQ(sink.docs.size(), texts.size());
  EXPECT_TRUE(sink.issues.empty());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    ASSERT_EQ(sink.docs[i].text, texts[i]);
    ASSERT_EQ(sink.docs[i].id, path + ":" + std::to_string(i + 1));
  }
  EXPECT_EQ(sink.bytes, content.size());
}

// The fast JSONL parser against the checked one (nlohmann): the fast one
// may give up on a good line, but it must never accept a line the checked
// one rejects, and what both accept must come out the same.
std::string ExtraDump(const DocumentFields& extra) {
  std::string out;
  for (const auto& [name, value] : extra) out += "|" + name + "=" + value;
  return out;
}

std::string FieldsDump(const reader_internal::JsonlFields& f) {
  return "id=" + f.id + "|title=" + f.title + "|text=" + f.text + "|body=" + f.body +
         "|url=" + f.url + "|date=" + f.date + "|category=" + f.category + ExtraDump(f.extra);
}

// Returns whether the fast path took the line.
bool CrossCheckJsonl(std::string_view line) {
  if (FindInvalidUtf8(line) != std::string_view::npos) return false;  // checked before parsing
  reader_internal::JsonlFields fast, checked;
  std::string error;
  const bool fast_ok = reader_internal::ParseJsonlFast(line, &fast);
  const bool checked_ok = reader_internal::ParseJsonlChecked(line, &checked, &error);
  if (fast_ok) {
    EXPECT_TRUE(checked_ok) << "fast path accepted what nlohmann rejects: " << line << "\n"
                            << error;
    EXPECT_EQ(FieldsDump(fast), FieldsDump(checked)) << line;
  }
  return fast_ok;
}

TEST(JsonlCrossCheckTest, Table) {
  const std::pair<const char*, bool> kRows[] = {
      // Lines the fast path takes.
      {R"({"id": "a", "title": "Käse", "text": "Emmentaler"})", true},
      {R"(  {"text":"x"}  )", true},
      {R"({})", true},
      {R"({"id": 12, "text": "t"})", true},
      {R"({"id": -0, "text": "t"})", true},
      {R"({"id": 18446744073709551615, "text": "t"})", true},
      {R"({"id": 18446744073709551616, "text": "t"})", true},
      {R"({"id": -9223372036854775809, "text": "t"})", true},
      {R"({"id": 1.5e3, "text": "t"})", true},
      {R"({"t\u0065xt": "Schl\u00fcssel mit Escape", "title": "a\/b\"c\\d\b\f\n\r\t"})", true},
      {R"({"text": "\ud83d\ude00 \u0000"})", true},
      {R"({"x": {"a": [1, -2.5e-3, true, false, null, {"b": []}]}, "text": "y"})", true},
      {R"({"text": "a", "text": null})", true},
      // Extra fields: strings, and the strings of an array, in line order.
      {R"({"author": "Jane Doe", "tags": ["KI", 3, "Chips", ["x"], {"y": "z"}], "text": "t"})",
       true},
      {R"({"tags": [], "n": 5, "tags": "Politik", "au\u0074hor": "Erika Müller"})", true},
      // Lines it leaves to nlohmann: bad ones and unusual good ones.
      {"\xEF\xBB\xBF{\"text\": \"mit BOM\"}", false},
      {R"({"x": 1e400, "text": "zu groß"})", false},
      {R"({"x": 1e-400, "text": "winzig"})", false},  // nlohmann takes it (as 0)
      {R"({"title": 5})", false},
      {R"({"title": ["a"]})", false},
      {R"({"id": true})", false},
      {R"([1, 2])", false},
      {R"("Text")", false},
      {R"({"text": "a",})", false},
      {R"({"text": "a" "b"})", false},
      {R"({"text": 'a'})", false},
      {R"({"text": "a"}})", false},
      {R"({"text": "a"} x)", false},
      {R"({"x": 01})", false},
      {R"({"x": 1.})", false},
      {R"({"x": .5})", false},
      {R"({"x": -})", false},
      {R"({"x": 1e})", false},
      {R"({"x": tru})", false},
      {R"({"x": nul})", false},
      {R"({"x": [1,]})", false},
      {R"({"x": {"a" 1}})", false},
      {R"({"text": "\x"})", false},
      {R"({"text": "\u12"})", false},
      {R"({"text": "\ud800"})", false},
      {R"({"text": "\udc00"})", false},
      {R"({"text": "\ud800\u0041"})", false},
      {"{\"text\": \"Tab\tim String\"}", false},
      {R"({"text": "offen)", false},
      {R"({"text")", false},
      {"", false},
  };
  for (const auto& [line, fast] : kRows) EXPECT_EQ(CrossCheckJsonl(line), fast) << line;
}

TEST(JsonlCrossCheckTest, RandomMutations) {
  static const char* const kValues[] = {"\"Wien\"",
                                        "\"Gr\\u00fc\\u00dfe\"",
                                        "\"\\ud83d\\ude00\"",
                                        "12",
                                        "-0",
                                        "1.5",
                                        "2e8",
                                        "-1E-2",
                                        "1e400",
                                        "true",
                                        "false",
                                        "null",
                                        "[]",
                                        "{}",
                                        "[1, \"a\", {\"b\": null}]",
                                        "{\"text\": \"innen\"}",
                                        "18446744073709551616",
                                        "\"ä\\n\\t\""};
  static const char* const kKeys[] = {"id",   "title",    "text", "body",       "url",
                                      "date", "category", "law",  "t\\u0065xt", ""};
  static const char kNoise[] = "{}[]:,\"\\ 0-.eEtfnu\x01";
  std::mt19937 rng(4711);
  int fast_taken = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string line = "{";
    const int members = static_cast<int>(rng() % 5);
    for (int m = 0; m < members; ++m) {
      if (m > 0) line += ", ";
      line += "\"" + std::string(kKeys[rng() % std::size(kKeys)]) + "\": ";
      line += kValues[rng() % std::size(kValues)];
    }
    line += "}";
    // Mutate some of them: insert, delete or replace a byte.
    const int mutations = round % 3 == 0 ? 0 : static_cast<int>(rng() % 3);
    for (int k = 0; k < mutations && !line.empty(); ++k) {
      const std::size_t pos = rng() % line.size();
      const char c = kNoise[rng() % (sizeof kNoise - 1)];
      switch (rng() % 3) {
        case 0:
          line.insert(pos, 1, c);
          break;
        case 1:
          line.erase(pos, 1);
          break;
        default:
          line[pos] = c;
          break;
      }
    }
    if (CrossCheckJsonl(line)) ++fast_taken;
    if (::testing::Test::HasFailure()) break;
  }
  EXPECT_GT(fast_taken, 3000);  // the fast path is exercised, not just bypassed
}

// ---------------------------------------------------------------------------
// CSV and TSV

void TenKGnadOptions(ReaderOptions& o) {
  o.csv.delimiter = ';';
  o.csv.quote = '\'';
  o.csv.header = false;
  o.csv.category_column = "0";
  o.csv.text_column = "1";
  o.csv.id_column = "";
  o.csv.title_column = "";
}

const ReaderCase kCsvCases[] = {
    // Quoting: delimiters, doubled quotes and line breaks inside quotes.
    {"HeaderAndQuotes", "nachrichten.csv",
     "id,title,text,date,category\n"
     "1,Bahnstreik,\"Die GDL streikt, sagt \"\"Weselsky\"\".\",2024-03-12,Wirtschaft\n"
     "2,Wetter,Sonnig in Graz,12.03.2024, Panorama \n",
     "doc 1 | title=Bahnstreik | text=Die GDL streikt, sagt \"Weselsky\". | date=2024-03-12 | "
     "category=Wirtschaft\n"
     "doc 2 | title=Wetter | text=Sonnig in Graz | date=2024-03-12 | category=Panorama\n"},
    // Issue 16: the warning names the row's first line.
    {"ImpossibleDateWarns", "termine.csv",
     "id,title,text,date\n"
     "1,Mehrzeilig,\"Erste\nZweite\",2024-04-31\n"
     "2,Fasching,Umzug in Köln,31.02.2024\n"
     "3,Einheit,Feiertag,3.10.2024\n",
     "warn termine.csv:2: date \"2024-04-31\" is not a day in the calendar (April 2024 has no day "
     "31); indexed without a date\n"
     "doc 1 | title=Mehrzeilig | text=Erste\\nZweite\n"
     "warn termine.csv:4: date \"31.02.2024\" is not a day in the calendar (February 2024 has no "
     "day 31); indexed without a date\n"
     "doc 2 | title=Fasching | text=Umzug in Köln\n"
     "doc 3 | title=Einheit | text=Feiertag | date=2024-10-03\n"},
    {"FieldsSpanningLines", "mehrzeilig.csv",
     "id,title,text\r\n"
     "a,Gedicht,\"Erste Zeile\r\nzweite Zeile\r\n\r\ndritte Zeile\"\r\n"
     "b,Danach,\"kommt Zeile 6\"\r\n",
     "doc a | title=Gedicht | text=Erste Zeile\\nzweite Zeile\\n\\ndritte Zeile\n"
     "doc b | title=Danach | text=kommt Zeile 6\n"},
    {"QuoteInsideUnquotedField", "apostroph.csv",
     "id,text\n"
     "1,Peter's \"Imbiss\" hat zu\n"
     "2,\"geschlossen\" seit Montag\n",
     "doc 1 | title=Peter's \"Imbiss\" hat zu | text=Peter's \"Imbiss\" hat zu\n"
     "doc 2 | title=geschlossen seit Montag | text=geschlossen seit Montag\n"},
    // 10kGNAD: "Label;'text'", no header, ids from the file name.
    {"TenKGnadStyle", "gnad.csv",
     "Wirtschaft;'Die Gewerkschaft lanciert den \"All-in-Rechner\". Wien – Die ''Gewerkschaft'' "
     "sieht Handlungsbedarf.'\r\n"
     "Sport;Franzosen verteidigen 2:1-Führung – Benfica mit Abwehrsorgen nach St. Petersburg. "
     "London – Mit einem Vorsprung.\r\n"
     "Panorama;'Ein Polizist soll einer 42-Jährigen den Knöchel gebrochen haben; Elisabeth S. "
     "klagt.'\r\n",
     "doc gnad.csv:1 | title=Die Gewerkschaft lanciert den \"All-in-Rechner\" | text=Die "
     "Gewerkschaft lanciert den \"All-in-Rechner\". Wien – Die 'Gewerkschaft' sieht "
     "Handlungsbedarf. | category=Wirtschaft\n"
     "doc gnad.csv:2 | title=Franzosen verteidigen 2:1-Führung – Benfica mit Abwehrsorgen nach "
     "St. Petersburg | text=Franzosen verteidigen 2:1-Führung – Benfica mit Abwehrsorgen nach St. "
     "Petersburg. London – Mit einem Vorsprung. | category=Sport\n"
     "doc gnad.csv:3 | title=Ein Polizist soll einer 42-Jährigen den Knöchel gebrochen haben; "
     "Elisabeth S. klagt | text=Ein Polizist soll einer 42-Jährigen den Knöchel gebrochen haben; "
     "Elisabeth S. klagt. | category=Panorama\n",
     TenKGnadOptions},
    {"TsvWithHeader", "liste.tsv",
     "id\ttitle\ttext\n"
     "t1\tSpätzle\tSchwäbische Eierteigwaren, mit Käse überbacken.\n"
     "t2\t\"Zitat\"\t\"Tab\tim Feld\"\n",
     "doc t1 | title=Spätzle | text=Schwäbische Eierteigwaren, mit Käse überbacken.\n"
     "doc t2 | title=Zitat | text=Tab\\tim Feld\n"},
    {"ColumnsByNumberWithHeader", "nummern.csv",
     "kennung,überschrift,inhalt\n"
     "k1,Alpen,Die Alpen sind ein Hochgebirge.\n",
     "doc k1 | title=Alpen | text=Die Alpen sind ein Hochgebirge.\n",
     [](ReaderOptions& o) {
       o.csv.id_column = "0";
       o.csv.title_column = "1";
       o.csv.text_column = "2";
     }},
    {"BodyColumnAndBomAndCase", "body.csv",
     "\xEF\xBB\xBFID,Title,Body\n"
     "b1,Brezel,Laugengebäck.\n",
     "doc b1 | title=Brezel | text=Laugengebäck.\n"},
    // Title from the first sentence when there is no title column.
    {"TitleFromFirstSentence", "saetze.csv",
     "id,text\n"
     "s1,Der Zug nach St. Pölten fällt am 7. Mai aus. Grund ist ein Streik.\n"
     "s2,Wer fährt? Niemand.\n"
     "s3,Ein sehr langer erster Satz ohne jedes Satzzeichen der immer weiter geht und weiter "
     "und noch weiter bis er die Grenze von hundertzwanzig Zeichen überschreitet\n",
     "doc s1 | title=Der Zug nach St. Pölten fällt am 7. Mai aus | text=Der Zug nach St. Pölten "
     "fällt am 7. Mai aus. Grund ist ein Streik.\n"
     "doc s2 | title=Wer fährt? | text=Wer fährt? Niemand.\n"
     "doc s3 | title=Ein sehr langer erster Satz ohne jedes Satzzeichen der immer weiter geht und "
     "weiter und noch weiter bis er die Grenze…"
     " | text=Ein sehr langer erster Satz ohne jedes Satzzeichen der immer weiter geht und weiter "
     "und noch weiter bis er die Grenze von hundertzwanzig Zeichen überschreitet\n"},
    {"NoTitleWhenSwitchedOff", "ohne.csv", "id,text\nx,Nur Text.\n",
     "doc x | title= | text=Nur Text.\n",
     [](ReaderOptions& o) { o.csv.title_from_first_sentence = false; }},
    // Bad rows are skipped with their line; the rest is read.
    {"MissingColumn", "kurz.csv",
     "id,title,text\n"
     "1,Voll,Alles da.\n"
     "2,Nur Titel\n"
     "\n"
     "3,Wieder,Alles da.\n",
     "doc 1 | title=Voll | text=Alles da.\n"
     "skip kurz.csv:3: missing column 2 (text): the row has 2 fields\n"
     "doc 3 | title=Wieder | text=Alles da.\n"},
    {"MissingColumnWithoutHeader", "gnad-kurz.csv", "Sport\nKultur;'Theater in Wien.'\n",
     "skip gnad-kurz.csv:1: missing column 1 (text): the row has 1 field\n"
     "doc gnad-kurz.csv:2 | title=Theater in Wien | text=Theater in Wien. | category=Kultur\n",
     TenKGnadOptions},
    {"UnclosedQuote", "offen.csv",
     "id,text\n"
     "1,gut\n"
     "2,\"offen bis zum Ende\n"
     "3,verschluckt\n",
     "doc 1 | title=gut | text=gut\n"
     "skip offen.csv:3: quoted field not closed (missing \")\n"},
    {"InvalidUtf8AndEmptyRow", "fehler.csv",
     "id,title,text\n"
     "1,K\xE4se,x\n"
     "2,,\n"
     "3,Käse,Emmentaler\n",
     "skip fehler.csv:2: invalid UTF-8 at byte 3 of the record (byte 17 of the file)\n"
     "skip fehler.csv:3: empty document\n"
     "doc 3 | title=Käse | text=Emmentaler\n"},
    {"RecordTooLongSpansLines", "gross.csv",
     "id,text\n"
     "1,\"" +
         std::string(30, 'a') + "\n" + std::string(30, 'b') + "\n" + std::string(30, 'c') +
         "\"\n"
         "2,danach\n",
     "skip gross.csv:2: record longer than max_record_bytes (97 > 64 bytes)\n"
     "doc 2 | title=danach | text=danach\n",
     [](ReaderOptions& o) { o.max_record_bytes = 64; }},
    // A header without the text column makes the whole file unusable.
    {"HeaderWithoutTextColumn", "spalten.csv", "name,wert\nx,1\n", "", nullptr,
     "invalid input: spalten.csv: the header names no text column \"text\" (nor \"body\") and no "
     "title column \"title\""},
    {"BadHeader", "kopf.csv", "id,t\xE4xt\n1,Text\n", "", nullptr,
     "invalid input: kopf.csv:1: header: invalid UTF-8 at byte 4 of the record (byte 4 of the "
     "file)"},
    {"NoHeaderNeedsNumbers", "zahlen.csv", "a;b\n", "",
     [](ReaderOptions& o) { o.csv.header = false; },
     "invalid input: zahlen.csv: a CSV file without a header needs the text column as a number, "
     "not \"text\""},
};
INSTANTIATE_TEST_SUITE_P(Csv, ReaderTableTest, ::testing::ValuesIn(kCsvCases), CaseName);

// ---------------------------------------------------------------------------
// Plain text

const ReaderCase kTextCases[] = {
    {"FirstLineIsTitle", "streik.txt",
     "\n\nBahnstreik legt Verkehr lahm  \n\nDie GDL streikt ab Dienstag.\nZüge fallen aus.\n\n",
     "doc streik.txt | title=Bahnstreik legt Verkehr lahm | text=Die GDL streikt ab "
     "Dienstag.\\nZüge fallen aus.\n"},
    {"Crlf", "crlf.txt", "Überschrift\r\n\r\nAbsatz eins.\r\n\r\n\r\n\r\nAbsatz zwei.\r\n",
     "doc crlf.txt | title=Überschrift | text=Absatz eins.\\n\\nAbsatz zwei.\n"},
    {"OnlyATitle", "titel.txt", "Nur eine Zeile", "doc titel.txt | title=Nur eine Zeile | text=\n"},
    {"LongFirstLineIsAParagraph", "absatz.txt",
     "Dieser erste Absatz ist eine einzige lange Zeile. Sie ist viel zu lang für einen Titel, "
     "denn sie enthält mehrere Sätze und geht über zweihundert Zeichen hinaus, so wie es "
     "Textdateien ohne Zeilenumbrüche gerne tun.\nZweite Zeile.\n",
     "doc absatz.txt | title=Dieser erste Absatz ist eine einzige lange Zeile | text=Dieser erste "
     "Absatz ist eine einzige lange Zeile. Sie ist viel zu lang für einen Titel, denn sie enthält "
     "mehrere Sätze und geht über zweihundert Zeichen hinaus, so wie es Textdateien ohne "
     "Zeilenumbrüche gerne tun.\\nZweite Zeile.\n"},
    {"EmptyFile", "leer.txt", " \n\t\n", "skip leer.txt: empty document\n"},
    {"InvalidUtf8", "latin1.txt", "Titel\nZweite Zeile\nGr\xFC\xDF Gott\n",
     "skip latin1.txt:3: invalid UTF-8 at byte 21\n"},
    {"TooLong", "gross.txt", "Titel\n" + std::string(100, 'x'),
     "skip gross.txt: document longer than max_record_bytes (106 > 50 bytes)\n",
     [](ReaderOptions& o) { o.max_record_bytes = 50; }},
};
INSTANTIATE_TEST_SUITE_P(Text, ReaderTableTest, ::testing::ValuesIn(kTextCases), CaseName);

// ---------------------------------------------------------------------------
// Markdown

const ReaderCase kMarkdownCases[] = {
    // Front matter gives title, date, category and id.
    {"FrontMatter", "bodensee.md",
     "---\n"
     "title: \"Der Bodensee\"\n"
     "date: 2023-07-14 09:30\n"
     "category: Geographie\n"
     "id: bodensee\n"
     "tags: [See, Alpen]\n"
     "---\n"
     "# Lage\n"
     "\n"
     "Der **Bodensee** liegt am [Alpenrand](https://de.wikipedia.org/wiki/Alpen_(Gebirge)).\n",
     "doc bodensee | title=Der Bodensee | text=Lage\\n\\nDer Bodensee liegt am Alpenrand. | "
     "date=2023-07-14 | category=Geographie\n"},
    // Issue 16: the warning names the front matter's "date:" line.
    {"FrontMatterImpossibleDate", "schalttag.md",
     "---\ntitle: Schalttag\ndate: 29.02.2023\n---\nDen gab es 2023 nicht.\n",
     "warn schalttag.md:3: date \"29.02.2023\" is not a day in the calendar (February 2023 has no "
     "day 29); indexed without a date\n"
     "doc schalttag.md | title=Schalttag | text=Den gab es 2023 nicht.\n"},
    {"FrontMatterListCategory", "liste.md",
     "---\ncategories:\n  - Kultur\n  - Wien\ntitle: 'Burgtheater'\n---\nSpielplan.\n",
     "doc liste.md | title=Burgtheater | text=Spielplan. | category=Kultur\n"},
    {"UnclosedFrontMatterIsText", "offen.md", "---\ntitle: kein Vorspann\nText.\n",
     "doc offen.md | title=title: kein Vorspann | text=Text.\n"},
    // The first "# heading" is the title; markup is stripped.
    {"HeadingAndInlineMarkup", "donau.md",
     "Einleitung vor der Überschrift.\n"
     "\n"
     "# Die Donau\n"
     "\n"
     "Die Donau ist _der_ zweitlängste Fluss Europas, siehe `fluss_laenge` und ![Karte](karte.png) "
     "sowie <https://de.wikipedia.org/wiki/Donau>.\n"
     "\n"
     "## Verlauf ##\n"
     "\n"
     "- Quelle im *Schwarzwald*\n"
     "* Mündung ins __Schwarze Meer__\n"
     "1. erstens, 2 * 3 = 6\n"
     "- [x] erledigt\n"
     "> Zitat: ~~falsch~~ richtig, ca. ~2.850 km\n"
     "\n"
     "Ein Wort mit snake_case_name und \\*Sternchen\\*.\n",
     // md4c: an image keeps its alt text ("Karte"); "-", "*", "1." and "- [x]"
     // start four lists (CommonMark), each a block of its own.
     "doc donau.md | title=Die Donau | text=Einleitung vor der Überschrift.\\n\\nDie Donau ist der "
     "zweitlängste Fluss Europas, siehe fluss_laenge und Karte sowie "
     "https://de.wikipedia.org/wiki/Donau.\\n\\nVerlauf\\n\\nQuelle im Schwarzwald\\n\\nMündung "
     "ins Schwarze Meer\\n\\nerstens, 2 * 3 = 6\\n\\nerledigt\\n\\nZitat: falsch richtig, ca. "
     "~2.850 km\\n\\nEin Wort mit snake_case_name und *Sternchen*.\n"},
    {"SetextHeading", "setext.md",
     "Der Rhein\n=========\n\nFließt durch Basel.\n\nQuellen\n---\n\nGraubünden.\n",
     "doc setext.md | title=Der Rhein | text=Fließt durch Basel.\\n\\nQuellen\\n\\nGraubünden.\n"},
    {"NoHeadingFirstLine", "notiz.md", "Einkaufsliste\n\n- Milch\n- Brot\n",
     "doc notiz.md | title=Einkaufsliste | text=Milch\\nBrot\n"},
    {"CommentsCodeTablesReferences", "technik.md",
     "# Technik\n"
     "<!-- Entwurf,\n"
     "nicht veröffentlichen -->\n"
     "Siehe [Handbuch][1] und <span class=\"x\">Hinweis</span>.\n"
     "\n"
     "```cpp\n"
     "int *zeiger = nullptr;  // *nicht* gestrippt\n"
     "```\n"
     "\n"
     "| Stadt | Einwohner |\n"
     "|-------|----------:|\n"
     "| Wien  | 2 Mio.    |\n"
     "\n"
     "***\n"
     "[1]: https://example.org/handbuch\n",
     // Table cells are separated by one space (the reader used to keep the
     // spaces around the pipes).
     "doc technik.md | title=Technik | text=Siehe Handbuch und Hinweis.\\n\\nint *zeiger = "
     "nullptr;  // *nicht* gestrippt\\n\\nStadt Einwohner\\nWien 2 Mio.\n"},
    {"MarkdownExtension", "lang.markdown", "# Titel\nText.\n",
     "doc lang.markdown | title=Titel | text=Text.\n"},
    // Issue 16: the body is parsed by md4c. Each case holds what must be
    // decoded or stripped beside what must stay as written.
    {"MdCharRefs", "zeichen.md",
     "# Gr&uuml;&szlig;e aus M&uuml;nchen\n\n"
     "&Auml;rger &bullet; Wort&NoBreak;Wort &ndash; &#8364; &#x20AC;\n"
     "AT&T &unbekannt; &auml ohne Semikolon, &AUML; falsch geschrieben, \\&auml; maskiert\n",
     "doc zeichen.md | title=Grüße aus München | text=Ärger • Wort\u2060Wort – € €\\nAT&T "
     "&unbekannt; &auml ohne Semikolon, &AUML; falsch geschrieben, &auml; maskiert\n"},
    {"MdEmphasis", "betonung.md",
     "# Betonung\n\n"
     "*kursiv*, **fett**, ***beides***, _unterstrichen_, __doppelt__, ~~gestrichen~~ und "
     "**fett mit _kursiv_ darin**.\n\n"
     "Bleibt: 2 * 3 * 4, snake_case_name, ~5 km, \\*Sternchen\\*, ** allein, __init__ und "
     "Stra*ße*n.\n",
     "doc betonung.md | title=Betonung | text=kursiv, fett, beides, unterstrichen, doppelt, "
     "gestrichen und fett mit kursiv darin.\\n\\nBleibt: 2 * 3 * 4, snake_case_name, ~5 km, "
     "*Sternchen*, ** allein, init und Straßen.\n"},
    // A tight list's items are lines; a loose one's (blank lines between) paragraphs.
    {"MdLists", "listen.md",
     "# Einkauf\n\n"
     "- Brot\n"
     "- Käse\n"
     "  - Emmentaler\n"
     "  - Bergkäse\n"
     "- Wein\n\n"
     "1. Vorheizen\n"
     "2. Backen\n\n"
     "- [ ] offen\n"
     "- [x] erledigt\n\n"
     "+ locker\n\n"
     "+ mit Absatz\n\n"
     "-kein Punkt, 3.Satz und [ ]Klammer\n",
     "doc listen.md | title=Einkauf | text=Brot\\nKäse\\nEmmentaler\\nBergkäse\\nWein\\n\\n"
     "Vorheizen\\nBacken\\n\\noffen\\nerledigt\\n\\nlocker\\n\\nmit Absatz\\n\\n-kein Punkt, "
     "3.Satz "
     "und [ ]Klammer\n"},
    {"MdTables", "tabelle.md",
     "# Städte\n\n"
     "| Stadt | Einwohner | Land |\n"
     "|:------|----------:|:----:|\n"
     "| **Wien** | 2 Mio. | AT |\n"
     "| Zürich | 0,4 Mio. | CH \\| LI |\n\n"
     "Kein | Tabellenkopf\n"
     "ohne Trennzeile\n",
     "doc tabelle.md | title=Städte | text=Stadt Einwohner Land\\nWien 2 Mio. AT\\nZürich 0,4 "
     "Mio. CH | LI\\n\\nKein | Tabellenkopf\\nohne Trennzeile\n"},
    {"MdCode", "code.md",
     "# Code\n\n"
     "Die Funktion `std::string_view` und ``a `b` c`` und `&auml;` bleiben.\n\n"
     "```python\n"
     "def grüße(): # **nicht** fett\n"
     "\n"
     "\n"
     "    return \"&auml;\"\n"
     "```\n\n"
     "    eingerückter Code *bleibt*\n\n"
     "~~~\n"
     "Tilden-Zaun\n"
     "~~~\n",
     "doc code.md | title=Code | text=Die Funktion std::string_view und a `b` c und &auml; "
     "bleiben.\\n\\ndef grüße(): # **nicht** fett\\n\\n    return \"&auml;\"\\n\\neingerückter "
     "Code *bleibt*\\n\\nTilden-Zaun\n"},
    {"MdLinks", "links.md",
     "# Verweise\n\n"
     "Ein [Link zur Bahn](https://www.bahn.de/fahrplan \"Fahrplan\"), ein [Verweis][db], ein "
     "[kurzer][] und ![Karte der Schweiz](schweiz.png).\n\n"
     "Adressen: <https://example.org/a_b_c>, <mailto:info@example.org>, <kontakt@example.de> "
     "und www.example.ch/seite.\n\n"
     "Ungültig: [ohne Ziel][fehlt] und [Klammern] bleiben.\n\n"
     "[db]: https://www.bahn.de/ \"Deutsche Bahn\"\n"
     "[kurzer]: https://example.org/kurz\n",
     "doc links.md | title=Verweise | text=Ein Link zur Bahn, ein Verweis, ein kurzer und Karte "
     "der Schweiz.\\n\\nAdressen: https://example.org/a_b_c, info@example.org, kontakt@example.de "
     "und www.example.ch/seite.\\n\\nUngültig: [ohne Ziel][fehlt] und [Klammern] bleiben.\n"},
    {"MdHtml", "html.md",
     "# HTML\n\n"
     "<div class=\"hinweis\">\n"
     "<p>Achtung &ndash; Baustelle &auml</p>\n"
     "<table><tr><td>Berlin</td><td>Hamburg</td></tr></table>\n"
     "</div>\n\n"
     "<script>var s = \"<p>kein Text</p>\";</script>\n\n"
     "<!-- Entwurf,\n"
     "nicht veröffentlichen -->\n\n"
     "Zeile<br>Umbruch, Wort<b>teil</b>, <span title=\"a > b\">Hinweis</span> und 3 < 4 > 2.\n",
     "doc html.md | title=HTML | text=Achtung – Baustelle ä\\nBerlin Hamburg\\n\\nZeile Umbruch, "
     "Wortteil, Hinweis und 3 < 4 > 2.\n"},
    {"MdHeadings", "ueberschriften.md",
     "Vorspann ohne Überschrift.\n\n"
     "## Zweite Ebene ##\n\n"
     "#Kein Titel, #5 und \\# Raute\n\n"
     "#\n\n"
     "Der Rhein\n"
     "=========\n\n"
     "# Noch eine erste Ebene\n\n"
     "Quellen\n"
     "-------\n\n"
     "Graubünden.\n",
     "doc ueberschriften.md | title=Der Rhein | text=Vorspann ohne Überschrift.\\n\\nZweite "
     "Ebene\\n\\n#Kein Titel, #5 und # Raute\\n\\nNoch eine erste Ebene\\n\\nQuellen\\n\\n"
     "Graubünden.\n"},
    {"MdLineBreaks", "umbruch.md",
     "Gedicht\n\n"
     "Zeile eins  \n"
     "Zeile zwei\\\n"
     "Zeile drei\n"
     "gehört dazu.\n",
     "doc umbruch.md | title=Gedicht | text=Zeile eins\\nZeile zwei\\nZeile drei\\ngehört dazu.\n"},
    {"MdFrontMatterFields", "vorspann.md",
     "---\n"
     "title: Föhn in Innsbruck\n"
     "author: Jana Berger\n"
     "tags:\n"
     "  - Wetter\n"
     "  - Tirol\n"
     "url: https://example.org/foehn\n"
     "...\n"
     "# Überschrift bleibt Text\n\n"
     "---\n\n"
     "title: kein Vorspann mehr\n",
     "doc vorspann.md | title=Föhn in Innsbruck | text=Überschrift bleibt Text\\n\\ntitle: kein "
     "Vorspann mehr | url=https://example.org/foehn\n"},
    {"MdNulByte", "nul.md", std::string("# Null\n\nA\0B\n", 12),
     "doc nul.md | title=Null | text=A\xEF\xBF\xBD"
     "B\n"},
};
INSTANTIATE_TEST_SUITE_P(Markdown, ReaderTableTest, ::testing::ValuesIn(kMarkdownCases), CaseName);

// ---------------------------------------------------------------------------
// HTML

const ReaderCase kHtmlCases[] = {
    // Issue 16: a date that is no day is a warning naming the tag's line,
    // unless another date of the page is good.
    {"ImpossibleMetaDate", "fasching.html",
     "<html><head><title>Fasching</title>\n"
     "<meta name=\"date\" content=\"2024-02-30\">\n"
     "</head><body><p>Umzug in Köln.</p></body></html>\n",
     "warn fasching.html:2: date \"2024-02-30\" is not a day in the calendar (February 2024 has "
     "no day 30); indexed without a date\n"
     "doc fasching.html | title=Fasching | text=Umzug in Köln.\n"},
    {"ImpossibleMetaDateGoodTime", "maifeier.html",
     "<html><head><title>Maifeier</title><meta name=\"date\" content=\"31.04.2024\"></head>\n"
     "<body><p>Am <time datetime=\"2024-05-01T10:00\">1. Mai</time> ist frei.</p></body></html>\n",
     "doc maifeier.html | title=Maifeier | text=Am 1. Mai ist frei. | date=2024-05-01\n"},
    // Only visible text: scripts, styles, navigation and the like go.
    {"VisibleTextOnly", "artikel.html",
     "<!DOCTYPE html>\n<html lang=\"de\"><head><title>Bahnstreik | Nachrichten</title>\n"
     "<style>body { font: 12px } p > a { color: red }</style>\n"
     "<script>var s = \"<p>kein Text</p>\"; if (a < b) {}</script></head>\n"
     "<body><header><a href=\"/\">Startseite</a></header>\n"
     "<nav><ul><li>Politik</li><li>Sport</li></ul></nav>\n"
     "<main><h1>GDL streikt</h1><p>Die Lokführer <b>streiken</b> ab Dienstag.</p>"
     "<p>Züge fallen<br>bundesweit aus.</p><!-- Werbung "
     "--><ul><li>Fernverkehr</li><li>Nahverkehr</li></ul>"
     "<table><tr><td>Berlin</td><td>Hamburg</td></tr><tr><td>Köln</td><td>Bonn</td></tr></table></"
     "main>\n"
     "<aside>Auch interessant</aside><form><label>Suche</label><input name=q></form>\n"
     "<noscript>Bitte JavaScript aktivieren</noscript><template><p>Vorlage</p></template>\n"
     "<p>Preis <svg viewBox=\"0 0 1 1\"><title>Symbol</title><text>Icon</text></svg> gleich.</p>\n"
     "<footer>Impressum</footer></body></html>\n",
     "doc artikel.html | title=Bahnstreik | Nachrichten | text=GDL streikt\\n\\nDie Lokführer "
     "streiken ab Dienstag.\\n\\nZüge fallen\\nbundesweit aus.\\n\\nFernverkehr\\nNahverkehr\\n\\n"
     "Berlin Hamburg\\nKöln Bonn\\n\\nPreis gleich.\n"},
    {"Entities", "zeichen.html",
     "<title>Stra&szlig;e &amp; Pl&auml;tze</title>"
     "<p>&Auml;rger &Ouml;l &Uuml;bel &auml; &ouml; &uuml; &szlig; &lt;b&gt; &quot;x&quot; "
     "&apos;y&apos;</p>"
     "<p>&bdquo;Zitat&ldquo; &lsquo;halb&rsquo; &ndash; &mdash; &hellip; &euro; &copy;</p>"
     "<p>Silben&shy;trennung 10&nbsp;km &#8364; &#x20AC; &#X20ac; &#150; &#0; &#xD800; "
     "&#99999999;</p>"
     "<p>AT&T &unbekannt; &auml ohne Semikolon &copy2 &#; & allein</p>",
     "doc zeichen.html | title=Straße & Plätze | text=Ärger Öl Übel ä ö ü ß <b> \"x\" 'y'\\n\\n"
     "„Zitat“ ‘halb’ – — … € ©\\n\\nSilbentrennung 10 km € € € – \xEF\xBF\xBD \xEF\xBF\xBD "
     "\xEF\xBF\xBD\\n\\nAT&T &unbekannt; ä ohne Semikolon &copy2 &#; & allein\n"},
    // The title: <title>, else the first visible <h1>, else any <h1>.
    {"TitleFromFirstH1", "ohne-title.html",
     "<body><h1>Erste <em>Überschrift</em></h1><p>Text.</p><h1>Zweite</h1></body>",
     "doc ohne-title.html | title=Erste Überschrift | text=Erste Überschrift\\n\\nText.\\n\\n"
     "Zweite\n"},
    {"TitleFromH1InsideHeader", "kopf.html",
     "<article><header><h1>Hochwasser in Passau</h1>"
     "<time datetime=\"2013-06-03T08:00:00+02:00\">3. Juni</time></header>"
     "<p>Die Donau steigt.</p></article>",
     "doc kopf.html | title=Hochwasser in Passau | text=Die Donau steigt. | date=2013-06-03\n"},
    {"EmptyTitleFallsBack", "leertitel.html", "<title>  </title><h1>Echt</h1>",
     "doc leertitel.html | title=Echt | text=Echt\n"},
    // Metadata: <meta> date and category, canonical URL; meta beats <time>.
    {"MetaData", "meta.htm",
     "<head><meta charset=\"utf-8\"><meta name=\"date\" content=\"2024-05-01T10:00:00Z\">"
     "<meta name=\"category\" content=\"Kultur &amp; Medien\">"
     "<link rel=\"canonical\" href=\"https://example.at/kultur?id=1&amp;s=2\"></head>"
     "<body><time datetime=\"2020-01-01\">früher</time><p>Neu im Kino.</p></body>",
     "doc meta.htm | title= | text=früher\\n\\nNeu im Kino. | "
     "url=https://example.at/kultur?id=1&s=2 | "
     "date=2024-05-01 | category=Kultur & Medien\n"},
    // Broken markup is read the way a browser would show it.
    {"BrokenMarkup", "kaputt.html",
     "<p>Erster Absatz<p>Zweiter <b>fett<i>kursiv</b> Absatz\n"
     "<p>a < b und 3<4, c <= d</p>"
     "<p title=\"x > y\" data-a='1 > 0'>Attribut mit Pfeil</p>"
     "<div class=unquoted id=x>Ohne Anführungszeichen</div>"
     "<p class=\"nie geschlossen>Nach kaputtem Attribut</p>"
     "<P>GROSS</P><br/>Ende</p></div></span>",
     "doc kaputt.html | title= | text=Erster Absatz\\n\\nZweiter fettkursiv Absatz\\n\\na < b und "
     "3<4, c <= d\\n\\nAttribut mit Pfeil\\n\\nOhne Anführungszeichen\\n\\nNach kaputtem "
     "Attribut\\n\\nGROSS\\n\\nEnde\n"},
    {"UnclosedHeaderEndsWithBody", "offen.html",
     "<html><body><p>Vorher</p><header>Kopf ohne Ende<p>verschluckt</p></body>"
     "<p>Nach body</p></html>",
     "doc offen.html | title= | text=Vorher\\n\\nNach body\n"},
    {"UnclosedCommentAndScript", "rest.html", "<p>Sichtbar</p><!-- offen bis zum Ende <p>weg</p>",
     "doc rest.html | title= | text=Sichtbar\n"},
    {"UnclosedScriptRunsToEnd", "skript.html", "<p>Sichtbar</p><script>var x = 1; <p>weg</p>",
     "doc skript.html | title= | text=Sichtbar\n"},
    {"UnclosedTitleEndsAtNextTag", "titel.html", "<title>Titel ohne Ende<p>Text</p>",
     "doc titel.html | title=Titel ohne Ende | text=Text\n"},
    {"CdataAndProcessingInstruction", "xhtml.html",
     "<?xml version=\"1.0\"?><p><![CDATA[roh & <unverändert>]]></p>",
     "doc xhtml.html | title= | text=roh & <unverändert>\n"},
    {"SelfClosingDroppedElement", "xhtml2.html", "<p>Vor</p><nav/><p>Nach</p>",
     "doc xhtml2.html | title= | text=Vor\\n\\nNach\n"},
    // Encodings: declared Latin-1 is converted; undeclared invalid UTF-8 is skipped.
    {"DeclaredLatin1", "alt.html",
     "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">"
     "<title>Gr\xFC\xDF Gott</title><p>\x84Zitat\x93 f\xFCr 5 \x80</p>",
     "doc alt.html | title=Grüß Gott | text=„Zitat“ für 5 €\n"},
    {"MislabelledUtf8", "falsch.html", "<meta charset=\"iso-8859-1\"><p>Grüß Gott</p>",
     "doc falsch.html | title= | text=Grüß Gott\n"},
    {"InvalidUtf8", "kaputt-kodiert.html", "<p>Zeile eins</p>\n<p>Gr\xFC\xDF</p>",
     "skip kaputt-kodiert.html:2: invalid UTF-8 at byte 23\n"},
    {"EmptyPage", "leer.html", "<html><head><script>x()</script></head><body> </body></html>",
     "skip leer.html: empty document\n"},
};
INSTANTIATE_TEST_SUITE_P(Html, ReaderTableTest, ::testing::ValuesIn(kHtmlCases), CaseName);

// ---------------------------------------------------------------------------
// Character references (indexer/char_refs.h): the HTML standard's whole
// table, shared by the HTML and Markdown readers. Issue 16: "&bullet;" and
// "&NoBreak;" were indexed literally.

struct CharRefCase {
  const char* name;
  std::string raw;
  std::string html;        // AppendDecodedCharRefs
  std::string commonmark;  // DecodeCharRefAt with kCommonMark at every '&'
};

const CharRefCase kCharRefCases[] = {
    {"Bullet", "Punkt&bullet;Punkt", "Punkt•Punkt", "Punkt•Punkt"},
    {"NoBreak", "Wort&NoBreak;Wort", "Wort\u2060Wort", "Wort\u2060Wort"},
    {"Umlauts", "&Auml;rger &uuml;ber &szlig;", "Ärger über ß", "Ärger über ß"},
    {"TwoCodePoints", "&NotEqualTilde;", "\u2242\u0338", "\u2242\u0338"},
    {"LongestName", "&CounterClockwiseContourIntegral;", "∳", "∳"},
    // Legacy names without ';': HTML yes, Markdown no.
    {"AmpWithoutSemicolon", "Müller &amp Söhne", "Müller & Söhne", "Müller &amp Söhne"},
    {"LegacyBeforeNonAscii", "Gr&uumlße", "Grüße", "Gr&uumlße"},
    {"LegacyBeforeAsciiLetter", "&aumlrger &copy2024", "&aumlrger &copy2024",
     "&aumlrger &copy2024"},
    {"LegacyBeforeSpace", "B&auml r", "Bä r", "B&auml r"},
    // Not references: a query string, an unknown name, a case the table lacks.
    {"QueryString", "?a=1&copy=2&copy2", "?a=1&copy=2&copy2", "?a=1&copy=2&copy2"},
    {"UnknownName", "AT&T &foo; &AUML; &bullet", "AT&T &foo; &AUML; &bullet",
     "AT&T &foo; &AUML; &bullet"},
    {"PrefixOfLongerName", "&ampfoo;", "&ampfoo;", "&ampfoo;"},
    {"BareAmpersands", "& &; &#; &#x; &", "& &; &#; &#x; &", "& &; &#; &#x; &"},
    // Numeric references.
    {"Decimal", "&#8211; &#228;", "– ä", "– ä"},
    {"Hex", "&#x2022; &#X201E;", "• „", "• „"},
    {"NumericWithoutSemicolon", "&#228 x", "ä x", "&#228 x"},
    {"Windows1252Range", "&#150; &#128;", "– €", "– €"},
    {"InvalidCodePoints", "&#0; &#xD800; &#99999999999;", "\uFFFD \uFFFD \uFFFD",
     "\uFFFD \uFFFD \uFFFD"},
};

class CharRefTest : public ::testing::TestWithParam<CharRefCase> {};

TEST_P(CharRefTest, Decodes) {
  const CharRefCase& c = GetParam();
  std::string html;
  reader_internal::AppendDecodedCharRefs(c.raw, &html);
  EXPECT_EQ(html, c.html);
  std::string cm;
  for (std::size_t i = 0; i < c.raw.size();) {
    if (c.raw[i] == '&') {
      if (const std::size_t next = reader_internal::DecodeCharRefAt(
              c.raw, i, reader_internal::CharRefSyntax::kCommonMark, &cm)) {
        i = next;
        continue;
      }
    }
    cm += c.raw[i++];
  }
  EXPECT_EQ(cm, c.commonmark);
}

INSTANTIATE_TEST_SUITE_P(Table, CharRefTest, ::testing::ValuesIn(kCharRefCases),
                         [](const ::testing::TestParamInfo<CharRefCase>& info) {
                           return info.param.name;
                         });

// The generated table is the standard's: its size and both spellings of a legacy name.
TEST(CharRefTable, HasTheWholeStandard) {
  EXPECT_EQ(reader_internal::CharRefTableSize(), 2231u);
  EXPECT_EQ(reader_internal::LookupCharRef("amp"), "&");
  EXPECT_EQ(reader_internal::LookupCharRef("amp;"), "&");
  EXPECT_EQ(reader_internal::LookupCharRef("bullet;"), "•");
  EXPECT_EQ(reader_internal::LookupCharRef("bullet"), "") << "only legacy names go without ';'";
  EXPECT_EQ(reader_internal::LookupCharRef("Bullet;"), "") << "names are case-sensitive";
}

// ---------------------------------------------------------------------------
// References and charsets in the readers (issue 16)

void Latin1(ReaderOptions& o) { o.encoding = "latin1"; }
void Windows1252(ReaderOptions& o) { o.encoding = "windows-1252"; }
void UnknownEncoding(ReaderOptions& o) { o.encoding = "latin-12"; }
void Utf16(ReaderOptions& o) { o.encoding = "utf-16le"; }
void Utf8Named(ReaderOptions& o) { o.encoding = "UTF-8"; }

const ReaderCase kEncodingCases[] = {
    // HTML: the full table in text, title and attribute values.
    {"HtmlNewEntities", "zeichen2.html",
     "<title>Liste &bullet; Punkte</title><p>Erstens&NoBreak;zweitens &amp drittens "
     "&NotEqualTilde; <a href=\"/?a=1&copy=2\">Link</a></p>",
     "doc zeichen2.html | title=Liste • Punkte | text=Erstens\u2060zweitens & drittens "
     "\u2242\u0338 Link\n"},
    // HTML: a declared legacy charset is converted with ICU.
    {"HtmlMetaWindows1252", "maerz.html",
     "<meta charset=\"windows-1252\"><title>M\xE4rz</title><p>\x84Gr\xFC\xDF"
     "e\x93 \x80 5</p>",
     "doc maerz.html | title=März | text=„Grüße“ € 5\n"},
    {"HtmlHttpEquivLatin9", "latin9.html",
     "<meta http-equiv=\"content-type\" content=\"text/html; charset=ISO-8859-15\">"
     "<p>\xA4 \xA6\xA8</p>",
     "doc latin9.html | title= | text=€ Šš\n"},
    {"HtmlMetaKoi8r", "russisch.html", "<meta charset=koi8-r><p>\xF0\xD2\xC9\xD7\xC5\xD4</p>",
     "doc russisch.html | title= | text=Привет\n"},
    {"HtmlUnknownDeclaredCharset", "klingonisch.html",
     "<meta charset=\"x-klingonisch\"><p>Gr\xFC\xDF</p>",
     "skip klingonisch.html: invalid UTF-8 at byte 35, and the declared charset "
     "\"x-klingonisch\" is unknown\n"},
    {"HtmlUnknownDeclaredCharsetWithEncoding", "klingonisch2.html",
     "<meta charset=\"x-klingonisch\"><p>Gr\xFC\xDF</p>",
     "doc klingonisch2.html | title= | text=Grüß\n", Latin1},
    {"HtmlUndeclaredWithEncoding", "ohne.html", "<p>Gr\xFC\xDF Gott</p>",
     "doc ohne.html | title= | text=Grüß Gott\n", Latin1},
    {"HtmlUndeclaredWithoutEncoding", "ohne2.html", "<p>Gr\xFC\xDF Gott</p>",
     "skip ohne2.html:1: invalid UTF-8 at byte 5\n"},
    // CSV: a Latin-1 file is read with --encoding latin1, row by row; a
    // UTF-8 row in the same file stays UTF-8.
    {"CsvLatin1WithEncoding", "staedte.csv",
     "id,title,text\n1,M\xFCnchen,Gr\xFC\xDF Gott\n2,Köln,Dom am Rhein\n",
     "doc 1 | title=München | text=Grüß Gott\ndoc 2 | title=Köln | text=Dom am Rhein\n", Latin1},
    {"CsvLatin1HeaderWithEncoding", "kopf.csv",
     "id,Stra\xDF"
     "e,text\n1,Hauptstra\xDF"
     "e,Mitte\n",
     // The header is converted too: the extra column is a metadata field
     // whose name (not a-z) is dropped with a warning, in UTF-8.
     "warn kopf.csv:2: field name \"Stra\xC3\x9F"
     "e\" has a character other than a-z, 0-9, _ (or - . : space, which become _); field "
     "dropped\n"
     "doc 1 | title=Mitte | text=Mitte\n",
     Latin1},
    {"CsvLatin1WithoutEncoding", "staedte2.csv",
     "id,title,text\n1,M\xFCnchen,Gr\xFC\xDF Gott\n2,Köln,Dom am Rhein\n",
     "skip staedte2.csv:2: invalid UTF-8 at byte 3 of the record (byte 17 of the file)\n"
     "doc 2 | title=Köln | text=Dom am Rhein\n"},
    {"CsvUtf8NamedIsStrict", "staedte3.csv", "id,title,text\n1,M\xFCnchen,Bier\n",
     "skip staedte3.csv:2: invalid UTF-8 at byte 3 of the record (byte 17 of the file)\n",
     Utf8Named},
    // Text and Markdown.
    {"TextWindows1252", "zitat.txt", "\x84Zitat\x93\nMit \x80 und \x96 Strich.\n",
     "doc zitat.txt | title=„Zitat“ | text=Mit € und – Strich.\n", Windows1252},
    {"MarkdownLatin1", "notiz.md",
     "# \xDC"
     "berschrift\n\nK\xE4se.\n",
     "doc notiz.md | title=Überschrift | text=Käse.\n", Latin1},
    // Unknown or unusable encoding names: nothing is read.
    {"UnknownEncodingName", "egal.csv", "id,text\n1,x\n", "", UnknownEncoding,
     "invalid input: egal.csv: unknown encoding \"latin-12\""},
    {"NotAsciiCompatible", "egal.txt", "Text\n", "", Utf16,
     "invalid input: egal.txt: encoding \"utf-16le\" does not keep ASCII bytes as ASCII (UTF-16, "
     "UTF-32 and EBCDIC are not read; convert the file to UTF-8 first)"},
    // Markdown: references decoded outside code, as CommonMark says.
    {"MarkdownCharRefs", "kaese.md",
     "# K&auml;se &amp; Brot\n\n"
     "Gr&uuml;&szlig;e &bullet; [Stra&szlig;e](https://example.org/?a=1&amp;b=2) "
     "`&auml; bleibt` &auml ohne Semikolon, &#228; &#x2022;\n\n"
     "```\n&auml; im Code\n```\n",
     "doc kaese.md | title=Käse & Brot | text=Grüße • Straße &auml; bleibt &auml ohne Semikolon, "
     "ä •\\n\\n&auml; im Code\n"},
};
INSTANTIATE_TEST_SUITE_P(Encodings, ReaderTableTest, ::testing::ValuesIn(kEncodingCases), CaseName);

TEST(CheckEncoding, NamesWhatIsWrong) {
  EXPECT_TRUE(CheckEncoding("").ok());
  EXPECT_TRUE(CheckEncoding("latin1").ok());
  EXPECT_TRUE(CheckEncoding("Windows-1252").ok());
  EXPECT_TRUE(CheckEncoding("ISO-8859-15").ok());
  EXPECT_TRUE(CheckEncoding("utf8").ok());
  EXPECT_EQ(CheckEncoding("latin-12").ToString(), "invalid input: unknown encoding \"latin-12\"");
  EXPECT_FALSE(CheckEncoding("UTF-16").ok());
}

// ---------------------------------------------------------------------------
// Inputs: directory walk, standard input, failures

TEST(ReadInputTest, DirectoryWalkSortedByPathIgnoringOthers) {
  ScratchDir dir;
  dir.Write("b.txt", "B-Titel\nText b");
  dir.Write("a.jsonl", R"({"id": "a1", "text": "aus JSONL"})"
                       "\n");
  dir.Write("a/z.md", "# Z\nMarkdown im Unterordner");
  dir.Write("c.csv", "id,text\nc1,aus CSV\n");
  dir.Write("d.HTML", "<title>D</title><p>HTML</p>");
  dir.Write("sub/deeper/e.tsv", "id\ttext\ne1\taus TSV\n");
  dir.Write("notizen.pdf", "%PDF-1.4");
  dir.Write("README", "kein bekanntes Format");
  dir.Write(".versteckt.txt", "versteckt");
  dir.Write(".git/config.txt", "versteckt");
  DumpSink sink;
  ASSERT_TRUE(ReadInput(dir.path(), ReaderOptions(), sink).ok());
  // path's ordering is element-wise: the folder "a" sorts before "a.jsonl".
  EXPECT_EQ(sink.Relative(dir.path()),
            "doc a/z.md | title=Z | text=Markdown im Unterordner\n"
            "doc a1 | title= | text=aus JSONL\n"
            "doc b.txt | title=B-Titel | text=Text b\n"
            "doc c1 | title=aus CSV | text=aus CSV\n"
            "doc d.HTML | title=D | text=HTML\n"
            "doc e1 | title=aus TSV | text=aus TSV\n");
}

TEST(ReadInputTest, SinkCanStopADirectoryWalk) {
  ScratchDir dir;
  dir.Write("1.txt", "eins");
  dir.Write("2.txt", "zwei");
  dir.Write("3.jsonl", "{\"text\": \"drei\"}\n{\"text\": \"vier\"}\n");
  DumpSink sink;
  sink.stop_after = 3;
  ASSERT_TRUE(ReadInput(dir.path(), ReaderOptions(), sink).ok());
  EXPECT_EQ(sink.docs.size(), 3u);
}

TEST(ReadInputTest, UnreadableFileInDirectoryIsSkipped) {
  if (::geteuid() == 0) {
    GTEST_SKIP() << "running as root: root can read a chmod-000 file, so the failure cannot be "
                    "provoked; ReadErrorMidStream covers the read-error path";
  }
  ScratchDir dir;
  const std::string secret = dir.Write("geheim.txt", "Geheim\nText");
  dir.Write("offen.txt", "Offen\nText");
  ASSERT_EQ(::chmod(secret.c_str(), 0), 0);
  DumpSink sink;
  ASSERT_TRUE(ReadInput(dir.path(), ReaderOptions(), sink).ok());
  EXPECT_EQ(sink.Relative(dir.path()),
            "skip geheim.txt: cannot open: Permission denied\n"
            "doc offen.txt | title=Offen | text=Text\n");
  // The same file named directly is an error of the input.
  DumpSink direct;
  const Status status = ReadInput(secret, ReaderOptions(), direct);
  EXPECT_EQ(status.code(), Status::Code::kIo);
  EXPECT_EQ(status.message(), secret + ": cannot open: Permission denied");
}

TEST(ReadInputTest, MissingInputIsNotFound) {
  DumpSink sink;
  const Status status = ReadInput("/nonexistent/findling/korpus.jsonl", ReaderOptions(), sink);
  EXPECT_EQ(status.code(), Status::Code::kNotFound);
  EXPECT_EQ(status.message(), "/nonexistent/findling/korpus.jsonl: no such file or directory");
  EXPECT_TRUE(sink.dump.empty());
}

// A streambuf that hands out `good` and then fails instead of reporting
// the end: a disk error in the middle of a file.
class FailingBuf : public std::streambuf {
 public:
  explicit FailingBuf(std::string good) : good_(std::move(good)) {}

 protected:
  std::streamsize xsgetn(char* s, std::streamsize n) override {
    if (pos_ == good_.size()) throw std::runtime_error("Ein-/Ausgabefehler");
    const std::size_t k = std::min(static_cast<std::size_t>(n), good_.size() - pos_);
    std::memcpy(s, good_.data() + pos_, k);
    pos_ += k;
    return static_cast<std::streamsize>(k);
  }

 private:
  std::string good_;
  std::size_t pos_ = 0;
};

TEST(ReadStreamTest, ReadErrorMidStream) {
  FailingBuf buf("{\"id\": \"a\", \"text\": \"Erste\"}\n{\"id\": \"b\", \"te");
  std::istream in(&buf);
  DumpSink sink;
  const Status status = ReadStream(in, "platte.jsonl", ReaderOptions(), sink);
  EXPECT_EQ(status.ToString(), "io: platte.jsonl: read failed: Ein-/Ausgabefehler");
  // What was read before the failure counts; the fragment after it does not.
  EXPECT_EQ(sink.dump, "doc a | title= | text=Erste\n");
}

TEST(ReadStreamTest, ReadErrorInOneDocumentFormat) {
  FailingBuf buf("<title>Halb</title><p>Ein halber");
  std::istream in(&buf);
  DumpSink sink;
  const Status status = ReadStream(in, "seite.html", ReaderOptions(), sink);
  EXPECT_EQ(status.ToString(), "io: seite.html: read failed: Ein-/Ausgabefehler");
  EXPECT_EQ(sink.dump, "");  // half a page is not indexed
}

// Standard input: the format is sniffed from the first non-space byte.
struct StdinCase {
  const char* name;
  std::string content;
  std::string expected;
};

void PrintTo(const StdinCase& c, std::ostream* os) { *os << c.name; }

class StdinTest : public ::testing::TestWithParam<StdinCase> {};

TEST_P(StdinTest, Sniffed) {
  std::istringstream in(GetParam().content);
  DumpSink sink;
  ASSERT_TRUE(ReadStream(in, "-", ReaderOptions(), sink).ok());
  EXPECT_EQ(sink.dump, GetParam().expected);
}

const StdinCase kStdinCases[] = {
    {"JsonlAfterSpace", "\n  {\"text\": \"Aus der Pipe\"}\n{\"id\": 3, \"text\": \"zwei\"}\n",
     "doc stdin:2 | title= | text=Aus der Pipe\ndoc 3 | title= | text=zwei\n"},
    {"Html", "<!doctype html><title>Pipe</title><p>HTML von stdin</p>",
     "doc hash:2e37aac04cb5b073 | title=Pipe | text=HTML von stdin\n"},
    {"TextWithBom", "\xEF\xBB\xBFTitel\nText von stdin\n",
     "doc hash:96ff78b56a7d3b39 | title=Titel | text=Text von stdin\n"},
    {"Empty", "", "skip stdin: empty document\n"},
};
INSTANTIATE_TEST_SUITE_P(Stdin, StdinTest, ::testing::ValuesIn(kStdinCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(ReadStreamTest, NameExtensionPicksFormat) {
  std::istringstream in("id;text\n1;Semikolon\n");
  ReaderOptions options;
  options.csv.delimiter = ';';
  DumpSink sink;
  ASSERT_TRUE(ReadStream(in, "daten.csv", options, sink).ok());
  EXPECT_EQ(sink.dump, "doc 1 | title=Semikolon | text=Semikolon\n");
}

// ---------------------------------------------------------------------------
// Helpers with tables of their own

TEST(ParseInputFormatTest, Names) {
  const std::pair<const char*, InputFormat> kGood[] = {
      {"auto", InputFormat::kAuto},         {"jsonl", InputFormat::kJsonl},
      {"NDJSON", InputFormat::kJsonl},      {"csv", InputFormat::kCsv},
      {"tsv", InputFormat::kTsv},           {"txt", InputFormat::kText},
      {"text", InputFormat::kText},         {"md", InputFormat::kMarkdown},
      {"markdown", InputFormat::kMarkdown}, {"html", InputFormat::kHtml},
      {"HTM", InputFormat::kHtml}};
  for (const auto& [name, format] : kGood) {
    const Result<InputFormat> r = ParseInputFormat(name);
    ASSERT_TRUE(r.ok()) << name;
    EXPECT_EQ(r.value(), format) << name;
  }
  for (const char* bad : {"", "json", "pdf", "xml"}) {
    const Result<InputFormat> r = ParseInputFormat(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidInput);
    EXPECT_EQ(r.status().message(), "unknown input format \"" + std::string(bad) +
                                        "\" (expected auto, jsonl, csv, tsv, text, markdown or "
                                        "html)");
  }
}

TEST(TitleFromFirstSentenceTest, Table) {
  const std::pair<const char*, const char*> kRows[] = {
      {"Erster Satz. Zweiter Satz.", "Erster Satz"},
      {"Wer kommt? Alle.", "Wer kommt?"},
      {"Achtung! Glatteis.", "Achtung!"},
      // Abbreviations, initials and ordinals do not end the sentence.
      {"Dr. Müller und Prof. Huber in St. Pölten. Danach mehr.",
       "Dr. Müller und Prof. Huber in St. Pölten"},
      {"Elisabeth S. hat geklagt. Mehr.", "Elisabeth S. hat geklagt"},
      {"Am 7. Juli beginnt es. Dann.", "Am 7. Juli beginnt es"},
      {"Es kostet ca. fünf Euro. Teuer.", "Es kostet ca. fünf Euro"},
      {"Die K.-o.-Phase beginnt. Jetzt.", "Die K.-o.-Phase beginnt"},
      {"Um 20.45 Uhr geht es los. Spät.", "Um 20.45 Uhr geht es los"},
      // A line break ends a heading-like first line; whitespace collapses.
      {"  Überschrift\nText darunter.", "Überschrift"},
      {"Viele   Leer\tzeichen hier. Ende.", "Viele Leer zeichen hier"},
      // No end at all: the whole (short) text.
      {"Ohne Punkt", "Ohne Punkt"},
      {"", ""},
  };
  for (const auto& [in, out] : kRows) EXPECT_EQ(TitleFromFirstSentence(in), out) << in;
  // Cut at a word boundary, at most 20 code points plus the ellipsis.
  EXPECT_EQ(TitleFromFirstSentence("Fußgängerübergänge über Straßen sind wichtig.", 20),
            "Fußgängerübergänge…");
  EXPECT_EQ(TitleFromFirstSentence("Ein Satz, der lang ist.", 10), "Ein Satz…");
  EXPECT_EQ(TitleFromFirstSentence("Donaudampfschifffahrtsgesellschaft", 10), "Donaudampf…");
}

// ---------------------------------------------------------------------------
// Random input: no crash, and every document keeps the invariants.

std::string RandomInput(std::mt19937& rng) {
  static const char* const kPieces[] = {"<",
                                        ">",
                                        "</",
                                        "<p>",
                                        "<script>",
                                        "</script>",
                                        "<nav>",
                                        "</nav>",
                                        "<title>",
                                        "<h1>",
                                        "&auml;",
                                        "&#",
                                        "&#x20AC;",
                                        "&",
                                        ";",
                                        "\"",
                                        "'",
                                        "''",
                                        ",",
                                        ";",
                                        "\t",
                                        "\n",
                                        "\r\n",
                                        " ",
                                        "{",
                                        "}",
                                        "[",
                                        "]",
                                        ":",
                                        "{\"id\": ",
                                        "\"text\": \"",
                                        "\\u00fc",
                                        "\\",
                                        "ä",
                                        "ß",
                                        "€",
                                        "\xFF",
                                        "\xC3",
                                        "# ",
                                        "---\n",
                                        "```",
                                        "`",
                                        "*",
                                        "_",
                                        "](",
                                        "![",
                                        "<!--",
                                        "-->",
                                        "Wort",
                                        "Straße",
                                        "0",
                                        "1.",
                                        "St.",
                                        "?",
                                        "!"};
  std::string out;
  const std::size_t n = rng() % 60;
  for (std::size_t i = 0; i < n; ++i) out += kPieces[rng() % std::size(kPieces)];
  return out;
}

TEST(RandomInputTest, AllFormatsKeepInvariants) {
  std::mt19937 rng(20240501);
  const InputFormat kFormats[] = {InputFormat::kJsonl, InputFormat::kCsv,      InputFormat::kTsv,
                                  InputFormat::kText,  InputFormat::kMarkdown, InputFormat::kHtml};
  for (int round = 0; round < 400; ++round) {
    const std::string input = RandomInput(rng);
    for (InputFormat format : kFormats) {
      SCOPED_TRACE(::testing::Message() << "format " << static_cast<int>(format) << " input "
                                        << ::testing::PrintToString(input));
      ReaderOptions options;
      options.format = format;
      options.csv.header = (round % 2) == 0;
      options.csv.text_column = options.csv.header ? "text" : "1";
      options.max_record_bytes = 1 + rng() % 200;
      std::istringstream in(input);
      DumpSink sink;
      const Status status = ReadStream(in, "zufall", options, sink);
      if (!status.ok()) {
        EXPECT_EQ(status.code(), Status::Code::kInvalidInput);  // a CSV header without text
      }
      EXPECT_LE(sink.bytes, input.size());
    }
  }
}

// ---------------------------------------------------------------------------
// The shared corpora (../shared): skipped where they are absent.

std::string SharedFile(const std::string& name) {
  return std::string(FINDLING_SHARED_DIR) + "/corpora/" + name;
}

TEST(CorpusTest, TenKGnadTestSplit) {
  const std::string path = SharedFile("10kgnad-test.csv");
  if (!fs::exists(path)) GTEST_SKIP() << path << " is absent";
  ReaderOptions options;
  TenKGnadOptions(options);
  DumpSink sink;
  ASSERT_TRUE(ReadInput(path, options, sink).ok());
  EXPECT_EQ(sink.docs.size(), 1028u);
  EXPECT_TRUE(sink.issues.empty()) << sink.dump.substr(0, 2000);
  ASSERT_FALSE(sink.docs.empty());
  const SourceDocument& first = sink.docs.front();
  EXPECT_EQ(first.id, "10kgnad-test.csv:1");
  EXPECT_EQ(first.category, "Wirtschaft");
  EXPECT_TRUE(first.title.starts_with("Die Gewerkschaft GPA-djp lanciert den \"All-in-Rechner\""))
      << first.title;
  EXPECT_TRUE(first.text.starts_with("Die Gewerkschaft GPA-djp")) << first.text.substr(0, 100);
  EXPECT_EQ(sink.docs.back().id, "10kgnad-test.csv:1028");
  EXPECT_EQ(sink.bytes, fs::file_size(path));
  for (const SourceDocument& doc : sink.docs) {
    EXPECT_LE(CountCodePoints(doc.title), 121u) << doc.title;
    EXPECT_FALSE(doc.text.ends_with('\r'));
  }
}

TEST(CorpusTest, GesetzeJsonl) {
  const std::string path = SharedFile("gesetze-2022-03.jsonl");
  if (!fs::exists(path)) GTEST_SKIP() << path << " is absent";
  DumpSink sink;
  ASSERT_TRUE(ReadInput(path, ReaderOptions(), sink).ok());
  EXPECT_EQ(sink.docs.size(), 22335u);
  EXPECT_TRUE(sink.issues.empty());
  ASSERT_FALSE(sink.docs.empty());
  EXPECT_EQ(sink.docs.front().id, "bgb/1");
  EXPECT_EQ(sink.docs.front().category, "BGB");
  EXPECT_EQ(sink.docs.front().date, "1896-08-18");
  EXPECT_EQ(sink.bytes, fs::file_size(path));
}

TEST(CorpusTest, KlexikonJsonl) {
  const std::string path = SharedFile("klexikon-wiki.jsonl");
  if (!fs::exists(path)) GTEST_SKIP() << path << " is absent";
  DumpSink sink;
  ASSERT_TRUE(ReadInput(path, ReaderOptions(), sink).ok());
  EXPECT_EQ(sink.docs.size(), 2890u);
  EXPECT_TRUE(sink.issues.empty());
}

}  // namespace
}  // namespace findling
