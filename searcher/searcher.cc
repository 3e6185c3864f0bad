#include "searcher/searcher.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>

#include "searcher/ranking.h"
#include "searcher/xapian_error.h"

namespace findling {
namespace {

using Clock = std::chrono::steady_clock;

// Orders by date, equal dates by relevance: a tie-break that every shard
// layout agrees on, where Xapian's own (the docid) differs between one index
// and shards. Documents without a date have no value, which Xapian sorts
// below every date when descending, as wanted. Ascending, an empty value
// would sort first: locally a key maker gives undated documents a key above
// every date instead. Xapian's remote protocol carries no key maker, only a
// value slot, so over remote shards SearchOnce lists the dated matches first
// (sorted by the slot) and the undated after them.
void SortByDate(Xapian::Enquire& enquire, bool newest_first, Xapian::KeyMaker* oldest_first) {
  if (newest_first || oldest_first == nullptr) {
    enquire.set_sort_by_value_then_relevance(schema::kDateSlot, /*reverse=*/newest_first);
  } else {
    enquire.set_sort_by_key_then_relevance(oldest_first, /*reverse=*/false);
  }
}

// "2024-03-01" -> "2024"; counts of dates summed per year.
std::vector<FacetValue> YearCounts(const Xapian::ValueCountMatchSpy& dates) {
  std::map<std::string, std::uint64_t> years;
  for (auto it = dates.values_begin(); it != dates.values_end(); ++it) {
    const std::string date = *it;
    if (date.size() >= 4) years[date.substr(0, 4)] += it.get_termfreq();
  }
  std::vector<FacetValue> out;
  for (const auto& [year, count] : years) out.push_back({year, count});
  return out;
}

std::vector<FacetValue> ValueCounts(const Xapian::ValueCountMatchSpy& spy) {
  std::vector<FacetValue> out;
  for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
    out.push_back({*it, it.get_termfreq()});
  }
  return out;
}

// A field filter on a field the index does not declare filterable is an
// error in both parse modes: lenient parsing repairs typing slips, but
// "author:Müller" on an index without authors would silently find nothing
// (or, searched as words, the wrong documents).
Status CheckFieldFilters(const QueryNode& node, const FieldSchema& fields) {
  if (node.kind == QueryNode::Kind::kField) {
    const FieldDeclaration* decl = fields.Find(node.field_name);
    if (decl == nullptr || !decl->filter) {
      return Status::InvalidInput(
          "at byte " + std::to_string(node.begin) + ": unknown field '" + node.field_name +
          "': this index " +
          (decl == nullptr ? "does not declare it" : "declares it without filter") +
          " (filterable fields: title, category, date" +
          (fields.FilterNames() == "none" ? std::string() : ", " + fields.FilterNames()) + ")");
    }
  }
  for (const auto& child : node.children) {
    if (Status s = CheckFieldFilters(*child, fields); !s.ok()) return s;
  }
  return Status::Ok();
}

// Most frequent first, ties in value order (so the output is stable), capped.
void RankFacetValues(std::vector<FacetValue>& values, std::uint32_t limit) {
  std::stable_sort(values.begin(), values.end(),
                   [](const FacetValue& a, const FacetValue& b) { return a.count > b.count; });
  if (values.size() > limit) values.resize(limit);
}

}  // namespace

Result<SortOrder> ParseSortOrder(std::string_view key) {
  if (key == "relevance") return SortOrder::kRelevance;
  if (key == "date") return SortOrder::kDateDesc;
  if (key == "date-asc") return SortOrder::kDateAsc;
  return Status::InvalidInput("unknown sort key \"" + std::string(key) +
                              "\" (one of: " + kSortKeys + ")");
}

const char* SortOrderName(SortOrder order) {
  switch (order) {
    case SortOrder::kRelevance:
      return "relevance";
    case SortOrder::kDateDesc:
      return "date";
    case SortOrder::kDateAsc:
      return "date-asc";
  }
  return "relevance";
}

Status CheckFacets(const std::vector<std::string>& facets) {
  std::set<std::string> seen;
  for (const std::string& f : facets) {
    std::string why;
    const auto name = NormalizeFieldName(f, &why);
    if (f != "category" && f != "year" && (!name || *name != f || IsReservedFieldName(f))) {
      return Status::InvalidInput("unknown facet \"" + f + "\" (one of: " + kFacetNames +
                                  ", or a field the index declares as a facet)");
    }
    if (!seen.insert(f).second) return Status::InvalidInput("facet \"" + f + "\" asked twice");
  }
  return Status::Ok();
}

