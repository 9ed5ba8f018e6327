// PutSecretValue (BEHAVIOR.md §3): a new version, AWSCURRENT by default;
// idempotent by ClientRequestToken; fills rotation's empty placeholder.
#include <algorithm>
#include <tuple>

#include "api/error.h"
#include "api/model/access.h"
#include "api/model/put_version.h"
#include "api/model/replication.h"
#include "api/model/secret_lookup.h"
#include "api/model/secret_members.h"
#include "api/operations/operations.h"
#include "api/rotation/rotation_state.h"

namespace sml::api::operations {
namespace {

// The model's RotationTokenType pattern: ASCII letters, digits and '-'.
bool IsRotationToken(std::string_view token) {
  return std::all_of(token.begin(), token.end(), [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}

}  // namespace

SML_OPERATION(PutSecretValue) {
  Input in(input);
  auto secret_id = in.String("SecretId", model::kSecretIdRule);
  auto token = in.String("ClientRequestToken", model::kClientRequestTokenRule);
  auto value = model::ReadSecretValueMembers(in);
  auto stages = in.StringList("VersionStages", model::kVersionStagesRule, model::kVersionStageRule);
  // Identifies the rotation function's caller in AWS; only its shape is checked here.
  in.String("RotationToken", {.min_length = 36,
                              .max_length = 256,
                              .matches = &IsRotationToken,
                              .pattern = "^[a-zA-Z0-9\\-]+$",
                              .sensitive = true});
  in.Finish();
  model::RequireValidSecretId(*secret_id);

  model::RequireAtMostOneValue(value);
  if (value.empty()) {
    throw ApiError(ErrorCode::kInvalidRequest,
                   "You must provide either SecretString or SecretBinary.");
  }
  if (!token) throw MissingClientRequestToken();
  const std::vector<std::string> labels =
      stages.value_or(std::vector<std::string>{std::string(model::kAwsCurrent)});

  const EpochMillis now = services.clock.Now();
  // The scheduler re-arms only when a date it waits for moved.
  auto [output, rescheduled_id] = services.store.Write([&](storage::Repository& repo) {
    auto secret = model::RequireWritableSecret(repo, context, *secret_id);
    model::RequireValueAccessibleFrom(context, secret);
    auto result = model::PutSecretVersion(repo, secret, *token, value, labels, now);
    const auto schedule_before =
        std::tuple{secret.next_rotation_date, secret.rotation_window_end, secret.deletion_date};
    bool rescheduled = false;
    if (result.changed) {
      secret.last_changed_date = now;
      if (std::find(result.version_stages.begin(), result.version_stages.end(),
                    model::kAwsCurrent) != result.version_stages.end()) {
        rotation::RescheduleAfterManualChange(secret, now, services.schedule_random);
      }
      rescheduled = std::tuple{secret.next_rotation_date, secret.rotation_window_end,
                               secret.deletion_date} != schedule_before;
      // Usually only the date changed: a narrow UPDATE leaves the row's other
      // indexes alone.
      if (rescheduled) {
        repo.UpdateSecret(secret);
      } else {
        repo.SetLastChangedDate(secret.id, now);
      }
      model::SyncReplicasIfAny(repo, secret);
    }
    JsonWriter out;  // keys in sorted order (api/json_writer.h)
    out.BeginObject();
    out.Member("ARN", secret.arn);
    out.Member("Name", secret.name);
    out.Member("VersionId", result.version_id);
    out.Key("VersionStages");
    out.StringArray(result.version_stages);
    out.EndObject();
    return std::pair{std::move(out), rescheduled ? secret.id : std::int64_t{0}};
  });
  if (rescheduled_id != 0 && services.change_listener)
    services.change_listener->SecretChanged(rescheduled_id);
  return std::move(output);
}

}  // namespace sml::api::operations
