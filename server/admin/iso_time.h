#pragma once
// ISO 8601 UTC timestamps for the admin API ("2027-01-01T00:00:00Z").
#include <optional>
#include <string>
#include <string_view>

#include "api/clock.h"

namespace sml::server::admin {

std::string FormatIsoUtc(api::EpochMillis millis);  // 2027-01-01T00:00:00.000Z
// Accepts YYYY-MM-DDTHH:MM:SS[.fff](Z|+00:00); nullopt otherwise.
std::optional<api::EpochMillis> ParseIsoUtc(std::string_view text);

}  // namespace sml::server::admin
