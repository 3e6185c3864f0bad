// Helpers shared by the libFuzzer targets in this folder.
//
// A fuzz target has no test framework around it: a broken promise must end
// the process so that libFuzzer records the input. FUZZ_CHECK prints what
// was expected and aborts; ASan/UBSan end it the same way for memory and
// undefined-behaviour errors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/analyzer.h"
#include "common/token.h"

// Aborts with `what` (an expression or explanation) and the failing line.
#define FUZZ_CHECK(cond, what)                                                         \
  do {                                                                                 \
    if (!(cond)) ::findling::fuzz::Fail(__FILE__, __LINE__, #cond, std::string(what)); \
  } while (0)

namespace findling::fuzz {

[[noreturn]] void Fail(const char* file, int line, const char* cond, const std::string& what);

// The fuzzer's input as text, or nothing when it is longer than `cap`.
// Every target caps its input: a parser is linear at best, and libFuzzer
// would otherwise spend its time (and its -timeout) on megabyte inputs that
// find nothing a few kilobytes would not.
inline bool Capped(const std::uint8_t* data, std::size_t size, std::size_t cap,
                   std::string_view* out) {
  if (size > cap) return false;
  *out = std::string_view(reinterpret_cast<const char*>(data), size);
  return true;
}

// The analyzer the production binaries use: german2, hyphen joining, and
// decompounding with the lexicon the fuzz build made (FINDLING_BINARY_DIR),
// or $FINDLING_LEXICON. Without a lexicon, decompounding is off and a note
// goes to stderr once. Created on first use, shared for the process.
Analyzer& SharedAnalyzer();

// Checks the Token invariants of common/token.h for `tokens`, the result of
// analysing `input` starting at `first_position`; aborts on a violation.
void CheckTokens(std::string_view input, const std::vector<Token>& tokens,
                 std::uint32_t first_position, AnalysisMode mode);

}  // namespace findling::fuzz
