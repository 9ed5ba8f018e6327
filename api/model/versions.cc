#include "api/model/versions.h"

#include <algorithm>

#include "api/error.h"

namespace sml::api::model {
namespace {

void RemoveLabel(storage::VersionRecord& version, std::string_view label) {
  std::erase(version.labels, label);
}

ApiError TooManyLabels() {
  return {ErrorCode::kLimitExceeded, "A version of a secret can have at most " +
                                         std::to_string(kMaxLabelsPerVersion) + " staging labels."};
}

void AddLabel(storage::VersionRecord& version, std::string_view label) {
  if (HasLabel(version, label)) return;
  if (version.labels.size() >= kMaxLabelsPerVersion) throw TooManyLabels();
  version.labels.insert(std::lower_bound(version.labels.begin(), version.labels.end(), label),
                        std::string(label));
}

ApiError VersionNotFound(std::string_view version_id) {
  return {ErrorCode::kResourceNotFound,
          "Secrets Manager can't find the specified secret value for VersionId: " +
              std::string(version_id)};
}

storage::VersionRecord& RequireVersion(Versions& versions, std::string_view version_id) {
  auto* version = FindVersion(versions, version_id);
  if (!version) throw VersionNotFound(version_id);
  return *version;
}

}  // namespace

storage::VersionRecord* FindVersion(Versions& versions, std::string_view version_id) {
  for (auto& version : versions) {
    if (version.version_id == version_id) return &version;
  }
  return nullptr;
}

const storage::VersionRecord* FindVersion(const Versions& versions, std::string_view version_id) {
  return FindVersion(const_cast<Versions&>(versions), version_id);
}

storage::VersionRecord* FindLabelHolder(Versions& versions, std::string_view label) {
  for (auto& version : versions) {
    if (HasLabel(version, label)) return &version;
  }
  return nullptr;
}

const storage::VersionRecord* FindLabelHolder(const Versions& versions, std::string_view label) {
  return FindLabelHolder(const_cast<Versions&>(versions), label);
}

bool HasLabel(const storage::VersionRecord& version, std::string_view label) {
  return std::find(version.labels.begin(), version.labels.end(), label) != version.labels.end();
}

bool SameValue(const storage::VersionRecord& version, const SecretValue& value) {
  return version.has_value && version.secret_string == value.secret_string &&
         version.secret_binary == value.secret_binary;
}

TokenOutcome ClassifyToken(const std::optional<storage::VersionRecord>& existing,
                           const SecretValue& value) {
  if (!existing) return TokenOutcome::kCreate;
  if (!existing->has_value) return TokenOutcome::kFill;
  return SameValue(*existing, value) ? TokenOutcome::kAlreadyDone : TokenOutcome::kConflict;
}

void AttachLabel(Versions& versions, std::string_view version_id, std::string_view label) {
  auto& target = RequireVersion(versions, version_id);
  if (HasLabel(target, label)) return;
  // Check the limit before changing anything, so a refusal leaves no trace.
  if (target.labels.size() >= kMaxLabelsPerVersion) throw TooManyLabels();
  auto* holder = FindLabelHolder(versions, label);
  if (holder) RemoveLabel(*holder, label);
  AddLabel(target, label);
  if (label == kAwsCurrent && holder) {
    if (auto* previous = FindLabelHolder(versions, kAwsPrevious))
      RemoveLabel(*previous, kAwsPrevious);
    AddLabel(*holder, kAwsPrevious);
  }
}

void AttachLabels(Versions& versions, std::string_view version_id,
                  const std::vector<std::string>& labels) {
  auto& target = RequireVersion(versions, version_id);
  std::size_t added = 0;
  for (const auto& label : labels) added += !HasLabel(target, label);
  if (target.labels.size() + added > kMaxLabelsPerVersion) throw TooManyLabels();
  for (const auto& label : labels) AttachLabel(versions, version_id, label);
}

void LabelWrittenVersion(Versions& versions, std::string_view version_id,
                         std::vector<std::string> labels, bool first_version) {
  if (first_version && std::find(labels.begin(), labels.end(), kAwsCurrent) == labels.end()) {
    labels.emplace_back(kAwsCurrent);
  }
  auto* old_current = FindLabelHolder(versions, kAwsCurrent);
  const std::string old_current_id = old_current ? old_current->version_id : "";
  const bool old_current_pending = old_current && HasLabel(*old_current, kAwsPending);
  AttachLabels(versions, version_id, labels);
  auto* left = FindVersion(versions, old_current_id);
  if (old_current_pending && left && !HasLabel(*left, kAwsCurrent)) RemoveLabel(*left, kAwsPending);
}

void MoveLabel(Versions& versions, std::string_view label,
               const std::optional<std::string>& remove_from,
               const std::optional<std::string>& move_to) {
  // A secret keeps its AWSCURRENT: it may move, never just go.
  if (label == kAwsCurrent && remove_from && !move_to) {
    throw ApiError(ErrorCode::kInvalidParameter,
                   "You can only move staging label AWSCURRENT to a different secret version. It "
                   "can\u2019t be completely removed.");
  }
  if (remove_from) RequireVersion(versions, *remove_from);
  if (move_to) RequireVersion(versions, *move_to);
  auto* holder = FindLabelHolder(versions, label);
  const std::string label_text(label);
  if (remove_from && (!holder || holder->version_id != *remove_from)) {
    throw ApiError(ErrorCode::kInvalidParameter,
                   "When you move staging label " + label_text +
                       ", if you specify RemoveFromVersionId, it must be set to the version "
                       "that currently has the staging label " +
                       label_text + ".");
  }
  if (move_to && holder && holder->version_id != *move_to && !remove_from) {
    throw ApiError(ErrorCode::kInvalidParameter,
                   "The parameter RemoveFromVersionId can't be empty. Staging label " + label_text +
                       " is currently attached to version " + holder->version_id +
                       ", so you must explicitly reference that version in RemoveFromVersionId.");
  }
  if (move_to) {
    // AttachLabel takes the label off its holder and, for AWSCURRENT, hands
    // AWSPREVIOUS to the version it left.
    AttachLabel(versions, *move_to, label);
  } else if (remove_from) {
    RemoveLabel(*holder, label);
  }
}

std::vector<std::pair<std::string, std::vector<std::string>>> VersionIdsToStages(
    const Versions& versions) {
  std::vector<std::pair<std::string, std::vector<std::string>>> map;
  for (const auto& version : versions) {
    if (!IsDeprecated(version)) map.emplace_back(version.version_id, version.labels);
  }
  return map;
}

}  // namespace sml::api::model
