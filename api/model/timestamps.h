#pragma once
// AWS JSON timestamps are epoch seconds (fraction allowed).
#include <charconv>
#include <nlohmann/json.hpp>
#include <string_view>

#include "api/clock.h"
#include "api/json_writer.h"

namespace sml::api::model {

constexpr EpochMillis kMillisPerDay = 86'400'000;

inline nlohmann::json ToAwsTimestamp(EpochMillis millis) {
  if (millis % 1000 == 0) return millis / 1000;
  return static_cast<double>(millis) / 1000.0;
}

// The same text as ToAwsTimestamp's dump. After 1970 the seconds are
// written in decimal with the milliseconds' trailing zeros cut: the shortest
// form that reads back as millis / 1000.0, which is what dump writes (a unit
// test compares them over millions of dates) without its float formatting.
inline void WriteAwsTimestamp(JsonWriter& out, EpochMillis millis) {
  if (millis % 1000 == 0) return out.Int(millis / 1000);
  if (millis < 0) return out.Double(static_cast<double>(millis) / 1000.0);
  char text[32];
  char* end = std::to_chars(text, text + sizeof text, millis / 1000).ptr;
  const auto fraction = static_cast<int>(millis % 1000);
  *end++ = '.';
  *end++ = static_cast<char>('0' + fraction / 100);
  *end++ = static_cast<char>('0' + fraction / 10 % 10);
  *end++ = static_cast<char>('0' + fraction % 10);
  while (end[-1] == '0') --end;
  out.Raw(std::string_view(text, static_cast<std::size_t>(end - text)));
}

// AWS keeps LastAccessedDate at day precision: midnight UTC of that day.
inline EpochMillis StartOfUtcDay(EpochMillis millis) {
  return millis - ((millis % kMillisPerDay) + kMillisPerDay) % kMillisPerDay;
}

}  // namespace sml::api::model
