// Fuzzes the server's request parser (server/protocol.h): every line a
// client sends reaches ParseRequest before anything else looks at it.
//
// Checked: a parsed request respects the caps of RequestLimits (so a queued
// request is small whatever its line was); an error has a message; the
// error or echo line the server would send for it is one line of valid
// JSON with the right shape, whatever id the client sent.
//
// Input: the request line itself (newlines inside are bytes like any
// other: the server splits lines before parsing). Capped at 64 KiB; the
// server's own line cap (1 MiB) is checked by tests/server_hostile_test.cc.
#include <cstddef>
#include <cstdint>

#include "server/protocol.h"
#include "tests/fuzz/fuzz_util.h"

namespace findling {
namespace {

// The line the server sends must be exactly one JSON object and a newline.
nlohmann::json CheckLine(const std::string& line) {
  FUZZ_CHECK(!line.empty() && line.back() == '\n', "response line without its newline");
  FUZZ_CHECK(line.find('\n') == line.size() - 1, "response spans several lines: " + line);
  nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(j.is_object(), "response is not a JSON object: " + line);
  return j;
}

}  // namespace
}  // namespace findling

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace findling;
  using namespace findling::server;
  std::string_view line;
  if (!fuzz::Capped(data, size, 64 << 10, &line)) return -1;
  const RequestLimits limits;
  const auto parsed = ParseRequest(line, limits);
  if (const auto* error = std::get_if<ProtocolError>(&parsed)) {
    FUZZ_CHECK(!error->message.empty(), "error without a message");
    const nlohmann::json j = CheckLine(ErrorLine(error->code, error->message, error->id));
    FUZZ_CHECK(j["error"]["code"] == ErrorCodeName(error->code), j.dump());
    FUZZ_CHECK(!error->id || j.contains("id"), "id not echoed: " + j.dump());
    return 0;
  }
  const Request& request = std::get<Request>(parsed);
  switch (request.op) {
    case Op::kSearch:
      FUZZ_CHECK(request.search.query.size() <= limits.max_query_bytes, "query over the cap");
      FUZZ_CHECK(request.search.snippet_chars <= limits.max_snippet_chars, "snippet over the cap");
      FUZZ_CHECK(request.search.category.size() <= 256, "category over the cap");
      break;
    case Op::kGet:
      FUZZ_CHECK(!request.doc.empty() && request.doc.size() <= limits.max_id_bytes, request.doc);
      break;
    case Op::kSuggest:
      FUZZ_CHECK(request.text.size() <= limits.max_suggest_bytes, "suggest over the cap");
      FUZZ_CHECK(SplitWords(request.text).size() <= limits.max_suggest_words, "too many words");
      break;
    case Op::kStats:
    case Op::kPing:
      break;
  }
  // The id comes back in the response exactly as it was sent.
  const nlohmann::json echoed = CheckLine(ResponseLine({{"pong", true}}, request.id));
  FUZZ_CHECK(!request.id || echoed["id"] == *request.id, echoed.dump());
  return 0;
}
