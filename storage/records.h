#pragma once
// Plain records the repository reads and writes. They know nothing of SQL;
// the api layer applies the Secrets Manager rules to them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sml::storage {

using EpochMillis = std::int64_t;

struct Tag {
  std::string key;
  std::string value;
  bool operator==(const Tag&) const = default;
};

// One secret, without its versions. `id` is assigned by InsertSecret.
struct SecretRecord {
  std::int64_t id = 0;
  std::string account_id;
  std::string region;
  std::string name;
  std::string arn;
  std::optional<std::string> description;
  std::optional<std::string> kms_key_id;
  std::optional<std::string> type;
  std::optional<std::string> owning_service;
  EpochMillis created_date = 0;
  EpochMillis last_changed_date = 0;
  std::optional<EpochMillis> last_accessed_date;  // day precision, as AWS keeps it
  std::optional<EpochMillis> deleted_date;        // when DeleteSecret scheduled it
  std::optional<EpochMillis> deletion_date;       // when it is purged for good
  std::optional<std::vector<Tag>> tags;           // nullopt: never tagged

  // Rotation. rotation_enabled is nullopt until rotation was ever configured.
  std::optional<bool> rotation_enabled;
  std::optional<std::string> rotation_lambda_arn;
  std::optional<std::string> rotation_rules_json;  // RotationRules exactly as given
  std::optional<EpochMillis> last_rotated_date;
  std::optional<EpochMillis> next_rotation_date;
  // End of the window next_rotation_date was picked in: a failed scheduled
  // rotation is retried until then, and afterwards waits for the next window.
  std::optional<EpochMillis> rotation_window_end;
  // A managed external secret's rotation: ExternalSecretRotationMetadata (a
  // JSON array of {"Key","Value"} exactly as given, in its order) and
  // ExternalSecretRotationRoleArn. nullopt until a RotateSecret gave them.
  std::optional<std::string> external_rotation_metadata_json;
  std::optional<std::string> external_rotation_role_arn;

  // Resource policy document, exactly as given.
  std::optional<std::string> resource_policy;

  // Replication. On a replica: the primary's region. On a primary: a JSON
  // array of ReplicationStatusType objects.
  std::optional<std::string> primary_region;
  std::optional<std::string> replication_status_json;

  bool operator==(const SecretRecord&) const = default;
};

// One version of a secret. The value is filled only when asked for
// (with_value); has_value says whether one is stored either way.
struct VersionRecord {
  std::string version_id;
  EpochMillis created_date = 0;
  std::optional<EpochMillis> last_accessed_date;
  bool has_value = false;
  std::optional<std::string> secret_string;
  std::optional<std::string> secret_binary;  // raw bytes, not base64
  std::string kms_key_id = "DefaultEncryptionKey";
  std::vector<std::string> labels;  // staging labels, sorted

  bool operator==(const VersionRecord&) const = default;
};

// What a write of a value reads instead of every version: the versions that
// hold a staging label and how many versions there are in all.
struct LabelCensus {
  std::vector<VersionRecord> labelled;  // id and labels (sorted) only, by version id
  std::int64_t version_count = 0;       // every version, deprecated ones included
};

// How many secrets (rows, including replicas and secrets marked for deletion)
// one account holds in one region.
struct RegionSecretCount {
  std::string account_id;
  std::string region;
  std::int64_t secrets = 0;
  bool operator==(const RegionSecretCount&) const = default;
};

struct SecretCounts {
  std::vector<RegionSecretCount> regions;  // by account, then region; none is 0
  std::int64_t total = 0;
};

// One rotation attempt, for GET /_local/rotations.
struct RotationAttemptRecord {
  std::int64_t id = 0;  // assigned by SaveRotationAttempt
  std::int64_t secret_id = 0;
  std::string secret_arn;
  std::string secret_name;
  std::string token;
  std::string trigger;  // "manual" | "scheduled"
  EpochMillis started = 0;
  std::optional<EpochMillis> finished;
  std::string outcome;     // "running" | "succeeded" | "failed"
  std::string error;       // why it failed, empty otherwise
  std::string steps_json;  // [{"step","startedAt","durationMs","outcome","error","output"}]
};

}  // namespace sml::storage
