#include "api/model/secret_view.h"

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

nlohmann::json CommonView(const storage::SecretRecord& secret,
                          const std::vector<storage::VersionRecord>& versions,
                          const char* stages_key) {
  nlohmann::json out = nlohmann::json::object();
  out["ARN"] = secret.arn;
  out["Name"] = secret.name;
  if (secret.type) out["Type"] = *secret.type;
  // An empty description is no description: AWS leaves the key out.
  if (secret.description && !secret.description->empty()) out["Description"] = *secret.description;
  if (secret.kms_key_id) out["KmsKeyId"] = *secret.kms_key_id;

  if (secret.rotation_enabled.has_value()) {
    out["RotationEnabled"] = *secret.rotation_enabled;
    if (secret.rotation_lambda_arn) out["RotationLambdaARN"] = *secret.rotation_lambda_arn;
    if (auto rules = StoredJson(secret.rotation_rules_json); rules && rules->is_object()) {
      out["RotationRules"] = std::move(*rules);
    }
    if (secret.last_rotated_date)
      out["LastRotatedDate"] = ToAwsTimestamp(*secret.last_rotated_date);
    if (secret.next_rotation_date) {
      out["NextRotationDate"] = ToAwsTimestamp(*secret.next_rotation_date);
    }
  }

  out["LastChangedDate"] = ToAwsTimestamp(secret.last_changed_date);
  if (secret.last_accessed_date)
    out["LastAccessedDate"] = ToAwsTimestamp(*secret.last_accessed_date);
  if (secret.deleted_date) out["DeletedDate"] = ToAwsTimestamp(*secret.deleted_date);

  if (secret.tags) {
    nlohmann::json tags = nlohmann::json::array();
    for (const auto& tag : *secret.tags) tags.push_back({{"Key", tag.key}, {"Value", tag.value}});
    out["Tags"] = std::move(tags);
  }

  nlohmann::json stages = nlohmann::json::object();
  for (const auto& version : versions) {
    if (!version.labels.empty()) stages[version.version_id] = version.labels;
  }
  if (!stages.empty()) out[stages_key] = std::move(stages);

  if (secret.owning_service) out["OwningService"] = *secret.owning_service;
  out["CreatedDate"] = ToAwsTimestamp(secret.created_date);
  if (auto primary_region = PrimaryRegionOf(secret)) out["PrimaryRegion"] = *primary_region;
  return out;
}

}  // namespace

nlohmann::json DescribeSecretView(const storage::SecretRecord& secret,
                                  const std::vector<storage::VersionRecord>& versions) {
  nlohmann::json out = CommonView(secret, versions, "VersionIdsToStages");
  if (auto status = StoredJson(secret.replication_status_json);
      status && status->is_array() && !status->empty()) {
    out["ReplicationStatus"] = std::move(*status);
  }
  return out;
}

nlohmann::json SecretListEntryView(const storage::SecretRecord& secret,
                                   const std::vector<storage::VersionRecord>& versions) {
  return CommonView(secret, versions, "SecretVersionsToStages");
}

}  // namespace sml::api::model
