// JSONL: one JSON object per line.
//
// Fields: id (string or number), title, text (or body when text is absent
// or empty), url, date, category; null counts as absent. Every other
// top-level member that holds a string, or an array, is an extra field
// (common/fields.h): a string is one value, an array's strings are its
// values ("tags": ["KI", "Chips"]); other values (numbers, objects, and
// non-strings inside an array) are ignored.
//
// Two parsers. ParseJsonlFast() handles the common case, a well-formed flat
// object, in one pass without building anything but the kept strings; on
// anything unusual it gives up. ParseJsonlChecked() then runs nlohmann's
// SAX parser, which either accepts the line as well or says what is wrong
// and where. Why not nlohmann alone: its lexer pushes every byte of every
// string through a switch and std::string::push_back, which made reading
// the 38 MB gesetze corpus take ~0.8 s (~48 MB/s), slower than indexing it
// should be. The fast path must never accept what nlohmann rejects; the
// cross-check test in tests/readers_test.cc holds them against each other.
#include <charconv>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "common/ascii.h"
#include "common/utf8.h"
#include "indexer/readers.h"

namespace findling::reader_internal {

void JsonlFields::Clear() {
  id.clear();
  title.clear();
  text.clear();
  body.clear();
  url.clear();
  date.clear();
  category.clear();
  extra.clear();
}

namespace {

using Json = nlohmann::json;

enum class Field { kNone, kId, kTitle, kText, kBody, kUrl, kDate, kCategory };

Field FieldOf(std::string_view key) {
  if (key == "id") return Field::kId;
  if (key == "title") return Field::kTitle;
  if (key == "text") return Field::kText;
  if (key == "body") return Field::kBody;
  if (key == "url") return Field::kUrl;
  if (key == "date") return Field::kDate;
  if (key == "category") return Field::kCategory;
  return Field::kNone;
}

const char* NameOf(Field f) {
  switch (f) {
    case Field::kId:
      return "id";
    case Field::kTitle:
      return "title";
    case Field::kText:
      return "text";
    case Field::kBody:
      return "body";
    case Field::kUrl:
      return "url";
    case Field::kDate:
      return "date";
    case Field::kCategory:
      return "category";
    case Field::kNone:
      break;
  }
  return "";
}

std::string* Slot(JsonlFields* f, Field field) {
  switch (field) {
    case Field::kId:
      return &f->id;
    case Field::kTitle:
      return &f->title;
    case Field::kText:
      return &f->text;
    case Field::kBody:
      return &f->body;
    case Field::kUrl:
      return &f->url;
    case Field::kDate:
      return &f->date;
    case Field::kCategory:
      return &f->category;
    case Field::kNone:
      break;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------
// The fast path

class FastParser {
 public:
  FastParser(std::string_view line, JsonlFields* fields)
      : p_(line.data()), end_(line.data() + line.size()), fields_(fields) {}

  bool Parse() {
    SkipSpace();
    if (p_ == end_ || *p_ != '{') return false;
    return ParseObject(&key_, [this] { return ParseMember(FieldOf(key_)); }) && AtEnd();
  }

 private:
  static constexpr int kMaxDepth = 32;

  // The one loop of an array, here at p_ == '[', up to its ']':
  // `element()` parses each element (p_ at its first byte) and returns false
  // on a syntax error, which ends the array as false too.
  template <class Element>
  bool ParseArray(Element&& element) {
    ++p_;
    SkipSpace();
    if (Eat(']')) return true;
    for (;;) {
      if (!element()) return false;
      SkipSpace();
      if (Eat(']')) return true;
      if (!Eat(',')) return false;
      SkipSpace();
    }
  }

  // Likewise for an object at p_ == '{': each member's key goes to *key
  // (replacing it; only checked when key is null), then `value()` parses
  // the value after the colon.
  template <class Value>
  bool ParseObject(std::string* key, Value&& value) {
    ++p_;
    SkipSpace();
    if (Eat('}')) return true;
    for (;;) {
      if (p_ == end_ || *p_ != '"') return false;
      if (key != nullptr) key->clear();
      if (!ParseString(key)) return false;
      SkipSpace();
      if (!Eat(':')) return false;
      SkipSpace();
      if (!value()) return false;
      SkipSpace();
      if (Eat('}')) return true;
      if (!Eat(',')) return false;
      SkipSpace();
    }
  }

  bool Eat(char c) {
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }
  bool AtEnd() {
    SkipSpace();
    return p_ == end_;
  }
  void SkipSpace() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }
  bool EatWord(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() ||
        std::memcmp(p_, word.data(), word.size()) != 0) {
      return false;
    }
    p_ += word.size();
    return true;
  }

  // A top-level member: known fields must be strings (ids may be numbers),
  // null leaves them as they are; anything else goes to the checked parser,
  // which names the problem.
  bool ParseMember(Field field) {
    if (field == Field::kNone) return ParseExtra();
    if (p_ == end_) return false;
    if (*p_ == '"') {
      std::string* slot = Slot(fields_, field);
      slot->clear();
      return ParseString(slot);
    }
    if (*p_ == 'n') return EatWord("null");
    if (field == Field::kId && (*p_ == '-' || (*p_ >= '0' && *p_ <= '9'))) return ParseId();
    return false;
  }

  // A string at p_ == '"', appended to *out (or only checked when out is
  // null). The line is valid UTF-8 already, so bytes >= 0x80 are copied.
  bool ParseString(std::string* out) {
    ++p_;
    for (;;) {
      const char* run = p_;
      SkipPlain();
      if (out != nullptr) out->append(run, static_cast<std::size_t>(p_ - run));
      if (p_ == end_ || static_cast<unsigned char>(*p_) < 0x20) return false;
      if (*p_ == '"') {
        ++p_;
        return true;
      }
      ++p_;  // the backslash
      if (p_ == end_) return false;
      char32_t cp;
      switch (*p_++) {
        case '"':
          cp = '"';
          break;
        case '\\':
          cp = '\\';
          break;
        case '/':
          cp = '/';
          break;
        case 'b':
          cp = '\b';
          break;
        case 'f':
          cp = '\f';
          break;
        case 'n':
          cp = '\n';
          break;
        case 'r':
          cp = '\r';
          break;
        case 't':
          cp = '\t';
          break;
        case 'u': {
          if (!Hex4(&cp)) return false;
          if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // a lone low surrogate
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            char32_t low;
            if (!EatWord("\\u") || !Hex4(&low) || low < 0xDC00 || low > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          break;
        }
        default:
          return false;
      }
      if (out != nullptr) AppendUtf8(cp, *out);
    }
  }

  static bool IsSpecial(char c) {
    return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
  }

  // Advances p_ to the next '"', '\\' or control character (or the end),
  // eight bytes at a time: this loop is where most of the reading time goes.
  void SkipPlain() {
    constexpr std::uint64_t kOnes = 0x0101010101010101ull;
    constexpr std::uint64_t kHigh = 0x8080808080808080ull;
    for (;;) {
      while (end_ - p_ >= 8) {
        std::uint64_t x;
        std::memcpy(&x, p_, 8);
        // Bytes equal to '"' or '\\' become zero after the xor; a zero byte,
        // or a byte below 0x20, sets its high bit in the "has less" test
        // (see "Bit Twiddling Hacks": may also flag a byte after a hit,
        // which the byte loop below sorts out).
        const std::uint64_t quote = x ^ (kOnes * '"');
        const std::uint64_t backslash = x ^ (kOnes * '\\');
        const std::uint64_t hit = ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash) |
                                  ((x - kOnes * 0x20) & ~x);
        if ((hit & kHigh) != 0) break;
        p_ += 8;
      }
      const char* stop = end_ - p_ < 8 ? end_ : p_ + 8;
      while (p_ != stop && !IsSpecial(*p_)) ++p_;
      if (p_ != stop || p_ == end_) return;
    }
  }

  bool Hex4(char32_t* cp) {
    if (end_ - p_ < 4) return false;
    char32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = *p_++;
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= static_cast<char32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        v |= static_cast<char32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        v |= static_cast<char32_t>(c - 'A' + 10);
      } else {
        return false;
      }
    }
    *cp = v;
    return true;
  }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, spelled as written.
  // *fits_64 says whether it is an integer that fits 64 bits; nlohmann
  // reads every other number as a double and rejects those that overflow
  // one ("1e400"), so here every such number from_chars cannot represent
  // goes to the checked parser instead of mirroring nlohmann's rules.
  bool ParseNumber(std::string_view* spelled, bool* fits_64) {
    const char* start = p_;
    const bool negative = Eat('-');
    if (p_ == end_) return false;
    if (*p_ == '0') {
      ++p_;
    } else if (*p_ >= '1' && *p_ <= '9') {
      while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    } else {
      return false;
    }
    bool integer = true;
    if (p_ != end_ && *p_ == '.') {
      integer = false;
      ++p_;
      if (p_ == end_ || *p_ < '0' || *p_ > '9') return false;
      while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      integer = false;
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ == end_ || *p_ < '0' || *p_ > '9') return false;
      while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    }
    *spelled = std::string_view(start, static_cast<std::size_t>(p_ - start));
    *fits_64 = false;
    if (integer) {
      if (negative) {
        std::int64_t v;
        const auto r = std::from_chars(start, p_, v);
        *fits_64 = r.ec == std::errc() && r.ptr == p_;
      } else {
        std::uint64_t v;
        const auto r = std::from_chars(start, p_, v);
        *fits_64 = r.ec == std::errc() && r.ptr == p_;
      }
    }
    if (!*fits_64) {
      double v;
      const auto r = std::from_chars(start, p_, v);
      if (r.ec != std::errc() || r.ptr != p_) return false;
    }
    return true;
  }

  // A numeric id, spelled the way the checked path spells it: integers that
  // fit 64 bits as std::to_string gives them ("-0" -> "0"), others as written.
  bool ParseId() {
    std::string_view spelled;
    bool fits_64 = false;
    if (!ParseNumber(&spelled, &fits_64)) return false;
    if (!fits_64) {
      fields_->id = std::string(spelled);
    } else if (spelled[0] == '-') {
      std::int64_t v = 0;
      std::from_chars(spelled.data(), spelled.data() + spelled.size(), v);
      fields_->id = std::to_string(v);
    } else {
      std::uint64_t v = 0;
      std::from_chars(spelled.data(), spelled.data() + spelled.size(), v);
      fields_->id = std::to_string(v);
    }
    return true;
  }

  // An extra field (key_): a string, or an array whose strings are kept.
  bool ParseExtra() {
    if (p_ != end_ && *p_ == '"') {
      fields_->extra.emplace_back(key_, std::string());
      return ParseString(&fields_->extra.back().second);
    }
    if (p_ == end_ || *p_ != '[') return SkipValue(1);
    return ParseArray([this] {
      if (p_ == end_ || *p_ != '"') return SkipValue(2);
      fields_->extra.emplace_back(key_, std::string());
      return ParseString(&fields_->extra.back().second);
    });
  }

  // Checks and skips any value (unknown fields may hold anything).
  bool SkipValue(int depth) {
    if (p_ == end_ || depth > kMaxDepth) return false;
    switch (*p_) {
      case '"':
        return ParseString(nullptr);
      case 't':
        return EatWord("true");
      case 'f':
        return EatWord("false");
      case 'n':
        return EatWord("null");
      case '{':
        return ParseObject(nullptr, [this, depth] { return SkipValue(depth + 1); });
      case '[':
        return ParseArray([this, depth] { return SkipValue(depth + 1); });
      default: {
        std::string_view spelled;
        bool fits_64;
        return ParseNumber(&spelled, &fits_64);
      }
    }
  }

  const char* p_;
  const char* end_;
  JsonlFields* fields_;
  std::string key_;
};

