// findling-term-census: what an index holds per term class, to compare what
// two engines write (docs/scaling.md, "Building").
//
//   findling-term-census DB
//
// One line per first character of the terms (an upper-case prefix such as
// E, P, S, Q, K, Z; "(none)" for unprefixed terms): distinct terms, postings
// (the sum of term frequencies), positions (the sum of the lengths of every
// position list) and the sum of within-document frequencies. Reads every
// position list: seconds for gesetze, minutes for a million documents.
#include <xapian.h>

#include <cstdio>
#include <map>
#include <string>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: findling-term-census DB\n");
    return 2;
  }
  struct Counts {
    unsigned long long terms = 0, postings = 0, positions = 0, wdf = 0;
  };
  std::map<std::string, Counts> by_prefix;
  Counts all;
  try {
    const Xapian::Database db(argv[1]);
    for (auto t = db.allterms_begin(); t != db.allterms_end(); ++t) {
      const std::string term = *t;
      const bool prefixed = !term.empty() && term[0] >= 'A' && term[0] <= 'Z';
      Counts& c = by_prefix[prefixed ? term.substr(0, 1) : "(none)"];
      ++c.terms;
      c.postings += t.get_termfreq();
      c.wdf += db.get_collection_freq(term);
      for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
        for (auto q = p.positionlist_begin(); q != p.positionlist_end(); ++q) ++c.positions;
      }
    }
    for (const auto& [prefix, c] : by_prefix) {
      std::printf("%-7s terms %9llu postings %10llu positions %10llu wdf %10llu\n", prefix.c_str(),
                  c.terms, c.postings, c.positions, c.wdf);
      all.terms += c.terms, all.postings += c.postings, all.positions += c.positions;
      all.wdf += c.wdf;
    }
    std::printf("%-7s terms %9llu postings %10llu positions %10llu wdf %10llu (%u documents)\n",
                "all", all.terms, all.postings, all.positions, all.wdf, db.get_doccount());
  } catch (const Xapian::Error& e) {
    std::fprintf(stderr, "findling-term-census: %s: %s\n", argv[1], e.get_description().c_str());
    return 1;
  }
  return 0;
}
