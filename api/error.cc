#include "api/error.h"

namespace sml::api {
namespace {

struct ErrorInfo {
  std::string_view type;
  int http_status;
};

ErrorInfo Info(ErrorCode code) {
  switch (code) {
    case ErrorCode::kAccessDenied: return {"AccessDeniedException", 400};
    case ErrorCode::kDecryptionFailure: return {"DecryptionFailure", 400};
    case ErrorCode::kEncryptionFailure: return {"EncryptionFailure", 400};
    case ErrorCode::kIncompleteSignature: return {"IncompleteSignatureException", 400};
    case ErrorCode::kInternalServiceError: return {"InternalServiceError", 500};
    case ErrorCode::kInvalidNextToken: return {"InvalidNextTokenException", 400};
    case ErrorCode::kInvalidParameter: return {"InvalidParameterException", 400};
    case ErrorCode::kInvalidRequest: return {"InvalidRequestException", 400};
    case ErrorCode::kInvalidSignature: return {"InvalidSignatureException", 400};
    case ErrorCode::kLimitExceeded: return {"LimitExceededException", 400};
    case ErrorCode::kMalformedPolicyDocument: return {"MalformedPolicyDocumentException", 400};
    case ErrorCode::kMissingAuthenticationToken: return {"MissingAuthenticationTokenException", 400};
    case ErrorCode::kPreconditionNotMet: return {"PreconditionNotMetException", 400};
    case ErrorCode::kPublicPolicy: return {"PublicPolicyException", 400};
    case ErrorCode::kResourceExists: return {"ResourceExistsException", 400};
    case ErrorCode::kResourceNotFound: return {"ResourceNotFoundException", 400};
    case ErrorCode::kSerialization: return {"SerializationException", 400};
    case ErrorCode::kUnknownOperation: return {"UnknownOperationException", 400};
    case ErrorCode::kUnrecognizedClient: return {"UnrecognizedClientException", 400};
    case ErrorCode::kValidation: return {"ValidationException", 400};
  }
  return {"InternalServiceError", 500};
}

}  // namespace

std::string_view ErrorTypeName(ErrorCode code) { return Info(code).type; }
int ErrorHttpStatus(ErrorCode code) { return Info(code).http_status; }

ApiError SecretNotFound() {
  return {ErrorCode::kResourceNotFound, "Secrets Manager can't find the specified secret."};
}
ApiError MarkedForDeletion() {
  return {ErrorCode::kInvalidRequest,
          "You can't perform this operation on the secret because it was marked for deletion."};
}
ApiError MissingClientRequestToken() {
  return {ErrorCode::kInvalidRequest,
          "You must provide a ClientRequestToken value. We recommend a UUID-type value."};
}
ApiError InvalidSecretName() {
  return {ErrorCode::kValidation,
          "Invalid name. Must be a valid name containing alphanumeric characters, or any of the "
          "following: -/_+=.@!"};
}

ApiError DecryptionFailure() {
  return {ErrorCode::kDecryptionFailure,
          "Secrets Manager can't decrypt the protected secret text using the provided KMS key."};
}

ApiError ClientRequestTokenInUse(std::string_view token, std::string_view secret_arn) {
  return {ErrorCode::kResourceExists, "You can't use ClientRequestToken " + std::string(token) +
                                          " because that value is already in use for a version "
                                          "of secret " +
                                          std::string(secret_arn) + "."};
}

}  // namespace sml::api
