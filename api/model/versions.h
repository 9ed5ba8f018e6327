#pragma once
// The rules of versions and staging labels (BEHAVIOR.md §3), as pure
// functions over a secret's versions. Operations load the versions
// (Repository::Versions), apply these rules, and write the labels back with
// Repository::ReplaceLabels; nothing here touches SQLite or HTTP.
//
// Invariants the functions keep: a label sits on at most one version; a
// version has at most kMaxLabelsPerVersion labels; each version's labels stay
// sorted (as storage returns them). Errors are ApiErrors in AWS's words.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/records.h"

namespace sml::api::model {

inline constexpr std::string_view kAwsCurrent = "AWSCURRENT";
inline constexpr std::string_view kAwsPrevious = "AWSPREVIOUS";
inline constexpr std::string_view kAwsPending = "AWSPENDING";
inline constexpr std::size_t kMaxLabelsPerVersion = 20;
// Past this many versions the oldest deprecated ones are removed.
inline constexpr std::size_t kMaxVersions = 100;

using Versions = std::vector<storage::VersionRecord>;

// A secret value as a request carries it: string xor binary (raw bytes).
struct SecretValue {
  std::optional<std::string> secret_string;
  std::optional<std::string> secret_binary;
  bool empty() const { return !secret_string && !secret_binary; }
};

// The version with this id / holding this label, or nullptr.
storage::VersionRecord* FindVersion(Versions& versions, std::string_view version_id);
const storage::VersionRecord* FindVersion(const Versions& versions, std::string_view version_id);
storage::VersionRecord* FindLabelHolder(Versions& versions, std::string_view label);
const storage::VersionRecord* FindLabelHolder(const Versions& versions, std::string_view label);

bool HasLabel(const storage::VersionRecord& version, std::string_view label);
// A version without labels is deprecated.
inline bool IsDeprecated(const storage::VersionRecord& version) { return version.labels.empty(); }

// Whether `version` (read with its value) holds exactly `value`.
bool SameValue(const storage::VersionRecord& version, const SecretValue& value);

// What a ClientRequestToken means for a write that carries a value, given the
// version that already has that id (read with its value), if any.
enum class TokenOutcome {
  kCreate,       // no such version: create it
  kFill,         // an empty placeholder (rotation's AWSPENDING): store the value into it
  kAlreadyDone,  // same value: an idempotent retry, change nothing
  kConflict,     // different value: ResourceExistsException
};
TokenOutcome ClassifyToken(const std::optional<storage::VersionRecord>& existing,
                           const SecretValue& value);

// Attaches `label` to the version `version_id` (which must be in `versions`),
// taking it off whichever version had it. When AWSCURRENT moves, the version
// that lost it gets AWSPREVIOUS and AWSPREVIOUS leaves its holder. Throws
// LimitExceededException when the version would exceed 20 labels.
void AttachLabel(Versions& versions, std::string_view version_id, std::string_view label);

// AttachLabel for each of `labels` in order (PutSecretValue's VersionStages).
void AttachLabels(Versions& versions, std::string_view version_id,
                  const std::vector<std::string>& labels);

// The labels of a version a write of a value creates or fills (CreateSecret,
// PutSecretValue's VersionStages, UpdateSecret): AttachLabels, and
// - the secret's first version (`first_version`: it is the secret's only
//   version) gets AWSCURRENT even when `labels` omit it;
// - when AWSCURRENT moves off a version that also holds AWSPENDING (a
//   rotation that finished in place), AWSPENDING leaves that version too, so
//   it keeps only AWSPREVIOUS (and any labels of its own).
// `versions` needs only the written version and those holding a label.
void LabelWrittenVersion(Versions& versions, std::string_view version_id,
                         std::vector<std::string> labels, bool first_version);

// UpdateSecretVersionStage: moves `label` from `remove_from` to `move_to`
// (either may be absent). A label attached elsewhere may only be moved when
// `remove_from` names its holder (InvalidParameterException otherwise); an
// unknown version id is ResourceNotFoundException; moving AWSCURRENT from one
// version to another brings AWSPREVIOUS along. Works when no version holds
// the label yet. AWSCURRENT may not be removed without a MoveToVersionId
// (InvalidParameterException).
void MoveLabel(Versions& versions, std::string_view label,
               const std::optional<std::string>& remove_from,
               const std::optional<std::string>& move_to);

// How many versions to remove from a secret that has `version_count`, so that
// at most kMaxVersions remain. The oldest deprecated ones go first (by
// created_date, then insertion order: Repository::DeleteOldestUnlabelledVersions);
// labelled versions never do, so more than kMaxVersions may remain.
inline std::int64_t VersionsToPrune(std::int64_t version_count) {
  return std::max<std::int64_t>(0, version_count - static_cast<std::int64_t>(kMaxVersions));
}

// The AWS VersionIdsToStages map: version id -> labels, deprecated versions left out.
std::vector<std::pair<std::string, std::vector<std::string>>> VersionIdsToStages(
    const Versions& versions);

}  // namespace sml::api::model
