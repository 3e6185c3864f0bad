#include "indexer/folder_sync.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

namespace findling {
namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t kFnvOffset = 14695981039346656037ull;
constexpr std::uint64_t kFnvPrime = 1099511628211ull;

std::uint64_t Fnv1a(std::string_view bytes, std::uint64_t h = kFnvOffset) {
  for (unsigned char c : bytes) {
    h ^= c;
    h *= kFnvPrime;
  }
  return h;
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

// The content hash of `path`; kNotFound when the file is gone.
Result<std::uint64_t> HashFile(const std::string& path) {
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
  if (!f) {
    const int err = errno;
    if (err == ENOENT) return Status::NotFound(path + ": vanished during the sync");
    return Status::Io(path + ": " + std::strerror(err));
  }
  std::uint64_t h = kFnvOffset;
  std::string block(1 << 20, '\0');
  for (;;) {
    const std::size_t n = std::fread(block.data(), 1, block.size(), f.get());
    h = Fnv1a(std::string_view(block.data(), n), h);
    if (n < block.size()) break;
  }
  if (std::ferror(f.get())) return Status::Io(path + ": read error");
  return h;
}

// Size and modification time; false when the file cannot be stat'ed.
bool StatFile(const std::string& path, SyncedFile& out) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return false;
  out.size = static_cast<std::uint64_t>(st.st_size);
  out.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  return true;
}

// Passes documents on and remembers their ids; notices when the sink stops.
class RecordingSink : public StopTrackingSink {
 public:
  using StopTrackingSink::StopTrackingSink;
  bool Accept(SourceDocument&& doc) override {
    ids_.push_back(doc.id);
    return StopTrackingSink::Accept(std::move(doc));
  }
  std::vector<std::string> TakeIds() { return std::move(ids_); }

 private:
  std::vector<std::string> ids_;
};

}  // namespace

FolderSync::FolderSync(ShardedWriter& writer, std::string folder, ReaderOptions options)
    : writer_(writer), folder_(std::move(folder)), options_(std::move(options)) {}

std::string FolderSync::MetadataKey(const std::string& folder) {
  std::error_code ec;
  fs::path absolute = fs::weakly_canonical(fs::absolute(folder, ec), ec);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(Fnv1a(absolute.string())));
  return std::string("findling.sync.") + hex;
}

