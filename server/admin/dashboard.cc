// GET /_local/dashboard/{file}: the web dashboard's embedded files; a browser's
// GET / is answered with index.html (router.cc).
#include "server/admin/endpoints.h"
#include "server/dashboard/embedded_files.h"

namespace sml::server::admin {
namespace {

namespace http = boost::beast::http;

// The page runs only its own script and style and talks only to this server:
// no inline script, no other origin, no framing, no form posted anywhere.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

std::string_view ContentType(std::string_view name) {
  if (name.ends_with(".html")) return "text/html; charset=utf-8";
  if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace

bool WantsDashboard(const HttpRequest& request) {
  return ToStd(request[http::field::accept]).find("text/html") != std::string_view::npos;
}

AdminReply DashboardFile(const AdminRequest& request, AdminServices&) {
  for (const dashboard::EmbeddedFile& file : dashboard::EmbeddedFiles()) {
    if (file.name != request.path_rest) continue;
    AdminReply reply{.content_type = std::string(ContentType(file.name)),
                     .body = std::string(file.content)};
    reply.headers = {{"Content-Security-Policy", kContentSecurityPolicy},
                     {"X-Content-Type-Options", "nosniff"},
                     {"Referrer-Policy", "no-referrer"},
                     // A new build's files are used at once.
                     {"Cache-Control", "no-cache"}};
    return reply;
  }
  constexpr std::string_view kNotFound = "ResourceNotFoundException";
  AdminReply reply = AdminReply::Json(
      {{"__type", kNotFound},
       {"Message", "The dashboard has no file " + std::string(request.path_rest) + "."}},
      http::status::not_found);
  reply.headers = {{"x-amzn-ErrorType", kNotFound}};
  return reply;
}

}  // namespace sml::server::admin
