// Operations whose issue has not landed yet answer with a clear error
// instead of pretending. Each line goes when its operation gets its own file.
#include "api/error.h"
#include "api/operations/operations.h"

namespace sml::api::operations {
namespace {
[[noreturn]] void NotYetSupported(std::string_view operation) {
  throw ApiError(ErrorCode::kInvalidRequest,
                 std::string(operation) + " is not supported by secretsmanager-local yet.");
}
}  // namespace

#define SML_PENDING(Name) \
  SML_OPERATION(Name) { (void)context, (void)input, (void)services; NotYetSupported(#Name); }

SML_PENDING(BatchGetSecretValue)
SML_PENDING(CreateSecret)
SML_PENDING(DeleteResourcePolicy)
SML_PENDING(DeleteSecret)
SML_PENDING(DescribeSecret)
SML_PENDING(GetRandomPassword)
SML_PENDING(GetResourcePolicy)
SML_PENDING(GetSecretValue)
SML_PENDING(ListSecretVersionIds)
SML_PENDING(ListSecrets)
SML_PENDING(PutResourcePolicy)
SML_PENDING(PutSecretValue)
SML_PENDING(RemoveRegionsFromReplication)
SML_PENDING(ReplicateSecretToRegions)
SML_PENDING(RestoreSecret)
SML_PENDING(StopReplicationToReplica)
SML_PENDING(TagResource)
SML_PENDING(UntagResource)
SML_PENDING(UpdateSecret)
SML_PENDING(UpdateSecretVersionStage)
SML_PENDING(ValidateResourcePolicy)

}  // namespace sml::api::operations
