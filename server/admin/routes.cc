// The admin endpoint table. One row per method + path; see admin_router.h.
#include <array>

#include "server/admin/endpoints.h"

namespace sml::server {
namespace {

using boost::beast::http::verb;

constexpr std::array kRoutes = {
    AdminRoute{verb::get, "/_local/health", &admin::Health, true,
               "status, version, uptime, number of secrets"},
    AdminRoute{verb::get, "/_localstack/health", &admin::LocalStackHealth, true,
               "{\"services\": {\"secretsmanager\": \"running\"}, ...}, as LocalStack's wait "
               "scripts expect it"},
    AdminRoute{verb::post, "/_local/reset", &admin::Reset, false,
               "delete every secret of every account and region"},
    AdminRoute{verb::post, "/moto-api/reset", &admin::Reset, false,
               "the same, where moto's server mode has it"},
    AdminRoute{verb::get, "/_local/clock", &admin::GetClock, false, "the emulator's now"},
    AdminRoute{verb::post, "/_local/clock", &admin::MoveClock, false,
               "move the clock forward ({\"advance\":\"30d\"} or {\"set\":\"<ISO time>\"}) and run "
               "what came due"},
    AdminRoute{verb::get, "/_local/rotation-handlers", &admin::ListRotationHandlers, false,
               "registered rotation handlers"},
    AdminRoute{verb::get, "/_local/rotation-handlers/*", &admin::GetRotationHandler, false,
               "one rotation handler"},
    AdminRoute{verb::put, "/_local/rotation-handlers/*", &admin::PutRotationHandler, false,
               "register a rotation handler under a Lambda ARN or function name"},
    AdminRoute{verb::delete_, "/_local/rotation-handlers/*", &admin::DeleteRotationHandler, false,
               "remove a rotation handler"},
    AdminRoute{verb::get, "/_local/rotations", &admin::ListRotations, false,
               "rotation attempts with their steps (?secretId=, ?limit=)"},
    AdminRoute{verb::get, "/_local/regions", &admin::ListAccountRegions, false,
               "the account and region pairs that hold secrets"},
    AdminRoute{verb::get, "/_local/dashboard/*", &admin::DashboardFile, true,
               "the web dashboard's files (a browser's GET / shows the dashboard)"},
    AdminRoute{verb::get, "/_local/metrics", &admin::Metrics, false,
               "Prometheus metrics (text format 0.0.4)"},
};

}  // namespace

std::span<const AdminRoute> AdminRoutes() { return kRoutes; }

}  // namespace sml::server