std::string FolderSync::Encode(const std::string& folder,
                               const std::map<std::string, SyncedFile>& files) {
  nlohmann::json j_files = nlohmann::json::object();
  for (const auto& [relative, f] : files) {
    j_files[relative] = {f.size, f.mtime_ns, f.hash, f.ids};
  }
  return nlohmann::json{{"folder", folder}, {"files", std::move(j_files)}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Status FolderSync::Decode(const std::string& value) {
  const auto j = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
  const auto bad = [this] {
    return Status::Corruption(writer_.path() + ": the sync record of " + absolute_ +
                              " cannot be read; sync into a fresh index");
  };
  if (!j.is_object() || !j.contains("files") || !j["files"].is_object()) return bad();
  try {
    for (const auto& [relative, f] : j["files"].items()) {
      previous_[relative] =
          SyncedFile{f.at(0).get<std::uint64_t>(), f.at(1).get<std::int64_t>(),
                     f.at(2).get<std::uint64_t>(), f.at(3).get<std::vector<std::string>>()};
    }
  } catch (const nlohmann::json::exception&) {
    return bad();
  }
  return Status::Ok();
}

Status FolderSync::Scan(DocumentSink& sink) {
  std::error_code ec;
  if (!fs::is_directory(folder_, ec)) {
    return Status::InvalidInput("--sync takes a folder; " + folder_ + " is not one");
  }
  absolute_ = fs::weakly_canonical(fs::absolute(folder_, ec), ec).string();
  auto recorded = writer_.GetMetadata(MetadataKey(folder_));
  if (!recorded.ok()) return recorded.status();
  if (!recorded->empty()) {
    if (Status s = Decode(recorded.value()); !s.ok()) return s;
  }
  std::set<std::string> listed;
  for (const std::string& path : ListFolderFiles(folder_, sink)) {
    Pending file{path, fs::path(path).lexically_relative(folder_).string(), {}, false};
    listed.insert(file.relative);
    const auto before = previous_.find(file.relative);
    file.known = before != previous_.end();
    if (!StatFile(path, file.seen)) {
      warnings_.push_back(path + ": vanished during the sync; its documents are removed");
      ++counts_.files_vanished;
      if (file.known) gone_.insert(file.relative);
      continue;
    }
    if (!file.known) {
      to_read_.push_back(std::move(file));
      continue;
    }
    const SyncedFile& old = before->second;
    if (file.seen.size == old.size && file.seen.mtime_ns == old.mtime_ns) {
      next_[file.relative] = old;
      ++counts_.files_unchanged;
      continue;
    }
    if (file.seen.size == old.size) {
      // Same size, another time: only the content can tell (a touch, a copy).
      auto hash = HashFile(path);
      if (hash.ok() && hash.value() == old.hash) {
        SyncedFile same = old;
        same.mtime_ns = file.seen.mtime_ns;
        next_[file.relative] = std::move(same);
        ++counts_.files_unchanged;
        continue;
      }
    }
    to_read_.push_back(std::move(file));
  }
  for (const auto& [relative, old] : previous_) {
    if (listed.count(relative) == 0) {
      gone_.insert(relative);
      ++counts_.files_gone;
    }
  }
  return Status::Ok();
}

void FolderSync::ReadChanged(DocumentSink& sink) {
  for (Pending& file : to_read_) {
    auto hash = HashFile(file.path);
    Status read = hash.status();
    RecordingSink recorder(sink);
    if (read.ok()) {
      file.seen.hash = hash.value();
      read = ReadInput(file.path, options_, recorder);
    }
    if (read.code() == Status::Code::kNotFound) {
      // Deleted between the scan and now: a warning, and its documents go.
      warnings_.push_back(file.path + ": vanished during the sync; its documents are removed");
      ++counts_.files_vanished;
      if (file.known) gone_.insert(file.relative);
      continue;
    }
    if (!read.ok()) {
      // Unreadable: reported as a skipped input; its old record (if any)
      // stays, so the next run tries again.
      sink.Skip(ReadIssue{file.path, read.message(), 0});
      if (file.known) next_[file.relative] = previous_[file.relative];
      continue;
    }
    if (recorder.stopped()) break;  // interrupted: unread files keep their records
    file.seen.ids = recorder.TakeIds();
    next_[file.relative] = std::move(file.seen);
    ++(file.known ? counts_.files_changed : counts_.files_new);
    read_.insert(file.relative);
  }
}

Status FolderSync::Finish() {
  // Files not read to the end (interrupted) keep what the last run recorded.
  for (const Pending& file : to_read_) {
    if (file.known && next_.count(file.relative) == 0 && gone_.count(file.relative) == 0) {
      next_[file.relative] = previous_[file.relative];
    }
  }
  std::set<std::string> live;  // ids some file of the folder has now
  for (const auto& [relative, f] : next_) live.insert(f.ids.begin(), f.ids.end());
  auto drop = [&](const std::vector<std::string>& ids) -> Status {
    for (const std::string& id : ids) {
      if (live.count(id) != 0) continue;
      bool found = false;
      if (Status s = writer_.Delete(id, &found); !s.ok()) return s;
      documents_deleted_ += found ? 1 : 0;
    }
    return Status::Ok();
  };
  for (const std::string& relative : gone_) {
    if (Status s = drop(previous_[relative].ids); !s.ok()) return s;
  }
  for (const std::string& relative : read_) {
    const auto before = previous_.find(relative);
    if (before == previous_.end()) continue;
    if (Status s = drop(before->second.ids); !s.ok()) return s;
  }
  return writer_.SetMetadata(MetadataKey(folder_), Encode(absolute_, next_));
}

}  // namespace findling
