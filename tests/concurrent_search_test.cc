// Searching while the index changes: Searchers on their own threads and a
// findling-server keep answering while an IndexWriter adds, replaces and
// deletes documents and commits every few milliseconds.
//
// What must hold (searcher/searcher.h, server/worker_pool.h): no request
// fails, and no answer shows a document that was never written -- a title of
// one version with the text of another, a snippet from a different
// document, a version from the future. Every document's title and text
// encode its id and version, so each hit and each fetched document can be
// checked on its own.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "client/client.h"
#include "indexer/index_writer.h"
#include "searcher/searcher.h"
#include "server/server.h"
#include "tests/test_index.h"
#include "tests/test_util.h"

namespace findling {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr int kMaxDocs = 400;  // ids c0000 .. c0399

std::string Id(int n) {
  char id[8];
  std::snprintf(id, sizeof id, "c%04d", n);
  return id;
}

std::string Title(int n, int version) {
  return "Bericht " + Id(n) + " Fassung " + std::to_string(version);
}

std::string Text(int n, int version) {
  static const char* const kTopics[] = {"die Stadtwerke erhöhen die Preise",
                                        "der Stadtrat berät über Fahrradstraßen",
                                        "die Universität eröffnet ein Rechenzentrum",
                                        "das Theater zeigt ein Stück über Sprachmodelle"};
  return "Gemeinsamer Bericht: " + std::string(kTopics[(n + version) % 4]) + ". Kennung " + Id(n) +
         " in Fassung " + std::to_string(version) +
         ". Die Redaktion aktualisiert diesen Bericht laufend. Ende " + Id(n) + ".";
}

// Parses "Bericht c0042 Fassung 3" into (42, 3); false for anything else.
bool ParseTitle(const std::string& title, int* n, int* version) {
  return std::sscanf(title.c_str(), "Bericht c%4d Fassung %d", n, version) == 2 &&
         title == Title(*n, *version);
}

// What the writer has made visible or is about to: searchers may see any
// version up to the latest one written for an id, never a later one.
struct Written {
  std::atomic<int> latest[kMaxDocs];
  Written() {
    for (auto& v : latest) v = -1;
  }
};

// Collects failures from all threads; the test prints the first few.
class Failures {
 public:
  void Add(std::string what) {
    std::lock_guard<std::mutex> lock(mu_);
    ++count_;
    if (first_.size() < 10) first_.push_back(std::move(what));
  }
  int count() const {
    std::lock_guard<std::mutex> lock(mu_);
    return count_;
  }
  std::string Describe() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::string out;
    for (const auto& f : first_) out += f + "\n";
    return out;
  }

 private:
  mutable std::mutex mu_;
  int count_ = 0;
  std::vector<std::string> first_;
};

// Checks a hit or a fetched document: its title names a version that was
// written, and its text (or each "…"-separated piece of its snippet) is that
// version's text.
void CheckDocument(const std::string& id, const std::string& title, const std::string& text,
                   bool is_snippet, const Written& written, Failures& failures) {
  int n = 0, version = 0;
  if (!ParseTitle(title, &n, &version) || Id(n) != id) {
    return failures.Add("hit " + id + " has the title \"" + title + "\"");
  }
  if (version > written.latest[n].load()) {
    return failures.Add(title + ": a version that was never written");
  }
  const std::string expected = Text(n, version);
  if (!is_snippet) {
    if (text != expected) failures.Add(title + ": text \"" + text + "\"");
    return;
  }
  std::size_t begin = 0;
  const std::string ellipsis = "…";
  while (begin <= text.size()) {
    std::size_t end = text.find(ellipsis, begin);
    if (end == std::string::npos) end = text.size();
    const std::string piece = text.substr(begin, end - begin);
    if (expected.find(piece) == std::string::npos) {
      return failures.Add(title + ": snippet \"" + text + "\" is not from its text");
    }
    begin = end + ellipsis.size();
  }
}

