#pragma once
// Writing a new secret value as a version: the part CreateSecret,
// PutSecretValue and UpdateSecret share (BEHAVIOR.md §3). Applies the
// ClientRequestToken idempotency rules, attaches the requested labels (the
// AWSCURRENT/AWSPREVIOUS hand-over included) and prunes old deprecated
// versions. Call inside the operation's write transaction; the caller updates
// the secret's LastChangedDate.
#include <string>
#include <vector>

#include "api/clock.h"
#include "api/input.h"
#include "api/model/versions.h"
#include "storage/store.h"

namespace sml::api::model {

// Reads SecretString and SecretBinary (base64) with the model's limits.
SecretValue ReadSecretValueMembers(Input& input);

// InvalidParameterException when both SecretString and SecretBinary are given.
void RequireAtMostOneValue(const SecretValue& value);

struct PutVersionResult {
  std::string version_id;
  std::vector<std::string> version_stages;  // the version's labels afterwards
  bool changed = false;                     // false: an idempotent retry, nothing written
};

// Stores `value` (not empty) as version `token` of `secret` with `stages`:
// a new version; or an existing empty placeholder filled; or, when the
// version exists with the same value, nothing. A version with that id and a
// different value is ResourceExistsException.
PutVersionResult PutSecretVersion(storage::Repository& repo, const storage::SecretRecord& secret,
                                  const std::string& token, const SecretValue& value,
                                  const std::vector<std::string>& stages, EpochMillis now);

// After UpdateSecret changed the secret's KmsKeyId: AWS re-encrypts the
// versions labelled AWSCURRENT, AWSPENDING or AWSPREVIOUS under the new key
// (their KmsKeyIds show it); other versions keep the key they were written
// with. Empty placeholders have nothing to encrypt and are left alone.
void RekeyStagedVersions(storage::Repository& repo, const storage::SecretRecord& secret);

}  // namespace sml::api::model
