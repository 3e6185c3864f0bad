#include "searcher/query_builder.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "common/index_schema.h"
#include "common/stopwords.h"
#include "common/suspended_compound.h"
#include "common/utf8.h"
#include "searcher/ranking.h"
#include "searcher/xapian_error.h"

namespace findling {

struct QueryBuilder::Context {
  BuiltQuery* out;
  std::uint32_t max_wildcard_expansion;  // the whole query's (for messages)
  std::uint32_t per_wildcard;            // each wildcard's share of it; 0: no limit
  std::uint32_t all_words_first_max;
  bool strict;
  int next_word = 0;  // ids of query words in the MatchSet
  Status error;       // the first failure (strict: a wildcard past its share)
  // The typed-spelling tier's weight, as a share of the word's bound: 1 when
  // the query has one content word, weights.typed_multi with more.
  double typed_scale = 1;
  // Each word node's tokens, analysed once: counting the content words,
  // building the word and its proximity pairs all need them (analysis was
  // about 15% of a three-word search's instructions each time).
  std::unordered_map<const QueryNode*, std::vector<Token>> word_tokens;
  // A suspended compound's completed form ("Privatorganisationen" for
  // "-organisationen" after "Privatpersonen und"), "" when it has none.
  std::unordered_map<const QueryNode*, std::string> completed;
};

namespace {

// The one word token of `text` (a stop word too), or none when the text has
// no word or several ("KI-Chips", "Ein und").
std::optional<Token> OnlyWord(Analyzer& analyzer, std::string_view text) {
  std::optional<Token> word;
  for (Token& t : analyzer.Analyze(text, AnalysisMode::kQuery)) {
    if (t.role != TokenRole::kWord) continue;
    if (word) return std::nullopt;
    word = std::move(t);
  }
  return word;
}

}  // namespace

const std::string& QueryBuilder::Completed(const QueryNode& node, Context& ctx) {
  auto [it, fresh] = ctx.completed.try_emplace(&node);
  if (fresh && node.suspended != SuspendedSide::kNone) {
    it->second = CompleteSuspendedCompound(analyzer_, node.text, node.suspended, node.partner);
    if (it->second.empty() && node.suspended == SuspendedSide::kBack) {
      it->second = CompleteFromVocabulary(node);
    }
  }
  return it->second;
}

// "Ein- und Ausfuhr", "Vor- und Nachteile", "Hin- und Rückfahrt": the
// lexicon splits no compound whose first part is a particle (aus, nach,
// rück are no words of their own), so CompleteSuspendedCompound has no part
// to replace. Here the partner's first 2 to 5 letters are tried as that
// part, shortest first, and the piece plus the rest is taken when the index
// has that exact form ("einfuhr", "vorteile", "hinfahrt"): a word no
// document uses would find nothing anyway, and one that exists was most
// likely meant. The rest must keep at least 3 letters. One term lookup per
// letter tried, only for words ending in a suspended hyphen.
std::string QueryBuilder::CompleteFromVocabulary(const QueryNode& node) {
  const std::optional<Token> piece_word = OnlyWord(analyzer_, node.text);
  const std::optional<Token> partner_word = OnlyWord(analyzer_, node.partner);
  if (!piece_word || !partner_word) return "";
  const std::string& piece = piece_word->form;
  const std::string& partner = partner_word->form;
  if (piece.empty() || partner.empty()) return "";
  constexpr std::size_t kMinLetters = 2, kMaxLetters = 5, kMinRest = 3;
  std::size_t cut = 0;
  for (std::size_t letters = 1; letters <= kMaxLetters && cut < partner.size(); ++letters) {
    DecodeUtf8(partner, cut);
    if (letters < kMinLetters) continue;
    const std::string_view rest = std::string_view(partner).substr(cut);
    if (CountCodePoints(rest) < kMinRest) break;
    const std::string candidate = piece + std::string(rest);
    // A form the indexer would not have stored as a term (too long) is no lookup.
    if (candidate.size() > schema::kMaxTermBytes) break;
    if (vocabulary_.TermFreq(schema::kExactPrefix + candidate) > 0) return candidate;
  }
  return "";
}

// A suspended compound that can be completed is searched as the completed
// compound everywhere a word is (counting, the word, proximity); the piece
// as written is only Word()'s fallback.
const std::vector<Token>& QueryBuilder::WordTokens(const QueryNode& node, Context& ctx) {
  auto [it, fresh] = ctx.word_tokens.try_emplace(&node);
  if (fresh) {
    const std::string& completed = Completed(node, ctx);
    it->second = analyzer_.Analyze(completed.empty() ? node.text : completed, AnalysisMode::kQuery);
  }
  return it->second;
}

QueryBuilder::QueryBuilder(Analyzer& analyzer, const Vocabulary& vocabulary, QueryWeights weights)
    : analyzer_(analyzer), vocabulary_(vocabulary), weights_(weights) {
  if (analyzer_.options().stem && weights_.typed_spelling_first) {
    stemmer_ = std::make_unique<Stemmer>(analyzer_.options().stemmer);
  }
}

QueryBuilder::~QueryBuilder() = default;

Xapian::doccount Vocabulary::TermFreq(const std::string& term) const {
  Xapian::doccount freq = 0;
  ForEachTerm(term, [&](const std::string& t, Xapian::doccount f) {
    if (t == term) freq = f;
    return false;
  });
  return freq;
}

void DatabaseVocabulary::ForEachTerm(const std::string& prefix, const Visit& visit) const {
  const Xapian::TermIterator end = db_.allterms_end(prefix);
  for (Xapian::TermIterator it = db_.allterms_begin(prefix); it != end; ++it) {
    if (!visit(*it, it.get_termfreq())) return;
  }
}

namespace {

// The indexes of `prefixes`, in ascending byte order of the prefixes (equal
// ones in the order given).
std::vector<std::size_t> AscendingOrder(const std::vector<std::string>& prefixes) {
  std::vector<std::size_t> order(prefixes.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return prefixes[a] < prefixes[b]; });
  return order;
}

}  // namespace

