// QueryParser: the user's query string in, a syntax tree out.
//
// Grammar, loosest binding first (lenient: a search-box query is never rejected):
//   query    := or_expr
//   or_expr  := and_expr { ("OR" | "ODER" | "|") and_expr }
//   and_expr := not_expr { ("AND" | "UND" | "&") not_expr | ("NOT" | "NICHT") not_expr }
//   not_expr := ("NOT" | "NICHT") not_expr | bare
//   bare     := unary { unary }        -- adjacency is kBare (see below)
//   unary    := "+" primary | "-" primary | primary
//   primary  := "(" query ")" | field ":" primary | '"' words '"' | word "*" | word
//   field    := title | titel | category | kategorie | date | datum   (any letter case)
//             | NAME   (a metadata field: [A-Za-z][A-Za-z0-9_]*, see common/fields.h)
// Operators are recognised only in upper case; "und"/"oder" in lower case are words.
// date values: 2024-01-01..2024-12-31, 2024..2025, 2024-03 (a month), 2024 (a year),
//   31.12.2024 (German day), open ends "..2024-06-30" / "2024-06-01..";
//   category and metadata field values: a word or "quoted value"
//   (author:"Jane Doe", tags:ki).
//
// Precedence. Adjacency binds tighter than AND/NOT, which bind tighter than OR,
// and AND/NOT associate to the left:
//   `Sprach* UND (Chip ODER GPU) NICHT Nvidia`
//       -> NOT(AND(PREFIX(Sprach*) OR(WORD(Chip) WORD(GPU))) WORD(Nvidia))
//   `a b AND c d` -> AND(BARE(WORD(a) WORD(b)) BARE(WORD(c) WORD(d)))
// "x NOT y" is binary: kNot with children x and y. "x AND NOT y" means the
// same and gives the same tree. A NOT with nothing on its left ("NOT y", or
// at the start of a bracket) gets kMatchAll as its left child and takes the
// whole not_expr on its right: `NOT a b` -> NOT(MATCHALL BARE(WORD(a) WORD(b))).
// Use "-" to exclude a single word from a bare list.
//
// Lexical rules.
//  - A word is a maximal run of bytes that are not whitespace (Unicode
//    White_Space, plus U+200B and U+FEFF, which paste in from web pages), not
//    "(" or ")", not a quote, and not the ":" after a field name at the start
//    of the word. Its bytes are kept exactly as written: no case change, and
//    "-", "+", "*", "." inside belong to it (KI-Chip-Beschränkungen, GPT-4o,
//    R1-Lite, C++, e-mail are each one word; https://example.org/x is one word).
//  - "+" and "-" are operators only at the start of a word that follows
//    whitespace, "(" or the start of the query; "+" or "-" with no word after
//    it is ignored with a warning, and of repeated signs ("--x") the last one
//    counts, with a warning.
//  - Suspended compounds (German Ergänzungsstrich) are words, not
//    exclusions: a "-" right after a lower-case conjunction (und, oder,
//    sowie, bzw., beziehungsweise, respektive, bis; UND/ODER are operators)
//    or after a word ending in "," starts a word. When a written-out word
//    stands before the conjunction (or is the word with the comma), the word
//    is marked with it as its partner: "Privatpersonen und -organisationen"
//    is BARE(WORD(Privatpersonen) WORD(und) WORD(-organisationen|Privatpersonen)).
//    Words ending in "-" before a conjunction and a word are marked too:
//    "Ein- und Ausfuhr" -> BARE(WORD(Ein-|Ausfuhr) WORD(und) WORD(Ausfuhr)).
//    The QueryBuilder searches the completed compound
//    (common/suspended_compound.h). A sign anywhere else excludes:
//    "-Wahl" at the start, "Politik -Wahl", "Politik UND -Wahl".
//  - A trailing "*" (or "**"...) makes the word a prefix; "*" inside a word is
//    part of the word; "*" with no word before it is ignored with a warning.
//  - Quotes: " and the typographic „ “ ” » « all delimit phrases. A phrase
//    opened by " „ “ or ” ends at the next " “ or ”; one opened by » or « ends
//    at the next » « or ". Other quote characters inside are phrase text, so
//    „Er sagte »nein«“ is one phrase.
//  - Operator words and field names right after "+", "-" or a field's ":" are
//    words: `+UND` requires the word "UND", `title:OR` searches "OR" in titles.
//  - "name:value" where name has a metadata field's shape (an ASCII letter,
//    then ASCII letters, digits, '_') and is not one of the fields above is a
//    metadata field filter, kField: the parser does not know which fields an
//    index declares; the Searcher refuses a field the index does not declare
//    filterable. A name with other letters ("Überschrift:Wahl") is taken as
//    the two words name and value, with an "unknown field" warning. A colon
//    after anything else ("10:30", "https://...", "C++:") stays in the word.
//  - A field value must follow the ":" directly ("title: x" is a field without
//    a value, then the word x). title: applies kTitle to the words, phrases and
//    prefixes of its primary (title:(a "b c" d*)); category: and metadata
//    fields take one word as written (no prefix or operator meaning) or a
//    quoted value; date: takes one of the date values above.
//  - Invalid UTF-8 bytes are word bytes: lenient mode keeps them and warns
//    once per run of invalid bytes; the analyzer copes with them later.
//
// Lenient mode repairs what it can and reports each repair as a warning with
// the byte offset into the query (unclosed quote -> phrase to the end; unclosed
// bracket -> closed at the end; stray ")" -> ignored; empty "()" or "" ->
// ignored; dangling operator -> ignored; unknown field "foo:bar" -> the words
// foo and bar; bad date -> filter dropped; field without a usable value ->
// field ignored, the value (if any) is searched as ordinary text). Warnings
// are sorted by offset. Strict mode (for tools) returns the first of those (the
// lowest offset) as an InvalidInput Status "at byte N: <message>" instead, and
// otherwise returns exactly the tree lenient mode returns.
//
// The parser does no linguistic analysis: words are kept as written, with
// their byte offsets; the QueryBuilder analyses them later.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/suspended_compound.h"

