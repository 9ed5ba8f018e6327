#include "api/model/replication.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "api/error.h"
#include "api/model/secret_members.h"
#include "api/model/timestamps.h"

namespace sml::api::model {
namespace {

constexpr std::string_view kReplicationSucceeded = "Replication succeeded";

ApiError InvalidParameter(std::string message) {
  return ApiError(ErrorCode::kInvalidParameter, std::move(message));
}

std::optional<std::string> ReplicaKey(const ReplicaStatus& entry) {
  if (entry.kms_key_id == kDefaultReplicaKmsKeyId) return std::nullopt;
  return entry.kms_key_id;
}

// Whether `candidate` is the replica of `primary` in its region (and not an
// unrelated secret that merely has the name).
bool IsReplicaOf(const storage::SecretRecord& candidate, const storage::SecretRecord& primary) {
  return candidate.primary_region == primary.region &&
         candidate.arn == ReplicaArn(primary.arn, candidate.region);
}

std::optional<storage::SecretRecord> FindReplica(storage::Repository& repo,
                                                 const storage::SecretRecord& primary,
                                                 std::string_view region) {
  auto found = repo.FindSecretByName(primary.account_id, region, primary.name);
  if (found && IsReplicaOf(*found, primary)) return found;
  return std::nullopt;
}

// The copy of one primary version for the replica: the value, without the
// replica's own access history, under the replica's key.
storage::VersionRecord ReplicaVersion(storage::Repository& repo,
                                      const storage::SecretRecord& primary,
                                      const storage::SecretRecord& replica,
                                      const storage::VersionRecord& version) {
  storage::VersionRecord copy = version;
  if (version.has_value) copy = *repo.FindVersion(primary.id, version.version_id, true);
  copy.labels.clear();
  copy.last_accessed_date.reset();
  copy.kms_key_id = replica.kms_key_id.value_or("DefaultEncryptionKey");
  return copy;
}

// Makes one replica equal to the primary.
void SyncReplica(storage::Repository& repo, const storage::SecretRecord& primary,
                 storage::SecretRecord replica) {
  replica.description = primary.description;
  replica.type = primary.type;
  replica.owning_service = primary.owning_service;
  replica.last_changed_date = primary.last_changed_date;
  replica.tags = primary.tags;
  replica.rotation_enabled = primary.rotation_enabled;
  replica.rotation_lambda_arn = primary.rotation_lambda_arn;
  replica.rotation_rules_json = primary.rotation_rules_json;
  replica.external_rotation_metadata_json = primary.external_rotation_metadata_json;
  replica.external_rotation_role_arn = primary.external_rotation_role_arn;
  replica.last_rotated_date = primary.last_rotated_date;
  replica.next_rotation_date = primary.next_rotation_date;  // shown; only primaries rotate
  replica.rotation_window_end = primary.rotation_window_end;
  replica.resource_policy = primary.resource_policy;
  repo.UpdateSecret(replica);

  const auto source = repo.Versions(primary.id);
  std::map<std::string, storage::VersionRecord> target;
  for (auto& version : repo.Versions(replica.id)) target.emplace(version.version_id, version);
  for (const auto& version : source) {
    auto existing = target.find(version.version_id);
    if (existing == target.end()) {
      repo.InsertVersion(replica.id, ReplicaVersion(repo, primary, replica, version));
    } else {
      // A version's value never changes once set; only a rotation
      // placeholder gets one later.
      if (version.has_value && !existing->second.has_value) {
        repo.UpdateVersionValue(replica.id, ReplicaVersion(repo, primary, replica, version));
      }
      target.erase(existing);
    }
  }
  repo.ReplaceLabels(replica.id, source);
  for (const auto& [version_id, unused] : target) repo.DeleteVersion(replica.id, version_id);
}

// Copies the replica's LastAccessedDate into its status entry; true when it moved.
bool CopyAccessDate(ReplicaStatus& entry, const storage::SecretRecord& replica) {
  if (entry.last_accessed_date == replica.last_accessed_date) return false;
  entry.last_accessed_date = replica.last_accessed_date;
  return true;
}

// SyncReplicas on a current primary record, which it updates (and writes)
// when a status entry's LastAccessedDate moved.
void SyncAll(storage::Repository& repo, storage::SecretRecord& primary) {
  auto list = ReplicaStatuses(primary);
  bool changed = false;
  for (auto& entry : list) {
    if (entry.status != kReplicaInSync) continue;
    auto replica = FindReplica(repo, primary, entry.region);
    if (!replica) continue;
    changed = CopyAccessDate(entry, *replica) || changed;
    SyncReplica(repo, primary, std::move(*replica));
  }
  if (changed) {
    SetReplicaStatuses(primary, list);
    repo.UpdateSecret(primary);
  }
}

// A new replica row of `primary` in entry.region (versions come with the sync).
void InsertReplica(storage::Repository& repo, const storage::SecretRecord& primary,
                   const ReplicaStatus& entry, EpochMillis now) {
  storage::SecretRecord replica = primary;
  replica.id = 0;
  replica.region = entry.region;
  replica.arn = ReplicaArn(primary.arn, entry.region);
  replica.kms_key_id = ReplicaKey(entry);
  replica.created_date = now;
  replica.last_accessed_date.reset();
  replica.deleted_date.reset();
  replica.deletion_date.reset();
  replica.primary_region = primary.region;
  replica.replication_status_json.reset();
  repo.InsertSecret(replica);
}

}  // namespace

bool IsRegionName(std::string_view region) {
  auto dash = region.rfind('-');
  if (dash == std::string_view::npos || dash + 1 == region.size()) return false;
  for (char c : region.substr(dash + 1)) {
    if (c < '0' || c > '9') return false;
  }
  bool word_started = false;
  for (char c : region.substr(0, dash + 1)) {
    if (c == '-') {
      if (!word_started) return false;
      word_started = false;
    } else if (c >= 'a' && c <= 'z') {
      word_started = true;
    } else {
      return false;
    }
  }
  return true;
}

std::optional<std::vector<ReplicaRequest>> ReadReplicaRequests(Input& in, bool required) {
  auto items = in.StructureList("AddReplicaRegions", {.required = required, .min_items = 1});
  if (!items) return std::nullopt;
  std::vector<ReplicaRequest> requests;
  for (auto& item : *items) {
    requests.push_back({.region = item.String("Region", kRegionRule).value_or(""),
                        .kms_key_id = item.String("KmsKeyId", kKmsKeyIdRule)});
  }
  return requests;
}

std::vector<ReplicaStatus> ReplicaStatuses(const storage::SecretRecord& primary) {
  std::vector<ReplicaStatus> list;
  if (!primary.replication_status_json || primary.primary_region) return list;
  auto parsed = nlohmann::json::parse(*primary.replication_status_json, nullptr, false);
  if (!parsed.is_array()) return list;
  for (const auto& item : parsed) {
    if (!item.is_object()) continue;
    ReplicaStatus entry;
    entry.region = item.value("Region", "");
    entry.kms_key_id = item.value("KmsKeyId", std::string(kDefaultReplicaKmsKeyId));
    entry.status = item.value("Status", std::string(kReplicaInSync));
    entry.status_message = item.value("StatusMessage", "");
    if (auto date = item.find("LastAccessedDate"); date != item.end() && date->is_number()) {
      entry.last_accessed_date = std::llround(date->get<double>() * 1000.0);
    }
    list.push_back(std::move(entry));
  }
  return list;
}

void SetReplicaStatuses(storage::SecretRecord& primary, const std::vector<ReplicaStatus>& list) {
  if (list.empty()) {
    primary.replication_status_json.reset();
  } else {
    primary.replication_status_json =
        ReplicationStatusJson(list).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
}

nlohmann::json ReplicationStatusJson(const std::vector<ReplicaStatus>& list) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& entry : list) {
    nlohmann::json item = {{"Region", entry.region},
                           {"KmsKeyId", entry.kms_key_id},
                           {"Status", entry.status}};
    if (!entry.status_message.empty()) item["StatusMessage"] = entry.status_message;
    if (entry.last_accessed_date) item["LastAccessedDate"] = ToAwsTimestamp(*entry.last_accessed_date);
    out.push_back(std::move(item));
  }
  return out;
}

