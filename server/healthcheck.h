#pragma once
// `secretsmanager-local healthcheck`: a container probe without curl. Asks
// the server at --host/--port (SML_HOST/SML_PORT) for /_local/health.
#include <chrono>
#include <cstdint>
#include <string>

#include "server/config.h"

namespace sml::server {

struct HealthcheckResult {
  bool healthy = false;
  std::string line;  // one line: what answered, or why it is not healthy
};

// GET http://host:port/_local/health; healthy when it answers 200 with
// {"status":"ok"} within `timeout`. A wildcard host (0.0.0.0, ::) is probed
// on loopback, where a server bound to it also listens.
HealthcheckResult CheckHealth(const std::string& host, std::uint16_t port,
                              std::chrono::milliseconds timeout);

// Runs the probe for `config`, prints its line; returns the exit status.
int RunHealthcheck(const Config& config);

}  // namespace sml::server
