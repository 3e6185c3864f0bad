#include "server/protocol.h"

#include <limits>
#include <set>

#include "common/ascii.h"
#include "common/date.h"

namespace findling::server {
namespace {

using nlohmann::json;

// Thrown from the parser callback to abandon a line nested deeper than the
// cap; caught in ParseRequest and turned into bad_json.
struct TooDeep {};

ProtocolError Error(ErrorCode code, std::string message, const std::optional<json>& id) {
  return ProtocolError{code, std::move(message), id};
}

// Reads the optional fields of one request object, checking their types.
// The first problem is kept; later reads become no-ops, so a handler can read
// every field and check `error` once (sticky error).
class FieldReader {
 public:
  FieldReader(const json& object, const std::optional<json>& id) : object_(object), id_(id) {}

  // Fields this op knows; any other field is reported by CheckUnknown().
  void Allow(std::initializer_list<const char*> names) {
    allowed_.insert(names.begin(), names.end());
  }

  void String(const char* name, std::string& out, std::uint32_t max_bytes, bool required) {
    const json* v = Find(name, required);
    if (v == nullptr) return;
    if (!v->is_string()) return Fail(ErrorCode::kBadRequest, Quote(name) + " must be a string");
    const auto& s = v->get_ref<const std::string&>();
    if (s.size() > max_bytes) {
      return Fail(ErrorCode::kLimitExceeded, Quote(name) + " is " + std::to_string(s.size()) +
                                                 " bytes; the maximum is " +
                                                 std::to_string(max_bytes));
    }
    out = s;
  }

  void Uint(const char* name, std::uint32_t& out) {
    const json* v = Find(name, false);
    if (v == nullptr) return;
    // nlohmann parses every non-negative integer as unsigned, so this rejects
    // negatives and floats alike (5.0 is a client bug too: JSON has one number type).
    if (!v->is_number_unsigned()) {
      return Fail(ErrorCode::kBadRequest, Quote(name) + " must be a non-negative integer");
    }
    const auto value = v->get<std::uint64_t>();
    if (value > std::numeric_limits<std::uint32_t>::max()) {
      return Fail(ErrorCode::kLimitExceeded, Quote(name) + " is too large");
    }
    out = static_cast<std::uint32_t>(value);
  }

  void Bool(const char* name, bool& out) {
    const json* v = Find(name, false);
    if (v == nullptr) return;
    if (!v->is_boolean())
      return Fail(ErrorCode::kBadRequest, Quote(name) + " must be true or false");
    out = v->get<bool>();
  }

  // An array of at most `max_items` strings of at most `max_bytes` each.
  void StringList(const char* name, std::vector<std::string>& out, std::size_t max_items,
                  std::size_t max_bytes) {
    const json* v = Find(name, false);
    if (v == nullptr) return;
    if (!v->is_array()) return Fail(ErrorCode::kBadRequest, Quote(name) + " must be an array");
    if (v->size() > max_items) {
      return Fail(ErrorCode::kLimitExceeded,
                  Quote(name) + " has more than " + std::to_string(max_items) + " entries");
    }
    for (const json& item : *v) {
      if (!item.is_string() || item.get_ref<const std::string&>().size() > max_bytes) {
        return Fail(ErrorCode::kBadRequest, Quote(name) + " must hold strings of at most " +
                                                std::to_string(max_bytes) + " bytes");
      }
      out.push_back(item.get<std::string>());
    }
  }

  void Date(const char* name, std::string& out) {
    std::string value;
    String(name, value, 10, false);
    if (error_ || value.empty()) return;
    // The protocol takes the stored form only (docs/protocol.md), so a
    // client's dates compare as the index's do; a day the calendar lacks
    // gets the reason ("February 2024 has no day 30").
    if (!IsIsoDay(value)) {
      const DateParse date = ParseDate(value, DateTail::kRejected);
      return Fail(ErrorCode::kBadRequest,
                  Quote(name) + " must be a date YYYY-MM-DD" +
                      (date.kind == DateParse::Kind::kInvalid ? ": " + date.error
                                                              : ", not \"" + value + "\""));
    }
    out = value;
  }