// ---------------------------------------------------------------------------
// The checked path: nlohmann's SAX interface. Returning false from a
// callback stops the parser; error_ then says why.

class SaxHandler {
 public:
  SaxHandler(JsonlFields* fields, std::string* error) : fields_(fields), error_(error) {}

  bool null() { return Scalar(nullptr); }
  bool boolean(bool) { return Scalar("a boolean"); }
  bool number_integer(Json::number_integer_t v) { return Number(std::to_string(v)); }
  bool number_unsigned(Json::number_unsigned_t v) { return Number(std::to_string(v)); }
  // Other numbers keep their spelling: "id": 1.50 stays "1.50".
  bool number_float(Json::number_float_t, const std::string& s) { return Number(s); }
  bool string(std::string& v) {
    if (depth_ == 0) return Fail("expected a JSON object, found a string");
    // An extra field's string, or a string directly in its array.
    if ((depth_ == 1 && field_ == Field::kNone) || (depth_ == 2 && in_extra_array_)) {
      fields_->extra.emplace_back(key_, std::move(v));
      return true;
    }
    if (depth_ != 1 || field_ == Field::kNone) return true;
    *Slot(fields_, field_) = std::move(v);  // the lexer is done with it
    return true;
  }
  bool binary(Json::binary_t&) { return Scalar("binary data"); }
  bool start_object(std::size_t) { return Open("an object"); }
  bool end_object() { return Close(); }
  bool start_array(std::size_t) {
    if (depth_ == 0) return Fail("expected a JSON object, found an array");
    if (depth_ == 1 && field_ == Field::kNone) in_extra_array_ = true;
    return Open("an array");
  }
  bool end_array() {
    if (depth_ == 2) in_extra_array_ = false;
    return Close();
  }
  bool key(std::string& k) {
    if (depth_ == 1) {
      field_ = FieldOf(k);
      if (field_ == Field::kNone) key_ = k;
    }
    return true;
  }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception& ex) {
    // ex.what() is "[json.exception.parse_error.101] parse error at line 1,
    // column 7: syntax error while ..."; the line and column are the
    // record's, which the message gives better, so keep only what follows.
    std::string detail = ex.what();
    const std::size_t colon = detail.find(": ");
    if (colon != std::string::npos) detail.erase(0, colon + 2);
    // `position` counts the bytes the lexer had read when it gave up (one
    // more at the end of the line); report the 0-based offset of the last
    // one. The token nlohmann passes is no help here: it sometimes holds
    // several tokens.
    const std::size_t at = position > 0 ? position - 1 : 0;
    *error_ = "malformed JSON at byte " + std::to_string(at) + ": " + detail;
    return false;
  }

 private:
  bool Fail(std::string message) {
    *error_ = std::move(message);
    return false;
  }

  // A non-string scalar; `what` null means JSON null (the field stays as it is).
  bool Scalar(const char* what) {
    if (depth_ == 0) {
      return Fail(std::string("expected a JSON object, found ") + (what ? what : "null"));
    }
    if (depth_ != 1 || field_ == Field::kNone || what == nullptr) return true;
    return Fail(std::string("field \"") + NameOf(field_) + "\" must be a string, found " + what);
  }

  bool Number(std::string spelled) {
    if (depth_ == 0) return Fail("expected a JSON object, found a number");
    if (depth_ != 1 || field_ == Field::kNone) return true;
    if (field_ != Field::kId) {
      return Fail(std::string("field \"") + NameOf(field_) + "\" must be a string, found a number");
    }
    fields_->id = std::move(spelled);
    return true;
  }

  bool Open(const char* what) {
    if (depth_ == 1 && field_ != Field::kNone) {
      return Fail(std::string("field \"") + NameOf(field_) + "\" must be a string, found " + what);
    }
    ++depth_;
    return true;
  }

  bool Close() {
    --depth_;
    return true;
  }

  JsonlFields* fields_;
  std::string* error_;
  int depth_ = 0;
  Field field_ = Field::kNone;
  std::string key_;              // the current top-level key, when an extra field
  bool in_extra_array_ = false;  // inside the array of an extra field (depth 2)
};

}  // namespace

