#include "server/client.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace findling::server {
namespace {

using nlohmann::json;

Status Errno(const std::string& what) { return Status::Io(what + ": " + std::strerror(errno)); }

// Connects `fd` (non-blocking) within `timeout`; errno describes a failure.
bool ConnectWithin(int fd, const sockaddr* addr, socklen_t len, std::chrono::milliseconds timeout) {
  if (connect(fd, addr, len) == 0) return true;
  if (errno != EINPROGRESS) return false;
  pollfd p{fd, POLLOUT, 0};
  const int ready = poll(&p, 1, static_cast<int>(timeout.count()));
  if (ready <= 0) {
    errno = ready == 0 ? ETIMEDOUT : errno;
    return false;
  }
  int error = 0;
  socklen_t error_len = sizeof error;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &error_len) != 0) return false;
  errno = error;
  return error == 0;
}

std::vector<Highlight> HighlightsFrom(const json& pairs) {
  std::vector<Highlight> out;
  if (!pairs.is_array()) return out;
  for (const json& p : pairs) {
    if (p.is_array() && p.size() == 2 && p[0].is_number_unsigned() && p[1].is_number_unsigned()) {
      out.push_back({p[0].get<std::uint32_t>(), p[1].get<std::uint32_t>()});
    }
  }
  return out;
}

std::string StringOr(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Result<std::unique_ptr<Client>> Client::Connect(const HostPort& address,
                                                const ClientOptions& options) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(address.port);
  if (const int rc = getaddrinfo(address.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    return Status::Io("cannot resolve " + address.ToString() + ": " + gai_strerror(rc));
  }
  std::string last_error = "no address";
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    const int fd =
        socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      last_error = std::strerror(errno);
      continue;
    }
    if (ConnectWithin(fd, a->ai_addr, a->ai_addrlen, options.timeout)) {
      freeaddrinfo(found);
      const int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      return std::unique_ptr<Client>(new Client(fd, options));
    }
    last_error = std::strerror(errno);
    close(fd);
  }
  freeaddrinfo(found);
  return Status::Io("cannot connect to findling-server at " + address.ToString() + ": " +
                    last_error + " (is findling-server running?)");
}

Client::~Client() { close(fd_); }

bool Client::Wait(short events) {
  pollfd p{fd_, events, 0};
  for (;;) {
    const int ready = poll(&p, 1, static_cast<int>(options_.timeout.count()));
    if (ready > 0) return true;
    if (ready == 0) {
      errno = ETIMEDOUT;
      return false;
    }
    if (errno != EINTR) return false;
  }
}

Status Client::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!Wait(POLLOUT)) return Errno("sending to findling-server");
    } else if (n < 0 && errno != EINTR) {
      return Errno("sending to findling-server");
    }
  }
  return Status::Ok();
}

Result<std::string> Client::ReadLine() {
  std::size_t scanned = 0;
  for (;;) {
    const auto newline = buffer_.find('\n', scanned);
    if (newline != std::string::npos) {
      std::string line = buffer_.substr(0, newline);
      buffer_.erase(0, newline + 1);
      return line;
    }
    scanned = buffer_.size();
    if (buffer_.size() > options_.max_response_bytes) {
      return Status::Limit("response longer than " + std::to_string(options_.max_response_bytes) +
                           " bytes");
    }
    char chunk[65536];
    const ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
    if (n > 0) {
      buffer_.append(chunk, static_cast<std::size_t>(n));
    } else if (n == 0) {
      return Status::Io("findling-server closed the connection");
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (!Wait(POLLIN)) return Errno("waiting for findling-server");
    } else if (errno != EINTR) {
      return Errno("receiving from findling-server");
    }
  }
}

Result<std::string> Client::Call(std::string_view request) {
  std::string line(request);
  line += '\n';
  if (Status s = Send(line); !s.ok()) return s;
  return ReadLine();
}

void Client::ShutdownWrite() { shutdown(fd_, SHUT_WR); }

