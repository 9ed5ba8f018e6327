#pragma once
// Reading a secret's value: the rules GetSecretValue and BatchGetSecretValue
// share (BEHAVIOR.md §3): AWSCURRENT by default, the VersionId/VersionStage
// errors, LastAccessedDate kept at day precision.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "api/clock.h"
#include "storage/store.h"

namespace sml::api::model {

// The GetSecretValue output object for `secret` (which must not be marked for
// deletion). Throws ApiError (ResourceNotFoundException / InvalidRequestException)
// as AWS does. Moves LastAccessedDate of the secret and the version to today
// (Repository::RecordAccess, which a read transaction may call).
nlohmann::json ReadSecretValue(storage::Repository& repo, const Clock& clock,
                               storage::SecretRecord& secret,
                               const std::optional<std::string>& version_id,
                               const std::optional<std::string>& version_stage);

}  // namespace sml::api::model
