#include "benchmarks/eval_metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string_view>
#include <utility>

namespace findling::eval {
namespace {

// Splits on runs of spaces and tabs (TREC files use either).
std::vector<std::string> SplitWhitespace(const std::string& line) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  std::string field;
  while (in >> field) fields.push_back(field);
  return fields;
}

// Splits on single tabs, keeping empty fields (BEIR's TSV).
std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t begin = 0;
  while (true) {
    const std::size_t tab = line.find('\t', begin);
    fields.push_back(line.substr(begin, tab == std::string::npos ? tab : tab - begin));
    if (tab == std::string::npos) return fields;
    begin = tab + 1;
  }
}

bool ParseInt(const std::string& s, int* out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}

// strtod, as trec_eval reads scores with atof: "1e-3" and "12." are scores too.
bool ParseDouble(const std::string& s, double* out) {
  if (s.empty()) return false;
  char* end = nullptr;
  *out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

void StripCr(std::string& line) {
  if (!line.empty() && line.back() == '\r') line.pop_back();
}

Status OpenError(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status::NotFound(path + " does not exist");
  return Status::Io("cannot open " + path);
}

std::string Where(const std::string& path, std::size_t line) {
  return path + ":" + std::to_string(line);
}

// Calls on_line(line, where) for every line of the file that is not blank,
// its "\r" stripped, `where` being "path:line" for messages; the first error
// on_line returns ends the reading and is returned.
Status ForEachLine(const std::string& path,
                   const std::function<Status(const std::string&, const std::string&)>& on_line) {
  std::ifstream in(path);
  if (!in) return OpenError(path);
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    StripCr(line);
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    if (Status s = on_line(line, Where(path, number)); !s.ok()) return s;
  }
  if (in.bad()) return Status::Io("reading " + path + " failed");
  return Status::Ok();
}

}  // namespace

