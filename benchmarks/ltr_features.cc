#include "benchmarks/ltr_features.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "common/index_schema.h"
#include "searcher/query_parser.h"
#include "searcher/ranking.h"

namespace findling::ltr {
namespace {

enum Feature : std::size_t {
  kRank,
  kScore,
  kStem,
  kTitle,
  kExact,
  kPart,
  kPairs,
  kWindows,
  kCoord,
  kCoordIdf,
  kAllWords,
  kInTitle,
  kPhrase,
  kDocLength,
  kTitleLength,
  kFeatureCount
};

// The word leaves a document is asked to match: not those under an
// exclusion or the right side of a NOT, nor phrases and wildcards (they are
// not words the coordination features count).
void CollectWords(const QueryNode& node, std::vector<const QueryNode*>& out) {
  switch (node.kind) {
    case QueryNode::Kind::kWord:
      out.push_back(&node);
      return;
    case QueryNode::Kind::kExclude:
      return;
    case QueryNode::Kind::kNot:
      if (!node.children.empty()) CollectWords(*node.children[0], out);
      return;
    default:
      for (const auto& child : node.children) CollectWords(*child, out);
  }
}

// A leaf of its own: `kind` with `text`, as the parser would give it.
QueryNode Leaf(QueryNode::Kind kind, const std::string& text, QueryField field) {
  QueryNode n;
  n.kind = kind;
  n.text = text;
  n.field = field;
  n.end = static_cast<std::uint32_t>(text.size());
  return n;
}

std::size_t CountWords(const std::string& text) {
  std::size_t words = 0;
  bool in_word = false;
  for (unsigned char c : text) {
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

}  // namespace

const std::vector<std::string>& FeatureNames() {
  static const std::vector<std::string> names = {
      "rank",  "score",     "stem",      "title",    "exact",  "part",    "pairs",    "windows",
      "coord", "coord_idf", "all_words", "in_title", "phrase", "doc_len", "title_len"};
  return names;
}

FeatureExtractor::~FeatureExtractor() = default;

Result<std::unique_ptr<FeatureExtractor>> FeatureExtractor::Open(const std::string& index,
                                                                 const SearcherOptions& options) {
  std::unique_ptr<FeatureExtractor> e(new FeatureExtractor());
  e->options_ = options;
  auto searcher = Searcher::Open({index}, options);
  if (!searcher.ok()) return searcher.status();
  e->searcher_ = std::move(searcher).value();
  try {
    e->db_ = Xapian::Database(index);
  } catch (const Xapian::Error& err) {
    return Status::Io(index + ": " + err.get_description());
  }
  auto analysis = AnalyzerOptions::FromSignature(e->searcher_->analysis_signature());
  if (!analysis.ok()) return Status::Incompatible(index + ": " + analysis.status().message());
  analysis.value().lexicon_path = options.lexicon_path;
  auto analyzer = Analyzer::Create(analysis.value());
  if (!analyzer.ok()) return Status::Incompatible(index + ": " + analyzer.status().message());
  e->analyzer_ = std::move(analyzer).value();
  e->vocabulary_ = std::make_unique<DatabaseVocabulary>(e->db_);

  // Stem only: every boost 0, and no typed-spelling tier (its fixed weight
  // is not BM25 and would count in every component alike).
  QueryWeights stem = options.weights;
  stem.title = stem.exact = stem.part = stem.proximity = stem.window = 0;
  stem.typed_spelling_first = false;
  std::vector<QueryWeights> weights(6, stem);
  weights[1].title = options.weights.title;
  weights[2].exact = options.weights.exact;
  weights[3].part = options.weights.part;
  weights[4].proximity = options.weights.proximity;
  weights[5].window = options.weights.window;
  e->default_builder_ =
      std::make_unique<QueryBuilder>(*e->analyzer_, *e->vocabulary_, options.weights);
  for (const QueryWeights& w : weights) {
    e->components_.push_back(
        {w, std::make_unique<QueryBuilder>(*e->analyzer_, *e->vocabulary_, w)});
  }
  return e;
}

Result<ExtractedQuery> FeatureExtractor::Extract(const std::string& query, std::size_t k,
                                                 std::size_t limit) {
  SearchRequest request;
  request.query = query;
  request.limit = static_cast<std::uint32_t>(std::max(k, limit));
  request.snippets = false;
  auto response = searcher_->Search(request);
  if (!response.ok()) return response.status();
  ExtractedQuery out;
  for (const Hit& h : response->hits) out.ranked.push_back(h.id);
  const std::size_t n = std::min(k, response->hits.size());
  if (n == 0) return out;
  out.features.assign(n, std::vector<double>(kFeatureCount, 0.0));

  auto parsed = ParseQuery(query, ParseMode::kLenient, options_.limits.parser);
  if (!parsed.ok()) return parsed.status();
  try {
    // The candidates' document ids, and a filter that admits only them.
    std::map<Xapian::docid, std::size_t> candidate;
    std::vector<std::string> id_terms;
    for (std::size_t c = 0; c < n; ++c) {
      const std::string term = schema::kIdPrefix + response->hits[c].id;
      id_terms.push_back(term);
      const Xapian::PostingIterator p = db_.postlist_begin(term);
      if (p != db_.postlist_end(term)) candidate[*p] = c;
    }
    const Xapian::Query only(Xapian::Query::OP_OR, id_terms.begin(), id_terms.end());
    Xapian::Enquire enquire(db_);
    // Each candidate's weight under `q` (0 where it does not match), in row order.
    auto weigh = [&](const Xapian::Query& q, const QueryWeights& w) {
      std::vector<double> weight(n, 0.0);
      if (q.empty()) return weight;
      enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, q, only));
      enquire.set_weighting_scheme(Bm25(w));
      const Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(n));
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        const auto c = candidate.find(*it);
        if (c != candidate.end()) weight[c->second] = it.get_weight();
      }
      return weight;
    };
    // Whether each candidate matches `q`, and how many documents of the index do.
    auto matches = [&](const Xapian::Query& q, Xapian::doccount* in_index) {
      std::vector<bool> match(n, false);
      if (q.empty()) return match;
      enquire.set_query(q);
      enquire.set_weighting_scheme(Xapian::BoolWeight());
      // A MSet of no documents, but every match counted exactly.
      const Xapian::MSet all = enquire.get_mset(0, 0, db_.get_doccount());
      if (in_index) *in_index = all.get_matches_estimated();
      // BoolWeight: a match can weigh 0, so ask the filter, not the weight.
      enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, q, only));
      const Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(n));
      for (auto it = mset.begin(); it != mset.end(); ++it) {
        const auto c = candidate.find(*it);
        if (c != candidate.end()) match[c->second] = true;
      }
      return match;
    };
    auto build = [&](QueryBuilder& builder, const QueryNode& root) -> Result<Xapian::Query> {
      auto built =
          builder.Build(root, {.max_wildcard_expansion = options_.limits.max_wildcard_expansion,
                               .all_words_first_max = 0,
                               .describe_query = false});
      if (!built.ok()) return built.status();
      return built->query;
    };

    // The components, each as its run minus the stem-only run.
    std::vector<std::vector<double>> component;
    for (Component& c : components_) {
      auto q = build(*c.builder, *parsed->root);
      if (!q.ok()) return q.status();
      component.push_back(weigh(q.value(), c.weights));
    }
    for (std::size_t c = 0; c < n; ++c) {
      const Hit& hit = response->hits[c];
      std::vector<double>& row = out.features[c];
      row[kRank] = static_cast<double>(k - c) / static_cast<double>(k);
      row[kScore] = hit.score;
      row[kStem] = component[0][c];
      for (std::size_t f = 1; f < component.size(); ++f)
        row[kStem + f] = component[f][c] - component[0][c];
    }

    // Coordination over the content words.
    std::vector<const QueryNode*> words;
    CollectWords(*parsed->root, words);
    QueryBuilder& stem_builder = *components_[0].builder;
    std::vector<const QueryNode*> content;
    std::vector<std::size_t> matched(n, 0), in_title(n, 0), phrases(n, 0);
    std::vector<double> idf_matched(n, 0.0);
    double idf_total = 0;
    const double docs = std::max<double>(1, db_.get_doccount());
    for (const QueryNode* word : words) {
      bool is_content = false;
      for (const Token& t : analyzer_->Analyze(word->text, AnalysisMode::kQuery)) {
        is_content |=
            t.role == TokenRole::kWord && !(t.is_stopword && options_.weights.drop_stopwords);
      }
      if (!is_content) continue;
      QueryNode alone = Leaf(QueryNode::Kind::kWord, word->text, QueryField::kAny);
      alone.suspended = word->suspended;
      alone.partner = word->partner;
      // The word as a query of its own with the default weights, so it
      // matches through its title stem, exact form and compound parts as the
      // word in the query does.
      auto q = build(*default_builder_, alone);
      if (!q.ok()) return q.status();
      if (q.value().empty()) continue;
      content.push_back(word);
      Xapian::doccount df = 0;
      const std::vector<bool> m = matches(q.value(), &df);
      const double idf = std::log(docs / std::max<double>(1, df));
      idf_total += idf;
      auto title_q =
          build(stem_builder, Leaf(QueryNode::Kind::kWord, word->text, QueryField::kTitle));
      if (!title_q.ok()) return title_q.status();
      const std::vector<bool> t = matches(title_q.value(), nullptr);
      for (std::size_t c = 0; c < n; ++c) {
        matched[c] += m[c];
        idf_matched[c] += m[c] ? idf : 0;
        in_title[c] += t[c];
      }
    }
    // Neighbouring content words as a phrase, with what the query has
    // between them (stop words included: phrases keep them).
    std::size_t pairs = 0;
    for (std::size_t i = 0; i + 1 < content.size(); ++i) {
      const QueryNode& a = *content[i];
      const QueryNode& b = *content[i + 1];
      if (b.end <= a.begin) continue;
      const std::string text = query.substr(a.begin, b.end - a.begin);
      if (text.find('"') != std::string::npos) continue;
      auto q = build(stem_builder, Leaf(QueryNode::Kind::kPhrase, text, QueryField::kAny));
      if (!q.ok()) return q.status();
      ++pairs;
      const std::vector<bool> p = matches(q.value(), nullptr);
      for (std::size_t c = 0; c < n; ++c) phrases[c] += p[c];
    }
    const double words_n = static_cast<double>(content.size());
    for (std::size_t c = 0; c < n; ++c) {
      std::vector<double>& row = out.features[c];
      if (!content.empty()) {
        row[kCoord] = static_cast<double>(matched[c]) / words_n;
        row[kCoordIdf] = idf_total > 0 ? idf_matched[c] / idf_total : row[kCoord];
        row[kAllWords] = matched[c] == content.size() ? 1 : 0;
        row[kInTitle] = static_cast<double>(in_title[c]) / words_n;
      }
      if (pairs > 0) row[kPhrase] = static_cast<double>(phrases[c]) / static_cast<double>(pairs);
      row[kTitleLength] = std::log1p(static_cast<double>(CountWords(response->hits[c].title)));
    }
    for (const auto& [docid, c] : candidate)
      out.features[c][kDocLength] = std::log1p(static_cast<double>(db_.get_doclength(docid)));
  } catch (const Xapian::Error& err) {
    return Status::Io("features of \"" + query + "\": " + err.get_description());
  }
  return out;
}

}  // namespace findling::ltr
