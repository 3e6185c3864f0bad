// Fuzzes the Markdown reader (indexer/text_reader.cc): front matter,
// headings, links and images, code spans and fences, emphasis, HTML inside.
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
  fuzz::ReadAndCheck(input, "fuzz.md", options);
  // Again with --encoding: what is not UTF-8 is converted instead of skipped.
  options.encoding = "latin1";
  fuzz::ReadAndCheck(input, "fuzz.md", options);
  return 0;
}
