#pragma once
// Rotation schedules: when the next automatic rotation of a secret is due.
// Pure functions of the rules and the time of the last rotation; all UTC,
// epoch milliseconds. No clock, storage or threads here: the scheduler asks
// WindowAfter(last_rotated) and PickMomentInWindow, and keeps the answer.
//
// How AWS's rules are read (BEHAVIOR.md §7, the RotationRulesType docs and
// "Schedule expressions in Secrets Manager rotation"):
//   AutomaticallyAfterDays N / rate(N days)
//       due on the UTC date of the last rotation + N days; the window opens at
//       that midnight and lasts Duration, or to the end of that UTC day.
//   rate(N hours), N 4..23
//       windows open at 00:00, N:00, 2N:00 ... of every UTC day (increments
//       restart each day, as AWS documents for cron hour increments), each
//       lasting Duration or one hour. The next window is the one of the slot
//       (the span from one window start to the next) holding
//       last_rotated + N hours: the hours analogue of "due day = last
//       rotation + N days". So a secret rotated at 04:50 in the 04:00 window
//       of rate(4 hours) is next rotated in the 08:00 window, not 12:00.
//   cron(...)
//       the window opens at the first fire time strictly after last_rotated
//       and lasts Duration, or one hour for a cron firing at several hours of
//       a day, or to the end of the UTC day for a cron firing once a day.
// Duration "<n>h", n 1..24. The window may not extend into the next window
// (n <= the smallest gap between window openings of a day) nor into the next
// UTC day (last opening hour + n <= 24).
//
// RotationSchedule is an immutable value: copyable and thread-safe.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/clock.h"
#include "api/random.h"
#include "api/rotation/cron.h"
#include "api/rotation/duration.h"

namespace sml::api::rotation {

// RotateSecret's RotationRules exactly as the caller sent them; this is also
// what Describe/List must return (dropping ScheduleExpression or Duration
// makes Terraform and CDK see drift forever).
struct RotationRules {
  std::optional<std::int64_t> automatically_after_days;
  std::optional<std::string> schedule_expression;
  std::optional<std::string> duration;

  bool operator==(const RotationRules&) const = default;
};

// [start, end): the rotation happens at some moment inside.
struct NextRotationWindow {
  EpochMillis start = 0;
  EpochMillis end = 0;

  bool operator==(const NextRotationWindow&) const = default;
};

// Default window of a schedule in hours; a schedule in days defaults to the
// rest of the UTC day its window opens in.
constexpr EpochMillis kDefaultHourlyWindowMillis = kMillisPerHour;

class RotationSchedule {
 public:
  enum class Kind { kAutomaticallyAfterDays, kRateDays, kRateHours, kCron };

  const RotationRules& rules() const { return rules_; }
  Kind kind() const { return kind_; }
  // A schedule in hours (rate(N hours), or a cron firing at several hours of
  // a day): default window one hour. Otherwise a schedule in days.
  bool IsHourly() const;
  // N for AutomaticallyAfterDays N and rate(N days); nullopt otherwise.
  std::optional<std::int64_t> IntervalDays() const;
  // The Duration in hours, if one was given.
  std::optional<int> WindowHours() const { return window_hours_; }

  // The window of the next rotation after one that happened at
  // `last_rotated` (see the header comment). Always starts after
  // last_rotated for hour rates and crons; for day schedules it starts at a
  // midnight at least one day later.
  NextRotationWindow WindowAfter(EpochMillis last_rotated) const;

 private:
  friend RotationSchedule ParseRotationRules(const RotationRules& rules);
  RotationSchedule() = default;

  // Hours of the day at which windows open (always contains the first).
  std::vector<int> OpeningHours() const;
  EpochMillis WindowEnd(EpochMillis start) const;

  RotationRules rules_;
  Kind kind_ = Kind::kAutomaticallyAfterDays;
  std::int64_t interval_ = 0;  // days or hours; unused for cron
  std::optional<CronExpression> cron_;
  std::optional<int> window_hours_;
};

// Validates `rules` and builds the schedule. Throws
// ApiError(kInvalidParameter) when both or neither of AutomaticallyAfterDays
// and ScheduleExpression are given, for a malformed or out-of-range rate()
// or cron() (see cron.h), for a Duration that is not 1h..24h, and for a
// window that would extend into the next window or the next UTC day.
// Shape checks the model declares (AutomaticallyAfterDays 1..1000, the
// ScheduleExpression/Duration patterns and lengths) are the operation's
// ValidationException; AutomaticallyAfterDays out of range is still refused
// here (InvalidParameter) so no caller can build a nonsense schedule.
RotationSchedule ParseRotationRules(const RotationRules& rules);

// A moment in [window.start, window.end) chosen as AWS does: a random hour
// of the window, then a minute biased toward the top of that hour
// (minute = floor(60 * u^3), u uniform in [0, 1)), then a uniform
// millisecond within the minute. An empty window yields its start.
EpochMillis PickMomentInWindow(const NextRotationWindow& window, RandomSource& random);

}  // namespace sml::api::rotation
