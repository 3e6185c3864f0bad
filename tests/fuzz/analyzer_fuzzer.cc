// Fuzzes the analyzer with arbitrary bytes (document text and search boxes
// both reach it unchecked): the Token invariants hold in every mode, query
// mode equals document mode, and a warm analyzer (stem cache, reused
// buffers) answers exactly like a fresh clone.
//
// Input: byte 0 picks the first position (so offsets far from 0 are
// covered), the rest is the text. Capped at 16 KiB: longer texts only
// repeat what the segmenter and the stages already saw.
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/fuzz_util.h"

namespace findling {
namespace {

std::string DumpAll(const std::vector<Token>& tokens) {
  std::string out;
  for (const Token& t : tokens) out += DebugString(t) + " ";
  return out;
}

}  // namespace
}  // namespace findling

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace findling;
  std::string_view input;
  if (size < 1 || !fuzz::Capped(data, size, 16 << 10, &input)) return -1;
  const std::uint32_t first_position = static_cast<std::uint8_t>(input[0]) * 1000u;
  const std::string_view text = input.substr(1);

  Analyzer& analyzer = fuzz::SharedAnalyzer();
  const std::vector<Token> document =
      analyzer.Analyze(text, AnalysisMode::kDocument, first_position);
  fuzz::CheckTokens(text, document, first_position, AnalysisMode::kDocument);
  const std::vector<Token> query = analyzer.Analyze(text, AnalysisMode::kQuery, first_position);
  FUZZ_CHECK(DumpAll(query) == DumpAll(document), "query mode differs from document mode");
  const std::vector<Token> prefix = analyzer.Analyze(text, AnalysisMode::kPrefix, first_position);
  fuzz::CheckTokens(text, prefix, first_position, AnalysisMode::kPrefix);

  // AnalyzeInto appends and returns a free position after everything it added.
  std::vector<Token> appended = {Token{"x", "x", 0, 1, 0, 1, TokenRole::kWord}};
  const std::uint32_t next =
      analyzer.AnalyzeInto(text, AnalysisMode::kDocument, first_position, appended);
  FUZZ_CHECK(appended.size() == document.size() + 1, "AnalyzeInto lost or added tokens");
  for (const Token& t : document) FUZZ_CHECK(t.position < next, "next position is not free");

  const std::unique_ptr<Analyzer> fresh = analyzer.Clone();  // no cache, no history
  FUZZ_CHECK(
      DumpAll(fresh->Analyze(text, AnalysisMode::kDocument, first_position)) == DumpAll(document),
      "a fresh analyzer disagrees with the warm one");
  return 0;
}
