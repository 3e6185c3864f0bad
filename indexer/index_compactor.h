// CompactIndex: rewrites a finished index into Xapian's compact form.
//
// Xapian's B-trees are built for updates: a freshly written index leaves
// about half of every block free, so it is 1.5-2x larger on disk than it
// needs to be. Compacting (what xapian-compact does) rewrites each table with
// full blocks; the index stays writable, and later runs may add to it.
//
// The compacted copy is written next to the index (PATH.compacting) and
// swapped in with one atomic exchange of the two folders (renameat2 with
// RENAME_EXCHANGE), so a reader, a crash or a kill at any moment finds
// either the old index or the new one at PATH, never neither. A leftover
// PATH.compacting from a killed run is removed by the next compaction.
//
// A sharded index (PATH/XAPIANDB listing its shards, shard_layout.h) is
// merged this way into one database, which replaces the whole folder: the
// shards' documents renumbered one shard after the other, their metadata
// kept, except findling.shard.
//
// The caller must not hold a writer on PATH: CompactIndex takes the index's
// write lock itself for the whole operation, so no other writer can commit
// changes that the swap would lose.
#pragma once

#include <cstdint>
#include <string>

#include "common/folder_bytes.h"  // FolderBytes(), for the before/after sizes of a compaction
#include "common/status.h"

namespace findling {

struct CompactionResult {
  std::uint64_t bytes_before = 0;  // the index folder, as built
  std::uint64_t bytes_after = 0;   // the index folder, compacted
  double seconds = 0;
};

// Compacts the index at `path` in place. Fails with kIo, naming the path,
// when the index is locked by a writer, the copy cannot be written (e.g. the
// disk is full: the copy needs about half the index's size) or the file
// system cannot exchange folders; in every failure the index at `path` is
// left exactly as it was and the partial copy is removed. Never throws
// Xapian::Error: every failure of Xapian's is one of these.
Result<CompactionResult> CompactIndex(const std::string& path);

}  // namespace findling
