// Fuzzes the CSV/TSV reader (indexer/csv_reader.cc): quoted fields that
// span lines and blocks, doubled quotes, headers naming columns or not.
//
// Input: byte 0 picks the dialect (delimiter, quote, header or numbered
// columns, TSV, and --encoding windows-1252 for rows that are not UTF-8),
// the rest is the file. Capped at 64 KiB.
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/reader_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace findling;
  std::string_view input;
  if (size < 1 || !fuzz::Capped(data, size, 64 << 10, &input)) return -1;
  const auto dialect = static_cast<std::uint8_t>(input[0]);
  input.remove_prefix(1);

  ReaderOptions options;
  options.max_record_bytes = 4096;
  CsvOptions& csv = options.csv;
  static constexpr char kDelimiters[] = {',', ';', '|', '\t'};
  static constexpr char kQuotes[] = {'"', '\'', '"', '`'};
  csv.delimiter = kDelimiters[dialect & 3];
  csv.quote = kQuotes[(dialect >> 2) & 3];
  if (dialect & 16) {
    // 10kGNAD's shape: no header, columns by number.
    csv.header = false;
    csv.id_column = csv.title_column = csv.url_column = csv.date_column = "";
    csv.category_column = "0";
    csv.text_column = "1";
  }
  csv.title_from_first_sentence = (dialect & 32) == 0;
  options.format = (dialect & 64) ? InputFormat::kTsv : InputFormat::kCsv;
  if (dialect & 128) options.encoding = "windows-1252";
  fuzz::ReadAndCheck(input, "fuzz.csv", options);
  return 0;
}
