// findling-index: reads article collections and builds a Findling index.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "common/analyzer.h"
#include "common/cli_support.h"
#include "indexer/index_check.h"
#include "indexer/index_job.h"
#include "indexer/progress.h"
#include "indexer/readers.h"
#include "indexer/shard_layout.h"

namespace findling {
namespace {

std::atomic<bool> g_interrupted{false};
void OnSignal(int) { g_interrupted = true; }

// The terminal's view of an IndexJob: a progress bar on stderr (when it is a
// terminal), warnings between its redraws, and Ctrl-C as a clean stop.
class TerminalObserver : public IndexJobObserver {
 public:
  explicit TerminalObserver(bool show_progress) : show_progress_(show_progress) {}

  void OnReadStart(std::uint64_t total_bytes) override {
    // From here on an interruption stops reading and commits what was read;
    // before, nothing is written yet and the default action is right.
    std::signal(SIGINT, OnSignal);
    std::signal(SIGTERM, OnSignal);
    progress_.emplace(show_progress_, total_bytes);
  }
  void OnProgress(std::uint64_t documents, std::uint64_t bytes) override {
    progress_->Add(documents, bytes);
  }
  // Skips and warnings share one cap, so a file of bad dates cannot bury
  // the rest of the output.
  void OnIssue(const ReadIssue& issue, bool skipped) override {
    if (warnings_printed_ < kMaxWarnings) {
      ClearProgress();
      std::fprintf(stderr, "warning: %s: %s%s\n", issue.where.c_str(), issue.message.c_str(),
                   skipped ? " (skipped)" : "");
    } else if (warnings_printed_ == kMaxWarnings) {
      ClearProgress();
      std::fprintf(stderr, "warning: more warnings; only the first %d are listed\n", kMaxWarnings);
    }
    ++warnings_printed_;
  }
  void OnWarning(const std::string& message) override {
    ClearProgress();
    std::fprintf(stderr, "warning: %s\n", message.c_str());
  }
  void OnReadEnd(const Status& status) override {
    ClearProgress();
    if (!status.ok()) std::fprintf(stderr, "findling-index: %s\n", status.message().c_str());
  }
  bool Interrupted() override { return g_interrupted; }

 private:
  void ClearProgress() {
    if (progress_) progress_->Clear();
  }

