#include "indexer/index_compactor.h"

#include <fcntl.h>
#include <stdio.h>  // renameat2 (glibc >= 2.28)

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <xapian.h>

#include "common/index_schema.h"

namespace findling {
namespace {

namespace fs = std::filesystem;

void RemoveQuietly(const std::string& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
}

}  // namespace

Result<CompactionResult> CompactIndex(const std::string& path) {
  const auto started = std::chrono::steady_clock::now();
  const std::string copy = path + ".compacting";
  CompactionResult result;
  result.bytes_before = FolderBytes(path);
  try {
    // Held until the end: no other writer may commit into the index that is
    // about to be replaced by its copy.
    Xapian::WritableDatabase lock(path, Xapian::DB_OPEN);
    RemoveQuietly(copy);  // a copy left by a killed run
    {
      Xapian::Database source(path);
      source.compact(copy);
    }
    std::error_code ec;
    if (fs::exists(path + "/XAPIANDB", ec)) {
      // Shards merged into one database: it is no shard any more. (Xapian
      // keeps the first shard's value of a metadata key all shards have.)
      Xapian::WritableDatabase merged(copy, Xapian::DB_OPEN);
      merged.set_metadata(schema::kShardKey, "");
      merged.commit();
    }
    if (renameat2(AT_FDCWD, copy.c_str(), AT_FDCWD, path.c_str(), RENAME_EXCHANGE) != 0) {
      const int error = errno;
      RemoveQuietly(copy);
      return Status::Io("cannot swap the compacted copy of " + path + " in: " +
                        std::strerror(error) + " (the index is unchanged)");
    }
    lock.close();       // it locks the old folder, now at `copy`
    RemoveQuietly(copy);
  } catch (const Xapian::DatabaseLockError& e) {
    return Status::Io("cannot compact " + path + ": it is locked by a writer (" + e.get_msg() + ")");
  } catch (const Xapian::Error& e) {
    RemoveQuietly(copy);
    return Status::Io("cannot compact " + path + ": " + e.get_description() +
                      " (the index is unchanged)");
  }
  result.bytes_after = FolderBytes(path);
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace findling
