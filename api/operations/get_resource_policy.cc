// GetResourcePolicy (BEHAVIOR.md §8): the policy attached to a secret,
// exactly as it was put. ResourcePolicy is omitted when there is none.
// A read: it also answers for a secret scheduled for deletion (as
// DescribeSecret does) and for a replica.
#include "api/input.h"
#include "api/model/secret_lookup.h"
#include "api/operations/operations.h"

namespace sml::api::operations {

SML_OPERATION(GetResourcePolicy) {
  Input in(input);
  auto secret_id = in.String("SecretId", {.required = true, .min_length = 1, .max_length = 2048});
  in.Finish();

  return services.store.Read([&](storage::Repository& repo) {
    auto secret = model::RequireSecret(repo, context, *secret_id);
    nlohmann::json output = {{"ARN", secret.arn}, {"Name", secret.name}};
    if (secret.resource_policy) output["ResourcePolicy"] = *secret.resource_policy;
    return output;
  });
}

}  // namespace sml::api::operations