  static constexpr int kMaxWarnings = 100;
  bool show_progress_;
  std::optional<Progress> progress_;  // from OnReadStart()
  int warnings_printed_ = 0;
};

// Parses "category=0,text=1" into the CSV column options.
Status ApplyColumns(const std::string& spec, CsvOptions& csv) {
  std::size_t begin = 0;
  while (begin < spec.size()) {
    std::size_t end = spec.find(',', begin);
    if (end == std::string::npos) end = spec.size();
    const std::string item = spec.substr(begin, end - begin);
    const auto eq = item.find('=');
    if (eq == std::string::npos)
      return Status::InvalidInput("--csv-columns: expected field=column in \"" + item + "\"");
    const std::string field = item.substr(0, eq), column = item.substr(eq + 1);
    if (field == "id")
      csv.id_column = column;
    else if (field == "title")
      csv.title_column = column;
    else if (field == "text" || field == "body")
      csv.text_column = column;
    else if (field == "url")
      csv.url_column = column;
    else if (field == "date")
      csv.date_column = column;
    else if (field == "category")
      csv.category_column = column;
    else
      return Status::InvalidInput("--csv-columns: unknown field \"" + field + "\"");
    begin = end + 1;
  }
  return Status::Ok();
}

// --json: the report as one JSON object on stdout.
void PrintJson(const IndexReport& r) {
  const WriteCounts& c = r.counts;
  nlohmann::json j = {{"added", c.added},
                      {"replaced", c.replaced},
                      {"deleted", c.deleted},
                      {"skipped", r.skipped},
                      {"committed", c.committed_changes},
                      {"seconds", r.seconds},
                      {"mb", static_cast<double>(r.bytes_read) / 1e6},
                      {"documents_in_index", r.documents_in_index},
                      {"interrupted", r.interrupted},
                      {"db", r.db},
                      {"shards_written", r.shards_written},
                      {"shards", r.shards}};
  if (!r.error.ok()) j["error"] = r.error.message();
  if (r.sync) {
    const SyncCounts& f = *r.sync;
    j["sync"] = {{"files_new", f.files_new},
                 {"files_changed", f.files_changed},
                 {"files_gone", f.files_gone},
                 {"files_unchanged", f.files_unchanged},
                 {"files_vanished", f.files_vanished}};
  }
  if (r.compaction) {
    j["compaction"] = {{"bytes_before", r.compaction->bytes_before},
                       {"bytes_after", r.compaction->bytes_after},
                       {"seconds", r.compaction->seconds},
                       {"merged", r.merged}};
  }
  std::cout << j.dump() << "\n";
}

// The summary for a person, on stderr. `deleted_by_id`: --delete was given.
void PrintSummary(const IndexReport& r, bool deleted_by_id, const std::string& synced_folder) {
  const WriteCounts& c = r.counts;
  const double seconds = r.seconds;
  const double mb = static_cast<double>(r.bytes_read) / 1e6;
  const std::string deleted_note =
      !deleted_by_id && !r.sync
          ? ""
          : ", " + std::to_string(r.sync ? c.deleted : r.ids_deleted) + " deleted";
  std::fprintf(stderr,
               "%s %llu documents (%llu added, %llu replaced, %llu skipped%s) in %.1f s: "
               "%.0f docs/s, %.2f MB/s; %s holds %llu documents\n",
               r.interrupted ? "Interrupted after" : "Indexed",
               static_cast<unsigned long long>(c.added + c.replaced),
               static_cast<unsigned long long>(c.added),
               static_cast<unsigned long long>(c.replaced),
               static_cast<unsigned long long>(r.skipped), deleted_note.c_str(), seconds,
               seconds > 0 ? static_cast<double>(c.added + c.replaced) / seconds : 0.0,
               seconds > 0 ? mb / seconds : 0.0, r.db.c_str(),
               static_cast<unsigned long long>(r.documents_in_index));
  if (r.sync) {
    const SyncCounts& f = *r.sync;
    std::fprintf(stderr,
                 "Synced %s: %llu new, %llu changed, %llu gone, %llu unchanged files "
                 "(%llu vanished while read)\n",
                 synced_folder.c_str(), static_cast<unsigned long long>(f.files_new),
                 static_cast<unsigned long long>(f.files_changed),
                 static_cast<unsigned long long>(f.files_gone),
                 static_cast<unsigned long long>(f.files_unchanged),
                 static_cast<unsigned long long>(f.files_vanished));
  }
  if (r.compaction) {
    std::fprintf(stderr, "%s from %.1f MB to %.1f MB in %.1f s\n",
                 r.merged ? ("Merged " + std::to_string(r.shards_written) +
                             " shards into one compact database")
                                .c_str()
                          : (r.sharded ? "Compacted every shard" : "Compacted the index"),
                 static_cast<double>(r.compaction->bytes_before) / 1e6,
                 static_cast<double>(r.compaction->bytes_after) / 1e6, r.compaction->seconds);
  } else if (r.sharded && !r.interrupted) {
    std::fprintf(stderr, "%s is kept as %u shards (listed in %s/XAPIANDB)\n", r.db.c_str(),
                 r.shards_written, r.db.c_str());
  }
  if (r.interrupted) {
    std::fprintf(stderr,
                 "Everything indexed before the interruption is committed (%llu changes).\n",
                 static_cast<unsigned long long>(c.committed_changes));
  }
}

int Run(int argc, char** argv) {
  CLI::App app{
      "Index German article collections for findling-search.\n\n"
      "Inputs: files, folders (recursively: .jsonl .ndjson .csv .tsv .txt .md .html .htm) and "
      "'-' for standard input. JSONL fields: id, title, text or body, url, date, category; other "
      "members holding strings or arrays of strings are kept as extra fields (as are other "
      "CSV columns, values separated by |, Markdown front-matter keys and HTML <meta name>).\n"
      "Documents are replaced by id; a run commits in batches, so an interrupted run keeps "
      "everything committed before the interruption.\n\n"
      "Exit status: 0 all indexed, 1 some records skipped (see warnings), 2 usage error, "
      "3 index could not be opened or written, 130 interrupted.",
      "findling-index"};
  std::string db = DefaultDbPath();
  std::vector<std::string> inputs, deletes;
  std::string format = "auto", delimiter, quote, columns, lexicon;
  bool quiet = false, json = false, no_header = false, no_decompound = false, no_stem = false;
  bool rebuild = false, check = false, compact = false, no_compact = false, keep_shards = false;
  std::uint32_t shards = std::clamp(std::thread::hardware_concurrency(), 1u, kMaxShards);
  IndexWriterOptions writer_options;
  ReaderOptions reader_options;
  app.add_option("--db", db, "Index folder (created if missing)")->default_str(db);
  app.add_option("inputs", inputs, "Files, folders or - (stdin)");
  app.add_option("--delete", deletes, "Remove the document with this id (repeatable)")
      ->allow_extra_args(false);
  app.add_option("--format", format, "Input format: auto, jsonl, csv, tsv, txt, md, html")
      ->default_str("auto");
  app.add_option("--csv-delimiter", delimiter, "CSV field delimiter (default ,)");
  app.add_option("--csv-quote", quote, "CSV quote character (default \")");
  app.add_flag("--csv-no-header", no_header, "CSV has no header line; name columns by number");
  app.add_option("--csv-columns", columns,
                 "CSV column mapping, e.g. category=0,text=1 or title=Headline,text=Body");
  app.add_option("--encoding", reader_options.encoding,
                 "Encoding of CSV/TSV, text, Markdown and HTML input that is not valid UTF-8, "
                 "e.g. latin1, windows-1252, iso-8859-15 (default utf-8: such input is skipped "
                 "with a message). Valid UTF-8 stays UTF-8; an HTML page's own <meta charset> "
                 "comes first; JSONL is always UTF-8");
  app.add_option("--batch", writer_options.batch_documents, "Commit every N documents")
      ->default_val(writer_options.batch_documents);
  app.add_option("--max-record-bytes", reader_options.max_record_bytes,
                 "Skip records larger than this (bytes)")
      ->default_val(reader_options.max_record_bytes);
  app.add_option("--lexicon", lexicon, kLexiconOptionHelp);
  app.add_flag("--no-decompound", no_decompound, "Do not split compounds");
  app.add_flag("--no-stem", no_stem, "Do not stem (exact word forms only)");
  app.add_flag("--rebuild", rebuild, "Wipe an index built by another analysis");
  auto* compact_flag = app.add_flag(
      "--compact", compact,
      "Compact the index after this run even if it added to an existing index (a new index is "
      "compacted by default: about half the size on disk, for a few percent more time)");
  app.add_flag("--no-compact", no_compact,
               "Leave a new index as built, uncompacted (with several shards: the shards "
               "are kept, since merging them is the compaction)")
      ->excludes(compact_flag);
  auto* shards_option =
      app.add_option("--shards", shards,
                     "Build a new index in N shards written in parallel, one analysis and one "
                     "writer thread each (default: the number of cores, here " +
                         std::to_string(shards) +
                         "); documents go to a shard by a hash of their id. An existing index "
                         "keeps its shard count (a different N is an error)");
  app.add_flag("--keep-shards", keep_shards,
               "Keep a new sharded index as N shards behind one path (PATH/XAPIANDB lists them) "
               "instead of merging them into one database at the end; each shard is compacted");
  app.add_flag("-q,--quiet", quiet, "No progress bar and no summary (warnings still go to stderr)");
  app.add_flag("--json", json, "Print the summary as one JSON object");
  std::vector<std::string> field_declarations;
  std::string fields_file;
  app.add_option("--field", field_declarations,
                 "Declare a metadata field NAME:filter, NAME:facet or NAME:filter,facet "
                 "(repeatable), e.g. author:filter,facet: author:\"Jane Doe\" filters, "
                 "--facets author counts. Recorded in the index; later runs may omit it, a "
                 "different declaration needs --rebuild. Every field is stored either way")
      ->allow_extra_args(false);
  app.add_option("--fields-file", fields_file,
                 "Read the field declarations from FILE, one NAME:PROPERTIES per line "
                 "(# comments)");
  bool sync = false;
  app.add_flag("--sync", sync,
               "Keep the index in step with one FOLDER: read only files new or changed since the "
               "last --sync (size and modification time, content hash on doubt), delete the "
               "documents of files that are gone");
  app.add_flag("--check", check,
               "Verify the index instead of indexing: structure, recorded analysis (the one the "
               "options above select), every document's data and id; exit 0 intact, 3 not");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  if (check && (!inputs.empty() || !deletes.empty())) {
    std::fprintf(stderr, "findling-index: --check takes no inputs and no --delete\n");
    return kExitUsage;
  }
  if (inputs.empty() && deletes.empty() && !check) {
    std::fprintf(stderr,
                 "findling-index: nothing to do: give input files, folders or -, or --delete ID\n");
    return kExitUsage;
  }
  if (sync && (inputs.size() != 1 || inputs[0] == "-" || !deletes.empty() || check)) {
    std::fprintf(stderr, "findling-index: --sync takes one FOLDER, and no --delete or --check\n");
    return kExitUsage;
  }
  auto parsed_format = ParseInputFormat(format);
  if (!parsed_format.ok()) {
    std::fprintf(stderr, "findling-index: %s\n", parsed_format.status().message().c_str());
    return kExitUsage;
  }
  reader_options.format = parsed_format.value();
  if (const Status s = CheckEncoding(reader_options.encoding); !s.ok()) {
    std::fprintf(stderr, "findling-index: --encoding: %s\n", s.message().c_str());
    return kExitUsage;
  }
  if (delimiter == "\\t" || delimiter == "tab") delimiter = "\t";
  if (delimiter.size() > 1 || quote.size() > 1) {
    std::fprintf(stderr, "findling-index: --csv-delimiter and --csv-quote take one character\n");
    return kExitUsage;
  }
  if (!delimiter.empty()) reader_options.csv.delimiter = delimiter[0];
  if (!quote.empty()) reader_options.csv.quote = quote[0];
  reader_options.csv.header = !no_header;
  if (no_header) {
    // Without a header, only columns named by number make sense.
    reader_options.csv.id_column = reader_options.csv.title_column = "";
    reader_options.csv.url_column = reader_options.csv.date_column = "";
    reader_options.csv.category_column = "";
    reader_options.csv.text_column = "0";
  }
  if (Status s = ApplyColumns(columns, reader_options.csv); !s.ok()) {
    std::fprintf(stderr, "findling-index: %s\n", s.message().c_str());
    return kExitUsage;
  }
  writer_options.rebuild_if_incompatible = rebuild;
  if (!field_declarations.empty() && !fields_file.empty()) {
    std::fprintf(stderr, "findling-index: give --field or --fields-file, not both\n");
    return kExitUsage;
  }
  if (!field_declarations.empty() || !fields_file.empty()) {
    auto declared = fields_file.empty() ? FieldSchema::Parse(field_declarations)
                                        : FieldSchema::ParseFile(fields_file);
    if (!declared.ok()) {
      std::fprintf(stderr, "findling-index: %s\n", declared.status().message().c_str());
      return kExitUsage;
    }
    writer_options.fields = std::move(declared).value();
  }
  if (shards < 1 || shards > kMaxShards) {
    std::fprintf(stderr, "findling-index: --shards %u: give a number from 1 to %u\n", shards,
                 kMaxShards);
    return kExitUsage;
  }

  AnalyzerOptions analyzer_options;
  analyzer_options.stem = !no_stem;
  analyzer_options.decompound = !no_decompound;
  analyzer_options.lexicon_path = lexicon;
  auto analyzer = Analyzer::Create(analyzer_options);
  if (!analyzer.ok()) {
    std::fprintf(stderr, "findling-index: %s\n", analyzer.status().message().c_str());
    return kExitFailure;
  }
  if (check) {
    IndexCheckOptions check_options;
    check_options.expected_signature = analyzer.value()->Signature();
    const auto report = CheckIndex(db, check_options);
    if (!report.ok()) {
      std::fprintf(stderr, "findling-index: %s\n", report.status().message().c_str());
      return kExitFailure;
    }
    std::fputs((json ? report->ToJson() : report->ToText()).c_str(), stdout);
    return report->ok() ? kExitOk : kExitFailure;
  }
  IndexJobOptions job_options;
  job_options.db = db;
  job_options.inputs = std::move(inputs);
  job_options.delete_ids = std::move(deletes);
  job_options.sync = sync;
  job_options.reader = std::move(reader_options);
  job_options.writer = std::move(writer_options);
  job_options.shards = shards;
  job_options.shards_explicit = shards_option->count() > 0;
  job_options.compaction = no_compact ? IndexJobOptions::Compaction::kNever
                           : compact  ? IndexJobOptions::Compaction::kAlways
                                      : IndexJobOptions::Compaction::kNewIndex;
  job_options.keep_shards = keep_shards;
  const bool deleted_by_id = !job_options.delete_ids.empty();
  const std::string synced_folder = sync ? job_options.inputs[0] : "";
  IndexJob job(std::move(job_options), *analyzer.value());
  TerminalObserver observer(!quiet && !json && isatty(STDERR_FILENO));
  const auto ran = job.Run(observer);
  if (!ran.ok()) {
    std::fprintf(stderr, "findling-index: %s\n", ran.status().message().c_str());
    // A --shards or field declaration the index contradicts is a usage error.
    return ran.status().code() == Status::Code::kInvalidInput ? kExitUsage : kExitFailure;
  }
  const IndexReport& r = ran.value();
  if (json) {
    PrintJson(r);
  } else if (!quiet) {
    PrintSummary(r, deleted_by_id, synced_folder);
  }
  if (!r.error.ok()) return kExitFailure;
  if (r.interrupted) return kExitInterrupted;
  return r.skipped > 0 || r.ids_not_found > 0 ? kExitNoResult : kExitOk;
}

}  // namespace
}  // namespace findling

int main(int argc, char** argv) { return findling::Run(argc, argv); }
