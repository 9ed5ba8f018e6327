// GET /_local/regions: where secrets are, so a client (the dashboard) can
// offer every account and region that holds one.
#include "server/admin/endpoints.h"

namespace sml::server::admin {
namespace {

constexpr int kMaxPairs = 1000;

}  // namespace

AdminReply ListAccountRegions(const AdminRequest&, AdminServices& services) {
  auto pairs = services.api.store.Read(
      [](storage::Repository& repository) { return repository.AccountRegions(kMaxPairs); });
  auto regions = nlohmann::json::array();
  for (const auto& [account_id, region] : pairs) {
    regions.push_back({{"accountId", account_id}, {"region", region}});
  }
  return AdminReply::Json({{"regions", std::move(regions)}});
}

}  // namespace sml::server::admin
