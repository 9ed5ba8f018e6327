// UntagResource: removes tags by key. A secret that was tagged keeps an
// empty tag list ([]) rather than going back to "never tagged".
#include "api/model/replication.h"
#include "api/model/secret_lookup.h"
#include "api/model/secret_members.h"
#include "api/model/tags.h"
#include "api/operations/operations.h"

namespace sml::api::operations {

SML_OPERATION(UntagResource) {
  Input in(input);
  auto secret_id = in.String("SecretId", model::kSecretIdRule);
  auto keys = in.StringList("TagKeys", {.required = true}, {.min_length = 1, .max_length = 128});
  in.Finish();
  model::RequireValidSecretId(*secret_id);
  model::RequireNoSystemTagKeys(*keys);

  auto changed_id = services.store.Write([&](storage::Repository& repo) {
    auto secret = model::RequireWritableSecret(repo, context, *secret_id);
    if (!secret.tags) return std::int64_t{0};  // never tagged: nothing to remove
    secret.tags = model::RemoveTags(secret.tags, *keys);
    // Tags are part of the secret: LastChangedDate is any modification's.
    secret.last_changed_date = services.clock.Now();
    repo.UpdateSecret(secret);
    model::SyncReplicasIfAny(repo, secret);
    return secret.id;
  });
  if (changed_id != 0 && services.change_listener)
    services.change_listener->SecretChanged(changed_id);
  return nlohmann::json::object();
}

}  // namespace sml::api::operations