Status Searcher::CheckFacetNames(const std::vector<std::string>& facets) const {
  if (Status s = CheckFacets(facets); !s.ok()) return s;
  for (const std::string& f : facets) {
    if (f == "category" || f == "year") continue;
    const FieldDeclaration* decl = fields_.Find(f);
    if (decl == nullptr || !decl->facet) {
      std::string known = kFacetNames;
      for (const FieldDeclaration& d : fields_.fields()) {
        if (d.facet) known += ", " + d.name;
      }
      return Status::InvalidInput(
          "unknown facet \"" + f + "\": this index " +
          (decl == nullptr ? "declares no field of that name" : "declares it without facet") +
          " (facets here: " + known + ")");
    }
  }
  return Status::Ok();
}

Searcher::Searcher(std::vector<std::string> paths, SearcherOptions options)
    : paths_(std::move(paths)), options_(options) {}

Searcher::~Searcher() = default;

Result<std::unique_ptr<Searcher>> Searcher::Open(const std::vector<std::string>& paths,
                                                 const SearcherOptions& options) {
  auto specs = ExpandShards(paths);
  if (!specs.ok()) return specs.status();
  std::unique_ptr<Searcher> s(new Searcher(paths, options));
  s->db_ = std::make_unique<Xapian::Database>();
  for (ShardSpec& spec : specs.value()) {
    Shard shard;
    shard.spec = std::move(spec);
    shard.last_try = Clock::now();
    auto db = OpenShard(shard.spec, options.shard_timeouts);
    if (!db.ok()) {
      if (!options.allow_partial || db.status().code() != Status::Code::kUnavailable) {
        return db.status();
      }
      shard.why_down = db.status().message();
      s->shards_.push_back(std::move(shard));
      continue;
    }
    try {
      if (s->signature_.empty()) {
        s->signature_ = db->get_metadata(schema::kAnalysisKey);
        s->fields_recorded_ = db->get_metadata(schema::kFieldsKey);
      }
      if (Status checked = s->CheckShard(shard.spec.Name(), db.value()); !checked.ok()) {
        return checked;
      }
    } catch (const Xapian::Error& e) {
      return Status::Unavailable("shard " + shard.spec.Name() +
                                 " is unavailable: " + e.get_description());
    }
    shard.db = std::move(db).value();
    shard.up = true;
    s->shards_.push_back(std::move(shard));
  }
  if (Status ready = s->ShardsReady(); !ready.ok()) return ready;
  s->Combine();
  const std::string first = s->shards_.front().spec.Name();
  auto analyzer_options = AnalyzerOptions::FromSignature(s->signature_);
  if (!analyzer_options.ok()) {
    return Status::Incompatible(first + ": " + analyzer_options.status().message());
  }
  analyzer_options.value().lexicon_path = options.lexicon_path;
  auto analyzer = Analyzer::Create(analyzer_options.value());
  if (!analyzer.ok()) {
    return Status::Incompatible(
        first + " needs an analysis this installation cannot run: " + analyzer.status().message());
  }
  s->analyzer_ = std::move(analyzer).value();
  if (s->analyzer_->Signature() != s->signature_) {
    return Status::Incompatible(first + " was built by \"" + s->signature_ +
                                "\" but this installation analyses as \"" +
                                s->analyzer_->Signature() + "\"; re-index it with this version");
  }
  auto fields = FieldSchema::FromMetadata(s->fields_recorded_);
  if (!fields.ok()) return Status::Corruption(first + ": " + fields.status().message());
  s->fields_ = std::move(fields).value();
  s->vocabulary_ = std::make_unique<DatabaseVocabulary>(*s->db_, s->HasRemoteShards());
  s->builder_ = std::make_unique<QueryBuilder>(*s->analyzer_, *s->vocabulary_, options.weights);
  s->snippets_ = std::make_unique<SnippetBuilder>(*s->analyzer_);
  s->speller_ = std::make_unique<Speller>(*s->db_, *s->analyzer_);
  return s;
}

