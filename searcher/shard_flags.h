// The command-line flags for shards that findling-search and findling-server
// share (CLI11): --db, --shard-timeout, --shard-connect-timeout and
// --allow-partial, with one wording and one conversion into SearcherOptions.
// Header-only, so findling_searcher itself needs no CLI11: a program that
// includes it links CLI11::CLI11.
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "common/cli_support.h"
#include "searcher/searcher.h"

namespace findling {

class ShardFlags {
 public:
  // Adds --db (into `dbs`, default shown as DefaultDbPath()) and the shard
  // flags to `app`; --allow-partial sets `options.allow_partial` and says
  // `allow_partial_help`, since each program reports a missing shard its own
  // way. `dbs` and `options` must outlive app.parse().
  CLI::Option* Add(CLI::App& app, std::vector<std::string>& dbs, SearcherOptions& options,
                   const char* allow_partial_help) {
    CLI::Option* db =
        app.add_option("--db", dbs,
                       "Index folder, sharded index folder (with a XAPIANDB stub) or "
                       "remote:HOST:PORT (a xapian-tcpsrv shard); repeat it to search several as "
                       "one")
            ->default_str(DefaultDbPath());
    app.add_option("--shard-timeout", read_s_,
                   "Seconds a remote shard may take for one answer before it counts as down")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    app.add_option("--shard-connect-timeout", connect_s_,
                   "Seconds to wait for a remote shard to accept the connection")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    app.add_flag("--allow-partial", options.allow_partial, allow_partial_help);
    return db;
  }

  // After app.parse(): the time-outs given (or their defaults) into `options`.
  void ApplyTo(SearcherOptions& options) const {
    options.shard_timeouts.read = Milliseconds(read_s_);
    options.shard_timeouts.connect = Milliseconds(connect_s_);
  }

 private:
  static std::chrono::milliseconds Milliseconds(double seconds) {
    return std::chrono::milliseconds(static_cast<long>(seconds * 1000));
  }
  // ShardTimeouts' defaults, in seconds as the flags take them.
  double read_s_ = std::chrono::duration<double>(ShardTimeouts{}.read).count();
  double connect_s_ = std::chrono::duration<double>(ShardTimeouts{}.connect).count();
};

}  // namespace findling
