// Tests for ParseQuery (searcher/query_parser.h).
//
// Each table row is one query run through BOTH modes:
//   lenient: the tree's ToString(), then " !N" for each warning at byte N,
//            or "limit@N" when a limit stops the parse;
//   strict:  "OK" (and then the same tree), "invalid_input@N" or "limit@N".
// Every successful parse also goes through ExpectWellFormed(), which checks
// the tree-shape and span promises written in the header. The random test at
// the end pushes 2000 generated queries through the same checks.
#include "searcher/query_parser.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <ostream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace findling {
namespace {

using Kind = QueryNode::Kind;

// ---------------------------------------------------------------------------
// Helpers

// "at byte N: ..." -> "N"; anything else is returned whole so the row fails
// with the message in view.
std::string OffsetOf(const std::string& message) {
  constexpr std::string_view kPrefix = "at byte ";
  const std::size_t colon = message.find(':');
  if (message.rfind(kPrefix, 0) != 0 || colon == std::string::npos) return "?" + message;
  return message.substr(kPrefix.size(), colon - kPrefix.size());
}

std::string ErrorForm(const Status& status) {
  return std::string(Status::CodeName(status.code())) + "@" + OffsetOf(status.message());
}

std::string LenientForm(const Result<ParsedQuery>& result) {
  if (!result.ok()) return ErrorForm(result.status());
  std::string out = result->root->ToString();
  for (const ParseWarning& w : result->warnings) out += " !" + std::to_string(w.offset);
  return out;
}

std::string StrictForm(const Result<ParsedQuery>& result) {
  return result.ok() ? "OK" : ErrorForm(result.status());
}

bool IsDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

// Checks one node and its subtree against the header's promises.
void CheckNode(std::string_view query, const QueryNode& node, const QueryNode* parent,
               bool is_root) {
  const std::string at =
      node.ToString() + " [" + std::to_string(node.begin) + "," + std::to_string(node.end) + ")";
  ASSERT_LE(node.begin, node.end) << at;
  ASSERT_LE(node.end, query.size()) << at;
  const std::string_view span = query.substr(node.begin, node.end - node.begin);
  const std::size_t n = node.children.size();
  if (node.field == QueryField::kTitle) {
    EXPECT_TRUE(node.kind == Kind::kWord || node.kind == Kind::kPhrase ||
                node.kind == Kind::kPrefix)
        << at;
  }
  switch (node.kind) {
    case Kind::kWord:
      // The word's bytes exactly as written.
      EXPECT_EQ(n, 0u) << at;
      EXPECT_FALSE(node.text.empty()) << at;
      EXPECT_EQ(span, node.text) << at;
      break;
    case Kind::kPrefix:
      EXPECT_EQ(n, 0u) << at;
      EXPECT_FALSE(node.text.empty()) << at;
      EXPECT_EQ(span.substr(0, node.text.size()), node.text) << at;
      EXPECT_GT(span.size(), node.text.size()) << at;
      EXPECT_EQ(span.substr(node.text.size()).find_first_not_of('*'), std::string_view::npos) << at;
      break;
    case Kind::kPhrase:
    case Kind::kCategory:
    case Kind::kField:
      EXPECT_EQ(n, 0u) << at;
      EXPECT_FALSE(node.text.empty()) << at;
      EXPECT_NE(span.find(node.text), std::string_view::npos) << at;
      break;
    case Kind::kDateRange:
      EXPECT_EQ(n, 0u) << at;
      EXPECT_TRUE(node.date_from.empty() || IsDate(node.date_from)) << at;
      EXPECT_TRUE(node.date_to.empty() || IsDate(node.date_to)) << at;
      EXPECT_FALSE(node.date_from.empty() && node.date_to.empty()) << at;
      if (!node.date_from.empty() && !node.date_to.empty()) {
        EXPECT_LE(node.date_from, node.date_to) << at;
      }
      break;
    case Kind::kMatchAll:
      EXPECT_EQ(n, 0u) << at;
      EXPECT_TRUE(parent && parent->kind == Kind::kNot && parent->children[0].get() == &node) << at;
      break;
    case Kind::kBare:
      // Only the root may be empty; a single child stays wrapped only if it is +x / -x.
      if (n == 0) {
        EXPECT_TRUE(is_root) << at;
      }
      if (n == 1) {
        EXPECT_TRUE(node.children[0]->kind == Kind::kRequire ||
                    node.children[0]->kind == Kind::kExclude)
            << at;
      }
      break;
    case Kind::kAnd:
    case Kind::kOr:
      EXPECT_GE(n, 2u) << at;
      break;
    case Kind::kNot:
      EXPECT_EQ(n, 2u) << at;
      break;
    case Kind::kRequire:
    case Kind::kExclude:
      EXPECT_EQ(n, 1u) << at;
      EXPECT_TRUE(parent && parent->kind == Kind::kBare) << at;
      break;
  }
  std::uint32_t previous_end = node.begin;
  for (const auto& child : node.children) {
    ASSERT_NE(child, nullptr) << at;
    // Children in query order, inside their parent.
    EXPECT_GE(child->begin, previous_end) << at << " child " << child->ToString();
    EXPECT_LE(child->end, node.end) << at << " child " << child->ToString();
    previous_end = child->end;
    CheckNode(query, *child, &node, false);
  }
}

// The one invariant checker: every successful parse in this file goes through it.
void ExpectWellFormed(std::string_view query, const ParsedQuery& parsed) {
  ASSERT_NE(parsed.root, nullptr);
  CheckNode(query, *parsed.root, nullptr, true);
  for (std::size_t i = 0; i < parsed.warnings.size(); ++i) {
    EXPECT_LE(parsed.warnings[i].offset, query.size());
    EXPECT_FALSE(parsed.warnings[i].message.empty());
    if (i > 0) {
      EXPECT_LE(parsed.warnings[i - 1].offset, parsed.warnings[i].offset);
    }
  }
}

QueryParserLimits MaxTerms(std::uint32_t n) {
  QueryParserLimits limits;
  limits.max_terms = n;
  return limits;
}
QueryParserLimits Unmarked() {
  QueryParserLimits limits;
  limits.suspended_compounds = false;
  return limits;
}
QueryParserLimits MaxDepth(std::uint32_t n) {
  QueryParserLimits limits;
  limits.max_depth = n;
  return limits;
}
QueryParserLimits MaxBytes(std::uint32_t n) {
  QueryParserLimits limits;
  limits.max_query_bytes = n;
  return limits;
}

std::string Repeat(std::string_view piece, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += piece;
  return out;
}

// ---------------------------------------------------------------------------
// The table

struct Row {
  std::string name;  // the test's name: letters, digits and '_'
  std::string query;
  std::string lenient;  // see the file comment
  std::string strict;
  std::string message = {};  // if set: part of the first warning and of the strict error
  QueryParserLimits limits = {};
};

// gtest would otherwise print the row as raw bytes.
void PrintTo(const Row& row, std::ostream* os) { *os << row.name << " `" << row.query << "`"; }

class QueryParserTableTest : public testing::TestWithParam<Row> {};

TEST_P(QueryParserTableTest, BothModes) {
  const Row& row = GetParam();
  SCOPED_TRACE("query `" + row.query + "`");
  const Result<ParsedQuery> lenient = ParseQuery(row.query, ParseMode::kLenient, row.limits);
  const Result<ParsedQuery> strict = ParseQuery(row.query, ParseMode::kStrict, row.limits);
  EXPECT_EQ(LenientForm(lenient), row.lenient);
  EXPECT_EQ(StrictForm(strict), row.strict);
  if (lenient.ok()) ExpectWellFormed(row.query, lenient.value());
  if (strict.ok()) {
    ExpectWellFormed(row.query, strict.value());
    EXPECT_TRUE(strict->warnings.empty());
    if (lenient.ok()) {
      EXPECT_EQ(strict->root->ToString(), lenient->root->ToString());
    }
  }
  if (!row.message.empty()) {
    const std::string first = !lenient.ok()               ? lenient.status().message()
                              : lenient->warnings.empty() ? std::string("(no warning)")
                                                          : lenient->warnings[0].message;
    EXPECT_NE(first.find(row.message), std::string::npos) << first;
    EXPECT_NE(strict.status().message().find(row.message), std::string::npos)
        << strict.status().message();
  }
}

std::string RowName(const testing::TestParamInfo<Row>& info) { return info.param.name; }

// Plain words: kept byte for byte, case untouched; '-', '+', ':' inside a word
// belong to it.
const std::vector<Row> kWordRows = {
    {"ThreeWords", "Sprachmodell Liang Wenfeng",
     "BARE(WORD(Sprachmodell) WORD(Liang) WORD(Wenfeng))", "OK"},
    {"OneWordIsNotWrapped", "Sprachmodelle", "WORD(Sprachmodelle)", "OK"},
    {"ModelNameWithHyphen", "GPT-4o", "WORD(GPT-4o)", "OK"},
    {"ModelNameWithDigitAndHyphen", "R1-Lite", "WORD(R1-Lite)", "OK"},
    // '-' excludes only at the start of a word: the compound is ONE word.
    {"HyphenatedCompoundIsOneWord", "KI-Chip-Beschränkungen", "WORD(KI-Chip-Beschränkungen)", "OK"},
    {"HyphenatedCompoundBesideWord", "Export KI-Chip-Beschränkungen",
     "BARE(WORD(Export) WORD(KI-Chip-Beschränkungen))", "OK"},
    {"EMail", "e-mail", "WORD(e-mail)", "OK"},
    {"PlusInsideWord", "C++", "WORD(C++)", "OK"},
    {"PlusInsideWordBesideWord", "C++ Compiler", "BARE(WORD(C++) WORD(Compiler))", "OK"},
    // Operators are upper case only; the everyday German words stay words.
    {"LowerCaseUndOderAreWords", "Chip und GPU oder TPU",
     "BARE(WORD(Chip) WORD(und) WORD(GPU) WORD(oder) WORD(TPU))", "OK"},
    {"CapitalisedOperatorWordsAreWords", "Und Oder Nicht", "BARE(WORD(Und) WORD(Oder) WORD(Nicht))",
     "OK"},
    {"AmpersandInsideWord", "AT&T", "WORD(AT&T)", "OK"},
    {"PipeInsideWord", "a|b", "WORD(a|b)", "OK"},
    {"UmlautsAndEszett", "Straße Größe Übung", "BARE(WORD(Straße) WORD(Größe) WORD(Übung))", "OK"},
    {"CaseKept", "deepseek DeepSeek", "BARE(WORD(deepseek) WORD(DeepSeek))", "OK"},
    {"FourByteCharacter", "🤖 KI", "BARE(WORD(🤖) WORD(KI))", "OK"},
    // A URL is a word: "https" is no field and "//" is no field value.
    {"Url", "https://example.org/x", "WORD(https://example.org/x)", "OK"},
    {"UrlBesideWord", "Quelle https://example.org/x?q=1",
     "BARE(WORD(Quelle) WORD(https://example.org/x?q=1))", "OK"},
    {"TimeOfDay", "Pressekonferenz 10:30", "BARE(WORD(Pressekonferenz) WORD(10:30))", "OK"},
    {"ColonBeforeSpaceStaysInWord", "Achtung: Rückruf", "BARE(WORD(Achtung:) WORD(Rückruf))", "OK"},
    // Whitespace beyond ASCII: NBSP, narrow NBSP and zero width space from web pages.
    {"NoBreakSpaceSeparates", "Liang\u00a0Wenfeng", "BARE(WORD(Liang) WORD(Wenfeng))", "OK"},
    {"NarrowNoBreakSpaceSeparates", "Liang\u202fWenfeng", "BARE(WORD(Liang) WORD(Wenfeng))", "OK"},
    {"ZeroWidthSpaceSeparates", "Liang\u200bWenfeng", "BARE(WORD(Liang) WORD(Wenfeng))", "OK"},
    {"TabsAndNewlines", "\tLiang\nWenfeng\r\n", "BARE(WORD(Liang) WORD(Wenfeng))", "OK"},
    {"Empty", "", "BARE()", "OK"},
    {"WhitespaceOnly", " \t\n\u00a0 ", "BARE()", "OK"},
};
INSTANTIATE_TEST_SUITE_P(Words, QueryParserTableTest, testing::ValuesIn(kWordRows), RowName);

// Prefixes: a trailing '*' only.
const std::vector<Row> kPrefixRows = {
    {"Prefix", "Sprach*", "PREFIX(Sprach*)", "OK"},
    {"PrefixWithDigits", "A100*", "PREFIX(A100*)", "OK"},
    {"PrefixDoubleStar", "Sprachmod**", "PREFIX(Sprachmod*)", "OK"},
    {"PrefixOfHyphenatedWord", "KI-Chip*", "PREFIX(KI-Chip*)", "OK"},
    {"StarInsideWordIsText", "Sprach*modell", "WORD(Sprach*modell)", "OK"},
    {"StarAlone", "*", "BARE() !0", "invalid_input@0", "'*' without a word"},
    {"StarAfterSpace", "Sprach *", "WORD(Sprach) !7", "invalid_input@7", "'*' without a word"},
    {"StarAfterPhrase", "\"Open Source\"*", "PHRASE(\"Open Source\") !13", "invalid_input@13",
     "'*' without a word"},
};
INSTANTIATE_TEST_SUITE_P(Prefixes, QueryParserTableTest, testing::ValuesIn(kPrefixRows), RowName);

// Phrases: ASCII and typographic quotes, text kept as written.
const std::vector<Row> kPhraseRows = {
    {"AsciiQuotes", "\"Open-Source-Strategie\" DeepSeek",
     "BARE(PHRASE(\"Open-Source-Strategie\") WORD(DeepSeek))", "OK"},
    {"GermanQuotes", "„Künstliche Intelligenz“", "PHRASE(\"Künstliche Intelligenz\")", "OK"},
    {"EnglishQuotes", "“Künstliche Intelligenz”", "PHRASE(\"Künstliche Intelligenz\")", "OK"},
    {"GermanGuillemets", "»Künstliche Intelligenz«", "PHRASE(\"Künstliche Intelligenz\")", "OK"},
    {"SwissGuillemets", "«Künstliche Intelligenz»", "PHRASE(\"Künstliche Intelligenz\")", "OK"},
    {"GermanOpenAsciiClose", "„Künstliche Intelligenz\" Europa",
     "BARE(PHRASE(\"Künstliche Intelligenz\") WORD(Europa))", "OK"},
    // The other quote family inside a phrase is text.
    {"GuillemetsInsideGermanQuotes", "„Er sagte »nein«“", "PHRASE(\"Er sagte »nein«\")", "OK"},
    {"OperatorsInsidePhraseAreText", "\"Chip ODER GPU\"", "PHRASE(\"Chip ODER GPU\")", "OK"},
    {"QuoteEndsWord", "Liang\"Wenfeng\"", "BARE(WORD(Liang) PHRASE(\"Wenfeng\"))", "OK"},
    {"OneWordPhraseStaysPhrase", "\"Sprachmodelle\"", "PHRASE(\"Sprachmodelle\")", "OK"},
    {"EmptyPhrase", "\"\"", "BARE() !0", "invalid_input@0", "empty phrase"},
    {"BlankGermanPhrase", "KI „ “", "WORD(KI) !3", "invalid_input@3", "empty phrase"},
    {"UnclosedQuote", "\"Open Source", "PHRASE(\"Open Source\") !0", "invalid_input@0",
     "unclosed quote"},
    {"UnclosedGermanQuote", "DeepSeek „Open Source",
     "BARE(WORD(DeepSeek) PHRASE(\"Open Source\")) !9", "invalid_input@9", "unclosed quote"},
    {"LoneQuote", "\"", "BARE() !0", "invalid_input@0", "unclosed quote"},
};
INSTANTIATE_TEST_SUITE_P(Phrases, QueryParserTableTest, testing::ValuesIn(kPhraseRows), RowName);

// Operators and precedence: adjacency > AND/NOT > OR.
const std::vector<Row> kOperatorRows = {
    {"GermanOperators", "Sprach* UND (Chip ODER GPU) NICHT Nvidia",
     "NOT(AND(PREFIX(Sprach*) OR(WORD(Chip) WORD(GPU))) WORD(Nvidia))", "OK"},
    {"EnglishOperators", "Sprach* AND (Chip OR GPU) NOT Nvidia",
     "NOT(AND(PREFIX(Sprach*) OR(WORD(Chip) WORD(GPU))) WORD(Nvidia))", "OK"},
    {"SymbolOperators", "Chip & GPU | TPU", "OR(AND(WORD(Chip) WORD(GPU)) WORD(TPU))", "OK"},
    {"AndChainIsOneNode", "Chip UND GPU UND TPU", "AND(WORD(Chip) WORD(GPU) WORD(TPU))", "OK"},
    {"OrChainIsOneNode", "Chip ODER GPU ODER TPU", "OR(WORD(Chip) WORD(GPU) WORD(TPU))", "OK"},
    {"AdjacencyBindsTighterThanAnd", "Liang Wenfeng UND DeepSeek R1",
     "AND(BARE(WORD(Liang) WORD(Wenfeng)) BARE(WORD(DeepSeek) WORD(R1)))", "OK"},
    {"AndBindsTighterThanOr", "Chip UND GPU ODER TPU", "OR(AND(WORD(Chip) WORD(GPU)) WORD(TPU))",
     "OK"},
    {"AndNotIsBinaryNot", "Chip UND NICHT Nvidia", "NOT(WORD(Chip) WORD(Nvidia))", "OK"},
    {"NotThenAnd", "Chip NICHT Nvidia UND GPU", "AND(NOT(WORD(Chip) WORD(Nvidia)) WORD(GPU))",
     "OK"},
    {"LoneNot", "NICHT Nvidia", "NOT(MATCHALL WORD(Nvidia))", "OK"},
    {"LoneNotTakesBareList", "NOT Nvidia AMD", "NOT(MATCHALL BARE(WORD(Nvidia) WORD(AMD)))", "OK"},
    {"DoubleNot", "NOT NOT Nvidia", "NOT(MATCHALL NOT(MATCHALL WORD(Nvidia)))", "OK"},
    {"NotInsideBrackets", "Chip (NOT Nvidia)", "BARE(WORD(Chip) NOT(MATCHALL WORD(Nvidia)))", "OK"},
    {"Brackets", "(Chip ODER GPU) Nvidia", "BARE(OR(WORD(Chip) WORD(GPU)) WORD(Nvidia))", "OK"},
    {"BracketedWordIsTheWord", "((Chip))", "WORD(Chip)", "OK"},
    {"BracketsNeedNoSpace", "KI(Chip)GPU", "BARE(WORD(KI) WORD(Chip) WORD(GPU))", "OK"},
    {"OperatorTouchingBracket", "(Chip)ODER(GPU)", "OR(WORD(Chip) WORD(GPU))", "OK"},
    {"RequireAndExclude", "+Regierung -Wahl", "BARE(REQUIRE(WORD(Regierung)) EXCLUDE(WORD(Wahl)))",
     "OK"},
    // German suspended hyphens ("und -organisationen") are words, not
    // exclusions, marked with the written-out compound that completes them
    // (after "|"); after an upper-case operator the sign still excludes.
    {"SuspendedHyphenAfterUnd", "Privatpersonen und -organisationen",
     "BARE(WORD(Privatpersonen) WORD(und) WORD(-organisationen|Privatpersonen))", "OK"},
    {"SuspendedHyphenAfterOder", "Staatsanwälte oder -anwältinnen",
     "BARE(WORD(Staatsanwälte) WORD(oder) WORD(-anwältinnen|Staatsanwälte))", "OK"},
    {"SuspendedListAfterComma", "Privatpersonen, -vereine und -organisationen",
     "BARE(WORD(Privatpersonen,) WORD(-vereine|Privatpersonen) WORD(und) "
     "WORD(-organisationen|Privatpersonen))",
     "OK"},
    {"SuspendedHyphenInQuestion",
     "Welche Gruppen leiten, neben Privatpersonen und -organisationen, Schulen?",
     "BARE(WORD(Welche) WORD(Gruppen) WORD(leiten,) WORD(neben) WORD(Privatpersonen) WORD(und) "
     "WORD(-organisationen,|Privatpersonen) WORD(Schulen?))",
     "OK"},
    // The piece before the conjunction: "Ein- und Ausfuhr" = Einfuhr und Ausfuhr.
    {"SuspendedFirstPart", "Ein- und Ausfuhr", "BARE(WORD(Ein-|Ausfuhr) WORD(und) WORD(Ausfuhr))",
     "OK"},
    {"SuspendedFirstPartBis", "Ein- bis Zweifamilienhäuser",
     "BARE(WORD(Ein-|Zweifamilienhäuser) WORD(bis) WORD(Zweifamilienhäuser))", "OK"},
    {"SuspendedFirstPartList", "Kinder-, Jugend- und Familienhilfe",
     "BARE(WORD(Kinder-,|Familienhilfe) WORD(Jugend-|Familienhilfe) WORD(und) "
     "WORD(Familienhilfe))",
     "OK"},
    {"SuspendedFirstPartBeforeArticle", "eine Trocken- und eine Regenzeit",
     "BARE(WORD(eine) WORD(Trocken-|Regenzeit) WORD(und) WORD(eine) WORD(Regenzeit))", "OK"},
    // Not suspended compounds: no conjunction, no word to complete from, an operator.
    {"HyphenWordWithoutConjunction", "Bundes- Landesrecht", "BARE(WORD(Bundes-) WORD(Landesrecht))",
     "OK"},
    {"SuspendedPieceWithoutPartner", "Ein- und", "BARE(WORD(Ein-) WORD(und))", "OK"},
    {"PrefixIsNoPartner", "Ein- und Aus*", "BARE(WORD(Ein-) WORD(und) PREFIX(Aus*))", "OK"},
    {"ConjunctionAtTheStart", "und -organisationen", "BARE(WORD(und) WORD(-organisationen))", "OK"},
    {"FirstPartBeforeOperator", "Ein- UND Ausfuhr", "AND(WORD(Ein-) WORD(Ausfuhr))", "OK"},
    {"MixedListStaysUnmarked", "Ein-, Aus- und -durchfuhr",
     "BARE(WORD(Ein-,) WORD(Aus-) WORD(und) WORD(-durchfuhr))", "OK"},
    // Switched off (to measure it): the same nodes, unmarked.
    {"SuspendedUnmarkedWhenOff", "Privatpersonen und -organisationen",
     "BARE(WORD(Privatpersonen) WORD(und) WORD(-organisationen))", "OK", "", Unmarked()},
    {"SignAfterOperatorStillExcludes", "Chip UND -Nvidia",
     "AND(WORD(Chip) BARE(EXCLUDE(WORD(Nvidia))))", "OK"},
    {"SignAfterWordStillExcludes", "Politik -Wahl", "BARE(WORD(Politik) EXCLUDE(WORD(Wahl)))",
     "OK"},
    // +x / -x stay inside a kBare even when alone.
    {"ExcludeAlone", "-Wahl", "BARE(EXCLUDE(WORD(Wahl)))", "OK"},
    {"ExcludeHyphenatedWord", "-KI-Chip", "BARE(EXCLUDE(WORD(KI-Chip)))", "OK"},
    {"SignsOnPhraseAndGroup", "+\"Open Source\" -(Chip GPU)",
     "BARE(REQUIRE(PHRASE(\"Open Source\")) EXCLUDE(BARE(WORD(Chip) WORD(GPU))))", "OK"},
    {"ExcludeUnderAnd", "Regierung UND -Wahl", "AND(WORD(Regierung) BARE(EXCLUDE(WORD(Wahl))))",
     "OK"},
    {"SignInsideBrackets", "(-Wahl Regierung)", "BARE(EXCLUDE(WORD(Wahl)) WORD(Regierung))", "OK"},
    {"OperatorWordAfterSignIsWord", "+UND", "BARE(REQUIRE(WORD(UND)))", "OK"},
    {"NegativeNumber", "-5", "BARE(EXCLUDE(WORD(5)))", "OK"},
};
INSTANTIATE_TEST_SUITE_P(Operators, QueryParserTableTest, testing::ValuesIn(kOperatorRows),
                         RowName);

// Fields: title applies to the text leaves; category takes a word or a quoted value.
const std::vector<Row> kFieldRows = {
    {"TitleAndCategory", "titel:Österreich kategorie:politik",
     "BARE(WORD(title:Österreich) CATEGORY(politik))", "OK"},
    {"FieldNameAnyCase", "Titel:Österreich KATEGORIE:Politik",
     "BARE(WORD(title:Österreich) CATEGORY(Politik))", "OK"},
    {"TitlePhrase", "title:\"Open Source\"", "PHRASE(title:\"Open Source\")", "OK"},
    {"TitleGermanPhrase", "titel:„Künstliche Intelligenz“",
     "PHRASE(title:\"Künstliche Intelligenz\")", "OK"},
    {"TitlePrefix", "title:Sprach*", "PREFIX(title:Sprach*)", "OK"},
    {"TitleGroup", "title:(Chip \"open source\" GPU*)",
     "BARE(WORD(title:Chip) PHRASE(title:\"open source\") PREFIX(title:GPU*))", "OK"},
    {"TitleGroupWithOperators", "title:(Chip ODER -GPU) Nvidia",
     "BARE(OR(WORD(title:Chip) BARE(EXCLUDE(WORD(title:GPU)))) WORD(Nvidia))", "OK"},
    {"ExcludedTitle", "-title:Wahl", "BARE(EXCLUDE(WORD(title:Wahl)))", "OK"},
    {"OperatorWordAsTitleValue", "title:OR", "WORD(title:OR)", "OK"},
    // No sign after ':' — the value is the word "-Wahl" as written.
    {"HyphenAfterColonIsText", "title:-Wahl", "WORD(title:-Wahl)", "OK"},
    {"TitleUrl", "title:https://example.org", "WORD(title:https://example.org)", "OK"},
    {"CategoryQuoted", "category:\"Wirtschaft und Politik\"", "CATEGORY(Wirtschaft und Politik)",
     "OK"},
    {"CategoryGermanQuoted", "kategorie:„Wirtschaft und Politik“",
     "CATEGORY(Wirtschaft und Politik)", "OK"},
    {"CategoriesOred", "kategorie:politik ODER kategorie:wirtschaft",
     "OR(CATEGORY(politik) CATEGORY(wirtschaft))", "OK"},
    {"CategoryExcluded", "Wahl -kategorie:sport", "BARE(WORD(Wahl) EXCLUDE(CATEGORY(sport)))",
     "OK"},
    // Repairs.
    // Metadata fields (issue 13): any ASCII name is a field for the parser;
    // whether the index declares it is the searcher's to say.
    {"MetaField", "foo:bar", "FIELD(foo=bar)", "OK"},
    {"MetaFieldQuoted", "autor:„Liang Wenfeng“", "FIELD(autor=Liang Wenfeng)", "OK"},
    {"MetaFieldCaseFolded", "Author:\"Jane Doe\" KI", "BARE(FIELD(author=Jane Doe) WORD(KI))",
     "OK"},
    {"MetaFieldWithDigitsAndUnderscore", "dc_creator2:Müller", "FIELD(dc_creator2=Müller)", "OK"},
    {"MetaFieldExcluded", "Chips -tags:ki", "BARE(WORD(Chips) EXCLUDE(FIELD(tags=ki)))", "OK"},
    {"UrlIsNoMetaField", "https://example.org/x", "WORD(https://example.org/x)", "OK"},
    {"TimeIsNoMetaField", "10:30", "WORD(10:30)", "OK"},
    {"MetaFieldGroup", "tags:(ki chips)", "BARE(WORD(ki) WORD(chips)) !0", "invalid_input@0",
     "one word or a quoted value"},

    {"UnknownFieldWithUmlaut", "Überschrift:Wahl", "BARE(WORD(Überschrift) WORD(Wahl)) !0",
     "invalid_input@0", "unknown field"},
    {"FieldWithoutValue", "title: Wahl", "WORD(Wahl) !0", "invalid_input@0", "has no value"},
    {"FieldAtEnd", "Wahl kategorie:", "WORD(Wahl) !5", "invalid_input@5", "has no value"},
    {"FieldBeforeBracket", "(Wahl title:)", "WORD(Wahl) !6", "invalid_input@6", "has no value"},
    {"CategoryGroup", "kategorie:(politik wirtschaft)", "BARE(WORD(politik) WORD(wirtschaft)) !0",
     "invalid_input@0", "one word or a quoted value"},
    {"CategoryEmptyQuotes", "kategorie:\"\" Wahl", "WORD(Wahl) !10", "invalid_input@10",
     "empty value"},
};
INSTANTIATE_TEST_SUITE_P(Fields, QueryParserTableTest, testing::ValuesIn(kFieldRows), RowName);

// Dates: inclusive "YYYY-MM-DD" ends; a year or month covers its whole span.
const std::vector<Row> kDateRows = {
    {"Range", "date:2024-01-01..2024-12-31", "DATE(2024-01-01..2024-12-31)", "OK"},
    {"Year", "datum:2025", "DATE(2025-01-01..2025-12-31)", "OK"},
    {"LeapMonth", "date:2024-02", "DATE(2024-02-01..2024-02-29)", "OK"},
    {"PlainFebruary", "date:2023-02", "DATE(2023-02-01..2023-02-28)", "OK"},
    {"LeapCenturyFebruary", "date:2000-02", "DATE(2000-02-01..2000-02-29)", "OK"},
    {"NonLeapCenturyFebruary", "date:1900-02", "DATE(1900-02-01..1900-02-28)", "OK"},
    {"YearRange", "date:2024..2025", "DATE(2024-01-01..2025-12-31)", "OK"},
    {"MonthRange", "date:2024-11..2025-02", "DATE(2024-11-01..2025-02-28)", "OK"},
    {"OpenStart", "date:..2024-06-30", "DATE(..2024-06-30)", "OK"},
    {"OpenEnd", "date:2024-06-01..", "DATE(2024-06-01..)", "OK"},
    {"OneDigitMonthAndDay", "date:2024-3-5", "DATE(2024-03-05..2024-03-05)", "OK"},
    {"GermanDay", "datum:31.12.2024", "DATE(2024-12-31..2024-12-31)", "OK"},
    {"GermanDayRange", "datum:1.1.2024..31.3.2024", "DATE(2024-01-01..2024-03-31)", "OK"},
    {"DateBesideWords", "DeepSeek datum:2025-01 Sprachmodell",
     "BARE(WORD(DeepSeek) DATE(2025-01-01..2025-01-31) WORD(Sprachmodell))", "OK"},
    // Bad dates drop the filter; the rest of the query stays.
    {"BadMonthAndDay", "date:2024-13-45", "BARE() !5", "invalid_input@5", "no month 13"},
    {"BadDateBesideWord", "Wahl date:2024-13-45", "WORD(Wahl) !10", "invalid_input@10",
     "bad date '2024-13-45'"},
    {"NoSuchDay", "date:2023-02-29", "BARE() !5", "invalid_input@5", "has no day 29"},
    {"BackwardRange", "date:2025..2024", "BARE() !5", "invalid_input@5", "ends before it starts"},
    {"RangeWithoutEnds", "date:..", "BARE() !5", "invalid_input@5", "at least one end"},
    {"YearZero", "date:0000", "BARE() !5", "invalid_input@5", "no year 0"},
    {"TwoDigitYear", "date:24", "BARE() !5", "invalid_input@5", "expected 2024"},
    {"WordAsDate", "datum:gestern", "BARE() !6", "invalid_input@6", "expected 2024"},
    {"PrefixAsDate", "date:2024*", "BARE() !5", "invalid_input@5", "bad date"},
    {"GermanMonthOnly", "datum:3.2024", "BARE() !6", "invalid_input@6", "expected 2024"},
    {"TripleRange", "date:2020..2021..2022", "BARE() !5", "invalid_input@5", "bad date"},
    // Issue 16: days are read by common/date.h, as documents' dates are.
    {"ThirtiethOfFebruary", "date:2024-02-30", "BARE() !5", "invalid_input@5",
     "bad date '2024-02-30': February 2024 has no day 30; filter dropped"},
    {"GermanNoLeapDay", "Karneval datum:29.02.2023", "WORD(Karneval) !15", "invalid_input@15",
     "bad date '29.02.2023': February 2023 has no day 29"},
    {"GermanLeapDay", "datum:29.02.2024", "DATE(2024-02-29..2024-02-29)", "OK"},
    {"GermanTwoDigitYear", "datum:1.5.24", "BARE() !6", "invalid_input@6",
     "a two-digit year is ambiguous"},
    {"RangeEndsOnNoDay", "date:2024-04-01..2024-04-31", "BARE() !5", "invalid_input@5",
     "April 2024 has no day 31"},
    {"TimeAfterTheDay", "date:2024-05-01T10:00", "BARE() !5", "invalid_input@5",
     "unexpected \"T10:00\" after the day"},
    // A quoted or bracketed value is no date: the field goes, the text stays.
    {"QuotedDate", "date:\"2024\"", "PHRASE(\"2024\") !0", "invalid_input@0", "takes a date"},
    {"BracketedDate", "date:(2024 2025)", "BARE(WORD(2024) WORD(2025)) !0", "invalid_input@0",
     "takes a date"},
    {"DateWithoutValue", "date: 2024", "WORD(2024) !0", "invalid_input@0", "has no value"},
};
INSTANTIATE_TEST_SUITE_P(Dates, QueryParserTableTest, testing::ValuesIn(kDateRows), RowName);

// Syntax repairs: lenient mode warns and carries on; strict mode names the byte.
const std::vector<Row> kRepairRows = {
    {"UnclosedBracket", "(Chip GPU", "BARE(WORD(Chip) WORD(GPU)) !0", "invalid_input@0",
     "unclosed bracket"},
    {"UnclosedBracketAfterAnd", "Sprach* UND (Chip ODER GPU",
     "AND(PREFIX(Sprach*) OR(WORD(Chip) WORD(GPU))) !12", "invalid_input@12", "unclosed bracket"},
    {"TwoUnclosedBrackets", "((Chip", "WORD(Chip) !0 !1", "invalid_input@0", "unclosed bracket"},
    {"StrayClose", "Chip) GPU", "BARE(WORD(Chip) WORD(GPU)) !4", "invalid_input@4",
     "unmatched ')'"},
    {"StrayCloseAlone", ")", "BARE() !0", "invalid_input@0", "unmatched ')'"},
    {"StrayCloseThenOpen", ")(Chip", "WORD(Chip) !0 !1", "invalid_input@0", "unmatched ')'"},
    {"StrayCloseBeforeHyphen", "Chip)-GPU", "BARE(WORD(Chip) WORD(-GPU)) !4", "invalid_input@4",
     "unmatched ')'"},
    {"EmptyBrackets", "Chip ()", "WORD(Chip) !5", "invalid_input@5", "empty brackets"},
    {"DanglingAnd", "Chip AND", "WORD(Chip) !5", "invalid_input@5", "'AND' without a term"},
    {"LeadingAnd", "UND Chip", "WORD(Chip) !0", "invalid_input@0", "on its left"},
    {"DanglingOr", "Chip ODER", "WORD(Chip) !5", "invalid_input@5", "'ODER' without a term"},
    {"DoubleOr", "Chip ODER ODER GPU", "OR(WORD(Chip) WORD(GPU)) !5", "invalid_input@5",
     "on its right"},
    {"OrBeforeClose", "(Chip ODER) GPU", "BARE(WORD(Chip) WORD(GPU)) !6", "invalid_input@6",
     "on its right"},
    {"AndThenOr", "Chip UND ODER GPU", "OR(WORD(Chip) WORD(GPU)) !5", "invalid_input@5",
     "'UND' without a term"},
    {"NotAlone", "NOT", "BARE() !0", "invalid_input@0", "'NOT' without a term"},
    {"NichtAlone", "NICHT", "BARE() !0", "invalid_input@0", "'NICHT' without a term"},
    {"TrailingNot", "Chip NICHT", "WORD(Chip) !5", "invalid_input@5", "'NICHT' without a term"},
    {"NotInEmptyBrackets", "(NOT)", "BARE() !0 !1", "invalid_input@0", "empty brackets"},
    {"PlusAlone", "+", "BARE() !0", "invalid_input@0", "'+' without a term"},
    {"MinusAlone", "-", "BARE() !0", "invalid_input@0", "'-' without a term"},
    {"PlusBetweenWords", "Regierung + Wahl", "BARE(WORD(Regierung) WORD(Wahl)) !10",
     "invalid_input@10", "'+' without a term"},
    {"MinusAtEnd", "Regierung -", "WORD(Regierung) !10", "invalid_input@10", "'-' without a term"},
    {"MinusBeforeClose", "(Regierung -)", "WORD(Regierung) !11", "invalid_input@11",
     "'-' without a term"},
    {"DoubleMinus", "--Wahl", "BARE(EXCLUDE(WORD(Wahl))) !0", "invalid_input@0",
     "repeated sign '--'"},
    {"PlusMinus", "+-Wahl", "BARE(EXCLUDE(WORD(Wahl))) !0", "invalid_input@0", "repeated sign"},
    {"MinusStar", "-*", "BARE() !1", "invalid_input@1", "'*' without a word"},
    {"MinusEmptyBrackets", "Wahl -()", "WORD(Wahl) !6", "invalid_input@6", "empty brackets"},
    // Several repairs: warnings in byte order; strict reports the first.
    {"SeveralRepairs", "Chip) Überschrift:bar (GPU \"KI",
     "BARE(WORD(Chip) WORD(Überschrift) WORD(bar) "
     "BARE(WORD(GPU) PHRASE(\"KI\"))) !4 !6 !23 !28",
     "invalid_input@4", "unmatched ')'"},
};
INSTANTIATE_TEST_SUITE_P(Repairs, QueryParserTableTest, testing::ValuesIn(kRepairRows), RowName);

// Invalid UTF-8: lenient keeps the bytes (one warning per run), strict refuses.
const std::vector<Row> kUtf8Rows = {
    {"InvalidByteInWord",
     "Sprach\xff"
     "modell",
     "WORD(Sprach\xff"
     "modell) !6",
     "invalid_input@6", "invalid UTF-8 (byte 0xFF)"},
    {"InvalidRunWarnsOnce",
     "Sprach\xfe\xff"
     "modell Chip",
     "BARE(WORD(Sprach\xfe\xff"
     "modell) WORD(Chip)) !6",
     "invalid_input@6", "invalid UTF-8"},
    {"TruncatedSequence", "Gr\xc3", "WORD(Gr\xc3) !2", "invalid_input@2", "byte 0xC3"},
    {"Latin1Umlaut",
     "Gr\xf6\xdf"
     "e",
     "WORD(Gr\xf6\xdf"
     "e) !2",
     "invalid_input@2", "byte 0xF6"},
    {"Surrogate", "\xed\xa0\x80", "WORD(\xed\xa0\x80) !0", "invalid_input@0", "byte 0xED"},
    {"Overlong", "\xc0\xaf", "WORD(\xc0\xaf) !0", "invalid_input@0", "byte 0xC0"},
    {"AboveUnicode", "\xf4\x90\x80\x80", "WORD(\xf4\x90\x80\x80) !0", "invalid_input@0",
     "byte 0xF4"},
    {"InvalidInsidePhrase",
     "\"Gr\xf6\xdf"
     "e\"",
     "PHRASE(\"Gr\xf6\xdf"
     "e\") !3",
     "invalid_input@3", "invalid UTF-8"},
    // A real U+FFFD is valid text, unlike the U+FFFD a decoder makes of a bad byte.
    {"ReplacementCharacterIsValid", "Gr\uFFFD\uFFFDe", "WORD(Gr\uFFFD\uFFFDe)", "OK"},
    {"TwoSeparateRuns", "\xff Chip \xff", "BARE(WORD(\xff) WORD(Chip) WORD(\xff)) !0 !7",
     "invalid_input@0", "invalid UTF-8"},
};
INSTANTIATE_TEST_SUITE_P(Utf8, QueryParserTableTest, testing::ValuesIn(kUtf8Rows), RowName);

// Limits: kLimit in both modes, naming the byte where the limit was crossed.
std::vector<Row> LimitRows() {
  // "w0 w1 ... w(n-1)" with every word 2 or 3 bytes, so offsets are easy to compute.
  const auto words = [](int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += (i ? " w" : "w") + std::to_string(i % 10);
    return out;
  };
  const auto words_tree = [](int n) {
    std::string out = "BARE(";
    for (int i = 0; i < n; ++i) out += (i ? " WORD(w" : "WORD(w") + std::to_string(i % 10) + ")";
    return out + ")";
  };
  return {
      {"TermsAtLimit", "a b c", "BARE(WORD(a) WORD(b) WORD(c))", "OK", "", MaxTerms(3)},
      {"TooManyTerms", "a b c d", "limit@6", "limit@6", "more than 3 terms", MaxTerms(3)},
      {"TooManyPhraseWords", "\"a b c d\"", "limit@7", "limit@7", "max_terms", MaxTerms(3)},
      {"TooManyPrefixes", "a* b* c* d*", "limit@9", "limit@9", "max_terms", MaxTerms(3)},
      {"CategoryIsNoTerm", "a b c kategorie:politik",
       "BARE(WORD(a) WORD(b) WORD(c) CATEGORY(politik))", "OK", "", MaxTerms(3)},
      {"LimitBeatsRepair", "\"a b c d", "limit@7", "limit@7", "max_terms", MaxTerms(3)},
      {"DefaultTermsAtLimit", words(256), words_tree(256), "OK"},
      {"DefaultTooManyTerms", words(257), "limit@768", "limit@768", "more than 256 terms"},
      {"DepthAtLimit", "((a))", "WORD(a)", "OK", "", MaxDepth(2)},
      {"TooDeepBrackets", "(((a)))", "limit@2", "limit@2", "deeper than 2", MaxDepth(2)},
      {"TooDeepNot", "NOT NOT NOT a", "limit@8", "limit@8", "max_depth", MaxDepth(2)},
      {"TitleCountsAsLevel", "title:(a)", "limit@6", "limit@6", "max_depth", MaxDepth(1)},
      {"DefaultDepthAtLimit", Repeat("(", 32) + "a" + Repeat(")", 32), "WORD(a)", "OK"},
      {"DefaultTooDeep", Repeat("(", 33) + "a", "limit@32", "limit@32", "deeper than 32"},
      {"HugeDepthIsCapped", Repeat("(", 1001) + "a", "limit@1000", "limit@1000", "deeper than 1000",
       MaxDepth(5000)},
      {"BytesAtLimit", "Sprachmode", "WORD(Sprachmode)", "OK", "", MaxBytes(10)},
      {"TooLong", "Sprachmodell", "limit@10", "limit@10", "12 bytes", MaxBytes(10)},
      {"DefaultTooLong", Repeat("a", 8193), "limit@8192", "limit@8192", "max_query_bytes"},
  };
}
INSTANTIATE_TEST_SUITE_P(Limits, QueryParserTableTest, testing::ValuesIn(LimitRows()), RowName);

// ---------------------------------------------------------------------------
// Spans: each node printed with the bytes it covers, so an offset error shows
// as the wrong text rather than as a number.

std::string SpanDump(std::string_view query, const QueryNode& node) {
  // In QueryNode::Kind's order.
  static constexpr const char* kNames[] = {"WORD",  "PHRASE", "PREFIX",  "BARE",    "AND",
                                           "OR",    "NOT",    "REQUIRE", "EXCLUDE", "CATEGORY",
                                           "FIELD", "DATE",   "MATCHALL"};
  std::string out = kNames[static_cast<int>(node.kind)];
  out += '{';
  out += query.substr(node.begin, node.end - node.begin);
  out += '}';
  if (!node.children.empty()) {
    out += '(';
    for (std::size_t i = 0; i < node.children.size(); ++i) {
      if (i > 0) out += ' ';
      out += SpanDump(query, *node.children[i]);
    }
    out += ')';
  }
  return out;
}

struct SpanRow {
  std::string name;
  std::string query;
  std::string spans;
};

void PrintTo(const SpanRow& row, std::ostream* os) { *os << row.name << " `" << row.query << "`"; }

class QueryParserSpanTest : public testing::TestWithParam<SpanRow> {};

TEST_P(QueryParserSpanTest, NodesCoverTheirBytes) {
  const SpanRow& row = GetParam();
  const Result<ParsedQuery> parsed = ParseQuery(row.query);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ExpectWellFormed(row.query, parsed.value());
  EXPECT_EQ(SpanDump(row.query, *parsed->root), row.spans);
}

const std::vector<SpanRow> kSpanRows = {
    {"RequireExclude", "+Regierung -Wahl",
     "BARE{+Regierung -Wahl}(REQUIRE{+Regierung}(WORD{Regierung}) EXCLUDE{-Wahl}(WORD{Wahl}))"},
    // Byte offsets, not characters: „ is three bytes, ü two.
    {"GermanPhrase", "„Künstliche Intelligenz“ KI",
     "BARE{„Künstliche Intelligenz“ KI}(PHRASE{„Künstliche Intelligenz“} WORD{KI})"},
    {"FieldPrefixNotInWord", "titel:Österreich kategorie:politik",
     "BARE{Österreich kategorie:politik}(WORD{Österreich} CATEGORY{kategorie:politik})"},
    {"GroupsIncludeBrackets", "Sprach* UND (Chip ODER GPU) NICHT Nvidia",
     "NOT{Sprach* UND (Chip ODER GPU) NICHT Nvidia}(AND{Sprach* UND (Chip ODER GPU)}("
     "PREFIX{Sprach*} OR{(Chip ODER GPU)}(WORD{Chip} WORD{GPU})) WORD{Nvidia})"},
    {"MatchAllIsTheNotKeyword", "NICHT Wahl", "NOT{NICHT Wahl}(MATCHALL{NICHT} WORD{Wahl})"},
    {"DateFilter", "DeepSeek datum:2025",
     "BARE{DeepSeek datum:2025}(WORD{DeepSeek} DATE{datum:2025})"},
    {"MetaFieldFromNameToValue", "Werk author:„Jane Doe“",
     "BARE{Werk author:„Jane Doe“}(WORD{Werk} FIELD{author:„Jane Doe“})"},
    {"BracketedLeafIsJustTheLeaf", "(KI)", "WORD{KI}"},
    {"UnclosedBracket", "(Chip GPU", "BARE{(Chip GPU}(WORD{Chip} WORD{GPU})"},
    {"UnclosedPhrase", "\"Open Source", "PHRASE{\"Open Source}"},
    {"AndChain", "Chip UND GPU UND TPU",
     "AND{Chip UND GPU UND TPU}(WORD{Chip} WORD{GPU} WORD{TPU})"},
    {"AndNot", "Chip UND NICHT Nvidia", "NOT{Chip UND NICHT Nvidia}(WORD{Chip} WORD{Nvidia})"},
    {"TitleGroup", "title:(Chip GPU*)", "BARE{(Chip GPU*)}(WORD{Chip} PREFIX{GPU*})"},
    {"Empty", "   ", "BARE{}"},
};
INSTANTIATE_TEST_SUITE_P(German, QueryParserSpanTest, testing::ValuesIn(kSpanRows),
                         [](const testing::TestParamInfo<SpanRow>& info) {
                           return info.param.name;
                         });

// ---------------------------------------------------------------------------
// Random queries from the metacharacters, German letters and broken UTF-8.
// Lenient must never fail except on a limit, never crash (run it under
// ASan/UBSan), and always return a well-formed tree; strict must agree with
// lenient: OK with the same tree when there were no warnings, otherwise the
// first warning.

TEST(QueryParserRandomTest, LenientNeverFailsAndStrictAgrees) {
  static const std::vector<std::string> kPieces = {" ",
                                                   " ",
                                                   "  ",
                                                   "\t",
                                                   "\u00a0",
                                                   "(",
                                                   ")",
                                                   "\"",
                                                   "„",
                                                   "“",
                                                   "”",
                                                   "»",
                                                   "«",
                                                   "+",
                                                   "-",
                                                   "*",
                                                   ":",
                                                   "..",
                                                   "&",
                                                   "|",
                                                   "AND",
                                                   "OR",
                                                   "NOT",
                                                   "UND",
                                                   "ODER",
                                                   "NICHT",
                                                   "und",
                                                   "oder",
                                                   "title:",
                                                   "titel:",
                                                   "kategorie:",
                                                   "date:",
                                                   "datum:",
                                                   "foo:",
                                                   "https://",
                                                   "2024",
                                                   "-01",
                                                   "13",
                                                   "a",
                                                   "Z",
                                                   "ä",
                                                   "ö",
                                                   "ü",
                                                   "ß",
                                                   "Ü",
                                                   "KI",
                                                   "Chip",
                                                   "€",
                                                   "🤖",
                                                   "\xff",
                                                   "\xc3",
                                                   "\x80",
                                                   "\xed\xa0\x80",
                                                   "\xf4\x90\x80\x80",
                                                   "\xe2\x80",
                                                   "\xc0\xaf",
                                                   std::string(1, '\0')};
  std::mt19937 rng(20250127);  // fixed: a failure must be reproducible
  std::uniform_int_distribution<std::size_t> piece(0, kPieces.size() - 1);
  std::uniform_int_distribution<int> length(0, 40);
  QueryParserLimits tight;
  tight.max_query_bytes = 100;
  tight.max_terms = 6;
  tight.max_depth = 3;
  int limited = 0, warned = 0, clean = 0;
  for (int iteration = 0; iteration < 2000; ++iteration) {
    std::string query;
    for (int n = length(rng); n > 0; --n) query += kPieces[piece(rng)];
    // Every fourth query runs against tight limits, so the limit paths get exercised too.
    const QueryParserLimits limits = iteration % 4 == 3 ? tight : QueryParserLimits{};
    SCOPED_TRACE("iteration " + std::to_string(iteration) + ", query `" + query + "`");

    const Result<ParsedQuery> lenient = ParseQuery(query, ParseMode::kLenient, limits);
    const Result<ParsedQuery> strict = ParseQuery(query, ParseMode::kStrict, limits);
    if (!lenient.ok()) {
      ++limited;
      ASSERT_EQ(lenient.status().code(), Status::Code::kLimit) << lenient.status().ToString();
      const std::string offset = OffsetOf(lenient.status().message());
      ASSERT_EQ(offset.find_first_not_of("0123456789"), std::string::npos) << offset;
      EXPECT_LE(std::stoul(offset), std::max<std::size_t>(query.size(), limits.max_query_bytes));
      EXPECT_EQ(strict.status().ToString(), lenient.status().ToString());
      continue;
    }
    ExpectWellFormed(query, lenient.value());
    if (HasFatalFailure()) return;
    if (lenient->warnings.empty()) {
      ++clean;
      ASSERT_TRUE(strict.ok()) << strict.status().ToString();
      EXPECT_EQ(strict->root->ToString(), lenient->root->ToString());
    } else {
      ++warned;
      ASSERT_FALSE(strict.ok());
      const ParseWarning& first = lenient->warnings.front();
      EXPECT_EQ(strict.status().code(), Status::Code::kInvalidInput);
      EXPECT_EQ(strict.status().message(),
                "at byte " + std::to_string(first.offset) + ": " + first.message);
    }
  }
  // The generator is only useful if it reaches all three outcomes.
  EXPECT_GT(limited, 0);
  EXPECT_GT(warned, 0);
  EXPECT_GT(clean, 0);
}

}  // namespace
}  // namespace findling
