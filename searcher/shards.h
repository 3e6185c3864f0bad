// Shards: which Xapian databases one Searcher reads as one.
//
// A --db argument is one of
//   PATH               a Findling index folder (one shard, as always);
//   PATH/XAPIANDB      a sharded index: a folder (or the stub file itself)
//                      whose Xapian stub lists shards, one a line:
//                        glass shard-00        (or auto: a local folder,
//                        glass shard-01         relative to the stub)
//                        remote HOST:PORT      (a xapian-tcpsrv)
//                      blank lines and lines starting with '#' are skipped;
//   remote:HOST:PORT   one shard served by xapian-tcpsrv.
// Findling reads the stub itself rather than letting Xapian open it, so that
// every shard gets Findling's time-outs (a stub's remote lines would get
// Xapian's 10 s defaults), each shard's metadata is checked, and a failure
// names the one shard that failed.
#pragma once

#include <xapian.h>

#include <chrono>
#include <string>
#include <vector>

#include "common/status.h"

namespace findling {

struct ShardSpec {
  enum class Kind { kLocal, kRemote };
  Kind kind = Kind::kLocal;
  std::string path;   // kLocal: the index folder
  std::string host;   // kRemote
  unsigned port = 0;  // kRemote
  // How messages and responses name the shard: the path, or "remote:HOST:PORT".
  std::string Name() const;
};

struct ShardTimeouts {
  // Waiting for a remote shard to accept the connection and greet.
  std::chrono::milliseconds connect{1000};
  // Waiting for any one answer of a remote shard during a search; a shard
  // that takes longer counts as down (the time a slow shard can cost).
  // 1 s: below the server's default time budget of 2 s, so that a partial
  // answer (allow_partial) still arrives within it.
  std::chrono::milliseconds read{1000};
};

// The shards behind the --db arguments, in order. Fails with kInvalidInput
// for a malformed remote:HOST:PORT or stub line (naming the stub file and
// line), kNotFound for a path that does not exist. Touches only the file
// system (no shard is opened).
Result<std::vector<ShardSpec>> ExpandShards(const std::vector<std::string>& db_args);

// Opens one shard. A remote shard is connected and has greeted when this
// returns. Fails with kNotFound (missing local folder), kUnavailable (remote
// refused, timed out or hung up) or kIo, each message naming the shard.
Result<Xapian::Database> OpenShard(const ShardSpec& shard, const ShardTimeouts& timeouts);

}  // namespace findling
