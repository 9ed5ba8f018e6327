#include "server/exposure.h"

namespace sml::server {

std::optional<std::string> ExposureWarning(const Config& config,
                                           const boost::asio::ip::tcp::endpoint& bound) {
  if (config.auth != AuthMode::kOff || bound.address().is_loopback()) return std::nullopt;
  const std::string address = bound.address().to_string();
  std::string warning =
      "EXPOSED: listening on " + (bound.address().is_v6() ? "[" + address + "]" : address) + ":" +
      std::to_string(bound.port()) +
      " (not loopback) with --auth off: anyone who can reach this port can read, change and "
      "delete every secret of every account";
  if (config.admin_token.empty()) {
    warning += ", wipe all data (/_local/reset) and move the clock";
    if (config.allow_exec_handlers) {
      warning += ", and run commands as this user (exec rotation handlers, --allow-exec-handlers)";
    }
  }
  warning +=
      ". To close it: --auth sigv4 --credentials FILE and --admin-token TOKEN, or --host "
      "127.0.0.1 (in a container: publish the port on 127.0.0.1 only).";
  return warning;
}

bool ExecHandlersRegistrableOverHttp(const Config& config) {
  // With a token, the route already refuses every request that lacks it.
  return config.allow_exec_handlers || !config.admin_token.empty();
}

}  // namespace sml::server
