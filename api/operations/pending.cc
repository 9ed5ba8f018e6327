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

SML_PENDING(RemoveRegionsFromReplication)
SML_PENDING(ReplicateSecretToRegions)
SML_PENDING(StopReplicationToReplica)

}  // namespace sml::api::operations
