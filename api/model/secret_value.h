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
// as AWS does. Updates LastAccessedDate on the secret and the version when the
// day changed, so call it inside a write transaction — unless
// `access_update_needed` is given: then nothing is written (a read
// transaction will do) and it tells whether LastAccessedDate is behind, so the
// caller can repeat the call in a write transaction, once a day per version.
nlohmann::json ReadSecretValue(storage::Repository& repo, const Clock& clock,
                               storage::SecretRecord& secret,
                               const std::optional<std::string>& version_id,
                               const std::optional<std::string>& version_stage,
                               bool* access_update_needed = nullptr);

}  // namespace sml::api::model
