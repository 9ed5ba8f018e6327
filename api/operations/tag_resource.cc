// TagResource: adds tags (an existing key gets the new value).
#include "api/model/replication.h"
#include "api/model/secret_lookup.h"
#include "api/model/secret_members.h"
#include "api/model/tags.h"
#include "api/operations/operations.h"

namespace sml::api::operations {

SML_OPERATION(TagResource) {
  Input in(input);
  auto secret_id = in.String("SecretId", model::kSecretIdRule);
  auto tags = model::ReadTags(in, "Tags", /*required=*/true);
  in.Finish();
  model::RequireValidSecretId(*secret_id);
  model::ValidateTags(*tags);

  auto changed_id = services.store.Write([&](storage::Repository& repo) {
    auto secret = model::RequireWritableSecret(repo, context, *secret_id);
    // No tag to set: a secret never tagged keeps Tags out of its output.
    if (tags->empty()) return std::int64_t{0};
    secret.tags = model::MergeTags(secret.tags, *tags);
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