Status Searcher::CheckShard(const std::string& name, const Xapian::Database& db) const {
  const std::string signature = db.get_metadata(schema::kAnalysisKey);
  const std::string format = db.get_metadata(schema::kFormatKey);
  if (format != schema::kFormatVersion || signature.empty()) {
    return Status::Incompatible(name + " is not a Findling index of format " +
                                schema::kFormatVersion + " (found format \"" + format + "\")");
  }
  if (signature != signature_) {
    return Status::Incompatible(name + " was built by \"" + signature + "\" but " +
                                shards_.front().spec.Name() + " by \"" + signature_ +
                                "\"; indexes searched together need the same analysis");
  }
  const std::string fields = db.get_metadata(schema::kFieldsKey);
  if (fields != fields_recorded_) {
    auto shown = [](const std::string& f) { return f.empty() ? "none" : "\"" + f + "\""; };
    return Status::Incompatible(name + " declares the fields " + shown(fields) + " but " +
                                shards_.front().spec.Name() + " declares " +
                                shown(fields_recorded_) +
                                "; indexes searched together need the same field declaration");
  }
  return Status::Ok();
}

void Searcher::Combine() {
  Xapian::Database combined;
  for (const Shard& shard : shards_) {
    if (shard.up) combined.add_database(shard.db);
  }
  // Assigned, not replaced: vocabulary_ refers to *db_.
  *db_ = combined;
}

Status Searcher::ShardsReady() const {
  std::string down;
  bool any_up = false;
  for (const Shard& shard : shards_) {
    any_up = any_up || shard.up;
    if (!shard.up) down += (down.empty() ? "" : "; ") + shard.why_down;
  }
  if (down.empty()) return Status::Ok();
  if (!any_up) return Status::Unavailable("no shard answers: " + down);
  if (!options_.allow_partial) return Status::Unavailable(down);
  return Status::Ok();
}

bool Searcher::HasRemoteShards() const {
  return std::any_of(shards_.begin(), shards_.end(), [](const Shard& shard) {
    return shard.spec.kind == ShardSpec::Kind::kRemote;
  });
}

std::vector<std::string> Searcher::missing_shards() const {
  std::vector<std::string> names;
  for (const Shard& shard : shards_) {
    if (!shard.up) names.push_back(shard.spec.Name());
  }
  return names;
}

void Searcher::RetryDownShards() {
  bool changed = false;
  const auto now = Clock::now();
  for (Shard& shard : shards_) {
    if (shard.up || now - shard.last_try < options_.shard_retry_interval) continue;
    shard.last_try = now;
    auto db = OpenShard(shard.spec, options_.shard_timeouts);
    if (!db.ok()) {
      shard.why_down = db.status().message();
      continue;
    }
    try {
      if (Status checked = CheckShard(shard.spec.Name(), db.value()); !checked.ok()) {
        shard.why_down = checked.message();
        continue;
      }
    } catch (const Xapian::Error& e) {
      shard.why_down = "shard " + shard.spec.Name() + " is unavailable: " + e.get_description();
      continue;
    }
    shard.db = std::move(db).value();
    shard.up = true;
    changed = true;
  }
  if (changed) Combine();
}

void Searcher::ReconnectRemotes(const Status& failure) {
  const auto now = Clock::now();
  for (Shard& shard : shards_) {
    if (shard.spec.kind != ShardSpec::Kind::kRemote) continue;
    shard.last_try = now;
    shard.db = Xapian::Database();
    // A shard that timed out stays down until the retry interval rather
    // than cost a second time-out now; one that hung up (killed, restarted,
    // or xapian-tcpsrv's idle time-out) is reconnected at once, which is
    // quick either way.
    if (TimedOutAt(failure, shard.spec.host + ":" + std::to_string(shard.spec.port))) {
      shard.up = false;
      shard.why_down = "shard " + shard.spec.Name() + " is unavailable: " + failure.message();
      continue;
    }
    auto db = OpenShard(shard.spec, options_.shard_timeouts);
    shard.up = db.ok();
    if (db.ok()) {
      shard.db = std::move(db).value();
    } else {
      shard.why_down = db.status().message();
    }
  }
  Combine();
}

