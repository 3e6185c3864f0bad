#include "tests/test_util.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <thread>

#include "common/utf8.h"

namespace findling::testing {

void CheckTokenInvariants(std::string_view input, const std::vector<Token>& tokens) {
  std::uint32_t last_word_position = 0;
  bool seen_word = false;
  std::uint32_t last_position = 0;
  for (const Token& t : tokens) {
    SCOPED_TRACE(DebugString(t));
    EXPECT_FALSE(t.form.empty());
    EXPECT_LT(t.start, t.end);
    EXPECT_LE(t.end, input.size());
    EXPECT_EQ(AlignToCodePoint(input, t.start), t.start) << "start splits a code point";
    if (t.end < input.size()) {
      EXPECT_EQ(AlignToCodePoint(input, t.end), t.end) << "end splits a code point";
    }
    EXPECT_GE(t.position_length, 1u);
    EXPECT_GE(t.position, last_position) << "positions decrease";
    last_position = t.position;
    if (t.role == TokenRole::kWord) {
      if (seen_word) {
        EXPECT_GT(t.position, last_word_position) << "word does not advance";
      }
      last_word_position = t.position;
      seen_word = true;
    }
  }
}

std::string Dump(std::string_view input, const std::vector<Token>& tokens) {
  CheckTokenInvariants(input, tokens);
  std::string out;
  for (const Token& t : tokens) {
    if (!out.empty()) out += ' ';
    out += DebugString(t);
  }
  return out;
}

std::string SourceDir() { return FINDLING_SOURCE_DIR; }
std::string SharedDir() { return FINDLING_SHARED_DIR; }
std::string LexiconPath() { return std::string(FINDLING_BINARY_DIR) + "/german-compounds.lex"; }
bool HaveLexicon() { return std::filesystem::exists(LexiconPath()); }

void UseBuildLexicon() {
  if (HaveLexicon()) setenv("FINDLING_LEXICON", LexiconPath().c_str(), 1);
}

Analyzer& SharedAnalyzer() {
  static std::unique_ptr<Analyzer> analyzer = [] {
    AnalyzerOptions options;
    options.decompound = HaveLexicon();
    options.lexicon_path = LexiconPath();
    auto created = Analyzer::Create(options);
    if (!created.ok()) {
      ADD_FAILURE() << created.status().ToString();
      options.decompound = false;
      created = Analyzer::Create(options);
    }
    return std::move(created).value();
  }();
  return *analyzer;
}

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  path_ = (std::filesystem::temp_directory_path() /
           ("findling-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + "-" +
            std::to_string(rd() % 100000)))
              .string();
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::File(const std::string& name, std::string_view content) const {
  const std::filesystem::path p = std::filesystem::path(path_) / name;
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
  return p.string();
}

namespace {

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

CommandResult RunTool(const std::string& tool, const std::vector<std::string>& args,
                      const std::string& stdin_text) {
  TempDir io;
  const std::string in = io.File("stdin", stdin_text);
  std::string cmd = ShellQuote(std::string(FINDLING_BINARY_DIR) + "/" + tool);
  for (const auto& a : args) cmd += " " + ShellQuote(a);
  cmd += " <" + ShellQuote(in) + " >" + ShellQuote(io.path() + "/out") + " 2>" +
         ShellQuote(io.path() + "/err");
  const int status = std::system(cmd.c_str());
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadAll(io.path() + "/out");
  r.err = ReadAll(io.path() + "/err");
  return r;
}

pid_t SpawnTool(const std::string& tool, const std::vector<std::string>& args) {
  const std::string exe = std::string(FINDLING_BINARY_DIR) + "/" + tool;
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(exe.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    const int null = open("/dev/null", O_RDWR);
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2);
    execv(exe.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

int TerminateChild(pid_t pid, const std::string& name, std::chrono::milliseconds grace) {
  kill(pid, SIGTERM);
  int status = 0;
  // Polled every 50 ms rather than a blocking waitpid: a child that ignores
  // SIGTERM must not hang the test.
  const auto end = std::chrono::steady_clock::now() + grace;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() >= end) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      ADD_FAILURE() << name << " did not stop within " << grace.count() << " ms of SIGTERM";
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return status;
}

int RunToolKilledAfter(const std::string& tool, const std::vector<std::string>& args,
                       std::chrono::milliseconds delay) {
  const pid_t pid = SpawnTool(tool, args);
  if (pid <= 0) return -1;
  std::this_thread::sleep_for(delay);
  int status = 0;
  if (waitpid(pid, &status, WNOHANG) == 0) {
    kill(pid, SIGKILL);
    if (waitpid(pid, &status, 0) != pid) return -1;
  }
  return status;
}

std::vector<Hit> SearchHits(const std::string& db, const std::string& query,
                            const SearcherOptions& options) {
  auto searcher = Searcher::Open({db}, options);
  EXPECT_TRUE(searcher.ok()) << searcher.status().ToString();
  if (!searcher.ok()) return {};
  SearchRequest request;
  request.query = query;
  request.snippets = false;
  auto response = searcher.value()->Search(request);
  EXPECT_TRUE(response.ok()) << response.status().ToString();
  return response.ok() ? response->hits : std::vector<Hit>{};
}

std::vector<std::string> HitIds(const std::vector<Hit>& hits) {
  std::vector<std::string> ids;
  for (const Hit& h : hits) ids.push_back(h.id);
  return ids;
}

}  // namespace findling::testing
