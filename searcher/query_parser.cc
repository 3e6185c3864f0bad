// QueryParser implementation: a lexer that turns the query into tokens, a
// bracket pass that drops unmatched ")", and a recursive-descent parser over
// the grammar in query_parser.h.
//
// Why tokens first: the grammar needs one token of look-ahead plus "is there
// whitespace before this token" (a field value must touch its ':'), and the
// bracket pass needs to see every ')' before parsing starts so that a stray
// ')' never ends a group early. The query is at most max_query_bytes long, so
// the token vector is small.
//
// Why every repair is a warning, including in strict mode's tree: strict mode
// is lenient mode plus "fail on the first warning". That keeps the two modes
// from drifting apart: whatever strict accepts, lenient parses identically.
#include "searcher/query_parser.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <utility>

#include "common/ascii.h"
#include "common/date.h"
#include "common/fields.h"
#include "common/utf8.h"

namespace findling {
namespace {

using NodePtr = std::unique_ptr<QueryNode>;
using Kind = QueryNode::Kind;

// The parser recurses once per nesting level; this bounds the stack whatever
// the caller puts into QueryParserLimits::max_depth (see the header).
constexpr std::uint32_t kMaxSupportedDepth = 1000;

// ---------------------------------------------------------------------------
// UTF-8

struct CodePoint {
  char32_t value = 0;
  std::uint32_t length = 1;  // bytes; 1 for an invalid byte, so scanning always advances
  bool valid = true;
};

// The code point at byte `i` (i < s.size()). common/utf8's DecodeUtf8 turns
// an invalid byte into U+FFFD and steps one byte; a real U+FFFD is three
// bytes, so a one-byte U+FFFD is how an invalid byte shows.
CodePoint DecodeAt(std::string_view s, std::size_t i) {
  std::size_t next = i;
  const char32_t value = DecodeUtf8(s, next);
  const auto length = static_cast<std::uint32_t>(next - i);
  return {value, length, !(value == 0xFFFD && length == 1)};
}

// Unicode White_Space, plus ZERO WIDTH SPACE and the BOM: both arrive with
// text pasted from web pages and would otherwise glue two words together.
// Wider than common/ascii.h's kAsciiSpace on purpose: a search box gets
// NO-BREAK SPACE and friends, and they must separate words.
bool IsSpace(const CodePoint& c) {
  if (!c.valid) return false;
  const char32_t v = c.value;
  return v == ' ' || (v >= 0x09 && v <= 0x0D) || v == 0x85 || v == 0xA0 || v == 0x1680 ||
         (v >= 0x2000 && v <= 0x200B) || v == 0x2028 || v == 0x2029 || v == 0x202F || v == 0x205F ||
         v == 0x3000 || v == 0xFEFF;
}

bool IsBlank(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const CodePoint c = DecodeAt(s, i);
    if (!IsSpace(c)) return false;
    i += c.length;
  }
  return true;
}

bool IsGuillemet(char32_t v) { return v == 0xAB || v == 0xBB; }  // « »

// " „ “ ” » « (U+0022, U+201E, U+201C, U+201D, U+00BB, U+00AB).
bool IsQuote(const CodePoint& c) {
  if (!c.valid) return false;
  const char32_t v = c.value;
  return v == '"' || v == 0x201E || v == 0x201C || v == 0x201D || IsGuillemet(v);
}

// Whether `closer` ends a phrase opened by `opener`. German writes „…“,
// English “…”, Swiss «…», German books »…«, and phones often end any of them
// with a plain ". „ never closes: it only ever opens. Keeping the guillemet and
// the curly families apart lets one nest inside the other („Er sagte »nein«“).
bool ClosesPhrase(char32_t opener, char32_t closer) {
  if (closer == '"') return true;
  if (IsGuillemet(opener)) return IsGuillemet(closer);
  return closer == 0x201C || closer == 0x201D;
}

// ---------------------------------------------------------------------------
// Tokens

enum class TokenKind : std::uint8_t { kWord, kPhrase, kOpen, kClose, kSign, kField, kEnd };
enum class FieldName : std::uint8_t { kTitle, kCategory, kDate, kMeta };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::uint32_t begin = 0, end = 0;              // a phrase with its quotes, a field with its ':'
  std::uint32_t inner_begin = 0, inner_end = 0;  // kPhrase: the bytes between the quotes
  bool closed = true;                            // kPhrase: false if it ran to the end
  bool space_before = true;             // whitespace, the query start or a dropped ')' right before
  char sign = 0;                        // kSign: '+' or '-'
  FieldName field = FieldName::kTitle;  // kField
  // kWord: part of a suspended compound ("-organisationen", "Ein-"), with the
  // written-out compound that completes it at [partner_begin, partner_end).
  // A kFront word's span starts at its hyphen (MarkSuspendedCompounds).
  SuspendedSide suspended = SuspendedSide::kNone;
  std::uint32_t partner_begin = 0, partner_end = 0;
};

std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

// Field names in either language and any case: users type "Titel:" at the
// start of a German sentence as often as "titel:".
bool LookUpField(std::string_view name, FieldName* field) {
  static constexpr std::pair<std::string_view, FieldName> kFields[] = {
      {"title", FieldName::kTitle},       {"titel", FieldName::kTitle},
      {"category", FieldName::kCategory}, {"kategorie", FieldName::kCategory},
      {"date", FieldName::kDate},         {"datum", FieldName::kDate},
  };
  for (const auto& [known, kind] : kFields) {
    if (EqualsIgnoringAsciiCase(name, known)) {
      *field = kind;
      return true;
    }
  }
  return false;
}

