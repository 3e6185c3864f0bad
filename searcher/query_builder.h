// QueryBuilder: a parsed query (QueryNode tree) in, a Xapian::Query out,
// built from the same Analyzer tokens as the index (common/index_schema.h).
//
// For a word w (stem s, exact form f) the query is
//   OR( s, S:s × title, E:f × exact, P:s × part [, AND(parts of w) × part]
//       [, typed-spelling tier] )
// so the title counts extra, the exact spelling ranks above other spellings,
// a compound containing w is found below w itself, and a compound in the
// query means all of its parts, never one of them. Phrases run over position
// slots (a compound contributes one slot per part) so "Chip Beschränkungen"
// finds "Chip-Beschränkungen" and "Chipbeschränkungen". A hyphenated query
// word ("CPI-Maßstab") is the phrase of its pieces' slots OR its joined form
// OR, × QueryWeights::hyphen_pieces, all of its slots anywhere in the
// document ("der CPI, ein Maßstab"), so the written form ranks first and the
// pieces apart below it. Stop words are
// dropped from bare-word queries but kept in phrases. A wildcard ("Sprachmod*")
// becomes an OP_SYNONYM of the most frequent exact forms under its prefix and
// under the prefix's other umlaut/ß spellings ("Buch*" finds "Bücher"; the
// typed prefix's forms rank first, as the typed spelling of a word does),
// listed from the index vocabulary (Vocabulary), so BM25 weighs it as one term.
//
// A suspended compound ("Privatpersonen und -organisationen", "Ein- und
// Ausfuhr"; the parser marks it) is searched as the compound the writer
// meant ("Privatorganisationen", "Einfuhr"; common/suspended_compound.h),
// OR the piece as written × part. A piece before the conjunction ("Ein-")
// whose partner the lexicon does not split ("Ausfuhr": aus is a particle)
// is completed from the index instead: the partner's first 2 to 5 letters
// replaced by the piece, shortest first, when the index has that form
// ("einfuhr"). Otherwise the piece is searched alone.
//
// The typed-spelling tier: german2 folds umlauts and ß, so "Bär" and "Bar",
// "Maße" and "Masse" share a stem. When the vocabulary holds forms of w's
// stem in another umlaut/ß spelling than the one typed, the documents with a
// form of w's stem in the typed spelling (inflection aside: "Bären" counts
// for "Bär", "Bars" does not) get a fixed weight above anything the word can
// earn through its other terms, so for that word they rank above every
// document that matches only through folding, whatever the term
// frequencies; those are still found, below. Built from Xapian's own
// operators (AND_MAYBE an OP_FILTER of a FixedWeightPostingSource), so it runs on
// remote shards too. It is strict in a query of one content word (or one
// wildcard); in longer queries its weight is weights.typed_multi of that
// (default 0: none), because a bound per word outweighs the other words.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/analyzer.h"
#include "common/status.h"
#include "common/stemmer.h"
#include "searcher/query_parser.h"
#include "searcher/snippet_builder.h"