std::optional<std::string> PrimaryRegionOf(const storage::SecretRecord& secret) {
  if (secret.primary_region) return secret.primary_region;
  if (secret.replication_status_json) return secret.region;
  return std::nullopt;
}

std::string ReplicaArn(std::string_view primary_arn, std::string_view region) {
  // arn:aws:secretsmanager:<region>:<rest>
  std::size_t start = 0;
  for (int i = 0; i < 3 && start != std::string_view::npos; ++i) {
    start = primary_arn.find(':', start);
    if (start != std::string_view::npos) ++start;
  }
  if (start == std::string_view::npos) return std::string(primary_arn);
  auto end = primary_arn.find(':', start);
  if (end == std::string_view::npos) return std::string(primary_arn);
  std::string arn(primary_arn.substr(0, start));
  arn.append(region).append(primary_arn.substr(end));
  return arn;
}

void ValidateReplicaRequests(const storage::SecretRecord& primary,
                             const std::vector<ReplicaRequest>& requests) {
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (requests[i].region.empty() || requests[i].region == primary.region) throw InvalidParameter("Invalid replica region.");
    for (std::size_t j = 0; j < i; ++j) {
      if (requests[j].region == requests[i].region) {
        throw InvalidParameter("Duplicate Region " + requests[i].region +
                               " in AddReplicaRegions.");
      }
    }
  }
}

