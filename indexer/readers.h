// Readers: JSONL, CSV/TSV, plain text, Markdown and HTML, from files,
// folders (recursively, by extension) and standard input ("-").
//
// Contract for every reader: a bad record (malformed JSON, invalid UTF-8,
// a record above max_record_bytes, an empty document) is reported through
// DocumentSink::Skip() naming file and line, and reading goes on; only a
// failure to open/read the input itself is returned as a Status (kIo /
// kNotFound, naming the path) — and even then the caller goes on with the
// next input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "indexer/charset.h"
#include "indexer/source_document.h"

namespace findling {

enum class InputFormat : std::uint8_t { kAuto, kJsonl, kCsv, kTsv, kText, kMarkdown, kHtml };

// Maps a name ("jsonl", "csv", "tsv", "txt"/"text", "md"/"markdown", "html") to a format.
Result<InputFormat> ParseInputFormat(const std::string& name);

// OK when ReaderOptions::encoding can be used: empty, or a name ICU knows
// for an encoding that keeps ASCII as ASCII; else kInvalidInput saying so
// ("unknown encoding \"latin-12\"").
Status CheckEncoding(const std::string& name);

struct CsvOptions {
  char delimiter = ',';  // kTsv forces '\t'
  char quote = '"';      // quote characters inside a field are doubled
  bool header = true;    // first line names the columns
  // Columns by header name (matched ASCII case-insensitively, trimmed) or by
  // 0-based number ("2"). Empty = not present. A name that the header lacks
  // means "not present" too, except for the text column: a file whose header
  // has neither the text column (nor "body") nor the title column is
  // rejected as a whole (kInvalidInput). Without a header, names cannot be
  // resolved: non-numeric names are "not present", and the text (or title)
  // column must then be a number (10kGNAD: category_column "0", text_column "1").
  // A row with fewer fields than a configured column needs is skipped.
  std::string id_column = "id";
  std::string title_column = "title";
  std::string text_column = "text";  // also "body" when "text" is absent
  std::string url_column = "url";
  std::string date_column = "date";
  std::string category_column = "category";
  // When there is no title column, the text's first sentence (up to ~120
  // characters) becomes the title. True makes that explicit for files such
  // as 10kGNAD ("Label;'text'") that have none.
  bool title_from_first_sentence = true;
};

struct ReaderOptions {
  InputFormat format = InputFormat::kAuto;  // kAuto: by extension; stdin: sniffed
  CsvOptions csv;
  std::uint64_t max_record_bytes = 4u << 20;  // a longer line/record is skipped with a warning
  // The encoding of input that is not valid UTF-8 (findling-index
  // --encoding): an ICU name or alias such as "latin1", "windows-1252",
  // "iso-8859-15". Empty or "utf-8": none, such input is skipped as invalid
  // UTF-8 naming file, line and byte, as without the option. Valid UTF-8 is
  // read as UTF-8 either way, so a folder may mix both. Applies to CSV/TSV
  // (per record), plain text and Markdown, and to an HTML page that declares
  // no charset of its own; never to JSONL, which is UTF-8 by definition
  // (RFC 8259). An unknown name makes ReadInput/ReadStream return
  // kInvalidInput before reading.
  std::string encoding;
};

// Reads one input: a file, a directory (recursively; files with extensions
// .jsonl/.ndjson, .csv, .tsv, .txt, .md/.markdown, .html/.htm, sorted by path
// so runs are reproducible; others ignored), or "-" for standard input.
// Returns early (OK) when the sink asks to stop.
//
// Documents reach the sink on the calling thread, in input order. Calls on
// different threads are safe as long as each has its own sink (the readers
// share only read-only tables). Failures:
//  - kNotFound: `input` does not exist; kIo: it cannot be opened or read
//    (the message names the path). Inside a directory, a file or folder that
//    cannot be opened or read is reported through sink.Skip() instead, and
//    the walk goes on.
//  - kInvalidInput: a CSV/TSV file whose header lacks the text column or is
//    itself a bad record (invalid UTF-8, an unclosed quote).
// Directory walks skip hidden entries (".git", ".draft.md") and do not follow
// symbolic links to directories (no cycles).
Status ReadInput(const std::string& input, const ReaderOptions& options, DocumentSink& sink);

// The files ReadInput reads from `folder`, in the order it reads them (the
// same extensions, hidden entries and links). Folders that cannot be listed
// are reported through sink.Skip() and left out.
std::vector<std::string> ListFolderFiles(const std::string& folder, DocumentSink& sink);

// Reads one input from an already open stream, in large blocks. `name`
// stands in for the path in ids and messages and picks the format by its
// extension when options.format is kAuto; otherwise the content is sniffed
// like standard input's. The name "-" means standard input: messages say
// "stdin", and a one-document format gets a content-hash id. Same contract
// as ReadInput. For tests and for callers that hold a stream already.
Status ReadStream(std::istream& in, const std::string& name, const ReaderOptions& options,
                  DocumentSink& sink);

// ---------------------------------------------------------------------------
// Internals shared by indexer/*_reader.cc (and their tests). Not part of the
// contract above: IndexWriter and findling-index use only what is above.
// They are declared here because the indexer's file list is fixed.
namespace reader_internal {

// Block size for all reads: large enough that a read costs one syscall per
// MiB, small enough that a reader never holds much more than one record.
inline constexpr std::size_t kBlockBytes = std::size_t{1} << 20;

// A forward-only byte stream over a FILE* (files, stdin) or a std::istream,
// read in large blocks. Owns the FILE* it opened; never owns the istream.
// After a failed read, Read() returns 0 and status() is kIo naming the path.
class ByteSource {
 public:
  // kNotFound / kIo naming `path`.
  static Result<std::unique_ptr<ByteSource>> OpenFile(const std::string& path);
  ByteSource(std::FILE* borrowed, std::string name);  // e.g. stdin; not closed
  ByteSource(std::istream& in, std::string name);
  ~ByteSource();
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;