template <class Run>
auto Searcher::RunOnShards(const std::string& what, Run&& run) -> decltype(run()) {
  RetryDownShards();
  for (int attempt = 0;; ++attempt) {
    if (Status ready = ShardsReady(); !ready.ok()) return ready;
    // run()'s own Xapian calls may throw; QueryBuilder's have become a
    // Status already, by the same mapping. Either way the code decides.
    decltype(run()) result = [&]() -> decltype(run()) {
      try {
        return run();
      } catch (const Xapian::Error&) {
        return StatusOfXapianError(what);
      }
    }();
    if (result.ok()) return result;
    const Status& failed = result.status();
    if (failed.code() == Status::Code::kModified) {
      // The indexer committed twice while we read: see the new state and retry.
      if (attempt >= 2) return Status::Io("index keeps changing: " + failed.message());
      (void)Reopen();
    } else if (failed.code() == Status::Code::kUnavailable) {
      // A remote shard hung up or did not answer in time. The other
      // connections may hold half-read answers: they reconnect, the failed
      // shard is down. With partial answers allowed the second attempt runs
      // on the shards that are up.
      ReconnectRemotes(failed);
      if (Status ready = ShardsReady(); !ready.ok()) return ready;
      if (attempt >= 1) return result;
    } else {
      return result;
    }
  }
}

Status Searcher::Reopen() {
  RetryDownShards();
  // A writer that commits twice between reopen() and the metadata read
  // below discards the revision just opened (DatabaseModifiedError); the
  // cure is to reopen again, as often as a search retries (RunOnShards).
  for (int attempt = 0;; ++attempt) {
    try {
      db_->reopen();
      // An index rebuilt with another field declaration (--rebuild --field
      // ...) while this Searcher had it open: filters and facets follow it.
      // (With no shard up the combined database has no metadata to go by.)
      const bool any_up =
          std::any_of(shards_.begin(), shards_.end(), [](const Shard& sh) { return sh.up; });
      const std::string fields =
          any_up ? db_->get_metadata(schema::kFieldsKey) : fields_recorded_;
      if (fields != fields_recorded_) {
        auto parsed = FieldSchema::FromMetadata(fields);
        if (!parsed.ok()) return parsed.status();
        fields_recorded_ = fields;
        fields_ = std::move(parsed).value();
      }
      return Status::Ok();
    } catch (const Xapian::DatabaseModifiedError& e) {
      if (attempt >= 2) return Status::Io("reopening index: " + e.get_description());
    } catch (const Xapian::NetworkError&) {
      Status failed = StatusOfXapianError("reopening shards");
      ReconnectRemotes(failed);
      return failed;
    } catch (const Xapian::Error& e) {
      return Status::Io("reopening index: " + e.get_description());
    }
  }
}

Result<std::uint64_t> Searcher::document_count() {
  try {
    return std::uint64_t{db_->get_doccount()};
  } catch (const Xapian::NetworkError& e) {
    return Status::Unavailable("counting documents: " + e.get_description());
  } catch (const Xapian::Error& e) {
    return Status::Io("counting documents: " + e.get_description());
  }
}

Result<SearchResponse> Searcher::Search(const SearchRequest& request) {
  auto response = RunOnShards("search", [&] { return SearchOnce(request); });
  if (response.ok()) response->missing_shards = missing_shards();
  return response;
}

