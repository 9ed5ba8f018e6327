#include "server/admin/clock_setting.h"

#include <string>

namespace sml::server::admin {

void RestoreClockOffset(api::EmulatorClock& clock, storage::Store& store) {
  auto stored = store.Read([](storage::Repository& repo) { return repo.GetSetting(kClockOffsetSetting); });
  if (!stored) return;
  try {
    auto offset = std::stoll(*stored);
    if (offset > 0) clock.AdvanceBy(offset);
  } catch (const std::exception&) {
    // A damaged setting only loses the time travel; the wall clock still works.
  }
}

}  // namespace sml::server::admin
