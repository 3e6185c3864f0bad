#include "common/analyzer.h"

#include <unicode/uversion.h>

#include <map>
#include <mutex>
#include <optional>

#include "common/data_files.h"
#include "common/normalizer.h"
#include "common/segmenter.h"
#include "common/stemmer.h"
#include "common/stopwords.h"
#include "common/utf8.h"
#include "common/word_memo.h"

namespace findling {

// Per-Analyzer stage objects. ICU break iterators and Snowball stemmers keep
// state between calls, so each Analyzer owns its own (see Clone()).
struct Analyzer::Impl {
  std::unique_ptr<Segmenter> segmenter;
  Normalizer normalizer;
  explicit Impl(const std::string& language) : stemmer(language) {}
  Stemmer stemmer;
  WordMemo memo;                // stop word, stem and parts of each recent form
  std::vector<WordSpan> spans;  // reused between calls
};

namespace {

// True if the bytes between two words are exactly one hyphen: "KI-Chip",
// but not "KI - Chip" or "KI--Chip". U+2010 and U+2011 are typographic hyphens.
bool IsSingleHyphen(std::string_view between) {
  return between == "-" || between == "\u2010" || between == "\u2011";
}

// Byte offset of each code point of `s`, plus s.size() at the end.
std::vector<std::uint32_t> CodePointOffsets(std::string_view s) {
  std::vector<std::uint32_t> offsets;
  for (std::size_t i = 0; i < s.size();) {
    offsets.push_back(static_cast<std::uint32_t>(i));
    DecodeUtf8(s, i);
  }
  offsets.push_back(static_cast<std::uint32_t>(s.size()));
  return offsets;
}

std::size_t IndexOf(const std::vector<std::uint32_t>& offsets, std::uint32_t byte) {
  std::size_t k = 0;
  while (k + 1 < offsets.size() && offsets[k] < byte) ++k;
  return k;
}

// Opens the lexicon at `path`, or returns the one already open: the server
// creates an Analyzer per worker thread, and each would otherwise hold its
// own copy of the same immutable 4 MB table.
Result<std::shared_ptr<const Decompounder>> OpenShared(const std::string& path,
                                                       const DecompounderOptions& options) {
  static std::mutex mu;
  static std::map<std::string, std::weak_ptr<const Decompounder>> open;
  const std::string key = path + "\n" + std::to_string(options.min_part_chars) + "/" +
                          std::to_string(options.min_word_chars) + "/" +
                          std::to_string(options.max_parts);
  std::lock_guard<std::mutex> lock(mu);
  if (auto shared = open[key].lock()) return shared;
  auto opened = Decompounder::Open(path, options);
  if (!opened.ok()) return opened.status();
  std::shared_ptr<const Decompounder> shared = std::move(opened).value();
  open[key] = shared;
  return shared;
}

}  // namespace

std::string DefaultLexiconPath() {
  auto found = FindLexicon("");
  return found.ok() ? found.value() : std::string();
}

Analyzer::Analyzer(AnalyzerOptions options, std::shared_ptr<const Decompounder> decompounder)
    : options_(std::move(options)),
      decompounder_(std::move(decompounder)),
      impl_(std::make_unique<Impl>(options_.stemmer)) {}

Analyzer::~Analyzer() = default;

Result<std::unique_ptr<Analyzer>> Analyzer::Create(const AnalyzerOptions& options) {
  std::shared_ptr<const Decompounder> decompounder;
  AnalyzerOptions resolved = options;
  if (!Stemmer::IsSupported(options.stemmer)) {
    return Status::InvalidInput("unknown stemmer \"" + options.stemmer + "\"");
  }
  if (options.decompound) {
    auto found = FindLexicon(resolved.lexicon_path);
    if (!found.ok()) return found.status();
    resolved.lexicon_path = std::move(found).value();
    auto opened = OpenShared(resolved.lexicon_path, options.decompounder);
    if (!opened.ok()) return opened.status();
    decompounder = std::move(opened).value();
  }
  auto segmenter = Segmenter::Create();
  if (!segmenter.ok()) return segmenter.status();
  std::unique_ptr<Analyzer> analyzer(new Analyzer(resolved, std::move(decompounder)));
  analyzer->impl_->segmenter = std::move(segmenter).value();
  return analyzer;
}

std::unique_ptr<Analyzer> Analyzer::Clone() const {
  std::unique_ptr<Analyzer> copy(new Analyzer(options_, decompounder_));
  auto segmenter = Segmenter::Create();
  // Create() succeeded once for this process; ICU rules do not disappear.
  copy->impl_->segmenter = std::move(segmenter).value();
  return copy;
}

std::string Analyzer::Signature() const {
  std::string sig = "findling-analysis/1 icu=" + std::to_string(U_ICU_VERSION_MAJOR_NUM);
  sig += options_.stem ? " stem=" + options_.stemmer : std::string(" stem=none");
  sig += options_.join_hyphenated ? " hyphen=join" : " hyphen=split";
  sig += " decompound=" + (decompounder_ ? decompounder_->Fingerprint() : std::string("off"));
  if (decompounder_ && options_.stem && options_.vowel_s) sig += " vowel-s=lexicon";
  return sig;
}

namespace {

constexpr std::string_view kSignatureVersion = "findling-analysis/1";

// The value of " key=" in a signature, or nullopt when the field is absent.
std::optional<std::string_view> SignatureField(std::string_view signature, std::string_view key) {
  std::size_t at = 0;
  while ((at = signature.find(key, at)) != std::string_view::npos) {
    const std::size_t end = at + key.size();
    if (at > 0 && signature[at - 1] == ' ' && end < signature.size() && signature[end] == '=') {
      const std::size_t begin = end + 1;
      return signature.substr(begin, signature.find(' ', begin) - begin);
    }
    at = end;
  }
  return std::nullopt;
}

}  // namespace

Result<AnalyzerOptions> AnalyzerOptions::FromSignature(std::string_view signature) {
  // The version and a space, so "findling-analysis/10" is not taken for /1.
  if (signature.substr(0, kSignatureVersion.size() + 1) != std::string(kSignatureVersion) + " ") {
    return Status::Incompatible("unknown analysis \"" + std::string(signature) + "\" (expected " +
                                std::string(kSignatureVersion) + ")");
  }
  const auto field = [&](std::string_view key) -> Result<std::string> {
    const auto value = SignatureField(signature, key);
    if (!value) {
      return Status::Incompatible("analysis \"" + std::string(signature) + "\" has no " +
                                  std::string(key) + "= field");
    }
    return std::string(*value);
  };
  const auto unknown = [&](std::string_view key, const std::string& value) {
    return Status::Incompatible("unknown " + std::string(key) + "=" + value + " in analysis \"" +
                                std::string(signature) + "\"");
  };
  auto stem = field("stem");
  auto hyphen = field("hyphen");
  auto decompound = field("decompound");
  for (const auto* f : {&stem, &hyphen, &decompound}) {
    if (!f->ok()) return f->status();
  }
  AnalyzerOptions options;
  if (stem.value() != "none" && !Stemmer::IsSupported(stem.value())) {
    return unknown("stem", stem.value());
  }
  options.stem = stem.value() != "none";
  if (options.stem) options.stemmer = stem.value();
  if (hyphen.value() != "join" && hyphen.value() != "split")
    return unknown("hyphen", hyphen.value());
  options.join_hyphenated = hyphen.value() == "join";
  // "off", or the lexicon's fingerprint, which Create() cannot choose: the
  // caller compares the created analyzer's Signature() with the index's.
  if (decompound.value().empty()) return unknown("decompound", decompound.value());
  options.decompound = decompound.value() != "off";
  // Optional: written only where the rule is on (it needs the lexicon and the
  // stemmer); an index without it was built without the rule.
  const auto vowel_s = SignatureField(signature, "vowel-s");
  if (vowel_s && *vowel_s != "lexicon") return unknown("vowel-s", std::string(*vowel_s));
  options.vowel_s = vowel_s.has_value();
  return options;
}

std::vector<Token> Analyzer::Analyze(std::string_view text, AnalysisMode mode,
                                     std::uint32_t first_position) {
  std::vector<Token> out;
  AnalyzeInto(text, mode, first_position, out);
  return out;
}

std::uint32_t Analyzer::AnalyzeInto(std::string_view text, AnalysisMode mode,
                                    std::uint32_t first_position, std::vector<Token>& out) {
  std::vector<WordSpan>& spans = impl_->spans;
  spans.clear();
  impl_->segmenter->Segment(text, spans);
  std::uint32_t position = first_position;
  for (std::size_t i = 0; i < spans.size();) {
    // A hyphen group: words joined by single hyphens ("KI-Chip-Beschränkungen").
    std::size_t j = i;
    while (options_.join_hyphenated && j + 1 < spans.size() &&
           IsSingleHyphen(text.substr(spans[j].end, spans[j + 1].start - spans[j].end))) {
      ++j;
    }
    const std::size_t group_begin = out.size();
    const std::uint32_t group_position = position;
    std::string joined;
    for (std::size_t k = i; k <= j; ++k) {
      const std::size_t word_index = out.size();
      AnalyzeWord(text, spans[k].start, spans[k].end, spans[k].is_number, mode, position, out);
      if (out.size() > word_index) joined += out[word_index].form;
    }
    if (j > i && out.size() > group_begin) {
      // The joined form sits at the first piece's position and spans the
      // whole group, so "KI-Chip-Beschränkungen" is found as written, joined
      // ("KIChipbeschränkungen") and by each piece.
      Token whole;
      whole.form = std::move(joined);
      whole.stem = (mode == AnalysisMode::kPrefix || !options_.stem)
                       ? whole.form
                       : impl_->stemmer.Stem(whole.form);
      whole.start = spans[i].start;
      whole.end = spans[j].end;
      whole.position = group_position;
      whole.position_length = position - group_position;
      whole.role = TokenRole::kJoined;
      out.insert(out.begin() + static_cast<std::ptrdiff_t>(group_begin) + 1, std::move(whole));
    }
    i = j + 1;
  }
  return position;
}

void Analyzer::AnalyzeWord(std::string_view text, std::uint32_t start, std::uint32_t end,
                           bool is_number, AnalysisMode mode, std::uint32_t& position,
                           std::vector<Token>& out) {
  Token token;
  impl_->normalizer.Normalize(text.substr(start, end - start), token.form);
  if (token.form.empty()) return;  // only ignorable characters
  token.start = start;
  token.end = end;
  token.position = position;
  token.is_number = is_number || (token.form[0] >= '0' && token.form[0] <= '9');
  if (mode == AnalysisMode::kPrefix || token.is_number) {
    // Not memoised: prefix analysis keeps the form, and numbers are neither
    // split nor (when they start with a digit) stemmed.
    const WordAnalysis analysis = AnalyzeForm(token.form, mode, token.is_number);
    AddWord(text, std::move(token), analysis, position, out);
    return;
  }
  const WordAnalysis* analysis = impl_->memo.Find(token.form);
  if (analysis == nullptr) {
    analysis = &impl_->memo.Insert(token.form, AnalyzeForm(token.form, mode, false));
  }
  AddWord(text, std::move(token), *analysis, position, out);
}

WordAnalysis Analyzer::AnalyzeForm(const std::string& form, AnalysisMode mode, bool is_number) {
  WordAnalysis analysis;
  analysis.is_stopword = IsGermanStopword(form);
  const bool stem = options_.stem && mode != AnalysisMode::kPrefix;
  if (!stem) {
    analysis.stem = form;
  } else if (options_.vowel_s && decompounder_ && decompounder_->EndsInVowelS(form)) {
    // The stem of the word without its ending, as Snowball would have given
    // it had it known the ending. Rewriting the stem, rather than adding a
    // second stem at the same position, keeps one stem per word: the form is
    // kept as written (exact-form term, snippets), and "afrikas" as a stem
    // would only ever match this one form, which the exact-form term already
    // does.
    analysis.stem = impl_->stemmer.Stem(std::string_view(form).substr(0, form.size() - 1));
  } else {
    analysis.stem = impl_->stemmer.Stem(form);
  }
  if (decompounder_ && mode != AnalysisMode::kPrefix && !is_number) {
    const std::vector<CompoundPart> parts = decompounder_->Split(form);
    if (parts.size() >= 2) {
      for (const CompoundPart& part : parts) {
        std::string part_form = form.substr(part.begin, part.end - part.begin);
        std::string part_stem = options_.stem ? impl_->stemmer.Stem(part_form) : part_form;
        analysis.parts.push_back(MemoPart{static_cast<std::uint32_t>(part.begin),
                                          static_cast<std::uint32_t>(part.end),
                                          std::move(part_stem)});
      }
    }
  }
  return analysis;
}

void Analyzer::AddWord(std::string_view text, Token token, const WordAnalysis& analysis,
                       std::uint32_t& position, std::vector<Token>& out) {
  token.stem = analysis.stem;
  token.is_stopword = analysis.is_stopword;
  out.push_back(std::move(token));
  const std::size_t word_index = out.size() - 1;
  if (!analysis.parts.empty()) AddCompoundParts(text, out, word_index, analysis.parts);
  position += out[word_index].position_length;
}

void Analyzer::AddCompoundParts(std::string_view text, std::vector<Token>& out,
                                std::size_t word_index, const std::vector<MemoPart>& parts) {
  // Offsets of a part inside the normalised form map to the original text
  // code point by code point when normalising kept the number of code points
  // (the usual case); otherwise each part is given the whole word's offsets.
  const Token& word = out[word_index];
  const std::string_view original = text.substr(word.start, word.end - word.start);
  const auto original_offsets = CodePointOffsets(original);
  const auto form_offsets = CodePointOffsets(word.form);
  const bool same_shape = original_offsets.size() == form_offsets.size();
  const std::uint32_t word_start = word.start;
  const std::uint32_t word_end = word.end;
  const std::uint32_t word_position = word.position;
  out[word_index].position_length = static_cast<std::uint32_t>(parts.size());
  for (std::size_t k = 0; k < parts.size(); ++k) {
    Token part;
    part.form = out[word_index].form.substr(parts[k].begin, parts[k].end - parts[k].begin);
    part.stem = parts[k].stem;
    part.position = word_position + static_cast<std::uint32_t>(k);
    part.role = TokenRole::kPart;
    part.is_stopword = false;
    if (same_shape) {
      part.start = word_start + original_offsets[IndexOf(form_offsets, parts[k].begin)];
      part.end = word_start + original_offsets[IndexOf(form_offsets, parts[k].end)];
    } else {
      part.start = word_start;
      part.end = word_end;
    }
    out.push_back(std::move(part));
  }
}

}  // namespace findling
