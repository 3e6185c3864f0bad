// findling-search: ranked search over a Findling index from the shell.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <utility>

#include "client/client.h"
#include "common/cli_support.h"
#include "common/date.h"
#include "common/error_code.h"
#include "searcher/hit_printer.h"
#include "searcher/response_json.h"
#include "searcher/searcher.h"
#include "searcher/shard_flags.h"

namespace {

// Reports a failed open or search and returns the exit status of its code
// (common/error_code.h). With --json the error goes to stdout as the server
// would send it (the server's own line when there is one), so a script reads
// one vocabulary from both; without, the message goes to stderr.
int Fail(const findling::Status& s, findling::ErrorCode code, bool json,
         const std::string& server_json) {
  if (json && !server_json.empty()) {
    std::cout << server_json << "\n";
  } else if (json) {
    const nlohmann::json err = {
        {"error", {{"code", findling::ErrorCodeName(code)}, {"message", s.message()}}}};
    std::cout << err.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    std::fprintf(stderr, "findling-search: %s\n", s.message().c_str());
  }
  return findling::InfoOf(code).exit_code;
}

std::string JoinArgs(const std::vector<std::string>& words) {
  std::string q;
  for (const auto& w : words) q += (q.empty() ? "" : " ") + w;
  return q;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace findling;
  CLI::App app{
      "Search a Findling index of German text.\n\n"
      "Query syntax: words (documents with all words rank first), \"phrases\", "
      "AND/UND, OR/ODER, NOT/NICHT, +required, -excluded (but after und/oder/sowie/bzw./bis "
      "or a comma a German suspended compound: \"Privatpersonen und -organisationen\" "
      "searches Privatorganisationen, \"Ein- und Ausfuhr\" Einfuhr), (brackets), Sprach* "
      "(prefix), "
      "title:/titel:, category:/kategorie:, date:2024-01-01..2024-12-31 (or date:2024, "
      "date:2024-03).\n\nExit status: 0 hits found, 1 no hits, 2 usage or query error, "
      "3 index missing or unreadable, or a shard not answering.",
      "findling-search"};
  std::vector<std::string> dbs;
  std::vector<std::string> words;
  SearchRequest request;
  bool json = false, strict = false, no_snippets = false;
  std::string highlight = "mark", colour = "auto";
  SearcherOptions searcher_options;
  ShardFlags shard_flags;
  shard_flags
      .Add(app, dbs, searcher_options,
           "When a remote shard is down, answer from the others (and say which is missing) "
           "instead of failing")
      ->allow_extra_args(false);
  app.add_option("-n,--limit", request.limit, "Number of hits to show")->default_val(10);
  app.add_option("--offset", request.offset, "Skip this many hits (paging)")->default_val(0);
  app.add_option("--category", request.category, "Only documents of this category");
  app.add_option("--from", request.date_from,
                 "Only documents dated on or after this day (YYYY-MM-DD or D.M.YYYY)");
  app.add_option("--to", request.date_to,
                 "Only documents dated on or before this day (YYYY-MM-DD or D.M.YYYY)");
  app.add_option("--snippet-chars", request.snippet_chars, "Snippet length in characters")
      ->default_val(200);
  app.add_flag("--json", json, "Print one JSON object (total, took_ms, hits) for tools");
  app.add_option("--highlight", highlight,
                 "JSON highlights: 'mark' (<mark>…</mark> in snippet) or 'offsets'")
      ->check(CLI::IsMember({"mark", "offsets"}));
  app.add_flag("--explain", request.explain, "Show how the query was analysed");
  app.add_flag("--strict", strict, "Reject queries with syntax errors instead of repairing them");
  app.add_flag("--no-snippets", no_snippets, "Do not build snippets");
  app.add_option("--color,--colour", colour, "Colour: auto, always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  std::string sort = "relevance";
  app.add_option("--sort", sort,
                 "Order of the hits: relevance (ties newest first), date (newest first) or "
                 "date-asc; a query of filters only lists newest first")
      ->default_val("relevance");
  std::vector<std::string> facets;
  app.add_option("--facets", facets,
                 "Count the matches per value of these facets (category, year), over all "
                 "matches, e.g. --facets category,year")
      ->delimiter(',');
  app.add_option("--facet-limit", request.facet_limit,
                 "Values shown per facet, most frequent first (1-1000)")
      ->default_val(10);
  app.add_option("--lexicon", searcher_options.lexicon_path, kLexiconOptionHelp);
  std::string server;
  app.add_option("--server", server,
                 "Search through a findling-server at HOST:PORT instead of opening --db");
  app.add_option("query", words, "The query (several arguments are joined by spaces)")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  if (dbs.empty()) dbs.push_back(DefaultDbPath());
  request.query = JoinArgs(words);
  request.parse_mode = strict ? ParseMode::kStrict : ParseMode::kLenient;
  request.snippets = !no_snippets;
  shard_flags.ApplyTo(searcher_options);
  request.facets = facets;
  auto sort_order = ParseSortOrder(sort);
  Status facets_ok = CheckFacets(facets);
  if (!sort_order.ok() || !facets_ok.ok()) {
    const Status& s = sort_order.ok() ? facets_ok : sort_order.status();
    std::fprintf(stderr, "findling-search: %s\n", s.message().c_str());
    return kExitUsage;
  }
  request.sort = sort_order.value();
  // Read as the readers and date: filters read days, so "--to 31.02.2024"
  // is a usage error rather than a filter no document can match.
  for (const auto& [flag, value] :
       {std::pair{"--from", &request.date_from}, std::pair{"--to", &request.date_to}}) {
    if (value->empty()) continue;
    const DateParse date = ParseDate(*value, DateTail::kRejected);
    if (!date.ok()) {
      std::fprintf(stderr, "findling-search: %s: %s\n", flag, date.error.c_str());
      return kExitUsage;
    }
    *value = FormatIsoDate(date.day);
  }

  // With --server the search runs in a findling-server; its answer is printed
  // as a local one would be, and with --json its response line as it came.
  std::string server_json;
  Result<SearchResponse> response = Status::Internal("no search ran");
  if (!server.empty()) {
    // Offsets carry the highlights back for PrintResponse.
    const auto style =
        json && highlight == "mark" ? HighlightStyle::kMark : HighlightStyle::kOffsets;
    response = client::SearchViaServer(server, request, style, &server_json);
  } else {
    auto searcher = Searcher::Open(dbs, searcher_options);
    if (!searcher.ok()) {
      return Fail(searcher.status(), ErrorCodeForOpen(searcher.status()), json, "");
    }
    response = searcher.value()->Search(request);
  }
  if (!response.ok()) {
    return Fail(response.status(), ErrorCodeFor(response.status()), json, server_json);
  }
  const SearchResponse& r = response.value();
  for (const std::string& shard : r.missing_shards) {
    std::fprintf(stderr, "findling-search: shard %s did not answer; these results lack it\n",
                 shard.c_str());
  }
  if (json && !server_json.empty()) {
    std::cout << server_json << "\n";
  } else if (json) {
    const auto style = highlight == "offsets" ? HighlightStyle::kOffsets : HighlightStyle::kMark;
    std::cout << ResponseToJson(r, style).dump(-1, ' ', false,
                                               nlohmann::json::error_handler_t::replace)
              << "\n";
  } else {
    PrintOptions print;
    print.colour = colour == "always" || (colour == "auto" && isatty(STDOUT_FILENO) &&
                                          std::getenv("NO_COLOR") == nullptr);
    PrintResponse(r, request, print, stdout);
  }
  return r.hits.empty() ? kExitNoResult : kExitOk;
}
