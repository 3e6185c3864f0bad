// findling-gencorpus: the benchmark's documents and queries, deterministic
// for a given seed and source text.
//
//   findling-gencorpus --docs 100000 --seed 1 --out gen-100k.jsonl [--source FILE ...]
//       News-like documents (300-500 words, a title, a date, a category, an
//       author and one to three tags) made of real German sentences from the
//       sources: ../shared/corpora when present, else the German manual pages
//       of Debian's manpages-de.
//   findling-gencorpus --convert jsonl|scriptindex|sphinx-tsv --out FILE INPUT ...
//       The same documents for each engine: canonical JSONL (what Findling
//       indexes), scriptindex's "field=value" records, Sphinx's tsvpipe rows.
//       Prints {"docs":N,"text_bytes":B} so every engine's MB/s has one base.
//   findling-gencorpus --queries 600 --seed 7 --out queries.tsv CORPUS.jsonl
//       A query set drawn from the corpus vocabulary (see bench_common.h).
//
// Why sentences and not random words: term frequencies, word lengths,
// compounds and phrases must look like German text for the index sizes and
// the query costs to mean anything. A document takes most of its sentences
// in order from one source document, so its words co-occur the way words
// of one article do, and the rest from anywhere.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "benchmarks/bench_common.h"
#include "common/index_schema.h"
#include "indexer/readers.h"

namespace findling::bench {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The categories of 10kGNAD: generated documents get one of these, so a
// category filter selects about a ninth of a collection, as in news.
constexpr std::array<const char*, 9> kCategories = {"Etat",   "Inland",     "International",
                                                    "Kultur", "Panorama",   "Sport",
                                                    "Web",    "Wirtschaft", "Wissenschaft"};

// The 10kGNAD CSV itself, not a JSONL converted from it.
bool IsGnadFile(const std::string& path) {
  const fs::path p(path);
  return p.filename().string().rfind("10kgnad", 0) == 0 && p.extension() == ".csv";
}

// 10kGNAD is "Label;'text'" without a header; every other input is read as
// findling-index reads it.
ReaderOptions OptionsFor(const std::string& path) {
  return IsGnadFile(path) ? GnadReaderOptions() : ReaderOptions{};
}

class CollectingSink : public DocumentSink {
 public:
  explicit CollectingSink(std::function<void(SourceDocument&&)> on_doc)
      : on_doc_(std::move(on_doc)) {}
  bool Accept(SourceDocument&& doc) override {
    on_doc_(std::move(doc));
    return true;
  }
  void Skip(const ReadIssue& issue) override {
    std::fprintf(stderr, "findling-gencorpus: skipped %s: %s\n", issue.where.c_str(),
                 issue.message.c_str());
  }
  void Warn(const ReadIssue& issue) override {
    std::fprintf(stderr, "findling-gencorpus: warning: %s: %s\n", issue.where.c_str(),
                 issue.message.c_str());
  }

