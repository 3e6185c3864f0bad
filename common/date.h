// Dates: the one parser for every date Findling reads (document fields,
// query filters, --from/--to, server requests) and the one form it stores.
//
// Written forms, after ASCII whitespace is trimmed:
//  - ISO 8601 and everything that starts like it: "2024-05-01",
//    "2024-5-1", "2024-05-01T10:00:00Z", "2024-05-01 10:00";
//  - the German form: "1.5.2024", "01.05.2024", "01.05.2024, 14:30".
// The year has four digits, 0001-9999. A two-digit year ("01.05.24") is
// refused rather than guessed: 24 could be 1924 or 2024, and a wrong guess
// files a document a century away with no warning. The day must exist in
// the proleptic Gregorian calendar (29.02.2024 and 29.02.2000 do, 29.02.2023
// and 29.02.1900 do not).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace findling {

// What ParseDate found.
struct DateParse {
  enum class Kind : std::uint8_t {
    kDay,       // a day of the calendar, in `day`
    kNotADate,  // nothing written like a date: "", "gestern", "1. Mai 2024", "2024"
    kInvalid,   // written like a date but no day: "31.02.2024", "2024-13-01", "01.05.24"
  };
  Kind kind = Kind::kNotADate;
  std::chrono::year_month_day day{};  // valid (day.ok()) exactly when kind == kDay
  // When kind != kDay: the short reason ("there is no month 13", "February
  // 2023 has no day 29") and the whole message, which quotes the text
  // ("\"31.02.2024\" is not a day in the calendar (February 2024 has no day 31)").
  std::string reason;
  std::string error;

  bool ok() const { return kind == Kind::kDay; }
};

// What may follow the day.
enum class DateTail : std::uint8_t {
  // Anything after the day is ignored once it cannot continue the number:
  // "2024-05-01T10:00:00Z", "01.05.2024, 14:30" (document fields, which carry times).
  kIgnored,
  // The text is the date alone; "2024-05-01T10:00" is kInvalid (queries,
  // command-line options, requests: a typo there should be said, not dropped).
  kRejected,
};

// Reads `text` as a day in one of the forms above. Never throws; pure.
DateParse ParseDate(std::string_view text, DateTail tail = DateTail::kIgnored);

// "YYYY-MM-DD", the form the index stores and compares as a string (the
// order of such strings is the order of the days). `day` must be ok() with
// a year in 1..9999.
std::string FormatIsoDate(std::chrono::year_month_day day);

// True when `text` is exactly "YYYY-MM-DD" and names a day of the calendar:
// what may be stored as a document's date.
bool IsIsoDay(std::string_view text);

}  // namespace findling
