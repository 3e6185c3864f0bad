// ASCII character classes, case and whitespace: the one definition the
// readers, the query side, the server and the date parser share.
//
// Everything here looks at single bytes and changes only ASCII ones, so it
// is safe on UTF-8: a byte of a multi-byte sequence (0x80-0xFF) is never a
// letter, digit or space and is never changed. Unlike <cctype>, nothing
// depends on the C locale, and a plain `char` (negative for 0x80-0xFF on
// this platform) needs no cast. German case ("Ä" -> "ä", "ẞ" -> "ß") is
// common/normalizer.h's job, not this file's.
//
// Where a module deliberately uses another set, it keeps its own and says
// why: the HTML tokenizer follows the HTML standard's whitespace (no \v),
// the query parser treats Unicode blanks (NO-BREAK SPACE, ...) as spaces.
#pragma once

#include <string>
#include <string_view>

namespace findling {

// C's isspace() in the "C" locale: space, \t, \n, \v, \f, \r.
inline constexpr std::string_view kAsciiSpace = " \t\n\v\f\r";

constexpr bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}
constexpr bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
constexpr bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool IsAsciiAlnum(char c) { return IsAsciiAlpha(c) || IsAsciiDigit(c); }

// 'A'-'Z' to 'a'-'z'; every other byte as it is.
constexpr char ToAsciiLower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
}

// `s` with 'A'-'Z' lower-cased and every other byte kept ("Straße.HTML" ->
// "straße.html"). Does not trim.
std::string AsciiLower(std::string_view s);

// True when a and b are equal after ToAsciiLower on every byte.
bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b);

// `s` without leading and trailing kAsciiSpace; a view into `s`.
std::string_view TrimAsciiSpace(std::string_view s);

// True when `s` is empty or holds only kAsciiSpace.
bool IsAsciiBlank(std::string_view s);

// True when `s` is not empty and holds only '0'-'9'.
bool IsAsciiDigits(std::string_view s);

}  // namespace findling
