#include "server/admin/clock_setting.h"

#include <string>

#include "server/admin/iso_time.h"
#include "server/log.h"

namespace sml::server::admin {

void RestoreClockOffset(api::EmulatorClock& clock, storage::Store& store) {
  auto stored = store.Read([](storage::Repository& repo) { return repo.GetSetting(kClockOffsetSetting); });
  if (stored) {
    try {
      auto offset = std::stoll(*stored);
      if (offset > 0) clock.AdvanceBy(offset);
    } catch (const std::exception&) {
      // A damaged setting only loses the time travel; the wall clock still works.
    }
  }
  Log("info", "emulator clock",
      {{"now", FormatIsoUtc(clock.Now())}, {"offset_millis", std::to_string(clock.offset())}});
}

void SaveClockOffset(const api::EmulatorClock& clock, storage::Store& store) {
  store.Write([&](storage::Repository& repo) {
    repo.PutSetting(kClockOffsetSetting, std::to_string(clock.offset()));
  });
}

}  // namespace sml::server::admin
