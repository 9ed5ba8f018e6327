#include "server/request_record.h"

#include "server/log.h"
#include "server/metrics/metrics.h"

namespace sml::server {

void RecordAnsweredRequest(HttpResponse& response, const HttpRequest& request,
                           std::string_view path, const CallSummary& summary,
                           const std::string& request_id,
                           std::chrono::steady_clock::time_point start) {
  response.set("x-amzn-RequestId", request_id);
  const auto latency = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start);
  LogRequest({.method = ToStd(request.method_string()),
              .path = path,
              .operation = summary.operation,
              .status = static_cast<int>(response.result_int()),
              .latency_us = latency.count(),
              .request_id = request_id,
              .error_type = summary.error_type});
  metrics::ProcessMetrics().RecordRequest(summary.operation, response.result_int(), latency);
}

}  // namespace sml::server
