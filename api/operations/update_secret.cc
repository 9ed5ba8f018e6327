// UpdateSecret: metadata (Description, KmsKeyId, Type) and, with a value, a
// new AWSCURRENT version under the same rules as PutSecretValue.
#include "api/error.h"
#include "api/model/access.h"
#include "api/model/put_version.h"
#include "api/model/replication.h"
#include "api/model/secret_lookup.h"
#include "api/model/secret_members.h"
#include "api/operations/operations.h"
#include "api/rotation/rotation_state.h"

namespace sml::api::operations {

SML_OPERATION(UpdateSecret) {
  Input in(input);
  auto secret_id = in.String("SecretId", model::kSecretIdRule);
  auto token = in.String("ClientRequestToken", model::kClientRequestTokenRule);
  auto description = in.String("Description", model::kDescriptionRule);
  auto kms_key_id = in.String("KmsKeyId", model::kKmsKeyIdRule);
  auto value = model::ReadSecretValueMembers(in);
  auto type = in.String("Type", model::kTypeRule);
  in.Finish();
  model::RequireValidSecretId(*secret_id);

  model::RequireAtMostOneValue(value);
  const bool has_value = !value.empty();
  if (has_value && !token) throw MissingClientRequestToken();

  const EpochMillis now = services.clock.Now();
  auto [output, changed_id] = services.store.Write([&](storage::Repository& repo) {
    auto secret = model::RequireWritableSecret(repo, context, *secret_id);
    if (has_value) model::RequireValueAccessibleFrom(context, secret);
    bool changed = false;
    if (description) {
      secret.description = description;
      changed = true;
    }
    if (kms_key_id) {
      // An empty KmsKeyId goes back to the default key aws/secretsmanager.
      secret.kms_key_id = kms_key_id->empty() ? std::nullopt : kms_key_id;
      changed = true;
    }
    if (type) {
      secret.type = type;
      changed = true;
    }
    nlohmann::json out = {{"ARN", secret.arn}, {"Name", secret.name}};
    if (has_value) {
      auto result = model::PutSecretVersion(repo, secret, *token, value,
                                            {std::string(model::kAwsCurrent)}, now);
      changed = changed || result.changed;
      if (result.changed) rotation::RescheduleAfterManualChange(secret, now, services.schedule_random);
      out["VersionId"] = result.version_id;
    }
    // After the new version: the one it made AWSPREVIOUS is re-keyed too.
    if (kms_key_id) model::RekeyStagedVersions(repo, secret);
    if (changed) {
      secret.last_changed_date = now;
      repo.UpdateSecret(secret);
      model::SyncReplicasIfAny(repo, secret);
    }
    return std::pair{std::move(out), changed ? secret.id : std::int64_t{0}};
  });
  if (changed_id != 0 && services.change_listener)
    services.change_listener->SecretChanged(changed_id);
  return output;
}

}  // namespace sml::api::operations
