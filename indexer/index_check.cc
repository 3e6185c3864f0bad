#include "indexer/index_check.h"

#include <xapian.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/date.h"
#include "common/index_schema.h"
#include "indexer/shard_layout.h"

namespace findling {
namespace {

// Collects problems; lists the first few, counts them all.
class Problems {
 public:
  Problems(IndexCheckReport& report, std::size_t max_listed)
      : report_(report), max_listed_(max_listed) {}
  void Add(std::string problem) {
    ++report_.problem_count;
    if (report_.problems.size() < max_listed_) report_.problems.push_back(std::move(problem));
  }

 private:
  IndexCheckReport& report_;
  std::size_t max_listed_;
};

std::string DocName(Xapian::docid did, const std::string& id) {
  return "document " + std::to_string(did) + (id.empty() ? "" : " (\"" + id + "\")");
}

// Checks one document against the layout of common/index_schema.h.
void CheckDocument(const Xapian::Database& db, Xapian::docid did, Problems& problems) {
  const Xapian::Document doc = db.get_document(did);
  const Result<StoredDocument> stored = StoredDocument::FromData(doc.get_data());
  if (!stored.ok()) {
    problems.Add(DocName(did, "") + ": " + stored.status().message());
    return;
  }
  const std::string& id = stored->id;
  if (id.empty()) problems.Add(DocName(did, "") + ": stored data has no id");
  // Id terms are the only ones starting with 'Q' (index_schema.h), so the
  // term list, which is sorted, holds them in one run.
  std::vector<std::string> id_terms;
  for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
    const std::string term = *it;
    if (term.rfind(schema::kIdPrefix, 0) == 0) id_terms.push_back(term);
  }
  const std::string expected = schema::kIdPrefix + id;
  if (id_terms.size() != 1 || id_terms[0] != expected) {
    std::string found;
    for (const std::string& t : id_terms) found += (found.empty() ? "" : ", ") + t;
    problems.Add(DocName(did, id) + ": expected the one id term " + expected + ", found " +
                 (found.empty() ? "none" : found));
  } else if (db.get_termfreq(expected) != 1) {
    problems.Add(DocName(did, id) + ": " + std::to_string(db.get_termfreq(expected)) +
                 " documents carry the id term " + expected);
  }
  const std::string header = doc.get_value(schema::kHeaderSlot);
  if (!header.empty() && header != stored->ToHeader()) {
    problems.Add(DocName(did, id) + ": the header value (slot " +
                 std::to_string(schema::kHeaderSlot) + ") differs from the stored document");
  }
  const std::string category_value = doc.get_value(schema::kCategorySlot);
  if (!category_value.empty() && category_value != stored->category) {
    problems.Add(DocName(did, id) + ": category value \"" + category_value +
                 "\" but stored category \"" + stored->category + "\"");
  }
  const std::string date_value = doc.get_value(schema::kDateSlot);
  const std::string stored_date = IsIsoDay(stored->date) ? stored->date : "";
  if (date_value != stored_date && !date_value.empty() && date_value == stored->date) {
    // Before common/date.h the readers stored "31.02.2024" as "2024-02-31".
    problems.Add(DocName(did, id) + ": date \"" + date_value +
                 "\" is not a day in the calendar (written before dates were checked; index the "
                 "document again)");
  } else if (date_value != stored_date) {
    problems.Add(DocName(did, id) + ": date value \"" + date_value + "\" but stored date \"" +
                 stored->date + "\"");
  }
}

// One pass over the index; throws Xapian::DatabaseModifiedError when a
// writer commits under it.
void Walk(Xapian::Database& db, IndexCheckReport& report, Problems& problems) {
  report.documents = 0;
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
    CheckDocument(db, *it, problems);
    ++report.documents;
  }
  if (report.documents != db.get_doccount()) {
    problems.Add("walked " + std::to_string(report.documents) + " documents, but the index says " +
                 std::to_string(db.get_doccount()));
  }
}

}  // namespace

