// The admin endpoint table. One row per method + path; see admin_router.h.
#include <array>

#include "server/admin/endpoints.h"

namespace sml::server {
namespace {

using boost::beast::http::verb;

constexpr std::array kRoutes = {
    AdminRoute{verb::get, "/_local/health", &admin::Health, true,
               "status, version, uptime, number of secrets"},
    AdminRoute{verb::post, "/_local/reset", &admin::Reset, false,
               "delete every secret of every account and region"},
    AdminRoute{verb::post, "/moto-api/reset", &admin::Reset, false,
               "the same, where moto's server mode has it"},
};

}  // namespace

std::span<const AdminRoute> AdminRoutes() { return kRoutes; }

}  // namespace sml::server
