#include "common/status.h"

namespace findling {

const char* Status::CodeName(Code code) {
  switch (code) {
    case Code::kOk: return "ok";
    case Code::kInvalidInput: return "invalid_input";
    case Code::kIo: return "io";
    case Code::kCorruption: return "corruption";
    case Code::kNotFound: return "not_found";
    case Code::kIncompatible: return "incompatible";
    case Code::kLimit: return "limit";
    case Code::kInternal: return "internal";
    case Code::kUnavailable: return "unavailable";
    case Code::kModified: return "modified";
  }
  return "internal";
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out = CodeName(code_);
  for (char& c : out) {
    if (c == '_') c = ' ';
  }
  return out + ": " + message_;
}

}  // namespace findling
