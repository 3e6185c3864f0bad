// Small helpers the three command-line programs share.
#pragma once

#include <cstdlib>
#include <string>

namespace findling {

// The index folder when --db is not given: $FINDLING_DB, else ./findling.db.
inline std::string DefaultDbPath() {
  const char* env = std::getenv("FINDLING_DB");
  return env != nullptr && *env != '\0' ? env : "findling.db";
}

// --help of --lexicon, the same in every program; the order is the one of
// common/data_files.h.
inline constexpr char kLexiconOptionHelp[] =
    "Compound lexicon (default: $FINDLING_LEXICON, else german-compounds.lex beside the program, "
    "above it, in ../share/findling/ relative to it, or in the installed data folder; a "
    "missing one is an error naming every place tried)";

// Exit codes scripts can rely on, the same in all programs.
enum ExitCode : int {
  kExitOk = 0,          // success (search: at least one hit)
  kExitNoResult = 1,    // search: no hits; index: some inputs were skipped
  kExitUsage = 2,       // bad command line or query syntax (--strict)
  kExitFailure = 3,     // index missing or incompatible, I/O failure
  kExitInterrupted = 130,
};

}  // namespace findling