json SearchRequestToJson(const SearchRequest& r, HighlightStyle style) {
  json j = {{"op", "search"},
            {"q", r.query},
            {"limit", r.limit},
            {"offset", r.offset},
            {"snippet_chars", r.snippet_chars},
            {"snippets", r.snippets},
            {"highlight", style == HighlightStyle::kOffsets ? "offsets" : "mark"},
            {"strict", r.parse_mode == ParseMode::kStrict},
            {"explain", r.explain}};
  if (!r.category.empty()) j["category"] = r.category;
  if (!r.date_from.empty()) j["date_from"] = r.date_from;
  if (!r.date_to.empty()) j["date_to"] = r.date_to;
  if (r.sort != SortOrder::kRelevance) j["sort"] = SortOrderName(r.sort);
  if (!r.facets.empty()) {
    j["facets"] = r.facets;
    j["facet_limit"] = r.facet_limit;
  }
  return j;
}

Result<SearchResponse> SearchResponseFromJson(const json& body) {
  try {
    SearchResponse r;
    r.total = body.at("total").get<std::uint64_t>();
    r.took_ms = body.at("took_ms").get<double>();
    for (const json& h : body.at("hits")) {
      Hit hit;
      hit.rank = h.at("rank").get<std::uint32_t>();
      hit.id = StringOr(h, "id");
      hit.title = StringOr(h, "title");
      hit.url = StringOr(h, "url");
      hit.date = StringOr(h, "date");
      hit.category = StringOr(h, "category");
      if (h.contains("fields")) {
        for (const auto& [name, values] : h["fields"].items()) {
          for (const json& v : values) hit.fields.emplace_back(name, v.get<std::string>());
        }
      }
      hit.score = h.at("score").get<double>();
      hit.snippet.text = StringOr(h, "snippet");
      if (h.contains("highlights")) hit.snippet.highlights = HighlightsFrom(h["highlights"]);
      if (h.contains("title_highlights"))
        hit.title_highlights = HighlightsFrom(h["title_highlights"]);
      r.hits.push_back(std::move(hit));
    }
    r.understood = StringOr(body, "query");
    r.suggestion = StringOr(body, "suggestion");
    if (body.contains("warnings")) {
      for (const json& w : body["warnings"]) {
        r.warnings.push_back({w.at("offset").get<std::uint32_t>(), StringOr(w, "message")});
      }
    }
    if (body.contains("explain")) r.explain = body["explain"].get<std::vector<std::string>>();
    if (body.contains("facets")) {
      for (const auto& [name, values] : body["facets"].items()) {
        FacetCounts f{name, {}};
        for (const json& v : values) {
          f.values.push_back({StringOr(v, "value"), v.at("count").get<std::uint64_t>()});
        }
        r.facets.push_back(std::move(f));
      }
    }
    return r;
  } catch (const json::exception& e) {
    return Status::Io(std::string("findling-server sent an unexpected response: ") + e.what());
  }
}

Result<SearchResponse> SearchViaServer(const std::string& address, const SearchRequest& request,
                                       HighlightStyle style, std::string* raw) {
  auto parsed = ParseHostPort(address);
  if (!parsed.ok()) return Status::InvalidInput("--server: " + parsed.status().message());
  auto client = Client::Connect(parsed.value());
  if (!client.ok()) return client.status();
  auto line = client.value()->Call(SearchRequestToJson(request, style).dump());
  if (!line.ok()) return line.status();
  if (raw != nullptr) *raw = line.value();
  const json body = json::parse(line.value(), nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) return Status::Io("findling-server sent a line that is not JSON");
  if (const auto error = body.find("error"); error != body.end() && error->is_object()) {
    const std::string code = StringOr(*error, "code");
    const std::string message = StringOr(*error, "message") + " (" + code + ")";
    if (code == "query_syntax" || code == "bad_request") return Status::InvalidInput(message);
    if (code == "limit_exceeded") return Status::Limit(message);
    if (code == "not_found") return Status::NotFound(message);
    return Status::Internal(message);
  }
  return SearchResponseFromJson(body);
}

}  // namespace findling::server
