#include "server/http_request.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/ascii.h"
#include "common/utf8.h"

namespace findling::server {
namespace {

using nlohmann::json;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Whether `value` is a decimal integer that fits a JSON number exactly.
bool IsDecimalInteger(std::string_view value) {
  if (value.empty() || value.size() > 15) return false;
  for (const char c : value) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// The JSON value of a query parameter (see the header's "Mapping").
json ParameterValue(const std::string& name, const std::string& value) {
  if (name == "q" || name == "category" || name == "highlight" || name == "doc") return value;
  if (IsDecimalInteger(value)) return std::stoll(value);
  if (value == "true") return true;
  if (value == "false") return false;
  return value;
}

HttpError NotFound(std::string_view path) {
  return {
      404, ErrorCode::kNotFound,
      "no such endpoint \"" + std::string(path) +
          "\" (/search, /documents/{id}, /suggest, /stats, /health, /metrics; see docs/http.md)",
      std::nullopt};
}

}  // namespace

Result<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+' && plus_is_space) {
      out += ' ';
    } else if (c == '%') {
      const int high = i + 2 < text.size() ? HexValue(text[i + 1]) : -1;
      const int low = high >= 0 ? HexValue(text[i + 2]) : -1;
      if (low < 0) {
        return Status::InvalidInput("bad percent-encoding at byte " + std::to_string(i) +
                                    ": '%' must be followed by two hex digits");
      }
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += c;
    }
  }
  if (const std::size_t bad = FindInvalidUtf8(out); bad != std::string::npos) {
    return Status::InvalidInput("invalid UTF-8 at byte " + std::to_string(bad) +
                                " of the decoded text (encode text as UTF-8, e.g. %C3%9F for ß)");
  }
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> ParseQueryString(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view piece = query.substr(start, end - start);
    if (!piece.empty()) {
      const std::size_t eq = piece.find('=');
      auto name = PercentDecode(piece.substr(0, eq));
      if (!name.ok()) return Status::InvalidInput("parameter name: " + name.status().message());
      auto value = PercentDecode(eq == std::string_view::npos ? "" : piece.substr(eq + 1));
      if (!value.ok()) {
        return Status::InvalidInput("parameter \"" + name.value() +
                                    "\": " + value.status().message());
      }
      out.emplace_back(std::move(name).value(), std::move(value).value());
    }
    start = end + 1;
  }
  return out;
}

std::variant<HttpTarget, HttpError> ParseHttpTarget(std::string_view target,
                                                    const RequestLimits& limits) {
  const std::size_t question = target.find('?');
  const std::string_view path = target.substr(0, question);
  const std::string_view query =
      question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
  if (path == "/" || path == "/index.html") return HttpTarget{HttpRoute::kPage, {}};
  if (path == "/metrics") return HttpTarget{HttpRoute::kMetrics, {}};

  json object = json::object();
  std::optional<Op> op;
  constexpr std::string_view kDocuments = "/documents/";
  if (path == "/search") {
    object["op"] = "search";
    op = Op::kSearch;
  } else if (path == "/suggest") {
    object["op"] = "suggest";
    op = Op::kSuggest;
  } else if (path == "/stats") {
    object["op"] = "stats";
    op = Op::kStats;
  } else if (path == "/health") {
    object["op"] = "ping";
    op = Op::kPing;
  } else if (path.starts_with(kDocuments) && path.size() > kDocuments.size()) {
    op = Op::kGet;
    auto id = PercentDecode(path.substr(kDocuments.size()), /*plus_is_space=*/false);
    if (!id.ok())
      return HttpError{400, ErrorCode::kBadRequest, "document id: " + id.status().message(), op};
    object["op"] = "get";
    object["doc"] = std::move(id).value();
  } else {
    return NotFound(path);
  }

  auto parameters = ParseQueryString(query);
  if (!parameters.ok()) {
    return HttpError{400, ErrorCode::kBadRequest, parameters.status().message(), op};
  }
  for (auto& [name, value] : parameters.value()) {
    if (name == "op" || (op == Op::kGet && name == "doc")) {
      return HttpError{400, ErrorCode::kBadRequest,
                       "parameter \"" + name + "\" is set by the path, not the query", op};
    }
    if (name == "facets") {
      // A list: "facets=category,year", or the parameter repeated.
      json& list = object[name];
      if (!list.is_array()) list = json::array();
      for (std::size_t start = 0; start <= value.size();) {
        const std::size_t comma = std::min(value.find(',', start), value.size());
        list.push_back(value.substr(start, comma - start));
        start = comma + 1;
      }
      continue;
    }
    json v = ParameterValue(name, value);
    const auto it = object.find(name);
    if (it == object.end()) {
      object[name] = std::move(v);
    } else if (it->is_array()) {
      it->push_back(std::move(v));
    } else {
      *it = json::array({std::move(*it), std::move(v)});
    }
  }
  auto parsed = ParseRequest(object.dump(), limits);
  if (auto* error = std::get_if<ProtocolError>(&parsed)) {
    return HttpError{HttpStatusFor(error->code), error->code, std::move(error->message), op};
  }
  return HttpTarget{HttpRoute::kApi, std::move(std::get<Request>(parsed))};
}

unsigned HttpStatusFor(ErrorCode code) { return InfoOf(code).http_status; }

Result<ApiKeys> ApiKeys::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::Io("cannot read the API key file " + path);
  std::vector<std::string> keys;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    std::string key(TrimAsciiSpace(line));
    if (key.empty() || key[0] == '#') continue;
    if (key.size() < kMinKeyBytes || key.find_first_of(" \t") != std::string::npos) {
      return Status::InvalidInput(path + ":" + std::to_string(number) +
                                  ": a key must be at least " + std::to_string(kMinKeyBytes) +
                                  " bytes without blanks (e.g. from `openssl rand -hex 24`)");
    }
    keys.push_back(std::move(key));
  }
  if (in.bad()) return Status::Io("cannot read the API key file " + path);
  if (keys.empty()) return Status::InvalidInput(path + ": no API key in the file");
  return ApiKeys(std::move(keys));
}

bool ApiKeys::Accepts(std::string_view authorization) const {
  constexpr std::string_view kBearer = "Bearer ";
  if (!authorization.starts_with(kBearer)) return false;
  const std::string_view given = authorization.substr(kBearer.size());
  bool accepted = false;
  for (const std::string& key : keys_) {
    // Differences are OR-ed together over the whole key, never returned
    // early; a length mismatch is folded in the same way.
    unsigned char diff = given.size() == key.size() ? 0 : 1;
    for (std::size_t i = 0; i < key.size(); ++i) {
      diff |= static_cast<unsigned char>(key[i] ^ (i < given.size() ? given[i] : 0));
    }
    accepted |= diff == 0;
  }
  return accepted;
}

}  // namespace findling::server
