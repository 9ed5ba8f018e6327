// RestoreSecret (BEHAVIOR.md §5): cancels a scheduled deletion.
#include "api/model/secret_lookup.h"
#include "api/model/secret_members.h"
#include "api/operations/operations.h"

namespace sml::api::operations {

SML_OPERATION(RestoreSecret) {
  Input in(input);
  auto secret_id = in.String("SecretId", model::kSecretIdRule);
  in.Finish();

  auto [output, changed_id] = services.store.Write([&](storage::Repository& repo) {
    auto secret = model::RequireSecret(repo, context, *secret_id);
    model::RequirePrimary(secret);
    const bool scheduled = secret.deleted_date.has_value();
    if (scheduled) {
      secret.deleted_date.reset();
      secret.deletion_date.reset();
      repo.UpdateSecret(secret);
    }
    return std::pair{nlohmann::json{{"ARN", secret.arn}, {"Name", secret.name}},
                     scheduled ? secret.id : std::int64_t{0}};
  });
  if (changed_id != 0 && services.change_listener)
    services.change_listener->SecretChanged(changed_id);
  return output;
}

}  // namespace sml::api::operations
