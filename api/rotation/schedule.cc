#include "api/rotation/schedule.h"

#include <algorithm>
#include <string>
#include <string_view>

#include "api/error.h"

namespace sml::api::rotation {
namespace {

constexpr std::int64_t kMinAfterDays = 1;
constexpr std::int64_t kMaxAfterDays = 1000;
constexpr std::int64_t kMinRateHours = 4;
constexpr std::int64_t kMaxRateHours = 23;
constexpr std::int64_t kMaxRateDays = 999;
constexpr int kMaxWindowHours = 24;

ApiError Invalid(std::string message) {
  return ApiError(ErrorCode::kInvalidParameter, std::move(message));
}

bool IsDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "4h" -> 4. The model allows "[0-9]+h" of length 2..3; AWS's range is 1..24.
int ParseWindowHours(std::string_view duration) {
  const std::string_view digits = duration.size() >= 2 && duration.back() == 'h'
                                      ? duration.substr(0, duration.size() - 1)
                                      : std::string_view{};
  if (IsDigits(digits) && digits.size() <= 2) {
    const int hours = std::stoi(std::string(digits));
    if (hours >= 1 && hours <= kMaxWindowHours) return hours;
  }
  throw Invalid("Invalid Duration '" + std::string(duration) +
                "': the rotation window must be a whole number of hours from 1h to 24h, for "
                "example 3h.");
}

struct Rate {
  std::int64_t value;
  bool hours;  // else days
};

// The text between "rate(" and ")": "<value> <unit>", unit hour(s) or day(s);
// singular exactly when the value is 1, as in AWS's other rate() expressions.
Rate ParseRate(std::string_view body) {
  const auto space = body.find(' ');
  const std::string_view value_text = body.substr(0, space);
  const std::string_view unit =
      space == std::string_view::npos ? std::string_view{} : body.substr(space + 1);
  const bool known_unit = unit == "hour" || unit == "hours" || unit == "day" || unit == "days";
  if (!IsDigits(value_text) || !known_unit) {
    throw Invalid(
        "Invalid rate() expression: use rate(Value Unit) with a positive whole number and a "
        "unit of hour, hours, day or days, for example rate(10 days) or rate(12 hours).");
  }
  // Anything longer than 9 digits is far out of range; avoid overflow.
  const std::int64_t value =
      value_text.size() > 9 ? kMaxAfterDays * 24 : std::stoll(std::string(value_text));
  if (value < 1) {
    throw Invalid("Invalid rate() expression: the value must be a positive whole number.");
  }
  const bool plural = unit.back() == 's';
  if (plural == (value == 1)) {
    throw Invalid(
        "Invalid rate() expression: use a singular unit for a value of 1 and a plural unit "
        "otherwise, for example rate(1 day) or rate(12 hours).");
  }
  const bool hours = unit.starts_with("hour");
  if (hours && value < kMinRateHours) {
    throw Invalid(
        "Invalid rate() expression: you can rotate a secret at most every four hours, so a "
        "rate in hours must be at least rate(4 hours).");
  }
  if (hours && value > kMaxRateHours) {
    throw Invalid(
        "Invalid rate() expression: a rate in hours must be less than 24 hours; use "
        "rate(N days) for longer intervals.");
  }
  if (!hours && value > kMaxRateDays) {
    throw Invalid("Invalid rate() expression: the maximum rotation period is 999 days.");
  }
  return {value, hours};
}

std::string Hh(int hour) { return (hour < 10 ? "0" : "") + std::to_string(hour) + ":00"; }

}  // namespace

RotationSchedule ParseRotationRules(const RotationRules& rules) {
  if (rules.automatically_after_days && rules.schedule_expression) {
    throw Invalid("You cannot specify both rotation frequency and schedule expression together.");
  }
  if (!rules.automatically_after_days && !rules.schedule_expression) {
    throw Invalid(
        "You must specify either AutomaticallyAfterDays or ScheduleExpression in "
        "RotationRules.");
  }
  RotationSchedule schedule;
  schedule.rules_ = rules;
  if (rules.automatically_after_days) {
    const std::int64_t days = *rules.automatically_after_days;
    if (days < kMinAfterDays || days > kMaxAfterDays) {
      throw Invalid("AutomaticallyAfterDays must be between 1 and 1000 days.");
    }
    schedule.kind_ = RotationSchedule::Kind::kAutomaticallyAfterDays;
    schedule.interval_ = days;
  } else {
    const std::string_view expression = *rules.schedule_expression;
    const bool closed = expression.ends_with(")");
    if (closed && expression.starts_with("rate(")) {
      const Rate rate = ParseRate(expression.substr(5, expression.size() - 6));
      schedule.kind_ =
          rate.hours ? RotationSchedule::Kind::kRateHours : RotationSchedule::Kind::kRateDays;
      schedule.interval_ = rate.value;
    } else if (closed && expression.starts_with("cron(")) {
      schedule.kind_ = RotationSchedule::Kind::kCron;
      schedule.cron_ = CronExpression::Parse(expression.substr(5, expression.size() - 6));
    } else {
      throw Invalid("Invalid ScheduleExpression '" + std::string(expression) +
                    "': use a rate() or cron() expression, for example rate(10 days) or "
                    "cron(0 16 1,15 * ? *).");
    }
  }

  if (rules.duration) {
    const int window = ParseWindowHours(*rules.duration);
    const std::vector<int> openings = schedule.OpeningHours();
    for (std::size_t i = 1; i < openings.size(); ++i) {
      const int gap = openings[i] - openings[i - 1];
      if (window > gap) {
        throw Invalid("Invalid Duration '" + *rules.duration +
                      "': the rotation window must not extend into the next rotation window, "
                      "which opens " +
                      std::to_string(gap) + " hours later (at " + Hh(openings[i]) + " UTC).");
      }
    }
    if (openings.back() + window > 24) {
      throw Invalid("Invalid Duration '" + *rules.duration + "': the rotation window opening at " +
                    Hh(openings.back()) + " UTC must not extend into the next UTC day.");
    }
    schedule.window_hours_ = window;
  }
  return schedule;
}

bool RotationSchedule::IsHourly() const {
  return kind_ == Kind::kRateHours || (kind_ == Kind::kCron && cron_->IsHourly());
}

std::optional<std::int64_t> RotationSchedule::IntervalDays() const {
  if (kind_ == Kind::kAutomaticallyAfterDays || kind_ == Kind::kRateDays) return interval_;
  return std::nullopt;
}

std::vector<int> RotationSchedule::OpeningHours() const {
  switch (kind_) {
    case Kind::kAutomaticallyAfterDays:
    case Kind::kRateDays:
      return {0};
    case Kind::kRateHours: {
      std::vector<int> hours;
      for (int hour = 0; hour < 24; hour += static_cast<int>(interval_)) hours.push_back(hour);
      return hours;
    }
    case Kind::kCron:
      return cron_->FireHours();
  }
  return {0};
}

EpochMillis RotationSchedule::WindowEnd(EpochMillis start) const {
  if (window_hours_) return start + *window_hours_ * kMillisPerHour;
  if (IsHourly()) return start + kDefaultHourlyWindowMillis;
  const EpochMillis day_start = start - ((start % kMillisPerDay) + kMillisPerDay) % kMillisPerDay;
  return day_start + kMillisPerDay;
}

NextRotationWindow RotationSchedule::WindowAfter(EpochMillis last_rotated) const {
  EpochMillis start = 0;
  switch (kind_) {
    case Kind::kAutomaticallyAfterDays:
    case Kind::kRateDays: {
      const EpochMillis day_start =
          last_rotated - ((last_rotated % kMillisPerDay) + kMillisPerDay) % kMillisPerDay;
      start = day_start + interval_ * kMillisPerDay;
      break;
    }
    case Kind::kRateHours: {
      // The opening of the slot holding the due time (see schedule.h).
      const EpochMillis due = last_rotated + interval_ * kMillisPerHour;
      const EpochMillis day_start = due - ((due % kMillisPerDay) + kMillisPerDay) % kMillisPerDay;
      const std::int64_t hour_of_day = (due - day_start) / kMillisPerHour;
      const std::int64_t opening = hour_of_day - hour_of_day % interval_;
      start = day_start + opening * kMillisPerHour;
      break;
    }
    case Kind::kCron:
      // A parsed cron always fires again (cron.h), so value() cannot throw.
      start = cron_->NextAtOrAfter(last_rotated + 1).value();
      break;
  }
  return {start, WindowEnd(start)};
}

EpochMillis PickMomentInWindow(const NextRotationWindow& window, RandomSource& random) {
  if (window.end <= window.start) return window.start;
  const EpochMillis length = window.end - window.start;
  const auto hours = static_cast<std::uint64_t>((length + kMillisPerHour - 1) / kMillisPerHour);
  const EpochMillis hour_start =
      window.start + static_cast<EpochMillis>(random.Uniform(hours)) * kMillisPerHour;
  constexpr std::uint64_t kUnitSteps = std::uint64_t{1} << 53;
  const double u =
      static_cast<double>(random.Uniform(kUnitSteps)) / static_cast<double>(kUnitSteps);
  const auto minute = std::min<EpochMillis>(59, static_cast<EpochMillis>(60.0 * u * u * u));
  EpochMillis moment = hour_start + minute * kMillisPerMinute +
                       static_cast<EpochMillis>(random.Uniform(kMillisPerMinute));
  // The last hour of a window need not be whole: fold back inside it.
  if (moment >= window.end) moment = hour_start + (moment - hour_start) % (window.end - hour_start);
  return moment;
}

}  // namespace sml::api::rotation