std::string IndexCheckReport::ToText() const {
  std::string out = "index " + path + ": " + std::to_string(documents) + " documents, format " +
                    format + ", analysis \"" + signature + "\": ";
  std::string notes;
  for (const std::string& n : this->notes) notes += "  note: " + n + "\n";
  if (ok()) return out + "OK\n" + notes;
  out += std::to_string(problem_count) + " problems\n" + notes;
  for (const std::string& p : problems) out += "  " + p + "\n";
  if (problem_count > problems.size()) {
    out += "  ... and " + std::to_string(problem_count - problems.size()) + " more\n";
  }
  return out;
}

std::string IndexCheckReport::ToJson() const {
  const nlohmann::json j = {{"db", path},
                            {"ok", ok()},
                            {"documents", documents},
                            {"format", format},
                            {"analysis", signature},
                            {"problem_count", problem_count},
                            {"problems", problems},
                            {"notes", notes},
                            {"structure_checked", structure_checked}};
  // Stored ids may hold anything a broken index contains: replace, never throw.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

Result<IndexCheckReport> CheckIndex(const std::string& path, const IndexCheckOptions& options) {
  std::error_code ec;
  if (!std::filesystem::is_directory(path, ec)) {
    return Status::NotFound("no index folder at " + path);
  }
  IndexCheckReport report;
  report.path = path;
  Problems problems(report, options.max_listed_problems);
  try {
    // Xapian's own check first: a broken B-tree explains whatever the walk
    // below would trip over.
    std::ostringstream xapian_out;
    // Xapian checks one glass folder: a sharded index is checked shard by shard.
    auto layout = ReadShardLayout(path);
    const std::vector<std::string> folders = layout.ok() && !layout->shard_paths.empty()
                                                 ? layout->shard_paths
                                                 : std::vector<std::string>{path};
    report.xapian_errors = 0;
    for (const std::string& folder : folders) {
      report.xapian_errors += Xapian::Database::check(folder, 0, &xapian_out);
    }
    if (report.xapian_errors > 0) {
      std::string details = xapian_out.str();
      if (details.size() > 2000) details = details.substr(0, 2000) + "...";
      problems.Add("Xapian's check found " + std::to_string(report.xapian_errors) +
                   " errors: " + details);
    }
    report.structure_checked = true;
  } catch (const Xapian::DatabaseOpeningError& e) {
    // Not an index (opening it below says so), or tables it cannot open:
    // Xapian's check opens them for writing, which a read-only file system
    // refuses. Neither is a fault of the index itself.
    report.notes.push_back("Xapian's structural check could not run: " + e.get_msg());
  } catch (const Xapian::Error& e) {
    // The structure is too broken to finish the check: say so, and still
    // try to open it below for whatever else can be learned.
    problems.Add("Xapian's check stopped: " + e.get_description());
  }
  try {
    Xapian::Database db(path);
    report.format = db.get_metadata(schema::kFormatKey);
    report.signature = db.get_metadata(schema::kAnalysisKey);
    if (report.format != schema::kFormatVersion) {
      problems.Add(std::string(schema::kFormatKey) + " is \"" + report.format + "\", expected \"" +
                   schema::kFormatVersion + "\"");
    }
    if (report.signature.empty()) {
      problems.Add(std::string(schema::kAnalysisKey) + " is missing");
    } else if (!options.expected_signature.empty() &&
               report.signature != options.expected_signature) {
      problems.Add("built by \"" + report.signature + "\", but this build analyses as \"" +
                   options.expected_signature + "\" (indexing into it would be refused)");
    }
    // A writer that commits during the walk invalidates it; start over on
    // the new state rather than report a mix of two.
    const IndexCheckReport before = report;
    for (int attempt = 0;; ++attempt) {
      try {
        Walk(db, report, problems);
        break;
      } catch (const Xapian::DatabaseModifiedError&) {
        if (attempt >= 3) throw;
        report = before;
        db.reopen();
      }
    }
  } catch (const Xapian::DatabaseCorruptError& e) {
    return Status::Corruption("index " + path + " is corrupt: " + e.get_description());
  } catch (const Xapian::DatabaseOpeningError& e) {
    return Status::NotFound(path + " is not a Xapian index: " + e.get_msg());
  } catch (const Xapian::Error& e) {
    return Status::Io("checking index " + path + ": " + e.get_description());
  }
  return report;
}

}  // namespace findling
