#pragma once
// Reading a secret's value: the rules GetSecretValue and BatchGetSecretValue
// share (BEHAVIOR.md §3): AWSCURRENT by default, the VersionId/VersionStage
// errors, LastAccessedDate kept at day precision.
#include <optional>
#include <string>

#include "api/clock.h"
#include "api/json_writer.h"
#include "storage/store.h"

namespace sml::api::model {

// Writes the GetSecretValue output object for `secret` (which must not be
// marked for deletion) to `out`. Throws ApiError (ResourceNotFoundException,
// InvalidRequestException) as AWS does. Moves LastAccessedDate of the secret
// and the version to today (Repository::RecordAccess, which a read
// transaction may call).
void ReadSecretValue(storage::Repository& repo, const Clock& clock, storage::SecretRecord& secret,
                     const std::optional<std::string>& version_id,
                     const std::optional<std::string>& version_stage, JsonWriter& out);

}  // namespace sml::api::model
