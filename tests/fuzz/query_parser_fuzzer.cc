// Fuzzes ParseQuery and the QueryBuilder behind it with arbitrary query
// strings (what a search box or a server request delivers).
//
// Checked, from searcher/query_parser.h:
//  - lenient mode fails only on a limit (kLimit, "at byte N: ..."), and then
//    strict mode fails with the same status;
//  - strict mode is OK exactly when lenient mode has no warnings, returns the
//    same tree then, and otherwise the first warning "at byte N: message";
//  - the tree has the promised shape and spans (as in query_parser_test.cc);
//  - warnings are sorted by offset and lie inside the query;
//  - the QueryBuilder turns every lenient tree into a Xapian query, failing
//    only with kLimit (too many wildcards, or in strict mode one expanding
//    past its share of a small vocabulary).
//
// Input: byte 0 picks the limits (default, or tight ones so the limit paths
// run as often as the rest), the remainder is the query. Capped at 9 KiB,
// just above the default 8 KiB query cap so that cap is hit too.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "searcher/query_builder.h"
#include "searcher/query_parser.h"
#include "tests/fuzz/fuzz_util.h"

namespace findling {
namespace {

using Kind = QueryNode::Kind;

bool IsDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

// "at byte N: ..." with N <= max_offset.
bool HasOffset(const std::string& message, std::size_t max_offset) {
  constexpr std::string_view kPrefix = "at byte ";
  if (message.rfind(kPrefix, 0) != 0) return false;
  std::size_t i = kPrefix.size(), n = 0;
  if (i >= message.size() || message[i] < '0' || message[i] > '9') return false;
  for (; i < message.size() && message[i] >= '0' && message[i] <= '9'; ++i) {
    n = n * 10 + static_cast<std::size_t>(message[i] - '0');
    if (n > max_offset) return false;
  }
  return message.compare(i, 2, ": ") == 0;
}

void CheckNode(std::string_view query, const QueryNode& node, const QueryNode* parent, bool is_root,
               std::uint32_t depth) {
  const std::string at = node.ToString() + " [" + std::to_string(node.begin) + "," +
                         std::to_string(node.end) + ") in `" + std::string(query) + "`";
  FUZZ_CHECK(depth <= 2100, at + " absurdly deep tree");
  FUZZ_CHECK(node.begin <= node.end && node.end <= query.size(), at);
  const std::string_view span = query.substr(node.begin, node.end - node.begin);
  const std::size_t n = node.children.size();
  if (node.field == QueryField::kTitle) {
    FUZZ_CHECK(node.kind == Kind::kWord || node.kind == Kind::kPhrase || node.kind == Kind::kPrefix,
               at);
  }
  switch (node.kind) {
    case Kind::kWord:
      FUZZ_CHECK(n == 0 && !node.text.empty() && span == node.text, at);
      break;
    case Kind::kPrefix:
      FUZZ_CHECK(n == 0 && !node.text.empty() && span.size() > node.text.size(), at);
      FUZZ_CHECK(span.substr(0, node.text.size()) == node.text, at);
      FUZZ_CHECK(span.substr(node.text.size()).find_first_not_of('*') == std::string_view::npos,
                 at);
      break;
    case Kind::kPhrase:
    case Kind::kCategory:
    case Kind::kField:
      FUZZ_CHECK(n == 0 && !node.text.empty(), at);
      FUZZ_CHECK(span.find(node.text) != std::string_view::npos, at);
      break;
    case Kind::kDateRange:
      FUZZ_CHECK(n == 0, at);
      FUZZ_CHECK(node.date_from.empty() || IsDate(node.date_from), at);
      FUZZ_CHECK(node.date_to.empty() || IsDate(node.date_to), at);
      FUZZ_CHECK(!node.date_from.empty() || !node.date_to.empty(), at);
      FUZZ_CHECK(node.date_from.empty() || node.date_to.empty() || node.date_from <= node.date_to,
                 at);
      break;
    case Kind::kMatchAll:
      FUZZ_CHECK(n == 0 && parent != nullptr && parent->kind == Kind::kNot &&
                     parent->children[0].get() == &node,
                 at);
      break;
    case Kind::kBare:
      FUZZ_CHECK(n > 0 || is_root, at + " empty BARE below the root");
      FUZZ_CHECK(n != 1 || node.children[0]->kind == Kind::kRequire ||
                     node.children[0]->kind == Kind::kExclude,
                 at + " BARE with one plain child");
      break;
    case Kind::kAnd:
    case Kind::kOr:
      FUZZ_CHECK(n >= 2, at);
      break;
    case Kind::kNot:
      FUZZ_CHECK(n == 2, at);
      break;
    case Kind::kRequire:
    case Kind::kExclude:
      FUZZ_CHECK(n == 1 && parent != nullptr && parent->kind == Kind::kBare, at);
      break;
  }
  std::uint32_t previous_end = node.begin;
  for (const auto& child : node.children) {
    FUZZ_CHECK(child != nullptr, at);
    FUZZ_CHECK(child->begin >= previous_end && child->end <= node.end,
               at + " child out of order or outside: " + child->ToString());
    previous_end = child->end;
    CheckNode(query, *child, &node, false, depth + 1);
  }
}

// A few exact and title forms, so that wildcards expand (and strict ones
// can run past their share).
class SmallVocabulary : public Vocabulary {
 public:
  void ForEachTerm(const std::string& prefix, const Visit& visit) const override {
    using Terms = std::vector<std::pair<std::string, Xapian::doccount>>;
    static const Terms kTerms = [] {
      Terms t = {{"Eakte", 1},         {"Eakten", 3},       {"Eaktie", 1}, {"Eaktien", 2},
                 {"Eaktion", 2},       {"Ea", 5},           {"Ehaus", 4},  {"Ehäuser", 2},
                 {"Esprachmodell", 1}, {"Ssprachmodell", 1}};
      std::sort(t.begin(), t.end());  // the term list's byte order
      return t;
    }();
    for (const auto& [term, freq] : kTerms) {
      if (term.compare(0, prefix.size(), prefix) == 0 && !visit(term, freq)) return;
    }
  }
};

QueryBuilder& SharedBuilder() {
  static SmallVocabulary vocabulary;
  static QueryBuilder builder(fuzz::SharedAnalyzer(), vocabulary, QueryWeights{});
  return builder;
}

}  // namespace
}  // namespace findling

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace findling;
  std::string_view input;
  if (size < 1 || !fuzz::Capped(data, size, 9 << 10, &input)) return -1;
  QueryParserLimits limits;
  if (input[0] & 1) {
    limits.max_query_bytes = 200;
    limits.max_terms = 8;
    limits.max_depth = 4;
  }
  const std::string_view query = input.substr(1);
  const std::size_t max_offset = std::max<std::size_t>(query.size(), limits.max_query_bytes);

  const Result<ParsedQuery> lenient = ParseQuery(query, ParseMode::kLenient, limits);
  const Result<ParsedQuery> strict = ParseQuery(query, ParseMode::kStrict, limits);
  if (!lenient.ok()) {
    FUZZ_CHECK(lenient.status().code() == Status::Code::kLimit,
               "lenient mode failed: " + lenient.status().ToString());
    FUZZ_CHECK(HasOffset(lenient.status().message(), max_offset), lenient.status().message());
    FUZZ_CHECK(strict.status().ToString() == lenient.status().ToString(),
               "strict: " + strict.status().ToString());
    return 0;
  }
  const ParsedQuery& parsed = lenient.value();
  FUZZ_CHECK(parsed.root != nullptr, "null root");
  CheckNode(query, *parsed.root, nullptr, true, 0);
  for (std::size_t i = 0; i < parsed.warnings.size(); ++i) {
    const ParseWarning& w = parsed.warnings[i];
    FUZZ_CHECK(w.offset <= query.size() && !w.message.empty(), w.message);
    FUZZ_CHECK(i == 0 || parsed.warnings[i - 1].offset <= w.offset, "warnings not sorted");
  }
  if (parsed.warnings.empty()) {
    FUZZ_CHECK(strict.ok(), "no warnings, but strict failed: " + strict.status().ToString());
    FUZZ_CHECK(strict->root->ToString() == parsed.root->ToString(), "strict tree differs");
  } else {
    FUZZ_CHECK(!strict.ok(), "warnings, but strict accepted");
    const ParseWarning& first = parsed.warnings.front();
    FUZZ_CHECK(strict.status().code() == Status::Code::kInvalidInput, strict.status().ToString());
    FUZZ_CHECK(strict.status().message() ==
                   "at byte " + std::to_string(first.offset) + ": " + first.message,
               strict.status().message());
  }

  // The builder gets every tree the parser hands out.
  for (const bool strict_build : {false, true}) {
    const std::uint32_t max_expansion = (input[0] & 2) ? 2 : 1000;
    const Result<BuiltQuery> built =
        SharedBuilder().Build(*parsed.root, {.max_wildcard_expansion = max_expansion,
                                             .all_words_first_max = 6,
                                             .strict = strict_build});
    // kLimit: more than 8 wildcards, or (strict) one expanding too far.
    FUZZ_CHECK(built.ok() || built.status().code() == Status::Code::kLimit,
               "QueryBuilder failed: " + built.status().ToString());
  }
  return 0;
}
