// Small UTF-8 helpers shared by the readers, the analyzer and the snippets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace findling {

// Returns the byte offset of the first invalid UTF-8 sequence in `text`
// (overlong forms, surrogates and code points above U+10FFFF are invalid),
// or std::string_view::npos when `text` is valid.
std::size_t FindInvalidUtf8(std::string_view text);

// Decodes the code point starting at text[i], advancing i past it. An invalid
// sequence yields U+FFFD and advances by one byte, so every byte is visited.
char32_t DecodeUtf8(std::string_view text, std::size_t& i);

// Appends the UTF-8 encoding of `cp` to `out`.
void AppendUtf8(char32_t cp, std::string& out);

// Number of code points (invalid bytes count one each).
std::size_t CountCodePoints(std::string_view text);

// `word` with its first letter upper-cased when `typed` starts with an upper-case
// letter ("regierung", "Regirung" -> "Regierung"): suggestions look like the input.
std::string CapitalizeLike(const std::string& word, std::string_view typed);

// Largest offset <= `offset` that starts a code point (never splits one).
std::size_t AlignToCodePoint(std::string_view text, std::size_t offset);

}  // namespace findling
