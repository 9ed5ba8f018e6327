#pragma once
// Human durations for the admin clock endpoint ({"advance": "30d"}):
// a non-negative whole number followed by one unit, d, h, m or s
// ("30d", "12h", "15m", "45s"). Nothing else is accepted: no spaces, signs,
// fractions or combined units, so a typo is an error rather than a surprise.
#include <optional>
#include <string_view>

#include "api/clock.h"

namespace sml::api::rotation {

constexpr EpochMillis kMillisPerSecond = 1'000;
constexpr EpochMillis kMillisPerMinute = 60 * kMillisPerSecond;
constexpr EpochMillis kMillisPerHour = 60 * kMillisPerMinute;
constexpr EpochMillis kMillisPerDay = 24 * kMillisPerHour;

// Milliseconds for `text`, or nullopt when it is not of the form above or
// would not fit in EpochMillis.
std::optional<EpochMillis> ParseDurationMillis(std::string_view text);

}  // namespace sml::api::rotation
