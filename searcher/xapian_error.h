// The edge between Xapian's exceptions and Findling's Status.
//
// Public functions of searcher/ that return a Status or Result never throw
// Xapian::Error: they catch it where they call Xapian and turn it into a
// Status with this mapping, which common/error_code.h then names for users
// (ErrorCodeFor):
//   - a remote shard that refused, hung up or timed out (Xapian::NetworkError,
//     NetworkTimeoutError) is kUnavailable -> shard_unavailable;
//   - an index modified under the reader (DatabaseModifiedError) is
//     kModified: reopening the database and trying again is the cure, which
//     Searcher does (searcher.cc, RunOnShards), so a user sees it only when
//     the index keeps changing, as `internal`;
//   - a corrupt index (DatabaseCorruptError) is kCorruption;
//   - a misuse of Xapian (LogicError) is kInternal, a bug;
//   - everything else (an index that cannot be opened or read) is kIo.
// The last three answer `internal`.
//
// The two that a caller retries on are told apart by the Status code alone;
// which remote timed out, which the retry also needs, is in the message, and
// TimedOutAt() below is the one reader of it, beside the one writer.
#pragma once

#include <string_view>

#include "common/status.h"

namespace findling {

// The Status of the Xapian::Error being handled: "<what>: <Xapian's
// description>" (Xapian's description: "<type>: <message> (context:
// <context>)"). Call it only inside a catch block of a Xapian::Error (or
// of `...` when the exception is one); anything else is rethrown.
Status StatusOfXapianError(std::string_view what);

// Whether `status` is what StatusOfXapianError made of a time-out of the
// remote shard at `host_port` ("HOST:PORT"): kUnavailable from a
// NetworkTimeoutError whose context is Xapian's name of that remote,
// "remote:tcp(HOST:PORT)". False for a remote that hung up or refused
// (reconnecting to it is quick) and for every other Status.
bool TimedOutAt(const Status& status, std::string_view host_port);

}  // namespace findling
