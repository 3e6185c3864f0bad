// common/date.h: the one date parser. Each row shows what a user would see:
// the stored day, or the message that names the problem.
#include "common/date.h"

#include <gtest/gtest.h>

#include <string>

namespace findling {
namespace {

// The canonical text form of a parse: "2024-05-01", "not a date", or
// "invalid: <message>".
std::string Dump(const DateParse& p) {
  switch (p.kind) {
    case DateParse::Kind::kDay:
      return FormatIsoDate(p.day);
    case DateParse::Kind::kNotADate:
      return "not a date";
    case DateParse::Kind::kInvalid:
      return "invalid: " + p.error;
  }
  return "?";
}

struct Row {
  const char* name;
  const char* text;
  DateTail tail;
  const char* expected;
};

constexpr DateTail kIgnored = DateTail::kIgnored;
constexpr DateTail kRejected = DateTail::kRejected;

const Row kRows[] = {
    // The forms documents use.
    {"Iso", "2024-05-01", kIgnored, "2024-05-01"},
    {"IsoOneDigitMonthAndDay", "2024-5-1", kIgnored, "2024-05-01"},
    {"IsoWithTime", "2024-05-01T10:00:00Z", kIgnored, "2024-05-01"},
    {"IsoWithSpaceAndTime", " 2024-05-01 10:00 ", kIgnored, "2024-05-01"},
    {"German", "1.5.2024", kIgnored, "2024-05-01"},
    {"GermanTwoDigits", "01.05.2024", kIgnored, "2024-05-01"},
    {"GermanWithTime", "01.05.2024, 14:30", kIgnored, "2024-05-01"},
    {"GermanFullStop", "3.10.1990.", kIgnored, "1990-10-03"},
    {"SurroundingWhitespace", "\t 24.12.2024 \r\n", kRejected, "2024-12-24"},
    // Leap years: every fourth, not every hundredth, every four hundredth.
    {"LeapDay2024", "29.02.2024", kRejected, "2024-02-29"},
    {"NoLeapDay2023", "29.02.2023", kRejected,
     "invalid: \"29.02.2023\" is not a day in the calendar (February 2023 has no day 29)"},
    {"NoLeapDay1900", "1900-02-29", kRejected,
     "invalid: \"1900-02-29\" is not a day in the calendar (February 1900 has no day 29)"},
    {"LeapDay2000", "2000-02-29", kRejected, "2000-02-29"},
    // Days no month has, months no year has (issue 16: the readers stored
    // "31.02.2024" as "2024-02-31").
    {"ThirtyFirstOfFebruary", "31.02.2024", kIgnored,
     "invalid: \"31.02.2024\" is not a day in the calendar (February 2024 has no day 31)"},
    {"ThirtyFirstOfApril", "31.04.2024", kIgnored,
     "invalid: \"31.04.2024\" is not a day in the calendar (April 2024 has no day 31)"},
    {"ThirtiethOfApril", "30.04.2024", kIgnored, "2024-04-30"},
    {"DayZero", "00.05.2024", kIgnored,
     "invalid: \"00.05.2024\" is not a day in the calendar (there is no day 0)"},
    {"MonthThirteen", "2024-13-01", kIgnored,
     "invalid: \"2024-13-01\" is not a day in the calendar (there is no month 13)"},
    {"MonthZero", "1.0.2024", kIgnored,
     "invalid: \"1.0.2024\" is not a day in the calendar (there is no month 0)"},
    {"YearZero", "0000-01-01", kIgnored,
     "invalid: \"0000-01-01\" is not a day in the calendar (there is no year 0)"},
    {"FirstDayOfTheEra", "0001-01-01", kIgnored, "0001-01-01"},
    // Two-digit years are refused, not guessed.
    {"TwoDigitYear", "01.05.24", kIgnored,
     "invalid: \"01.05.24\" is not a date (a two-digit year is ambiguous; write the year with "
     "four digits)"},
    {"FiveDigitYear", "01.05.20245", kIgnored,
     "invalid: \"01.05.20245\" is not a date (expected YYYY-MM-DD or D.M.YYYY)"},
    // Written like a date, but not a day.
    {"YearAndMonth", "2024-05", kIgnored,
     "invalid: \"2024-05\" is not a date (a year and month but no day; expected YYYY-MM-DD or "
     "D.M.YYYY)"},
    {"ThreeDigitDay", "2024-05-001", kIgnored,
     "invalid: \"2024-05-001\" is not a date (expected YYYY-MM-DD or D.M.YYYY)"},
    {"ThreeDigitMonth", "1.123.2024", kIgnored,
     "invalid: \"1.123.2024\" is not a date (expected YYYY-MM-DD or D.M.YYYY)"},
    // A trailing time is ignored in documents, refused where the date stands alone.
    {"TimeWhereRejected", "2024-05-01T10:00", kRejected,
     "invalid: \"2024-05-01T10:00\" is not a date (unexpected \"T10:00\" after the day)"},
    {"GermanTimeWhereRejected", "01.05.2024 14:30", kRejected,
     "invalid: \"01.05.2024 14:30\" is not a date (unexpected \" 14:30\" after the day)"},
    {"ImpossibleDayWithTime", "2024-02-30T08:00:00Z", kIgnored,
     "invalid: \"2024-02-30T08:00:00Z\" is not a day in the calendar (February 2024 has no day "
     "30)"},
    // Nothing like a date: no warning-worthy shape.
    {"Empty", "", kIgnored, "not a date"},
    {"OnlyWhitespace", " \t", kIgnored, "not a date"},
    {"Word", "gestern", kIgnored, "not a date"},
    {"MonthName", "1. Mai 2024", kIgnored, "not a date"},
    {"YearAlone", "2024", kIgnored, "not a date"},
    {"SpacedGerman", "1. 5. 2024", kIgnored, "not a date"},
    {"FiveDigitIsoYear", "20245-05-01", kIgnored, "not a date"},
    {"SlashDate", "05/01/2024", kIgnored, "not a date"},
};

class DateTable : public testing::TestWithParam<Row> {};

TEST_P(DateTable, ParsesAsExpected) {
  const Row& row = GetParam();
  EXPECT_EQ(Dump(ParseDate(row.text, row.tail)), row.expected) << row.text;
}

INSTANTIATE_TEST_SUITE_P(Rows, DateTable, testing::ValuesIn(kRows),
                         [](const auto& info) { return std::string(info.param.name); });

// Whatever parses as a day formats back to a day that parses the same.
TEST(DateRoundTrip, EveryDayOfALeapAndACommonYear) {
  for (int y : {2023, 2024}) {
    int days = 0;
    for (std::chrono::sys_days d = std::chrono::year{y} / 1 / 1;
         d < std::chrono::sys_days{std::chrono::year{y + 1} / 1 / 1}; d += std::chrono::days{1}) {
      const std::string iso = FormatIsoDate(std::chrono::year_month_day{d});
      const DateParse p = ParseDate(iso, DateTail::kRejected);
      ASSERT_TRUE(p.ok()) << iso << ": " << p.error;
      EXPECT_EQ(FormatIsoDate(p.day), iso);
      EXPECT_TRUE(IsIsoDay(iso)) << iso;
      ++days;
    }
    EXPECT_EQ(days, y == 2024 ? 366 : 365);
  }
}

// IsIsoDay is the stored form only: a day in another spelling is not one.
TEST(IsIsoDay, OnlyTheStoredForm) {
  const std::pair<const char*, bool> kRows[] = {
      {"2024-05-01", true},  {"2024-02-29", true},   {"2024-02-31", false},
      {"2023-02-29", false}, {"2024-5-01", false},   {"2024-05-1 ", false},
      {"01.05.2024", false}, {"2024-05-01T", false}, {"", false},
  };
  for (const auto& [text, expected] : kRows) EXPECT_EQ(IsIsoDay(text), expected) << text;
}

// A long field is quoted shortened, cut at a character boundary.
TEST(DateMessages, LongTextIsShortened) {
  // Byte 40, where the quote is cut, is the second byte of "ä".
  const std::string text = "31.02.2024 " + std::string(28, 'x') + "äöü";
  const DateParse p = ParseDate(text);
  EXPECT_EQ(p.error, "\"31.02.2024 " + std::string(28, 'x') +
                         "…\" is not a day in the calendar (February 2024 has no day 31)");
}

}  // namespace
}  // namespace findling