void Vocabulary::ForEachTermUnder(const std::vector<std::string>& prefixes,
                                  const PrefixVisit& visit) const {
  for (const std::size_t i : AscendingOrder(prefixes)) {
    ForEachTerm(prefixes[i], [&](const std::string& term, Xapian::doccount freq) {
      return visit(i, term, freq);
    });
  }
}

void DatabaseVocabulary::ForEachTermUnder(const std::vector<std::string>& prefixes,
                                          const PrefixVisit& visit) const {
  if (remote_) return Vocabulary::ForEachTermUnder(prefixes, visit);
  if (prefixes.empty()) return;
  const std::vector<std::size_t> order = AscendingOrder(prefixes);
  // The list is restricted to what all the prefixes share, so that it ends
  // where the last of them does.
  const std::string& low = prefixes[order.front()];
  const std::string& high = prefixes[order.back()];
  std::size_t shared = 0;
  while (shared < low.size() && shared < high.size() && low[shared] == high[shared]) ++shared;
  const std::string common = low.substr(0, shared);
  const Xapian::TermIterator end = db_.allterms_end(common);
  Xapian::TermIterator it = db_.allterms_begin(common);
  const std::string* last = nullptr;
  for (const std::size_t i : order) {
    const std::string& prefix = prefixes[i];
    if (last != nullptr && prefix.starts_with(*last)) {
      // The last walk may have gone past the start of this prefix ("Ekae"
      // after "Eka", or the same one again), and skip_to only moves forward.
      it = db_.allterms_begin(common);
    } else if (it == end) {
      // Nothing under `common` is left, so nothing under this prefix, which
      // follows every term the last walk saw.
      continue;
    }
    last = &prefix;
    // Otherwise the walk stopped before this prefix or at its first term.
    it.skip_to(prefix);
    for (; it != end; ++it) {
      const std::string term = *it;
      if (term.compare(0, prefix.size(), prefix) != 0) break;
      if (!visit(i, term, it.get_termfreq())) break;
    }
  }
}

namespace {

using Q = Xapian::Query;

bool Usable(const Q& q) { return !q.empty(); }

Q Combine(Q::op op, const std::vector<Q>& parts) {
  std::vector<Q> usable;
  for (const Q& q : parts) {
    if (Usable(q)) usable.push_back(q);
  }
  if (usable.empty()) return Q();
  if (usable.size() == 1) return usable[0];
  return Q(op, usable.begin(), usable.end());
}

std::string Join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

// A word as the analyzer split it: the word token, its compound parts, and
// whether it is covered by a joined hyphen compound.
struct Unit {
  const Token* word = nullptr;
  std::vector<const Token*> parts;
};

void Group(const std::vector<Token>& tokens, std::vector<Unit>& units,
           std::vector<const Token*>& joined) {
  for (const Token& t : tokens) {
    switch (t.role) {
      case TokenRole::kWord:
        units.push_back({&t, {}});
        break;
      case TokenRole::kPart:
        if (!units.empty()) units.back().parts.push_back(&t);
        break;
      case TokenRole::kJoined:
        joined.push_back(&t);
        break;
    }
  }
}

}  // namespace

// One position slot of a phrase: the word itself, or the same word as a
// compound part.
static Q Slot(const Token& t, QueryField field) {
  if (field == QueryField::kTitle) return Q(schema::kTitlePrefix + t.stem);
  return Q(Q::OP_OR, Q(t.stem), Q(schema::kPartPrefix + t.stem));
}

static void AddSlots(const Unit& u, QueryField field, std::vector<Q>& slots,
                     std::vector<std::string>& names, MatchSet& matches, int word_id) {
  if (u.parts.size() >= 2 && field != QueryField::kTitle) {
    for (const Token* p : u.parts) {
      slots.push_back(Slot(*p, field));
      names.push_back(p->stem);
      matches.stems.emplace(p->stem, word_id);
    }
  } else {
    slots.push_back(Slot(*u.word, field));
    names.push_back(u.word->stem);
    matches.stems.emplace(u.word->stem, word_id);
  }
}

static Q PhraseOf(const std::vector<Q>& slots) {
  if (slots.empty()) return Q();
  if (slots.size() == 1) return slots[0];
  return Q(Q::OP_PHRASE, slots.begin(), slots.end(), static_cast<Xapian::termcount>(slots.size()));
}

namespace {

// Each wildcard costs a walk of the vocabulary under its prefix before any
// matching. Eight are more than a person types; more were a way to keep a
// server worker busy for seconds (when Xapian's OP_WILDCARD chose the most
// frequent expansions by opening the postings of every term under the
// prefix: about 60 ms for "a*" over 3,000 articles, whatever the limit).
constexpr std::uint32_t kMaxWildcards = 8;

struct Expansion {
  std::vector<std::string> terms;  // in byte order
  std::uint64_t seen = 0;          // terms under the prefix (strict: counted up to limit + 1)
};

// The `limit` (0: all) most frequent of the terms offered, the earlier term
// first on equal frequency, in a bounded heap: one walk of the vocabulary
// gives a wildcard's expansion without holding every term under it.
class TopTerms {
 public:
  explicit TopTerms(std::uint32_t limit) : limit_(limit) {}

  // Offers a term; false when it was not kept at once because the heap is
  // full (strict mode stops there: it only needs to know there is one more).
  bool Offer(const std::string& term, Xapian::doccount freq) {
    ++seen_;
    if (limit_ == 0 || kept_.size() < limit_) {
      kept_.push_back({term, freq});
      if (kept_.size() == limit_) std::make_heap(kept_.begin(), kept_.end(), Better);
      return true;
    }
    const Candidate& worst = kept_.front();
    if (freq > worst.freq || (freq == worst.freq && term < worst.term)) {
      std::pop_heap(kept_.begin(), kept_.end(), Better);
      kept_.back().term = term;
      kept_.back().freq = freq;
      std::push_heap(kept_.begin(), kept_.end(), Better);
    }
    return false;
  }

