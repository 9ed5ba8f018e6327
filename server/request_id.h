#pragma once
// x-amzn-RequestId values: random version 4 UUIDs. A per-thread generator
// seeded once from the OS keeps this off the OpenSSL RNG's lock on the hot
// path; request ids need to be unique, not secret.
#include <string>

namespace sml::server {

std::string NewRequestId();

}  // namespace sml::server
