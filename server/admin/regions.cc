// GET /_local/regions: where secrets are, so a client (the dashboard) can
// offer every account and region that holds one.
#include "server/admin/endpoints.h"

namespace sml::server::admin {

AdminReply ListAccountRegions(const AdminRequest&, AdminServices& services) {
  auto counts = services.api.store.Read(
      [](storage::Repository& repository) { return repository.CountSecretsByRegion(); });
  auto regions = nlohmann::json::array();
  for (const auto& count : counts.regions) {
    regions.push_back(
        {{"accountId", count.account_id}, {"region", count.region}, {"secrets", count.secrets}});
  }
  return AdminReply::Json({{"regions", std::move(regions)}});
}

}  // namespace sml::server::admin
