#pragma once
// The AWS Secrets Manager Agent's (and the Parameters and Secrets Lambda
// extension's) protocol, so apps written for them run unchanged:
//   GET /secretsmanager/get?secretId=<id>[&versionId=][&versionStage=][&refreshNow=]
//   GET /v1/<id>[?versionId=][&versionStage=][&refreshNow=]  (the agent's path
//       style: <id> as it stands in the path, not decoded, as the agent)
//   X-Aws-Parameters-Secrets-Token or X-Vault-Token: <any non-empty value>
// answers what GetSecretValue answers as the default account and region, in
// the agent's shapes: CreatedDate as a string of seconds, an AWS error as
// {"__type":"<code>","message":"<text>"} with the API's status. Refusals are
// the agent's own, checked before the path (on --agent-port for any path; the
// first two not for /ping and /start_serving):
//   X-Forwarded-For present             400 "Forwarded"
//   token header missing or empty       403 "Bad Token"
//   a method other than GET             405 "Not allowed"
//   no secretId / an unknown parameter  400 "missing parameter secretId"
//                                           ("missing secret ID" for /v1/) /
//                                           "unknown parameter: <name>"
// GET /ping answers "healthy". With --auth sigv4 no token is accepted: the
// endpoint carries no credentials, so it would bypass the signature check.
//
// AgentListener serves this alone on a second listener (AgentServer, --agent-port).
// Thread-safe.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "server/browser_guard.h"
#include "server/http/message.h"
#include "server/http/server.h"
#include "server/protocol.h"

namespace sml::server {

class AgentEndpoint {
 public:
  static constexpr std::string_view kPath = "/secretsmanager/get";
  static constexpr std::string_view kPathPrefix = "/v1/";  // the agent's default path_prefix
  // The agent's default ssrf_headers; any one with a non-empty value will do.
  static constexpr std::string_view kTokenHeaders[] = {"X-Aws-Parameters-Secrets-Token",
                                                       "X-Vault-Token"};

  explicit AgentEndpoint(ApiProtocol& api) : api_(api) {}

  static bool Serves(std::string_view path) {
    return path == kPath || path.starts_with(kPathPrefix);
  }
  // The agent's checks, in its order, before it looks at the path: forwarding
  // and the token (not for /ping and /start_serving), then the method.
  std::optional<HttpResponse> Refusal(const HttpRequest& request, std::string_view path,
                                      CallSummary& summary) const;
  // For a request whose `path` it Serves; `query` is after '?', undecoded.
  // Handle refuses as Refusal; Answer is for a request that passed it.
  HttpResponse Handle(const HttpRequest& request, std::string_view path, std::string_view query,
                      const std::string& request_id, CallSummary& summary);
  HttpResponse Answer(std::string_view path, std::string_view query, const std::string& request_id,
                      CallSummary& summary);

 private:
  ApiProtocol& api_;
};

// The handler of the --agent-port listener: the agent's refusals for any
// path, then what AgentEndpoint Serves and /ping, 404 "Not found" for anything
// else, as the agent; request ids and log lines as the Router's; a request
// `guard` refuses gets 403 "Forbidden".
class AgentListener final : public RequestHandler {
 public:
  AgentListener(ApiProtocol& api, BrowserGuard guard) : endpoint_(api), guard_(std::move(guard)) {}

  HttpResponse HandleRequest(const HttpRequest& request) override;
  HttpResponse RefuseRequest(boost::beast::http::status status, std::string_view reason) override;

 private:
  AgentEndpoint endpoint_;
  const BrowserGuard guard_;
};

// --agent-port: AgentListener on 127.0.0.1:`port` (0: any free port), served
// on a thread of its own from construction; the destructor shuts it down
// (as the main server does) and joins.
class AgentServer {
 public:
  AgentServer(ApiProtocol& api, std::uint16_t port, BrowserGuard guard);
  ~AgentServer();
  AgentServer(const AgentServer&) = delete;
  AgentServer& operator=(const AgentServer&) = delete;

  std::uint16_t port() const { return server_.local_endpoint().port(); }

 private:
  static HttpServerOptions Options(std::uint16_t port);

  AgentListener listener_;
  HttpServer server_;
  std::thread thread_;
};

}  // namespace sml::server