// Splits the query into tokens and reports lexical repairs. Holds views of the
// query, which must outlive it.
class Lexer {
 public:
  Lexer(std::string_view query, std::vector<ParseWarning>* warnings)
      : query_(query), warnings_(warnings) {}
  Lexer(const Lexer&) = delete;
  Lexer& operator=(const Lexer&) = delete;

  // The tokens in query order, ending with one kEnd token at query.size().
  std::vector<Token> Run() {
    WarnAboutInvalidUtf8();
    bool space_before = true;  // the query start counts as whitespace
    bool sign_allowed = true;  // '+'/'-' mean require/exclude here
    while (pos_ < query_.size()) {
      const CodePoint c = DecodeAt(query_, pos_);
      const char b = query_[pos_];
      if (IsSpace(c)) {
        pos_ += c.length;
        space_before = sign_allowed = true;
        continue;
      }
      if (b == '(' || b == ')') {
        Emit(b == '(' ? TokenKind::kOpen : TokenKind::kClose, pos_, pos_ + 1, space_before);
        ++pos_;
        sign_allowed = b == '(';  // "(-a b)" excludes a; "(a)-b" is the word "-b"
      } else if (IsQuote(c)) {
        LexPhrase(c, space_before);
        sign_allowed = false;
      } else if (sign_allowed && (b == '+' || (b == '-' && !AfterConjunction()))) {
        LexSigns(space_before);
        sign_allowed = false;
      } else {
        LexRun(space_before);
        sign_allowed = false;
      }
      space_before = false;
    }
    Emit(TokenKind::kEnd, pos_, pos_, true);
    return std::move(tokens_);
  }

 private:
  // German elides the shared part of coordinated compounds: "Privatpersonen
  // und -organisationen", "Ein- oder -ausfuhr". A '-' right after such a
  // conjunction (or a comma) starts a word, not an exclusion.
  bool AfterConjunction() const {
    if (tokens_.empty()) return false;
    const Token& last = tokens_.back();
    if (last.kind != TokenKind::kWord) return false;
    const std::string_view word = query_.substr(last.begin, last.end - last.begin);
    if (!word.empty() && word.back() == ',') return true;
    // Lower case only: "UND"/"ODER" are operators, and "a UND -b" excludes b.
    return IsSuspensionConjunction(word);
  }