  // The best `n` kept (0: all of them), in byte order. The best n of the
  // best `limit` are the best n of all offered, for n up to limit.
  Expansion Best(std::uint32_t n) const {
    std::vector<Candidate> best = kept_;
    if (n != 0 && best.size() > n) {
      std::nth_element(best.begin(), best.begin() + n, best.end(), Better);
      best.resize(n);
    }
    Expansion out;
    out.seen = seen_;
    out.terms.reserve(best.size());
    for (Candidate& c : best) out.terms.push_back(std::move(c.term));
    std::sort(out.terms.begin(), out.terms.end());
    return out;
  }

 private:
  struct Candidate {
    std::string term;
    Xapian::doccount freq;
  };
  // a before b: a is the better expansion. As the heap order, it puts the
  // worst one kept on top.
  static bool Better(const Candidate& a, const Candidate& b) {
    return a.freq != b.freq ? a.freq > b.freq : a.term < b.term;
  }

  std::uint32_t limit_;
  std::uint64_t seen_ = 0;
  std::vector<Candidate> kept_;
};

// The `limit` (0: all) most frequent terms under `prefix`, the earlier term
// first on equal frequency, from one walk of the vocabulary. `stop_past_limit`
// ends the walk at the first term past the limit (strict mode only needs to
// know that there is one).
Expansion Expand(const Vocabulary& vocabulary, const std::string& prefix, std::uint32_t limit,
                 bool stop_past_limit) {
  TopTerms top(limit);
  vocabulary.ForEachTerm(prefix, [&](const std::string& term, Xapian::doccount freq) {
    return top.Offer(term, freq) || !stop_past_limit;
  });
  return top.Best(0);
}

// --- The typed-spelling tier -------------------------------------------------
//
// A spelling is told apart only by its umlauts and ß, never by inflection:
// "Bären" is "Bär" typed, "Bars" is not. So the comparison is between
// unfolded stems, the stem with the word's own umlauts and ß put back.

constexpr std::string_view kAUml = "\xC3\xA4";  // ä
constexpr std::string_view kOUml = "\xC3\xB6";  // ö
constexpr std::string_view kUUml = "\xC3\xBC";  // ü
constexpr std::string_view kSz = "\xC3\x9F";    // ß

// The prefix of the lower-case `form` that german2's folding (ä/ae -> a,
// ö/oe -> o, ü/ue -> u, ß -> ss) turns into `stem`: "bären"/"bar" -> "bär",
// "mueller"/"mull" -> "muell". "" when there is none (a stem that is not a
// folded prefix of its form).
std::string UnfoldedStem(std::string_view form, std::string_view stem) {
  // Depth-first over the few ambiguous spots ("ue" as ü or as u, e), with a
  // bound on the steps so that no form can make it slow.
  struct Walker {
    std::string_view form, stem;
    int steps_left = 1000;
    std::size_t Match(std::size_t f, std::size_t s) {
      if (s == stem.size()) return f;
      if (f >= form.size() || --steps_left <= 0) return std::string_view::npos;
      const std::string_view rest = form.substr(f);
      const auto take = [&](std::size_t form_bytes, std::string_view folded) {
        if (stem.substr(s, folded.size()) != folded) return std::string_view::npos;
        return Match(f + form_bytes, s + folded.size());
      };
      std::size_t end = std::string_view::npos;
      if (rest.starts_with(kAUml)) return take(2, "a");
      if (rest.starts_with(kOUml)) return take(2, "o");
      if (rest.starts_with(kUUml)) return take(2, "u");
      if (rest.starts_with(kSz)) {
        end = take(2, "ss");
        // A stem may end inside the "ss" of a ß.
        if (end == std::string_view::npos && s + 1 == stem.size() && stem[s] == 's') end = f + 2;
        return end;
      }
      end = take(1, rest.substr(0, 1));
      if (end != std::string_view::npos) return end;
      if (rest.size() >= 2 && rest[1] == 'e' &&
          (rest[0] == 'a' || rest[0] == 'o' || rest[0] == 'u')) {
        return take(2, rest.substr(0, 1));
      }
      return std::string_view::npos;
    }
  };
  Walker walker{form, stem};
  const std::size_t end = walker.Match(0, 0);
  if (end == std::string_view::npos) return "";
  return std::string(form.substr(0, end));
}

// Every spelling of `unfolded` with its umlauts and ß written another way
// (a/ä/ae, o/ö/oe, u/ü/ue, ss/ß), itself included; empty when there would be
// more than `max` (the tier is then left out: a long word with many vowels).
std::vector<std::string> SpellingVariants(std::string_view unfolded, std::size_t max) {
  std::vector<std::vector<std::string_view>> units;
  static constexpr std::string_view kA[] = {"a", kAUml, "ae"};
  static constexpr std::string_view kO[] = {"o", kOUml, "oe"};
  static constexpr std::string_view kU[] = {"u", kUUml, "ue"};
  static constexpr std::string_view kS[] = {"ss", kSz};
  std::size_t count = 1;
  for (std::size_t i = 0; i < unfolded.size();) {
    const std::string_view rest = unfolded.substr(i);
    const auto unit = [&](std::span<const std::string_view> choices, std::size_t bytes) {
      units.emplace_back(choices.begin(), choices.end());
      count *= choices.size();
      i += bytes;
    };
    const bool digraph = rest.size() >= 2 && rest[1] == 'e';
    if (rest.starts_with(kAUml))
      unit(kA, 2);
    else if (rest.starts_with(kOUml))
      unit(kO, 2);
    else if (rest.starts_with(kUUml))
      unit(kU, 2);
    else if (rest.starts_with(kSz) || rest.starts_with("ss"))
      unit(kS, 2);
    else if (rest[0] == 'a')
      unit(kA, digraph ? 2 : 1);
    else if (rest[0] == 'o')
      unit(kO, digraph ? 2 : 1);
    else if (rest[0] == 'u' && !(i > 0 && unfolded[i - 1] == 'q'))
      unit(kU, digraph ? 2 : 1);
    else {
      units.push_back({rest.substr(0, 1)});
      ++i;
    }
    if (count > max) return {};
  }
  std::vector<std::string> out = {""};
  for (const auto& choices : units) {
    std::vector<std::string> next;
    next.reserve(out.size() * choices.size());
    for (const std::string& head : out) {
      for (std::string_view c : choices) next.push_back(head + std::string(c));
    }
    out = std::move(next);
  }
  return out;
}

// Xapian's BM25 idf (bm25weight.cc, Xapian 1.4) for a term in `termfreq` of
// `doccount` documents.
double Bm25Idf(Xapian::doccount doccount, Xapian::doccount termfreq) {
  double tw = (static_cast<double>(doccount) - termfreq + 0.5) / (termfreq + 0.5);
  if (tw < 2) tw = tw * 0.5 + 1;
  return std::log(tw);
}

std::uint32_t CountPrefixes(const QueryNode& node) {
  std::uint32_t n = node.kind == QueryNode::Kind::kPrefix ? 1 : 0;
  for (const auto& child : node.children) n += CountPrefixes(*child);
  return n;
}

}  // namespace

