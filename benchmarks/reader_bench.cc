// findling-reader-bench: MB/s of each document reader (indexer/readers.h),
// parsing only: the input is in memory and read through ReadStream, so disk
// and analysis are out of the figure.
//
//   findling-reader-bench [--corpora=DIR] [--mb=8] [Google Benchmark flags]
//
// JSONL and CSV: the first --mb megabytes (whole lines) of the shared
// corpora in DIR (default ../shared/corpora); a corpus that is absent is
// left out, with a note on stderr. HTML and Markdown: pages generated here
// from a fixed seed (headings, paragraphs, links, emphasis, lists, tables,
// code and character references, as real pages have them), the same on
// every run, so that two builds are measured on the same bytes. The HTML
// set is read once as UTF-8 and once as a declared windows-1252 page
// (the legacy-charset path).
//
// Every iteration must produce the document count and text bytes of the
// first pass: a reader that started dropping text would otherwise show up
// as faster (SkipWithError then).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "benchmarks/bench_common.h"
#include "benchmarks/google_benchmark_main.h"
#include "common/utf8.h"
#include "indexer/readers.h"

namespace findling::bench {
namespace {

namespace fs = std::filesystem;

// Counts what the reader produced; keeps nothing.
class CountingSink : public DocumentSink {
 public:
  bool Accept(SourceDocument&& doc) override {
    ++docs;
    text_bytes += doc.title.size() + doc.text.size();
    return true;
  }
  void Skip(const ReadIssue&) override { ++skips; }
  void Warn(const ReadIssue&) override {}

