#pragma once
// Every Secrets Manager operation: one function, one file in this folder.
#include "api/service.h"

namespace sml::api::operations {

#define SML_OPERATION(Name)                                                           \
  ::sml::api::Output Name(const RequestContext& context, const nlohmann::json& input, \
                          Services& services)

SML_OPERATION(BatchGetSecretValue);
SML_OPERATION(CancelRotateSecret);
SML_OPERATION(CreateSecret);
SML_OPERATION(DeleteResourcePolicy);
SML_OPERATION(DeleteSecret);
SML_OPERATION(DescribeSecret);
SML_OPERATION(GetRandomPassword);
SML_OPERATION(GetResourcePolicy);
SML_OPERATION(GetSecretValue);
SML_OPERATION(ListSecretVersionIds);
SML_OPERATION(ListSecrets);
SML_OPERATION(PutResourcePolicy);
SML_OPERATION(PutSecretValue);
SML_OPERATION(RemoveRegionsFromReplication);
SML_OPERATION(ReplicateSecretToRegions);
SML_OPERATION(RestoreSecret);
SML_OPERATION(RotateSecret);
SML_OPERATION(StopReplicationToReplica);
SML_OPERATION(TagResource);
SML_OPERATION(UntagResource);
SML_OPERATION(UpdateSecret);
SML_OPERATION(UpdateSecretVersionStage);
SML_OPERATION(ValidateResourcePolicy);

}  // namespace sml::api::operations
