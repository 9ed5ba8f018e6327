#pragma once
// Which names a request may give in its Host header: the defence against DNS
// rebinding, where a web page's own name is re-pointed at 127.0.0.1 so that a
// browser treats this server as that page's origin and lets it read secrets
// (or reset them). Such a name is a public DNS name; local ones are allowed:
//   IP addresses, localhost and *.localhost, names without a dot (container
//   and compose service names), *.local and *.internal (Kubernetes services,
//   host.docker.internal), localhost.localstack.cloud (LocalStack's name for
//   127.0.0.1), and whatever --allowed-hosts adds ("*": any).
// A request without a Host header (HTTP/1.0) is allowed: browsers send one.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/http/message.h"

namespace sml::server {

class AllowedHosts {
 public:
  // `extra`: more host names (any case, no port), or "*" to allow every name.
  explicit AllowedHosts(std::vector<std::string> extra = {});

  bool Allows(const HttpRequest& request) const;
  // `host_header`: the Host field's value (a name or address, with or without a port).
  bool Allows(std::string_view host_header) const;

  // The 403 answer for a refused request, naming the flag that allows it.
  static HttpResponse Refusal(const HttpRequest& request);

 private:
  std::vector<std::string> extra_;  // lower case
  bool any_ = false;
};

}  // namespace sml::server
