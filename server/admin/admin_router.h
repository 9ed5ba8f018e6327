#pragma once
// The emulator's own HTTP API under /_local/ (and /moto-api/ for moto
// compatibility). Endpoints are rows of one table (admin/routes.cc):
//   {method, path, handler, open, summary}
// To add an endpoint: write `AdminReply MyEndpoint(const AdminRequest&,
// AdminServices&)` in its own file in server/admin/, declare it in
// admin/endpoints.h, add a row. A path ending in "/*" matches that prefix;
// the remainder arrives as `AdminRequest::path_rest`. Anything a new
// endpoint needs (the scheduler, the handler registry) becomes a member of
// AdminServices.
//
// A handler may throw api::ApiError (answered with its __type and status);
// anything else becomes a 500. With an admin token configured, every route
// not marked `open` needs `X-Sml-Admin-Token: <token>` or
// `Authorization: Bearer <token>` (else 403).
//
// Thread-safe: handlers run concurrently on connection strands.
#include <boost/beast/http/verb.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/clock.h"
#include "api/service.h"
#include "server/http/message.h"

namespace sml::server {

// Facts about this process the admin endpoints report.
struct ServerInfo {
  std::string version;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::string storage;  // the database file, or ":memory:"
  std::string account_id;
  std::string region;
  std::string auth = "off";  // or "sigv4"
};

namespace rotation {
class RotationService;
class Scheduler;
}  // namespace rotation

struct AdminServices {
  api::Services& api;
  api::EmulatorClock* emulator_clock = nullptr;  // the clock /_local/clock moves
  const ServerInfo& info;
  rotation::RotationService* rotations = nullptr;  // handler registry, rotation runs
  rotation::Scheduler* scheduler = nullptr;        // runs what came due after a clock move
  // PUT /_local/rotation-handlers accepts exec handlers (ExecHandlersRegistrableOverHttp).
  bool exec_handlers_over_http = false;
};

struct AdminRequest {
  const HttpRequest& http;
  std::string_view path;       // without the query string
  std::string_view path_rest;  // what a "/*" route's wildcard matched
  std::string_view query;      // after '?', undecoded
};

struct AdminReply {
  boost::beast::http::status status = boost::beast::http::status::ok;
  std::string content_type = "application/json";
  std::string body;
  // Set on the response; string literals (the views must outlive the reply).
  std::vector<std::pair<std::string_view, std::string_view>> headers;

  static AdminReply Json(const nlohmann::json& body,
                         boost::beast::http::status status = boost::beast::http::status::ok);
};

using AdminHandler = AdminReply (*)(const AdminRequest& request, AdminServices& services);

struct AdminRoute {
  boost::beast::http::verb method;
  std::string_view path;  // exact, or a prefix ending in "/*"
  AdminHandler handler;
  bool open;                 // answered without the admin token (health)
  std::string_view summary;  // one line for the endpoint listing at GET /
};

// The table (admin/routes.cc).
std::span<const AdminRoute> AdminRoutes();

// Paths the admin router owns: /_local/..., /moto-api/... and /_localstack/health
bool IsAdminPath(std::string_view path);

class AdminRouter {
 public:
  AdminRouter(AdminServices& services, std::string admin_token,
              std::span<const AdminRoute> routes = AdminRoutes())
      : services_(services), admin_token_(std::move(admin_token)), routes_(routes) {}

  // For a path IsAdminPath accepts: the route's reply, 404 for no such
  // path, 405 (with Allow) for a path without this method. `error_type` is
  // set for error answers.
  HttpResponse Handle(const HttpRequest& request, std::string_view path, std::string_view query,
                      std::string_view& error_type);

  std::span<const AdminRoute> routes() const { return routes_; }

 private:
  bool Authorized(const HttpRequest& request) const;

  AdminServices& services_;
  const std::string admin_token_;
  const std::span<const AdminRoute> routes_;
};

}  // namespace sml::server
