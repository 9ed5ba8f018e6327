#pragma once
// AWS JSON timestamps are epoch seconds (fraction allowed).
#include <nlohmann/json.hpp>

#include "api/clock.h"
#include "api/json_writer.h"

namespace sml::api::model {

constexpr EpochMillis kMillisPerDay = 86'400'000;

inline nlohmann::json ToAwsTimestamp(EpochMillis millis) {
  if (millis % 1000 == 0) return millis / 1000;
  return static_cast<double>(millis) / 1000.0;
}

inline void WriteAwsTimestamp(JsonWriter& out, EpochMillis millis) {
  if (millis % 1000 == 0) return out.Int(millis / 1000);
  out.Double(static_cast<double>(millis) / 1000.0);
}

// AWS keeps LastAccessedDate at day precision: midnight UTC of that day.
inline EpochMillis StartOfUtcDay(EpochMillis millis) {
  return millis - ((millis % kMillisPerDay) + kMillisPerDay) % kMillisPerDay;
}

}  // namespace sml::api::model
