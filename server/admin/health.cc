#include "server/admin/endpoints.h"

namespace sml::server::admin {

AdminReply Health(const AdminRequest&, AdminServices& services) {
  const auto uptime = std::chrono::steady_clock::now() - services.info.started;
  const std::int64_t secrets = services.api.store.Read(
      [](storage::Repository& repository) { return repository.CountSecretsByRegion().total; });
  return AdminReply::Json({
      {"status", "ok"},
      {"version", services.info.version},
      {"uptimeSeconds", std::chrono::duration_cast<std::chrono::seconds>(uptime).count()},
      {"secrets", secrets},
      {"storage", services.info.storage},
      {"defaultAccountId", services.info.account_id},
      {"defaultRegion", services.info.region},
  });
}

}  // namespace sml::server::admin
