#include "server/metrics/metrics.h"

#include "server/admin/endpoints.h"

namespace sml::server::admin {

AdminReply Metrics(const AdminRequest&, AdminServices& services) {
  // Running counts kept by storage: one row per account and region, no scan.
  auto counts = services.api.store.Read(
      [](storage::Repository& repo) { return repo.CountSecretsByRegion().regions; });
  return AdminReply{
      boost::beast::http::status::ok, "text/plain; version=0.0.4",
      metrics::ProcessMetrics().Render(counts, services.api.store.PendingAccessDates())};
}

}  // namespace sml::server::admin
