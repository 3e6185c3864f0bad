// CSV and TSV, RFC 4180 with a configurable delimiter and quote character.
//
// A field that starts with the quote character is quoted: it may contain the
// delimiter and line breaks, and a doubled quote stands for one. Elsewhere
// the quote character is an ordinary character, as 10kGNAD needs
// ("Peter's" in an unquoted field), and text after a closing quote is kept
// rather than rejected (Excel writes such fields). Records are found by
// CsvSplitter while reading blocks, then split into fields; a record is
// never held beyond max_record_bytes.
//
// With a header, every column that no role (id, title, text, url, date,
// category) takes is an extra field named by its header cell
// (common/fields.h); a cell holds several values separated by '|'
// ("KI|Chips"), since ',' and ';' occur in names and titles.
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "common/ascii.h"
#include "common/utf8.h"
#include "indexer/readers.h"

namespace findling::reader_internal {
namespace {

// The quoting state machine, shared by the record splitter and the field
// parser so that both agree on where quotes open and close.
enum class CsvState : std::uint8_t {
  kFieldStart,  // at the start of a field
  kUnquoted,    // inside an unquoted field
  kQuoted,      // inside quotes
  kQuoteSeen,   // a quote inside quotes: closes, or starts a doubled quote
};

class CsvSplitter : public RecordSplitter {
 public:
  CsvSplitter(char delimiter, char quote) : delimiter_(delimiter), quote_(quote) {}
  void Reset() override { state_ = CsvState::kFieldStart; }
  std::size_t FindEnd(const char* data, std::size_t size) override {
    for (std::size_t i = 0; i < size; ++i) {
      const char c = data[i];
      switch (state_) {
        case CsvState::kQuoted: {
          // Most bytes of a long quoted field are plain text: jump to the next quote.
          const void* q = std::memchr(data + i, quote_, size - i);
          if (q == nullptr) return std::string_view::npos;
          i = static_cast<std::size_t>(static_cast<const char*>(q) - data);
          state_ = CsvState::kQuoteSeen;
          break;
        }
        case CsvState::kQuoteSeen:
          if (c == quote_) {
            state_ = CsvState::kQuoted;
            break;
          }
          [[fallthrough]];  // the quote closed the field; c is outside quotes
        case CsvState::kFieldStart:
        case CsvState::kUnquoted:
          if (c == '\n') return i;
          if (c == delimiter_) {
            state_ = CsvState::kFieldStart;
          } else if (c == quote_ && state_ == CsvState::kFieldStart) {
            state_ = CsvState::kQuoted;
          } else {
            state_ = CsvState::kUnquoted;
          }
          break;
      }
    }
    return std::string_view::npos;
  }

