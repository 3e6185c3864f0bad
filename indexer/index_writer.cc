#include "indexer/index_writer.h"

#include <algorithm>
#include <filesystem>

#include "common/date.h"
#include "common/index_schema.h"

namespace findling {
namespace {

bool Indexable(const std::string& term) {
  return !term.empty() && term.size() <= schema::kMaxTermBytes;
}

// Adds one field's tokens. Title tokens also go to the S field. Every word
// is indexed with its position (phrases), its exact form without position
// (exact-spelling boost, wildcards, suggestions); parts go to P.
void AddTokens(const std::vector<Token>& tokens, bool is_title, Xapian::Document& xdoc) {
  for (const Token& t : tokens) {
    // Xapian positions start at 1; 0 would be "no position".
    const Xapian::termpos pos = t.position + 1;
    switch (t.role) {
      case TokenRole::kPart:
        if (Indexable(t.stem)) xdoc.add_posting(schema::kPartPrefix + t.stem, pos);
        break;
      case TokenRole::kWord:
      case TokenRole::kJoined:
        if (Indexable(t.stem)) {
          xdoc.add_posting(t.stem, pos);
          if (is_title) xdoc.add_posting(schema::kTitlePrefix + t.stem, pos);
        }
        if (Indexable(t.form)) xdoc.add_term(schema::kExactPrefix + t.form);
        break;
    }
  }
}

// Filter terms for every value of a filter field; for a facet field its
// first kFacetValuesPerDocument distinct values, one per slot, so that a
// ValueCountMatchSpy per slot counts each document once per value.
void AddDeclaredFields(const DocumentFields& fields, const FieldSchema& schema,
                       Xapian::Document& xdoc) {
  if (schema.empty()) return;
  for (const FieldDeclaration& decl : schema.fields()) {
    std::vector<const std::string*> facet_values;
    for (const auto& field : fields) {
      // Named references, not a structured binding: clang 14 cannot capture
      // a binding in the lambda below (C++20 allows it, clang 16 implements it).
      const std::string& name = field.first;
      const std::string& value = field.second;
      if (name != decl.name) continue;
      if (decl.filter) {
        const std::string term = schema::FieldTerm(name, value);
        if (Indexable(term)) xdoc.add_boolean_term(term);
      }
      if (decl.facet && facet_values.size() < kFacetValuesPerDocument &&
          std::none_of(facet_values.begin(), facet_values.end(),
                       [&](const std::string* v) { return *v == value; })) {
        xdoc.add_value(schema.Slot(decl.name, facet_values.size()), value);
        facet_values.push_back(&value);
      }
    }
  }
}

}  // namespace

Xapian::Document DocumentBuilder::Build(const SourceDocument& doc) {
  Xapian::Document xdoc;
  tokens_.clear();
  const std::uint32_t title_end =
      analyzer_.AnalyzeInto(doc.title, AnalysisMode::kDocument, 0, tokens_);
  AddTokens(tokens_, /*is_title=*/true, xdoc);
  tokens_.clear();
  analyzer_.AnalyzeInto(doc.text, AnalysisMode::kDocument, title_end + schema::kBodyPositionGap,
                        tokens_);
  AddTokens(tokens_, /*is_title=*/false, xdoc);

  xdoc.add_boolean_term(schema::kIdPrefix + doc.id);
  if (!doc.category.empty()) {
    const std::string category = schema::NormalizeCategory(doc.category);
    if (Indexable(category)) xdoc.add_boolean_term(schema::kCategoryPrefix + category);
    xdoc.add_value(schema::kCategorySlot, doc.category);
  }
  if (IsIsoDay(doc.date)) xdoc.add_value(schema::kDateSlot, doc.date);
  AddDeclaredFields(doc.fields, fields_, xdoc);
  StoredDocument stored{doc.id, doc.title, doc.url, doc.date, doc.category, doc.text, doc.fields};
  xdoc.set_data(stored.ToData());
  xdoc.add_value(schema::kHeaderSlot, stored.ToHeader());
  return xdoc;
}

IndexWriter::IndexWriter(std::string path, Xapian::WritableDatabase db, IndexWriterOptions options,
                         FieldSchema fields)
    : path_(std::move(path)),
      db_(std::move(db)),
      options_(std::move(options)),
      fields_(std::move(fields)) {}

IndexWriter::~IndexWriter() { (void)Commit(); }

Result<std::unique_ptr<IndexWriter>> IndexWriter::Open(const std::string& path,
                                                       const std::string& analysis_signature,
                                                       const IndexWriterOptions& options) {
  try {
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec) return Status::Io("cannot create index folder " + path + ": " + ec.message());
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OPEN);
    std::string recorded = db.get_metadata(schema::kAnalysisKey);
    const std::string recorded_fields = db.get_metadata(schema::kFieldsKey);
    const std::string wanted_fields = options.fields ? options.fields->ToString() : recorded_fields;
    const bool other_analysis = !recorded.empty() && recorded != analysis_signature;
    // Documents indexed under another declaration lack (or have) the terms
    // and values of the fields that differ: the whole index must be rebuilt.
    const bool other_fields = !recorded.empty() && wanted_fields != recorded_fields;
    if (other_analysis || other_fields) {
      if (!options.rebuild_if_incompatible) {
        if (other_analysis) {
          return Status::Incompatible("index " + path + " was built by \"" + recorded +
                                      "\", but this run analyses with \"" + analysis_signature +
                                      "\"; re-index into a new folder or pass --rebuild");
        }
        auto shown = [](const std::string& f) { return f.empty() ? "none" : "\"" + f + "\""; };
        return Status::InvalidInput("index " + path + " declares the fields " +
                                    shown(recorded_fields) + ", but this run declares " +
                                    shown(wanted_fields) +
                                    "; run without --field to keep the index's declaration, "
                                    "or pass --rebuild to re-index with the new one");
      }
      db.close();
      db = Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OVERWRITE);
      recorded.clear();
    }
    auto fields = FieldSchema::FromMetadata(wanted_fields);
    if (!fields.ok()) return Status::Corruption("index " + path + ": " + fields.status().message());
    const std::string recorded_shard = db.get_metadata(schema::kShardKey);
    if (!recorded.empty() && recorded == analysis_signature &&
        recorded_shard != options.shard_label) {
      if (options.shard_label.empty()) {
        return Status::Incompatible("index " + path + " is shard " + recorded_shard +
                                    " of a sharded index; index into the folder that holds it");
      }
      return Status::Incompatible("shard " + path + " records shard \"" + recorded_shard +
                                  "\", but its stub lists it as " + options.shard_label +
                                  "; the shard list was changed by hand");
    }
    if (recorded.empty()) {
      db.set_metadata(schema::kFormatKey, schema::kFormatVersion);
      db.set_metadata(schema::kAnalysisKey, analysis_signature);
      db.set_metadata(schema::kShardKey, options.shard_label);
      db.set_metadata(schema::kFieldsKey, wanted_fields);
      db.commit();
    }
    return std::unique_ptr<IndexWriter>(
        new IndexWriter(path, std::move(db), options, std::move(fields).value()));
  } catch (const Xapian::DatabaseLockError& e) {
    // Xapian reports every failure to take the write lock this way: another
    // writer ("already locked"), but also a read-only file system.
    if (e.get_msg().find("already locked") == std::string::npos) {
      return Status::Io("cannot write to index " + path + ": " + e.get_msg());
    }
    return Status::Io("index " + path + " is locked by another writer (" + e.get_msg() + ")");
  } catch (const Xapian::Error& e) {
    return Status::Io("cannot open index " + path + ": " + e.get_description());
  }
}

