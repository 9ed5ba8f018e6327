// DeleteSecret (BEHAVIOR.md §5): schedules the purge after a recovery window
// of 7–30 days (30 by default), or purges at once with
// ForceDeleteWithoutRecovery, which also succeeds for a secret that is gone.
#include "api/error.h"
#include "api/model/access.h"
#include "api/model/replication.h"
#include "api/model/secret_lookup.h"
#include "api/model/secret_members.h"
#include "api/model/timestamps.h"
#include "api/operations/operations.h"

namespace sml::api::operations {
namespace {
constexpr std::int64_t kDefaultRecoveryWindowDays = 30;
}  // namespace

SML_OPERATION(DeleteSecret) {
  Input in(input);
  auto secret_id = in.String("SecretId", model::kSecretIdRule);
  auto window_days = in.Integer("RecoveryWindowInDays", {.long_shape = true});
  auto force = in.Bool("ForceDeleteWithoutRecovery").value_or(false);
  in.Finish();
  model::RequireValidSecretId(*secret_id);

  // The range first: AWS answers RecoveryWindowInDays=0 with
  // ForceDeleteWithoutRecovery with the range message, not the conflict.
  if (window_days && (*window_days < 7 || *window_days > 30)) {
    throw ApiError(ErrorCode::kInvalidParameter,
                   "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
  }
  if (force && window_days) {
    throw ApiError(ErrorCode::kInvalidParameter,
                   "You can't use ForceDeleteWithoutRecovery in conjunction with "
                   "RecoveryWindowInDays.");
  }

  const EpochMillis now = services.clock.Now();
  auto [output, changed_id] = services.store.Write([&](storage::Repository& repo) {
    auto secret = model::FindSecret(repo, context, *secret_id);
    if (secret) {
      model::AuthorizeAccess(context, *secret, context.action);
      model::RequirePrimary(*secret);
      model::RequireNoReplicas(*secret);
    }
    if (force) {
      if (!secret) {
        // AWS answers a forced delete of a missing secret without an error.
        std::string name = *secret_id;
        std::string arn =
            name.starts_with("arn:")
                ? name
                : model::MakeSecretArn(context.region, context.account_id, name, services.random);
        if (name.starts_with("arn:")) name = name.substr(name.rfind(':') + 1);
        return std::pair{
            nlohmann::json{
                {"ARN", arn}, {"Name", name}, {"DeletionDate", model::ToAwsTimestamp(now)}},
            std::int64_t{0}};
      }
      repo.PurgeSecret(secret->id);
      return std::pair{nlohmann::json{{"ARN", secret->arn},
                                      {"Name", secret->name},
                                      {"DeletionDate", model::ToAwsTimestamp(now)}},
                       secret->id};
    }
    if (!secret) throw SecretNotFound();
    if (secret->deleted_date) throw MarkedForDeletion();
    secret->deleted_date = now;
    secret->deletion_date =
        now + window_days.value_or(kDefaultRecoveryWindowDays) * model::kMillisPerDay;
    repo.UpdateSecret(*secret);
    return std::pair{
        nlohmann::json{{"ARN", secret->arn},
                       {"Name", secret->name},
                       {"DeletionDate", model::ToAwsTimestamp(*secret->deletion_date)}},
        secret->id};
  });
  if (changed_id != 0 && services.change_listener)
    services.change_listener->SecretChanged(changed_id);
  return output;
}

}  // namespace sml::api::operations
