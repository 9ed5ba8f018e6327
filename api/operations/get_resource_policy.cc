// GetResourcePolicy (BEHAVIOR.md §8): the policy attached to a secret,
// exactly as it was put. ResourcePolicy is omitted when there is none.
// A read, so it answers for a replica; a secret scheduled for deletion is
// InvalidRequestException, as on AWS (terraform-provider-aws#23998 quotes it).
#include "api/input.h"
#include "api/model/secret_lookup.h"
#include "api/operations/operations.h"

namespace sml::api::operations {

SML_OPERATION(GetResourcePolicy) {
  Input in(input);
  auto secret_id = in.String("SecretId", {.required = true, .min_length = 1, .max_length = 2048});
  in.Finish();

  return services.store.Read([&](storage::Repository& repo) {
    auto secret = model::RequireLiveSecret(repo, context, *secret_id);
    nlohmann::json output = {{"ARN", secret.arn}, {"Name", secret.name}};
    if (secret.resource_policy) output["ResourcePolicy"] = *secret.resource_policy;
    return output;
  });
}

}  // namespace sml::api::operations