bool QueryBuilder::Ignorable(const Token& word) const {
  return word.is_stopword || (weights_.drop_question_words && IsGermanQuestionWord(word.form));
}

// Content words (stop words aside when they are dropped) in the query's word
// nodes, and its wildcards.
std::uint32_t QueryBuilder::CountContentWords(const QueryNode& node, Context& ctx) {
  std::uint32_t n = node.kind == QueryNode::Kind::kPrefix ? 1 : 0;
  if (node.kind == QueryNode::Kind::kWord) {
    for (const Token& t : WordTokens(node, ctx)) {
      n += t.role == TokenRole::kWord && !(weights_.drop_stopwords && Ignorable(t));
    }
  }
  for (const auto& child : node.children) n += CountContentWords(*child, ctx);
  return n;
}

Result<BuiltQuery> QueryBuilder::Build(const QueryNode& root, const BuildOptions& options) {
  try {
    return BuildQuery(root, options);
  } catch (const Xapian::Error&) {
    return StatusOfXapianError("building the query");
  }
}

Result<BuiltQuery> QueryBuilder::BuildQuery(const QueryNode& root, const BuildOptions& options) {
  const std::uint32_t max_wildcard_expansion = options.max_wildcard_expansion;
  BuiltQuery out;
  // The expansion limit is the whole query's, shared by its wildcards, so the
  // matcher never gets more than max_wildcard_expansion expanded terms. With
  // a limit per wildcard and no cap on their number, "a* a* a* ..." (up to
  // max_terms of them) kept a server worker busy for half a minute, far past
  // its time budget (found by benchmarks/hostile_client.cc).
  const std::uint32_t prefixes = CountPrefixes(root);
  if (prefixes > kMaxWildcards) {
    return Status::Limit("more than " + std::to_string(kMaxWildcards) + " wildcards (" +
                         std::to_string(prefixes) + ")");
  }
  const std::uint32_t per_prefix =
      prefixes > 1 ? std::max<std::uint32_t>(1, max_wildcard_expansion / prefixes)
                   : max_wildcard_expansion;
  Context ctx{
      &out, max_wildcard_expansion, per_prefix, options.all_words_first_max, options.strict, 0, {}};
  // Strict over one word ("Bär" ranks every document with "Bär" or "Bären"
  // above those with only "Bar"); with more words a bound per word would
  // outweigh the other words (-0.047 MRR@10 on xquad-de), so it is scaled.
  if (stemmer_ && CountContentWords(root, ctx) > 1) {
    ctx.typed_scale = weights_.typed_multi;
  }
  if (root.kind == QueryNode::Kind::kBare) {
    out.query = Bare(root, ctx, /*top_level=*/true);
  } else {
    out.query = Node(root, ctx);
  }
  if (!ctx.error.ok()) return ctx.error;
  if (options.describe_query && Usable(out.query)) {
    // Expanded wildcards list every word they kept (20 KB for "a*"): the
    // prefix lines above say how many.
    constexpr std::size_t kMaxDescription = 2000;
    std::string description = out.query.get_description();
    if (description.size() > kMaxDescription) {
      const std::size_t total = description.size();
      description.resize(AlignToCodePoint(description, kMaxDescription));
      description += " … (" + std::to_string(total) + " bytes)";
    }
    out.explain.push_back("xapian: " + description);
  }
  return out;
}

