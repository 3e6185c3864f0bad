// ShardLayout: which shards an index folder holds, and creating a new
// sharded index (docs/index-format.md, "Shards").
//
// A sharded index is a folder PATH with a Xapian stub file PATH/XAPIANDB,
// one line per shard ("glass shard-00", "glass shard-01", ... relative to
// the stub), so Xapian::Database(PATH) opens all shards as one database.
// Each shard is a complete Findling index that also records
// findling.shard = "I/N" (IndexWriterOptions::shard_label checks it).
// An unsharded index (a glass folder) is one shard: PATH itself.
//
// A new build that is to be merged at the end (the default) carries a
// marker file PATH/MERGE-PENDING until the merge replaces the folder, so a
// run killed at any moment stays "a new index" and the rerun that completes
// it also merges it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace findling {

// Two-digit shard folders ("shard-00" .. "shard-63").
inline constexpr std::uint32_t kMaxShards = 64;

enum class IndexFolderKind : std::uint8_t {
  kNew,        // PATH is missing or an empty folder
  kUnsharded,  // a glass index (or a folder holding other files: indexed as today)
  kSharded,    // a stub listing local shards
};

struct ShardLayout {
  IndexFolderKind kind = IndexFolderKind::kNew;
  // In shard order. kUnsharded: PATH itself; kNew: empty.
  std::vector<std::string> shard_paths;
  bool merge_pending = false;  // kSharded only: PATH/MERGE-PENDING exists
};

// "shard-07" for 7.
std::string ShardFolderName(std::uint32_t index);

// "I/N", what shard I of N records under schema::kShardKey.
std::string ShardLabel(std::uint32_t index, std::uint32_t count);

// Reads what is at `path`. Fails with kIncompatible, naming the stub and
// its line, when the stub lists a remote or non-glass shard (findling-index
// writes local shards only) or does not list them as shard-00, shard-01, ...
// in order; kIo when the stub cannot be read.
Result<ShardLayout> ReadShardLayout(const std::string& path);

// Neither function below throws Xapian::Error: Xapian's failures are kIo.

// Creates a new index of `shard_count` (2 .. kMaxShards) empty shards at
// `path`, which must be missing or an empty folder (kNew). Every shard
// records the format, `analysis_signature`, the field declaration `fields`
// (FieldSchema::ToString(), "" for none) and its label. The folder is
// assembled beside `path` (PATH.creating) and renamed into place, so a kill
// at any moment leaves either no index or a complete empty one; a leftover
// PATH.creating of a killed run is removed first. `merge_pending` writes the
// MERGE-PENDING marker. Fails with kIo naming the path.
Status CreateShardedIndex(const std::string& path, std::uint32_t shard_count,
                          const std::string& analysis_signature, const std::string& fields,
                          bool merge_pending);

// Removes the MERGE-PENDING marker (a build that keeps its shards).
Status ClearMergePending(const std::string& path);

}  // namespace findling