  // Reads up to n bytes; returns 0 only at the end of the input or after an error.
  std::size_t Read(char* buf, std::size_t n);
  // The next (up to) n bytes without consuming them (for format sniffing).
  std::string_view Peek(std::size_t n);
  // Drops a leading UTF-8 byte order mark, as spreadsheet exports write one.
  void SkipUtf8Bom();
  const Status& status() const { return status_; }

 private:
  std::size_t ReadRaw(char* buf, std::size_t n);

  std::FILE* file_ = nullptr;
  bool owns_file_ = false;
  std::istream* stream_ = nullptr;
  std::string name_;
  std::string peeked_;  // bytes Peek() read ahead, served first by Read()
  std::size_t peeked_pos_ = 0;
  bool eof_ = false;
  Status status_;
};

// Finds where a record ends for RecordReader. Stateful so that a record
// split across blocks is scanned once (CSV quotes may span blocks).
class RecordSplitter {
 public:
  virtual ~RecordSplitter() = default;
  virtual void Reset() = 0;  // called at the start of every record
  // Scans data[0, size), continuing the current record; returns the offset
  // of the '\n' that ends it, or npos when all of data belongs to it.
  virtual std::size_t FindEnd(const char* data, std::size_t size) = 0;
};

// Splits a ByteSource into records ('\n'-terminated lines, or what a
// RecordSplitter says) with a bounded buffer: a record longer than
// max_record_bytes is discarded block by block, never held whole.
class RecordReader {
 public:
  struct Record {
    std::string_view text;     // without "\n"/"\r\n"; empty when too_long; valid until Next()
    std::uint64_t line = 0;    // 1-based line on which the record starts
    std::uint64_t offset = 0;  // byte offset of its first byte in the input
    std::uint64_t bytes = 0;   // bytes consumed, terminator included
    bool too_long = false;     // longer than max_record_bytes: text dropped
  };
  // `splitter` may be null (plain lines); it is not owned.
  RecordReader(ByteSource& in, std::uint64_t max_record_bytes, RecordSplitter* splitter);
  RecordReader(const RecordReader&) = delete;
  RecordReader& operator=(const RecordReader&) = delete;

  // False at the end of the input or on a read error (see ByteSource::status()).
  bool Next(Record* record);

 private:
  std::size_t Scan();  // index of the record's end in buf_, or npos
  bool Fill();         // reads more input; false at the end
  bool Discard(Record* record);
  std::uint64_t CountNewlines(std::size_t from, std::size_t to) const;

