#include "common/folder_bytes.h"

#include <filesystem>
#include <system_error>

namespace findling {

// Sizes are reported, not acted on (stats, a "before -> after" line), so an
// error is a smaller figure rather than a failure: the non-throwing
// std::filesystem overloads throughout.
std::uint64_t FolderBytes(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec) return 0;
  if (fs::is_regular_file(status)) {
    const auto size = fs::file_size(path, ec);
    return ec ? 0 : size;
  }
  std::uint64_t total = 0;
  for (fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec),
       end;
       !ec && it != end; it.increment(ec)) {
    std::error_code entry_ec;
    if (it->is_regular_file(entry_ec) && !it->is_symlink(entry_ec)) {
      const auto size = it->file_size(entry_ec);
      if (!entry_ec) total += size;
    }
  }
  return total;
}

}  // namespace findling