 private:
  char delimiter_, quote_;
  CsvState state_ = CsvState::kFieldStart;
};

// Splits a whole record into fields. Reuses the strings of `fields` so that
// rows after the first allocate nothing. Returns false for a quote that is
// never closed.
bool SplitFields(std::string_view record, char delimiter, char quote,
                 std::vector<std::string>* fields, std::size_t* count) {
  std::size_t n = 0;
  auto next_field = [&]() -> std::string& {
    if (n == fields->size()) fields->emplace_back();
    std::string& f = (*fields)[n++];
    f.clear();
    return f;
  };
  std::string* field = &next_field();
  CsvState state = CsvState::kFieldStart;
  for (std::size_t i = 0; i < record.size(); ++i) {
    const char c = record[i];
    switch (state) {
      case CsvState::kQuoted:
        if (c == quote) {
          state = CsvState::kQuoteSeen;
        } else if (c == '\r' && i + 1 < record.size() && record[i + 1] == '\n') {
          // A CRLF file's line break inside a field is a line break.
        } else {
          field->push_back(c);
        }
        break;
      case CsvState::kQuoteSeen:
        if (c == quote) {
          field->push_back(quote);  // doubled
          state = CsvState::kQuoted;
          break;
        }
        [[fallthrough]];
      case CsvState::kFieldStart:
      case CsvState::kUnquoted:
        if (c == delimiter) {
          field = &next_field();
          state = CsvState::kFieldStart;
        } else if (c == quote && state == CsvState::kFieldStart) {
          state = CsvState::kQuoted;
        } else {
          field->push_back(c);
          state = CsvState::kUnquoted;
        }
        break;
    }
  }
  *count = n;
  return state != CsvState::kQuoted;
}

bool IsNumber(std::string_view s) {
  return !s.empty() && s.size() < 9 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

constexpr int kAbsent = -1;

struct Columns {
  int id = kAbsent, title = kAbsent, text = kAbsent, url = kAbsent, date = kAbsent,
      category = kAbsent;
  std::size_t needed = 0;  // fields a row must have: 1 + the largest column
  // Header-named columns no role takes: (column, header cell). A row that
  // lacks one simply has no value for it.
  std::vector<std::pair<std::size_t, std::string>> extra;
};

constexpr char kCsvValueSeparator = '|';

// Adds the values of one extra-field cell: "KI|Chips" -> two values.
void AddCellValues(const std::string& name, std::string_view cell, DocumentFields* out) {
  for (;;) {
    const std::size_t bar = cell.find(kCsvValueSeparator);
    const std::string_view value = TrimAsciiSpace(cell.substr(0, bar));
    if (!value.empty()) out->emplace_back(name, std::string(value));
    if (bar == std::string_view::npos) return;
    cell.remove_prefix(bar + 1);
  }
}

// A column by number, or by name in the header (absent when unknown).
int Resolve(const std::string& spec, const std::vector<std::string>& header,
            std::size_t header_count) {
  if (spec.empty()) return kAbsent;
  if (IsNumber(spec)) return std::stoi(spec);
  // Header names are matched trimmed and ASCII case-insensitively.
  const std::string_view want = TrimAsciiSpace(spec);
  for (std::size_t i = 0; i < header_count; ++i) {
    if (EqualsIgnoringAsciiCase(TrimAsciiSpace(header[i]), want)) return static_cast<int>(i);
  }
  return kAbsent;
}

std::string Describe(int column, const char* role) {
  return "column " + std::to_string(column) + " (" + role + ")";
}

}  // namespace

Status ReadCsv(const ReadContext& ctx, char delimiter) {
  const CsvOptions& opt = ctx.options.csv;
  CsvSplitter splitter(delimiter, opt.quote);
  RecordReader reader(ctx.in, ctx.options.max_record_bytes, &splitter);
  RecordReader::Record record;
  std::vector<std::string> fields;
  std::size_t count = 0;
  // Ids name the file without its folder, so they do not change with the
  // directory the indexer is started from.
  const std::string base =
      ctx.is_stdin ? ctx.path : std::filesystem::path(ctx.path).filename().string();

  Columns cols;
  bool have_columns = false;
  // Without a header, names cannot be resolved: see CsvOptions.
  auto resolve_all = [&](const std::vector<std::string>& header, std::size_t n) -> Status {
    cols.id = Resolve(opt.id_column, header, n);
    cols.title = Resolve(opt.title_column, header, n);
    cols.text = Resolve(opt.text_column, header, n);
    if (cols.text == kAbsent && opt.text_column == "text") cols.text = Resolve("body", header, n);
    cols.url = Resolve(opt.url_column, header, n);
    cols.date = Resolve(opt.date_column, header, n);
    cols.category = Resolve(opt.category_column, header, n);
    if (cols.text == kAbsent && cols.title == kAbsent) {
      if (!opt.header) {
        return Status::InvalidInput(ctx.path +
                                    ": a CSV file without a header needs the text "
                                    "column as a number, not \"" +
                                    opt.text_column + "\"");
      }
      return Status::InvalidInput(ctx.path + ": the header names no text column \"" +
                                  opt.text_column + "\" (nor \"body\") and no title column \"" +
                                  opt.title_column + "\"");
    }
    for (int c : {cols.id, cols.title, cols.text, cols.url, cols.date, cols.category}) {
      if (c != kAbsent) cols.needed = std::max(cols.needed, static_cast<std::size_t>(c) + 1);
    }
    for (std::size_t i = 0; i < n; ++i) {
      const int c = static_cast<int>(i);
      if (c == cols.id || c == cols.title || c == cols.text || c == cols.url || c == cols.date ||
          c == cols.category || IsAsciiBlank(header[i])) {
        continue;
      }
      cols.extra.emplace_back(i, std::string(TrimAsciiSpace(header[i])));
    }
    have_columns = true;
    return Status::Ok();
  };
  if (!opt.header) {
    const Status s = resolve_all({}, 0);
    if (!s.ok()) return s;
  }

  std::uint64_t pending_bytes = 0;  // blank lines and the header, credited to the next record
  std::string converted;            // a record in --encoding, as UTF-8
  while (reader.Next(&record)) {
    const std::uint64_t bytes = record.bytes + pending_bytes;
    pending_bytes = 0;
    std::string where = ctx.path + ":" + std::to_string(record.line);
    std::string problem;
    if (record.too_long) {
      problem = "record longer than max_record_bytes (" + std::to_string(record.bytes) + " > " +
                std::to_string(ctx.options.max_record_bytes) + " bytes)";
    } else if (IsAsciiBlank(record.text)) {
      pending_bytes = bytes;
      continue;
    } else if (const std::size_t bad = FindInvalidUtf8(record.text);
               // Not UTF-8: skipped, unless --encoding says what it is
               // (then converted into `converted`, and split from there).
               bad != std::string_view::npos && ctx.fallback == nullptr) {
      problem = "invalid UTF-8 at byte " + std::to_string(bad) + " of the record (byte " +
                std::to_string(record.offset + bad) + " of the file)";
    } else if (bad != std::string_view::npos &&
               (converted.assign(record.text), !ctx.fallback->ToUtf8(&converted))) {
      problem = "conversion from " + ctx.fallback->name() + " failed";
    } else if (!SplitFields(bad == std::string_view::npos ? record.text : converted, delimiter,
                            opt.quote, &fields, &count)) {
      problem = std::string("quoted field not closed (missing ") + opt.quote + ")";
    }
    if (!problem.empty()) {
      // A bad header would let the first row stand in for it: refuse the file.
      if (!have_columns) return Status::InvalidInput(where + ": header: " + problem);
      SkipRecord(ctx, std::move(where), std::move(problem), bytes);
      continue;
    }
    if (!have_columns) {
      const Status s = resolve_all(fields, count);
      if (!s.ok()) return s;
      pending_bytes = bytes;
      continue;
    }
    if (count < cols.needed) {
      // Name the first column the row lacks.
      std::string missing;
      const std::pair<int, const char*> roles[] = {
          {cols.id, "id"},   {cols.title, "title"}, {cols.text, "text"},
          {cols.url, "url"}, {cols.date, "date"},   {cols.category, "category"}};
      for (const auto& [col, role] : roles) {
        if (col != kAbsent && static_cast<std::size_t>(col) >= count) {
          missing = Describe(col, role);
          break;
        }
      }
      SkipRecord(ctx, where,
                 "missing " + missing + ": the row has " + std::to_string(count) + " field" +
                     (count == 1 ? "" : "s"),
                 bytes);
      continue;
    }
    // Copied, not moved: two roles may name the same column, and the field
    // strings keep their capacity for the next row.
    auto take = [&](int col) -> std::string {
      return col == kAbsent ? std::string() : fields[static_cast<std::size_t>(col)];
    };
    SourceDocument doc;
    doc.id = take(cols.id);
    if (TrimAsciiSpace(doc.id).empty()) doc.id = base + ":" + std::to_string(record.line);
    doc.title = take(cols.title);
    doc.text = take(cols.text);
    doc.url = take(cols.url);
    const std::optional<ReadIssue> date_warning = SetDate(take(cols.date), where, &doc);
    doc.category = std::string(TrimAsciiSpace(take(cols.category)));
    if (cols.title == kAbsent && opt.title_from_first_sentence) {
      doc.title = TitleFromFirstSentence(doc.text);
    }
    for (const auto& [col, name] : cols.extra) {
      if (col < count) AddCellValues(name, fields[col], &doc.fields);
    }
    doc.origin = std::move(where);
    doc.source_bytes = bytes;
    if (!Emit(ctx, std::move(doc), date_warning)) return Status::Ok();
  }
  return Status::Ok();
}

}  // namespace findling::reader_internal
