#include "api/model/secret_view.h"

#include <algorithm>

#include "api/model/replication.h"
#include "api/model/timestamps.h"

namespace sml::api::model {
namespace {

// Parses JSON a writer stored; a value that does not parse is left out
// rather than failing the read of the whole secret.
std::optional<nlohmann::json> StoredJson(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  auto parsed = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return std::nullopt;
  return parsed;
}

// Keys in sorted order (api/json_writer.h); `stages_key` is
// "SecretVersionsToStages" or "VersionIdsToStages", and ReplicationStatus is
// DescribeSecret's alone.
void WriteView(JsonWriter& out, const storage::SecretRecord& secret,
               const std::vector<storage::VersionRecord>& versions, PlainKey stages_key,
               bool with_replication_status) {
  const bool rotation = secret.rotation_enabled.has_value();
  out.BeginObject();
  out.Member("ARN", secret.arn);
  out.Key("CreatedDate");
  WriteAwsTimestamp(out, secret.created_date);
  if (secret.deleted_date) {
    out.Key("DeletedDate");
    WriteAwsTimestamp(out, *secret.deleted_date);
  }
  // An empty description is no description: AWS leaves the key out.
  if (secret.description && !secret.description->empty()) {
    out.Member("Description", *secret.description);
  }
  if (auto metadata = StoredJson(secret.external_rotation_metadata_json);
      metadata && metadata->is_array()) {
    out.Key("ExternalSecretRotationMetadata");
    out.Json(*metadata);
  }
  if (secret.external_rotation_role_arn) {
    out.Member("ExternalSecretRotationRoleArn", *secret.external_rotation_role_arn);
  }
  if (secret.kms_key_id) out.Member("KmsKeyId", *secret.kms_key_id);
  if (secret.last_accessed_date) {
    out.Key("LastAccessedDate");
    WriteAwsTimestamp(out, *secret.last_accessed_date);
  }
  out.Key("LastChangedDate");
  WriteAwsTimestamp(out, secret.last_changed_date);
  if (rotation && secret.last_rotated_date) {
    out.Key("LastRotatedDate");
    WriteAwsTimestamp(out, *secret.last_rotated_date);
  }
  out.Member("Name", secret.name);
  if (rotation && secret.next_rotation_date) {
    out.Key("NextRotationDate");
    WriteAwsTimestamp(out, *secret.next_rotation_date);
  }
  if (secret.owning_service) out.Member("OwningService", *secret.owning_service);
  if (auto primary_region = PrimaryRegionOf(secret)) out.Member("PrimaryRegion", *primary_region);
  if (with_replication_status) {
    if (auto status = StoredJson(secret.replication_status_json);
        status && status->is_array() && !status->empty()) {
      out.Key("ReplicationStatus");
      out.Json(*status);
    }
  }
  if (rotation) {
    out.Key("RotationEnabled");
    out.Bool(*secret.rotation_enabled);
    if (secret.rotation_lambda_arn) out.Member("RotationLambdaARN", *secret.rotation_lambda_arn);
    if (auto rules = StoredJson(secret.rotation_rules_json); rules && rules->is_object()) {
      out.Key("RotationRules");
      out.Json(*rules);
    }
  }
  // SecretVersionsToStages sorts before Tags, VersionIdsToStages after Type.
  auto write_stages = [&] {
    std::vector<const storage::VersionRecord*> labelled;
    for (const auto& version : versions) {
      if (!version.labels.empty()) labelled.push_back(&version);
    }
    if (labelled.empty()) return;
    std::sort(labelled.begin(), labelled.end(),
              [](const auto* a, const auto* b) { return a->version_id < b->version_id; });
    out.Key(stages_key);
    out.BeginObject();
    for (const auto* version : labelled) {
      out.TextKey(version->version_id);
      out.StringArray(version->labels);
    }
    out.EndObject();
  };
  if (stages_key.text() < "Tags") write_stages();
  if (secret.tags) {
    out.Key("Tags");
    out.BeginArray();
    for (const auto& tag : *secret.tags) {
      out.BeginObject();
      out.Member("Key", tag.key);
      out.Member("Value", tag.value);
      out.EndObject();
    }
    out.EndArray();
  }
  if (secret.type) out.Member("Type", *secret.type);
  if (stages_key.text() > "Type") write_stages();
  out.EndObject();
}

}  // namespace

void WriteDescribeSecretView(JsonWriter& out, const storage::SecretRecord& secret,
                             const std::vector<storage::VersionRecord>& versions) {
  WriteView(out, secret, versions, "VersionIdsToStages", /*with_replication_status=*/true);
}

void WriteSecretListEntryView(JsonWriter& out, const storage::SecretRecord& secret,
                              const std::vector<storage::VersionRecord>& versions) {
  WriteView(out, secret, versions, "SecretVersionsToStages", /*with_replication_status=*/false);
}

}  // namespace sml::api::model
