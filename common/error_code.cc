#include "common/error_code.h"

#include <array>
#include <utility>

#include "common/cli_support.h"

namespace findling {
namespace {

using C = Status::Code;

// The table. One row per ErrorCode, in the enum's order (checked below).
constexpr std::array<ErrorCodeInfo, 11> kCodes = {{
    {ErrorCode::kBadJson, "bad_json", kExitUsage, 400, C::kInvalidInput,
     "The request is not a JSON object, or nests too deep."},
    {ErrorCode::kBadRequest, "bad_request", kExitUsage, 400, C::kInvalidInput,
     "Unknown op or field, a missing field, or a field of the wrong type or range."},
    {ErrorCode::kQuerySyntax, "query_syntax", kExitUsage, 400, C::kInvalidInput,
     "Strict mode and the query has a syntax error; the message names the byte."},
    {ErrorCode::kLimitExceeded, "limit_exceeded", kExitUsage, 400, C::kLimit,
     "A limit, offset + limit, the query length or another cap is exceeded."},
    {ErrorCode::kNotFound, "not_found", kExitFailure, 404, C::kNotFound,
     "No document with that id."},
    {ErrorCode::kInternal, "internal", kExitFailure, 500, C::kInternal,
     "The index could not be read, or a bug."},
    {ErrorCode::kLineTooLong, "line_too_long", kExitFailure, 413, C::kLimit,
     "The request line is longer than the server's cap."},
    {ErrorCode::kTimeout, "timeout", kExitFailure, 503, C::kUnavailable,
     "Not answered within the time budget, or the connection was idle too long."},
    {ErrorCode::kOverloaded, "overloaded", kExitFailure, 429, C::kUnavailable,
     "Too many connections or queued requests; retry later."},
    {ErrorCode::kShardUnavailable, "shard_unavailable", kExitFailure, 503, C::kUnavailable,
     "A remote shard refused, hung up or timed out; the message names it."},
    {ErrorCode::kIndexUnavailable, "index_unavailable", kExitFailure, 500, C::kIncompatible,
     "The index is missing, of another format or analysis, or unreadable."},
}};

constexpr bool InEnumOrder() {
  for (std::size_t i = 0; i < kCodes.size(); ++i) {
    if (static_cast<std::size_t>(kCodes[i].code) != i) return false;
  }
  return true;
}
static_assert(InEnumOrder(), "kCodes must list every ErrorCode in the enum's order");
static_assert(static_cast<std::size_t>(ErrorCode::kIndexUnavailable) + 1 == kCodes.size(),
              "a new ErrorCode needs a row in kCodes");

}  // namespace

std::span<const ErrorCodeInfo> AllErrorCodes() { return kCodes; }

const ErrorCodeInfo& InfoOf(ErrorCode code) {
  const auto i = static_cast<std::size_t>(code);
  return i < kCodes.size() ? kCodes[i] : kCodes[static_cast<std::size_t>(ErrorCode::kInternal)];
}

const char* ErrorCodeName(ErrorCode code) { return InfoOf(code).name; }

std::optional<ErrorCode> ErrorCodeFromName(std::string_view name) {
  for (const ErrorCodeInfo& info : kCodes) {
    if (name == info.name) return info.code;
  }
  return std::nullopt;
}

ErrorCode ErrorCodeFor(const Status& status) {
  switch (status.code()) {
    case C::kInvalidInput:
      return ErrorCode::kQuerySyntax;
    case C::kLimit:
      return ErrorCode::kLimitExceeded;
    case C::kNotFound:
      return ErrorCode::kNotFound;
    case C::kUnavailable:
      return ErrorCode::kShardUnavailable;
    default:
      return ErrorCode::kInternal;
  }
}

ErrorCode ErrorCodeForOpen(const Status& status) {
  return status.code() == C::kUnavailable ? ErrorCode::kShardUnavailable
                                          : ErrorCode::kIndexUnavailable;
}

Status StatusForErrorResponse(std::string_view name, std::string message) {
  const auto code = ErrorCodeFromName(name);
  switch (code ? InfoOf(*code).status : C::kInternal) {
    case C::kInvalidInput:
      return Status::InvalidInput(std::move(message));
    case C::kLimit:
      return Status::Limit(std::move(message));
    case C::kNotFound:
      return Status::NotFound(std::move(message));
    case C::kUnavailable:
      return Status::Unavailable(std::move(message));
    case C::kIncompatible:
      return Status::Incompatible(std::move(message));
    case C::kIo:
      return Status::Io(std::move(message));
    case C::kCorruption:
      return Status::Corruption(std::move(message));
    case C::kOk:
    case C::kInternal:
    case C::kModified:  // no row answers with it (ErrorCodeFor: internal)
      break;
  }
  return Status::Internal(std::move(message));
}

}  // namespace findling
