// The edge between Xapian's exceptions and Findling's Status.
//
// Public functions of searcher/ that return a Status or Result never throw
// Xapian::Error: they catch it where they call Xapian and turn it into a
// Status with this mapping, which common/error_code.h then names for users
// (ErrorCodeFor): a remote shard that refused, hung up or timed out
// (Xapian::NetworkError, NetworkTimeoutError) is kUnavailable ->
// shard_unavailable; a corrupt index (DatabaseCorruptError) is kCorruption;
// a misuse of Xapian (LogicError) is kInternal, a bug; everything else (an
// index modified under the reader, DatabaseModifiedError; one that cannot
// be opened or read) is kIo. The last three answer `internal`.
#pragma once

#include <string_view>

#include "common/status.h"

namespace findling {

// The Status of the Xapian::Error being handled: "<what>: <Xapian's
// description>". Call it only inside a catch block of a Xapian::Error (or
// of `...` when the exception is one); anything else is rethrown.
Status StatusOfXapianError(std::string_view what);

}  // namespace findling
