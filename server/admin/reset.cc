#include "server/admin/clock_setting.h"
#include "server/admin/endpoints.h"
#include "server/log.h"

namespace sml::server::admin {

AdminReply Reset(const AdminRequest&, AdminServices& services) {
  services.api.store.Write([](storage::Repository& repository) { repository.Reset(); });
  // A fresh start is also a fresh clock: schedules begin again at wall time.
  if (services.emulator_clock) {
    services.emulator_clock->ResetOffset();
    SaveClockOffset(*services.emulator_clock, services.api.store);
  }
  Log("info", "state reset");
  return AdminReply::Json({{"status", "ok"}, {"reset", true}});
}

}  // namespace sml::server::admin
