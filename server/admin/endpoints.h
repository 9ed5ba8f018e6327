#pragma once
// The admin endpoints; each is a row in admin/routes.cc.
#include "server/admin/admin_router.h"

namespace sml::server::admin {

// GET /_local/health: {"status":"ok","version","uptimeSeconds","secrets",...,
// "clockOffsetMillis"} (how far /_local/clock moved the clock ahead).
AdminReply Health(const AdminRequest& request, AdminServices& services);
// LocalStack's shape, for the wait scripts written for it: they poll
// /_localstack/health until its text holds "secretsmanager": "running".
AdminReply LocalStackHealth(const AdminRequest& request, AdminServices& services);
// POST /_local/reset, POST /moto-api/reset: drops every secret of every
// account and region and sets the clock back to the wall clock.
AdminReply Reset(const AdminRequest& request, AdminServices& services);

// GET /_local/clock: the emulator's now. POST {"advance":"30d"} or
// {"set":"2027-01-01T00:00:00Z"}: moves it forward (never back), stopping at
// every rotation or purge due on the way to run it at its own moment, in due
// order, before answering.
AdminReply GetClock(const AdminRequest& request, AdminServices& services);
AdminReply MoveClock(const AdminRequest& request, AdminServices& services);

// /_local/rotation-handlers[/{name}]: GET all or one, PUT one (the handler
// document as body), DELETE one.
AdminReply ListRotationHandlers(const AdminRequest& request, AdminServices& services);
AdminReply GetRotationHandler(const AdminRequest& request, AdminServices& services);
AdminReply PutRotationHandler(const AdminRequest& request, AdminServices& services);
AdminReply DeleteRotationHandler(const AdminRequest& request, AdminServices& services);

// GET /_local/metrics: Prometheus text exposition (server/metrics/metrics.h).
AdminReply Metrics(const AdminRequest& request, AdminServices& services);

// GET /_local/rotations[?secretId=&limit=]: rotation attempts, newest first.
AdminReply ListRotations(const AdminRequest& request, AdminServices& services);

// GET /_local/regions: {"regions":[{"accountId","region"}]}, the pairs that
// hold secrets (marked for deletion included), sorted.
AdminReply ListAccountRegions(const AdminRequest& request, AdminServices& services);

// GET /_local/dashboard/{file}: the web dashboard's files (index.html,
// dashboard.js, dashboard.css) with a strict Content-Security-Policy.
AdminReply DashboardFile(const AdminRequest& request, AdminServices& services);
inline constexpr std::string_view kDashboardPage = "/_local/dashboard/index.html";
// Whether a GET / comes from a browser (its Accept names text/html), which
// is shown the dashboard rather than the JSON index.
bool WantsDashboard(const HttpRequest& request);

}  // namespace sml::server::admin