// The writer: adds, replaces and deletes at random for `duration`,
// committing every `batch` changes. Returns the number of changes.
int RunWriter(const std::string& db, Written& written, std::chrono::milliseconds duration,
              Failures& failures) {
  Analyzer& analyzer = testing::SharedAnalyzer();
  IndexWriterOptions options;
  options.batch_documents = 10;
  auto writer = IndexWriter::Open(db, analyzer.Signature(), options);
  if (!writer.ok()) {
    failures.Add(writer.status().ToString());
    return 0;
  }
  DocumentBuilder builder(analyzer);
  std::mt19937 rng(7);
  std::vector<int> versions(kMaxDocs, -1);
  for (int n = 0; n < kMaxDocs; ++n) versions[n] = written.latest[n].load();
  int changes = 0;
  const auto end = Clock::now() + duration;
  while (Clock::now() < end) {
    const int n = static_cast<int>(rng() % kMaxDocs);
    Status s;
    if (versions[n] >= 0 && rng() % 6 == 0) {
      s = writer.value()->Delete(Id(n));
      // A deleted id keeps its version count: a re-added document gets a
      // newer version, so an old one showing up later is caught.
    } else {
      const int version = ++versions[n];
      written.latest[n] = version;
      SourceDocument doc{Id(n), Title(n, version), Text(n, version), "", "2024-05-01", "lokales"};
      s = writer.value()->Put(doc.id, builder.Build(doc), doc.text.size());
    }
    if (!s.ok()) failures.Add("writer: " + s.ToString());
    ++changes;
    std::this_thread::sleep_for(1ms);
  }
  if (Status s = writer.value()->Commit(); !s.ok()) failures.Add("writer: " + s.ToString());
  return changes;
}

class ConcurrentSearch : public ::testing::Test {
 protected:
  void SetUp() override {
    // Searchers find the compound lexicon through $FINDLING_LEXICON.
    testing::UseBuildLexicon();
    db_ = dir_.path() + "/live.db";
    // Half the ids exist before the searchers start.
    std::vector<SourceDocument> docs;
    for (int n = 0; n < kMaxDocs; n += 2) {
      written_.latest[n] = 0;
      docs.push_back({Id(n), Title(n, 0), Text(n, 0), "", "2024-05-01", "lokales"});
    }
    const Status built = testing::BuildTestIndex(db_, testing::SharedAnalyzer(), docs);
    ASSERT_TRUE(built.ok()) << built.ToString();
  }

  testing::TempDir dir_;
  std::string db_;
  Written written_;
  Failures failures_;
};

const char* const kQueries[] = {"Bericht",
                                "Stadtwerke Preise",
                                "Sprachmodell",
                                "Rechen*",
                                "\"Gemeinsamer Bericht\"",
                                "Fahrradstraßen ODER Theater",
                                "Kennung NICHT Universität"};

TEST_F(ConcurrentSearch, SearchersSeeOnlyWholeWrittenDocuments) {
  std::atomic<bool> done{false};
  std::atomic<long> searches{0}, gets{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&, t] {
      auto opened = Searcher::Open({db_});
      if (!opened.ok()) return failures_.Add(opened.status().ToString());
      Searcher& searcher = *opened.value();
      std::mt19937 rng(100 + t);
      while (!done) {
        if (Status s = searcher.Reopen(); !s.ok()) failures_.Add("reopen: " + s.ToString());
        SearchRequest request;
        request.query = kQueries[rng() % std::size(kQueries)];
        request.limit = 20;
        const auto response = searcher.Search(request);
        ++searches;
        if (!response.ok()) {
          failures_.Add(request.query + ": " + response.status().ToString());
          continue;
        }
        for (const Hit& hit : response->hits) {
          CheckDocument(hit.id, hit.title, hit.snippet.text, true, written_, failures_);
        }
        const std::string id = Id(static_cast<int>(rng() % kMaxDocs));
        const auto doc = searcher.Get(id);
        ++gets;
        if (doc.ok()) {
          CheckDocument(id, doc->title, doc->text, false, written_, failures_);
        } else if (doc.status().code() != Status::Code::kNotFound) {
          failures_.Add("get " + id + ": " + doc.status().ToString());
        }
      }
    });
  }
  const int changes = RunWriter(db_, written_, 3000ms, failures_);
  done = true;
  for (auto& t : readers) t.join();
  std::printf("[ figures  ] %d index changes; %ld searches and %ld gets in 2 threads, %d failed\n",
              changes, searches.load(), gets.load(), failures_.count());
  EXPECT_EQ(failures_.count(), 0) << failures_.Describe();
  EXPECT_GT(changes, 100);
  EXPECT_GT(searches.load(), 20);
}

