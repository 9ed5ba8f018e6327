#pragma once
// The rotation state machine's writes (BEHAVIOR.md §7), as functions over a
// Repository inside the caller's transaction:
//   BeginRotation     the empty pending version (id = token) labelled AWSPENDING
//   CompleteRotation  AWSPENDING removed, LastRotatedDate and NextRotationDate set
//   DropPendingVersion  the testSecret-only run's placeholder removed again
//   ScheduleRetry     a failed scheduled run waits (backoff) or for the next window
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "api/random.h"
#include "api/rotation/schedule.h"
#include "storage/store.h"

namespace sml::api::rotation {

inline constexpr std::string_view kAwsCurrent = "AWSCURRENT";
inline constexpr std::string_view kAwsPending = "AWSPENDING";

// RotationRules as stored (the caller's JSON object, members kept as given).
RotationRules RulesFromJson(const nlohmann::json& rules);
nlohmann::json RulesToJson(const RotationRules& rules);
// The stored schedule of a secret; nullopt when it has no RotationRules.
std::optional<RotationSchedule> StoredSchedule(const storage::SecretRecord& secret);

// InvalidRequestException when AWSPENDING sits on a version other than
// AWSCURRENT: a previous rotation is unfinished.
void RequireNoUnfinishedRotation(storage::Repository& repo, std::int64_t secret_id);

// Labels `token`'s version AWSPENDING, creating it if it does not exist:
// empty for a rotation (createSecret fills it); for RotateImmediately=false's
// testSecret-only run (`test_only`) holding the AWSCURRENT value, which is
// what the AWS templates' testSecret reads and checks.
void BeginRotation(storage::Repository& repo, std::int64_t secret_id, const std::string& token,
                   EpochMillis now, bool test_only = false);

// Sets the next rotation (moment and window end) after a rotation at `base`.
// Leaves it unset when the secret has no schedule.
void ScheduleNextRotation(storage::SecretRecord& secret, EpochMillis base, RandomSource& random);

// After a successful finishSecret: AWSPENDING leaves every version,
// LastRotatedDate = now, the next rotation is scheduled from now.
void CompleteRotation(storage::Repository& repo, storage::SecretRecord& secret, EpochMillis now,
                      RandomSource& random);

// After a testSecret-only run: removes the version the run created (one
// that holds no label but AWSPENDING), as AWS does; a version that holds
// other labels too (the token named an existing one) only loses AWSPENDING.
void DropPendingVersion(storage::Repository& repo, std::int64_t secret_id, const std::string& token);

// A value written by hand into AWSCURRENT (PutSecretValue, UpdateSecret)
// counts as a rotation for AutomaticallyAfterDays: the next one is due that
// many days from now. Other schedules keep their date.
void RescheduleAfterManualChange(storage::SecretRecord& secret, EpochMillis now,
                                 RandomSource& random);

// A scheduled run failed at `now` for the `failures`-th time in a row:
// retry after a backoff while its window is open, else in the next window.
void ScheduleRetry(storage::SecretRecord& secret, int failures, EpochMillis now,
                   RandomSource& random);

}  // namespace sml::api::rotation
