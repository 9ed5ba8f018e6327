// StopReplicationToReplica (BEHAVIOR.md §8): called in a replica's region on
// the replica, promotes it to a standalone secret there (same ARN); the
// primary no longer lists it. On a secret that is not a replica:
// InvalidParameterException, like the other refusals of the wrong kind of
// secret (model/secret_lookup.h).
#include "api/error.h"
#include "api/model/replication.h"
#include "api/model/secret_lookup.h"
#include "api/model/secret_members.h"
#include "api/operations/operations.h"

namespace sml::api::operations {

SML_OPERATION(StopReplicationToReplica) {
  Input in(input);
  auto secret_id = in.String("SecretId", model::kSecretIdRule);
  in.Finish();

  auto [output, changed_id] = services.store.Write([&](storage::Repository& repo) {
    auto secret = model::RequireLiveSecret(repo, context, *secret_id);
    if (!secret.primary_region || secret.region != context.region) {
      throw ApiError(ErrorCode::kInvalidParameter,
                     "StopReplicationToReplica can only be called on a replica secret, in the "
                     "replica's Region.");
    }
    model::PromoteReplica(repo, secret);
    return std::pair{nlohmann::json{{"ARN", secret.arn}}, secret.id};
  });
  if (services.change_listener) services.change_listener->SecretChanged(changed_id);
  return output;
}

}  // namespace sml::api::operations
