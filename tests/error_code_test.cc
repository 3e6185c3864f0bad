// common/error_code.h: the one table of error codes that findling-server
// sends, `findling-search --json` prints and the client reads back.
#include "common/error_code.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "common/cli_support.h"
#include "tests/test_util.h"

namespace findling {
namespace {

// What docs/protocol.md promises, row by row: the name a script branches on,
// the HTTP status, findling-search's exit status, and the Status a client
// makes of it.
struct CodeRow {
  ErrorCode code;
  const char* name;
  unsigned http_status;
  int exit_code;
  Status::Code status;
};

class ErrorCodeTable : public ::testing::TestWithParam<CodeRow> {};

TEST_P(ErrorCodeTable, NameStatusesAndExitCode) {
  const CodeRow& row = GetParam();
  const ErrorCodeInfo& info = InfoOf(row.code);
  EXPECT_EQ(info.code, row.code);
  EXPECT_STREQ(ErrorCodeName(row.code), row.name);
  EXPECT_EQ(info.http_status, row.http_status) << row.name;
  EXPECT_EQ(info.exit_code, row.exit_code) << row.name;
  EXPECT_EQ(ErrorCodeFromName(row.name), row.code);
  const Status back = StatusForErrorResponse(row.name, "Köln: kaputt");
  EXPECT_EQ(back.code(), row.status) << row.name;
  EXPECT_EQ(back.message(), "Köln: kaputt");
}

using C = Status::Code;
const CodeRow kCodeRows[] = {
    // Requests the server cannot take: exit 2, as a usage error.
    {ErrorCode::kBadJson, "bad_json", 400, kExitUsage, C::kInvalidInput},
    {ErrorCode::kBadRequest, "bad_request", 400, kExitUsage, C::kInvalidInput},
    {ErrorCode::kQuerySyntax, "query_syntax", 400, kExitUsage, C::kInvalidInput},
    {ErrorCode::kLimitExceeded, "limit_exceeded", 400, kExitUsage, C::kLimit},
    // Failures of the index, the server or the network: exit 3.
    {ErrorCode::kNotFound, "not_found", 404, kExitFailure, C::kNotFound},
    {ErrorCode::kInternal, "internal", 500, kExitFailure, C::kInternal},
    {ErrorCode::kLineTooLong, "line_too_long", 413, kExitFailure, C::kLimit},
    {ErrorCode::kTimeout, "timeout", 503, kExitFailure, C::kUnavailable},
    {ErrorCode::kOverloaded, "overloaded", 429, kExitFailure, C::kUnavailable},
    {ErrorCode::kShardUnavailable, "shard_unavailable", 503, kExitFailure, C::kUnavailable},
    {ErrorCode::kIndexUnavailable, "index_unavailable", 500, kExitFailure, C::kIncompatible},
};

INSTANTIATE_TEST_SUITE_P(Rows, ErrorCodeTable, ::testing::ValuesIn(kCodeRows),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(ErrorCodeTable, EveryCodeHasARowAboveAndADistinctName) {
  EXPECT_EQ(AllErrorCodes().size(), std::size(kCodeRows));
  std::set<std::string> names;
  for (const ErrorCodeInfo& info : AllErrorCodes()) {
    EXPECT_TRUE(names.insert(info.name).second) << info.name;
    EXPECT_NE(std::string(info.meaning), "") << info.name;
  }
}

// Names a script might guess or an older findling-search printed: not codes.
TEST(ErrorCodeTable, UnknownNamesAreNoCodesAndReadBackAsInternal) {
  for (const char* name : {"invalid_input", "limit", "Query_Syntax", "query syntax", ""}) {
    EXPECT_FALSE(ErrorCodeFromName(name).has_value()) << name;
    EXPECT_EQ(StatusForErrorResponse(name, "x").code(), C::kInternal) << name;
  }
}

// How a Searcher's Status becomes a code: the same in the server and the CLI.
struct StatusRow {
  const char* name;
  Status status;
  ErrorCode search;  // ErrorCodeFor: a search or get failed
  ErrorCode open;    // ErrorCodeForOpen: the index could not be opened
};

class StatusToCode : public ::testing::TestWithParam<StatusRow> {};

TEST_P(StatusToCode, SearchAndOpen) {
  const StatusRow& row = GetParam();
  EXPECT_EQ(ErrorCodeName(ErrorCodeFor(row.status)), std::string(ErrorCodeName(row.search)));
  EXPECT_EQ(ErrorCodeName(ErrorCodeForOpen(row.status)), std::string(ErrorCodeName(row.open)));
}

const StatusRow kStatusRows[] = {
    {"StrictSyntax", Status::InvalidInput("at byte 0: unclosed quote"), ErrorCode::kQuerySyntax,
     ErrorCode::kIndexUnavailable},
    {"TooManyTerms", Status::Limit("query has too many terms"), ErrorCode::kLimitExceeded,
     ErrorCode::kIndexUnavailable},
    {"UnknownDocument", Status::NotFound("no document with id \"Köln\""), ErrorCode::kNotFound,
     ErrorCode::kIndexUnavailable},
    {"RemoteShardDown", Status::Unavailable("shard remote:10.0.0.7:7801 is unavailable"),
     ErrorCode::kShardUnavailable, ErrorCode::kShardUnavailable},
    {"OtherAnalysis", Status::Incompatible("built by stem=porter"), ErrorCode::kInternal,
     ErrorCode::kIndexUnavailable},
    {"BrokenIndex", Status::Corruption("postlist table"), ErrorCode::kInternal,
     ErrorCode::kIndexUnavailable},
    // Retried by the Searcher (reopen); one that is still changing is index trouble.
    {"IndexKeptChanging", Status::Modified("DatabaseModifiedError: the index changed"),
     ErrorCode::kInternal, ErrorCode::kIndexUnavailable},
};

INSTANTIATE_TEST_SUITE_P(Rows, StatusToCode, ::testing::ValuesIn(kStatusRows),
                         [](const auto& info) { return std::string(info.param.name); });

// docs/protocol.md's table of codes lists every code, so the documentation
// cannot fall behind the table.
TEST(ErrorCodeTable, ProtocolDocumentationListsEveryCode) {
  std::ifstream in(testing::SourceDir() + "/docs/protocol.md");
  ASSERT_TRUE(in) << "docs/protocol.md";
  std::stringstream text;
  text << in.rdbuf();
  for (const ErrorCodeInfo& info : AllErrorCodes()) {
    EXPECT_NE(text.str().find("| `" + std::string(info.name) + "` |"), std::string::npos)
        << info.name << " is missing from docs/protocol.md's table of errors";
  }
}

}  // namespace
}  // namespace findling
