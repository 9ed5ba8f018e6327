#pragma once
// AWS cron for Secrets Manager rotation schedules, UTC:
//   cron(Minutes Hours Day-of-month Month Day-of-week Year)
//
// What Parse accepts (the rules of AWS's "Schedule expressions in Secrets
// Manager rotation"):
//   Minutes       must be 0 (windows open on the hour)
//   Hours         0-23                 , - * /
//   Day-of-month  1-31                 , - * ? / L       (L = last day)
//   Month         1-12 or JAN-DEC      , - * /
//   Day-of-week   1-7 or SUN-SAT       , - * ? / L #     (1 = SUN ... 7 = SAT;
//                                      5L = last Thursday, 3#2 = second
//                                      Tuesday, L alone = SAT as in Quartz)
//   Year          must be *
// Exactly one of Day-of-month and Day-of-week is `?`. Names are
// case-insensitive. A range may wrap (FRI-MON, 22-2). `a/n` steps from a to
// the field's maximum; increments of hours restart every day, as AWS
// documents for cron(0 4/12 * * ? *). W (nearest weekday) is not part of
// Secrets Manager's cron and is rejected. An expression that can never fire
// (cron(0 0 31 2 ? *)) is rejected too, so NextAtOrAfter always finds a time
// for a parsed expression.
//
// Every rejection is an ApiError(kInvalidParameter) whose message names the
// field and the offending text. A CronExpression is an immutable value:
// copyable and safe to share between threads.
#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/clock.h"

namespace sml::api::rotation {

class CronExpression {
 public:
  // `fields` is the text between "cron(" and ")", e.g. "0 16 L * ? *".
  static CronExpression Parse(std::string_view fields);

  // The first fire time >= t (always on the hour, since minutes are 0), or
  // nullopt if there is none within 400 years (the Gregorian calendar
  // repeats every 400 years, so for a parsed expression this cannot happen
  // short of the end of EpochMillis).
  std::optional<EpochMillis> NextAtOrAfter(EpochMillis t) const;

  // True when the expression fires at more than one hour of a day, i.e. AWS
  // calls it "a schedule in hours" (default window one hour) rather than "a
  // schedule in days" (default window to the end of the UTC day).
  bool IsHourly() const { return hours_.count() > 1; }

  // The hours of the day (ascending) at which the expression fires on a day
  // it matches.
  std::vector<int> FireHours() const;

 private:
  CronExpression() = default;

  bool MatchesDay(int year, int month, int day, int weekday) const;

  std::bitset<24> hours_;
  std::bitset<13> months_;                         // 1..12
  bool day_of_month_is_set_ = false;               // false: Day-of-month is `?`
  std::bitset<32> days_of_month_;                  // 1..31
  bool last_day_of_month_ = false;                 // L in Day-of-month
  std::bitset<8> weekdays_;                        // 1..7 = SUN..SAT
  std::bitset<8> last_weekdays_;                   // 5L: the last such weekday of the month
  std::vector<std::pair<int, int>> nth_weekdays_;  // 3#2: (weekday, n)
};

// Calendar helpers on the proleptic Gregorian calendar, UTC.
struct UtcDate {
  int year;
  int month;  // 1..12
  int day;    // 1..31
};
std::int64_t DaysFromCivil(int year, int month, int day);
UtcDate CivilFromDays(std::int64_t days);
bool IsLeapYear(int year);
int DaysInMonth(int year, int month);
// Epoch millis of the given UTC date and time; handy in tests and logs.
EpochMillis UtcMillis(int year, int month, int day, int hour = 0, int minute = 0, int second = 0);

}  // namespace sml::api::rotation
