// findling-index: reads article collections and builds a Findling index.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "common/analyzer.h"
#include "common/cli_support.h"
#include "indexer/folder_sync.h"
#include "indexer/index_check.h"
#include "indexer/index_compactor.h"
#include "indexer/index_writer.h"
#include "indexer/progress.h"
#include "indexer/readers.h"
#include "indexer/shard_layout.h"
#include "indexer/sharded_writer.h"

namespace findling {
namespace {

std::atomic<bool> g_interrupted{false};
void OnSignal(int) { g_interrupted = true; }

// Receives documents from the readers and writes them to the index.
class IndexingSink : public DocumentSink {
 public:
  IndexingSink(ShardedWriter& writer, Progress& progress, bool quiet)
      : writer_(writer), progress_(progress), quiet_(quiet) {}

  bool Accept(SourceDocument&& doc) override {
    if (g_interrupted) return false;
    const std::uint64_t bytes = doc.source_bytes;
    Status s = writer_.Submit(std::move(doc));
    if (!s.ok()) {
      error_ = s;
      return false;
    }
    progress_.Add(1, bytes);
    return !g_interrupted;
  }

  void Skip(const ReadIssue& issue) override {
    ++skipped_;
    progress_.Add(0, issue.source_bytes);
    Print(issue, " (skipped)");
  }

  // The document is indexed all the same, so the exit code stays 0.
  void Warn(const ReadIssue& issue) override { Print(issue, ""); }

  std::uint64_t skipped() const { return skipped_; }
  const Status& error() const { return error_; }

 private:
  // Skips and warnings share one cap, so a file of bad dates cannot bury
  // the rest of the output.
  void Print(const ReadIssue& issue, const char* suffix) {
    if (warnings_printed_ < kMaxWarnings) {
      progress_.Clear();
      std::fprintf(stderr, "warning: %s: %s%s\n", issue.where.c_str(), issue.message.c_str(),
                   suffix);
    } else if (warnings_printed_ == kMaxWarnings) {
      progress_.Clear();
      std::fprintf(stderr, "warning: more warnings; only the first %d are listed\n", kMaxWarnings);
    }
    ++warnings_printed_;
    (void)quiet_;
  }

  static constexpr int kMaxWarnings = 100;
  ShardedWriter& writer_;
  Progress& progress_;
  bool quiet_;
  std::uint64_t skipped_ = 0;
  int warnings_printed_ = 0;
  Status error_;
};

std::uint64_t TotalInputBytes(const std::vector<std::string>& inputs) {
  std::uint64_t total = 0;
  for (const std::string& in : inputs) {
    std::error_code ec;
    if (in == "-") return 0;  // unknown size: no percentage
    if (std::filesystem::is_directory(in, ec)) {
      total += FolderBytes(in);
    } else {
      const auto size = std::filesystem::file_size(in, ec);
      if (!ec) total += size;
    }
  }
  return total;
}

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

struct ShardChoice {
  ShardLayout layout;
  bool created = false;  // this run created a new sharded index
};

// Decides which shards this run writes: a new index gets `requested` shards
// (created here when more than one), an existing index keeps its own.
// Returns kInvalidInput for a --shards that contradicts the index.
Result<ShardChoice> ChooseShards(const std::string& db, std::uint32_t requested,
                                 bool requested_explicitly, const std::string& signature,
                                 const std::string& fields, bool merge_at_end) {
  auto layout = ReadShardLayout(db);
  if (!layout.ok()) return layout.status();
  ShardChoice choice{layout.value()};
  const auto existing = static_cast<std::uint32_t>(choice.layout.shard_paths.size());
  switch (choice.layout.kind) {
    case IndexFolderKind::kNew:
      if (requested == 1) {
        choice.layout = {IndexFolderKind::kUnsharded, {db}, false};
        return choice;
      }
      if (Status s = CreateShardedIndex(db, requested, signature, fields, merge_at_end); !s.ok())
        return s;
      layout = ReadShardLayout(db);
      if (!layout.ok()) return layout.status();
      choice.layout = layout.value();
      choice.created = true;
      return choice;
    case IndexFolderKind::kUnsharded:
    case IndexFolderKind::kSharded:
      if (requested_explicitly && requested != existing) {
        return Status::InvalidInput(
            "--shards " + std::to_string(requested) + " contradicts the index at " + db +
            ", which has " + std::to_string(existing) + (existing == 1 ? " shard" : " shards") +
            " (documents are routed by the shard count it was built with); leave --shards out "
            "or index into a new folder");
      }
      return choice;
  }
  return choice;
}

// Compacts every shard in place, in parallel (each shard is a complete
// index, so CompactIndex's atomic exchange applies to each).
std::optional<CompactionResult> CompactShards(const std::vector<std::string>& shards) {
  std::vector<Result<CompactionResult>> results(shards.size(), Status::Internal("not run"));
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < shards.size(); ++i) {
    threads.emplace_back([&, i] { results[i] = CompactIndex(shards[i]); });
  }
  for (auto& t : threads) t.join();
  CompactionResult total;
  for (const auto& r : results) {
    if (!r.ok()) {
      std::fprintf(stderr, "warning: %s\n", r.status().message().c_str());
      return std::nullopt;
    }
    total.bytes_before += r->bytes_before;
    total.bytes_after += r->bytes_after;
    total.seconds = std::max(total.seconds, r->seconds);
  }
  return total;
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
  const bool merge_at_end = !keep_shards && !no_compact;
  auto chosen =
      ChooseShards(db, shards, shards_option->count() > 0, analyzer.value()->Signature(),
                   writer_options.fields ? writer_options.fields->ToString() : "", merge_at_end);
  if (!chosen.ok()) {
    std::fprintf(stderr, "findling-index: %s\n", chosen.status().message().c_str());
    return chosen.status().code() == Status::Code::kInvalidInput ? kExitUsage : kExitFailure;
  }
  const ShardLayout& layout = chosen->layout;
  auto writer = ShardedWriter::Open(layout, *analyzer.value(), writer_options);
  if (!writer.ok()) {
    std::fprintf(stderr, "findling-index: %s\n", writer.status().message().c_str());
    // Another field declaration than the index's is a usage error.
    return writer.status().code() == Status::Code::kInvalidInput ? kExitUsage : kExitFailure;
  }
  ShardedWriter& w = *writer.value();
  // A sharded build stays new until the run that completes it merges it.
  const bool new_index = w.document_count() == 0 || layout.merge_pending;

