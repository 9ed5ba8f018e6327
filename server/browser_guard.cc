#include "server/browser_guard.h"

#include <algorithm>
#include <array>
#include <boost/asio/ip/address_v6.hpp>

#include "api/text.h"
#include "server/responses.h"

namespace sml::server {
namespace {

// The name or address without its port, brackets or trailing dot.
std::string_view HostPart(std::string_view header) {
  if (header.starts_with('[')) {
    const std::size_t close = header.find(']');
    return close == std::string_view::npos ? header : header.substr(1, close - 1);
  }
  // Exactly one ':' separates a port; more than one is a bare IPv6 address.
  if (const std::size_t colon = header.find(':');
      colon != std::string_view::npos && header.find(':', colon + 1) == std::string_view::npos) {
    header = header.substr(0, colon);
  }
  if (header.ends_with('.')) header.remove_suffix(1);
  return header;
}

// "host[:port]" in lower case, without a default port (80, 443).
std::string Authority(std::string_view host_and_port) {
  std::string authority = api::ToLower(host_and_port);
  for (std::string_view default_port : {":80", ":443"}) {
    if (authority.ends_with(default_port)) authority.resize(authority.size() - default_port.size());
  }
  return authority;
}

// a.b.c.d, each 0-255: checked by hand, as every request names its host.
bool IsIpv4(std::string_view host) {
  int parts = 0;
  while (parts < 4) {
    std::size_t digits = 0;
    int value = 0;
    while (digits < host.size() && digits < 3 && host[digits] >= '0' && host[digits] <= '9') {
      value = value * 10 + (host[digits] - '0');
      ++digits;
    }
    if (digits == 0 || value > 255) return false;
    host.remove_prefix(digits);
    if (++parts == 4) break;
    if (!host.starts_with('.')) return false;
    host.remove_prefix(1);
  }
  return host.empty();
}

bool IsAddress(std::string_view host) {
  if (host.find(':') == std::string_view::npos) return IsIpv4(host);
  boost::system::error_code ec;
  boost::asio::ip::make_address_v6(std::string(host), ec);
  return !ec;
}

// `name` is `domain` or a name under it.
bool IsUnder(std::string_view name, std::string_view domain) {
  return name == domain || (name.size() > domain.size() && name.ends_with(domain) &&
                            name[name.size() - domain.size() - 1] == '.');
}

bool IsLocalName(std::string_view name) {
  return name.find('.') == std::string_view::npos || IsUnder(name, "localhost") ||
         IsUnder(name, "local") || IsUnder(name, "internal") ||
         IsUnder(name, "localhost.localstack.cloud");
}

HttpResponse Forbidden(const std::string& message) {
  return ErrorResponse(boost::beast::http::status::forbidden, "AccessDeniedException", message);
}

}  // namespace

BrowserGuard::BrowserGuard(std::vector<std::string> allowed_hosts) {
  for (const std::string& name : allowed_hosts) {
    if (name == "*") {
      off_ = true;
    } else {
      extra_hosts_.push_back(api::ToLower(HostPart(name)));
    }
  }
}

bool BrowserGuard::AllowsHost(std::string_view host_header) const {
  if (off_) return true;
  const std::string_view part = HostPart(host_header);
  // In lower case, without allocating: a DNS name has at most 253 characters.
  std::array<char, 256> buffer;
  if (part.size() > buffer.size()) return false;
  std::transform(part.begin(), part.end(), buffer.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  const std::string_view host(buffer.data(), part.size());
  return host.empty() || IsAddress(host) || IsLocalName(host) ||
         std::find(extra_hosts_.begin(), extra_hosts_.end(), host) != extra_hosts_.end();
}

std::optional<HttpResponse> BrowserGuard::Refusal(const HttpRequest& request) const {
  if (off_) return std::nullopt;
  // One walk over the few fields. A request without Host (HTTP/1.0) comes
  // from no browser.
  std::optional<std::string_view> host;
  std::optional<std::string_view> origin;
  for (const auto& field : request) {
    if (field.name() == boost::beast::http::field::host && !host) host = ToStd(field.value());
    if (field.name() == boost::beast::http::field::origin && !origin) origin = ToStd(field.value());
  }
  const std::string_view host_header = host.value_or("");
  if (!AllowsHost(host_header)) {
    const std::string name(HostPart(host_header));
    return Forbidden("This server does not answer requests for host '" + name +
                     "' (a protection against DNS rebinding). To allow it, start the server "
                     "with --allowed-hosts " +
                     name + ".");
  }
  if (origin) {
    const std::size_t scheme_end = origin->find("://");
    const std::string_view authority =
        scheme_end == std::string_view::npos ? "" : origin->substr(scheme_end + 3);
    if (authority.empty() || Authority(authority) != Authority(host_header)) {
      return Forbidden(
          "This server does not answer requests that web pages of another origin "
          "make (Origin: " +
          std::string(*origin) + ").");
    }
  }
  return std::nullopt;
}

}  // namespace sml::server