namespace findling {

struct QueryWeights {
  double title = 0.7;  // S: title terms, relative to the whole-document stem term
  double exact = 0.2;  // E: the exact spelling as typed
  double part = 0.3;   // P: compound parts
  // Bare-word queries: two neighbouring query words (stop words skipped)
  // found at most one word apart in a document add their weight again,
  // times this factor. 0 turns it off. 0.1 is worth
  // +0.005 MRR@10 on klexikon-known-item and +0.001 on xquad-de; 0.05 to
  // 0.4 and windows of 2 to 5 positions measure the same within noise.
  double proximity = 0.1;
  // Window proximity (searcher/ranking.h, ProximityBoost): each run of
  // `window_words` neighbouring content words found within `window_span`
  // positions adds its weight again, times this factor. 0 turns it off.
  // 0.2 is worth +0.003 MRR@10 on held-out folds of klexikon-known-item and
  // moves one xquad-de question (docs/relevance.md, "Window proximity").
  double window = 0.2;
  std::uint32_t window_words = 3;
  std::uint32_t window_span = 8;
  // The pair and window boosts also order the all-words tier
  // (BuiltQuery::all_words), not only the documents below it.
  bool all_words_proximity = false;
  // Interrogatives that Snowball's stop word list lacks ("wer", "wann",
  // "warum", "worauf"; IsGermanQuestionWord) are dropped with the stop words.
  bool drop_question_words = false;
  // A hyphenated query word ("CPI-Maßstab", "BSkyB-Sportportfolio") also
  // matches documents with all its pieces apart, × this weight (0: only the
  // phrase of the pieces or the joined form). 0.3, a compound part's weight,
  // is worth +0.003 MRR@10 on held-out folds of xquad-de and moves no
  // klexikon-known-item sentence's article (docs/relevance.md, "Hyphenated
  // words written apart").
  double hyphen_pieces = 0.3;
  // Compound parts weighted by how informative they are: each part of a
  // compound in the query is scaled by (its idf / the parts' mean idf) to
  // this power, times `part` (WordScore). 0 is the flat `part` for each.
  double part_idf = 0;
  // BM25F-like title: the stem and the title stem scored as one term
  // (OP_SYNONYM: their frequencies summed, so a title word counts twice and
  // saturates with the body) instead of the title stem × `title` beside it.
  bool title_synonym = false;
  bool drop_stopwords = true;
  // BM25 parameters (Xapian's defaults are k1 = 1, b = 0.5; these suit long articles).
  double bm25_k1 = 1.2;
  double bm25_b = 0.75;
  // The typed-spelling tier (see the top of this file). Strict in a query of
  // one content word; in longer queries its weight is this share of the
  // word's bound (0: no tier), since a full bound per word outweighs the
  // other words of a question.
  bool typed_spelling_first = true;
  double typed_multi = 0;
  // Wildcards also expand over their prefix's other umlaut/ß spellings
  // ("Buch*" finds "Bücher"), the typed prefix's forms ranked first.
  bool fold_prefixes = true;
};

struct BuiltQuery {
  Xapian::Query query;      // matches and ranks; empty when nothing was searchable
  Xapian::Query all_words;  // non-empty when all-words-first applies: these rank first
  MatchSet matches;         // what the snippets mark
  std::vector<std::string> explain;
};

// The index vocabulary wildcards expand from.
class Vocabulary {
 public:
  // Gets each term and its document frequency; returns false to stop the walk.
  using Visit = std::function<bool(const std::string& term, Xapian::doccount termfreq)>;
  virtual ~Vocabulary() = default;
  // Calls `visit` for every term starting with `prefix`, in ascending byte
  // order, until it returns false. May throw Xapian::Error.
  virtual void ForEachTerm(const std::string& prefix, const Visit& visit) const = 0;
  // The number of documents, for BM25's idf; 0 when unknown (then the
  // typed-spelling tier is left out, since its weight bound needs it).
  virtual Xapian::doccount DocCount() const { return 0; }
  // The document frequency of `term` (0 when absent). The default walks
  // ForEachTerm(term); a database answers with one lookup.
  virtual Xapian::doccount TermFreq(const std::string& term) const;

  // Gets the index of a prefix in the list, a term under it and the term's
  // document frequency; returns false to end the walk of that prefix only.
  using PrefixVisit =
      std::function<bool(std::size_t prefix, const std::string& term, Xapian::doccount termfreq)>;
  // ForEachTerm for each of `prefixes`, taken in ascending byte order of the
  // prefixes (not in the order given); a term under two of them ("Eka" and
  // "Ekae") is visited once for each. The same terms, frequencies and calls
  // as a ForEachTerm per prefix in that order. The default is exactly that; a
  // database walks all of them with one term-list cursor. May throw
  // Xapian::Error.
  virtual void ForEachTermUnder(const std::vector<std::string>& prefixes,
                                const PrefixVisit& visit) const;
};

// The vocabulary of a Xapian database (or of several searched as one): a
// walk of its term list, which knows each term's frequency without opening
// its postings.
class DatabaseVocabulary final : public Vocabulary {
 public:
  // `remote`: some of the databases are remote shards. Xapian's remote
  // backend sends a term list whole when it is opened, so the one-cursor
  // walk under the prefixes' common start would fetch every term under it
  // ("Es" for the spellings of "Südafrika": 48,000 reads of the socket per
  // query); a remote vocabulary walks each prefix's own list instead.
  explicit DatabaseVocabulary(const Xapian::Database& db, bool remote = false)
      : db_(db), remote_(remote) {}
  void ForEachTerm(const std::string& prefix, const Visit& visit) const override;
  Xapian::doccount DocCount() const override { return db_.get_doccount(); }
  Xapian::doccount TermFreq(const std::string& term) const override {
    return db_.get_termfreq(term);
  }
  // One cursor moved forward from prefix to prefix (a new one only when a
  // prefix lies behind where the last walk stopped): a TermIterator of its
  // own per prefix would read its path of blocks again, once per shard.
  // With remote shards, a walk per prefix (see the constructor).
  void ForEachTermUnder(const std::vector<std::string>& prefixes,
                        const PrefixVisit& visit) const override;

