// ReadInput: picks the inputs (file, directory walk, standard input), picks
// each one's format, and hands it to the format reader. Also the block I/O
// (ByteSource, RecordReader) and the small helpers all readers share.
#include "indexer/readers.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <filesystem>
#include <istream>
#include <streambuf>
#include <system_error>
#include <utility>
#include <vector>

#include "common/ascii.h"
#include "common/date.h"
#include "common/fields.h"
#include "common/utf8.h"

namespace findling {
namespace reader_internal {

// ---------------------------------------------------------------------------
// ByteSource

Result<std::unique_ptr<ByteSource>> ByteSource::OpenFile(const std::string& path) {
  errno = 0;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    const int e = errno;
    if (e == ENOENT) return Status::NotFound(path + ": no such file or directory");
    return Status::Io(path + ": cannot open: " + std::strerror(e));
  }
  auto source = std::make_unique<ByteSource>(f, path);
  source->owns_file_ = true;
  return source;
}

ByteSource::ByteSource(std::FILE* borrowed, std::string name)
    : file_(borrowed), name_(std::move(name)) {}

ByteSource::ByteSource(std::istream& in, std::string name) : stream_(&in), name_(std::move(name)) {}

ByteSource::~ByteSource() {
  if (owns_file_) std::fclose(file_);
}

std::size_t ByteSource::ReadRaw(char* buf, std::size_t n) {
  if (eof_ || !status_.ok() || n == 0) return 0;
  std::size_t got = 0;
  if (file_ != nullptr) {
    got = std::fread(buf, 1, n, file_);
    if (got < n) {
      if (std::ferror(file_))
        status_ = Status::Io(name_ + ": read failed: " + std::strerror(errno));
      eof_ = true;
    }
  } else {
    // Straight from the streambuf: istream::read() would swallow what its
    // streambuf throws and, in libstdc++, drop the count of the bytes it
    // had already copied. A short count is not the end (pipes deliver what
    // they have); 0 is.
    std::streambuf* sb = stream_->rdbuf();
    try {
      while (sb != nullptr && got < n) {
        const std::streamsize k = sb->sgetn(buf + got, static_cast<std::streamsize>(n - got));
        if (k <= 0) {
          eof_ = true;
          break;
        }
        got += static_cast<std::size_t>(k);
      }
      if (sb == nullptr) eof_ = true;
    } catch (const std::exception& e) {
      // The stream's exceptions become a Status here, at the one adapter.
      status_ = Status::Io(name_ + ": read failed: " + e.what());
      stream_->setstate(std::ios_base::badbit);
      eof_ = true;
    }
  }
  return got;
}

std::size_t ByteSource::Read(char* buf, std::size_t n) {
  if (peeked_pos_ < peeked_.size()) {
    const std::size_t k = std::min(n, peeked_.size() - peeked_pos_);
    std::memcpy(buf, peeked_.data() + peeked_pos_, k);
    peeked_pos_ += k;
    if (peeked_pos_ == peeked_.size()) {
      peeked_.clear();
      peeked_pos_ = 0;
    }
    return k;
  }
  return ReadRaw(buf, n);
}

std::string_view ByteSource::Peek(std::size_t n) {
  if (peeked_pos_ > 0) {
    peeked_.erase(0, peeked_pos_);
    peeked_pos_ = 0;
  }
  while (peeked_.size() < n) {
    const std::size_t have = peeked_.size();
    peeked_.resize(n);
    const std::size_t got = ReadRaw(peeked_.data() + have, n - have);
    peeked_.resize(have + got);
    if (got == 0) break;
  }
  return std::string_view(peeked_).substr(0, n);
}

void ByteSource::SkipUtf8Bom() {
  if (Peek(3) == "\xEF\xBB\xBF") peeked_pos_ += 3;
}

// ---------------------------------------------------------------------------
// RecordReader

RecordReader::RecordReader(ByteSource& in, std::uint64_t max_record_bytes, RecordSplitter* splitter)
    : in_(in), max_(max_record_bytes), splitter_(splitter) {
  cap_ = kBlockBytes;
  // Not zeroed: only [0, end_) is ever read, and zeroing 1 MiB per file was
  // most of the cost of reading a small file.
  buf_ = std::make_unique_for_overwrite<char[]>(cap_);
  if (splitter_ != nullptr) splitter_->Reset();
}

std::size_t RecordReader::Scan() {
  std::size_t found = std::string_view::npos;
  if (splitter_ == nullptr) {
    const void* nl = std::memchr(buf_.get() + scanned_, '\n', end_ - scanned_);
    if (nl != nullptr) found = static_cast<std::size_t>(static_cast<const char*>(nl) - buf_.get());
  } else {
    const std::size_t rel = splitter_->FindEnd(buf_.get() + scanned_, end_ - scanned_);
    if (rel != std::string_view::npos) found = scanned_ + rel;
  }
  scanned_ = found == std::string_view::npos ? end_ : found + 1;
  return found;
}

bool RecordReader::Fill() {
  if (begin_ > 0) {
    // Keep only the unfinished record; it is at most max_ bytes, so this
    // moves little compared with the block that is read next.
    std::memmove(buf_.get(), buf_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    scanned_ -= begin_;
    begin_ = 0;
  }
  if (end_ == cap_) {
    // Only a record that is still within max_ grows the buffer, so the
    // buffer stays below about 2 * (max_ + kBlockBytes).
    const std::size_t new_cap = cap_ * 2;
    auto bigger = std::make_unique_for_overwrite<char[]>(new_cap);
    std::memcpy(bigger.get(), buf_.get(), end_);
    buf_ = std::move(bigger);
    cap_ = new_cap;
  }
  const std::size_t got = in_.Read(buf_.get() + end_, std::min(cap_ - end_, kBlockBytes));
  end_ += got;
  return got > 0;
}

std::uint64_t RecordReader::CountNewlines(std::size_t from, std::size_t to) const {
  // Only multi-line records (CSV) contain newlines; plain lines never do.
  if (splitter_ == nullptr) return 0;
  return static_cast<std::uint64_t>(std::count(buf_.get() + from, buf_.get() + to, '\n'));
}

bool RecordReader::Discard(Record* record) {
  record->too_long = true;
  record->text = {};
  record->line = line_;
  record->offset = offset_;
  std::uint64_t bytes = end_ - begin_;
  std::uint64_t newlines = CountNewlines(begin_, end_);
  begin_ = end_ = scanned_ = 0;
  for (;;) {
    const std::size_t got = in_.Read(buf_.get(), std::min(cap_, kBlockBytes));
    if (got == 0) break;  // the over-long record ran to the end of the input
    end_ = got;
    const std::size_t nl = Scan();
    if (nl != std::string_view::npos) {
      bytes += nl + 1;
      newlines += CountNewlines(0, nl) + 1;
      begin_ = nl + 1;
      break;
    }
    bytes += got;
    newlines += CountNewlines(0, got);
    begin_ = end_ = scanned_ = 0;
  }
  record->bytes = bytes;
  line_ += newlines;
  offset_ += bytes;
  if (splitter_ != nullptr) splitter_->Reset();
  return true;
}

bool RecordReader::Next(Record* record) {
  record->too_long = false;
  for (;;) {
    const std::size_t nl = Scan();
    if (nl != std::string_view::npos) {
      const std::size_t len = nl - begin_;
      record->line = line_;
      record->offset = offset_;
      record->bytes = len + 1;
      if (len > max_) {
        record->too_long = true;
        record->text = {};
      } else {
        record->text = std::string_view(buf_.get() + begin_, len);
        if (!record->text.empty() && record->text.back() == '\r') record->text.remove_suffix(1);
      }
      line_ += 1 + CountNewlines(begin_, nl);
      offset_ += len + 1;
      begin_ = nl + 1;
      if (splitter_ != nullptr) splitter_->Reset();
      return true;
    }
    if (end_ - begin_ > max_) return Discard(record);
    if (!Fill()) {
      // After a read error the tail is a fragment, not a record.
      if (begin_ == end_ || !in_.status().ok()) return false;
      // The last record has no newline.
      const std::size_t len = end_ - begin_;
      record->line = line_;
      record->offset = offset_;
      record->bytes = len;
      record->text = std::string_view(buf_.get() + begin_, len);
      if (record->text.back() == '\r') record->text.remove_suffix(1);
      line_ += CountNewlines(begin_, end_);
      offset_ += len;
      begin_ = end_;
      scanned_ = end_;
      return true;
    }
  }
}

// ---------------------------------------------------------------------------
// Shared helpers

void ReadWhole(ByteSource& in, std::uint64_t max_record_bytes, std::string* out,
               std::uint64_t* total_bytes, bool* too_long) {
  out->clear();
  *total_bytes = 0;
  *too_long = false;
  std::vector<char> block;
  for (;;) {
    if (!*too_long) {
      // Read straight into the output while it may still be kept, in steps
      // that grow with it: resize() zeroes what it adds, and a full block
      // for every file was most of the cost of reading a small one.
      const std::size_t have = out->size();
      const std::size_t step = std::min(kBlockBytes, std::max<std::size_t>(64 << 10, have));
      out->resize(have + step);
      const std::size_t got = in.Read(out->data() + have, step);
      out->resize(have + got);
      *total_bytes += got;
      if (got == 0) return;
      if (out->size() > max_record_bytes) {
        *too_long = true;
        out->clear();
        out->shrink_to_fit();
        block.resize(kBlockBytes);
      }
    } else {
      const std::size_t got = in.Read(block.data(), block.size());
      *total_bytes += got;
      if (got == 0) return;
    }
  }
}

bool ReadDocument(const ReadContext& ctx, std::string* data, std::uint64_t* bytes) {
  bool too_long = false;
  ReadWhole(ctx.in, ctx.options.max_record_bytes, data, bytes, &too_long);
  if (!ctx.in.status().ok()) return false;  // ReadSource reports it
  if (too_long) {
    SkipRecord(ctx, ctx.path,
               "document longer than max_record_bytes (" + std::to_string(*bytes) + " > " +
                   std::to_string(ctx.options.max_record_bytes) + " bytes)",
               *bytes);
    return false;
  }
  return true;
}

bool CheckUtf8(const ReadContext& ctx, std::string_view data, std::uint64_t bytes) {
  const std::size_t bad = FindInvalidUtf8(data);
  if (bad == std::string_view::npos) return true;
  const auto line =
      1 + std::count(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(bad), '\n');
  SkipRecord(ctx, ctx.path + ":" + std::to_string(line),
             "invalid UTF-8 at byte " + std::to_string(bad), bytes);
  return false;
}

bool ToUtf8Document(const ReadContext& ctx, std::string* data, std::uint64_t bytes) {
  if (FindInvalidUtf8(*data) == std::string_view::npos) return true;
  if (ctx.fallback == nullptr) return CheckUtf8(ctx, *data, bytes);
  if (!ctx.fallback->ToUtf8(data)) {
    SkipRecord(ctx, ctx.path, "conversion from " + ctx.fallback->name() + " failed", bytes);
    return false;
  }
  return true;
}

void SkipRecord(const ReadContext& ctx, std::string where, std::string message,
                std::uint64_t source_bytes) {
  ReadIssue issue;
  issue.where = std::move(where);
  issue.message = std::move(message);
  issue.source_bytes = source_bytes;
  ctx.sink.Skip(issue);
}

void NormalizeFields(SourceDocument* doc, std::vector<ReadIssue>* warnings) {
  DocumentFields kept;
  std::size_t dropped_over_cap = 0;
  auto warn = [&](std::string message) {
    ReadIssue issue;
    issue.where = doc->origin;
    issue.message = std::move(message);
    warnings->push_back(std::move(issue));
  };
  for (auto& [raw_name, raw_value] : doc->fields) {
    std::string why;
    const std::optional<std::string> name = NormalizeFieldName(raw_name, &why);
    if (!name) {
      // At most 64 bytes of the name, cut at a code point boundary.
      std::string shown(TrimAsciiSpace(raw_name));
      if (shown.size() > 64) {
        std::size_t end = 64;
        while (end > 0 && (static_cast<unsigned char>(shown[end]) & 0xC0) == 0x80) --end;
        shown.resize(end);
      }
      warn("field name \"" + shown + "\" " + why + "; field dropped");
      continue;
    }
    // A reader keeps the built-in fields itself; a second spelling of one
    // ("Title" in a CSV header beside "title") is not an extra field.
    if (IsReservedFieldName(*name)) continue;
    bool cut = false;
    std::string value = NormalizeFieldValue(raw_value, &cut);
    if (value.empty()) continue;
    if (cut) {
      warn("value of field \"" + *name + "\" is longer than " +
           std::to_string(kMaxFieldValueBytes) + " bytes; cut");
    }
    if (kept.size() >= kMaxFieldsPerDocument) {
      ++dropped_over_cap;
      continue;
    }
    kept.emplace_back(*name, std::move(value));
  }
  if (dropped_over_cap > 0) {
    warn("more than " + std::to_string(kMaxFieldsPerDocument) + " field values; " +
         std::to_string(dropped_over_cap) + " dropped");
  }
  doc->fields = std::move(kept);
}

bool Emit(const ReadContext& ctx, SourceDocument&& doc, const std::optional<ReadIssue>& warning) {
  if (IsAsciiBlank(doc.title) && IsAsciiBlank(doc.text)) {
    SkipRecord(ctx, doc.origin, "empty document", doc.source_bytes);
    return true;
  }
  if (warning) ctx.sink.Warn(*warning);
  if (!doc.fields.empty()) {
    std::vector<ReadIssue> field_warnings;
    NormalizeFields(&doc, &field_warnings);
    for (const ReadIssue& w : field_warnings) ctx.sink.Warn(w);
  }
  return ctx.sink.Accept(std::move(doc));
}

std::optional<ReadIssue> SetDate(std::string_view field, std::string where, SourceDocument* doc) {
  const DateParse date = ParseDate(field, DateTail::kIgnored);
  if (date.ok()) {
    doc->date = FormatIsoDate(date.day);
    return std::nullopt;
  }
  doc->date.clear();
  if (date.kind == DateParse::Kind::kNotADate) return std::nullopt;
  ReadIssue warning;
  warning.where = std::move(where);
  warning.message = "date " + date.error + "; indexed without a date";
  return warning;
}

namespace {

// A '.' after these does not end a sentence. Short on purpose: the check
// below that the next word is capitalized catches most other abbreviations
// ("ca. fünf"), this list catches the ones before a capitalized word.
bool IsAbbreviation(std::string_view word) {
  static constexpr std::string_view kAbbreviations[] = {
      "Abb", "Abs", "Art",  "Bd",  "Dipl", "Dr",  "Fr",  "Hr", "Ing", "Jh",   "Mag", "Mio",
      "Mrd", "Nr",  "Prof", "St",  "Str",  "Tel", "bzw", "ca", "etc", "evtl", "ggf", "inkl",
      "lt",  "usw", "vgl",  "z.B", "u.a",  "d.h", "z.T", "Co", "jun", "sen"};
  if (word.size() == 1) return true;     // initials: "Elisabeth S. hat"
  if (IsAsciiDigits(word)) return true;  // ordinals: "am 7. Juli"
  for (std::string_view a : kAbbreviations) {
    if (word == a) return true;
  }
  return false;
}

// Whether the sentence end candidate at text[i] ('.', '!', '?') ends the
// sentence: followed by whitespace (or the end) and then not by a lower-case
// word, and for '.' not after an abbreviation or ordinal.
bool EndsSentence(std::string_view text, std::size_t i) {
  std::size_t next = i + 1;
  // Closing quotes and brackets belong to the sentence.
  while (next < text.size() && (text[next] == '"' || text[next] == '\'' || text[next] == ')'))
    ++next;
  if (next < text.size() && !IsAsciiSpace(text[next])) return false;
  while (next < text.size() && IsAsciiSpace(text[next])) ++next;
  if (next < text.size()) {
    const char c = text[next];
    if (c >= 'a' && c <= 'z') return false;
    // ä ö ü ß in lower case start a lower-case word too.
    const std::string_view rest = text.substr(next);
    if (rest.starts_with("\xC3\xA4") || rest.starts_with("\xC3\xB6") ||
        rest.starts_with("\xC3\xBC") || rest.starts_with("\xC3\x9F")) {
      return false;
    }
  }
  if (text[i] != '.') return true;
  std::size_t w = i;
  while (w > 0 && !IsAsciiSpace(text[w - 1]) && text[w - 1] != '(' && text[w - 1] != '"') --w;
  return !IsAbbreviation(text.substr(w, i - w));
}

}  // namespace

std::string TitleFromFirstSentence(std::string_view text, std::size_t max_chars) {
  text = TrimAsciiSpace(text);
  std::size_t end = text.size();
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {  // a line break ends a heading-like first line too
      end = i;
      break;
    }
    if ((c == '.' || c == '!' || c == '?') && EndsSentence(text, i)) {
      end = c == '.' ? i : i + 1;  // a title has no full stop, but keeps ! and ?
      break;
    }
  }
  std::string title;
  std::size_t chars = 0;
  std::size_t last_space = std::string::npos;  // in `title`
  bool cut = false;
  for (std::size_t i = 0; i < end;) {
    if (IsAsciiSpace(text[i])) {
      while (i < end && IsAsciiSpace(text[i])) ++i;
      if (chars + 1 > max_chars) {
        cut = true;
        break;
      }
      last_space = title.size();
      title.push_back(' ');
      ++chars;
      continue;
    }
    if (chars + 1 > max_chars) {
      cut = true;
      break;
    }
    const std::size_t start = i;
    DecodeUtf8(text, i);
    title.append(text.substr(start, i - start));
    ++chars;
  }
  if (cut) {
    if (last_space != std::string::npos && last_space > 0) title.resize(last_space);
    while (!title.empty() && title.back() == ' ') title.pop_back();
    // Drop a dangling comma or dash so the ellipsis reads naturally.
    while (!title.empty() && (title.back() == ',' || title.back() == ';' || title.back() == ':')) {
      title.pop_back();
    }
    title += "\xE2\x80\xA6";  // …
  }
  return title;
}

std::string ContentHashId(std::string_view text) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "hash:%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace reader_internal

// ---------------------------------------------------------------------------
// ReadInput

namespace {

using reader_internal::ByteSource;
using reader_internal::ReadContext;
namespace fs = std::filesystem;

// kAuto for an extension no reader claims.
InputFormat FormatFromExtension(const std::string& path) {
  const std::string ext = AsciiLower(fs::path(path).extension().string());
  if (ext == ".jsonl" || ext == ".ndjson") return InputFormat::kJsonl;
  if (ext == ".csv") return InputFormat::kCsv;
  if (ext == ".tsv") return InputFormat::kTsv;
  if (ext == ".txt") return InputFormat::kText;
  if (ext == ".md" || ext == ".markdown") return InputFormat::kMarkdown;
  if (ext == ".html" || ext == ".htm") return InputFormat::kHtml;
  return InputFormat::kAuto;
}

// The first non-space byte decides: '{' JSONL, '<' HTML, anything else text.
// 64 KiB is more leading whitespace than any real input has.
InputFormat Sniff(ByteSource& in) {
  const std::string_view head = in.Peek(64 * 1024);
  const std::size_t first = head.find_first_not_of(kAsciiSpace);
  if (first == std::string_view::npos) return InputFormat::kText;
  if (head[first] == '{') return InputFormat::kJsonl;
  if (head[first] == '<') return InputFormat::kHtml;
  return InputFormat::kText;
}

// Reads one opened source; with kAuto the extension of `path`, else the
// content, decides the format.
Status ReadSource(ByteSource& in, const std::string& path, bool is_stdin,
                  const ReaderOptions& options, DocumentSink& sink) {
  in.SkipUtf8Bom();
  InputFormat format = options.format;
  if (format == InputFormat::kAuto && !is_stdin) format = FormatFromExtension(path);
  if (format == InputFormat::kAuto) format = Sniff(in);
  std::optional<reader_internal::Utf8Converter> fallback;
  if (!options.encoding.empty()) {
    auto converter = reader_internal::Utf8Converter::Open(options.encoding);
    if (!converter.ok()) return Status::InvalidInput(path + ": " + converter.status().message());
    if (!converter->is_utf8()) fallback.emplace(std::move(converter).value());
  }
  const ReadContext ctx{in, path, is_stdin, options, sink, fallback ? &*fallback : nullptr};
  Status status;
  switch (format) {
    case InputFormat::kJsonl:
      status = reader_internal::ReadJsonl(ctx);
      break;
    case InputFormat::kCsv:
      status = reader_internal::ReadCsv(ctx, options.csv.delimiter);
      break;
    case InputFormat::kTsv:
      status = reader_internal::ReadCsv(ctx, '\t');
      break;
    case InputFormat::kMarkdown:
      status = reader_internal::ReadMarkdown(ctx);
      break;
    case InputFormat::kHtml:
      status = reader_internal::ReadHtml(ctx);
      break;
    case InputFormat::kText:
    case InputFormat::kAuto:
      status = reader_internal::ReadText(ctx);
      break;
  }
  if (!status.ok()) return status;
  return in.status();
}

// Collects the readable files under `root`, depth first; folders that cannot
// be listed are reported and skipped.
void CollectFiles(const fs::path& root, DocumentSink& sink, std::vector<fs::path>* files) {
  std::vector<fs::path> pending{root};
  while (!pending.empty()) {
    const fs::path dir = std::move(pending.back());
    pending.pop_back();
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) {
      sink.Skip(ReadIssue{dir.string(), "cannot read directory: " + ec.message(), 0});
      continue;
    }
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      if (ec) break;
      const fs::path& p = it->path();
      if (p.filename().string().starts_with('.')) continue;  // .git, editor files
      std::error_code type_ec;
      if (it->is_symlink(type_ec)) {
        // A link to a file is read; a link to a folder is not followed.
        if (fs::is_regular_file(p, type_ec) &&
            FormatFromExtension(p.string()) != InputFormat::kAuto) {
          files->push_back(p);
        }
        continue;
      }
      if (it->is_directory(type_ec)) {
        pending.push_back(p);
      } else if (it->is_regular_file(type_ec) &&
                 FormatFromExtension(p.string()) != InputFormat::kAuto) {
        files->push_back(p);
      }
    }
    if (ec) sink.Skip(ReadIssue{dir.string(), "cannot read directory: " + ec.message(), 0});
  }
}

