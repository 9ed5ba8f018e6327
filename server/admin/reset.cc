#include "server/admin/endpoints.h"
#include "server/log.h"

namespace sml::server::admin {

AdminReply Reset(const AdminRequest&, AdminServices& services) {
  services.api.store.Write([](storage::Repository& repository) { repository.Reset(); });
  Log("info", "state reset");
  return AdminReply::Json({{"status", "ok"}, {"reset", true}});
}

}  // namespace sml::server::admin