 private:
  const Xapian::Database& db_;  // not owned; must outlive this
  bool remote_;
};

// How QueryBuilder::Build works; named at call sites with designated
// initialisers: Build(root, {.strict = true}).
struct BuildOptions {
  // The wildcards of the query together expand to at most this many terms
  // (each gets an equal share; 0 is no limit): each keeps the most frequent
  // forms under its prefix, the earlier in byte order on equal frequency.
  // SearcherLimits::max_wildcard_expansion sets it for a search.
  std::uint32_t max_wildcard_expansion = 1000;
  // All-words-first applies to bare-word queries of 2 up to this many
  // content words (BuiltQuery::all_words); SearcherOptions says why 3.
  std::uint32_t all_words_first_max = 3;
  // A wildcard with more forms than its share is an error (kLimit) instead
  // of keeping the most frequent ones (ParseMode::kStrict).
  bool strict = false;
  // Adds Xapian's description of the query as the last explain line; it
  // costs as much as building the query for a wildcard (every kept word is
  // listed), so searches that show no explanation skip it.
  bool describe_query = true;
};

class QueryBuilder {
 public:
  // `vocabulary` (not owned) must outlive the builder.
  QueryBuilder(Analyzer& analyzer, const Vocabulary& vocabulary, QueryWeights weights);
  ~QueryBuilder();

  // Builds the query for `root`. Fails with kLimit for more than 8
  // wildcards, or for a wildcard past its share in strict mode (see
  // BuildOptions). A wildcard with no form in the vocabulary matches
  // nothing. Never throws Xapian::Error: a failure of the vocabulary is a
  // Status as searcher/xapian_error.h maps it (kUnavailable for a remote
  // shard, kModified for an index modified under the walk, kIo for one that
  // cannot be read, ...), by whose code a caller retries (Searcher does).
  Result<BuiltQuery> Build(const QueryNode& root, const BuildOptions& options);

 private:
  struct Context;
  // Build without the exception edge.
  Result<BuiltQuery> BuildQuery(const QueryNode& root, const BuildOptions& options);
  Xapian::Query Node(const QueryNode& node, Context& ctx);
  Xapian::Query Bare(const QueryNode& node, Context& ctx, bool top_level);
  Xapian::Query Proximity(const QueryNode& node, Context& ctx);
  const std::vector<Token>& WordTokens(const QueryNode& node, Context& ctx);
  std::uint32_t CountContentWords(const QueryNode& node, Context& ctx);
  // A word a bare query ignores: a stop word, or with
  // QueryWeights::drop_question_words an interrogative ("wer", "wann").
  bool Ignorable(const Token& word) const;
  Xapian::Query Word(const QueryNode& node, Context& ctx, bool drop_stopwords);
  // Word() for the word WordTokens() analyses (a suspended compound's
  // completed form), without the suspended piece's fallback.
  Xapian::Query WrittenWord(const QueryNode& node, Context& ctx, bool drop_stopwords);
  const std::string& Completed(const QueryNode& node, Context& ctx);
  std::string CompleteFromVocabulary(const QueryNode& node);
  Xapian::Query SingleWord(const Token& word, const std::vector<const Token*>& parts,
                           QueryField field, Context& ctx);
  Xapian::Query Phrase(const QueryNode& node, Context& ctx);
  Xapian::Query Prefix(const QueryNode& node, Context& ctx);
  Xapian::Query Filter(const QueryNode& node);
  Xapian::Query TypedSpelling(const Token& word, const std::vector<const Token*>& parts,
                              Context& ctx);

  Analyzer& analyzer_;
  const Vocabulary& vocabulary_;
  QueryWeights weights_;
  // For the typed-spelling tier (stems of vocabulary forms); null when the
  // analyzer does not stem.
  std::unique_ptr<Stemmer> stemmer_;
};

}  // namespace findling
