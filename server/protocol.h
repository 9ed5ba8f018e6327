#pragma once
// The AWS JSON 1.1 protocol (BEHAVIOR.md §1): POST / with
// `X-Amz-Target: secretsmanager.<Op>` and a JSON object body. Finds the
// operation in the api table, runs it for the caller's account and region,
// and maps the outcome to HTTP: 200 + output, or the ApiError's status and
// `{"__type","Message"}` with `x-amzn-ErrorType`.
// Identity (server/auth/sigv4.h): with a CredentialStore the signature is
// verified (--auth sigv4) and a failure is the AWS auth error; without one
// the account and region are read from the Authorization header unverified. Anything other than an
// ApiError is an InternalServiceError (500), logged without request data.
//
// Thread-safe: holds only references to thread-safe services.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "api/service.h"
#include "server/auth/credentials.h"
#include "server/http/message.h"

namespace sml::server {

struct ApiDefaults {
  std::string account_id = "000000000000";  // when the access key id is not 12 digits
  std::string region = "us-east-1";         // when there is no credential scope
};

// What the request log needs to know about one call. Views stay valid while
// the request they came from does (or are static).
struct CallSummary {
  std::string_view operation;
  std::string_view error_type;
};

// How an operation name becomes a handler; api::FindOperation in the
// server, a small table in tests.
using OperationFinder = api::OperationHandler (*)(std::string_view name);

class ApiProtocol {
 public:
  // `verify_with` (not owned, may be null: --auth off) must outlive this.
  ApiProtocol(api::Services& services, ApiDefaults defaults,
              const CredentialStore* verify_with = nullptr,
              OperationFinder find_operation = &api::FindOperation)
      : services_(services),
        defaults_(std::move(defaults)),
        credentials_(verify_with),
        find_operation_(find_operation) {}

  // `request` is a POST to "/". The response has no request id or
  // keep-alive yet; the caller adds them.
  HttpResponse Handle(const HttpRequest& request, const std::string& request_id,
                      CallSummary& summary);

  // Runs the operation named `operation` as the default account and region
  // (for endpoints without AWS credentials, e.g. the agent's), answering
  // exactly as Handle does: output, or the AWS error.
  HttpResponse HandleAsDefaultCaller(std::string_view operation, const nlohmann::json& input,
                                     const std::string& request_id, CallSummary& summary);

  // --auth sigv4: every caller must prove who it is.
  bool VerifiesSignatures() const { return credentials_ != nullptr; }

 private:
  api::Output Invoke(api::OperationHandler handler, api::RequestContext& context,
                     const nlohmann::json& input, std::string_view operation);

  api::Services& services_;
  const ApiDefaults defaults_;
  const CredentialStore* const credentials_;
  const OperationFinder find_operation_;
};

}  // namespace sml::server
