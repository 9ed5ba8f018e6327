#pragma once
// What a web page open in the user's browser must not do to this server,
// which answers anyone on the machine:
//  - reach it under the page's own name: with DNS rebinding, that name is
//    re-pointed at 127.0.0.1 and the browser treats this server as the page's
//    origin, free to read every secret. So the Host header must be an IP
//    address or a local name: localhost and *.localhost, a name without a
//    dot (container and compose service names), *.local and *.internal
//    (Kubernetes services, host.docker.internal), localhost.localstack.cloud
//    (LocalStack's name for 127.0.0.1), or one --allowed-hosts adds.
//  - send it a request from another origin: a form or no-cors fetch POST
//    needs no preflight, so without this any page could reset every secret
//    or move the clock. A request with an Origin header other than the
//    server's own (the dashboard's) is refused.
// SDKs and CLIs send no Origin; one that reaches the server by a public
// name needs that name in --allowed-hosts. --allowed-hosts * turns both
// checks off.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/http/message.h"

namespace sml::server {

class BrowserGuard {
 public:
  // `allowed_hosts`: more host names (any case, no port), or "*" for any.
  explicit BrowserGuard(std::vector<std::string> allowed_hosts = {});

  // The 403 answer (AccessDeniedException, saying why and what allows it)
  // for a request a browser page must not make; nullopt for any other.
  std::optional<HttpResponse> Refusal(const HttpRequest& request) const;

  // `host_header`: the Host field's value (with or without a port).
  bool AllowsHost(std::string_view host_header) const;

 private:
  std::vector<std::string> extra_hosts_;  // lower case
  bool off_ = false;
};

}  // namespace sml::server
