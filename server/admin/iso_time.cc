#include "server/admin/iso_time.h"

#include <cstdio>

#include "api/rotation/cron.h"
#include "api/rotation/duration.h"

namespace sml::server::admin {

std::string FormatIsoUtc(api::EpochMillis millis) {
  using namespace api::rotation;
  auto days = millis >= 0 ? millis / kMillisPerDay : (millis - kMillisPerDay + 1) / kMillisPerDay;
  auto in_day = millis - days * kMillisPerDay;
  UtcDate date = CivilFromDays(days);
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", date.year, date.month,
                date.day, static_cast<int>(in_day / kMillisPerHour),
                static_cast<int>(in_day / kMillisPerMinute % 60),
                static_cast<int>(in_day / kMillisPerSecond % 60), static_cast<int>(in_day % 1000));
  return buffer;
}

std::optional<api::EpochMillis> ParseIsoUtc(std::string_view text) {
  int year, month, day, hour, minute, second, consumed = 0;
  std::string copy(text);
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month, &day, &hour, &minute,
                  &second, &consumed) != 6 || consumed != 19) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > api::rotation::DaysInMonth(year, month) ||
      hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }
  std::string_view rest = text.substr(19);
  int millis = 0;
  if (rest.starts_with('.')) {
    std::size_t digits = 1;
    int scale = 100;
    while (digits < rest.size() && std::isdigit(static_cast<unsigned char>(rest[digits]))) {
      if (scale > 0) millis += (rest[digits] - '0') * scale;
      scale /= 10;
      ++digits;
    }
    if (digits == 1) return std::nullopt;
    rest = rest.substr(digits);
  }
  if (rest != "Z" && rest != "+00:00") return std::nullopt;
  return api::rotation::UtcMillis(year, month, day, hour, minute, second) + millis;
}

}  // namespace sml::server::admin
