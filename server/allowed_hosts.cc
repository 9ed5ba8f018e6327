#include "server/allowed_hosts.h"

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <cctype>

#include "server/responses.h"

namespace sml::server {
namespace {

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

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

bool IsAddress(std::string_view host) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(std::string(host), ec);
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
         // LocalStack's public name for 127.0.0.1, which its users' endpoints name.
         IsUnder(name, "localhost.localstack.cloud");
}

}  // namespace

AllowedHosts::AllowedHosts(std::vector<std::string> extra) {
  for (const std::string& name : extra) {
    if (name == "*") any_ = true;
    extra_.push_back(Lower(HostPart(name)));
  }
}

bool AllowedHosts::Allows(const HttpRequest& request) const {
  if (any_) return true;
  const auto host = FindField(request, "Host");
  return !host || Allows(*host);
}

bool AllowedHosts::Allows(std::string_view host_header) const {
  if (any_) return true;
  const std::string host = Lower(HostPart(host_header));
  return host.empty() || IsLocalName(host) || IsAddress(host) ||
         std::find(extra_.begin(), extra_.end(), host) != extra_.end();
}

HttpResponse AllowedHosts::Refusal(const HttpRequest& request) {
  const std::string host(HostPart(FindField(request, "Host").value_or("")));
  return ErrorResponse(boost::beast::http::status::forbidden, "AccessDeniedException",
                       "This server does not answer requests for host '" + host +
                           "' (a protection against DNS rebinding). To allow it, start the "
                           "server with --allowed-hosts " +
                           host + ".");
}

}  // namespace sml::server
