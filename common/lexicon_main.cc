// findling-lexicon: builds the decompounder's lexicon file from Debian's German word lists.
//
//   findling-lexicon --output build/german-compounds.lex
//                    [--words /usr/share/dict/ngerman]
//                    [--dic /usr/share/hunspell/de_DE.dic --aff /usr/share/hunspell/de_DE.aff]
//
// Prints one summary line and exits 0, or prints the reason and exits 1. The build runs it once
// at set-up (see common/CMakeLists.txt); the analyzer only loads the result.
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "common/decompounder.h"
#include "common/lexicon_format.h"
#include "common/status.h"

int main(int argc, char** argv) {
  findling::LexiconSources sources;
  std::string output;
  CLI::App app{"Builds the German decompounding lexicon for Findling."};
  app.add_option("--output", output, "Lexicon file to write")->required();
  app.add_option("--words", sources.word_list, "Plain word list, one word a line")
      ->capture_default_str();
  app.add_option("--dic", sources.hunspell_dic, "hunspell .dic (optional)")->capture_default_str();
  app.add_option("--aff", sources.hunspell_aff, "hunspell .aff (optional)")->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 1;  // --help is a success; anything else exits 1, as promised
  }

  const auto start = std::chrono::steady_clock::now();
  std::size_t entries = 0;
  std::vector<std::string> warnings;
  const findling::Status status =
      findling::lexicon_internal::BuildLexiconReport(sources, output, &entries, &warnings);
  for (const std::string& w : warnings) {
    std::fprintf(stderr, "findling-lexicon: warning: %s\n", w.c_str());
  }
  if (!status.ok()) {
    std::fprintf(stderr, "findling-lexicon: %s\n", status.ToString().c_str());
    return 1;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  struct stat st {};
  stat(output.c_str(), &st);
  std::printf("findling-lexicon: wrote %s: %zu entries, %lld bytes, %.2f s\n", output.c_str(),
              entries, static_cast<long long>(st.st_size), seconds);
  return 0;
}
