// The HTTP face of the protocol, without sockets: percent-decoding of query
// strings, the mapping of an HTTP target onto the same Request the NDJSON
// side parses (docs/http.md), HTTP status codes for the protocol's error
// codes, and API keys. Pure and thread-safe, so the tests check it as tables.
//
// Mapping. GET /search?q=Stra%C3%9Fe&limit=5 becomes the request object
// {"op":"search","q":"Straße","limit":5} and goes through ParseRequest, so
// every search field the NDJSON protocol knows works over HTTP as well, and
// a parameter it does not know is rejected by the same check ("unknown
// field"). A parameter's value is a JSON number when it is a decimal integer,
// true or false when it says so, and a string otherwise; the fields that are
// always text (q, category, highlight, doc) stay strings ("q=2024" searches
// for 2024). A parameter given twice becomes an array of those values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/status.h"
#include "server/protocol.h"

namespace findling::server {

// Decodes percent-encoded text: "%XX" is a byte, and with `plus_is_space`
// (query strings, application/x-www-form-urlencoded) '+' is a space; in a
// path '+' is itself. Fails with kInvalidInput naming the byte offset for a
// '%' not followed by two hex digits, and for a result that is not UTF-8.
Result<std::string> PercentDecode(std::string_view text, bool plus_is_space = true);

// "a=1&b=x%20y" -> {{"a","1"},{"b","x y"}}, in order; empty pieces ("a=1&&")
// are skipped and a name without '=' has the value "". Fails like PercentDecode.
Result<std::vector<std::pair<std::string, std::string>>> ParseQueryString(std::string_view query);

// What an HTTP request asks for.
enum class HttpRoute : std::uint8_t {
  kApi,      // a protocol request: `request` holds it
  kPage,     // GET /: the search page
  kMetrics,  // GET /metrics
};

struct HttpTarget {
  HttpRoute route = HttpRoute::kApi;
  Request request;  // kApi only
};

struct HttpError {
  unsigned status = 400;  // HTTP status code
  ErrorCode code = ErrorCode::kBadRequest;
  std::string message;
  std::optional<Op> op;  // when the path named one (for the log and metrics)
};

// Maps a GET request target ("/search?q=...") onto a route: /search,
// /documents/{id}, /suggest, /stats and /health (the ping op) are API
// requests. Unknown paths are 404; bad encodings, an "op" parameter and bad
// parameters are 400 (with the protocol's error code).
std::variant<HttpTarget, HttpError> ParseHttpTarget(std::string_view target,
                                                    const RequestLimits& limits = {});

// The HTTP status of an error response with protocol code `code`.
unsigned HttpStatusFor(ErrorCode code);

// API keys: one per line in the key file; blank lines and lines starting
// with '#' are ignored, surrounding blanks trimmed.
class ApiKeys {
 public:
  // Reads `path`. Fails with kIo when it cannot be read, kInvalidInput naming
  // the file when it holds no key or a key shorter than kMinKeyBytes.
  static Result<ApiKeys> Load(const std::string& path);
  static ApiKeys FromKeys(std::vector<std::string> keys) { return ApiKeys(std::move(keys)); }
  static constexpr std::size_t kMinKeyBytes = 16;

  // Whether `authorization` (the header's value) is "Bearer KEY" with one of
  // the keys. Takes the same time whatever the key's bytes are: every key is
  // compared over its full length without an early exit, so the time does
  // not tell an attacker how many leading bytes were right.
  bool Accepts(std::string_view authorization) const;

  bool empty() const { return keys_.empty(); }

 private:
  explicit ApiKeys(std::vector<std::string> keys) : keys_(std::move(keys)) {}
  std::vector<std::string> keys_;
};

}  // namespace findling::server