  // One warning per run of invalid bytes, not per byte: a query pasted in
  // Latin-1 would otherwise drown the user in identical warnings.
  void WarnAboutInvalidUtf8() {
    bool in_invalid_run = false;
    for (std::size_t i = 0; i < query_.size();) {
      const CodePoint c = DecodeAt(query_, i);
      if (!c.valid && !in_invalid_run) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(query_[i]));
        Warn(static_cast<std::uint32_t>(i),
             std::string("invalid UTF-8 (byte ") + hex + "); kept as is");
      }
      in_invalid_run = !c.valid;
      i += c.length;
    }
  }

  void LexPhrase(const CodePoint& opener, bool space_before) {
    Token t;
    t.kind = TokenKind::kPhrase;
    t.begin = Offset(pos_);
    t.inner_begin = Offset(pos_ + opener.length);
    t.space_before = space_before;
    std::size_t i = pos_ + opener.length;
    while (i < query_.size()) {
      const CodePoint c = DecodeAt(query_, i);
      if (IsQuote(c) && ClosesPhrase(opener.value, c.value)) {
        t.inner_end = Offset(i);
        t.end = Offset(i + c.length);
        tokens_.push_back(t);
        pos_ = i + c.length;
        return;
      }
      i += c.length;
    }
    Warn(t.begin, "unclosed quote; phrase runs to the end");
    t.closed = false;
    t.inner_end = t.end = Offset(query_.size());
    tokens_.push_back(t);
    pos_ = query_.size();
  }

  // A run of '+'/'-' at the start of a word. Only the sign right before the
  // term counts: "--x" is almost always a typo for "-x".
  void LexSigns(bool space_before) {
    std::size_t q = pos_;
    while (q < query_.size() && (query_[q] == '+' || query_[q] == '-')) ++q;
    const std::string_view signs = query_.substr(pos_, q - pos_);
    const bool term_follows =
        q < query_.size() && query_[q] != ')' && !IsSpace(DecodeAt(query_, q));
    if (!term_follows) {
      Warn(Offset(pos_), Quoted(signs) + " without a term after it; ignored");
      pos_ = q;
      return;
    }
    if (signs.size() > 1) {
      Warn(Offset(pos_), "repeated sign " + Quoted(signs) + "; only the last one counts");
    }
    Token t;
    t.kind = TokenKind::kSign;
    t.begin = Offset(q - 1);
    t.end = Offset(q);
    t.sign = query_[q - 1];
    t.space_before = space_before;
    tokens_.push_back(t);
    pos_ = q;
  }

  // A word, or a field name with its ':'. The value after a field's ':' is
  // lexed as the next run, so "title:kategorie:x" is two fields in a row.
  void LexRun(bool space_before) {
    const std::size_t start = pos_;
    std::size_t colon = std::string_view::npos;
    std::size_t q = pos_;
    while (q < query_.size()) {
      const char b = query_[q];
      if (b == '(' || b == ')') break;
      const CodePoint c = DecodeAt(query_, q);
      if (IsSpace(c) || IsQuote(c)) break;
      if (b == ':' && colon == std::string_view::npos) colon = q;
      q += c.length;
    }
    if (colon != std::string_view::npos) {
      const std::string_view name = query_.substr(start, colon - start);
      FieldName field;
      if (LookUpField(name, &field)) {
        Token t;
        t.kind = TokenKind::kField;
        t.begin = Offset(start);
        t.end = Offset(colon + 1);
        t.space_before = space_before;
        t.field = field;
        tokens_.push_back(t);
        pos_ = colon + 1;
        return;
      }
      if (IsMetaFieldName(name) && HasFieldValueAt(colon + 1)) {
        // A metadata field ("author:", "tags:"): whether this index declares
        // it is the searcher's to say, not the parser's.
        Token t;
        t.kind = TokenKind::kField;
        t.begin = Offset(start);
        t.end = Offset(colon + 1);
        t.space_before = space_before;
        t.field = FieldName::kMeta;
        tokens_.push_back(t);
        pos_ = colon + 1;
        return;
      }
      if (LooksLikeFieldName(name) && HasFieldValueAt(colon + 1)) {
        // Most likely a field the user expects us to have ("autor:Liang"):
        // searching both words finds more than searching "autor:Liang" would.
        Warn(Offset(start), "unknown field " + Quoted(name) + "; searched as words");
        Emit(TokenKind::kWord, start, colon, space_before);
        pos_ = colon + 1;
        return;
      }
    }
    Emit(TokenKind::kWord, start, q, space_before);
    pos_ = q;
  }

  // The shape of a metadata field name (common/fields.h, before case
  // folding): an ASCII letter, then letters, digits and '_'.
  static bool IsMetaFieldName(std::string_view name) {
    if (name.empty() || name.size() > kMaxFieldNameBytes || !IsAsciiAlpha(name[0])) return false;
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return IsAsciiAlnum(c) || c == '_'; });
  }

  // Letters only (ASCII or any valid non-ASCII character, so "Überschrift"
  // counts), so that "10:30", "C++:" and "v1:" stay single words.
  bool LooksLikeFieldName(std::string_view name) const {
    if (name.empty()) return false;
    for (std::size_t i = 0; i < name.size();) {
      const CodePoint c = DecodeAt(name, i);
      const char32_t v = c.value;
      const bool letter =
          c.valid && ((v >= 'a' && v <= 'z') || (v >= 'A' && v <= 'Z') || v >= 0xC0);
      if (!letter) return false;
      i += c.length;
    }
    return true;
  }

  // "foo:bar" has a value; "Achtung: x" and "foo:)" do not, and "https://..."
  // is a URL, not a field.
  bool HasFieldValueAt(std::size_t i) const {
    if (i >= query_.size() || query_[i] == ')') return false;
    if (IsSpace(DecodeAt(query_, i))) return false;
    return query_.substr(i, 2) != "//";
  }

  void Emit(TokenKind kind, std::size_t begin, std::size_t end, bool space_before) {
    Token t;
    t.kind = kind;
    t.begin = Offset(begin);
    t.end = Offset(end);
    t.space_before = space_before;
    tokens_.push_back(t);
  }

  // ParseQuery has checked the query length against max_query_bytes, a uint32.
  static std::uint32_t Offset(std::size_t i) { return static_cast<std::uint32_t>(i); }

  void Warn(std::uint32_t offset, std::string message) {
    warnings_->push_back({offset, std::move(message)});
  }

  std::string_view query_;
  std::vector<ParseWarning>* warnings_;
  std::size_t pos_ = 0;
  std::vector<Token> tokens_;
};

// Drops every ')' that closes nothing and warns about every '(' left open.
// Done before parsing so that the parser can treat any ')' it meets as the
// end of the innermost group.
std::vector<Token> MatchBrackets(std::vector<Token> tokens, std::vector<ParseWarning>* warnings) {
  std::vector<Token> kept;
  kept.reserve(tokens.size());
  std::vector<std::uint32_t> open;  // offsets of unmatched '('
  bool dropped_before = false;
  for (Token& t : tokens) {
    if (t.kind == TokenKind::kClose && open.empty()) {
      warnings->push_back({t.begin, "unmatched ')' ignored"});
      dropped_before = true;
      continue;
    }
    if (t.kind == TokenKind::kOpen) open.push_back(t.begin);
    if (t.kind == TokenKind::kClose) open.pop_back();
    // The dropped ')' still separated its neighbours: "title:)x" must not
    // turn into title:x.
    if (dropped_before) t.space_before = true;
    dropped_before = false;
    kept.push_back(t);
  }
  for (std::uint32_t offset : open) {
    warnings->push_back({offset, "unclosed bracket; closed at the end"});
  }
  return kept;
}

// ---------------------------------------------------------------------------
// Suspended compounds

// The operator words; everything else the lexer calls a word is a word.
bool IsOperatorWord(std::string_view w) {
  return w == "AND" || w == "UND" || w == "&" || w == "OR" || w == "ODER" || w == "|" ||
         w == "NOT" || w == "NICHT";
}

