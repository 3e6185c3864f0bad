// Data files: where Findling looks for the files it needs at run time (today
// the compound lexicon, german-compounds.lex), in one documented order.
//
// The order, first match wins:
//   1. --lexicon PATH (AnalyzerOptions::lexicon_path)      taken as given
//   2. $FINDLING_LEXICON                                    taken as given
//   3. beside the running executable                        the build folder: build/
//   4. the folder above the executable                      build/tests/ test programs
//   5. ../share/findling/ relative to the executable        an install tree wherever it
//                                                           is: /usr/share/findling for
//                                                           the package's /usr/bin, or a
//                                                           tree unpacked with dpkg -x
//   6. the installed data folder of the configured prefix   CMAKE_INSTALL_FULL_DATADIR,
//                                                           /usr/local/share/findling
//                                                           by default
// A path given explicitly (1, 2) that does not exist is an error, not a reason
// to fall back: a different lexicon would silently give different terms.
// Places 3-6 are searched in order; duplicates are tried once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace findling {

inline constexpr char kLexiconFileName[] = "german-compounds.lex";

// The inputs of a lookup, so that a test can give each of them.
struct DataSearch {
  std::string explicit_path;  // --lexicon; "" when not given
  std::string env_path;       // the value of $FINDLING_LEXICON; "" when unset
  std::string executable;     // absolute path of the running program; "" if unknown
  std::string data_dir;       // the installed data folder; "" for none
};

// One place a data file is looked for, and why it is looked for there.
struct DataCandidate {
  std::string path;
  std::string origin;  // "--lexicon", "$FINDLING_LEXICON", "beside the executable", ...
};

// The places `file_name` is looked for, in the order above. Pure: touches no file.
std::vector<DataCandidate> DataFileCandidates(std::string_view file_name, const DataSearch& search);

// The first candidate that is a regular file, or kNotFound whose message names
// `what` and every place tried with its origin.
Result<std::string> FindDataFile(std::string_view file_name, std::string_view what,
                                 const DataSearch& search);

// The lookup for this process: $FINDLING_LEXICON, /proc/self/exe and the data
// folder this build was configured to install to.
DataSearch LexiconSearchForThisProcess(std::string explicit_path);

// FindDataFile() of the lexicon for this process.
Result<std::string> FindLexicon(std::string explicit_path);

}  // namespace findling