// Status messages start with the path; a ReadIssue names it in `where` already.
std::string WithoutPath(const std::string& message, const std::string& path) {
  const std::string prefix = path + ": ";
  return message.starts_with(prefix) ? message.substr(prefix.size()) : message;
}

}  // namespace

Result<InputFormat> ParseInputFormat(const std::string& name) {
  const std::string n = AsciiLower(name);
  if (n == "auto") return InputFormat::kAuto;
  if (n == "jsonl" || n == "ndjson") return InputFormat::kJsonl;
  if (n == "csv") return InputFormat::kCsv;
  if (n == "tsv") return InputFormat::kTsv;
  if (n == "txt" || n == "text") return InputFormat::kText;
  if (n == "md" || n == "markdown") return InputFormat::kMarkdown;
  if (n == "html" || n == "htm") return InputFormat::kHtml;
  return Status::InvalidInput("unknown input format \"" + name +
                              "\" (expected auto, jsonl, csv, tsv, text, markdown or html)");
}

Status CheckEncoding(const std::string& name) {
  if (name.empty()) return Status::Ok();
  const auto converter = reader_internal::Utf8Converter::Open(name);
  return converter.ok() ? Status::Ok() : converter.status();
}

Status ReadStream(std::istream& in, const std::string& name, const ReaderOptions& options,
                  DocumentSink& sink) {
  const bool is_stdin = name == "-";
  const std::string path = is_stdin ? "stdin" : name;
  ByteSource source(in, path);
  return ReadSource(source, path, is_stdin, options, sink);
}

