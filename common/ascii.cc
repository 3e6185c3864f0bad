#include "common/ascii.h"

namespace findling {

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ToAsciiLower(c);
  return out;
}

bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ToAsciiLower(a[i]) != ToAsciiLower(b[i])) return false;
  }
  return true;
}

std::string_view TrimAsciiSpace(std::string_view s) {
  const std::size_t begin = s.find_first_not_of(kAsciiSpace);
  if (begin == std::string_view::npos) return {};
  return s.substr(begin, s.find_last_not_of(kAsciiSpace) - begin + 1);
}

bool IsAsciiBlank(std::string_view s) { return TrimAsciiSpace(s).empty(); }

bool IsAsciiDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsAsciiDigit(c)) return false;
  }
  return true;
}

}  // namespace findling