namespace findling {

enum class QueryField : std::uint8_t { kAny, kTitle };

struct QueryNode {
  enum class Kind : std::uint8_t {
    kWord,       // text = the word as written ("Sprachmodelle", "GPT-4o")
    kPhrase,     // text = everything between the quotes, as written
    kPrefix,     // text = the word before '*' ("Sprach" for "Sprach*")
    kBare,       // children joined by adjacency: all-words-first ranking, any word matches
    kAnd,        // children all required (explicit AND/UND)
    kOr,         // any child
    kNot,        // children[0] AND NOT children[1]; a lone NOT x has children[0] == kMatchAll
    kRequire,    // +x: children[0] must match (inside kBare)
    kExclude,    // -x: children[0] must not match (inside kBare)
    kCategory,   // text = category value (exact, case-insensitive match)
    kField,      // field_name = metadata field (lower case), text = value (as kCategory)
    kDateRange,  // date_from / date_to as "YYYY-MM-DD" ("" = open end), inclusive
    kMatchAll,   // matches every document (e.g. the left side of a lone NOT)
  };
  // Tree shape, as ParseQuery builds it:
  //  - a kBare with one child is replaced by that child, unless the child is
  //    kRequire or kExclude: those two appear only as direct children of a kBare;
  //  - only the root may be a kBare with no children (the empty query);
  //  - kAnd and kOr have at least two children, kNot exactly two, kRequire
  //    and kExclude one; kMatchAll appears only as children[0] of a kNot;
  //  - children are in query order and lie within their parent's span.
  // Spans: a leaf spans its own bytes (a phrase with its quotes, a prefix with
  // its '*', a category or date filter from the field name to the end of the
  // value; the "title:" before a word is not part of any node). kRequire and
  // kExclude span from their sign; kMatchAll spans its NOT keyword; other nodes
  // span from their first child's begin to their last child's end, widened to
  // the brackets around them when they are a bracketed group ("(a b)").
  Kind kind = Kind::kWord;
  QueryField field = QueryField::kAny;  // for kWord, kPhrase, kPrefix
  std::string text;
  std::string field_name;  // kField: the field's name, ASCII lower case ("author")
  // kWord of a suspended compound: which part the writer left out, and the
  // written-out compound that supplies it, as typed ("Privatpersonen" for
  // "-organisationen", "Ausfuhr" for "Ein-"). text stays as written, hyphen
  // included ("-organisationen,", "Ein-").
  SuspendedSide suspended = SuspendedSide::kNone;
  std::string partner;
  std::string date_from, date_to;
  std::uint32_t begin = 0, end = 0;  // byte offsets of this node in the query string, [begin, end)
  std::vector<std::unique_ptr<QueryNode>> children;

  // Canonical text form for tests, e.g.
  //   BARE(WORD(Sprachmodell) REQUIRE(WORD(Liang)) EXCLUDE(PHRASE(title:"Open Source")))
  //   AND(PREFIX(Sprach*) CATEGORY(technik) DATE(2024-01-01..2024-12-31))
  //   FIELD(author=Jane Doe)
  //   NOT(MATCHALL WORD(title:Wahl))   DATE(..2024-06-30)   BARE()
  //   WORD(-organisationen|Privatpersonen)   WORD(Ein-|Ausfuhr)   (suspended compounds)
  // Offsets are not shown. Text is printed as written, without escaping.
  std::string ToString() const;
};

struct ParseWarning {
  std::uint32_t offset = 0;  // byte offset into the query
  std::string message;       // English, e.g. "unclosed quote; phrase runs to the end"
};

struct ParsedQuery {
  std::unique_ptr<QueryNode> root;  // never null; an empty query gives kBare with no children
  std::vector<ParseWarning> warnings;
};

struct QueryParserLimits {
  std::uint32_t max_query_bytes = 8192;
  std::uint32_t max_terms = 256;  // words + phrase words + prefixes
  std::uint32_t max_depth = 32;   // bracket / leading-NOT / title: nesting; at most 1000
                                  // is honoured (the parser recurses once per level)
  // Not a limit but the one switch of the grammar, here because these
  // settings travel with every ParseQuery call (SearcherLimits::parser):
  // German suspended compounds ("Privatpersonen und -organisationen", "Ein-
  // und Ausfuhr") are marked with their partner (see "Suspended compounds"
  // above), so the builder completes them. false leaves them unmarked (the
  // same nodes; the piece is searched as written), for measuring what
  // completing them is worth (docs/relevance.md).
  bool suspended_compounds = true;
};

enum class ParseMode : std::uint8_t { kLenient, kStrict };

// Parses `query`. In kLenient mode fails only when a limit is exceeded
// (kLimit, "at byte N: ..." naming the limit); in kStrict mode also on any
// syntax problem or invalid UTF-8 (kInvalidInput, "at byte N: ..."). On
// success the caller owns the returned tree; it does not point into `query`.
// Thread-safe (no state).
Result<ParsedQuery> ParseQuery(std::string_view query, ParseMode mode = ParseMode::kLenient,
                               const QueryParserLimits& limits = {});

}  // namespace findling
