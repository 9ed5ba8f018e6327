#include "server/admin/admin_router.h"

#include <openssl/crypto.h>

#include "api/error.h"
#include "server/log.h"
#include "server/responses.h"

namespace sml::server {
namespace {

namespace http = boost::beast::http;

// The part of `path` a route matches, or nullopt: exact, or "prefix/*".
std::optional<std::string_view> Match(std::string_view pattern, std::string_view path) {
  if (pattern.ends_with("/*")) {
    std::string_view prefix = pattern.substr(0, pattern.size() - 1);  // keeps the '/'
    if (path.starts_with(prefix) && path.size() > prefix.size()) {
      return path.substr(prefix.size());
    }
    return std::nullopt;
  }
  if (pattern == path) return std::string_view();
  return std::nullopt;
}

bool SameToken(std::string_view given, std::string_view expected) {
  return given.size() == expected.size() &&
         CRYPTO_memcmp(given.data(), expected.data(), given.size()) == 0;
}

}  // namespace

AdminReply AdminReply::Json(const nlohmann::json& body, http::status status) {
  return AdminReply{status, "application/json",
                    body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

bool IsAdminPath(std::string_view path) {
  return path.starts_with("/_local/") || path == "/_local" || path.starts_with("/moto-api/") ||
         path == "/_localstack/health";
}

bool AdminRouter::Authorized(const HttpRequest& request) const {
  if (admin_token_.empty()) return true;
  if (auto it = request.find("X-Sml-Admin-Token"); it != request.end()) {
    return SameToken(ToStd(it->value()), admin_token_);
  }
  std::string_view authorization = ToStd(request[http::field::authorization]);
  constexpr std::string_view kBearer = "Bearer ";
  return authorization.starts_with(kBearer) &&
         SameToken(authorization.substr(kBearer.size()), admin_token_);
}

HttpResponse AdminRouter::Handle(const HttpRequest& request, std::string_view path,
                                 std::string_view query, std::string_view& error_type) {
  const AdminRoute* route = nullptr;
  std::string_view rest;
  std::string allowed;
  for (const AdminRoute& candidate : routes_) {
    auto matched = Match(candidate.path, path);
    if (!matched) continue;
    if (candidate.method == request.method()) {
      route = &candidate;
      rest = *matched;
      break;
    }
    if (!allowed.empty()) allowed += ", ";
    allowed += ToStd(http::to_string(candidate.method));
  }

  if (route == nullptr) {
    error_type = "UnknownOperationException";
    if (allowed.empty()) {
      return ErrorResponse(http::status::not_found, error_type,
                           "No admin endpoint " + std::string(path) + ".", kJsonContentType);
    }
    HttpResponse response = ErrorResponse(
        http::status::method_not_allowed, error_type,
        std::string(path) + " does not answer " + std::string(ToStd(request.method_string())) + ".",
        kJsonContentType);
    response.set(http::field::allow, allowed);
    return response;
  }
  if (!route->open && !Authorized(request)) {
    error_type = "AccessDeniedException";
    return ErrorResponse(http::status::forbidden, error_type,
                         "This endpoint needs the admin token (X-Sml-Admin-Token).",
                         kJsonContentType);
  }

  try {
    AdminRequest admin_request{request, path, rest, query};
    AdminReply reply = route->handler(admin_request, services_);
    HttpResponse response = BodyResponse(reply.status, reply.content_type, std::move(reply.body));
    for (const auto& [name, value] : reply.headers) response.set(ToBeast(name), ToBeast(value));
    return response;
  } catch (const api::ApiError& error) {
    error_type = api::ErrorTypeName(error.code());
    return ErrorResponse(static_cast<http::status>(api::ErrorHttpStatus(error.code())), error_type,
                         error.what(), kJsonContentType);
  } catch (const std::exception& error) {
    Log("error", "admin endpoint failed", {{"path", std::string(path)}, {"error", error.what()}});
  }
  error_type = "InternalServiceError";
  return ErrorResponse(http::status::internal_server_error, error_type,
                       "An error occurred on the server side.", kJsonContentType);
}

}  // namespace sml::server
