// Fuzzes the JSONL reader (indexer/jsonl_reader.cc) and holds its two JSON
// parsers against each other: whenever the hand-written fast path accepts a
// line, nlohmann's SAX parser must accept it too and find the same fields
// (the fast path may give up on anything, but never disagree).
//
// Input: the file's bytes; a small max_record_bytes so the too-long path
// runs. Capped at 64 KiB.
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/reader_fuzz.h"

namespace findling {
namespace {

using reader_internal::JsonlFields;

std::string Describe(const JsonlFields& f) {
  return "id=" + f.id + " title=" + f.title + " text=" + f.text + " body=" + f.body +
         " url=" + f.url + " date=" + f.date + " category=" + f.category;
}

void CheckParsersAgree(std::string_view line) {
  if (FindInvalidUtf8(line) != std::string_view::npos) return;
  JsonlFields fast, checked;
  std::string error;
  const bool fast_ok = reader_internal::ParseJsonlFast(line, &fast);
  const bool checked_ok = reader_internal::ParseJsonlChecked(line, &checked, &error);
  FUZZ_CHECK(checked_ok || !error.empty(), "checked parser failed without saying why");
  if (!fast_ok) return;
  FUZZ_CHECK(checked_ok, "fast path accepted a line the checked parser rejects (" + error + ")");
  FUZZ_CHECK(Describe(fast) == Describe(checked),
             "fast: " + Describe(fast) + "\nchecked: " + Describe(checked));
}

}  // namespace
}  // namespace findling

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace findling;
  std::string_view input;
  if (!fuzz::Capped(data, size, 64 << 10, &input)) return -1;
  ReaderOptions options;
  options.max_record_bytes = 4096;
  fuzz::ReadAndCheck(input, "fuzz.jsonl", options);

  std::size_t begin = 0;
  while (begin <= input.size()) {
    std::size_t end = input.find('\n', begin);
    if (end == std::string_view::npos) end = input.size();
    CheckParsersAgree(input.substr(begin, end - begin));
    begin = end + 1;
  }
  return 0;
}