Status IndexWriter::Put(const std::string& id, const Xapian::Document& doc,
                        std::uint64_t source_bytes, bool* replaced) {
  try {
    const std::string id_term = schema::kIdPrefix + id;
    const bool exists = db_.term_exists(id_term);
    db_.replace_document(id_term, doc);
    ++(exists ? counts_.replaced : counts_.added);
    if (replaced != nullptr) *replaced = exists;
  } catch (const Xapian::Error& e) {
    return Status::Io("writing document " + id + " to " + path_ + ": " + e.get_description());
  }
  ++pending_changes_;
  pending_bytes_ += source_bytes;
  return MaybeCommit();
}

Status IndexWriter::Delete(const std::string& id, bool* found) {
  try {
    const std::string id_term = schema::kIdPrefix + id;
    const bool exists = db_.term_exists(id_term);
    if (exists) {
      db_.delete_document(id_term);
      ++counts_.deleted;
      ++pending_changes_;
    }
    if (found != nullptr) *found = exists;
  } catch (const Xapian::Error& e) {
    return Status::Io("deleting document " + id + " from " + path_ + ": " + e.get_description());
  }
  return MaybeCommit();
}

Status IndexWriter::MaybeCommit() {
  if (pending_changes_ >= options_.batch_documents || pending_bytes_ >= options_.batch_bytes) {
    return Commit();
  }
  return Status::Ok();
}

Status IndexWriter::SetMetadata(const std::string& key, const std::string& value) {
  try {
    db_.set_metadata(key, value);
  } catch (const Xapian::Error& e) {
    return Status::Io("writing metadata " + key + " to " + path_ + ": " + e.get_description());
  }
  pending_metadata_ = true;
  return Status::Ok();
}

Result<std::string> IndexWriter::GetMetadata(const std::string& key) const {
  try {
    return db_.get_metadata(key);
  } catch (const Xapian::Error& e) {
    return Status::Io("reading metadata " + key + " of " + path_ + ": " + e.get_description());
  }
}

Status IndexWriter::Commit() {
  if (pending_changes_ == 0 && !pending_metadata_) return Status::Ok();
  try {
    db_.commit();
  } catch (const Xapian::Error& e) {
    return Status::Io("committing to " + path_ + ": " + e.get_description());
  }
  counts_.committed_changes += pending_changes_;
  pending_changes_ = 0;
  pending_bytes_ = 0;
  pending_metadata_ = false;
  return Status::Ok();
}

Result<std::uint64_t> IndexWriter::document_count() const {
  try {
    return std::uint64_t{db_.get_doccount()};
  } catch (const Xapian::Error& e) {
    return Status::Io("counting the documents of " + path_ + ": " + e.get_description());
  }
}

}  // namespace findling
