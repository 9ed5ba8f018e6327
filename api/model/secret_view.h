#pragma once
// How a secret looks on the wire: the DescribeSecret output and the
// ListSecrets SecretListEntry, built in one place from the stored record and
// its versions (BEHAVIOR.md §4).
//
// AWS omits keys rather than sending null, so a key appears only when it
// means something: VersionIdsToStages/SecretVersionsToStages only when some
// version carries a staging label; RotationEnabled, RotationLambdaARN,
// RotationRules, LastRotatedDate, NextRotationDate only once rotation was
// ever configured (rotation_enabled has a value); Tags once tags were ever set
// ([] after all were removed); DeletedDate only while scheduled for
// deletion; Description, KmsKeyId, Type, OwningService, PrimaryRegion,
// ExternalSecretRotationMetadata (as given, [] included),
// ExternalSecretRotationRoleArn, LastAccessedDate (and, on DescribeSecret,
// ReplicationStatus) only when set.
// Timestamps are epoch seconds (model::ToAwsTimestamp).
#include <vector>

#include "api/json_writer.h"
#include "storage/records.h"

namespace sml::api::model {

// Writes the DescribeSecret output object. `versions` as
// Repository::LabelledVersions (or Versions) gives them.
void WriteDescribeSecretView(JsonWriter& out, const storage::SecretRecord& secret,
                             const std::vector<storage::VersionRecord>& versions);

// Writes one SecretListEntry of ListSecrets: the same fields, with
// SecretVersionsToStages instead of VersionIdsToStages and no ReplicationStatus.
void WriteSecretListEntryView(JsonWriter& out, const storage::SecretRecord& secret,
                              const std::vector<storage::VersionRecord>& versions);

}  // namespace sml::api::model