 private:
  std::function<void(SourceDocument&&)> on_doc_;
};

std::size_t CountWords(std::string_view s) {
  std::size_t n = 0;
  bool in_word = false;
  for (char c : s) {
    const bool space = c == ' ' || c == '\n' || c == '\t';
    if (!space && !in_word) ++n;
    in_word = !space;
  }
  return n;
}

bool StartsSentence(unsigned char c, unsigned char next) {
  if (std::isupper(c) || std::isdigit(c) || c == '"') return true;
  // Ä Ö Ü in UTF-8: C3 84, C3 96, C3 9C; German quotes „ (E2 80 9E).
  return (c == 0xC3 && (next == 0x84 || next == 0x96 || next == 0x9C)) || c == 0xE2;
}

// A sentence worth reusing: 6 to 60 words, ends like a sentence, and holds
// no markup, tables or addresses that the sources carry here and there.
bool GoodSentence(std::string_view s) {
  if (s.size() < 30 || s.size() > 600) return false;
  const char last = s.back();
  if (last != '.' && last != '!' && last != '?') return false;
  if (s.find_first_of("|#{}<>=\\_*[]") != std::string_view::npos) return false;
  if (s.find("http") != std::string_view::npos || s.find("www.") != std::string_view::npos) {
    return false;
  }
  const std::size_t words = CountWords(s);
  return words >= 6 && words <= 60;
}

// Splits `text` into sentences: at ". " (or ! ?) before a capital, a digit
// or a quote, and at every line break (headings and list items end there).
void SplitSentences(std::string_view text, std::vector<std::string>& out) {
  std::size_t begin = 0;
  auto emit = [&](std::size_t end) {
    std::string_view s = text.substr(begin, end - begin);
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
      s.remove_suffix(1);
    }
    if (GoodSentence(s)) out.emplace_back(s);
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      emit(i);
      begin = i + 1;
    } else if ((c == '.' || c == '!' || c == '?') && i + 2 < text.size() && text[i + 1] == ' ' &&
               StartsSentence(static_cast<unsigned char>(text[i + 2]),
                              i + 3 < text.size() ? static_cast<unsigned char>(text[i + 3]) : 0)) {
      // "z. B." and "Abs. 2" end no sentence: the word before the dot must
      // be at least three letters long.
      std::size_t w = i;
      while (w > begin && std::isalpha(static_cast<unsigned char>(text[w - 1]))) --w;
      if (i - w >= 3 || c != '.') {
        emit(i + 1);
        begin = i + 2;
      }
    }
  }
  emit(text.size());
}

struct Source {
  std::size_t corpus = 0;  // which input it came from
  std::string category;
  std::vector<std::uint32_t> sentences;  // indexes into SentencePool::sentences
};

struct SentencePool {
  std::vector<std::string> sentences;
  std::vector<Source> sources;                        // each with at least 3 sentences
  std::vector<std::vector<std::uint32_t>> by_corpus;  // indexes into sources
  std::unordered_set<std::uint64_t> seen;

  void AddDocument(std::string_view text, const std::string& category, std::size_t corpus) {
    std::vector<std::string> found;
    SplitSentences(text, found);
    Source source;
    for (std::string& s : found) {
      if (!seen.insert(std::hash<std::string>{}(s)).second) continue;  // boilerplate repeats
      source.sentences.push_back(static_cast<std::uint32_t>(sentences.size()));
      sentences.push_back(std::move(s));
    }
    if (source.sentences.size() < 3) return;
    source.category = category;
    source.corpus = corpus;
    if (by_corpus.size() <= corpus) by_corpus.resize(corpus + 1);
    by_corpus[corpus].push_back(static_cast<std::uint32_t>(sources.size()));
    sources.push_back(std::move(source));
  }
};

// A 10kGNAD label is kept; any other category (a law's abbreviation) or none
// becomes one of kCategories, chosen by the source so it stays stable.
std::string NewsCategory(const std::string& category, const std::string& id) {
  for (const char* c : kCategories) {
    if (category == c) return category;
  }
  const std::uint32_t h = CategoryHash(category.empty() ? id : category);
  return kCategories[h % kCategories.size()];
}

// --- German manual pages (the fallback source) -----------------------------

// gzip -dc rather than zlib: one build dependency less for a fallback path,
// and gzip is on every Debian system.
std::string ReadGzip(const fs::path& path) {
  std::string out;
  std::string command = "gzip -dc '";
  for (char c : path.string()) {
    if (c == '\'') return out;  // no manual page has a quote in its name
    command += c;
  }
  command += "'";
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[1 << 16];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  ::pclose(pipe);
  return out;
}

