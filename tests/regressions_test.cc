// What the fuzzers (tests/fuzz/) found, one row per finding, so that each
// stays fixed. Every row names the target that found it and quotes the input
// (shortened where the rest did not matter); docs/reliability.md tells the
// story of each.
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <variant>

#include "server/protocol.h"

namespace findling {
namespace {

// ---------------------------------------------------------------------------
// server/protocol.h: ParseRequest

struct RequestRow {
  const char* name;
  std::string line;
  std::string expected;  // error code name, or "ok"
};

void PrintTo(const RequestRow& row, std::ostream* os) { *os << row.line; }

class RequestRegression : public ::testing::TestWithParam<RequestRow> {};

TEST_P(RequestRegression, AnswersWithAnErrorInsteadOfThrowing) {
  const auto parsed = server::ParseRequest(GetParam().line);
  const std::string got = std::holds_alternative<server::Request>(parsed)
                              ? "ok"
                              : server::ErrorCodeName(std::get<server::ProtocolError>(parsed).code);
  EXPECT_EQ(got, GetParam().expected);
}

const RequestRow kRequestRows[] = {
    // request_fuzzer: a number beyond double's range made nlohmann::json throw
    // out_of_range (not parse_error), which escaped ParseRequest and the
    // connection's coroutine: the client got no answer at all.
    {"NumberOverflowAlone", "1e400vo/\xff", "bad_json"},
    {"NumberOverflowInLimit", R"({"op":"search","q":"x","limit":1e400})", "bad_json"},
    {"NumberOverflowInId", R"({"op":"ping","id":-1e99999})", "bad_json"},
    // Large but representable numbers are JSON; the field checks judge them.
    {"LargeDoubleInId", R"({"op":"ping","id":1e300})", "ok"},
    {"IntegerBeyond64Bits", R"({"op":"search","q":"x","limit":18446744073709551616})",
     "bad_request"},
};

INSTANTIATE_TEST_SUITE_P(Fuzzed, RequestRegression, ::testing::ValuesIn(kRequestRows),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace findling
