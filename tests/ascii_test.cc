// common/ascii.h: one definition of ASCII case and whitespace. Each table
// holds the German text it is used on, the bytes left alone beside the
// ones changed.
#include "common/ascii.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace findling {
namespace {

TEST(AsciiLower, OnlyAsciiLettersChange) {
  const std::pair<const char*, const char*> kRows[] = {
      {"Straße.HTML", "straße.html"},      // ß is UTF-8 and stays as it is
      {"ÄRGER über Öl", "Ärger über Öl"},  // German case is the normalizer's job
      {"Kategorie: POLITIK", "kategorie: politik"},
      {"@[`{", "@[`{"},  // the bytes around 'A'-'Z' and 'a'-'z'
      {"", ""},
  };
  for (const auto& [in, out] : kRows) EXPECT_EQ(AsciiLower(in), out) << in;
}

TEST(EqualsIgnoringAsciiCase, AsciiLettersOnly) {
  const struct {
    const char* a;
    const char* b;
    bool equal;
  } kRows[] = {
      {"Titel", "TITEL", true},   {"date", "Date", true},
      {"Ärger", "Ärger", true},   {"ärger", "Ärger", false},  // not ASCII: the normalizer decides
      {"Titel", "Titel ", false}, {"", "", true},
  };
  for (const auto& row : kRows) {
    EXPECT_EQ(EqualsIgnoringAsciiCase(row.a, row.b), row.equal) << row.a << " / " << row.b;
  }
}

TEST(TrimAsciiSpace, TheSixAsciiSpaces) {
  const std::pair<std::string, std::string> kRows[] = {
      {" \t\n\v\f\rGrüß Gott \r\n", "Grüß Gott"},
      {"Köln", "Köln"},
      {"  innen  bleibt  ", "innen  bleibt"},
      // NO-BREAK SPACE (U+00A0) is not ASCII: kept, as part of the text.
      {"\xC2\xA0Wien\xC2\xA0", "\xC2\xA0Wien\xC2\xA0"},
      {" \t ", ""},
      {"", ""},
  };
  for (const auto& [in, out] : kRows) EXPECT_EQ(TrimAsciiSpace(in), out) << in;
}

TEST(IsAsciiBlank, OnlyAsciiSpace) {
  EXPECT_TRUE(IsAsciiBlank(""));
  EXPECT_TRUE(IsAsciiBlank(" \t\r\n\v\f"));
  EXPECT_FALSE(IsAsciiBlank(" . "));
  EXPECT_FALSE(IsAsciiBlank("\xC2\xA0"));
}

TEST(IsAsciiDigits, WholeStringOfDigits) {
  const std::pair<const char*, bool> kRows[] = {
      {"2024", true}, {"07", true}, {"", false}, {"7.", false}, {"٣", false}, {"-1", false},
  };
  for (const auto& [in, digits] : kRows) EXPECT_EQ(IsAsciiDigits(in), digits) << in;
}

// Every byte: the classes agree with their definitions, and a byte of a
// UTF-8 sequence (0x80-0xFF) is none of them and never changes.
TEST(AsciiClasses, EveryByte) {
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    const bool space = b == ' ' || (b >= '\t' && b <= '\r');
    EXPECT_EQ(IsAsciiSpace(c), space) << b;
    EXPECT_EQ(kAsciiSpace.find(c) != std::string_view::npos, space) << b;
    EXPECT_EQ(IsAsciiDigit(c), b >= '0' && b <= '9') << b;
    EXPECT_EQ(IsAsciiAlpha(c), (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z')) << b;
    EXPECT_EQ(ToAsciiLower(c), b >= 'A' && b <= 'Z' ? static_cast<char>(b + 32) : c) << b;
  }
}

}  // namespace
}  // namespace findling