std::vector<std::string> ListFolderFiles(const std::string& folder, DocumentSink& sink) {
  std::vector<fs::path> files;
  CollectFiles(fs::path(folder), sink, &files);
  // path's operator< compares element by element, so a folder's files stay
  // together ("a/z.md" before "a.jsonl") and runs are reproducible.
  std::sort(files.begin(), files.end());
  std::vector<std::string> out;
  out.reserve(files.size());
  for (const fs::path& file : files) out.push_back(file.string());
  return out;
}

Status ReadInput(const std::string& input, const ReaderOptions& options, DocumentSink& sink) {
  if (input == "-") {
    ByteSource source(stdin, "stdin");
    return ReadSource(source, "stdin", /*is_stdin=*/true, options, sink);
  }
  std::error_code ec;
  const fs::file_status st = fs::status(input, ec);
  if (ec || !fs::exists(st)) {
    if (ec && ec != std::errc::no_such_file_or_directory) {
      return Status::Io(input + ": " + ec.message());
    }
    return Status::NotFound(input + ": no such file or directory");
  }
  if (!fs::is_directory(st)) {
    auto source = ByteSource::OpenFile(input);
    if (!source.ok()) return source.status();
    return ReadSource(*source.value(), input, /*is_stdin=*/false, options, sink);
  }

  // A directory: open it first so that an unreadable root is an error.
  fs::directory_iterator probe(input, ec);
  if (ec) return Status::Io(input + ": cannot read directory: " + ec.message());
  StopTrackingSink tracking(sink);
  for (const std::string& path : ListFolderFiles(input, tracking)) {
    auto source = ByteSource::OpenFile(path);
    if (!source.ok()) {
      tracking.Skip(ReadIssue{path, WithoutPath(source.status().message(), path), 0});
      continue;
    }
    const Status status = ReadSource(*source.value(), path, /*is_stdin=*/false, options, tracking);
    if (!status.ok()) tracking.Skip(ReadIssue{path, WithoutPath(status.message(), path), 0});
    if (tracking.stopped()) break;
  }
  return Status::Ok();
}

}  // namespace findling
