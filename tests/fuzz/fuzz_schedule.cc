// Rotation schedules as RotateSecret receives them: cron() fields, rate(),
// Duration. Input: ScheduleExpression, then "\n" Duration.
#include <cstdint>
#include <string>
#include <string_view>

#include "api/error.h"
#include "api/rotation/cron.h"
#include "api/rotation/duration.h"
#include "api/rotation/schedule.h"

using namespace sml::api;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto newline = text.find('\n');
  std::string expression(text.substr(0, newline));
  std::string duration(newline == std::string_view::npos ? "" : text.substr(newline + 1));

  rotation::ParseDurationMillis(duration);
  try {
    auto cron = rotation::CronExpression::Parse(expression);
    // A parsed expression always fires again (cron.h).
    if (!cron.NextAtOrAfter(1'795'000'000'000)) __builtin_trap();
  } catch (const ApiError&) {
  }
  try {
    rotation::RotationRules rules;
    rules.schedule_expression = expression;
    if (!duration.empty()) rules.duration = duration;
    auto schedule = rotation::ParseRotationRules(rules);
    auto window = schedule.WindowAfter(1'795'000'000'000);
    if (window.end < window.start) __builtin_trap();
  } catch (const ApiError&) {
  }
  return 0;
}
