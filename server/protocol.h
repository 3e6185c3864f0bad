// The findling-server wire protocol: one JSON request per line in, one JSON
// response per line out (docs/protocol.md has every request and response).
//
// This file holds the parts that need no socket: turning a request line into
// a Request (or a ProtocolError), the error codes and their names, and the
// formatting of response lines. Everything here is pure and thread-safe, so
// the tests check it without a server.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/error_code.h"
#include "common/status.h"
#include "searcher/response_json.h"
#include "searcher/searcher.h"

namespace findling::server {

// The "code" of an error response: common/error_code.h holds the one table
// of codes (names, HTTP statuses, findling-search's exit statuses).
using ::findling::ErrorCode;
using ::findling::ErrorCodeFor;
using ::findling::ErrorCodeName;

enum class Op : std::uint8_t { kSearch, kGet, kSuggest, kStats, kPing };
const char* OpName(Op op);

// One parsed request. Only the fields of its op are meaningful.
struct Request {
  Op op = Op::kPing;
  // The client's "id" (any JSON value), echoed in the response; unset when absent.
  std::optional<nlohmann::json> id;
  SearchRequest search;                              // kSearch
  HighlightStyle highlight = HighlightStyle::kMark;  // kSearch
  std::string doc;                                   // kGet: the document id
  std::string text;                                  // kSuggest: the words to correct
};

struct ProtocolError {
  ErrorCode code = ErrorCode::kBadRequest;
  std::string message;               // English, names the field or byte
  std::optional<nlohmann::json> id;  // the request's "id" when it could be read
  std::optional<Op> op;              // the op when it was a known one (for the log)
};

// Caps checked while parsing, before any work is queued, so that a queued
// request is small no matter how long its line was.
struct RequestLimits {
  std::uint32_t max_query_bytes = 8192;    // "q" of search (the parser's own cap)
  std::uint32_t max_suggest_bytes = 1024;  // "q" of suggest
  std::uint32_t max_suggest_words = 10;    // each word costs a scan of the vocabulary
  std::uint32_t max_id_bytes = 1024;       // "doc" of get
  std::uint32_t max_snippet_chars = 10000;
  std::uint32_t max_json_depth = 8;  // requests are flat; deeper is hostile
};

// Parses one request line (without its newline). Unknown ops and unknown
// fields are kBadRequest (a typo such as "limt" must not be silently
// ignored); fields have to have the documented JSON types; limits above
// `limits` are kLimitExceeded. The id is recovered into the error whenever
// the line was a JSON object. Thread-safe (no state).
std::variant<Request, ProtocolError> ParseRequest(std::string_view line,
                                                  const RequestLimits& limits = {});

// The words of a suggest request: runs of bytes between ASCII blanks.
std::vector<std::string> SplitWords(std::string_view text);

// `body` with the id added (when set), as one line ending in '\n'. Invalid
// UTF-8 in stored documents is replaced (U+FFFD) rather than failing the dump.
std::string ResponseLine(nlohmann::json body, const std::optional<nlohmann::json>& id);

// {"error":{"code":"...","message":"..."},"id":...} as one line ending in '\n'.
std::string ErrorLine(ErrorCode code, std::string_view message,
                      const std::optional<nlohmann::json>& id = std::nullopt);

}  // namespace findling::server
