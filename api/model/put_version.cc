#include "api/model/put_version.h"

#include "api/error.h"
#include "api/model/secret_members.h"
#include "storage/value_cipher.h"

namespace sml::api::model {

SecretValue ReadSecretValueMembers(Input& input) {
  SecretValue value;
  value.secret_string = input.String("SecretString", kSecretStringRule);
  value.secret_binary = input.Blob("SecretBinary", kSecretBinaryRule);
  return value;
}

void RequireAtMostOneValue(const SecretValue& value) {
  if (value.secret_string && value.secret_binary) {
    throw ApiError(ErrorCode::kInvalidParameter,
                   "You can't specify both a binary secret value and a string secret value in "
                   "the same secret.");
  }
}

PutVersionResult PutSecretVersion(storage::Repository& repo, const storage::SecretRecord& secret,
                                  const std::string& token, const SecretValue& value,
                                  const std::vector<std::string>& stages, EpochMillis now) {
  // Most writes create a version: try that first, so that the token costs a
  // lookup only when a version already has it (a retry, a placeholder).
  storage::VersionRecord created;
  created.version_id = token;
  created.created_date = now;
  created.has_value = true;
  created.secret_string = value.secret_string;
  created.secret_binary = value.secret_binary;
  if (secret.kms_key_id) created.kms_key_id = *secret.kms_key_id;
  bool inserted = false;
  try {
    inserted = repo.InsertVersionIfAbsent(secret.id, created);
  } catch (const storage::DecryptionError&) {
    // The data key does not open: a version that has the token is
    // DecryptionFailure below, as a lookup first would have made it.
    if (!repo.FindVersion(secret.id, token, /*with_value=*/false)) throw;
  }
  if (!inserted) {
    std::optional<storage::VersionRecord> existing;
    try {
      existing = repo.FindVersion(secret.id, token, /*with_value=*/true);
    } catch (const storage::DecryptionError&) {
      throw DecryptionFailure();
    }
    switch (ClassifyToken(existing, value)) {
      case TokenOutcome::kAlreadyDone:
        return {token, existing->labels, false};
      case TokenOutcome::kConflict:
        throw ClientRequestTokenInUse(token, secret.arn);
      case TokenOutcome::kFill: {
        storage::VersionRecord filled = std::move(*existing);
        filled.has_value = true;
        // The value is written now, under the secret's key: a rotation's
        // placeholder was made without one.
        filled.kms_key_id = created.kms_key_id;
        filled.secret_string = value.secret_string;
        filled.secret_binary = value.secret_binary;
        repo.UpdateVersionValue(secret.id, filled);
        break;
      }
      case TokenOutcome::kCreate:  // it was there a moment ago, in this transaction
        throw std::logic_error("version " + token + " neither inserted nor found");
    }
  }

  // The labelled versions are all the label rules look at; deprecated ones
  // only count (for the first-version rule and pruning).
  storage::LabelCensus census = repo.CensusOfVersions(secret.id);
  Versions versions = census.labelled;
  if (!FindVersion(versions, token)) versions.emplace_back().version_id = token;
  LabelWrittenVersion(versions, token, stages, census.version_count == 1);
  repo.UpdateLabels(secret.id, census.labelled, versions);
  // After the labels: a version that just lost its last label may go too.
  repo.DeleteOldestUnlabelledVersions(secret.id, VersionsToPrune(census.version_count));
  return {token, FindVersion(versions, token)->labels, true};
}

void RekeyStagedVersions(storage::Repository& repo, const storage::SecretRecord& secret) {
  const std::string key = secret.kms_key_id.value_or(storage::VersionRecord{}.kms_key_id);
  for (const auto& labelled : repo.LabelledVersions(secret.id)) {
    if (!HasLabel(labelled, kAwsCurrent) && !HasLabel(labelled, kAwsPending) &&
        !HasLabel(labelled, kAwsPrevious)) {
      continue;
    }
    std::optional<storage::VersionRecord> version;
    try {
      version = repo.FindVersion(secret.id, labelled.version_id, /*with_value=*/true);
    } catch (const storage::DecryptionError&) {
      throw DecryptionFailure();
    }
    if (!version || !version->has_value || version->kms_key_id == key) continue;
    version->kms_key_id = key;
    repo.UpdateVersionValue(secret.id, *version);
  }
}

}  // namespace sml::api::model
