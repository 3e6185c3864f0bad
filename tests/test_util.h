// Helpers shared by the tests: token checks, temporary folders, running the
// real executables, searching a test index.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "common/analyzer.h"
#include "common/token.h"
#include "searcher/searcher.h"

namespace findling::testing {

// Asserts the Token invariants (common/token.h) for `tokens` produced from
// `input`: offsets inside the input on code point boundaries, positions
// never decreasing, words advancing, lengths >= 1.
void CheckTokenInvariants(std::string_view input, const std::vector<Token>& tokens);

// "form/stem@pos[start,end) ..." for all tokens, after checking invariants.
std::string Dump(std::string_view input, const std::vector<Token>& tokens);

// The analyzer every test uses: german2, hyphen joining, and compound
// splitting when the lexicon was built (see HaveLexicon()).
Analyzer& SharedAnalyzer();
bool HaveLexicon();
std::string LexiconPath();  // FINDLING_BINARY_DIR/german-compounds.lex
// Sets $FINDLING_LEXICON to LexiconPath() when the lexicon was built, so
// that the programs a test runs and an in-process Searcher or server find it
// (a test binary does not sit beside an installed one). Not thread-safe
// (setenv): call it before starting threads, e.g. in SetUpTestSuite.
void UseBuildLexicon();

// A fresh empty folder under the system temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name, std::string_view content) const;  // writes, returns path

 private:
  std::string path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs a program from the build folder (e.g. "findling-index") with `args`
// (shell-quoted here) and optional stdin text; captures both streams.
CommandResult RunTool(const std::string& tool, const std::vector<std::string>& args,
                      const std::string& stdin_text = "");

// Starts a program from the build folder with `args`, its standard streams
// on /dev/null, without waiting; returns its pid (-1 when fork failed). For
// tests that kill a run part-way; the caller reaps it with waitpid().
pid_t SpawnTool(const std::string& tool, const std::vector<std::string>& args);

// Sends SIGTERM to the child `pid` and waits up to `grace` for it to exit.
// If it has not, kills it (SIGKILL), reaps it and adds a test failure naming
// `name`. Returns the wait status (for WIFEXITED/WEXITSTATUS).
int TerminateChild(pid_t pid, const std::string& name,
                   std::chrono::milliseconds grace = std::chrono::seconds(5));

// Starts `tool` with `args` (as SpawnTool) and kills it with SIGKILL after
// `delay` unless it has exited by then: the crash-safety tests' interrupted
// run. Returns its wait status (WIFSIGNALED: killed mid-run), or -1 when it
// could not be started or reaped.
int RunToolKilledAfter(const std::string& tool, const std::vector<std::string>& args,
                       std::chrono::milliseconds delay);

std::string SourceDir();
std::string SharedDir();

// The hits of `query` on the index at `db` opened with `options`, snippets
// off, the request's default limit. A failure to open or to search fails the
// calling test (EXPECT) and gives no hits.
std::vector<Hit> SearchHits(const std::string& db, const std::string& query,
                            const SearcherOptions& options = {});

// The ids of `hits`, in their order.
std::vector<std::string> HitIds(const std::vector<Hit>& hits);

}  // namespace findling::testing
