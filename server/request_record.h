#pragma once
// What every answered request leaves behind, wherever it was answered (the
// main listener or the agent's): its x-amzn-RequestId header, one log line
// and its metrics.
#include <chrono>
#include <string>
#include <string_view>

#include "server/http/message.h"
#include "server/protocol.h"

namespace sml::server {

void RecordAnsweredRequest(HttpResponse& response, const HttpRequest& request,
                           std::string_view path, const CallSummary& summary,
                           const std::string& request_id,
                           std::chrono::steady_clock::time_point start);

}  // namespace sml::server