// Plain text of a roff page: macro lines dropped, font and character escapes
// resolved well enough for sentences (old pages spell umlauts \(:a).
std::string RoffToText(const std::string& roff) {
  static const std::map<std::string, std::string> kChars = {
      {":a", "ä"}, {":o", "ö"}, {":u", "ü"}, {":A", "Ä"}, {":O", "Ö"},
      {":U", "Ü"}, {"ss", "ß"}, {"em", "—"}, {"en", "–"}, {"lq", "„"},
      {"rq", "“"}, {"Fo", "«"}, {"Fc", "»"}, {"aq", "'"}, {"dq", "\""}};
  std::string out;
  std::size_t begin = 0;
  while (begin < roff.size()) {
    std::size_t end = roff.find('\n', begin);
    if (end == std::string::npos) end = roff.size();
    const std::string_view line(roff.data() + begin, end - begin);
    begin = end + 1;
    if (line.empty()) {
      out += '\n';
      continue;
    }
    if (line[0] == '.' || line[0] == '\'') {
      // A paragraph macro ends a sentence run; other macros (fonts, tags) are dropped.
      if (line.substr(0, 3) == ".PP" || line.substr(0, 3) == ".SH" || line.substr(0, 3) == ".TP") {
        out += '\n';
      }
      continue;
    }
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] != '\\' || i + 1 >= line.size()) {
        out += line[i];
        continue;
      }
      const char e = line[++i];
      if (e == 'f' && i + 1 < line.size()) {
        ++i;  // \fB, \fI, \fR, \fP
      } else if (e == '(' && i + 2 < line.size()) {
        const auto it = kChars.find(std::string(line.substr(i + 1, 2)));
        if (it != kChars.end()) out += it->second;
        i += 2;
      } else if (e == '-') {
        out += '-';
      } else if (e == 'e') {
        out += '\\';
      } else if (e == '~' || e == ' ') {
        out += ' ';
      }
      // \& and anything unknown: nothing.
    }
    out += ' ';
  }
  return out;
}

std::size_t AddManPages(SentencePool& pool) {
  const fs::path root = "/usr/share/man/de";
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return 0;
  std::vector<fs::path> pages;
  for (auto it = fs::recursive_directory_iterator(root, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (it->is_regular_file(ec) && it->path().extension() == ".gz") pages.push_back(it->path());
  }
  std::sort(pages.begin(), pages.end());  // directory order is not reproducible
  for (const fs::path& page : pages) {
    pool.AddDocument(RoffToText(ReadGzip(page)), NewsCategory("", page.filename().string()), 0);
  }
  return pages.size();
}

// --- Generate ----------------------------------------------------------------

std::string IsoDate(std::int64_t days_since_1970) {
  // Howard Hinnant's civil_from_days.
  const std::int64_t z = days_since_1970 + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  char buf[40];  // room for any int, which GCC's format check cannot rule out
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(y), static_cast<int>(m),
                static_cast<int>(d));
  return buf;
}

// The title: the first sentence, cut after 12 words, without its full stop.
std::string TitleFrom(const std::string& sentence) {
  std::string title;
  std::size_t words = 0;
  for (std::size_t i = 0; i < sentence.size(); ++i) {
    if (sentence[i] == ' ' && ++words == 12) break;
    title += sentence[i];
  }
  while (!title.empty() && (title.back() == '.' || title.back() == ',' || title.back() == ':')) {
    title.pop_back();
  }
  return title;
}