// The German articles, which may stand between a conjunction and the
// compound that completes a list ("eine Trocken- und eine Regenzeit").
bool IsArticle(std::string_view w) {
  static constexpr std::string_view kArticles[] = {
      "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines",
  };
  return std::find(std::begin(kArticles), std::end(kArticles), w) != std::end(kArticles);
}

// Marks the suspended compounds of German orthography
// (common/suspended_compound.h), so that the builder can complete them:
//  - front: a word that starts with '-' where the lexer took the '-' for
//    part of the word (after a conjunction or a comma, see AfterConjunction),
//    when a written-out word stands before the conjunction or is the word
//    with the comma: "Privatpersonen und -organisationen", "Privatpersonen,
//    -vereine und -organisationen". Its partner is that word (or, along a
//    list, that word's partner).
//  - back: words ending in '-' (or "-,") before a conjunction and a
//    written-out word: "Ein- und Ausfuhr", "Kinder-, Jugend- und
//    Familienhilfe". The partner is the word after the conjunction (and
//    after an article: "eine Trocken- und eine Regenzeit").
// Nothing else changes: the tree has the same nodes, in the same places.
std::vector<Token> MarkSuspendedCompounds(std::vector<Token> tokens, std::string_view query) {
  const auto text = [&](const Token& t) { return query.substr(t.begin, t.end - t.begin); };
  const auto plain_word = [&](const Token& t) {
    return t.kind == TokenKind::kWord && !IsOperatorWord(text(t));
  };
  const auto conjunction = [&](const Token& t) {
    return plain_word(t) && t.space_before && IsSuspensionConjunction(text(t));
  };
  const auto open_back = [&](const Token& t) {  // "Ein-", "Kinder-,"
    if (!plain_word(t)) return false;
    std::string_view w = text(t);
    if (w.ends_with(',')) w.remove_suffix(1);
    return w.size() >= 2 && w.ends_with('-') && w[w.size() - 2] != '-';
  };
  const auto open_front = [&](const Token& t) {  // "-organisationen"
    const std::string_view w = text(t);
    return plain_word(t) && t.space_before && w.size() >= 2 && w[0] == '-' && w[1] != '-' &&
           !w.ends_with('*');
  };
  // A word that can complete others: written out, not a conjunction.
  const auto complete_word = [&](const Token& t) {
    return plain_word(t) && !conjunction(t) && !open_back(t) && !text(t).starts_with('-') &&
           !text(t).ends_with('*');
  };

  std::vector<Token> out;
  out.reserve(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (open_front(t) && !out.empty()) {
      const Token* left = nullptr;
      const Token& before = out.back();
      if (conjunction(before) && out.size() >= 2) {
        left = &out[out.size() - 2];
      } else if (complete_word(before) && text(before).ends_with(',') && text(before).size() > 1) {
        left = &before;
      }
      if (left != nullptr && (left->suspended == SuspendedSide::kFront || complete_word(*left))) {
        Token word = t;
        word.suspended = SuspendedSide::kFront;
        if (left->suspended == SuspendedSide::kFront) {
          word.partner_begin = left->partner_begin;
          word.partner_end = left->partner_end;
        } else {
          // "Privatpersonen," ends the partner at its comma.
          word.partner_begin = left->begin;
          word.partner_end = left->end - (text(*left).ends_with(',') ? 1 : 0);
        }
        out.push_back(word);
        continue;
      }
    }
    if (open_back(t) && t.suspended == SuspendedSide::kNone) {
      std::size_t j = i;
      while (j < tokens.size() && open_back(tokens[j])) ++j;
      // "eine Trocken- und eine Regenzeit": an article may stand before the partner.
      std::size_t p = j + 1;
      if (p + 1 < tokens.size() && plain_word(tokens[p]) && IsArticle(text(tokens[p]))) ++p;
      if (p < tokens.size() && conjunction(tokens[j]) && complete_word(tokens[p])) {
        for (std::size_t k = i; k < j; ++k) {
          tokens[k].suspended = SuspendedSide::kBack;
          tokens[k].partner_begin = tokens[p].begin;
          tokens[k].partner_end = tokens[p].end;
        }
      }
    }
    out.push_back(tokens[i]);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Dates

// Parses 1..max_digits decimal digits (exactly max_digits if exact).
bool ParseNumber(std::string_view s, std::size_t max_digits, bool exact, int* out) {
  if (s.empty() || s.size() > max_digits || (exact && s.size() != max_digits)) return false;
  int value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *out = value;
  return true;
}

std::vector<std::string_view> Split(std::string_view s, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == separator) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

constexpr const char* kDateForms =
    "expected 2024, 2024-03, 2024-03-31, 31.03.2024 or a range FROM..TO";

// One end of a date value. A year or a month stands for its first day when it
// starts a range and for its last day when it ends one, so "2024..2025" runs
// from 2024-01-01 to 2025-12-31 and "2024-02" is the whole of February. A day
// is read by common/date.h, as documents' dates are, and must stand alone.
bool ParseDateEnd(std::string_view s, bool is_end, std::string* out, std::string* why) {
  const std::vector<std::string_view> p = Split(s, '-');
  if (s.find('.') == std::string_view::npos && p.size() <= 2) {
    int y = 0, m = 0;
    if (!ParseNumber(p[0], 4, true, &y) || (p.size() == 2 && !ParseNumber(p[1], 2, false, &m))) {
      *why = kDateForms;
      return false;
    }
    if (y == 0) {
      *why = "there is no year 0";
      return false;
    }
    if (p.size() == 2 && (m < 1 || m > 12)) {
      *why = "there is no month " + std::to_string(m);
      return false;
    }
    if (p.size() == 1) m = is_end ? 12 : 1;
    const std::chrono::year_month month{std::chrono::year{y},
                                        std::chrono::month{static_cast<unsigned>(m)}};
    *out = FormatIsoDate(is_end ? std::chrono::year_month_day{month / std::chrono::last}
                                : std::chrono::year_month_day{month / 1});
    return true;
  }
  const DateParse date = ParseDate(s, DateTail::kRejected);
  if (!date.ok()) {
    // "3.2024" is too easily a version number to guess at: no month form with dots.
    *why = date.kind == DateParse::Kind::kNotADate ? std::string(kDateForms) : date.reason;
    return false;
  }
  *out = FormatIsoDate(date.day);
  return true;
}

// A whole date value: one end (a year, month or day standing for itself) or a
// range "FROM..TO" with at most one end left open.
bool ParseDateValue(std::string_view value, std::string* from, std::string* to, std::string* why) {
  const std::size_t dots = value.find("..");
  if (dots == std::string_view::npos) {
    return ParseDateEnd(value, false, from, why) && ParseDateEnd(value, true, to, why);
  }
  const std::string_view a = value.substr(0, dots), b = value.substr(dots + 2);
  if (a.empty() && b.empty()) {
    *why = "a range needs at least one end";
    return false;
  }
  if (!a.empty() && !ParseDateEnd(a, false, from, why)) return false;
  if (!b.empty() && !ParseDateEnd(b, true, to, why)) return false;
  // "YYYY-MM-DD" strings compare like the dates they name.
  if (!a.empty() && !b.empty() && *from > *to) {
    *why = "the range ends before it starts";
    return false;
  }
  return true;
}

// ---------------------------------------------------------------------------
// Parser

enum class Keyword : std::uint8_t { kNone, kAnd, kOr, kNot };

NodePtr MakeLeaf(Kind kind, std::uint32_t begin, std::uint32_t end, std::string text = {}) {
  auto node = std::make_unique<QueryNode>();
  node->kind = kind;
  node->begin = begin;
  node->end = end;
  node->text = std::move(text);
  return node;
}

// A node over `children`, spanning from the first child to the last.
NodePtr MakeComposite(Kind kind, std::vector<NodePtr> children) {
  auto node = std::make_unique<QueryNode>();
  node->kind = kind;
  node->begin = children.front()->begin;
  node->end = children.back()->end;
  node->children = std::move(children);
  return node;
}

NodePtr MakePair(Kind kind, NodePtr first, NodePtr second) {
  std::vector<NodePtr> children;
  children.push_back(std::move(first));
  children.push_back(std::move(second));
  return MakeComposite(kind, std::move(children));
}

// title: reaches through groups, operators and +/- down to the text leaves;
// category and date filters inside keep their own meaning.
void ApplyTitle(QueryNode* node) {
  if (node->kind == Kind::kWord || node->kind == Kind::kPhrase || node->kind == Kind::kPrefix) {
    node->field = QueryField::kTitle;
  }
  for (NodePtr& child : node->children) ApplyTitle(child.get());
}

// Recursive descent over the token vector. On a limit it records the Status
// and from then on sees only kEnd, so every loop stops and the partial tree is
// thrown away by ParseQuery.
class Parser {
 public:
  Parser(std::string_view query, std::vector<Token> tokens, const QueryParserLimits& limits,
         std::vector<ParseWarning>* warnings)
      : query_(query),
        tokens_(std::move(tokens)),
        max_depth_(std::min(limits.max_depth, kMaxSupportedDepth)),
        max_terms_(limits.max_terms),
        warnings_(warnings) {
    end_token_.begin = end_token_.end = static_cast<std::uint32_t>(query.size());
  }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  // The root; never null. Because MatchBrackets removed every unmatched ')',
  // the top-level ParseOr() runs to the end of the tokens.
  NodePtr ParseAll() {
    NodePtr root = ParseOr();
    if (!root) root = MakeLeaf(Kind::kBare, 0, 0);
    return root;
  }

  const Status& status() const { return status_; }

 private:
  const Token& Peek() const { return status_.ok() ? tokens_[next_] : end_token_; }

  Token Next() {
    Token t = Peek();
    if (t.kind != TokenKind::kEnd) ++next_;
    return t;
  }

  std::string_view TextOf(const Token& t) const { return query_.substr(t.begin, t.end - t.begin); }

  // Operators are whole upper-case words; "und", "Oder", "AND*" are words.
  Keyword KeywordOf(const Token& t) const {
    if (t.kind != TokenKind::kWord) return Keyword::kNone;
    const std::string_view w = TextOf(t);
    if (w == "AND" || w == "UND" || w == "&") return Keyword::kAnd;
    if (w == "OR" || w == "ODER" || w == "|") return Keyword::kOr;
    if (w == "NOT" || w == "NICHT") return Keyword::kNot;
    return Keyword::kNone;
  }

  void Warn(std::uint32_t offset, std::string message) {
    warnings_->push_back({offset, std::move(message)});
  }

  void FailLimit(std::uint32_t offset, const std::string& what) {
    if (status_.ok()) status_ = Status::Limit("at byte " + std::to_string(offset) + ": " + what);
  }

  // Counts one more term at `offset`; false (and the limit Status) past max_terms.
  bool CountTerm(std::uint32_t offset) {
    if (++terms_ <= max_terms_) return true;
    FailLimit(offset, "more than " + std::to_string(max_terms_) + " terms (max_terms)");
    return false;
  }

  bool EnterNesting(std::uint32_t offset) {
    if (depth_ < max_depth_) {
      ++depth_;
      return true;
    }
    FailLimit(offset, "nested deeper than " + std::to_string(max_depth_) + " levels (max_depth)");
    return false;
  }
  void LeaveNesting() { --depth_; }

  // or_expr := and_expr { OR and_expr }
  NodePtr ParseOr() {
    std::vector<NodePtr> operands;
    if (NodePtr first = ParseAnd()) operands.push_back(std::move(first));
    while (KeywordOf(Peek()) == Keyword::kOr) {
      const Token op = Next();
      NodePtr right = ParseAnd();
      if (!right) {
        WarnDangling(op, "on its right");
        continue;
      }
      if (operands.empty()) WarnDangling(op, "on its left");
      operands.push_back(std::move(right));
    }
    if (operands.empty()) return nullptr;
    if (operands.size() == 1) return std::move(operands.front());
    return MakeComposite(Kind::kOr, std::move(operands));
  }

  // and_expr := not_expr { AND not_expr | NOT not_expr }, left-associative;
  // a chain of ANDs becomes one kAnd with many children.
  NodePtr ParseAnd() {
    NodePtr left = ParseNot();
    bool left_is_and_chain = false;  // `left` is a kAnd built by this loop
    while (true) {
      const Keyword keyword = KeywordOf(Peek());
      if (keyword != Keyword::kAnd && keyword != Keyword::kNot) break;
      const Token op = Next();
      NodePtr right = ParseNot();
      if (!right) {
        WarnDangling(op, "on its right");
        continue;
      }
      if (!left) {
        // "NOT x" after a dropped left side is an ordinary lone NOT; a lone AND
        // has nothing to join and is dropped.
        if (keyword == Keyword::kNot) {
          left =
              MakePair(Kind::kNot, MakeLeaf(Kind::kMatchAll, op.begin, op.end), std::move(right));
        } else {
          WarnDangling(op, "on its left");
          left = std::move(right);
        }
        left_is_and_chain = false;
        continue;
      }
      if (keyword == Keyword::kNot) {
        left = MakePair(Kind::kNot, std::move(left), std::move(right));
        left_is_and_chain = false;
        continue;
      }
      // "x AND NOT y": give the builder NOT(x y) rather than AND(x NOT(MATCHALL y)),
      // which means the same but would make it enumerate every document.
      if (right->kind == Kind::kNot && right->children[0]->kind == Kind::kMatchAll) {
        left = MakePair(Kind::kNot, std::move(left), std::move(right->children[1]));
        left_is_and_chain = false;
        continue;
      }
      if (left_is_and_chain) {
        left->end = right->end;
        left->children.push_back(std::move(right));
      } else {
        left = MakePair(Kind::kAnd, std::move(left), std::move(right));
        left_is_and_chain = true;
      }
    }
    return left;
  }

  // not_expr := NOT not_expr | bare
  NodePtr ParseNot() {
    if (KeywordOf(Peek()) != Keyword::kNot) return ParseBare();
    const Token op = Next();
    if (!EnterNesting(op.begin)) return nullptr;
    NodePtr operand = ParseNot();
    LeaveNesting();
    if (!operand) {
      WarnDangling(op, "after it");
      return nullptr;
    }
    return MakePair(Kind::kNot, MakeLeaf(Kind::kMatchAll, op.begin, op.end), std::move(operand));
  }

  // bare := unary { unary }, up to an operator, ')' or the end.
  NodePtr ParseBare() {
    std::vector<NodePtr> items;
    while (true) {
      const Token& t = Peek();
      if (t.kind == TokenKind::kEnd || t.kind == TokenKind::kClose ||
          KeywordOf(t) != Keyword::kNone) {
        break;
      }
      // Every token kind that gets here is consumed by ParseUnary, so the loop advances.
      if (NodePtr item = ParseUnary()) items.push_back(std::move(item));
    }
    if (items.empty()) return nullptr;
    // A single child stands for itself, except +x / -x: the builder reads
    // those only as members of a kBare.
    if (items.size() == 1 && items[0]->kind != Kind::kRequire && items[0]->kind != Kind::kExclude) {
      return std::move(items[0]);
    }
    return MakeComposite(Kind::kBare, std::move(items));
  }

  // unary := ("+" | "-") primary | primary
  NodePtr ParseUnary() {
    bool consumed = false;
    if (Peek().kind != TokenKind::kSign) return ParsePrimary(&consumed);
    const Token sign = Next();
    NodePtr operand = ParsePrimary(&consumed);
    if (!operand) {
      // The lexer emits a sign only in front of a term, so the operand was
      // consumed and dropped with its own warning ("-*", "+()").
      if (!consumed && status_.ok()) {
        Warn(sign.begin, "'" + std::string(1, sign.sign) + "' without a term; ignored");
      }
      return nullptr;
    }
    auto node = std::make_unique<QueryNode>();
    node->kind = sign.sign == '+' ? Kind::kRequire : Kind::kExclude;
    node->begin = sign.begin;
    node->end = operand->end;
    node->children.push_back(std::move(operand));
    return node;
  }

  // primary := "(" query ")" | field ":" primary | phrase | word "*" | word.
  // Sets *consumed when it used up a token, even if it then dropped it.
  NodePtr ParsePrimary(bool* consumed) {
    const Token& t = Peek();
    *consumed = t.kind == TokenKind::kWord || t.kind == TokenKind::kPhrase ||
                t.kind == TokenKind::kOpen || t.kind == TokenKind::kField;
    switch (t.kind) {
      case TokenKind::kWord:
        return MakeWord(Next());
      case TokenKind::kPhrase:
        return MakePhrase(Next());
      case TokenKind::kOpen:
        return ParseGroup();
      case TokenKind::kField:
        return ParseField();
      default:
        return nullptr;
    }
  }

  NodePtr MakeWord(const Token& w) {
    const std::string_view text = TextOf(w);
    const std::size_t last = text.find_last_not_of('*');
    if (last == std::string_view::npos) {
      Warn(w.begin, "'*' without a word before it; ignored");
      return nullptr;
    }
    if (!CountTerm(w.begin)) return nullptr;
    if (w.suspended != SuspendedSide::kNone) {
      NodePtr node = MakeLeaf(Kind::kWord, w.begin, w.end, std::string(text));
      node->suspended = w.suspended;
      node->partner = std::string(query_.substr(w.partner_begin, w.partner_end - w.partner_begin));
      return node;
    }
    const bool prefix = last + 1 < text.size();
    return MakeLeaf(prefix ? Kind::kPrefix : Kind::kWord, w.begin, w.end,
                    std::string(text.substr(0, last + 1)));
  }

  NodePtr MakePhrase(const Token& p) {
    const std::string_view inner = query_.substr(p.inner_begin, p.inner_end - p.inner_begin);
    // Each whitespace-separated run inside is a term for max_terms.
    bool any_word = false;
    bool in_word = false;
    for (std::size_t i = 0; i < inner.size();) {
      const CodePoint c = DecodeAt(inner, i);
      const bool space = IsSpace(c);
      if (!space && !in_word) {
        any_word = true;
        if (!CountTerm(p.inner_begin + static_cast<std::uint32_t>(i))) return nullptr;
      }
      in_word = !space;
      i += c.length;
    }
    if (!any_word) {
      // An unclosed quote already got its warning; one is enough.
      if (p.closed) Warn(p.begin, "empty phrase ignored");
      return nullptr;
    }
    return MakeLeaf(Kind::kPhrase, p.begin, p.end, std::string(inner));
  }

  NodePtr ParseGroup() {
    const Token open = Next();
    if (!EnterNesting(open.begin)) return nullptr;
    NodePtr inner = ParseOr();
    LeaveNesting();
    // MatchBrackets guarantees the ')' unless the bracket was left open.
    const bool closed = Peek().kind == TokenKind::kClose;
    const Token close = closed ? Next() : Token{};
    if (!inner) {
      if (closed && status_.ok()) Warn(open.begin, "empty brackets ignored");
      return nullptr;
    }
    // A group's span takes in its brackets, so that in "a AND (b OR c)" the
    // kAnd ends at the ')' rather than inside the brackets. A leaf keeps the
    // span of its own bytes.
    if (!inner->children.empty()) {
      inner->begin = open.begin;
      if (closed) inner->end = close.end;
    }
    return inner;
  }

  NodePtr ParseField() {
    const Token field = Next();
    const std::string name(query_.substr(field.begin, field.end - field.begin - 1));
    const Token& value = Peek();
    if (value.kind == TokenKind::kEnd || value.kind == TokenKind::kClose || value.space_before) {
      Warn(field.begin, "field " + Quoted(name) + " has no value; ignored");
      return nullptr;
    }
    switch (field.field) {
      case FieldName::kTitle: {
        if (!EnterNesting(field.begin)) return nullptr;
        bool consumed = false;
        NodePtr node = ParsePrimary(&consumed);
        LeaveNesting();
        if (node) ApplyTitle(node.get());
        return node;
      }
      case FieldName::kCategory:
        return ParseCategory(field, name, Kind::kCategory);
      case FieldName::kDate:
        return ParseDate(field, name);
      case FieldName::kMeta: {
        NodePtr node = ParseCategory(field, name, Kind::kField);
        if (node) node->field_name = AsciiLower(name);
        return node;
      }
    }
    return nullptr;
  }

  // category: (and a metadata field, `kind` kField) a word as written, or the
  // text of a quoted value. A bracket or another field is not a category; the
  // field is dropped and what follows is parsed as ordinary text, so the user
  // still gets results.
  NodePtr ParseCategory(const Token& field, const std::string& name, Kind kind) {
    const Token& value = Peek();
    if (value.kind == TokenKind::kWord) {
      const Token w = Next();
      return MakeLeaf(kind, field.begin, w.end, std::string(TextOf(w)));
    }
    if (value.kind == TokenKind::kPhrase) {
      const Token p = Next();
      const std::string_view inner = query_.substr(p.inner_begin, p.inner_end - p.inner_begin);
      if (IsBlank(inner)) {
        if (p.closed) Warn(p.begin, "empty value for field " + Quoted(name) + "; ignored");
        return nullptr;
      }
      return MakeLeaf(kind, field.begin, p.end, std::string(inner));
    }
    Warn(field.begin, "field " + Quoted(name) + " takes one word or a quoted value; field ignored");
    return nullptr;
  }

  // date: one word holding a date value. A bad date drops the whole filter
  // rather than searching "2024-13-45" as text, which would match nothing
  // useful; anything that is not a word drops just the field.
  NodePtr ParseDate(const Token& field, const std::string& name) {
    if (Peek().kind != TokenKind::kWord) {
      Warn(field.begin,
           "field " + Quoted(name) + " takes a date (" + kDateForms + "); field ignored");
      return nullptr;
    }
    const Token w = Next();
    const std::string_view value = TextOf(w);
    auto node = MakeLeaf(Kind::kDateRange, field.begin, w.end);
    std::string why;
    if (!ParseDateValue(value, &node->date_from, &node->date_to, &why)) {
      Warn(w.begin, "bad date " + Quoted(value) + ": " + why + "; filter dropped");
      return nullptr;
    }
    return node;
  }

  void WarnDangling(const Token& op, const char* where) {
    if (!status_.ok()) return;  // the partial tree is discarded anyway
    Warn(op.begin, Quoted(TextOf(op)) + " without a term " + where + "; ignored");
  }

  std::string_view query_;
  std::vector<Token> tokens_;
  std::size_t next_ = 0;
  Token end_token_;  // what Peek() returns once a limit has been hit
  std::uint32_t max_depth_;
  std::uint32_t max_terms_;
  std::uint32_t depth_ = 0;
  std::uint32_t terms_ = 0;
  std::vector<ParseWarning>* warnings_;
  Status status_;
};

// ---------------------------------------------------------------------------
// Canonical text form

void AppendNode(const QueryNode& node, std::string* out) {
  const char* field = node.field == QueryField::kTitle ? "title:" : "";
  const auto append_children = [&](const char* name) {
    *out += name;
    *out += '(';
    for (std::size_t i = 0; i < node.children.size(); ++i) {
      if (i > 0) *out += ' ';
      AppendNode(*node.children[i], out);
    }
    *out += ')';
  };
  switch (node.kind) {
    case Kind::kWord:
      *out += "WORD(" + std::string(field) + node.text;
      if (node.suspended != SuspendedSide::kNone) *out += "|" + node.partner;
      *out += ")";
      return;
    case Kind::kPhrase:
      *out += "PHRASE(" + std::string(field) + "\"" + node.text + "\")";
      return;
    case Kind::kPrefix:
      *out += "PREFIX(" + std::string(field) + node.text + "*)";
      return;
    case Kind::kBare:
      return append_children("BARE");
    case Kind::kAnd:
      return append_children("AND");
    case Kind::kOr:
      return append_children("OR");
    case Kind::kNot:
      return append_children("NOT");
    case Kind::kRequire:
      return append_children("REQUIRE");
    case Kind::kExclude:
      return append_children("EXCLUDE");
    case Kind::kCategory:
      *out += "CATEGORY(" + node.text + ")";
      return;
    case Kind::kField:
      *out += "FIELD(" + node.field_name + "=" + node.text + ")";
      return;
    case Kind::kDateRange:
      *out += "DATE(" + node.date_from + ".." + node.date_to + ")";
      return;
    case Kind::kMatchAll:
      *out += "MATCHALL";
      return;
  }
}

}  // namespace

std::string QueryNode::ToString() const {
  std::string out;
  AppendNode(*this, &out);
  return out;
}

Result<ParsedQuery> ParseQuery(std::string_view query, ParseMode mode,
                               const QueryParserLimits& limits) {
  if (query.size() > limits.max_query_bytes) {
    return Status::Limit("at byte " + std::to_string(limits.max_query_bytes) + ": query is " +
                         std::to_string(query.size()) + " bytes, more than " +
                         std::to_string(limits.max_query_bytes) + " (max_query_bytes)");
  }
  ParsedQuery parsed;
  std::vector<Token> tokens = Lexer(query, &parsed.warnings).Run();
  tokens = MatchBrackets(std::move(tokens), &parsed.warnings);
  if (limits.suspended_compounds) tokens = MarkSuspendedCompounds(std::move(tokens), query);
  Parser parser(query, std::move(tokens), limits, &parsed.warnings);
  parsed.root = parser.ParseAll();
  if (!parser.status().ok()) return parser.status();

  // The lexer, the bracket pass and the parser each warn in their own order.
  std::stable_sort(
      parsed.warnings.begin(), parsed.warnings.end(),
      [](const ParseWarning& a, const ParseWarning& b) { return a.offset < b.offset; });
  if (mode == ParseMode::kStrict && !parsed.warnings.empty()) {
    const ParseWarning& first = parsed.warnings.front();
    return Status::InvalidInput("at byte " + std::to_string(first.offset) + ": " + first.message);
  }
  return parsed;
}

}  // namespace findling
