#include "api/model/secret_value.h"

#include "api/error.h"
#include "api/input.h"
#include "api/model/timestamps.h"
#include "api/model/versions.h"
#include "storage/value_cipher.h"

namespace sml::api::model {
namespace {

ApiError NotFoundForLabel(const std::string& label) {
  return {ErrorCode::kResourceNotFound,
          "Secrets Manager can't find the specified secret value for staging label: " + label};
}

ApiError NotFoundForVersionId(const std::string& version_id) {
  return {ErrorCode::kResourceNotFound,
          "Secrets Manager can't find the specified secret value for VersionId: " + version_id};
}

// The version asked for, with its value; the value is decrypted here.
storage::VersionRecord FindRequestedVersion(storage::Repository& repo,
                                            const storage::SecretRecord& secret,
                                            const std::optional<std::string>& version_id,
                                            const std::optional<std::string>& version_stage) {
  try {
    if (version_id) {
      auto version = repo.FindVersion(secret.id, *version_id, /*with_value=*/true);
      if (!version) throw NotFoundForVersionId(*version_id);
      if (version_stage && !HasLabel(*version, *version_stage)) {
        throw ApiError(ErrorCode::kInvalidRequest,
                       "You provided a VersionStage that is not associated to the provided "
                       "VersionId.");
      }
      if (!version->has_value) throw NotFoundForVersionId(*version_id);
      return std::move(*version);
    }
    const std::string label = version_stage.value_or(std::string(kAwsCurrent));
    auto version = repo.FindVersionByLabel(secret.id, label, /*with_value=*/true);
    // An empty rotation placeholder has no value to give.
    if (!version || !version->has_value) throw NotFoundForLabel(label);
    return std::move(*version);
  } catch (const storage::DecryptionError&) {
    throw DecryptionFailure();
  }
}

}  // namespace

void ReadSecretValue(storage::Repository& repo, const Clock& clock, storage::SecretRecord& secret,
                     const std::optional<std::string>& version_id,
                     const std::optional<std::string>& version_stage, JsonWriter& out) {
  if (secret.deleted_date) throw MarkedForDeletion();
  auto version = FindRequestedVersion(repo, secret, version_id, version_stage);

  // Day precision: only a version's first read of a day records anything.
  const EpochMillis today = StartOfUtcDay(clock.Now());
  if (version.last_accessed_date != today || secret.last_accessed_date != today) {
    repo.RecordAccess(secret.id, version.version_id, today);
    secret.last_accessed_date = today;
  }

  // Keys in sorted order (api/json_writer.h).
  out.BeginObject();
  out.Member("ARN", secret.arn);
  out.Key("CreatedDate");
  WriteAwsTimestamp(out, version.created_date);
  out.Member("Name", secret.name);
  if (version.secret_binary) out.Member("SecretBinary", EncodeBase64(*version.secret_binary));
  if (version.secret_string) out.Member("SecretString", *version.secret_string);
  out.Member("VersionId", version.version_id);
  out.Key("VersionStages");
  out.StringArray(version.labels);
  out.EndObject();
}

}  // namespace sml::api::model
