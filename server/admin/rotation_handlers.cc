// /_local/rotation-handlers: register, list and remove rotation handlers.
#include "api/error.h"
#include "api/text.h"
#include "server/admin/endpoints.h"
#include "server/rotation/rotation_service.h"

namespace sml::server::admin {
namespace {

namespace http = boost::beast::http;

rotation::RotationService& Rotations(AdminServices& services) {
  if (!services.rotations) {
    throw api::ApiError(api::ErrorCode::kInternalServiceError, "rotation is not running");
  }
  return *services.rotations;
}

std::string RequireName(const AdminRequest& request) {
  // Handler names are Lambda ARNs or function names; clients may percent-encode them.
  auto name = api::PercentDecode(request.path_rest);
  if (name.empty() || name.size() > 2048) {
    throw api::ApiError(api::ErrorCode::kValidation,
                        "Name the handler in the path: /_local/rotation-handlers/{name}.");
  }
  return name;
}

// An exec handler is a command this process will run: code execution for
// whoever may register one.
constexpr std::string_view kExecRefused =
    "Registering an exec rotation handler over HTTP is off: it runs a command on this machine. "
    "Start the server with --admin-token TOKEN and send the token (X-Sml-Admin-Token), or start "
    "it with --allow-exec-handlers (SML_ALLOW_EXEC_HANDLERS=1), or list the handler in "
    "--handlers FILE.";

AdminReply NotFound(const std::string& name) {
  return AdminReply::Json({{"__type", "ResourceNotFoundException"},
                           {"Message", "No rotation handler is registered as " + name + "."}},
                          http::status::not_found);
}

}  // namespace

AdminReply ListRotationHandlers(const AdminRequest&, AdminServices& services) {
  auto handlers = nlohmann::json::object();
  for (const auto& [name, config] : Rotations(services).Handlers()) {
    handlers[name] = rotation::HandlerConfigToJson(config);
  }
  return AdminReply::Json({{"handlers", handlers}});
}

AdminReply GetRotationHandler(const AdminRequest& request, AdminServices& services) {
  auto name = RequireName(request);
  auto handlers = Rotations(services).Handlers();
  auto it = handlers.find(name);
  if (it == handlers.end()) return NotFound(name);
  return AdminReply::Json({{"name", name}, {"handler", rotation::HandlerConfigToJson(it->second)}});
}

AdminReply PutRotationHandler(const AdminRequest& request, AdminServices& services) {
  auto name = RequireName(request);
  auto body = nlohmann::json::parse(request.http.body(), nullptr, false);
  if (body.is_discarded()) {
    throw api::ApiError(api::ErrorCode::kSerialization, "The handler document is not valid JSON.");
  }
  rotation::HandlerConfig config;
  try {
    config = rotation::ParseHandlerConfig(body);
  } catch (const std::invalid_argument& e) {
    throw api::ApiError(api::ErrorCode::kValidation, e.what());
  }
  if (config.type == rotation::HandlerType::kExec && !services.exec_handlers_over_http) {
    return AdminReply::Json({{"__type", "AccessDeniedException"}, {"Message", kExecRefused}},
                            http::status::forbidden);
  }
  Rotations(services).RegisterHandler(name, config);
  return AdminReply::Json({{"name", name}, {"handler", rotation::HandlerConfigToJson(config)}});
}

AdminReply DeleteRotationHandler(const AdminRequest& request, AdminServices& services) {
  auto name = RequireName(request);
  if (!Rotations(services).RemoveHandler(name)) return NotFound(name);
  return AdminReply::Json({{"deleted", name}});
}

}  // namespace sml::server::admin