bool ParseJsonlFast(std::string_view line, JsonlFields* fields) {
  fields->Clear();
  return FastParser(line, fields).Parse();
}

bool ParseJsonlChecked(std::string_view line, JsonlFields* fields, std::string* error) {
  fields->Clear();
  error->clear();
  SaxHandler handler(fields, error);
  const char* first = line.data();
  return Json::sax_parse(first, first + line.size(), &handler,
                         nlohmann::detail::input_format_t::json, /*strict=*/true);
}

Status ReadJsonl(const ReadContext& ctx) {
  RecordReader reader(ctx.in, ctx.options.max_record_bytes, nullptr);
  RecordReader::Record record;
  JsonlFields fields;
  std::string error;
  // Bytes of blank lines, credited to the next record so that source_bytes
  // add up to (nearly) the input size.
  std::uint64_t pending_bytes = 0;
  while (reader.Next(&record)) {
    const std::uint64_t bytes = record.bytes + pending_bytes;
    pending_bytes = 0;
    std::string where = ctx.path;
    where += ':';
    where += std::to_string(record.line);
    if (record.too_long) {
      SkipRecord(ctx, std::move(where),
                 "line longer than max_record_bytes (" + std::to_string(record.bytes) + " > " +
                     std::to_string(ctx.options.max_record_bytes) + " bytes)",
                 bytes);
      continue;
    }
    if (IsAsciiBlank(record.text)) {
      pending_bytes = bytes;
      continue;
    }
    const std::size_t bad = FindInvalidUtf8(record.text);
    if (bad != std::string_view::npos) {
      SkipRecord(ctx, std::move(where),
                 "invalid UTF-8 at byte " + std::to_string(bad) + " of the line (byte " +
                     std::to_string(record.offset + bad) + " of the file)",
                 bytes);
      continue;
    }
    if (!ParseJsonlFast(record.text, &fields) && !ParseJsonlChecked(record.text, &fields, &error)) {
      SkipRecord(ctx, std::move(where), error, bytes);
      continue;
    }
    SourceDocument doc;
    doc.id = std::move(fields.id);
    doc.title = std::move(fields.title);
    doc.text = fields.text.empty() ? std::move(fields.body) : std::move(fields.text);
    doc.url = std::move(fields.url);
    const std::optional<ReadIssue> date_warning = SetDate(fields.date, where, &doc);
    doc.category = std::move(fields.category);
    doc.fields = std::move(fields.extra);
    if (doc.id.empty()) doc.id = where;
    doc.origin = std::move(where);
    doc.source_bytes = bytes;
    if (!Emit(ctx, std::move(doc), date_warning)) return Status::Ok();
  }
  return Status::Ok();
}

}  // namespace findling::reader_internal