TEST_F(ConcurrentSearch, ServerAnswersEveryRequestWhileTheIndexChanges) {
  using client::Client;
  server::ServerOptions options;
  options.db_paths = {db_};
  options.host = "127.0.0.1";
  options.port = 0;
  options.threads = 2;
  options.reopen_interval = 20ms;  // see the writer's commits quickly
  auto created = server::Server::Create(options);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  server::Server& srv = *created.value();
  std::thread serving([&srv] { (void)srv.Run(); });
  const HostPort address{"127.0.0.1", srv.port()};

  std::atomic<bool> done{false};
  std::atomic<long> requests{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 2; ++t) {
    clients.emplace_back([&, t] {
      client::ClientOptions client_options;
      client_options.timeout = 10s;
      auto client = Client::Connect(address, client_options);
      if (!client.ok()) return failures_.Add(client.status().ToString());
      std::mt19937 rng(200 + t);
      while (!done) {
        nlohmann::json search = {
            {"op", "search"}, {"q", kQueries[rng() % std::size(kQueries)]}, {"limit", 20}};
        const auto line = client.value()->Call(search.dump());
        ++requests;
        if (!line.ok()) return failures_.Add("search: " + line.status().ToString());
        const auto r = nlohmann::json::parse(line.value(), nullptr, false);
        if (!r.is_object() || r.contains("error")) {
          failures_.Add("search " + search.dump() + ": " + line.value());
          continue;
        }
        for (const auto& hit : r["hits"]) {
          // The server marks snippets with <mark>; take the plain text back out.
          std::string snippet = hit.value("snippet", "");
          for (const std::string tag : {"<mark>", "</mark>"}) {
            for (auto p = snippet.find(tag); p != std::string::npos; p = snippet.find(tag)) {
              snippet.erase(p, tag.size());
            }
          }
          CheckDocument(hit.value("id", ""), hit.value("title", ""), snippet, true, written_,
                        failures_);
        }
        const std::string id = Id(static_cast<int>(rng() % kMaxDocs));
        const auto got = client.value()->Call(nlohmann::json{{"op", "get"}, {"doc", id}}.dump());
        ++requests;
        if (!got.ok()) return failures_.Add("get: " + got.status().ToString());
        const auto g = nlohmann::json::parse(got.value(), nullptr, false);
        if (g.contains("error")) {
          if (g["error"].value("code", "") != "not_found") failures_.Add("get: " + got.value());
          continue;
        }
        const nlohmann::json doc = g.value("doc", nlohmann::json::object());
        CheckDocument(id, doc.value("title", ""), doc.value("text", ""), false, written_,
                      failures_);
      }
    });
  }
  const int changes = RunWriter(db_, written_, 3000ms, failures_);
  done = true;
  for (auto& t : clients) t.join();
  srv.Stop();
  serving.join();
  std::printf("[ figures  ] %d index changes; %ld server requests from 2 clients, %d failed\n",
              changes, requests.load(), failures_.count());
  EXPECT_EQ(failures_.count(), 0) << failures_.Describe();
  EXPECT_GT(requests.load(), 20);
}

}  // namespace
}  // namespace findling
