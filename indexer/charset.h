// Legacy encodings (Latin-1, windows-1252, ISO-8859-15, KOI8-R, ...) to
// UTF-8 through ICU's converters (ucnv). Used for the charset an HTML page
// declares and for findling-index --encoding (ReaderOptions::encoding).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

struct UConverter;

namespace findling::reader_internal {

// One open converter from an encoding to UTF-8. Not thread-safe (ICU
// converters keep state); each reader opens its own.
class Utf8Converter {
 public:
  // Opens the encoding an ICU alias names ("latin1", "ISO-8859-15",
  // "cp1252", "windows-1252", "utf-8"; case and punctuation do not matter).
  // As the HTML standard says, an ISO-8859-1 or US-ASCII label means
  // windows-1252: the two agree on every byte but 0x80-0x9F, where files
  // labelled Latin-1 hold „ “ – € in practice, never C1 control codes.
  // kInvalidInput naming the label when ICU does not know it, or when the
  // encoding does not keep ASCII bytes as ASCII (UTF-16, UTF-32, EBCDIC):
  // the readers find line ends, quotes and tags byte by byte.
  static Result<Utf8Converter> Open(std::string_view label);

  // Replaces *text (bytes in this encoding) with its UTF-8 form. A byte
  // sequence the encoding does not define becomes U+FFFD, so the result is
  // always valid UTF-8. False (text unchanged) only if ICU fails, which the
  // buffer sizes here rule out; callers still report it.
  bool ToUtf8(std::string* text);

  // ICU's canonical name ("ibm-5348_P100-1997" for windows-1252) is not
  // what a user wrote; this is the label as resolved ("windows-1252").
  const std::string& name() const { return name_; }
  bool is_utf8() const { return is_utf8_; }

 private:
  struct Close {
    void operator()(UConverter* c) const;
  };
  Utf8Converter(std::unique_ptr<UConverter, Close> converter, std::string name, bool is_utf8)
      : converter_(std::move(converter)), name_(std::move(name)), is_utf8_(is_utf8) {}

  std::unique_ptr<UConverter, Close> converter_;
  std::string name_;
  bool is_utf8_ = false;
  std::u16string scratch_;
};

}  // namespace findling::reader_internal
