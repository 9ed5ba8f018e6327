// DescribeSecret: the secret's metadata, also while it is scheduled for
// deletion (BEHAVIOR.md §5).
#include "api/input.h"
#include "api/model/replication.h"
#include "api/model/secret_lookup.h"
#include "api/model/secret_view.h"
#include "api/operations/operations.h"

namespace sml::api::operations {

SML_OPERATION(DescribeSecret) {
  Input in(input);
  auto secret_id = in.String("SecretId", {.required = true, .min_length = 1, .max_length = 2048});
  in.Finish();
  return services.store.Read([&](storage::Repository& repo) {
    auto secret = model::RequireSecret(repo, context, *secret_id);
    model::RefreshReplicaAccessDates(repo, secret);
    JsonWriter out;
    model::WriteDescribeSecretView(out, secret, repo.LabelledVersions(secret.id));
    return out;
  });
}

}  // namespace sml::api::operations
