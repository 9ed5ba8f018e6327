#include "server/protocol.h"

#include <nlohmann/json.hpp>

#include "api/error.h"
#include "server/auth/sigv4.h"
#include "server/log.h"
#include "server/request_body.h"
#include "server/responses.h"

namespace sml::server {
namespace {

namespace http = boost::beast::http;

constexpr std::string_view kTargetPrefix = "secretsmanager.";

HttpResponse FromApiError(const api::ApiError& error, CallSummary& summary) {
  summary.error_type = api::ErrorTypeName(error.code());
  return ErrorResponse(static_cast<http::status>(api::ErrorHttpStatus(error.code())),
                       summary.error_type, error.what());
}

// The request as the SigV4 verifier reads it (only built with --auth sigv4).
HttpRequestView ViewForVerification(const HttpRequest& request) {
  HttpRequestView view;
  view.method = std::string(ToStd(request.method_string()));
  view.target = std::string(ToStd(request.target()));
  for (const auto& field : request) {
    view.headers.emplace_back(std::string(ToStd(field.name_string())),
                              std::string(ToStd(field.value())));
  }
  view.body = request.body();
  return view;
}

// `call`'s output as a 200, or its error in the AWS shape. Anything other
// than an ApiError is an InternalServiceError, logged without request data.
template <typename Call>
HttpResponse Answer(CallSummary& summary, const std::string& request_id, Call&& call) {
  try {
    api::Output output = call();
    return BodyResponse(http::status::ok, kAwsJsonContentType, std::move(output).TakeText());
  } catch (const api::ApiError& error) {
    return FromApiError(error, summary);
  } catch (const nlohmann::json::exception& error) {
    // Its message may quote data; the id says enough to find the bug.
    Log("error", "internal error",
        {{"operation", std::string(summary.operation)},
         {"request_id", request_id},
         {"json_error", std::to_string(error.id)}});
  } catch (const std::exception& error) {
    Log("error", "internal error",
        {{"operation", std::string(summary.operation)},
         {"request_id", request_id},
         {"error", error.what()}});
  } catch (...) {
    Log("error", "internal error",
        {{"operation", std::string(summary.operation)}, {"request_id", request_id}});
  }
  return FromApiError(
      api::ApiError(api::ErrorCode::kInternalServiceError, "An error occurred on the server side."),
      summary);
}

}  // namespace

HttpResponse ApiProtocol::Handle(const HttpRequest& request, const std::string& request_id,
                                 CallSummary& summary) {
  return Answer(summary, request_id, [&] {
    // As AWS does, the signature is checked before anything else is looked at.
    CallerIdentity identity =
        credentials_ != nullptr
            ? Verify(ViewForVerification(request), *credentials_, services_.clock.Now(),
                     "secretsmanager", services_.clock.WallNow())
            : IdentityFromAuthorization(FindField(request, "Authorization").value_or(""),
                                        defaults_.account_id, defaults_.region);
    const auto found_target = FindField(request, "X-Amz-Target");
    if (!found_target) {
      throw api::ApiError(api::ErrorCode::kUnknownOperation,
                          "Missing X-Amz-Target header; expected secretsmanager.<Operation>.");
    }
    const std::string_view target = *found_target;
    api::OperationHandler handler = nullptr;
    if (target.starts_with(kTargetPrefix)) {
      summary.operation = target.substr(kTargetPrefix.size());
      handler = find_operation_(summary.operation);
    }
    if (handler == nullptr) {
      summary.operation = {};
      throw api::ApiError(api::ErrorCode::kUnknownOperation,
                          "Operation not found: '" + std::string(target) + "'.");
    }

    nlohmann::json input = ParseRequestBody(request.body());

    api::RequestContext context{std::move(identity.account_id), std::move(identity.region),
                                request_id};
    context.caller_arn = std::move(identity.principal_arn);
    return Invoke(handler, context, input, summary.operation);
  });
}

HttpResponse ApiProtocol::HandleAsDefaultCaller(std::string_view operation,
                                                const nlohmann::json& input,
                                                const std::string& request_id,
                                                CallSummary& summary) {
  return Answer(summary, request_id, [&] {
    summary.operation = operation;
    api::OperationHandler handler = find_operation_(operation);
    if (handler == nullptr) {
      throw api::ApiError(api::ErrorCode::kUnknownOperation,
                          "Operation not found: '" + std::string(operation) + "'.");
    }
    api::RequestContext context{defaults_.account_id, defaults_.region, request_id};
    return Invoke(handler, context, input, operation);
  });
}

api::Output ApiProtocol::Invoke(api::OperationHandler handler, api::RequestContext& context,
                                const nlohmann::json& input, std::string_view operation) {
  context.action = "secretsmanager:" + std::string(operation);
  // Accounts are apart as in AWS: another account's secret is reached only
  // by its full ARN and through its resource policy (the account is the
  // access key id's, verified or not).
  context.enforce_resource_policies = true;
  return handler(context, input, services_);
}

}  // namespace sml::server