Xapian::Query QueryBuilder::SingleWord(const Token& word, const std::vector<const Token*>& parts,
                                       QueryField field, Context& ctx) {
  MatchSet& m = ctx.out->matches;
  const int id = ctx.next_word++;
  m.stems.emplace(word.stem, id);
  std::string line = "word " + word.form + " -> stem " + word.stem;
  if (word.is_number) line += " (number: not stemmed)";
  if (field == QueryField::kTitle) {
    ctx.out->explain.push_back(line + " (title only)");
    return Q(schema::kTitlePrefix + word.stem);
  }
  m.part_stems.emplace(word.stem, id);
  std::vector<Q> part_slots;
  std::vector<double> part_idfs;
  if (parts.size() >= 2) {
    std::vector<std::string> names;
    const Xapian::doccount doccount = weights_.part_idf > 0 ? vocabulary_.DocCount() : 0;
    for (const Token* p : parts) {
      part_slots.push_back(Slot(*p, QueryField::kAny));
      names.push_back(p->stem);
      m.part_stems.emplace(p->stem, id);
      if (doccount > 0) {
        // The slot matches the part as a word or as a compound part: at most
        // the sum of both frequencies.
        const Xapian::doccount freq = std::min<Xapian::doccount>(
            doccount,
            vocabulary_.TermFreq(p->stem) + vocabulary_.TermFreq(schema::kPartPrefix + p->stem));
        part_idfs.push_back(freq > 0 ? Bm25Idf(doccount, freq) : 0);
      }
    }
    line += ", compound parts " + Join(names, " + ") + " (all required, weight " +
            std::to_string(weights_.part).substr(0, 4) + ")";
  }
  ctx.out->explain.push_back(line);
  const Q any_spelling = WordScore(word, part_slots, part_idfs, weights_);
  // AND_MAYBE: the tier only weighs documents the word matches anyway (its
  // forms have the word's stem), so it adds no match and leaves Xapian's
  // estimate of the total alone (an OR with the posting source in it
  // counted 30 documents for 20 matches).
  const Q tier = TypedSpelling(word, parts, ctx);
  return Usable(tier) ? Q(Q::OP_AND_MAYBE, any_spelling, tier) : any_spelling;
}

Xapian::Query QueryBuilder::TypedSpelling(const Token& word, const std::vector<const Token*>& parts,
                                          Context& ctx) {
  // Bounds on the vocabulary walks, which run before any matching: a word
  // has few umlaut spellings, and the forms of one stem under one spelling
  // are a few dozen inflections at most.
  constexpr std::size_t kMaxVariants = 27;
  constexpr std::uint64_t kMaxFormsWalked = 200;
  constexpr std::size_t kMaxTypedForms = 64;
  if (!stemmer_ || word.is_number || ctx.typed_scale <= 0) return Q();
  const Xapian::doccount doccount = vocabulary_.DocCount();
  if (doccount == 0) return Q();
  const std::string unfolded = UnfoldedStem(word.form, word.stem);
  if (unfolded.empty()) return Q();
  const std::vector<std::string> variants = SpellingVariants(unfolded, kMaxVariants);
  // The other spellings first: the tier exists only when one of them has a
  // form of this stem, which is rare (most words have none, and their walks
  // are one term-list seek each that finds nothing or stops at the first
  // form). Only then are the typed spelling's forms walked and stemmed, the
  // costly part (up to 200 Snowball calls): walking them first, as the first
  // version did, made one-word queries 1.6x slower for a tier that was then
  // dropped.
  //
  // All other spellings in one walk of the term list (ForEachTermUnder), not
  // one TermIterator each: "Ausfuhr" has 26, and each iterator of its own
  // read its path of blocks again. The form named in the explanation is
  // still that of the first spelling in SpellingVariants' order that has
  // one: a walk past that spelling stops at once.
  std::vector<std::string> others;  // in SpellingVariants' order
  std::vector<std::string> prefixes;
  for (const std::string& variant : variants) {
    if (variant == unfolded) continue;
    others.push_back(variant);
    prefixes.push_back(schema::kExactPrefix + variant);
  }
  std::size_t first_found = others.size();
  std::string other_form;  // one form in another spelling, for the explanation
  std::vector<std::uint64_t> walked_in(others.size(), 0);
  vocabulary_.ForEachTermUnder(
      prefixes, [&](std::size_t i, const std::string& term, Xapian::doccount) {
        if (i > first_found) return false;
        const std::string_view form = std::string_view(term).substr(1);
        if (stemmer_->Stem(form) == word.stem && UnfoldedStem(form, word.stem) == others[i]) {
          first_found = i;
          other_form = form;
          return false;
        }
        return ++walked_in[i] < kMaxFormsWalked;
      });
  if (other_form.empty()) return Q();
  std::vector<std::string> typed_forms;
  std::uint64_t walked = 0;
  vocabulary_.ForEachTerm(
      schema::kExactPrefix + unfolded, [&](const std::string& term, Xapian::doccount) {
        if (stemmer_->Stem(std::string_view(term).substr(1)) == word.stem) {
          typed_forms.push_back(term);
        }
        return typed_forms.size() < kMaxTypedForms && ++walked < kMaxFormsWalked;
      });
  if (typed_forms.empty()) return Q();
  // What a document can earn through this word's other terms: BM25 gives a
  // term at most (k1 + 1) × idf, times (k3 + 1) = 2 for a term repeated in
  // the query (the proximity pairs repeat it), times the scale of each term.
  std::vector<std::string> terms = {word.stem, schema::kTitlePrefix + word.stem,
                                    schema::kPartPrefix + word.stem};
  for (const Token* p : parts) {
    terms.push_back(p->stem);
    terms.push_back(schema::kPartPrefix + p->stem);
  }
  double idf = 0;
  for (const std::string& t : terms) {
    const Xapian::doccount freq = vocabulary_.TermFreq(t);
    if (freq > 0) idf = std::max(idf, Bm25Idf(doccount, freq));
  }
  const double scales = 1 + weights_.title + weights_.exact + 2 * weights_.part +
                        2 * weights_.proximity + weights_.window * weights_.window_words;
  const double bound = (weights_.bm25_k1 + 1) * 2 * idf * scales * ctx.typed_scale;
  ctx.out->explain.push_back("spelling " + word.form + " typed: its " +
                             std::to_string(typed_forms.size()) +
                             " forms rank above other spellings (such as " + other_form + ")");
  Q typed = Q(Q::OP_OR, typed_forms.begin(), typed_forms.end());
  return Q(Q::OP_FILTER, Q((new Xapian::FixedWeightPostingSource(bound))->release()), typed);
}