  std::size_t docs = 0, skips = 0, text_bytes = 0;
};

// One benchmark input: files (one per document for HTML/Markdown, one for
// a JSONL/CSV corpus), each read with its name and the options.
struct Input {
  std::string name;
  std::vector<std::pair<std::string, std::string>> files;  // name, content
  ReaderOptions options;
  std::size_t bytes = 0;
};

CountingSink ReadAll(const Input& input) {
  CountingSink sink;
  for (const auto& [name, content] : input.files) {
    std::istringstream in(content);
    (void)ReadStream(in, name, input.options, sink);
  }
  return sink;
}

void BM_Read(benchmark::State& state, const Input* input) {
  const CountingSink expected = ReadAll(*input);
  if (expected.docs == 0) {
    state.SkipWithError("no documents read");
    return;
  }
  for (auto _ : state) {
    const CountingSink got = ReadAll(*input);
    if (got.docs != expected.docs || got.text_bytes != expected.text_bytes) {
      state.SkipWithError("documents or text bytes changed between passes");
      break;
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input->bytes));
  state.counters["docs"] = static_cast<double>(expected.docs);
  state.counters["skips"] = static_cast<double>(expected.skips);
}

// The first max_bytes of a file, cut after a line end; "" when absent.
std::string Head(const fs::path& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::string data(max_bytes, '\0');
  in.read(data.data(), static_cast<std::streamsize>(max_bytes));
  data.resize(static_cast<std::size_t>(in.gcount()));
  if (data.size() == max_bytes) data.resize(data.rfind('\n') + 1);
  return data;
}

// German sentences for the generated pages; the seeded generator picks.
constexpr const char* kSentences[] = {
    "Die Bundesregierung hat am Mittwoch einen Gesetzentwurf zur Grundsteuer beschlossen.",
    "Der Bodensee liegt am Nordrand der Alpen und grenzt an Deutschland, Österreich und die "
    "Schweiz.",
    "Im Straßenbahnnetz der Stadt fahren seit Montag wieder alle Linien nach Fahrplan.",
    "Die Mitgliederversammlung wählte einen neuen Vorstand für die nächsten drei Jahre.",
    "Nach dem Hochwasser räumen die Anwohner in Passau Schlamm aus ihren Kellern.",
    "Das Landgericht verwies die Klage wegen Unzuständigkeit an das Amtsgericht zurück.",
    "Die Spielzeit des Burgtheaters beginnt im September mit einer Uraufführung.",
    "Für Rückfragen steht die Pressestelle werktags zwischen neun und zwölf Uhr bereit.",
};
constexpr const char* kWords[] = {"Grundsteuer",   "Bodensee", "Straßenbahn", "Öffentlichkeit",
                                  "Fußgängerzone", "Müller",   "Lokführer",   "Kläger"};

std::string Pick(Random& r, const auto& table) { return table[r.Below(std::size(table))]; }

// An article page of about 20 KB: navigation and footer (dropped), a
// script, headings, paragraphs with inline markup and references, a list
// and a table. With latin1, the same page is windows-1252 and says so.
std::string HtmlPage(Random& r, int n, bool latin1) {
  std::string p = "<!DOCTYPE html>\n<html lang=\"de\"><head>";
  p += latin1 ? "<meta charset=\"windows-1252\">" : "<meta charset=\"utf-8\">";
  p += "<title>Seite " + std::to_string(n) + " &ndash; " + Pick(r, kWords) + "</title>\n";
  p += "<meta name=\"date\" content=\"2024-05-0" + std::to_string(1 + n % 9) + "\">\n";
  p += "<script>var x = {a: 1, b: '<p>kein Text</p>'};</script>\n</head><body>\n";
  p += "<nav><ul><li><a href=\"/\">Start</a></li><li><a href=\"/politik\">Politik</a></li>"
       "</ul></nav>\n<main><article><h1>" +
       Pick(r, kWords) + " im &Uuml;berblick</h1>\n";
  while (p.size() < 20000) {
    switch (r.Below(5)) {
      case 0:
        p += "<h2>" + Pick(r, kWords) + " &amp; " + Pick(r, kWords) + "</h2>\n";
        break;
      case 1:
        p += "<ul>\n";
        for (int i = 0; i < 4; ++i) p += "  <li>" + Pick(r, kSentences) + "</li>\n";
        p += "</ul>\n";
        break;
      case 2:
        p += "<table><tr><th>Stadt</th><th>Einwohner</th></tr><tr><td>Wien</td><td>2&nbsp;Mio."
             "</td></tr></table>\n";
        break;
      default:
        p += "<p class=\"text\">" + Pick(r, kSentences) + " <a href=\"https://example.org/" +
             std::to_string(r.Below(1000)) + "?a=1&amp;b=2\">" + Pick(r, kWords) + "</a> <b>" +
             Pick(r, kWords) + "</b> &bdquo;" + Pick(r, kSentences) + "&ldquo; &#8211; " +
             Pick(r, kSentences) + "</p>\n";
    }
  }
  p += "</article></main><footer>Impressum &copy; 2024</footer></body></html>\n";
  if (!latin1) return p;
  // The page is UTF-8 so far; its text is all Latin-1 (the references are
  // ASCII), so it converts byte by byte.
  std::string out;
  std::size_t i = 0;
  while (i < p.size()) {
    const char32_t cp = DecodeUtf8(p, i);
    out.push_back(static_cast<char>(cp <= 0xFF ? cp : U'?'));
  }
  return out;
}

// A Markdown note of about 20 KB: front matter, headings, paragraphs with
// emphasis, links, code spans and references, lists, a fenced code block,
// a table and a quote.
std::string MarkdownPage(Random& r, int n) {
  std::string p = "---\ntitle: Notiz " + std::to_string(n) + "\ndate: 2024-05-0" +
                  std::to_string(1 + n % 9) + "\ncategory: Politik\n---\n\n# " + Pick(r, kWords) +
                  " im &Uuml;berblick\n\n";
  while (p.size() < 20000) {
    switch (r.Below(6)) {
      case 0:
        p += "## " + Pick(r, kWords) + " &amp; " + Pick(r, kWords) + "\n\n";
        break;
      case 1:
        for (int i = 0; i < 4; ++i) p += "- " + Pick(r, kSentences) + "\n";
        p += "\n";
        break;
      case 2:
        p += "```cpp\nint *zeiger = nullptr;  // *nicht* gestrippt\n```\n\n";
        break;
      case 3:
        p += "| Stadt | Einwohner |\n|-------|----------:|\n| Wien  | 2 Mio.    |\n\n";
        break;
      case 4:
        p += "> " + Pick(r, kSentences) + "\n\n";
        break;
      default:
        p += Pick(r, kSentences) + " Siehe [" + Pick(r, kWords) + "](https://example.org/" +
             std::to_string(r.Below(1000)) + ") und **" + Pick(r, kWords) + "**, `code_span`, _" +
             Pick(r, kWords) + "_ &ndash; " + Pick(r, kSentences) + "\n" + Pick(r, kSentences) +
             "\n\n";
    }
  }
  return p;
}

Input Generated(const std::string& name, int pages, auto make) {
  Input input;
  input.name = name;
  Random r(20240501);
  for (int n = 0; n < pages; ++n) {
    auto [file, content] = make(r, n);
    input.bytes += content.size();
    input.files.emplace_back(std::move(file), std::move(content));
  }
  return input;
}

int Main(int argc, char** argv) {
  std::string dir = TakeFlag(argc, argv, "corpora");
  const std::string mb = TakeFlag(argc, argv, "mb");
  if (dir.empty()) dir = "../shared/corpora";
  if (!InitGoogleBenchmark(argc, argv)) return 2;
  const auto max_bytes = static_cast<std::size_t>((mb.empty() ? 8.0 : std::atof(mb.c_str())) * 1e6);

  static std::vector<Input> inputs;
  const std::pair<const char*, const char*> corpora[] = {{"jsonl/gesetze", "gesetze-2022-03.jsonl"},
                                                         {"jsonl/klexikon", "klexikon-wiki.jsonl"},
                                                         {"csv/10kgnad", "10kgnad-test.csv"}};
  for (const auto& [name, file] : corpora) {
    std::string data = Head(fs::path(dir) / file, max_bytes);
    if (data.empty()) {
      std::fprintf(stderr, "findling-reader-bench: %s not in %s, left out\n", file, dir.c_str());
      continue;
    }
    Input input;
    input.name = name;
    input.options = std::strncmp(name, "csv/", 4) == 0 ? GnadReaderOptions() : ReaderOptions{};
    input.bytes = data.size();
    input.files.emplace_back(file, std::move(data));
    inputs.push_back(std::move(input));
  }
  inputs.push_back(Generated("html/generated", 200, [](Random& r, int n) {
    return std::pair{"seite" + std::to_string(n) + ".html", HtmlPage(r, n, false)};
  }));
  inputs.push_back(Generated("html/generated-windows-1252", 200, [](Random& r, int n) {
    return std::pair{"alt" + std::to_string(n) + ".html", HtmlPage(r, n, true)};
  }));
  inputs.push_back(Generated("markdown/generated", 200, [](Random& r, int n) {
    return std::pair{"notiz" + std::to_string(n) + ".md", MarkdownPage(r, n)};
  }));
  for (const Input& input : inputs) {
    benchmark::RegisterBenchmark(("read/" + input.name).c_str(), BM_Read, &input)
        ->Unit(benchmark::kMillisecond);
  }
  return RunRegisteredBenchmarks();
}

}  // namespace
}  // namespace findling::bench

int main(int argc, char** argv) { return findling::bench::Main(argc, argv); }
