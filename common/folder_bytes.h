// FolderBytes: how much disk an index (or any folder) takes, the one
// definition behind findling-index's compaction figures and the server's
// {"op":"stats"} index_bytes.
#pragma once

#include <cstdint>
#include <string>

namespace findling {

// The sum of the sizes of the regular files under `path`, recursively. A
// regular file given as `path` counts itself, and `path` may be a symbolic
// link to a folder or a file; symbolic links inside the folder are neither
// followed nor counted. Never fails: a missing path is 0, a subfolder that may
// not be read and a file that cannot be sized count 0 while the rest is still
// summed, and any other error while walking (the folder removed meanwhile)
// ends the walk with what was summed so far. Safe to call from any thread; a
// folder that changes meanwhile gives some size between its before and after.
std::uint64_t FolderBytes(const std::string& path);

}  // namespace findling
