#include "server/router.h"

#include <chrono>
#include <nlohmann/json.hpp>
#include <string_view>

#include "server/admin/endpoints.h"
#include "server/log.h"
#include "server/request_id.h"
#include "server/request_record.h"
#include "server/responses.h"

namespace sml::server {
namespace {

namespace http = boost::beast::http;

}  // namespace

bool Router::MayBlock(const HttpRequest& request) const {
  if (request.method() != http::verb::post || ToStd(request.target()) != "/") return false;
  const auto target = FindField(request, "X-Amz-Target");
  constexpr std::string_view kPrefix = "secretsmanager.";
  return target && target->starts_with(kPrefix) &&
         api::OperationMayWrite(target->substr(kPrefix.size()));
}

HttpResponse Router::HandleRequest(const HttpRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  const std::string request_id = NewRequestId();

  std::string_view target = ToStd(request.target());
  std::string_view path = target;
  std::string_view query;
  if (auto mark = target.find('?'); mark != std::string_view::npos) {
    path = target.substr(0, mark);
    query = target.substr(mark + 1);
  }

  CallSummary summary;
  HttpResponse response;
  if (auto refusal = guard_.Refusal(request)) {
    summary.error_type = "AccessDeniedException";
    response = std::move(*refusal);
  } else if (path == "/") {
    if (request.method() == http::verb::post) {
      response = api_.Handle(request, request_id, summary);
    } else if (request.method() == http::verb::get) {
      response = admin::WantsDashboard(request)
                     ? admin_.Handle(request, admin::kDashboardPage, "", summary.error_type)
                     : Index();
    } else {
      summary.error_type = "UnknownOperationException";
      response = ErrorResponse(http::status::method_not_allowed, summary.error_type,
                               "The Secrets Manager API is POST / with X-Amz-Target.");
      response.set(http::field::allow, "GET, POST");
    }
  } else if (AgentEndpoint::Serves(path)) {
    response = agent_.Handle(request, path, query, request_id, summary);
  } else if (IsAdminPath(path)) {
    summary.operation = "admin";
    response = admin_.Handle(request, path, query, summary.error_type);
  } else {
    summary.error_type = "UnknownOperationException";
    response = ErrorResponse(http::status::not_found, summary.error_type,
                             "No such endpoint: " + std::string(ToStd(request.method_string())) +
                                 " " + std::string(path) + ".");
  }

  RecordAnsweredRequest(response, request, path, summary, request_id, start);
  return response;
}

HttpResponse Router::RefuseRequest(http::status status, std::string_view reason) {
  const std::string request_id = NewRequestId();
  // A request the connection could not read is not a valid AWS call.
  constexpr std::string_view kType = "SerializationException";
  HttpResponse response = ErrorResponse(status, kType, reason);
  response.set("x-amzn-RequestId", request_id);
  LogRequest({.method = "-",
              .path = "-",
              .operation = "",
              .status = static_cast<int>(status),
              .latency_us = 0,
              .request_id = request_id,
              .error_type = kType});
  return response;
}

HttpResponse Router::Index() const {
  nlohmann::json endpoints = nlohmann::json::array();
  for (const AdminRoute& route : admin_.routes()) {
    endpoints.push_back({{"method", ToStd(http::to_string(route.method))},
                         {"path", route.path},
                         {"description", route.summary}});
  }
  nlohmann::json body{{"service", "secretsmanager-local"},
                      {"version", version_},
                      {"api", "POST / with X-Amz-Target: secretsmanager.<Operation>"},
                      {"endpoints", std::move(endpoints)}};
  return BodyResponse(http::status::ok, kJsonContentType, body.dump());
}

}  // namespace sml::server
