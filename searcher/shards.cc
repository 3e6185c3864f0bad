#include "searcher/shards.h"

#include <charconv>
#include <filesystem>
#include <fstream>

#include "common/ascii.h"

namespace findling {
namespace {

namespace fs = std::filesystem;

constexpr char kRemoteScheme[] = "remote:";

// "HOST:PORT" (the last ':' separates, so a bare IPv6 address needs none of
// its own) into `shard`; false when either part is missing or the port is not
// 1..65535.
bool ParseHostPort(std::string_view text, ShardSpec& shard) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  const std::string_view port = text.substr(colon + 1);
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
    return false;
  }
  shard.kind = ShardSpec::Kind::kRemote;
  shard.host = std::string(text.substr(0, colon));
  shard.port = value;
  return true;
}

// The shards a Xapian stub file lists.
Status ReadStub(const fs::path& stub, std::vector<ShardSpec>& out) {
  std::ifstream in(stub);
  if (!in) return Status::Io("cannot read " + stub.string());
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    line = std::string(TrimAsciiSpace(line));
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.find_first_of(" \t");
    const std::string type = line.substr(0, space);
    const std::string rest =
        space == std::string::npos
            ? ""
            : std::string(TrimAsciiSpace(std::string_view(line).substr(space)));
    const std::string where = stub.string() + ":" + std::to_string(number);
    ShardSpec shard;
    if ((type == "glass" || type == "auto") && !rest.empty()) {
      const fs::path path(rest);
      shard.path = (path.is_absolute() ? path : stub.parent_path() / path).string();
    } else if (type == "remote" && !rest.empty() && rest[0] != ':') {
      if (!ParseHostPort(rest, shard)) {
        return Status::InvalidInput(where + ": expected \"remote HOST:PORT\", found \"" + line +
                                    "\"");
      }
    } else {
      // Xapian's other lines (chert, inmemory, remote :PROGRAM) are not
      // shards Findling writes or serves.
      return Status::InvalidInput(where +
                                  ": expected \"glass PATH\" or \"remote HOST:PORT\", "
                                  "found \"" +
                                  line + "\"");
    }
    out.push_back(std::move(shard));
  }
  if (out.empty()) return Status::InvalidInput(stub.string() + " lists no shards");
  return Status::Ok();
}

}  // namespace

std::string ShardSpec::Name() const {
  return kind == Kind::kLocal ? path : kRemoteScheme + host + ":" + std::to_string(port);
}

Result<std::vector<ShardSpec>> ExpandShards(const std::vector<std::string>& db_args) {
  if (db_args.empty()) return Status::InvalidInput("no index given");
  std::vector<ShardSpec> shards;
  for (const std::string& arg : db_args) {
    if (arg.rfind(kRemoteScheme, 0) == 0) {
      ShardSpec shard;
      if (!ParseHostPort(std::string_view(arg).substr(sizeof kRemoteScheme - 1), shard)) {
        return Status::InvalidInput("--db " + arg + ": expected remote:HOST:PORT");
      }
      shards.push_back(std::move(shard));
      continue;
    }
    std::error_code ec;
    const fs::path path(arg);
    if (!fs::exists(path, ec)) {
      return Status::NotFound("no index at " + arg + " (build one with: findling-index --db " +
                              arg + " FILES...)");
    }
    const fs::path stub = fs::is_directory(path, ec) ? path / "XAPIANDB" : path;
    if (fs::is_regular_file(stub, ec)) {
      std::vector<ShardSpec> listed;
      if (Status s = ReadStub(stub, listed); !s.ok()) return s;
      shards.insert(shards.end(), listed.begin(), listed.end());
    } else {
      ShardSpec shard;
      shard.path = arg;
      shards.push_back(std::move(shard));
    }
  }
  return shards;
}

Result<Xapian::Database> OpenShard(const ShardSpec& shard, const ShardTimeouts& timeouts) {
  try {
    if (shard.kind == ShardSpec::Kind::kRemote) {
      return Xapian::Remote::open(shard.host, shard.port,
                                  static_cast<useconds_t>(timeouts.read.count()),
                                  static_cast<useconds_t>(timeouts.connect.count()));
    }
    std::error_code ec;
    if (!fs::exists(shard.path, ec)) {
      return Status::NotFound("no index at " + shard.path +
                              " (build one with: findling-index --db " + shard.path + " FILES...)");
    }
    return Xapian::Database(shard.path);
  } catch (const Xapian::NetworkError& e) {
    return Status::Unavailable("shard " + shard.Name() + " is unavailable: " + e.get_description());
  } catch (const Xapian::Error& e) {
    return Status::Io("cannot open index " + shard.Name() + ": " + e.get_description());
  }
}

}  // namespace findling
