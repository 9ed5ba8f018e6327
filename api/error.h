#pragma once
// Typed AWS errors. An ApiError carries the AWS error code and the
// client-facing message; ErrorTypeName/ErrorHttpStatus (one table, error.cc)
// decide the `__type` and the HTTP status. Call sites never build error
// bodies themselves.
#include <stdexcept>
#include <string>
#include <string_view>

namespace sml::api {

enum class ErrorCode {
  kAccessDenied,
  kDecryptionFailure,
  kEncryptionFailure,
  kIncompleteSignature,
  kInternalServiceError,
  kInvalidNextToken,
  kInvalidParameter,
  kInvalidRequest,
  kInvalidSignature,
  kLimitExceeded,
  kMalformedPolicyDocument,
  kMissingAuthenticationToken,
  kPreconditionNotMet,
  kPublicPolicy,
  kResourceExists,
  kResourceNotFound,
  kSerialization,
  kUnknownOperation,
  kUnrecognizedClient,
  kValidation,
};

// The `__type` AWS sends, e.g. "ResourceNotFoundException".
std::string_view ErrorTypeName(ErrorCode code);
// 400 for every client error (signature failures too: Secrets Manager answers
// UnrecognizedClientException with 400), 500 for InternalServiceError.
int ErrorHttpStatus(ErrorCode code);

class ApiError : public std::runtime_error {
 public:
  ApiError(ErrorCode code, std::string message)
      : std::runtime_error(std::move(message)), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

// The messages AWS uses, in one place (BEHAVIOR.md §2–§7).
ApiError SecretNotFound();
ApiError MarkedForDeletion();
ApiError MissingClientRequestToken();
ApiError InvalidSecretName();
// A stored value that does not decrypt (tampered data, another master key).
ApiError DecryptionFailure();
// A ClientRequestToken that names a version of `secret_arn` holding other data.
ApiError ClientRequestTokenInUse(std::string_view token, std::string_view secret_arn);

}  // namespace sml::api