Xapian::Query QueryBuilder::Word(const QueryNode& node, Context& ctx, bool drop_stopwords) {
  const std::string& completed = Completed(node, ctx);
  if (completed.empty()) return WrittenWord(node, ctx, drop_stopwords);
  // "-organisationen" after "Privatpersonen und": the writer meant
  // "Privatorganisationen", which is searched as that word is (its parts
  // included). The piece alone is a part of it and weighs as compound
  // parts do: a document that says "Organisationen" only is still found,
  // below one that has the compound.
  ctx.out->explain.push_back("suspended compound " + node.text + " with " + node.partner + " -> " +
                             completed);
  const Q whole = WrittenWord(node, ctx, drop_stopwords);
  // "Ein" is a stop word, and several words are no part: then no fallback.
  const std::optional<Token> piece_word = OnlyWord(analyzer_, node.text);
  if (!piece_word || piece_word->is_stopword || weights_.part <= 0) return whole;
  return Combine(Q::OP_OR, {whole, Q(Q::OP_SCALE_WEIGHT,
                                     SingleWord(*piece_word, {}, node.field, ctx), weights_.part)});
}

Xapian::Query QueryBuilder::WrittenWord(const QueryNode& node, Context& ctx, bool drop_stopwords) {
  const std::vector<Token>& tokens = WordTokens(node, ctx);
  std::vector<Unit> units;
  std::vector<const Token*> joined;
  Group(tokens, units, joined);
  if (units.empty()) {
    ctx.out->explain.push_back("\"" + node.text + "\" has no searchable word; ignored");
    return Q();
  }
  if (units.size() == 1) {
    if (drop_stopwords && Ignorable(*units[0].word)) {
      ctx.out->explain.push_back("stop word " + units[0].word->form + " ignored");
      return Q();
    }
    return SingleWord(*units[0].word, units[0].parts, node.field, ctx);
  }
  // Several words in one query word ("GPT-4o", "R1-Lite", a URL): the words
  // as a phrase, or the joined form.
  std::vector<Q> slots;
  std::vector<std::string> names;
  for (const Unit& u : units) {
    AddSlots(u, node.field, slots, names, ctx.out->matches, ctx.next_word++);
  }
  std::vector<Q> alternatives = {PhraseOf(slots)};
  std::string line = "word " + node.text + " -> phrase " + Join(names, " ");
  if (weights_.hyphen_pieces > 0 && slots.size() >= 2) {
    // "CPI-Maßstab" is often written apart ("der CPI, ein Maßstab") or
    // hyphenated another way ("BSkyB-Portfolio ... Sport"): all pieces
    // anywhere in the document still match, weighed as compound parts are.
    alternatives.emplace_back(Q::OP_SCALE_WEIGHT, Q(Q::OP_AND, slots.begin(), slots.end()),
                              weights_.hyphen_pieces);
    line += " or all of them apart";
  }
  for (const Token* j : joined) {
    if (j->position_length + j->position >= units.back().word->position + 1 &&
        j->position == units.front().word->position) {
      alternatives.push_back(SingleWord(*j, {}, node.field, ctx));
      line += " or joined " + j->stem;
    }
  }
  ctx.out->explain.push_back(line);
  return Combine(Q::OP_OR, alternatives);
}

Xapian::Query QueryBuilder::Phrase(const QueryNode& node, Context& ctx) {
  const std::vector<Token> tokens = analyzer_.Analyze(node.text, AnalysisMode::kQuery);
  std::vector<Unit> units;
  std::vector<const Token*> joined;
  Group(tokens, units, joined);
  std::vector<Q> slots;
  std::vector<std::string> names;
  for (const Unit& u : units) {
    AddSlots(u, node.field, slots, names, ctx.out->matches, ctx.next_word++);
  }
  ctx.out->explain.push_back("phrase \"" + node.text + "\" -> " + Join(names, " "));
  return PhraseOf(slots);
}

