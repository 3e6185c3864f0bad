#include "common/data_files.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

// The installed data folder, set by common/CMakeLists.txt from GNUInstallDirs.
#ifndef FINDLING_DATA_DIR
#define FINDLING_DATA_DIR ""
#endif

namespace findling {

namespace fs = std::filesystem;

std::vector<DataCandidate> DataFileCandidates(std::string_view file_name,
                                              const DataSearch& search) {
  // An explicit choice is the only candidate: falling back from a path the
  // user named would hide a typo behind another lexicon.
  if (!search.explicit_path.empty()) return {{search.explicit_path, "--lexicon"}};
  if (!search.env_path.empty()) return {{search.env_path, "$FINDLING_LEXICON"}};

  std::vector<DataCandidate> candidates;
  auto add = [&](const fs::path& dir, const char* origin) {
    const std::string path = (dir / file_name).lexically_normal().string();
    const bool seen = std::any_of(candidates.begin(), candidates.end(),
                                  [&](const DataCandidate& c) { return c.path == path; });
    if (!seen) candidates.push_back({path, origin});
  };
  if (!search.executable.empty()) {
    const fs::path dir = fs::path(search.executable).parent_path();
    add(dir, "beside the executable");
    add(dir.parent_path(), "above the executable");
    add(dir.parent_path() / "share" / "findling", "data folder relative to the executable");
  }
  if (!search.data_dir.empty()) add(search.data_dir, "installed data folder");
  return candidates;
}

Result<std::string> FindDataFile(std::string_view file_name, std::string_view what,
                                 const DataSearch& search) {
  const std::vector<DataCandidate> candidates = DataFileCandidates(file_name, search);
  std::string tried;
  for (const DataCandidate& c : candidates) {
    std::error_code ec;
    if (fs::is_regular_file(c.path, ec)) return c.path;
    tried += (tried.empty() ? "" : ", ") + c.path + " (" + c.origin + ")";
  }
  std::string message = std::string(what) + " " + std::string(file_name) + " not found; tried " +
                        (tried.empty() ? std::string("nowhere") : tried);
  message +=
      ". Give one with --lexicon or $FINDLING_LEXICON, build one with findling-lexicon, or turn "
      "compound splitting off (findling-index --no-decompound)";
  return Status::NotFound(std::move(message));
}

DataSearch LexiconSearchForThisProcess(std::string explicit_path) {
  DataSearch search;
  search.explicit_path = std::move(explicit_path);
  if (const char* env = std::getenv("FINDLING_LEXICON"); env != nullptr) search.env_path = env;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) search.executable = exe.string();
  search.data_dir = FINDLING_DATA_DIR;
  return search;
}

Result<std::string> FindLexicon(std::string explicit_path) {
  return FindDataFile(kLexiconFileName, "compound lexicon",
                      LexiconSearchForThisProcess(std::move(explicit_path)));
}

}  // namespace findling