  ByteSource& in_;
  std::uint64_t max_;
  RecordSplitter* splitter_;
  std::unique_ptr<char[]> buf_;
  std::size_t cap_ = 0, begin_ = 0, end_ = 0, scanned_ = 0;
  std::uint64_t line_ = 1, offset_ = 0;
};

// What a format reader needs. `path` is the input as given ("stdin" for
// standard input), used in ids, origins and messages.
struct ReadContext {
  ByteSource& in;
  std::string path;
  bool is_stdin;
  const ReaderOptions& options;
  DocumentSink& sink;
  // Opened from options.encoding; null without one (or with UTF-8).
  Utf8Converter* fallback = nullptr;
};

// The fields of one JSONL record. Two parsers fill them: a fast one for the
// common well-formed line, and nlohmann::json's SAX parser, which also says
// what is wrong with a bad line. Both are here so that tests can hold them
// against each other.
struct JsonlFields {
  std::string id, title, text, body, url, date, category;
  DocumentFields extra;  // other members: strings and arrays' strings, names as written
  void Clear();
};
// Fast path for a line that is valid UTF-8 (checked before): true when it
// is a well-formed JSON object whose known fields have the right types.
// False means "ask ParseJsonlChecked", not "invalid": it also gives up on
// what it does not handle (nesting deeper than 32).
bool ParseJsonlFast(std::string_view line, JsonlFields* fields);
// The full parse: true, or false with *error saying why ("malformed JSON at
// byte 12: ...", "field \"title\" must be a string, found an array").
bool ParseJsonlChecked(std::string_view line, JsonlFields* fields, std::string* error);

// The format readers. Each returns OK when the input was read to its end or
// the sink asked to stop; a read error is left in ctx.in.status().
Status ReadJsonl(const ReadContext& ctx);
Status ReadCsv(const ReadContext& ctx, char delimiter);
Status ReadText(const ReadContext& ctx);
Status ReadMarkdown(const ReadContext& ctx);
Status ReadHtml(const ReadContext& ctx);

// Reads the whole input for one-document formats: at most max_record_bytes
// are kept; *total_bytes counts everything, *too_long says bytes were dropped.
void ReadWhole(ByteSource& in, std::uint64_t max_record_bytes, std::string* out,
               std::uint64_t* total_bytes, bool* too_long);

// ReadWhole for one-document readers: false (and the document skipped,
// naming the path) when it is longer than max_record_bytes.
bool ReadDocument(const ReadContext& ctx, std::string* data, std::uint64_t* bytes);
// False (and the document skipped, naming path:line and the byte offset)
// when `data` is not valid UTF-8.
bool CheckUtf8(const ReadContext& ctx, std::string_view data, std::uint64_t bytes);
// True when *data is valid UTF-8 or was converted to it with ctx.fallback
// (--encoding); else CheckUtf8's skip and false.
bool ToUtf8Document(const ReadContext& ctx, std::string* data, std::uint64_t bytes);

// Normalises doc->fields (common/fields.h): names normalised, values
// trimmed and capped, empty values and reserved names (the built-in fields)
// dropped silently, a bad name dropped and a cut value kept, each with a
// warning naming doc->origin; at most kMaxFieldsPerDocument values are kept.
void NormalizeFields(SourceDocument* doc, std::vector<ReadIssue>* warnings);
// Skips an empty document, else gives the sink `warning` (when there is one),
// the warnings of NormalizeFields, and then the document; returns false when
// the sink asks to stop.
bool Emit(const ReadContext& ctx, SourceDocument&& doc,
          const std::optional<ReadIssue>& warning = std::nullopt);
// Reports a skipped record.
void SkipRecord(const ReadContext& ctx, std::string where, std::string message,
                std::uint64_t source_bytes);

// Sets doc->date from a date field as written (common/date.h: "2024-05-01",
// "2024-05-01T10:00:00Z", "1.5.2024" -> "2024-05-01"). A field that is
// empty or nothing like a date ("gestern") leaves the date empty. A field
// written like a date that is no day ("31.02.2024", "01.05.24") leaves it
// empty too and returns the warning for Emit, naming `where` ("file:line"):
// the document is indexed without a date, nothing else is lost.
std::optional<ReadIssue> SetDate(std::string_view field, std::string where, SourceDocument* doc);
// The first sentence of `text` (abbreviations such as "St." and ordinals
// such as "7." do not end it), whitespace collapsed, cut at a word boundary
// to at most max_chars code points with "…" appended when cut.
std::string TitleFromFirstSentence(std::string_view text, std::size_t max_chars = 120);
// A stable id for content without a name (standard input): "hash:" + 16 hex
// digits of FNV-1a 64 (stable across platforms, unlike std::hash).
std::string ContentHashId(std::string_view text);

}  // namespace reader_internal

}  // namespace findling
