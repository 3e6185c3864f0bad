#include "tests/fuzz/fuzz_util.h"

#include <filesystem>

#include "common/utf8.h"

namespace findling::fuzz {

void Fail(const char* file, int line, const char* cond, const std::string& what) {
  std::fprintf(stderr, "%s:%d: FUZZ_CHECK(%s) failed: %s\n", file, line, cond, what.c_str());
  std::abort();
}

Analyzer& SharedAnalyzer() {
  static std::unique_ptr<Analyzer> analyzer = [] {
    AnalyzerOptions options;
    options.lexicon_path = DefaultLexiconPath();
    if (options.lexicon_path.empty()) {
      // The fuzz binaries live in build-fuzz/tests/fuzz, not beside the lexicon.
      const std::string built = std::string(FINDLING_BINARY_DIR) + "/german-compounds.lex";
      if (std::filesystem::exists(built)) options.lexicon_path = built;
    }
    if (options.lexicon_path.empty()) {
      std::fprintf(stderr, "fuzz: no compound lexicon found; fuzzing without decompounding\n");
      options.decompound = false;
    }
    auto created = Analyzer::Create(options);
    FUZZ_CHECK(created.ok(), created.status().ToString());
    return std::move(created).value();
  }();
  return *analyzer;
}

namespace {

// Which offsets of `input` start a code point when it is decoded from the
// front, an invalid byte counting as one (as DecodeUtf8 does). Unlike
// AlignToCodePoint, a stray continuation byte after ASCII starts its own
// unit: a token may end right before it without splitting anything.
std::vector<bool> Boundaries(std::string_view input) {
  std::vector<bool> at(input.size() + 1, false);
  for (std::size_t i = 0; i < input.size();) {
    at[i] = true;
    DecodeUtf8(input, i);
  }
  at[input.size()] = true;
  return at;
}

}  // namespace

void CheckTokens(std::string_view input, const std::vector<Token>& tokens,
                 std::uint32_t first_position, AnalysisMode mode) {
  const std::vector<bool> boundary = Boundaries(input);
  bool seen_word = false;
  std::uint32_t last_word = 0, last_position = first_position;
  for (const Token& t : tokens) {
    const std::string at = DebugString(t);
    FUZZ_CHECK(!t.form.empty(), at);
    FUZZ_CHECK(!t.stem.empty(), at);
    FUZZ_CHECK(t.start < t.end && t.end <= input.size(), at + " offsets outside the input");
    FUZZ_CHECK(boundary[t.start], at + " start splits a code point");
    FUZZ_CHECK(boundary[t.end], at + " end splits a code point");
    FUZZ_CHECK(t.position_length >= 1, at);
    FUZZ_CHECK(t.position >= last_position, at + " position decreases");
    last_position = t.position;
    if (t.role == TokenRole::kWord) {
      FUZZ_CHECK(!seen_word || t.position > last_word, at + " word does not advance");
      last_word = t.position;
      seen_word = true;
    } else {
      // A variant is colocated with a word before it.
      FUZZ_CHECK(seen_word, at + " variant without a word");
    }
    if (mode == AnalysisMode::kPrefix) {
      // Hyphen groups are joined in prefix mode too ("KI-Chip*" is matched
      // in its joined form); compounds are never split.
      FUZZ_CHECK(t.role != TokenRole::kPart, at + " prefix mode split a compound");
      FUZZ_CHECK(t.form == t.stem, at + " prefix mode stemmed");
    }
  }
}

}  // namespace findling::fuzz
