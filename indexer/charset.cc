#include "indexer/charset.h"

#include <unicode/ucnv.h>
#include <unicode/ustring.h>

#include <utility>

namespace findling::reader_internal {

void Utf8Converter::Close::operator()(UConverter* c) const { ucnv_close(c); }

Result<Utf8Converter> Utf8Converter::Open(std::string_view label) {
  const std::string label_str(label);
  // ucnv_open("") would open the platform's default encoding.
  if (label.empty()) return Status::InvalidInput("unknown encoding \"\"");
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, Close> converter(ucnv_open(label_str.c_str(), &status));
  if (U_FAILURE(status) || converter == nullptr) {
    return Status::InvalidInput("unknown encoding \"" + label_str + "\"");
  }
  std::string icu_name = ucnv_getName(converter.get(), &status);
  std::string name = label_str;
  if (icu_name == "ISO-8859-1" || icu_name == "US-ASCII") {
    status = U_ZERO_ERROR;
    converter.reset(ucnv_open("windows-1252", &status));
    if (U_FAILURE(status) || converter == nullptr) {
      return Status::Internal("ICU cannot open windows-1252 for \"" + label_str + "\"");
    }
    name = "windows-1252";
  }
  const bool is_utf8 = icu_name == "UTF-8";
  Utf8Converter result(std::move(converter), std::move(name), is_utf8);
  // ASCII must stay ASCII, byte for byte.
  std::string ascii;
  for (int c = 1; c < 0x80; ++c) ascii.push_back(static_cast<char>(c));
  std::string converted = ascii;
  if (ucnv_getMinCharSize(result.converter_.get()) != 1 || !result.ToUtf8(&converted) ||
      converted != ascii) {
    return Status::InvalidInput("encoding \"" + label_str +
                                "\" does not keep ASCII bytes as ASCII (UTF-16, UTF-32 and "
                                "EBCDIC are not read; convert the file to UTF-8 first)");
  }
  return result;
}

bool Utf8Converter::ToUtf8(std::string* text) {
  // Bytes -> UTF-16 -> UTF-8: ucnv_toUChars substitutes U+FFFD for what the
  // encoding does not define, u_strToUTF8 cannot fail on its output. The
  // UTF-16 buffer is kept for the next call.
  UConverter* c = converter_.get();
  ucnv_reset(c);
  const auto in_len = static_cast<int32_t>(text->size());
  // A byte gives at most two UTF-16 units (a supplementary character needs
  // at least two bytes in any encoding ICU has, so 2 * bytes is generous).
  scratch_.resize(static_cast<std::size_t>(in_len) * 2 + 1);
  UErrorCode status = U_ZERO_ERROR;
  const int32_t units = ucnv_toUChars(c, scratch_.data(), static_cast<int32_t>(scratch_.size()),
                                      text->data(), in_len, &status);
  if (U_FAILURE(status)) return false;  // not with the size above
  std::string out(static_cast<std::size_t>(units) * 3, '\0');
  int32_t out_len = 0;
  status = U_ZERO_ERROR;
  u_strToUTF8WithSub(out.data(), static_cast<int32_t>(out.size()), &out_len, scratch_.data(), units,
                     0xFFFD, nullptr, &status);
  if (U_FAILURE(status)) return false;
  out.resize(static_cast<std::size_t>(out_len));
  *text = std::move(out);
  return true;
}

}  // namespace findling::reader_internal
