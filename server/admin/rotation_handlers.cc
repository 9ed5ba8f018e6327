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
  Rotations(services).RegisterHandler(name, config);
  return AdminReply::Json({{"name", name}, {"handler", rotation::HandlerConfigToJson(config)}});
}

AdminReply DeleteRotationHandler(const AdminRequest& request, AdminServices& services) {
  auto name = RequireName(request);
  if (!Rotations(services).RemoveHandler(name)) return NotFound(name);
  return AdminReply::Json({{"deleted", name}});
}

}  // namespace sml::server::admin
