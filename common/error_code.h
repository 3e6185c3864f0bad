// ErrorCode: the one vocabulary of errors a user sees, with what each means,
// findling-search's exit status and the HTTP status, in one table
// (error_code.cc). findling-server sends these names in
// {"error":{"code":...}} (NDJSON and HTTP); `findling-search --json` prints
// the same object for a failed search, local or through --server; the client
// maps a server's code back to a Status. docs/protocol.md lists them.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"

namespace findling {

// Clients branch on the names, so a code is never renamed; new ones may be added.
enum class ErrorCode : std::uint8_t {
  kBadJson,        // the line is not a JSON object
  kBadRequest,     // unknown op, unknown field, or a field of the wrong type or range
  kQuerySyntax,    // strict mode: the query has a syntax error (message names the byte)
  kLimitExceeded,  // limit, offset + limit, query length or another cap exceeded
  kNotFound,       // get: no document with that id
  kInternal,       // index trouble or a bug; the connection stays usable
  kLineTooLong,    // the line exceeds the server's cap; the server closes the connection
  kTimeout,        // the request exceeded the time budget, or the connection was idle
  kOverloaded,     // too many connections or queued requests; retry later
  // A remote shard refused, hung up or timed out (the message names it).
  kShardUnavailable,
  // The index is missing, of another format or analysis, or unreadable
  // (findling-search; the server refuses to start instead).
  kIndexUnavailable,
};

struct ErrorCodeInfo {
  ErrorCode code;
  const char* name;      // "query_syntax": the stable name in JSON
  int exit_code;         // findling-search's exit status (common/cli_support.h)
  unsigned http_status;  // the HTTP status the server answers with
  Status::Code status;   // what a client makes of it (client/client.h)
  const char* meaning;   // one English line, for documentation and --help
};

// Every code, in the enum's order. Thread-safe (constant).
std::span<const ErrorCodeInfo> AllErrorCodes();
const ErrorCodeInfo& InfoOf(ErrorCode code);
// "bad_json", "bad_request", ... as sent in {"error":{"code":...}}.
const char* ErrorCodeName(ErrorCode code);
// The code of a name, or nullopt for a name this version does not know.
std::optional<ErrorCode> ErrorCodeFromName(std::string_view name);

// The code for a failed search or get (Searcher): kInvalidInput ->
// query_syntax, kLimit -> limit_exceeded, kNotFound -> not_found,
// kUnavailable -> shard_unavailable, anything else -> internal (kModified
// too: an index that changed under the reader is retried by the Searcher,
// so one that still does is index trouble, and no client retries on it).
ErrorCode ErrorCodeFor(const Status& status);
// The code for an index that could not be opened (Searcher::Open):
// kUnavailable -> shard_unavailable, anything else -> index_unavailable.
ErrorCode ErrorCodeForOpen(const Status& status);

// The Status a client reports for an error response: InfoOf(code).status
// with `message`. An unknown name is kInternal.
Status StatusForErrorResponse(std::string_view name, std::string message);

}  // namespace findling