  void CheckUnknown(const char* op) {
    if (error_) return;
    for (const auto& [key, value] : object_.items()) {
      if (key != "op" && key != "id" && allowed_.count(key) == 0) {
        return Fail(ErrorCode::kBadRequest, "unknown field " + Quote(key) + " for op \"" + op +
                                                "\" (see docs/protocol.md)");
      }
    }
  }

  void Fail(ErrorCode code, std::string message) {
    if (!error_) error_ = Error(code, std::move(message), id_);
  }

  const std::optional<ProtocolError>& error() const { return error_; }

 private:
  static std::string Quote(std::string_view name) { return "\"" + std::string(name) + "\""; }

  const json* Find(const char* name, bool required) {
    if (error_) return nullptr;
    const auto it = object_.find(name);
    if (it == object_.end()) {
      if (required) Fail(ErrorCode::kBadRequest, "missing field " + Quote(name));
      return nullptr;
    }
    return &*it;
  }

  const json& object_;
  const std::optional<json>& id_;
  std::set<std::string> allowed_;
  std::optional<ProtocolError> error_;
};

}  // namespace

std::vector<std::string> SplitWords(std::string_view text) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsAsciiSpace(text[i])) ++i;
    const std::size_t start = i;
    while (i < text.size() && !IsAsciiSpace(text[i])) ++i;
    if (i > start) words.emplace_back(text.substr(start, i - start));
  }
  return words;
}

const char* OpName(Op op) {
  switch (op) {
    case Op::kSearch:
      return "search";
    case Op::kGet:
      return "get";
    case Op::kSuggest:
      return "suggest";
    case Op::kStats:
      return "stats";
    case Op::kPing:
      return "ping";
  }
  return "?";
}

