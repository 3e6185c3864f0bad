// Fuzzes the HTML reader (indexer/html_reader.cc): tag soup, comments,
// scripts, entities (numeric ones can name any code point, or none), meta
// tags for title, date, category and charset (converted with ICU), and each
// input read again with --encoding windows-1252.
//
// Input: the file's bytes. Capped at 64 KiB.
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/reader_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace findling;
  std::string_view input;
  if (!fuzz::Capped(data, size, 64 << 10, &input)) return -1;
  ReaderOptions options;
  options.max_record_bytes = 32 << 10;
  fuzz::ReadAndCheck(input, "fuzz.html", options);
  // Again with --encoding: what is not UTF-8 is converted instead of skipped.
  options.encoding = "windows-1252";
  fuzz::ReadAndCheck(input, "fuzz.html", options);
  return 0;
}
