// UpdateSecretVersionStage (BEHAVIOR.md §3): moves one staging label between
// versions; the rules are model::MoveLabel.
#include "api/error.h"
#include "api/model/replication.h"
#include "api/model/secret_lookup.h"
#include "api/model/secret_members.h"
#include "api/model/versions.h"
#include "api/operations/operations.h"

namespace sml::api::operations {

SML_OPERATION(UpdateSecretVersionStage) {
  Input in(input);
  auto secret_id = in.String("SecretId", model::kSecretIdRule);
  StringRule stage_rule = model::kVersionStageRule;
  stage_rule.required = true;
  auto stage = in.String("VersionStage", stage_rule);
  auto remove_from = in.String("RemoveFromVersionId", model::kVersionIdRule);
  auto move_to = in.String("MoveToVersionId", model::kVersionIdRule);
  in.Finish();

  const EpochMillis now = services.clock.Now();
  auto [output, changed_id] = services.store.Write([&](storage::Repository& repo) {
    auto secret = model::RequireWritableSecret(repo, context, *secret_id);
    model::Versions versions = repo.Versions(secret.id);
    model::MoveLabel(versions, *stage, remove_from, move_to);
    repo.ReplaceLabels(secret.id, versions);
    secret.last_changed_date = now;
    repo.UpdateSecret(secret);
    model::SyncReplicasIfAny(repo, secret);
    return std::pair{nlohmann::json{{"ARN", secret.arn}, {"Name", secret.name}}, secret.id};
  });
  if (services.change_listener) services.change_listener->SecretChanged(changed_id);
  return output;
}

}  // namespace sml::api::operations