Xapian::Query QueryBuilder::Prefix(const QueryNode& node, Context& ctx) {
  const std::vector<Token> tokens = analyzer_.Analyze(node.text, AnalysisMode::kPrefix);
  // A hyphenated prefix ("KI-Chip*") is matched in its joined form.
  std::string form;
  for (const Token& t : tokens) {
    if (t.role == TokenRole::kJoined) form = t.form;
  }
  if (form.empty()) {
    for (const Token& t : tokens) form += t.form;
  }
  if (form.empty()) return Q();
  ctx.out->matches.prefixes.emplace_back(form, ctx.next_word++);
  std::string line = "prefix " + form + "* (unstemmed forms" +
                     (node.field == QueryField::kTitle ? ", title)" : ")");
  const std::string prefix =
      (node.field == QueryField::kTitle ? schema::kTitlePrefix : schema::kExactPrefix) + form;
  const std::uint32_t limit = ctx.per_wildcard;
  const Expansion expansion = Expand(vocabulary_, prefix, limit, ctx.strict);
  if (ctx.strict && limit != 0 && expansion.seen > limit) {
    if (ctx.error.ok()) {
      ctx.error = Status::Limit("wildcard expands to too many words (limit " +
                                std::to_string(ctx.max_wildcard_expansion) + ")");
    }
    return Q();
  }
  // The prefix in its other umlaut/ß spellings, as german2 folds words:
  // "Buch*" also finds "Bücher", "Strass*" "Straße", "Muell*" "Müller". They
  // share what is left of the wildcard's expansion limit, so the matcher
  // still gets at most that many terms; variants that extend the typed
  // prefix or another variant ("ae" after "a") are covered already.
  //
  // The variants are walked together (ForEachTermUnder: one term-list cursor
  // instead of one per variant, whose blocks were read again each time),
  // each keeping at most what is left of the limit after the typed prefix;
  // the shares are then handed out in SpellingVariants' order, as a walk
  // per variant did: each takes its most frequent forms up to what the
  // variants before it left over.
  std::vector<std::string> folded;
  if (weights_.fold_prefixes && analyzer_.options().stem &&
      (limit == 0 || expansion.terms.size() < limit)) {
    constexpr std::size_t kMaxPrefixVariants = 27;
    std::vector<std::string> walked = {form};
    std::vector<std::string> variant_prefixes;  // in SpellingVariants' order
    for (const std::string& variant : SpellingVariants(form, kMaxPrefixVariants)) {
      const bool covered = std::any_of(walked.begin(), walked.end(), [&](const std::string& w) {
        return variant.compare(0, w.size(), w) == 0;
      });
      if (covered) continue;
      walked.push_back(variant);
      variant_prefixes.push_back(prefix.substr(0, prefix.size() - form.size()) + variant);
    }
    const std::uint32_t left =
        limit == 0 ? 0 : limit - static_cast<std::uint32_t>(expansion.terms.size());
    std::vector<TopTerms> found(variant_prefixes.size(), TopTerms(left));
    vocabulary_.ForEachTermUnder(
        variant_prefixes, [&](std::size_t i, const std::string& term, Xapian::doccount freq) {
          found[i].Offer(term, freq);
          return true;
        });
    for (const TopTerms& variant : found) {
      const std::size_t kept = expansion.terms.size() + folded.size();
      if (limit != 0 && kept >= limit) break;
      const Expansion more =
          variant.Best(limit == 0 ? 0 : limit - static_cast<std::uint32_t>(kept));
      folded.insert(folded.end(), more.terms.begin(), more.terms.end());
    }
  }
  if (expansion.terms.empty() && folded.empty()) {
    ctx.out->explain.push_back(line + " -> no such word in the index");
    // Not an empty Query, which the callers drop as "nothing to search for":
    // "+Xylophon* Akten" must find nothing. A wildcard over an empty stretch
    // of the term list matches nothing and costs one lookup.
    return Q(Q::OP_WILDCARD, prefix);
  }
  line += " -> " + std::to_string(expansion.terms.size()) +
          (expansion.terms.size() == 1 ? " word" : " words");
  if (expansion.seen > expansion.terms.size()) {
    line += ", the most frequent of " + std::to_string(expansion.seen);
  }
  if (!folded.empty()) {
    line += ", and " + std::to_string(folded.size()) + " in another umlaut/ß spelling";
  }
  ctx.out->explain.push_back(line);
  std::vector<Q> terms;
  terms.reserve(expansion.terms.size() + folded.size());
  for (const std::string& term : expansion.terms) terms.emplace_back(term);
  for (const std::string& term : folded) terms.emplace_back(term);
  // As OP_WILDCARD does: BM25 weighs the expansions as one term.
  Q all(Q::OP_SYNONYM, terms.begin(), terms.end());
  const Xapian::doccount doccount = vocabulary_.DocCount();
  if (folded.empty() || expansion.terms.empty() || doccount == 0 || ctx.typed_scale <= 0) {
    return all;
  }
  // The typed prefix first, as the typed spelling of a word: a fixed weight
  // above what the synonym can earn ((k1 + 1) × the largest idf there is × 2
  // for a term repeated in the query), scaled as the word tier is.
  const double bound = (weights_.bm25_k1 + 1) * 2 * Bm25Idf(doccount, 1) * ctx.typed_scale;
  Q typed(Q::OP_OR, terms.begin(),
          terms.begin() + static_cast<std::ptrdiff_t>(expansion.terms.size()));
  return Q(Q::OP_AND_MAYBE, all,
           Q(Q::OP_FILTER, Q((new Xapian::FixedWeightPostingSource(bound))->release()), typed));
}

Xapian::Query QueryBuilder::Filter(const QueryNode& node) {
  if (node.kind == QueryNode::Kind::kCategory) {
    return Q(schema::kCategoryPrefix + schema::NormalizeCategory(node.text));
  }
  if (node.kind == QueryNode::Kind::kField) {
    // The Searcher has checked that the index declares the field filterable.
    return Q(schema::FieldTerm(node.field_name, node.text));
  }
  // kDateRange: inclusive; an open end is "anything before/after".
  if (!node.date_from.empty() && !node.date_to.empty()) {
    return Q(Q::OP_VALUE_RANGE, schema::kDateSlot, node.date_from, node.date_to);
  }
  if (!node.date_from.empty()) return Q(Q::OP_VALUE_GE, schema::kDateSlot, node.date_from);
  if (!node.date_to.empty()) return Q(Q::OP_VALUE_LE, schema::kDateSlot, node.date_to);
  return Q::MatchAll;
}

static bool IsFilter(const QueryNode& n) {
  return n.kind == QueryNode::Kind::kCategory || n.kind == QueryNode::Kind::kField ||
         n.kind == QueryNode::Kind::kDateRange;
}