// An author and one to three tags for document n, from a generator of their
// own (splitmix64 of seed and n), so that the text, dates and categories
// the main generator draws are the same as before the fields existed.
// 24 x 25 names, a few very frequent (a facet's top values) and a long tail,
// as in a newsroom; 40 tags, skewed the same way.
json MetadataFields(std::uint64_t seed, std::uint64_t n) {
  static constexpr const char* kFirst[] = {
      "Anna",  "Jonas",  "Lea",    "Felix", "Marie",  "Paul",   "Sophie", "Lukas",
      "Laura", "Tobias", "Hannah", "Jan",   "Clara",  "Niklas", "Emma",   "David",
      "Julia", "Moritz", "Lena",   "Simon", "Katrin", "Stefan", "Mia",    "Florian"};
  static constexpr const char* kLast[] = {
      "Müller",   "Schmidt", "Schneider", "Fischer", "Weber",      "Meyer",  "Wagner",
      "Becker",   "Schulz",  "Hoffmann",  "Koch",    "Richter",    "Klein",  "Wolf",
      "Schröder", "Neumann", "Schwarz",   "Braun",   "Zimmermann", "Krüger", "Hartmann",
      "Lange",    "Werner",  "Krause",    "Vogt"};
  static constexpr const char* kTags[] = {
      "Politik",    "Wirtschaft", "Klima",     "Energie",    "Bildung",        "Gesundheit",
      "Verkehr",    "Digitales",  "KI",        "Forschung",  "Kultur",         "Sport",
      "Europa",     "Bundestag",  "Landtag",   "Kommunen",   "Justiz",         "Migration",
      "Arbeit",     "Rente",      "Wohnen",    "Umwelt",     "Landwirtschaft", "Industrie",
      "Handel",     "Finanzen",   "Steuern",   "Medien",     "Wissenschaft",   "Technik",
      "Bahn",       "Luftfahrt",  "Tourismus", "Sicherheit", "Pflege",         "Schule",
      "Hochschule", "Familie",    "Religion",  "Geschichte"};
  std::uint64_t state = seed * 0x9E3779B97F4A7C15ull + n;
  auto next = [&state] {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  };
  // The smaller of two uniform draws: low indexes are frequent.
  auto skewed = [&next](std::size_t size) { return std::min(next() % size, next() % size); };
  const std::string author =
      std::string(kFirst[skewed(std::size(kFirst))]) + " " + kLast[skewed(std::size(kLast))];
  json tags = json::array();
  for (std::uint64_t i = 0, count = 1 + next() % 3; i < count; ++i) {
    const std::string tag = kTags[skewed(std::size(kTags))];
    if (std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(tag);
  }
  return {{"author", author}, {"tags", tags}};
}

int Generate(std::uint64_t docs, std::uint64_t seed, const std::string& out_path,
             const std::vector<std::string>& sources) {
  SentencePool pool;
  std::size_t read = 0;
  for (const std::string& path : sources) {
    std::error_code ec;
    if (!fs::exists(path, ec)) continue;
    CollectingSink sink([&](SourceDocument&& d) {
      pool.AddDocument(d.text, NewsCategory(d.category, d.id), read);
    });
    Status s = ReadInput(path, OptionsFor(path), sink);
    if (!s.ok()) {
      std::fprintf(stderr, "findling-gencorpus: %s\n", s.message().c_str());
      return 3;
    }
    ++read;
  }
  if (read == 0) {
    const std::size_t pages = AddManPages(pool);
    std::fprintf(stderr,
                 "findling-gencorpus: no source corpus found; using %zu German manual pages\n",
                 pages);
  }
  std::erase_if(pool.by_corpus, [](const auto& v) { return v.empty(); });
  if (pool.sources.size() < 10) {
    std::fprintf(stderr,
                 "findling-gencorpus: too little German text (%zu usable source documents); give "
                 "--source FILE or install manpages-de\n",
                 pool.sources.size());
    return 3;
  }
  std::fprintf(stderr, "findling-gencorpus: %zu sentences from %zu source documents\n",
               pool.sentences.size(), pool.sources.size());

  std::FILE* out = std::fopen(out_path.c_str(), "wb");
  if (out == nullptr) {
    std::fprintf(stderr, "findling-gencorpus: cannot write %s\n", out_path.c_str());
    return 3;
  }
  Random rng(seed);
  constexpr std::int64_t kFirstDay = 10957;  // 2000-01-01
  std::string text;
  for (std::uint64_t n = 1; n <= docs; ++n) {
    // Each source corpus is picked equally often, so 22,000 law sections do
    // not drown 1,000 news articles: the mix stays news-, law- and
    // encyclopedia-like in equal parts.
    const auto& corpus = pool.by_corpus[rng.Below(pool.by_corpus.size())];
    const Source& topic = pool.sources[corpus[rng.Below(corpus.size())]];
    const std::size_t target_words = rng.Between(300, 500);
    std::size_t at = rng.Below(topic.sentences.size());
    std::size_t words = 0, in_paragraph = 0, paragraph_length = rng.Between(3, 6);
    std::string first;
    text.clear();
    while (words < target_words) {
      // Seven sentences in ten from the topic document, in order.
      const std::string& s = rng.Chance(0.7)
                                 ? pool.sentences[topic.sentences[at++ % topic.sentences.size()]]
                                 : pool.sentences[rng.Below(pool.sentences.size())];
      if (first.empty()) first = s;
      if (!text.empty()) text += in_paragraph == 0 ? "\n\n" : " ";
      text += s;
      words += CountWords(s);
      if (++in_paragraph == paragraph_length) {
        in_paragraph = 0;
        paragraph_length = rng.Between(3, 6);
      }
    }
    char id[40];
    std::snprintf(id, sizeof id, "gen-%07llu", static_cast<unsigned long long>(n));
    json doc = {{"id", id},
                {"title", TitleFrom(first)},
                {"text", text},
                {"date", IsoDate(kFirstDay + static_cast<std::int64_t>(rng.Below(25 * 365)))},
                {"category", topic.category}};
    doc.update(MetadataFields(seed, n));
    const std::string line = doc.dump() + "\n";
    if (std::fwrite(line.data(), 1, line.size(), out) != line.size()) {
      std::fprintf(stderr, "findling-gencorpus: writing %s failed\n", out_path.c_str());
      std::fclose(out);
      return 3;
    }
  }
  if (std::fclose(out) != 0) {
    std::fprintf(stderr, "findling-gencorpus: writing %s failed\n", out_path.c_str());
    return 3;
  }
  return 0;
}

// --- Convert -----------------------------------------------------------------

std::string OneLine(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return out;
}

int Convert(const std::string& format, const std::string& out_path,
            const std::vector<std::string>& inputs) {
  if (format != "jsonl" && format != "scriptindex" && format != "sphinx-tsv") {
    std::fprintf(stderr, "findling-gencorpus: --convert takes jsonl, scriptindex or sphinx-tsv\n");
    return 2;
  }
  std::FILE* out = std::fopen(out_path.c_str(), "wb");
  if (out == nullptr) {
    std::fprintf(stderr, "findling-gencorpus: cannot write %s\n", out_path.c_str());
    return 3;
  }
  std::uint64_t docs = 0, text_bytes = 0;
  bool write_failed = false;
  const std::string* current_input = nullptr;
  std::string record;
  CollectingSink sink([&](SourceDocument&& d) {
    ++docs;
    text_bytes += d.title.size() + d.text.size();
    // Ids that readers derive from the path ("/x/10kgnad-test.csv:12") keep
    // only the file name, so a corpus converts the same from any folder.
    // Given ids are kept as they are (gesetze's contain slashes).
    std::string id = d.id;
    if (id.rfind(*current_input, 0) == 0) {
      id = fs::path(*current_input).filename().string() + id.substr(current_input->size());
    }
    record.clear();
    if (format == "jsonl") {
      json j = {{"id", id},
                {"title", d.title},
                {"text", d.text},
                {"date", d.date},
                {"category", d.category}};
      // The extra fields (author, tags) as arrays; the peers' formats
      // have no place for them and leave them out.
      for (const auto& [name, value] : d.fields) j[name].push_back(value);
      record = j.dump() + "\n";
    } else if (format == "scriptindex") {
      // scriptindex: "field=value" lines, a blank line between records. The
      // text goes on one line: scriptindex would need "=" continuation lines.
      record = "id=" + OneLine(id) + "\ntitle=" + OneLine(d.title) + "\ntext=" + OneLine(d.text) +
               "\ncategory=" + OneLine(d.category) + "\ndate=" + OneLine(d.date) + "\n\n";
    } else {
      // Sphinx wants integer ids: the document's ordinal in this file.
      std::string day = d.date.size() == 10
                            ? d.date.substr(0, 4) + d.date.substr(5, 2) + d.date.substr(8, 2)
                            : "0";
      record = std::to_string(docs) + "\t" + OneLine(d.title) + "\t" + OneLine(d.text) + "\t" +
               std::to_string(CategoryHash(d.category)) + "\t" + day + "\n";
    }
    write_failed |= std::fwrite(record.data(), 1, record.size(), out) != record.size();
  });
  for (const std::string& input : inputs) {
    current_input = &input;
    Status s = ReadInput(input, OptionsFor(input), sink);
    if (!s.ok()) {
      std::fprintf(stderr, "findling-gencorpus: %s\n", s.message().c_str());
      std::fclose(out);
      return 3;
    }
  }
  if (std::fclose(out) != 0 || write_failed) {
    std::fprintf(stderr, "findling-gencorpus: writing %s failed\n", out_path.c_str());
    return 3;
  }
  std::printf("{\"docs\":%llu,\"text_bytes\":%llu}\n", static_cast<unsigned long long>(docs),
              static_cast<unsigned long long>(text_bytes));
  return 0;
}

// --- Queries -----------------------------------------------------------------

// Letters only, at least four bytes: queries people type, not numbers or
// abbreviations. UTF-8 multibyte sequences count as letters (umlauts, ß).
bool IsQueryWord(std::string_view w) {
  if (w.size() < 4) return false;
  for (unsigned char c : w) {
    if (!(std::isalpha(c) || c >= 0x80)) return false;
  }
  return true;
}

std::vector<std::string_view> Words(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t begin = std::string_view::npos;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const bool letter = i < text.size() && (std::isalpha(static_cast<unsigned char>(text[i])) ||
                                            static_cast<unsigned char>(text[i]) >= 0x80);
    if (letter && begin == std::string_view::npos) begin = i;
    if (!letter && begin != std::string_view::npos) {
      out.push_back(text.substr(begin, i - begin));
      begin = std::string_view::npos;
    }
  }
  return out;
}

