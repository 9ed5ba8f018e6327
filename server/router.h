#pragma once
// The server's RequestHandler: gives every response its x-amzn-RequestId,
// sends each request to the place that answers it, and writes the one log
// line per request (method, path, operation, status, latency, request id).
//   POST /              -> ApiProtocol (the Secrets Manager API)
//   GET  /              -> the web dashboard for a browser (Accept: text/html),
//                          else a JSON index of the admin endpoints
//   GET  /secretsmanager/get, /v1/<id> -> AgentEndpoint (the Secrets Manager Agent's protocol)
//   /_local/*, /moto-api/* -> AdminRouter
//   anything else       -> 404 (405 for "/" with another method), JSON error
// A request a web page must not make (server/browser_guard.h) gets 403 first.
//
// Thread-safe; called on connection strands.
#include "server/admin/admin_router.h"
#include "server/agent/agent_endpoint.h"
#include "server/browser_guard.h"
#include "server/http/message.h"
#include "server/protocol.h"

namespace sml::server {

class Router final : public RequestHandler {
 public:
  Router(ApiProtocol& api, AdminRouter& admin, std::string version,
         BrowserGuard guard = BrowserGuard())
      : api_(api),
        admin_(admin),
        agent_(api),
        version_(std::move(version)),
        guard_(std::move(guard)) {}

  HttpResponse HandleRequest(const HttpRequest& request) override;
  HttpResponse RefuseRequest(boost::beast::http::status status, std::string_view reason) override;
  // API calls other than the reads (which the read cache answers at once).
  bool MayBlock(const HttpRequest& request) const override;

 private:
  HttpResponse Index() const;

  ApiProtocol& api_;
  AdminRouter& admin_;
  AgentEndpoint agent_;
  const std::string version_;
  const BrowserGuard guard_;
};

}  // namespace sml::server