Xapian::Query QueryBuilder::Bare(const QueryNode& node, Context& ctx, bool top_level) {
  std::vector<Q> optional, required, excluded, filters;
  for (const auto& child : node.children) {
    switch (child->kind) {
      case QueryNode::Kind::kRequire: {
        const QueryNode& c = *child->children.at(0);
        required.push_back(IsFilter(c)                        ? Filter(c)
                           : c.kind == QueryNode::Kind::kWord ? Word(c, ctx, false)
                                                              : Node(c, ctx));
        break;
      }
      case QueryNode::Kind::kExclude: {
        const QueryNode& c = *child->children.at(0);
        excluded.push_back(IsFilter(c)                        ? Filter(c)
                           : c.kind == QueryNode::Kind::kWord ? Word(c, ctx, false)
                                                              : Node(c, ctx));
        break;
      }
      case QueryNode::Kind::kCategory:
      case QueryNode::Kind::kField:
      case QueryNode::Kind::kDateRange:
        filters.push_back(Filter(*child));
        break;
      case QueryNode::Kind::kWord:
        optional.push_back(Word(*child, ctx, weights_.drop_stopwords));
        break;
      default:
        optional.push_back(Node(*child, ctx));
        break;
    }
  }
  // A query of stop words only ("Die Welt"? no: "die" alone) keeps them.
  std::size_t usable = 0;
  for (const Q& q : optional) usable += Usable(q);
  if (usable == 0 && required.empty()) {
    optional.clear();
    for (const auto& child : node.children) {
      if (child->kind == QueryNode::Kind::kWord) optional.push_back(Word(*child, ctx, false));
    }
  }
  std::vector<Q> opt;
  for (const Q& q : optional) {
    if (Usable(q)) opt.push_back(q);
  }
  Q any_optional = Combine(Q::OP_OR, opt);
  Q near;
  if (top_level && Usable(any_optional)) {
    // Proximity only ranks: it never makes a document match, nor counts as a word.
    near = Proximity(node, ctx);
    if (Usable(near)) {
      any_optional = Q(Q::OP_OR, any_optional, near);
      ctx.out->explain.push_back("ranking: neighbouring words close together count extra");
    }
  }
  const Q all_required = Combine(Q::OP_AND, required);
  Q query;
  if (Usable(all_required)) {
    query = Usable(any_optional) ? Q(Q::OP_AND_MAYBE, all_required, any_optional) : all_required;
  } else {
    query = any_optional;
  }
  const Q filter = Combine(Q::OP_AND, filters);
  const Q exclude = Combine(Q::OP_OR, excluded);
  auto finish = [&](Q q) {
    if (!Usable(q)) {
      // Only filters (or only exclusions): every document that passes them.
      if (!Usable(filter) && !Usable(exclude)) return Q();
      q = Q::MatchAll;
    }
    if (Usable(filter)) q = Q(Q::OP_FILTER, q, filter);
    if (Usable(exclude)) q = Q(Q::OP_AND_NOT, q, exclude);
    return q;
  };
  if (top_level && opt.size() >= 2 && opt.size() <= ctx.all_words_first_max) {
    std::vector<Q> all = opt;
    if (Usable(all_required)) all.push_back(all_required);
    Q tier = Combine(Q::OP_AND, all);
    // The tier is ranked by its own query, so without the boost here the
    // pairs and windows would only order the documents below it: the ones
    // the words close together matter most for are those with all of them.
    if (weights_.all_words_proximity && Usable(near)) tier = Q(Q::OP_AND_MAYBE, tier, near);
    ctx.out->all_words = finish(tier);
    ctx.out->explain.push_back("ranking: documents with all " + std::to_string(opt.size()) +
                               " words first");
  }
  return finish(query);
}

// The content words of a bare query in order, as runs of neighbours for
// ProximityBoost (searcher/ranking.h): stop words are skipped as the query
// skips them; a title word, a phrase, a wildcard or a hyphenated or dotted
// run of words ends a run.
Xapian::Query QueryBuilder::Proximity(const QueryNode& node, Context& ctx) {
  if (weights_.proximity <= 0 && weights_.window <= 0) return Q();
  std::vector<std::vector<Q>> runs(1);
  for (const auto& child : node.children) {
    if (child->kind != QueryNode::Kind::kWord || child->field == QueryField::kTitle) {
      if (!runs.back().empty()) runs.emplace_back();
      continue;
    }
    const std::vector<Token>& tokens = WordTokens(*child, ctx);
    const Token* word = nullptr;
    int words = 0;
    for (const Token& t : tokens) {
      if (t.role == TokenRole::kWord) word = &t, ++words;
    }
    if (words != 1) {  // nothing searchable, or a hyphenated or dotted run of words
      if (!runs.back().empty()) runs.emplace_back();
      continue;
    }
    if (weights_.drop_stopwords && Ignorable(*word)) continue;
    runs.back().push_back(Slot(*word, QueryField::kAny));
  }
  return ProximityBoost(runs, weights_);
}

Xapian::Query QueryBuilder::Node(const QueryNode& node, Context& ctx) {
  using K = QueryNode::Kind;
  switch (node.kind) {
    case K::kWord:
      return Word(node, ctx, false);
    case K::kPhrase:
      return Phrase(node, ctx);
    case K::kPrefix:
      return Prefix(node, ctx);
    case K::kBare:
      return Bare(node, ctx, false);
    case K::kCategory:
    case K::kField:
    case K::kDateRange:
      return Filter(node);
    case K::kMatchAll:
      return Q::MatchAll;
    case K::kRequire:
    case K::kExclude:
      // Outside a bare list (+x alone): +x is x; -x is everything but x.
      if (node.kind == K::kRequire) return Node(*node.children.at(0), ctx);
      return Q(Q::OP_AND_NOT, Q::MatchAll, Node(*node.children.at(0), ctx));
    case K::kAnd: {
      std::vector<Q> scored, filters;
      for (const auto& c : node.children) {
        (IsFilter(*c) ? filters : scored).push_back(IsFilter(*c) ? Filter(*c) : Node(*c, ctx));
      }
      Q q = Combine(Q::OP_AND, scored);
      const Q f = Combine(Q::OP_AND, filters);
      if (!Usable(f)) return q;
      return Usable(q) ? Q(Q::OP_FILTER, q, f) : f;
    }
    case K::kOr: {
      std::vector<Q> parts;
      for (const auto& c : node.children) parts.push_back(Node(*c, ctx));
      return Combine(Q::OP_OR, parts);
    }
    case K::kNot: {
      Q left = node.children.empty() ? Q::MatchAll : Node(*node.children[0], ctx);
      if (!Usable(left)) left = Q::MatchAll;
      if (node.children.size() < 2) return left;
      const Q right = Node(*node.children[1], ctx);
      return Usable(right) ? Q(Q::OP_AND_NOT, left, right) : left;
    }
  }
  return Q();
}

}  // namespace findling