int Queries(std::uint64_t count, std::uint64_t seed, const std::string& out_path,
            const std::string& corpus) {
  // The vocabulary of the first 20,000 documents: enough for any corpus here,
  // and the same words for a collection and its larger versions.
  constexpr std::size_t kMaxDocs = 20000;
  std::vector<std::string> texts, titles, categories;
  {
    CollectingSink sink([&](SourceDocument&& d) {
      if (texts.size() >= kMaxDocs) return;
      titles.push_back(d.title);
      categories.push_back(d.category);
      texts.push_back(std::move(d.text));
    });
    ReaderOptions options;
    options.format = InputFormat::kJsonl;
    if (Status s = ReadInput(corpus, options, sink); !s.ok()) {
      std::fprintf(stderr, "findling-gencorpus: %s\n", s.message().c_str());
      return 3;
    }
  }
  std::unordered_map<std::string_view, std::uint32_t> df;
  for (const std::string& t : texts) {
    std::unordered_set<std::string_view> seen;
    for (std::string_view w : Words(t)) {
      if (IsQueryWord(w) && seen.insert(w).second) ++df[w];
    }
  }
  std::vector<std::pair<std::uint32_t, std::string_view>> by_df;
  for (const auto& [w, n] : df) {
    if (n >= 3) by_df.emplace_back(n, w);
  }
  std::sort(by_df.rbegin(), by_df.rend());  // ties broken by the word: deterministic
  // Skip the 100 most frequent (die, und, werden ...), keep the next 5,000.
  std::vector<std::string> vocab;
  for (std::size_t i = std::min<std::size_t>(100, by_df.size() / 10);
       i < by_df.size() && vocab.size() < 5000; ++i) {
    vocab.emplace_back(by_df[i].second);
  }
  if (vocab.size() < 50) {
    std::fprintf(stderr, "findling-gencorpus: %s has too few words for a query set\n",
                 corpus.c_str());
    return 3;
  }
  std::vector<std::size_t> with_category;
  for (std::size_t i = 0; i < categories.size(); ++i) {
    if (!categories[i].empty()) with_category.push_back(i);
  }

  Random rng(seed);
  auto pick = [&](const std::vector<std::string>& v) -> const std::string& {
    return v[rng.Below(v.size())];
  };
  std::vector<std::string> kinds = {"word", "two", "three", "phrase", "prefix"};
  if (!with_category.empty()) kinds.push_back("filtered");

  std::FILE* out = std::fopen(out_path.c_str(), "wb");
  if (out == nullptr) {
    std::fprintf(stderr, "findling-gencorpus: cannot write %s\n", out_path.c_str());
    return 3;
  }
  auto write = [&](const std::string& kind, const std::string& f, const std::string& x,
                   const std::string& s, const std::string& category) {
    std::fprintf(out, "%s\t%s\t%s\t%s\t%s\n", kind.c_str(), f.c_str(), x.c_str(), s.c_str(),
                 category.c_str());
  };
  // The check query: the longest word of the first title must be found by
  // every engine, or an index is broken.
  {
    std::string known;
    for (std::string_view w : Words(titles.empty() ? "" : titles[0])) {
      if (IsQueryWord(w) && w.size() > known.size()) known = std::string(w);
    }
    if (known.empty()) known = vocab[0];
    write("known", known, known, known, "");
  }
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::string& kind = kinds[i % kinds.size()];
    if (kind == "word") {
      const std::string& w = pick(vocab);
      write(kind, w, w, w, "");
    } else if (kind == "two" || kind == "three") {
      const int n = kind == "two" ? 2 : 3;
      std::string bare, ored;
      for (int k = 0; k < n; ++k) {
        const std::string& w = pick(vocab);
        bare += (k ? " " : "") + w;
        ored += (k ? " | " : "") + w;
      }
      write(kind, bare, bare, ored, "");
    } else if (kind == "phrase") {
      // Two adjacent words of a random document.
      std::string phrase;
      while (phrase.empty()) {
        const auto words = Words(texts[rng.Below(texts.size())]);
        if (words.size() < 2) continue;
        const std::size_t at = rng.Below(words.size() - 1);
        if (IsQueryWord(words[at]) && IsQueryWord(words[at + 1])) {
          phrase = "\"" + std::string(words[at]) + " " + std::string(words[at + 1]) + "\"";
        }
      }
      write(kind, phrase, phrase, phrase, "");
    } else if (kind == "prefix") {
      // 5 to 7 bytes of a vocabulary word, backed off to a UTF-8 boundary;
      // shorter prefixes expand to most of the vocabulary.
      std::string w = pick(vocab);
      while (w.size() < 7) w = pick(vocab);
      std::size_t n = rng.Between(5, 7);
      while (n > 0 && (static_cast<unsigned char>(w[n]) & 0xC0) == 0x80) --n;
      const std::string p = w.substr(0, n) + "*";
      write(kind, p, p, p, "");
    } else {
      const std::string& w = pick(vocab);
      const std::string& category = categories[with_category[rng.Below(with_category.size())]];
      write(kind, w + " category:\"" + category + "\"", w, w, category);
    }
  }
  if (std::fclose(out) != 0) {
    std::fprintf(stderr, "findling-gencorpus: writing %s failed\n", out_path.c_str());
    return 3;
  }
  return 0;
}

}  // namespace
}  // namespace findling::bench