Result<Qrels> LoadQrels(const std::string& path) {
  Qrels qrels;
  bool first = true;
  Status status = ForEachLine(path, [&](const std::string& line, const std::string& where) {
    const bool header_allowed = std::exchange(first, false);
    std::vector<std::string> f = SplitTabs(line);
    if (f.size() != 3) f = SplitWhitespace(line);
    int grade = 0;
    if (f.size() == 3 && ParseInt(f[2], &grade)) {
      qrels[f[0]][f[1]] = grade;
    } else if (f.size() == 4 && ParseInt(f[3], &grade)) {
      qrels[f[0]][f[2]] = grade;                      // TREC: qid iter docid grade
    } else if (!(header_allowed && f.size() == 3)) {  // BEIR's header "query-id corpus-id score"
      return Status::InvalidInput(where +
                                  ": expected \"query-id<TAB>corpus-id<TAB>grade\" or "
                                  "\"qid iter docid grade\"");
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return qrels;
}

Result<std::vector<EvalQuery>> LoadQueries(const std::string& path) {
  std::vector<EvalQuery> queries;
  Status status = ForEachLine(path, [&](const std::string& line, const std::string& where) {
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) {
      return Status::InvalidInput(where + ": not a JSON object");
    }
    const auto id = j.contains("_id") ? j.find("_id") : j.find("id");
    const auto text = j.find("text");
    if (id == j.end() || !id->is_string() || text == j.end() || !text->is_string()) {
      return Status::InvalidInput(where + ": needs string fields \"_id\" and \"text\"");
    }
    queries.push_back({id->get<std::string>(), text->get<std::string>()});
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return queries;
}

Result<Run> LoadRun(const std::string& path) {
  // query id -> document id -> best score
  std::map<std::string, std::map<std::string, double>> scored;
  Status status = ForEachLine(path, [&](const std::string& line, const std::string& where) {
    const std::vector<std::string> f = SplitWhitespace(line);
    double score = 0;
    if (f.size() < 5 || f.size() > 6 || !ParseDouble(f[4], &score)) {
      return Status::InvalidInput(where + ": expected \"qid Q0 docid rank score [tag]\"");
    }
    auto [it, inserted] = scored[f[0]].emplace(f[2], score);
    if (!inserted) it->second = std::max(it->second, score);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  Run run;
  for (const auto& [query, docs] : scored) {
    std::vector<std::pair<double, std::string>> order;
    for (const auto& [doc, score] : docs) order.emplace_back(score, doc);
    // trec_eval's order: score descending, then document id descending.
    std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
      if (a.first != b.first) return a.first > b.first;
      return a.second > b.second;
    });
    std::vector<std::string>& ranked = run[query];
    for (auto& [score, doc] : order) ranked.push_back(std::move(doc));
  }
  return run;
}

Status WriteRun(const Run& run, const std::string& tag, const std::string& path) {
  std::ofstream out(path);
  if (!out) return Status::Io("cannot write " + path);
  for (const auto& [query, ranked] : run) {
    const std::size_t n = ranked.size();
    for (std::size_t i = 0; i < n; ++i) {
      out << query << " Q0 " << ranked[i] << ' ' << (i + 1) << ' ' << (n - i) << ' ' << tag << '\n';
    }
  }
  out.close();
  if (!out) return Status::Io("writing " + path + " failed");
  return Status::Ok();
}

double ReciprocalRankAt(const std::vector<std::string>& ranked,
                        const std::map<std::string, int>& judged, std::size_t k) {
  const std::size_t n = std::min(k, ranked.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto it = judged.find(ranked[i]);
    if (it != judged.end() && it->second > 0) return 1.0 / static_cast<double>(i + 1);
  }
  return 0;
}

double NdcgAt(const std::vector<std::string>& ranked, const std::map<std::string, int>& judged,
              std::size_t k) {
  // Rank i (1-based) is discounted by log2(i + 1).
  auto discount = [](std::size_t index0) { return std::log2(static_cast<double>(index0) + 2.0); };
  double dcg = 0;
  std::set<std::string_view> seen;  // a duplicated hit gains once
  const std::size_t n = std::min(k, ranked.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto it = judged.find(ranked[i]);
    if (it != judged.end() && it->second > 0 && seen.insert(ranked[i]).second) {
      dcg += it->second / discount(i);
    }
  }
  std::vector<int> ideal;
  for (const auto& [doc, grade] : judged) {
    if (grade > 0) ideal.push_back(grade);
  }
  std::sort(ideal.rbegin(), ideal.rend());
  double idcg = 0;
  for (std::size_t i = 0; i < std::min(k, ideal.size()); ++i) idcg += ideal[i] / discount(i);
  return idcg > 0 ? dcg / idcg : 0;
}

double RecallAt(const std::vector<std::string>& ranked, const std::map<std::string, int>& judged,
                std::size_t k) {
  std::size_t relevant = 0;
  for (const auto& [doc, grade] : judged) relevant += grade > 0;
  if (relevant == 0) return 0;
  std::size_t found = 0;
  std::set<std::string_view> seen;  // a duplicated hit must not count twice
  const std::size_t n = std::min(k, ranked.size());
  for (std::size_t i = 0; i < n; ++i) {
    const auto it = judged.find(ranked[i]);
    if (it != judged.end() && it->second > 0 && seen.insert(ranked[i]).second) ++found;
  }
  return static_cast<double>(found) / static_cast<double>(relevant);
}

std::vector<QueryScores> ScorePerQuery(const Qrels& qrels, const Run& run) {
  std::vector<QueryScores> out;
  static const std::vector<std::string> kNothing;
  for (const auto& [query, judged] : qrels) {
    const bool has_relevant =
        std::any_of(judged.begin(), judged.end(), [](const auto& j) { return j.second > 0; });
    if (!has_relevant) continue;
    const auto it = run.find(query);
    const std::vector<std::string>& ranked = it == run.end() ? kNothing : it->second;
    QueryScores q;
    q.query = query;
    q.answered = !ranked.empty();
    q.mrr10 = ReciprocalRankAt(ranked, judged, 10);
    q.ndcg10 = NdcgAt(ranked, judged, 10);
    q.recall10 = RecallAt(ranked, judged, 10);
    q.recall100 = RecallAt(ranked, judged, 100);
    out.push_back(std::move(q));
  }
  return out;
}

Scores Evaluate(const Qrels& qrels, const Run& run) {
  Scores s;
  for (const QueryScores& q : ScorePerQuery(qrels, run)) {
    ++s.queries;
    s.unanswered += !q.answered;
    s.mrr10 += q.mrr10;
    s.ndcg10 += q.ndcg10;
    s.recall10 += q.recall10;
    s.recall100 += q.recall100;
  }
  if (s.queries > 0) {
    const double n = static_cast<double>(s.queries);
    s.mrr10 /= n, s.ndcg10 /= n, s.recall10 /= n, s.recall100 /= n;
  }
  return s;
}

}  // namespace findling::eval