  std::uint64_t deleted = 0, not_found = 0;
  for (const std::string& id : deletes) {
    bool found = false;
    if (Status s = w.Delete(id, &found); !s.ok()) {
      std::fprintf(stderr, "findling-index: %s\n", s.message().c_str());
      return kExitFailure;
    }
    if (found) {
      ++deleted;
    } else {
      ++not_found;
      std::fprintf(stderr, "warning: no document with id \"%s\" to delete\n", id.c_str());
    }
  }

  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  const bool show_progress = !quiet && !json && isatty(STDERR_FILENO);
  Progress progress(show_progress, sync ? 0 : TotalInputBytes(inputs));
  IndexingSink sink(w, progress, quiet);
  std::unique_ptr<FolderSync> folder_sync;
  std::string synced_folder;
  if (sync) {
    folder_sync = std::make_unique<FolderSync>(w, inputs[0], reader_options);
    if (Status s = folder_sync->Scan(sink); !s.ok()) {
      std::fprintf(stderr, "findling-index: %s\n", s.message().c_str());
      return s.code() == Status::Code::kInvalidInput ? kExitUsage : kExitFailure;
    }
    folder_sync->ReadChanged(sink);
    synced_folder = inputs[0];
    inputs.clear();  // read above
  }
  int unreadable = 0;
  for (const std::string& input : inputs) {
    if (g_interrupted) break;
    Status s = ReadInput(input, reader_options, sink);
    if (!sink.error().ok()) break;
    if (!s.ok()) {
      progress.Clear();
      std::fprintf(stderr, "warning: %s (skipped)\n", s.message().c_str());
      ++unreadable;
    }
  }
  const Status written = w.Finish();
  Status synced;
  if (folder_sync && written.ok() && sink.error().ok()) synced = folder_sync->Finish();
  const Status committed = synced.ok() ? w.Commit() : synced;
  progress.Finish();
  const Status& failure = !sink.error().ok() ? sink.error() : (!written.ok() ? written : committed);
  if (!failure.ok()) {
    std::fprintf(stderr, "findling-index: %s\n", failure.message().c_str());
  }

