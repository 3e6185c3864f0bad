// HTML character references ("&auml;", "&bullet;", "&#8211;", "&#x2022;")
// decoded to UTF-8, with the HTML standard's full table of 2,231 names
// (generated at build time from Python's html.entities.html5; see
// indexer/gen_char_refs.py). Shared by the HTML reader (text and attribute
// values) and the Markdown reader (md4c reports references unresolved).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace findling::reader_internal {

// Appends `raw` to *out with every character reference decoded:
//  - "&name;" for any of the standard's names ("&NoBreak;" -> U+2060, a
//    name of two code points such as "&NotEqualTilde;" -> both);
//  - the 106 legacy names that browsers also accept without ';' ("&amp",
//    "&auml", "&copy"), but only when the name is not followed by a letter,
//    digit or '=' ("?a=1&copy=2" and "&copy2" stay as written: a query
//    string, not a reference; the standard's rule for attribute values,
//    used here for text too, since a guess at a longer name is worse than
//    the text as written);
//  - "&#NNN;" and "&#xHH;" (';' optional); 0x80-0x9F as windows-1252 (as
//    the standard says: "&#150;" is an en dash), NUL, surrogates and values
//    above U+10FFFF as U+FFFD.
// Anything else ("AT&T", "&foo;", "&#;") stays literal.
void AppendDecodedCharRefs(std::string_view raw, std::string* out);

// Where a reference may be written without its ';'.
enum class CharRefSyntax : std::uint8_t {
  kHtml,        // as AppendDecodedCharRefs: legacy names and numbers without ';' too
  kCommonMark,  // Markdown (CommonMark 6.2): only "&name;", "&#NNN;", "&#xHH;"
};
// Decodes the one reference that starts at raw[amp] == '&' into *out and
// returns the position after it; 0 (and nothing appended) when there is
// none, so the caller keeps the '&' as text.
std::size_t DecodeCharRefAt(std::string_view raw, std::size_t amp, CharRefSyntax syntax,
                            std::string* out);

// The code points of one named reference as written after '&' ("auml;",
// "amp"), UTF-8 encoded; "" when it is no name of the table. For tests.
std::string LookupCharRef(std::string_view name);
// The number of names in the table (2,231 in the standard). For tests.
std::size_t CharRefTableSize();

}  // namespace findling::reader_internal
