#include "common/date.h"

#include "common/ascii.h"

namespace findling {

namespace {

constexpr std::string_view kForms = "expected YYYY-MM-DD or D.M.YYYY";

// The length of the run of digits at s[pos...].
std::size_t DigitRun(std::string_view s, std::size_t pos) {
  std::size_t n = 0;
  while (pos + n < s.size() && IsAsciiDigit(s[pos + n])) ++n;
  return n;
}

int Number(std::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

// The text as a message quotes it: a whole field may be long, so at most 40
// bytes, cut before a UTF-8 continuation byte so the cut stays valid.
std::string Quote(std::string_view text) {
  constexpr std::size_t kMax = 40;
  if (text.size() <= kMax) return "\"" + std::string(text) + "\"";
  std::size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return "\"" + std::string(text.substr(0, cut)) + "…\"";
}

// A failed parse: `kind`, the reason, and the message "<text> <what> (<reason>)".
DateParse Failed(DateParse::Kind kind, std::string_view text, std::string_view what,
                 std::string reason) {
  DateParse p;
  p.kind = kind;
  p.reason = std::move(reason);
  p.error = Quote(text) + " " + std::string(what) + " (" + p.reason + ")";
  return p;
}

DateParse NotADate(std::string_view text) {
  return Failed(DateParse::Kind::kNotADate, text, "is not a date", std::string(kForms));
}

// Written like a date, but not one we can read.
DateParse Unreadable(std::string_view text, std::string reason) {
  return Failed(DateParse::Kind::kInvalid, text, "is not a date", std::move(reason));
}

// Read, but not a day of the calendar.
DateParse NoSuchDay(std::string_view text, std::string reason) {
  return Failed(DateParse::Kind::kInvalid, text, "is not a day in the calendar", std::move(reason));
}

constexpr const char* kMonthNames[] = {"January",   "February", "March",    "April",
                                       "May",       "June",     "July",     "August",
                                       "September", "October",  "November", "December"};

// The numbers read; now the calendar decides.
DateParse Checked(std::string_view text, int y, int m, int d) {
  if (y == 0) return NoSuchDay(text, "there is no year 0");
  if (m < 1 || m > 12) return NoSuchDay(text, "there is no month " + std::to_string(m));
  if (d == 0) return NoSuchDay(text, "there is no day 0");
  const std::chrono::year_month_day day{std::chrono::year{y},
                                        std::chrono::month{static_cast<unsigned>(m)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!day.ok()) {
    return NoSuchDay(text, std::string(kMonthNames[m - 1]) + " " + std::to_string(y) +
                               " has no day " + std::to_string(d));
  }
  DateParse p;
  p.kind = DateParse::Kind::kDay;
  p.day = day;
  return p;
}

DateParse CheckTail(std::string_view text, std::size_t end, DateTail tail, DateParse parsed) {
  if (!parsed.ok() || tail == DateTail::kIgnored || end == text.size()) return parsed;
  return Unreadable(text, "unexpected " + Quote(text.substr(end)) + " after the day");
}

}  // namespace

DateParse ParseDate(std::string_view text, DateTail tail) {
  const std::string_view t = TrimAsciiSpace(text);
  // ISO: four digits and a '-' before a digit make it date-shaped.
  if (t.size() >= 6 && DigitRun(t, 0) == 4 && t[4] == '-' && IsAsciiDigit(t[5])) {
    const std::size_t m_len = DigitRun(t, 5);
    const std::size_t d_pos = 5 + m_len + 1;
    if (m_len > 2) return Unreadable(t, std::string(kForms));
    if (d_pos > t.size() || t[d_pos - 1] != '-' || DigitRun(t, d_pos) == 0) {
      return Unreadable(t, "a year and month but no day; " + std::string(kForms));
    }
    const std::size_t d_len = DigitRun(t, d_pos);
    if (d_len > 2) return Unreadable(t, std::string(kForms));
    return CheckTail(t, d_pos + d_len, tail,
                     Checked(t, Number(t.substr(0, 4)), Number(t.substr(5, m_len)),
                             Number(t.substr(d_pos, d_len))));
  }
  // German: digits '.' digits '.' digits.
  const std::size_t d_len = DigitRun(t, 0);
  if (d_len > 0 && d_len < t.size() && t[d_len] == '.') {
    const std::size_t m_len = DigitRun(t, d_len + 1);
    const std::size_t y_pos = d_len + 1 + m_len + 1;
    if (m_len > 0 && y_pos <= t.size() && t[y_pos - 1] == '.' && DigitRun(t, y_pos) > 0) {
      const std::size_t y_len = DigitRun(t, y_pos);
      if (d_len > 2 || m_len > 2) return Unreadable(t, std::string(kForms));
      if (y_len == 2) {
        return Unreadable(t, "a two-digit year is ambiguous; write the year with four digits");
      }
      if (y_len != 4) return Unreadable(t, std::string(kForms));
      return CheckTail(t, y_pos + y_len, tail,
                       Checked(t, Number(t.substr(y_pos, 4)), Number(t.substr(d_len + 1, m_len)),
                               Number(t.substr(0, d_len))));
    }
  }
  return NotADate(t);
}

// By hand rather than snprintf or std::format: it runs once per document.
std::string FormatIsoDate(std::chrono::year_month_day day) {
  int y = static_cast<int>(day.year());
  const unsigned m = static_cast<unsigned>(day.month());
  const unsigned d = static_cast<unsigned>(day.day());
  std::string out = "0000-00-00";
  for (int i = 3; i >= 0; --i, y /= 10) {
    out[static_cast<std::size_t>(i)] = static_cast<char>('0' + y % 10);
  }
  out[5] = static_cast<char>('0' + m / 10);
  out[6] = static_cast<char>('0' + m % 10);
  out[8] = static_cast<char>('0' + d / 10);
  out[9] = static_cast<char>('0' + d % 10);
  return out;
}

bool IsIsoDay(std::string_view text) {
  if (text.size() != 10) return false;
  const DateParse p = ParseDate(text, DateTail::kRejected);
  // "2024-5-1 " and " 2024-5-1" are ten bytes too, but not the stored form.
  return p.ok() && FormatIsoDate(p.day) == text;
}

}  // namespace findling
