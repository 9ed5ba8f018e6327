#include "api/clock.h"

#include <chrono>

namespace sml::api {

EpochMillis EmulatorClock::Now() const {
  auto wall = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
  return wall + offset_.load();
}

EpochMillis EmulatorClock::AdvanceTo(EpochMillis target) {
  for (;;) {
    EpochMillis now = Now();
    if (target <= now) return now;
    EpochMillis offset = offset_.load();
    EpochMillis wanted = offset + (target - now);
    if (offset_.compare_exchange_weak(offset, wanted)) return target;
  }
}

}  // namespace sml::api
