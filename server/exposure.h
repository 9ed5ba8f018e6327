#pragma once
// What a server reachable from other machines gives away, said loudly at
// start: with --auth off, whoever reaches the port is trusted as whoever
// they claim to be.
#include <boost/asio/ip/tcp.hpp>
#include <optional>
#include <string>

#include "server/config.h"

namespace sml::server {

// The warning for a server bound to `bound` under `config`, or nullopt when
// it listens on loopback only or verifies signatures.
std::optional<std::string> ExposureWarning(const Config& config,
                                           const boost::asio::ip::tcp::endpoint& bound);

// Whether PUT /_local/rotation-handlers may register an exec handler (a
// command this process runs): only for whoever holds the admin token, or
// when the operator opted in with --allow-exec-handlers.
bool ExecHandlersRegistrableOverHttp(const Config& config);

}  // namespace sml::server
