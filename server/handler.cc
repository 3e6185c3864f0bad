#include "server/handler.h"

#include "common/folder_bytes.h"
#include "common/utf8.h"
#include "searcher/response_json.h"

namespace findling::server {
namespace {

using nlohmann::json;

Reply Search(const Request& request, Searcher& searcher) {
  // Which fields are facets is the index's to say; an unknown one is a bad
  // request, as an unknown built-in facet is in ParseRequest.
  if (Status f = searcher.CheckFacetNames(request.search.facets); !f.ok()) {
    return ErrorReply(ErrorCode::kBadRequest, "\"facets\": " + f.message(), request.id);
  }
  auto response = searcher.Search(request.search);
  if (!response.ok()) {
    return ErrorReply(ErrorCodeFor(response.status()), response.status().message(), request.id);
  }
  return OkReply(ResponseToJson(response.value(), request.highlight), request.id);
}

Reply Get(const Request& request, Searcher& searcher) {
  auto doc = searcher.Get(request.doc);
  if (!doc.ok()) return ErrorReply(ErrorCodeFor(doc.status()), doc.status().message(), request.id);
  return OkReply({{"doc", DocumentToJson(doc.value())}}, request.id);
}

// How many documents `query` matches (0 on failure), without fetching any.
std::uint64_t CountMatches(Searcher& searcher, const std::string& query, std::string* suggestion) {
  SearchRequest probe;
  probe.query = query;
  probe.limit = 0;
  probe.snippets = false;
  auto probed = searcher.Search(probe);
  if (!probed.ok()) return 0;
  if (suggestion != nullptr) *suggestion = probed->suggestion;
  return probed->total;
}

Reply Suggest(const Request& request, Searcher& searcher, std::uint64_t rare) {
  // The Searcher's own "did you mean" comes with a search that finds (almost)
  // nothing. A client asking explicitly also wants it when other words of
  // the query do match, so each word that alone finds at most `rare`
  // documents (the Searcher's threshold) is replaced by its best candidate.
  std::string suggestion;
  CountMatches(searcher, request.text, &suggestion);
  json words = json::array();
  std::string composed;
  bool replaced = false;
  std::size_t copied = 0;
  for (const std::string& word : SplitWords(request.text)) {
    const std::uint64_t matches = CountMatches(searcher, word, nullptr);
    // Suggestions are all this request asks for: a speller that cannot read
    // the index fails it, where a search would still answer.
    auto suggested = searcher.SuggestWord(word, 5);
    if (!suggested.ok()) {
      return ErrorReply(ErrorCodeFor(suggested.status()), suggested.status().message(), request.id);
    }
    const std::vector<std::string>& candidates = suggested.value();
    words.push_back({{"word", word}, {"matches", matches}, {"suggestions", candidates}});
    if (matches > rare || candidates.empty()) continue;
    const std::size_t at = request.text.find(word, copied);
    composed += request.text.substr(copied, at - copied) + CapitalizeLike(candidates[0], word);
    copied = at + word.size();
    replaced = true;
  }
  if (suggestion.empty() && replaced) suggestion = composed + request.text.substr(copied);
  return OkReply({{"suggestion", suggestion}, {"words", std::move(words)}}, request.id);
}

}  // namespace

Reply OkReply(json body, const std::optional<json>& id) {
  return Reply{ResponseLine(std::move(body), id), std::nullopt, {}};
}

Reply ErrorReply(ErrorCode code, std::string_view message, const std::optional<json>& id) {
  return Reply{ErrorLine(code, message, id), code, std::string(message)};
}

Reply Execute(const Request& request, Searcher& searcher, Clock::time_point received,
              const ExecuteOptions& options) {
  const std::chrono::milliseconds budget = options.budget;
  const auto budget_ms = static_cast<double>(budget.count());
  if (const double waited = MillisSince(received); waited > budget_ms) {
    return ErrorReply(ErrorCode::kTimeout,
                      "waited " + std::to_string(static_cast<long>(waited)) +
                          " ms for a worker; the time budget is " + std::to_string(budget.count()) +
                          " ms (server busy)",
                      request.id);
  }
  Reply reply;
  try {
    switch (request.op) {
      case Op::kSearch:
        reply = Search(request, searcher);
        break;
      case Op::kGet:
        reply = Get(request, searcher);
        break;
      case Op::kSuggest:
        reply = Suggest(request, searcher, options.rare_word_matches);
        break;
      case Op::kStats:
      case Op::kPing:
        return ErrorReply(ErrorCode::kInternal, "op answered on the wrong thread", request.id);
    }
  } catch (const std::exception& e) {
    // The Searcher converts Xapian errors itself; this is for bad_alloc and bugs.
    return ErrorReply(ErrorCode::kInternal, std::string("unexpected failure: ") + e.what(),
                      request.id);
  }
  // A shard error stays what it is even when late: it names the shard to fix.
  if (const double took = MillisSince(received);
      took > budget_ms && reply.error != ErrorCode::kShardUnavailable) {
    return ErrorReply(ErrorCode::kTimeout,
                      "took " + std::to_string(static_cast<long>(took)) +
                          " ms; the time budget is " + std::to_string(budget.count()) + " ms",
                      request.id);
  }
  return reply;
}

bool IsHeavy(const Request& request) {
  if (request.op != Op::kSearch) return false;
  const auto blank = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  std::size_t words = 0;
  char previous = ' ';
  for (const char c : request.search.query) {
    if (c == '*' && !blank(previous) && previous != '(' && previous != ')' && previous != '"' &&
        previous != '*') {
      return true;  // a wildcard
    }
    if (!blank(c) && blank(previous) && ++words > kHeavyWords) return true;
    previous = c;
  }
  return false;
}

json StatsJson(const StatsSnapshot& s, const ServerFacts& f) {
  return {{"documents", f.documents},
          {"index_bytes", f.index_bytes},
          {"uptime_s", s.uptime_s},
          {"requests", s.requests},
          {"errors", s.errors},
          {"latency_ms",
           {{"p50", s.p50_ms}, {"p95", s.p95_ms}, {"p99", s.p99_ms}, {"window", s.latency_window}}},
          {"connections", s.connections},
          {"connections_total", s.connections_total},
          {"connections_rejected", s.connections_rejected},
          {"threads", f.threads},
          {"queued", f.queued},
          {"heavy",
           {{"max", f.max_heavy},
            {"queued", f.heavy_queued},
            {"running", f.heavy_running},
            {"run", f.heavy_run}}}};
}

std::uint64_t IndexBytesOnDisk(const std::vector<std::string>& paths) {
  std::uint64_t total = 0;
  for (const std::string& path : paths) total += FolderBytes(path);
  return total;
}

}  // namespace findling::server
