// common/utf8.h: FindInvalidUtf8, the one UTF-8 validator (readers, HTTP
// requests, the lexicon builder). Each row gives the byte offset a reader
// would name in "invalid UTF-8 at byte N", or "valid". Rows put the bad byte
// before, inside and after runs of eight ASCII bytes, because the validator
// skips ASCII eight bytes at a time and decodes only the non-ASCII runs.
#include "common/utf8.h"

#include <gtest/gtest.h>

#include <iterator>
#include <random>
#include <string>
#include <string_view>

namespace findling {
namespace {

std::string Dump(std::string_view text) {
  const std::size_t bad = FindInvalidUtf8(text);
  return bad == std::string_view::npos ? "valid" : "invalid at " + std::to_string(bad);
}

struct Row {
  const char* name;
  std::string_view text;
  const char* expected;
};

using namespace std::string_view_literals;

const Row kRows[] = {
    // Valid German text: ASCII, umlauts, ß, the euro sign, typographic quotes, an emoji.
    {"Empty", ""sv, "valid"},
    {"Ascii", "Die Regierung plant eine Reform der Rente."sv, "valid"},
    {"Umlauts", "Fußgängerübergänge in Österreich"sv, "valid"},
    {"EuroAndQuotes", "„Das kostet 5 €“, sagte Müller."sv, "valid"},
    {"Emoji", "Halbleiterhersteller 🤖 und Chips"sv, "valid"},
    {"CapitalSharpS", "STRAẞE"sv, "valid"},
    {"ReplacementCharacterItself",
     "Gr\xEF\xBF\xBD\xC3\x9F"
     "e"sv,
     "valid"},
    {"LargestCodePoint", "abcdefgh\xF4\x8F\xBF\xBF"sv, "valid"},

    // A Latin-1 byte where UTF-8 was expected (a file saved in the wrong encoding).
    {"Latin1UmlautFirst",
     "\xFC"
     "ber"sv,
     "invalid at 0"},
    {"Latin1UmlautAfterEightAscii",
     "Die Stra\xDF"
     "e"sv,
     "invalid at 8"},
    {"Latin1UmlautInsideSecondWord", "Karin M\xFCller"sv, "invalid at 7"},
    {"Latin1AfterValidUmlauts", "Größe \xE4ndern"sv, "invalid at 8"},
    {"Latin1AtTheEndOfALongAsciiRun", "Die Bundesregierung pl\xE4nt"sv, "invalid at 22"},

    // Broken sequences: cut short, stray continuation bytes, forbidden forms.
    {"TruncatedAtTheEnd", "Stra\xC3"sv, "invalid at 4"},
    {"TruncatedBeforeAscii",
     "Stra\xC3"
     "e and more text"sv,
     "invalid at 4"},
    {"TruncatedEuro", "5 \xE2\x82"sv, "invalid at 2"},
    {"TruncatedEmoji", "abcdefgh\xF0\x9F\x98"sv, "invalid at 8"},
    {"StrayContinuation", "M\xA4rz"sv, "invalid at 1"},
    {"SecondOfTwoSequencesBroken", "\xC3\xA4\xC3"sv, "invalid at 2"},
    {"OverlongNul", "abc\xC0\x80"sv, "invalid at 3"},
    {"OverlongSlash", "\xE0\x80\xAF"sv, "invalid at 0"},
    {"Surrogate", "ab\xED\xA0\x80"sv, "invalid at 2"},
    {"AboveU10FFFF", "\xF4\x90\x80\x80"sv, "invalid at 0"},
    {"ByteFF", "Rente \xFF"sv, "invalid at 6"},
    {"NulIsValidAscii", "a\0b\xFF"sv, "invalid at 3"},
};

class Utf8Table : public testing::TestWithParam<Row> {};

TEST_P(Utf8Table, FindsTheFirstInvalidByte) {
  EXPECT_EQ(Dump(GetParam().text), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(Rows, Utf8Table, testing::ValuesIn(kRows),
                         [](const auto& info) { return std::string(info.param.name); });

// The first invalid offset found one code point at a time with DecodeUtf8,
// which yields U+FFFD and advances one byte exactly for an invalid sequence
// (a real U+FFFD is three bytes): no eight-byte skipping, no run splitting.
std::size_t SlowFindInvalid(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t at = i;
    if (DecodeUtf8(text, i) == 0xFFFD && i == at + 1) return at;
  }
  return std::string_view::npos;
}

// Random mixes of valid and broken pieces at every alignment: the skipping
// validator agrees with the one that decodes every code point.
TEST(FindInvalidUtf8, AgreesWithDecodingEveryCodePoint) {
  std::mt19937 rng(99);
  static const char* const kPieces[] = {"a",
                                        "Straße ",
                                        "ä",
                                        "€",
                                        "😀",
                                        "\xC3",
                                        "\xA4",
                                        "\xE2\x82",
                                        "\xF0\x9F\x98",
                                        "\xC0\x80",
                                        "\xED\xA0\x80",
                                        "\xF4\x90\x80\x80",
                                        "\xFF",
                                        "0123456789abcdef"};
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    const std::size_t n = rng() % 20;
    for (std::size_t i = 0; i < n; ++i) s += kPieces[rng() % std::size(kPieces)];
    ASSERT_EQ(FindInvalidUtf8(s), SlowFindInvalid(s)) << ::testing::PrintToString(s);
  }
}

}  // namespace
}  // namespace findling
