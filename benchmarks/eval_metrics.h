// Relevance metrics for BEIR-layout evaluation sets: loading qrels, queries
// and TREC run files, and MRR@10, nDCG@10, Recall@10 and Recall@100 computed
// the way BEIR (its `mrr`) and pytrec_eval/trec_eval (`ndcg_cut`, `recall`)
// define them, so Findling's figures compare with published ones and with
// ../shared/eval/PEERS.md.
//
// Definitions, per query with judgements J (document -> grade), where a
// document is relevant when its grade is > 0, and a ranked list r_1, r_2, ...:
//   RR@k      = 1 / i for the smallest i <= k with r_i relevant, else 0 (BEIR's
//               `mrr`: binary, the grade does not matter)
//   nDCG@k    = DCG@k / IDCG@k, DCG@k = sum_{i<=k} grade(r_i) / log2(i + 1)
//               (trec_eval's `ndcg_cut`: linear gain = the grade, unjudged = 0),
//               IDCG@k = the same sum over the judged grades sorted descending
//   Recall@k  = |relevant among r_1..r_k| / |relevant|  (trec_eval's `recall`)
// Averages run over every query of the qrels that has at least one relevant
// document; a query the run does not answer (or answers with nothing) counts
// as 0. That is what BEIR's MRR and `trec_eval -c` do; pytrec_eval alone
// would skip unanswered queries and flatter an engine that returns nothing.
// A run read from a file is ordered the way trec_eval orders it: score
// descending, ties by document id descending; a document listed twice for a
// query counts once, at its best score.
//
// Everything here is plain data and pure functions: thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace findling::eval {

// query id -> (document id -> grade). Grades <= 0 mean judged not relevant.
using Qrels = std::map<std::string, std::map<std::string, int>>;

// One query as the set gives it.
struct EvalQuery {
  std::string id;
  std::string text;
};

// query id -> document ids, best first (a ranked result list per query).
using Run = std::map<std::string, std::vector<std::string>>;

// Reads qrels: BEIR's TSV (`query-id<TAB>corpus-id<TAB>score`, with or
// without its header line) or TREC's `qid iter docid grade` (whitespace
// separated). Empty lines are skipped. Fails with kNotFound/kIo naming the
// file, kInvalidInput naming file:line for a line of another shape.
Result<Qrels> LoadQrels(const std::string& path);

// Reads queries.jsonl (`_id`, `text` per line; `id` is accepted for `_id`),
// in file order. kInvalidInput names file:line.
Result<std::vector<EvalQuery>> LoadQueries(const std::string& path);

// Reads a TREC run file (`qid Q0 docid rank score [tag]` per line) and orders
// each query's documents as trec_eval does (see above); the rank column is
// ignored, as trec_eval ignores it. kInvalidInput names file:line.
Result<Run> LoadRun(const std::string& path);

// Writes `run` as a TREC run file whose scores reproduce the given order
// exactly (score = list length - index), so LoadRun() and trec_eval read back
// the same ranking even where the engine's own scores are not monotone (as
// with all-words-first). kIo names the file.
Status WriteRun(const Run& run, const std::string& tag, const std::string& path);

// Metrics of one ranked list against one query's judgements.
double ReciprocalRankAt(const std::vector<std::string>& ranked,
                        const std::map<std::string, int>& judged, std::size_t k);
double NdcgAt(const std::vector<std::string>& ranked, const std::map<std::string, int>& judged,
              std::size_t k);
double RecallAt(const std::vector<std::string>& ranked, const std::map<std::string, int>& judged,
                std::size_t k);

struct Scores {
  double mrr10 = 0;
  double ndcg10 = 0;
  double recall10 = 0;
  double recall100 = 0;
  std::size_t queries = 0;     // queries averaged over (with >= 1 relevant document)
  std::size_t unanswered = 0;  // of those, how many the run has no result for
};

// The metrics of one query.
struct QueryScores {
  std::string query;
  double mrr10 = 0;
  double ndcg10 = 0;
  double recall10 = 0;
  double recall100 = 0;
  bool answered = false;  // the run has at least one result for it
};

// The metrics of `run` on each of the qrels' queries with a relevant document,
// in query id order (the qrels' order, so two runs scored against the same
// qrels line up query by query, as paired comparisons need).
std::vector<QueryScores> ScorePerQuery(const Qrels& qrels, const Run& run);

// Mean metrics of `run` over the qrels' queries with a relevant document
// (the means of ScorePerQuery).
Scores Evaluate(const Qrels& qrels, const Run& run);

}  // namespace findling::eval
