#include "api/rotation/rotation_state.h"

#include <algorithm>

#include "api/error.h"
#include "api/model/replication.h"
#include "storage/value_cipher.h"

namespace sml::api::rotation {
namespace {

// Backoff of a failed scheduled rotation: 1, 2, 4 ... minutes, at most an hour.
EpochMillis RetryBackoff(int failures) {
  return std::min<EpochMillis>(kMillisPerMinute << std::min(failures - 1, 6), kMillisPerHour);
}

void RemoveLabel(std::vector<storage::VersionRecord>& versions, std::string_view label) {
  for (auto& version : versions) std::erase(version.labels, label);
}

// The model: "In DescribeSecret and ListSecrets, [AutomaticallyAfterDays] is
// calculated from the rotation schedule after every successful rotation".
// For a ScheduleExpression that is the days from this rotation's UTC day to
// the day of the next rotation, just scheduled (a window never crosses a UTC
// day): cron(0 16 1,15 * ? *) rotated on the 1st gives 14, as AWS's own
// example shows; at least 1, the member's minimum, as AWS answers for
// rate(10 hours) (quoted in terraform-provider-aws#31915).
void ShowDaysBetweenRotations(storage::SecretRecord& secret, EpochMillis now) {
  if (!secret.rotation_rules_json || !secret.next_rotation_date) return;
  RotationRules rules = RulesFromJson(nlohmann::json::parse(*secret.rotation_rules_json));
  if (!rules.schedule_expression) return;
  const EpochMillis days = *secret.next_rotation_date / kMillisPerDay - now / kMillisPerDay;
  rules.automatically_after_days = std::max<std::int64_t>(days, 1);
  secret.rotation_rules_json = RulesToJson(rules).dump();
}

}  // namespace

RotationRules RulesFromJson(const nlohmann::json& rules) {
  RotationRules out;
  if (auto it = rules.find("ScheduleExpression"); it != rules.end() && it->is_string()) {
    out.schedule_expression = it->get<std::string>();
  }
  // Beside an expression, the days are the figure a rotation computed
  // (CompleteRotation), not a second schedule.
  if (auto it = rules.find("AutomaticallyAfterDays");
      it != rules.end() && it->is_number_integer() && !out.schedule_expression) {
    out.automatically_after_days = it->get<std::int64_t>();
  }
  if (auto it = rules.find("Duration"); it != rules.end() && it->is_string()) {
    out.duration = it->get<std::string>();
  }
  return out;
}

nlohmann::json RulesToJson(const RotationRules& rules) {
  auto out = nlohmann::json::object();
  if (rules.automatically_after_days) out["AutomaticallyAfterDays"] = *rules.automatically_after_days;
  if (rules.duration) out["Duration"] = *rules.duration;
  if (rules.schedule_expression) out["ScheduleExpression"] = *rules.schedule_expression;
  return out;
}

std::optional<RotationSchedule> StoredSchedule(const storage::SecretRecord& secret) {
  if (!secret.rotation_rules_json) return std::nullopt;
  auto rules = RulesFromJson(nlohmann::json::parse(*secret.rotation_rules_json));
  if (!rules.automatically_after_days && !rules.schedule_expression) return std::nullopt;
  return ParseRotationRules(rules);
}

void RequireNoUnfinishedRotation(storage::Repository& repo, std::int64_t secret_id) {
  auto pending = repo.FindVersionByLabel(secret_id, kAwsPending, false);
  if (!pending) return;
  auto& labels = pending->labels;
  if (std::find(labels.begin(), labels.end(), kAwsCurrent) == labels.end()) {
    throw ApiError(ErrorCode::kInvalidRequest,
                   "A previous rotation isn't complete. That rotation will be reattempted.");
  }
}

void BeginRotation(storage::Repository& repo, std::int64_t secret_id, const std::string& token,
                   EpochMillis now, bool test_only) {
  auto versions = repo.Versions(secret_id);
  RemoveLabel(versions, kAwsPending);
  auto it = std::find_if(versions.begin(), versions.end(),
                         [&](const auto& v) { return v.version_id == token; });
  if (it == versions.end()) {
    storage::VersionRecord placeholder;
    placeholder.version_id = token;
    placeholder.created_date = now;
    if (test_only) {
      std::optional<storage::VersionRecord> current;
      try {
        current = repo.FindVersionByLabel(secret_id, kAwsCurrent, /*with_value=*/true);
      } catch (const storage::DecryptionError&) {
        throw DecryptionFailure();
      }
      if (current && current->has_value) {
        placeholder.has_value = true;
        placeholder.secret_string = std::move(current->secret_string);
        placeholder.secret_binary = std::move(current->secret_binary);
        placeholder.kms_key_id = current->kms_key_id;
      }
    }
    repo.InsertVersion(secret_id, placeholder);
    versions.push_back(std::move(placeholder));
    it = std::prev(versions.end());
  }
  it->labels.emplace_back(kAwsPending);
  std::sort(it->labels.begin(), it->labels.end());
  repo.ReplaceLabels(secret_id, versions);
}

void ScheduleNextRotation(storage::SecretRecord& secret, EpochMillis base, RandomSource& random) {
  auto schedule = StoredSchedule(secret);
  if (!schedule || !secret.rotation_enabled.value_or(false)) {
    secret.next_rotation_date.reset();
    secret.rotation_window_end.reset();
    return;
  }
  auto window = schedule->WindowAfter(base);
  secret.next_rotation_date = PickMomentInWindow(window, random);
  secret.rotation_window_end = window.end;
}

void CompleteRotation(storage::Repository& repo, storage::SecretRecord& secret, EpochMillis now,
                      RandomSource& random) {
  auto versions = repo.Versions(secret.id);
  RemoveLabel(versions, kAwsPending);
  repo.ReplaceLabels(secret.id, versions);
  secret.last_rotated_date = now;
  ScheduleNextRotation(secret, now, random);
  ShowDaysBetweenRotations(secret, now);
  repo.UpdateSecret(secret);
  model::SyncReplicasIfAny(repo, secret);
}

void DropPendingVersion(storage::Repository& repo, std::int64_t secret_id, const std::string& token) {
  auto version = repo.FindVersion(secret_id, token, false);
  if (!version) return;
  const bool only_pending =
      std::all_of(version->labels.begin(), version->labels.end(),
                  [](const std::string& label) { return label == kAwsPending; });
  if (only_pending) {
    repo.DeleteVersion(secret_id, token);
    return;
  }
  auto versions = repo.Versions(secret_id);
  for (auto& v : versions) {
    if (v.version_id == token) std::erase(v.labels, kAwsPending);
  }
  repo.ReplaceLabels(secret_id, versions);
}

void RescheduleAfterManualChange(storage::SecretRecord& secret, EpochMillis now,
                                 RandomSource& random) {
  if (!secret.rotation_enabled.value_or(false)) return;
  auto schedule = StoredSchedule(secret);
  if (schedule && schedule->kind() == RotationSchedule::Kind::kAutomaticallyAfterDays) {
    ScheduleNextRotation(secret, now, random);
  }
}

void ScheduleRetry(storage::SecretRecord& secret, int failures, EpochMillis now,
                   RandomSource& random) {
  EpochMillis retry_at = now + RetryBackoff(std::max(failures, 1));
  if (secret.rotation_window_end && retry_at < *secret.rotation_window_end) {
    secret.next_rotation_date = retry_at;
    return;
  }
  ScheduleNextRotation(secret, now, random);
}

}  // namespace sml::api::rotation
