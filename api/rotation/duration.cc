#include "api/rotation/duration.h"

#include <limits>

namespace sml::api::rotation {

std::optional<EpochMillis> ParseDurationMillis(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  EpochMillis unit = 0;
  switch (text.back()) {
    case 'd':
      unit = kMillisPerDay;
      break;
    case 'h':
      unit = kMillisPerHour;
      break;
    case 'm':
      unit = kMillisPerMinute;
      break;
    case 's':
      unit = kMillisPerSecond;
      break;
    default:
      return std::nullopt;
  }
  const std::string_view digits = text.substr(0, text.size() - 1);
  constexpr EpochMillis kMax = std::numeric_limits<EpochMillis>::max();
  EpochMillis count = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    const int digit = c - '0';
    if (count > (kMax - digit) / 10) return std::nullopt;
    count = count * 10 + digit;
  }
  if (count > kMax / unit) return std::nullopt;
  return count * unit;
}

}  // namespace sml::api::rotation