std::variant<Request, ProtocolError> ParseRequest(std::string_view line,
                                                  const RequestLimits& limits) {
  json object;
  try {
    const int max_depth = static_cast<int>(limits.max_json_depth);
    object = json::parse(line, [max_depth](int depth, json::parse_event_t, json&) {
      if (depth > max_depth) throw TooDeep{};
      return true;
    });
  } catch (const json::parse_error& e) {
    // e.byte is 1-based and points just past the offending byte.
    return Error(
        ErrorCode::kBadJson,
        "not valid JSON at byte " + std::to_string(e.byte > 0 ? e.byte - 1 : 0) + ": " + e.what(),
        std::nullopt);
  } catch (const TooDeep&) {
    return Error(ErrorCode::kBadJson,
                 "JSON nested deeper than " + std::to_string(limits.max_json_depth) + " levels",
                 std::nullopt);
  } catch (const json::exception& e) {
    // Not every parse failure is a parse_error: a number too large for a
    // double ("1e400") is an out_of_range, which would otherwise escape the
    // connection's coroutine and leave the client without an answer.
    return Error(ErrorCode::kBadJson, std::string("not valid JSON: ") + e.what(), std::nullopt);
  }
  if (!object.is_object()) {
    return Error(ErrorCode::kBadJson,
                 "a request must be a JSON object, not " + std::string(object.type_name()),
                 std::nullopt);
  }
  Request request;
  if (const auto it = object.find("id"); it != object.end()) request.id = *it;
  const auto op_it = object.find("op");
  if (op_it == object.end() || !op_it->is_string()) {
    return Error(ErrorCode::kBadRequest, "missing \"op\" (search, get, suggest, stats or ping)",
                 request.id);
  }
  const std::string& op = op_it->get_ref<const std::string&>();
  FieldReader fields(object, request.id);
  if (op == "search") {
    request.op = Op::kSearch;
    SearchRequest& s = request.search;
    bool strict = false;
    std::string highlight = "mark";
    fields.Allow({"q", "limit", "offset", "category", "date_from", "date_to", "snippet_chars",
                  "snippets", "highlight", "strict", "explain", "sort", "facets", "facet_limit"});
    fields.String("q", s.query, limits.max_query_bytes, /*required=*/true);
    fields.Uint("limit", s.limit);
    fields.Uint("offset", s.offset);
    fields.String("category", s.category, 256, false);
    fields.Date("date_from", s.date_from);
    fields.Date("date_to", s.date_to);
    fields.Uint("snippet_chars", s.snippet_chars);
    fields.Bool("snippets", s.snippets);
    fields.String("highlight", highlight, 16, false);
    fields.Bool("strict", strict);
    fields.Bool("explain", s.explain);
    std::string sort = "relevance";
    fields.String("sort", sort, 16, false);
    fields.StringList("facets", s.facets, 8, 32);
    fields.Uint("facet_limit", s.facet_limit);
    if (auto order = ParseSortOrder(sort); order.ok()) {
      s.sort = order.value();
    } else {
      fields.Fail(ErrorCode::kBadRequest, "\"sort\": " + order.status().message());
    }
    if (Status f = CheckFacets(s.facets); !f.ok()) {
      fields.Fail(ErrorCode::kBadRequest, "\"facets\": " + f.message());
    }
    if (s.facet_limit == 0 || s.facet_limit > kMaxFacetLimit) {
      fields.Fail(ErrorCode::kLimitExceeded,
                  "\"facet_limit\" must be 1.." + std::to_string(kMaxFacetLimit));
    }
    if (highlight != "mark" && highlight != "offsets") {
      fields.Fail(ErrorCode::kBadRequest, "\"highlight\" must be \"mark\" or \"offsets\"");
    }
    if (s.snippet_chars > limits.max_snippet_chars) {
      fields.Fail(ErrorCode::kLimitExceeded,
                  "\"snippet_chars\" " + std::to_string(s.snippet_chars) +
                      " exceeds the maximum of " + std::to_string(limits.max_snippet_chars));
    }
    request.highlight = highlight == "offsets" ? HighlightStyle::kOffsets : HighlightStyle::kMark;
    s.parse_mode = strict ? ParseMode::kStrict : ParseMode::kLenient;
  } else if (op == "get") {
    request.op = Op::kGet;
    fields.Allow({"doc"});
    fields.String("doc", request.doc, limits.max_id_bytes, /*required=*/true);
    if (!fields.error() && request.doc.empty()) {
      fields.Fail(ErrorCode::kBadRequest, "\"doc\" must not be empty");
    }
  } else if (op == "suggest") {
    request.op = Op::kSuggest;
    fields.Allow({"q"});
    fields.String("q", request.text, limits.max_suggest_bytes, /*required=*/true);
    if (!fields.error() && SplitWords(request.text).size() > limits.max_suggest_words) {
      fields.Fail(ErrorCode::kLimitExceeded,
                  "suggest takes at most " + std::to_string(limits.max_suggest_words) + " words");
    }
  } else if (op == "stats") {
    request.op = Op::kStats;
  } else if (op == "ping") {
    request.op = Op::kPing;
  } else {
    return Error(ErrorCode::kBadRequest,
                 "unknown op \"" + op + "\" (search, get, suggest, stats or ping)", request.id);
  }
  fields.CheckUnknown(op.c_str());
  if (fields.error()) {
    ProtocolError error = *fields.error();
    error.op = request.op;
    return error;
  }
  return request;
}

std::string ResponseLine(nlohmann::json body, const std::optional<nlohmann::json>& id) {
  if (id) body["id"] = *id;
  std::string line = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  line += '\n';
  return line;
}

std::string ErrorLine(ErrorCode code, std::string_view message,
                      const std::optional<nlohmann::json>& id) {
  return ResponseLine(
      {{"error", {{"code", ErrorCodeName(code)}, {"message", std::string(message)}}}}, id);
}

}  // namespace findling::server
