#pragma once
// Multi-Region secrets (BEHAVIOR.md §8): a replica is a real secret row in
// another region of the same account, with the primary's name, the primary's
// ARN with the region replaced, and primary_region = the primary's region.
// Its versions, values, labels, description, tags, type, rotation fields and
// resource policy mirror the primary; its KMS key, creation date and access
// dates are its own. The primary keeps the list of its replicas
// (ReplicationStatusType objects) in replication_status_json.
//
// Replicas are never stale: every transaction that changes a primary ends
// with SyncReplicasIfAny, so a replica equals its primary when the
// transaction commits. Writes to a replica are refused by
// model::RequireWritableSecret / RequirePrimary.
//
// All functions run inside the caller's write transaction; none commits.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/clock.h"
#include "api/input.h"
#include "storage/store.h"

namespace sml::api::model {

inline constexpr std::string_view kReplicaInSync = "InSync";
inline constexpr std::string_view kReplicaFailed = "Failed";
inline constexpr std::string_view kReplicaInProgress = "InProgress";
// The KmsKeyId a replica status reports when none was given.
inline constexpr std::string_view kDefaultReplicaKmsKeyId = "alias/aws/secretsmanager";

// One ReplicationStatusType entry of a primary.
struct ReplicaStatus {
  std::string region;
  std::string kms_key_id;  // as given, or kDefaultReplicaKmsKeyId
  std::string status;      // kReplicaInSync | kReplicaFailed | kReplicaInProgress
  std::string status_message;
  std::optional<EpochMillis> last_accessed_date;
  bool operator==(const ReplicaStatus&) const = default;
};

// One requested replica: AddReplicaRegions' {Region, KmsKeyId}.
struct ReplicaRequest {
  std::string region;
  std::optional<std::string> kms_key_id;
};

// RegionType: ^([a-z]+-)+\d+$, 1–128 characters.
bool IsRegionName(std::string_view region);
inline const StringRule kRegionRule{.min_length = 1,
                                    .max_length = 128,
                                    .matches = &IsRegionName,
                                    .pattern = "^([a-z]+-)+\\d+$"};

// Reads AddReplicaRegions (a list of {Region, KmsKeyId}, at least one) with
// the model's constraints; violations go to `in` (reported by in.Finish()).
std::optional<std::vector<ReplicaRequest>> ReadReplicaRequests(Input& in, bool required);

// The primary's replica list (empty for a secret that is not a primary).
std::vector<ReplicaStatus> ReplicaStatuses(const storage::SecretRecord& primary);
// Stores the list in primary.replication_status_json (nullopt when empty);
// the caller writes the record.
void SetReplicaStatuses(storage::SecretRecord& primary, const std::vector<ReplicaStatus>& list);
// The wire ReplicationStatus array (AWS keys, timestamps in epoch seconds).
nlohmann::json ReplicationStatusJson(const std::vector<ReplicaStatus>& list);

// PrimaryRegion as Describe/List show it and the `primary-region` filter
// matches it: a replica's primary region, a primary's own region while it has
// replicas, nullopt for a secret that takes no part in replication.
std::optional<std::string> PrimaryRegionOf(const storage::SecretRecord& secret);

// The primary's ARN with its region replaced (AWS keeps the suffix).
std::string ReplicaArn(std::string_view primary_arn, std::string_view region);

// The regions of AddReplicaRegions, checked: InvalidParameterException for
// the primary's own region ("Invalid replica region.") or a region given twice.
void ValidateReplicaRequests(const storage::SecretRecord& primary,
                             const std::vector<ReplicaRequest>& requests);

// Replicates `primary` to each requested region (after
// ValidateReplicaRequests) and writes the primary with its new status list.
// A region already replicated is re-synced. A secret of the same name in a
// target region makes that replica Failed ("Replication failed: Secret name
// <name> already exists in region <region>."), unless `force_overwrite`, which
// replaces it; a secret there that is itself a replica or a primary with
// replicas is never overwritten. Returns the whole status list.
std::vector<ReplicaStatus> AddReplicas(storage::Repository& repo, storage::SecretRecord& primary,
                                       const std::vector<ReplicaRequest>& requests,
                                       bool force_overwrite, EpochMillis now);

// Purges the replicas in `regions` (regions not replicated are ignored) and
// writes the primary with the remaining status list, which it returns.
std::vector<ReplicaStatus> RemoveReplicas(storage::Repository& repo, storage::SecretRecord& primary,
                                          const std::vector<std::string>& regions);

// Promotes a replica to a standalone secret in its region: primary_region is
// cleared and the primary forgets it. Writes both. Precondition: a replica.
void PromoteReplica(storage::Repository& repo, storage::SecretRecord& replica);

// Makes every InSync replica of `primary` equal to the primary as stored now
// (fields, versions with values, labels); also refreshes each status entry's
// LastAccessedDate from its replica. `primary` is re-read by id, so a caller
// may pass a record it has since written.
void SyncReplicas(storage::Repository& repo, const storage::SecretRecord& primary);

// Sets each status entry's LastAccessedDate of `primary` (in memory only) to
// its replica's: a replica is read in its own region, without a write to the
// primary, and DescribeSecret of the primary must still show the read.
void RefreshReplicaAccessDates(storage::Repository& repo, storage::SecretRecord& primary);

// SyncReplicas when `secret` is a primary with replicas; otherwise nothing
// (no storage access). The one line every primary-changing write ends with.
inline void SyncReplicasIfAny(storage::Repository& repo, const storage::SecretRecord& secret) {
  if (secret.replication_status_json && !secret.primary_region) SyncReplicas(repo, secret);
}

// DeleteSecret's refusal of a primary that still has replicas (AWS: remove
// them first with RemoveRegionsFromReplication): InvalidParameterException
// "You can't delete secret <arn> that still has replica regions [<r1>, <r2>]."
void RequireNoReplicas(const storage::SecretRecord& secret);

}  // namespace sml::api::model