Result<SearchResponse> Searcher::SearchOnce(const SearchRequest& request) {
  const auto started = Clock::now();
  const SearcherLimits& limits = options_.limits;
  if (request.limit > limits.max_limit) {
    return Status::Limit("limit " + std::to_string(request.limit) + " exceeds the maximum of " +
                         std::to_string(limits.max_limit));
  }
  if (std::uint64_t{request.offset} + request.limit > limits.max_window) {
    return Status::Limit("offset + limit exceeds the result window of " +
                         std::to_string(limits.max_window));
  }
  if (Status s = CheckFacetNames(request.facets); !s.ok()) return s;
  if (request.facet_limit == 0 || request.facet_limit > kMaxFacetLimit) {
    return Status::Limit("facet limit " + std::to_string(request.facet_limit) + " is outside 1.." +
                         std::to_string(kMaxFacetLimit));
  }
  auto parsed = ParseQuery(request.query, request.parse_mode, limits.parser);
  if (!parsed.ok()) return parsed.status();
  if (Status s = CheckFieldFilters(*parsed->root, fields_); !s.ok()) return s;
  auto built =
      builder_->Build(*parsed->root, {.max_wildcard_expansion = limits.max_wildcard_expansion,
                                      .all_words_first_max = options_.all_words_first_max,
                                      .strict = request.parse_mode == ParseMode::kStrict,
                                      .describe_query = request.explain});
  // An index modified under the vocabulary walk (kModified), or a remote
  // shard that hung up (kUnavailable): RunOnShards (the only caller) reopens
  // or reconnects and tries again.
  if (!built.ok()) return built.status();

  SearchResponse response;
  response.warnings = parsed->warnings;
  response.understood = parsed->root->ToString();
  if (request.explain) {
    response.explain.push_back("parsed: " + response.understood);
    for (const ParseWarning& w : parsed->warnings) {
      response.explain.push_back("repaired at byte " + std::to_string(w.offset) + ": " + w.message);
    }
    response.explain.insert(response.explain.end(), built->explain.begin(), built->explain.end());
  }

  Xapian::Query query = built->query;
  Xapian::Query all_words = built->all_words;
  std::vector<Xapian::Query> extra;
  if (!request.category.empty()) {
    extra.emplace_back(schema::kCategoryPrefix + schema::NormalizeCategory(request.category));
  }
  if (!request.date_from.empty() || !request.date_to.empty()) {
    const std::string from = request.date_from.empty() ? "0000-00-00" : request.date_from;
    const std::string to = request.date_to.empty() ? "9999-99-99" : request.date_to;
    extra.emplace_back(Xapian::Query::OP_VALUE_RANGE, schema::kDateSlot, from, to);
  }
  if (!extra.empty()) {
    const Xapian::Query filter(Xapian::Query::OP_AND, extra.begin(), extra.end());
    query = query.empty() ? filter : Xapian::Query(Xapian::Query::OP_FILTER, query, filter);
    if (!all_words.empty()) all_words = Xapian::Query(Xapian::Query::OP_FILTER, all_words, filter);
  }

  if (!query.empty()) {
    Xapian::Enquire enquire(*db_);
    enquire.set_weighting_scheme(Bm25(options_.weights));
    // A query of filters only scores every document alike: list it by date.
    const SortOrder sort = request.sort == SortOrder::kRelevance && built->matches.empty()
                               ? SortOrder::kDateDesc
                               : request.sort;
    // The matches listed before the others: documents with all bare words
    // (relevance), dated documents (oldest first over remote shards), or none.
    Xapian::Query first_tier = all_words;
    const bool remote = HasRemoteShards();
    Xapian::MultiValueKeyMaker oldest_first;
    oldest_first.add_value(schema::kDateSlot, /*reverse=*/false, /*defvalue=*/"\xff");
    // Equal weights newest first (RankPage's ties_by; the date travels to
    // remote shards).
    std::optional<Xapian::valueno> ties_by;
    if (sort == SortOrder::kRelevance) {
      ties_by = schema::kDateSlot;
    } else if (sort == SortOrder::kDateAsc && remote) {
      SortByDate(enquire, /*newest_first=*/false, nullptr);
      // Every stored date is "YYYY-MM-DD"; undated documents have no value.
      first_tier = Xapian::Query(Xapian::Query::OP_FILTER, query,
                                 Xapian::Query(Xapian::Query::OP_VALUE_GE, schema::kDateSlot, "0"));
    } else {
      SortByDate(enquire, sort == SortOrder::kDateDesc, &oldest_first);
      first_tier = Xapian::Query();
    }
    const RankedPage page =
        RankPage(enquire, query, first_tier, request.offset, request.limit, ties_by);
    response.total = page.total;
    if (!request.facets.empty()) {
      auto counted = CountFacets(query, request, response.facets);
      if (!counted.ok()) return counted.status();
      response.total = counted.value();
    }
    std::uint32_t rank = request.offset;
    SnippetOptions snippet_options{request.snippet_chars};
    for (const Xapian::MSetIterator& it : page.hits) {
      const Xapian::Document document = it.get_document();
      std::string header;
      if (!request.snippets) header = document.get_value(schema::kHeaderSlot);
      auto stored = StoredDocument::FromData(header.empty() ? document.get_data() : header);
      Hit hit;
      hit.rank = ++rank;
      hit.score = it.get_weight();
      if (stored.ok()) {
        StoredDocument& d = stored.value();
        hit.id = d.id, hit.title = d.title, hit.url = d.url, hit.date = d.date;
        hit.category = d.category;
        hit.fields = std::move(d.fields);
        if (request.snippets) {
          hit.snippet = snippets_->Build(d.text, built->matches, snippet_options);
          hit.title_highlights = snippets_->MarkAll(d.title, built->matches);
        }
      }
      response.hits.push_back(std::move(hit));
    }
  }
  if (query.empty()) {
    // Nothing to search: each asked facet is there, with no values.
    for (const std::string& facet : request.facets) response.facets.push_back({facet, {}});
  }
  if (response.total <= options_.suggest_below) {
    // The hits stand without a suggestion: a speller that cannot read the
    // index says so beside them rather than failing the search.
    auto suggestion = speller_->SuggestQuery(request.query, *parsed->root);
    if (suggestion.ok()) {
      response.suggestion = std::move(suggestion).value();
    } else {
      response.suggestion_error = suggestion.status().ToString();
    }
  }
  response.took_ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
  return response;
}

