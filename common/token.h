// Token: one unit of analysed German text.
//
// Invariants (checked by ExpectTokens() in tests/analyzer_test.cc):
//  - start < end <= input.size(); [start, end) are byte offsets into the
//    ORIGINAL UTF-8 input; no stage ever changes them.
//  - Within a stream, positions never decrease; the first token has position 0
//    and a token with role kWord starts a new position (it is > the previous
//    kWord's position). Variants (kJoined, kPart) share positions with the word
//    they come from: the original is always kept in the stream beside them.
//  - position_length >= 1: the number of positions the token spans. A closed
//    compound split into n parts spans n positions (its parts sit at
//    position, position+1, ...), so a phrase over the parts ("Chip
//    Beschränkungen") matches the compound and its spelled-out forms alike.
#pragma once

#include <cstdint>
#include <string>

namespace findling {

enum class TokenRole : std::uint8_t {
  kWord,    // a word as written in the text
  kJoined,  // a hyphenated compound joined into one word ("kichipbeschränkungen"),
            // colocated with its first piece
  kPart,    // a part found by the decompounder inside a closed compound
};

struct Token {
  std::string form;  // NFC, lower-cased surface form; umlauts and ß kept ("sprachmodelle")
  std::string stem;  // Snowball german2 stem of form, or form when stemming is off ("sprachmodell")
  std::uint32_t start = 0;  // byte offsets into the original input
  std::uint32_t end = 0;
  std::uint32_t position = 0;
  std::uint32_t position_length = 1;
  TokenRole role = TokenRole::kWord;
  bool is_stopword = false;  // marked, never removed: documents keep stop words for phrases
  bool is_number = false;    // starts with a digit ("2024", "4o" is not, "a100" is not)
};

// "form/stem@pos+len[start,end)role" — the canonical text form used by table tests.
std::string DebugString(const Token& token);

}  // namespace findling
