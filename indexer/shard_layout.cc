#include "indexer/shard_layout.h"

#include <fcntl.h>
#include <unistd.h>
#include <xapian.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/fields.h"
#include "indexer/index_writer.h"

namespace findling {
namespace {

namespace fs = std::filesystem;

constexpr char kStubName[] = "XAPIANDB";
constexpr char kMergePendingName[] = "MERGE-PENDING";

// Writes `content` to `file` and flushes it to disk, so that a rename that
// publishes the folder never publishes an empty stub.
Status WriteDurably(const std::string& file, const std::string& content) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::Io("cannot create " + file);
  const bool ok =
      ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
      ::fsync(fd) == 0;
  ::close(fd);
  return ok ? Status::Ok() : Status::Io("cannot write " + file);
}

// Xapian 1.4's glass backend creates the document data table when the first
// document with data is written, and a table created in a session that
// reopened an existing database stores its entries uncompressed for the rest
// of that session. A shard is created here, closed, and reopened by its
// writer, so the whole first run would store every document's text
// uncompressed (2.3 times the size on gesetze), and the merge at the end
// would compress all of it on one thread (1 s of a 9 s build). One document
// with data, added and deleted here, creates the table now; every later
// session compresses. It costs docid 1, which no document then has.
Status CreateDocumentDataTable(const std::string& shard_path) {
  try {
    Xapian::WritableDatabase db(shard_path, Xapian::DB_OPEN);
    Xapian::Document placeholder;
    placeholder.set_data("findling: creates the document data table");
    db.delete_document(db.add_document(placeholder));
    db.commit();
    return Status::Ok();
  } catch (const Xapian::Error& e) {
    return Status::Io("cannot prepare shard " + shard_path + ": " + e.get_description());
  }
}

// A shard is created as any new index is: IndexWriter::Open records the
// format, the analysis, the field declaration and the shard's label, so
// what a new index records is written in one place.
Status CreateShard(const std::string& shard_path, const std::string& signature,
                   const std::string& fields, const std::string& label) {
  auto declared = FieldSchema::FromMetadata(fields);
  if (!declared.ok()) return declared.status();
  IndexWriterOptions options;
  options.shard_label = label;
  options.fields = std::move(declared).value();
  {
    const auto writer = IndexWriter::Open(shard_path, signature, options);
    if (!writer.ok()) return writer.status();
  }
  return CreateDocumentDataTable(shard_path);
}

}  // namespace

std::string ShardFolderName(std::uint32_t index) {
  std::string digits = std::to_string(index);
  if (digits.size() < 2) digits.insert(0, "0");
  return "shard-" + digits;
}

std::string ShardLabel(std::uint32_t index, std::uint32_t count) {
  return std::to_string(index) + "/" + std::to_string(count);
}

Result<ShardLayout> ReadShardLayout(const std::string& path) {
  ShardLayout layout;
  std::error_code ec;
  const std::string stub = path + "/" + kStubName;
  if (!fs::exists(stub, ec)) {
    if (!fs::exists(path, ec) || (fs::is_directory(path, ec) && fs::is_empty(path, ec))) {
      return layout;  // kNew
    }
    layout.kind = IndexFolderKind::kUnsharded;
    layout.shard_paths.push_back(path);
    return layout;
  }
  std::ifstream in(stub);
  if (!in) return Status::Io("cannot read the shard list " + stub);
  layout.kind = IndexFolderKind::kSharded;
  std::string line;
  for (int line_number = 1; std::getline(in, line); ++line_number) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string type, where;
    fields >> type >> where;
    const std::string expected =
        ShardFolderName(static_cast<std::uint32_t>(layout.shard_paths.size()));
    if ((type != "glass" && type != "auto") || where != expected) {
      return Status::Incompatible(
          stub + ":" + std::to_string(line_number) + ": \"" + line +
          "\": findling-index writes only the local shards it created (expected \"glass " +
          expected + "\"); update a remote shard on its own host");
    }
    layout.shard_paths.push_back(path + "/" + where);
  }
  if (layout.shard_paths.empty()) return Status::Incompatible(stub + " lists no shards");
  layout.merge_pending = fs::exists(path + "/" + kMergePendingName, ec);
  return layout;
}

Status CreateShardedIndex(const std::string& path, std::uint32_t shard_count,
                          const std::string& analysis_signature, const std::string& fields,
                          bool merge_pending) {
  const std::string staging = path + ".creating";
  std::error_code ec;
  fs::remove_all(staging, ec);  // left by a run killed while creating
  fs::create_directories(staging, ec);
  if (ec) return Status::Io("cannot create " + staging + ": " + ec.message());
  std::string stub;
  for (std::uint32_t i = 0; i < shard_count; ++i) {
    const std::string name = ShardFolderName(i);
    Status s =
        CreateShard(staging + "/" + name, analysis_signature, fields, ShardLabel(i, shard_count));
    if (!s.ok()) {
      fs::remove_all(staging, ec);
      return s;
    }
    stub += "glass " + name + "\n";
  }
  Status s = WriteDurably(staging + "/" + kStubName, stub);
  if (s.ok() && merge_pending) s = WriteDurably(staging + "/" + kMergePendingName, "");
  // rename() replaces a missing target or an empty folder atomically.
  if (s.ok() && std::rename(staging.c_str(), path.c_str()) != 0) {
    s = Status::Io("cannot move the new shards from " + staging + " to " + path);
  }
  if (!s.ok()) fs::remove_all(staging, ec);
  return s;
}

Status ClearMergePending(const std::string& path) {
  std::error_code ec;
  fs::remove(path + "/" + kMergePendingName, ec);
  if (ec)
    return Status::Io("cannot remove " + path + "/" + kMergePendingName + ": " + ec.message());
  return Status::Ok();
}

}  // namespace findling
