// ReplicateSecretToRegions (BEHAVIOR.md §8): replicates a primary to more
// regions (model::AddReplicas); a name clash there makes that replica Failed
// unless ForceOverwriteReplicaSecret. Refused on a replica.
#include "api/model/replication.h"
#include "api/model/secret_lookup.h"
#include "api/model/secret_members.h"
#include "api/operations/operations.h"

namespace sml::api::operations {

SML_OPERATION(ReplicateSecretToRegions) {
  Input in(input);
  auto secret_id = in.String("SecretId", model::kSecretIdRule);
  auto requests = model::ReadReplicaRequests(in, /*required=*/true);
  bool force_overwrite = in.Bool("ForceOverwriteReplicaSecret").value_or(false);
  in.Finish();

  const EpochMillis now = services.clock.Now();
  auto [output, changed_id] = services.store.Write([&](storage::Repository& repo) {
    auto secret = model::RequireWritableSecret(repo, context, *secret_id);
    auto list = model::AddReplicas(repo, secret, *requests, force_overwrite, now);
    return std::pair{nlohmann::json{{"ARN", secret.arn},
                                    {"ReplicationStatus", model::ReplicationStatusJson(list)}},
                     secret.id};
  });
  if (services.change_listener) services.change_listener->SecretChanged(changed_id);
  return output;
}

}  // namespace sml::api::operations