Result<Xapian::doccount> Searcher::CountFacets(const Xapian::Query& query,
                                               const SearchRequest& request,
                                               std::vector<FacetCounts>& out) {
  if (std::find(request.facets.begin(), request.facets.end(), "category") != request.facets.end() &&
      db_->get_value_freq(schema::kCategorySlot) == 0 &&
      db_->allterms_begin(schema::kCategoryPrefix) != db_->allterms_end(schema::kCategoryPrefix)) {
    return Status::Incompatible(
        "the index has categories but no category values (it was built before category "
        "facets); re-index it to count categories");
  }
  // A pass of its own over the whole match set: the page's passes stop
  // early (all-words-first, top-k), a spy must see every match.
  Xapian::Enquire enquire(*db_);
  enquire.set_query(query);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  Xapian::ValueCountMatchSpy categories(schema::kCategorySlot), dates(schema::kDateSlot);
  // A field facet: one spy per value slot that any document uses (a field
  // whose documents have one value each costs one spy); a document with
  // several values is counted once under each, as FieldSchema::Slot promises.
  std::vector<std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>>> field_spies(
      request.facets.size());
  for (std::size_t f = 0; f < request.facets.size(); ++f) {
    const std::string& facet = request.facets[f];
    if (facet == "year") {
      enquire.add_matchspy(&dates);
    } else if (facet == "category") {
      enquire.add_matchspy(&categories);
    } else {
      for (std::size_t i = 0; i < kFacetValuesPerDocument; ++i) {
        const unsigned slot = fields_.Slot(facet, i);
        if (db_->get_value_freq(slot) == 0) break;  // slot i is used only if slot i-1 is
        field_spies[f].push_back(std::make_unique<Xapian::ValueCountMatchSpy>(slot));
        enquire.add_matchspy(field_spies[f].back().get());
      }
    }
  }
  const Xapian::MSet all = enquire.get_mset(0, 0, db_->get_doccount());
  for (std::size_t f = 0; f < request.facets.size(); ++f) {
    const std::string& facet = request.facets[f];
    FacetCounts counts{facet, {}};
    if (facet == "year") {
      counts.values = YearCounts(dates);
    } else if (facet == "category") {
      counts.values = ValueCounts(categories);
    } else {
      std::map<std::string, std::uint64_t> summed;
      for (const auto& spy : field_spies[f]) {
        for (const FacetValue& v : ValueCounts(*spy)) summed[v.value] += v.count;
      }
      for (auto& [value, count] : summed) counts.values.push_back({value, count});
    }
    RankFacetValues(counts.values, request.facet_limit);
    out.push_back(std::move(counts));
  }
  return all.get_matches_estimated();
}

Result<StoredDocument> Searcher::Get(const std::string& id) {
  return RunOnShards("reading document " + id, [&]() -> Result<StoredDocument> {
    Xapian::PostingIterator it = db_->postlist_begin(schema::kIdPrefix + id);
    if (it == db_->postlist_end(schema::kIdPrefix + id)) {
      std::string missing;
      for (const std::string& name : missing_shards()) missing += " " + name;
      return Status::NotFound("no document with id \"" + id + "\"" +
                              (missing.empty() ? "" : " (shards not answering:" + missing + ")"));
    }
    return StoredDocument::FromData(db_->get_document(*it).get_data());
  });
}

Result<std::vector<std::string>> Searcher::SuggestWord(const std::string& word, std::size_t max) {
  return speller_->SuggestWord(word, max);
}

}  // namespace findling
