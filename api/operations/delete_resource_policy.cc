// DeleteResourcePolicy (BEHAVIOR.md §8): removes the secret's resource policy.
// Succeeds when there is none (nothing changes then). A write: refused for a
// secret scheduled for deletion and for a replica. Removing a policy counts
// as a modification (LastChangedDate).
#include "api/input.h"
#include "api/model/replication.h"
#include "api/model/secret_lookup.h"
#include "api/operations/operations.h"

namespace sml::api::operations {

SML_OPERATION(DeleteResourcePolicy) {
  Input in(input);
  auto secret_id = in.String("SecretId", {.required = true, .min_length = 1, .max_length = 2048});
  in.Finish();

  auto [output, changed_id] = services.store.Write([&](storage::Repository& repo) {
    auto secret = model::RequireWritableSecret(repo, context, *secret_id);
    const bool had_policy = secret.resource_policy.has_value();
    if (had_policy) {
      secret.resource_policy.reset();
      secret.last_changed_date = services.clock.Now();
      repo.UpdateSecret(secret);
      model::SyncReplicasIfAny(repo, secret);
    }
    return std::pair{nlohmann::json{{"ARN", secret.arn}, {"Name", secret.name}},
                     had_policy ? secret.id : std::int64_t{0}};
  });
  if (changed_id != 0 && services.change_listener) {
    services.change_listener->SecretChanged(changed_id);
  }
  return output;
}

}  // namespace sml::api::operations