std::vector<ReplicaStatus> AddReplicas(storage::Repository& repo, storage::SecretRecord& primary,
                                       const std::vector<ReplicaRequest>& requests,
                                       bool force_overwrite, EpochMillis now) {
  ValidateReplicaRequests(primary, requests);
  auto list = ReplicaStatuses(primary);
  for (const auto& request : requests) {
    ReplicaStatus entry{.region = request.region,
                        .kms_key_id = request.kms_key_id && !request.kms_key_id->empty()
                                          ? *request.kms_key_id
                                          : std::string(kDefaultReplicaKmsKeyId),
                        .status = std::string(kReplicaInSync),
                        .status_message = std::string(kReplicationSucceeded)};
    auto existing = repo.FindSecretByName(primary.account_id, request.region, primary.name);
    if (existing && IsReplicaOf(*existing, primary)) {
      // Already ours: only the key may change (a replica's one own setting).
      existing->kms_key_id = ReplicaKey(entry);
      repo.UpdateSecret(*existing);
      entry.last_accessed_date = existing->last_accessed_date;
    } else if (existing && (!force_overwrite || existing->primary_region ||
                            existing->replication_status_json)) {
      // Another secret owns the name there; a secret that takes part in
      // replication itself is never overwritten.
      entry.status = std::string(kReplicaFailed);
      entry.status_message = "Replication failed: Secret name " + primary.name +
                             " already exists in region " + request.region + ".";
    } else {
      if (existing) repo.PurgeSecret(existing->id);
      InsertReplica(repo, primary, entry, now);
    }
    auto same_region = std::find_if(list.begin(), list.end(), [&](const ReplicaStatus& item) {
      return item.region == entry.region;
    });
    if (same_region != list.end()) {
      *same_region = std::move(entry);
    } else {
      list.push_back(std::move(entry));
    }
  }
  SetReplicaStatuses(primary, list);
  repo.UpdateSecret(primary);
  SyncAll(repo, primary);
  return ReplicaStatuses(primary);
}

std::vector<ReplicaStatus> RemoveReplicas(storage::Repository& repo, storage::SecretRecord& primary,
                                          const std::vector<std::string>& regions) {
  RefreshReplicaAccessDates(repo, primary);  // the answer shows the replicas that remain
  auto list = ReplicaStatuses(primary);
  std::erase_if(list, [&](const ReplicaStatus& entry) {
    if (std::find(regions.begin(), regions.end(), entry.region) == regions.end()) return false;
    if (auto replica = FindReplica(repo, primary, entry.region)) repo.PurgeSecret(replica->id);
    return true;
  });
  SetReplicaStatuses(primary, list);
  repo.UpdateSecret(primary);
  return list;
}

void PromoteReplica(storage::Repository& repo, storage::SecretRecord& replica) {
  const std::string primary_region = replica.primary_region.value_or("");
  replica.primary_region.reset();
  repo.UpdateSecret(replica);
  auto primary = repo.FindSecretByName(replica.account_id, primary_region, replica.name);
  if (!primary || primary->primary_region) return;
  auto list = ReplicaStatuses(*primary);
  auto before = list.size();
  std::erase_if(list, [&](const ReplicaStatus& entry) { return entry.region == replica.region; });
  if (list.size() == before) return;
  SetReplicaStatuses(*primary, list);
  repo.UpdateSecret(*primary);
}

void SyncReplicas(storage::Repository& repo, const storage::SecretRecord& primary) {
  auto current = repo.FindSecretById(primary.id);
  if (!current || current->primary_region) return;
  SyncAll(repo, *current);
}

void RefreshReplicaAccessDates(storage::Repository& repo, storage::SecretRecord& primary) {
  auto list = ReplicaStatuses(primary);
  bool changed = false;
  for (auto& entry : list) {
    if (auto replica = FindReplica(repo, primary, entry.region)) {
      changed = CopyAccessDate(entry, *replica) || changed;
    }
  }
  if (changed) SetReplicaStatuses(primary, list);
}

void RequireNoReplicas(const storage::SecretRecord& secret) {
  auto list = ReplicaStatuses(secret);
  if (list.empty()) return;
  std::string regions;
  for (const auto& entry : list) {
    if (!regions.empty()) regions += ", ";
    regions += entry.region;
  }
  throw InvalidParameter("You can't delete secret " + secret.arn +
                         " that still has replica regions [" + regions + "].");
}

}  // namespace sml::api::model