  const WriteCounts c = w.counts();
  const std::uint64_t documents_in_index = w.document_count();
  const std::uint32_t shards_written = w.shard_count();
  writer.value().reset();  // releases the shards for compaction
  std::optional<CompactionResult> compaction;
  const bool wrote = c.added + c.replaced + c.deleted > 0;
  const bool sharded = layout.kind == IndexFolderKind::kSharded;
  const bool complete = failure.ok() && !g_interrupted;
  bool merged = false;
  if (complete && sharded && layout.merge_pending && keep_shards) {
    if (Status s = ClearMergePending(db); !s.ok()) {
      std::fprintf(stderr, "warning: %s\n", s.message().c_str());
    }
  }
  if (folder_sync) {
    progress.Clear();
    for (const std::string& warning : folder_sync->warnings()) {
      std::fprintf(stderr, "warning: %s\n", warning.c_str());
    }
  }
  if (complete && !no_compact && (compact || new_index) && (wrote || layout.merge_pending)) {
    if (sharded && !keep_shards && layout.merge_pending) {
      // The merge: one database from all shards, swapped in for the folder.
      auto compacted = CompactIndex(db);
      if (compacted.ok()) {
        compaction = compacted.value();
        merged = true;
      } else {
        // Every shard is complete and searchable; the next run retries.
        std::fprintf(stderr, "warning: %s\n", compacted.status().message().c_str());
      }
    } else if (sharded) {
      compaction = CompactShards(layout.shard_paths);
    } else {
      auto compacted = CompactIndex(db);
      if (compacted.ok()) {
        compaction = compacted.value();
      } else {
        // The index is complete and intact, only larger than it could be.
        std::fprintf(stderr, "warning: %s\n", compacted.status().message().c_str());
      }
    }
  }
  const std::uint32_t shards_now = merged ? 1 : shards_written;
  const double seconds = progress.Seconds();
  const double mb = static_cast<double>(progress.bytes()) / 1e6;
  const std::uint64_t skipped = sink.skipped() + static_cast<std::uint64_t>(unreadable);
  if (json) {
    nlohmann::json j = {{"added", c.added},
                        {"replaced", c.replaced},
                        {"deleted", c.deleted},
                        {"skipped", skipped},
                        {"committed", c.committed_changes},
                        {"seconds", seconds},
                        {"mb", mb},
                        {"documents_in_index", documents_in_index},
                        {"interrupted", g_interrupted.load()},
                        {"db", db},
                        {"shards_written", shards_written},
                        {"shards", shards_now}};
    if (!failure.ok()) j["error"] = failure.message();
    if (folder_sync) {
      const SyncCounts& f = folder_sync->counts();
      j["sync"] = {{"files_new", f.files_new},
                   {"files_changed", f.files_changed},
                   {"files_gone", f.files_gone},
                   {"files_unchanged", f.files_unchanged},
                   {"files_vanished", f.files_vanished}};
    }
    if (compaction) {
      j["compaction"] = {{"bytes_before", compaction->bytes_before},
                         {"bytes_after", compaction->bytes_after},
                         {"seconds", compaction->seconds},
                         {"merged", merged}};
    }
    std::cout << j.dump() << "\n";
  } else if (!quiet) {
    const std::string deleted_note =
        deletes.empty() && !folder_sync
            ? ""
            : ", " + std::to_string(folder_sync ? c.deleted : deleted) + " deleted";
    std::fprintf(stderr,
                 "%s %llu documents (%llu added, %llu replaced, %llu skipped%s) in %.1f s: "
                 "%.0f docs/s, %.2f MB/s; %s holds %llu documents\n",
                 g_interrupted ? "Interrupted after" : "Indexed",
                 static_cast<unsigned long long>(c.added + c.replaced),
                 static_cast<unsigned long long>(c.added),
                 static_cast<unsigned long long>(c.replaced),
                 static_cast<unsigned long long>(skipped), deleted_note.c_str(), seconds,
                 seconds > 0 ? static_cast<double>(c.added + c.replaced) / seconds : 0.0,
                 seconds > 0 ? mb / seconds : 0.0, db.c_str(),
                 static_cast<unsigned long long>(documents_in_index));
    if (folder_sync) {
      const SyncCounts& f = folder_sync->counts();
      std::fprintf(stderr,
                   "Synced %s: %llu new, %llu changed, %llu gone, %llu unchanged files "
                   "(%llu vanished while read)\n",
                   synced_folder.c_str(), static_cast<unsigned long long>(f.files_new),
                   static_cast<unsigned long long>(f.files_changed),
                   static_cast<unsigned long long>(f.files_gone),
                   static_cast<unsigned long long>(f.files_unchanged),
                   static_cast<unsigned long long>(f.files_vanished));
    }
    if (compaction) {
      std::fprintf(stderr, "%s from %.1f MB to %.1f MB in %.1f s\n",
                   merged ? ("Merged " + std::to_string(shards_written) +
                             " shards into one compact database")
                                .c_str()
                          : (sharded ? "Compacted every shard" : "Compacted the index"),
                   static_cast<double>(compaction->bytes_before) / 1e6,
                   static_cast<double>(compaction->bytes_after) / 1e6, compaction->seconds);
    } else if (sharded && !g_interrupted) {
      std::fprintf(stderr, "%s is kept as %u shards (listed in %s/XAPIANDB)\n", db.c_str(),
                   shards_written, db.c_str());
    }
    if (g_interrupted) {
      std::fprintf(stderr,
                   "Everything indexed before the interruption is committed (%llu changes).\n",
                   static_cast<unsigned long long>(c.committed_changes));
    }
  }
  if (!failure.ok()) return kExitFailure;
  if (g_interrupted) return kExitInterrupted;
  return skipped > 0 || not_found > 0 ? kExitNoResult : kExitOk;
}

}  // namespace
}  // namespace findling

int main(int argc, char** argv) { return findling::Run(argc, argv); }
