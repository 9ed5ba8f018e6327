#include "api/rotation/cron.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "api/error.h"
#include "api/rotation/duration.h"

namespace sml::api::rotation {
namespace {

// The Gregorian calendar repeats every 400 years (146097 days, a whole
// number of weeks), so a day pattern that matches at all matches within one
// cycle of any date.
constexpr std::int64_t kSearchDays = 146'097 + 366;

struct FieldSpec {
  std::string_view name;
  int min;
  int max;
  const std::array<std::string_view, 12>* names;  // names[i] means min + i
  std::size_t name_count;
};

constexpr std::array<std::string_view, 12> kMonthNames = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                          "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::array<std::string_view, 12> kWeekdayNames = {"SUN", "MON", "TUE", "WED",
                                                            "THU", "FRI", "SAT"};

constexpr FieldSpec kHours{"Hours", 0, 23, nullptr, 0};
constexpr FieldSpec kDayOfMonth{"Day-of-month", 1, 31, nullptr, 0};
constexpr FieldSpec kMonth{"Month", 1, 12, &kMonthNames, 12};
constexpr FieldSpec kDayOfWeek{"Day-of-week", 1, 7, &kWeekdayNames, 7};

ApiError Invalid(std::string message) {
  return ApiError(ErrorCode::kInvalidParameter, std::move(message));
}

ApiError BadValue(const FieldSpec& field, std::string_view text) {
  std::string message = "Invalid cron() expression: '";
  message += text;
  message += "' is not a valid value for the ";
  message += field.name;
  message += " field (" + std::to_string(field.min) + "-" + std::to_string(field.max);
  if (field.names != nullptr) {
    message += " or ";
    message += (*field.names)[0];
    message += "-";
    message += (*field.names)[field.name_count - 1];
  }
  message += ").";
  return Invalid(std::move(message));
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// A single value: a number in range or (for Month and Day-of-week) a name.
int ParseValue(const FieldSpec& field, std::string_view text, std::string_view element) {
  if (!text.empty() && text.size() <= 2 &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    const int value = std::stoi(std::string(text));
    if (value >= field.min && value <= field.max) return value;
    throw BadValue(field, element);
  }
  if (field.names != nullptr) {
    const std::string upper = Upper(text);
    for (std::size_t i = 0; i < field.name_count; ++i) {
      if ((*field.names)[i] == upper) return field.min + static_cast<int>(i);
    }
  }
  throw BadValue(field, element);
}

// Sets the values of `element` (no commas): *, a, a-b, */n, a/n, a-b/n.
// A range whose start is after its end wraps around the field's maximum.
template <std::size_t N>
void AddRange(const FieldSpec& field, std::string_view element, std::bitset<N>& out) {
  std::string_view base = element;
  int step = 1;
  if (const auto slash = element.find('/'); slash != std::string_view::npos) {
    base = element.substr(0, slash);
    const std::string_view step_text = element.substr(slash + 1);
    if (step_text.empty() || step_text.size() > 2 ||
        !std::all_of(step_text.begin(), step_text.end(),
                     [](char c) { return c >= '0' && c <= '9'; })) {
      throw BadValue(field, element);
    }
    step = std::stoi(std::string(step_text));
    if (step < 1 || step > field.max - field.min + 1) throw BadValue(field, element);
  }
  int first = field.min;
  int last = field.max;
  if (base == "*") {
    // the whole field
  } else if (const auto dash = base.find('-'); dash != std::string_view::npos) {
    first = ParseValue(field, base.substr(0, dash), element);
    last = ParseValue(field, base.substr(dash + 1), element);
  } else {
    first = ParseValue(field, base, element);
    // "a" alone is one value; "a/n" runs from a to the maximum.
    last = element.find('/') == std::string_view::npos ? first : field.max;
  }
  const int span = field.max - field.min + 1;
  const int length =
      first <= last ? last - first + 1 : (field.max - first + 1) + (last - field.min + 1);
  for (int k = 0; k < length; k += step) {
    int value = first + k;
    if (value > field.max) value -= span;
    out.set(static_cast<std::size_t>(value));
  }
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (;;) {
    const auto end = text.find(separator, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

std::vector<std::string_view> SplitFields(std::string_view text) {
  std::vector<std::string_view> fields;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    if (i == text.size()) break;
    const std::size_t start = i;
    while (i < text.size() && text[i] != ' ') ++i;
    fields.push_back(text.substr(start, i - start));
  }
  return fields;
}

// Elements of a comma list; an empty element ("1,,2" or "1,") is an error.
std::vector<std::string_view> ListElements(const FieldSpec& field, std::string_view text) {
  std::vector<std::string_view> elements = Split(text, ',');
  for (std::string_view element : elements) {
    if (element.empty()) throw BadValue(field, text);
  }
  return elements;
}

int Weekday(std::int64_t days_since_epoch) {
  // 1970-01-01 was a Thursday (5 in AWS numbering, 1 = SUN).
  return static_cast<int>(((days_since_epoch + 4) % 7 + 7) % 7) + 1;
}

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

}  // namespace

CronExpression CronExpression::Parse(std::string_view text) {
  const std::vector<std::string_view> fields = SplitFields(text);
  if (fields.size() != 6) {
    throw Invalid(
        "Invalid cron() expression: expected six fields (Minutes Hours Day-of-month Month "
        "Day-of-week Year) but found " +
        std::to_string(fields.size()) + ".");
  }
  if (fields[0].size() > 2 || fields[0].find_first_not_of('0') != std::string_view::npos) {
    throw Invalid(
        "Invalid cron() expression: the Minutes field must be 0, because Secrets Manager "
        "rotation windows open on the hour.");
  }
  if (fields[5] != "*") {
    throw Invalid(
        "Invalid cron() expression: the Year field must be *, because Secrets Manager does not "
        "support rotation schedules that are more than a year apart.");
  }
  const std::string_view day_of_month = fields[2];
  const std::string_view day_of_week = fields[4];
  if ((day_of_month == "?") == (day_of_week == "?")) {
    throw Invalid(
        "Invalid cron() expression: use ? in exactly one of the Day-of-month and Day-of-week "
        "fields.");
  }

  CronExpression cron;
  for (std::string_view element : ListElements(kHours, fields[1])) {
    AddRange(kHours, element, cron.hours_);
  }
  for (std::string_view element : ListElements(kMonth, fields[3])) {
    AddRange(kMonth, element, cron.months_);
  }

  if (day_of_month != "?") {
    cron.day_of_month_is_set_ = true;
    for (std::string_view element : ListElements(kDayOfMonth, day_of_month)) {
      if (element.find_first_of("Ww") != std::string_view::npos) {
        throw Invalid(
            "Invalid cron() expression: the W (nearest weekday) wildcard is not supported in "
            "Secrets Manager rotation schedules.");
      }
      if (element == "L" || element == "l") {
        cron.last_day_of_month_ = true;
      } else {
        AddRange(kDayOfMonth, element, cron.days_of_month_);
      }
    }
  } else {
    for (std::string_view element : ListElements(kDayOfWeek, day_of_week)) {
      if (const auto hash = element.find('#'); hash != std::string_view::npos) {
        const int weekday = ParseValue(kDayOfWeek, element.substr(0, hash), element);
        const std::string_view nth = element.substr(hash + 1);
        if (nth.size() != 1 || nth[0] < '1' || nth[0] > '5') {
          throw Invalid("Invalid cron() expression: '" + std::string(element) +
                        "' in the Day-of-week field needs an occurrence from 1 to 5 after #.");
        }
        cron.nth_weekdays_.emplace_back(weekday, nth[0] - '0');
      } else if (element == "L" || element == "l") {
        cron.weekdays_.set(7);  // Quartz: L alone in Day-of-week is Saturday
      } else if (element.size() > 1 && (element.back() == 'L' || element.back() == 'l')) {
        const int weekday = ParseValue(kDayOfWeek, element.substr(0, element.size() - 1), element);
        cron.last_weekdays_.set(static_cast<std::size_t>(weekday));
      } else {
        AddRange(kDayOfWeek, element, cron.weekdays_);
      }
    }
  }

  if (!cron.NextAtOrAfter(0).has_value()) {
    throw Invalid("Invalid cron() expression: cron(" + std::string(text) +
                  ") never matches a date.");
  }
  return cron;
}

bool CronExpression::MatchesDay(int year, int month, int day, int weekday) const {
  if (!months_.test(static_cast<std::size_t>(month))) return false;
  const int days_in_month = DaysInMonth(year, month);
  if (day_of_month_is_set_) {
    return days_of_month_.test(static_cast<std::size_t>(day)) ||
           (last_day_of_month_ && day == days_in_month);
  }
  if (weekdays_.test(static_cast<std::size_t>(weekday))) return true;
  if (last_weekdays_.test(static_cast<std::size_t>(weekday)) && day + 7 > days_in_month) {
    return true;
  }
  for (const auto& [nth_weekday, n] : nth_weekdays_) {
    if (nth_weekday == weekday && (day - 1) / 7 + 1 == n) return true;
  }
  return false;
}

std::optional<EpochMillis> CronExpression::NextAtOrAfter(EpochMillis t) const {
  // Fire times are on the hour: start from the first hour boundary >= t.
  const std::int64_t first_hour = -FloorDiv(-t, kMillisPerHour);
  std::int64_t days = FloorDiv(first_hour, 24);
  int from_hour = static_cast<int>(first_hour - days * 24);
  const std::int64_t last_day = days + kSearchDays;
  while (days <= last_day) {
    const UtcDate date = CivilFromDays(days);
    if (!months_.test(static_cast<std::size_t>(date.month))) {
      // Skip the rest of a month that never matches.
      days += DaysInMonth(date.year, date.month) - date.day + 1;
      from_hour = 0;
      continue;
    }
    if (MatchesDay(date.year, date.month, date.day, Weekday(days))) {
      for (int hour = from_hour; hour < 24; ++hour) {
        if (hours_.test(static_cast<std::size_t>(hour))) {
          return days * kMillisPerDay + hour * kMillisPerHour;
        }
      }
    }
    ++days;
    from_hour = 0;
  }
  return std::nullopt;
}

std::vector<int> CronExpression::FireHours() const {
  std::vector<int> hours;
  for (int hour = 0; hour < 24; ++hour) {
    if (hours_.test(static_cast<std::size_t>(hour))) hours.push_back(hour);
  }
  return hours;
}

// Howard Hinnant's days_from_civil / civil_from_days.
std::int64_t DaysFromCivil(int year, int month, int day) {
  const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
  const std::int64_t era = FloorDiv(y, 400);
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146'097 + doe - 719'468;
}

UtcDate CivilFromDays(std::int64_t days) {
  const std::int64_t z = days + 719'468;
  const std::int64_t era = FloorDiv(z, 146'097);
  const std::int64_t doe = z - era * 146'097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
  return {year, month, day};
}

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr std::array<int, 13> kDays = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[static_cast<std::size_t>(month)];
}

EpochMillis UtcMillis(int year, int month, int day, int hour, int minute, int second) {
  return DaysFromCivil(year, month, day) * kMillisPerDay + hour * kMillisPerHour +
         minute * kMillisPerMinute + second * kMillisPerSecond;
}

}  // namespace sml::api::rotation