int main(int argc, char** argv) {
  CLI::App app{"Documents and query sets for Findling's benchmarks (deterministic per seed).",
               "findling-gencorpus"};
  std::uint64_t docs = 0, queries = 0, seed = 1;
  std::string out, convert;
  std::vector<std::string> sources, inputs;
  app.add_option("--docs", docs, "Generate this many documents");
  app.add_option("--queries", queries, "Draw this many queries from the corpus given as input");
  app.add_option("--convert", convert, "Convert the inputs to jsonl, scriptindex or sphinx-tsv");
  app.add_option("--seed", seed, "Random seed")->capture_default_str();
  app.add_option("--out", out, "Output file")->required();
  app.add_option("--source", sources, "Text to take sentences from (default: ../shared corpora)");
  app.add_option("inputs", inputs, "Inputs of --convert, or the corpus of --queries");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  const int modes = (docs > 0) + (queries > 0) + !convert.empty();
  if (modes != 1) {
    std::fprintf(stderr, "findling-gencorpus: give exactly one of --docs, --queries, --convert\n");
    return 2;
  }
  if (docs > 0) {
    if (sources.empty()) {
      // Run from the repository, ../shared sits beside it.
      for (const char* f : {"gesetze-2022-03.jsonl", "klexikon-wiki.jsonl", "10kgnad-test.csv"}) {
        sources.push_back(std::string("../shared/corpora/") + f);
      }
    }
    return findling::bench::Generate(docs, seed, out, sources);
  }
  if (inputs.empty()) {
    std::fprintf(stderr, "findling-gencorpus: --queries and --convert need input files\n");
    return 2;
  }
  if (queries > 0) {
    if (inputs.size() != 1) {
      std::fprintf(stderr, "findling-gencorpus: --queries reads one corpus (JSONL)\n");
      return 2;
    }
    return findling::bench::Queries(queries, seed, out, inputs[0]);
  }
  return findling::bench::Convert(convert, out, inputs);
}
