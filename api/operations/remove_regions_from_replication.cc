// RemoveRegionsFromReplication (BEHAVIOR.md §8): deletes the replicas in the
// given regions at once; regions that are not replicated are ignored, so a
// repeated call succeeds. Answers with the replicas that remain.
#include "api/model/replication.h"
#include "api/model/secret_lookup.h"
#include "api/model/secret_members.h"
#include "api/operations/operations.h"

namespace sml::api::operations {

SML_OPERATION(RemoveRegionsFromReplication) {
  Input in(input);
  auto secret_id = in.String("SecretId", model::kSecretIdRule);
  auto regions =
      in.StringList("RemoveReplicaRegions", {.required = true, .min_items = 1}, model::kRegionRule);
  in.Finish();

  auto [output, changed_id] = services.store.Write([&](storage::Repository& repo) {
    auto secret = model::RequireWritableSecret(repo, context, *secret_id);
    auto list = model::RemoveReplicas(repo, secret, *regions);
    return std::pair{nlohmann::json{{"ARN", secret.arn},
                                    {"ReplicationStatus", model::ReplicationStatusJson(list)}},
                     secret.id};
  });
  if (services.change_listener) services.change_listener->SecretChanged(changed_id);
  return output;
}

}  // namespace sml::api::operations
