// PutResourcePolicy (BEHAVIOR.md §8): attaches a resource policy to a secret.
//
// AWS behaviour kept here:
// - the secret must exist, not be scheduled for deletion and not be a replica
//   (a write; replicas take writes only through their primary);
// - the document must be a valid IAM resource policy, else
//   MalformedPolicyDocumentException;
// - only with BlockPublicPolicy=true is a policy granting broad public access
//   refused (PublicPolicyException); by default it is stored like any other;
// - the document is stored exactly as given (GetResourcePolicy returns it
//   byte for byte) and the change counts as a modification (LastChangedDate).
#include "api/error.h"
#include "api/input.h"
#include "api/model/replication.h"
#include "api/model/secret_lookup.h"
#include "api/operations/operations.h"
#include "api/policy/policy_document.h"

namespace sml::api::operations {
namespace {

constexpr bool kBlockPublicPolicyByDefault = false;

// The text AWS's user guide quotes for this refusal.
ApiError PublicPolicyRefused() {
  return {ErrorCode::kPublicPolicy,
          "You can't attach a resource-based policy that allows broad access to the secret."};
}

}  // namespace

SML_OPERATION(PutResourcePolicy) {
  Input in(input);
  auto secret_id = in.String("SecretId", {.required = true, .min_length = 1, .max_length = 2048});
  auto policy =
      in.String("ResourcePolicy",
                {.required = true, .min_length = 1, .max_length = kMaxPolicyDocumentLength});
  const bool block_public = in.Bool("BlockPublicPolicy").value_or(kBlockPublicPolicyByDefault);
  in.Finish();

  auto [output, changed_id] = services.store.Write([&](storage::Repository& repo) {
    auto secret = model::RequireWritableSecret(repo, context, *secret_id);
    const PolicyDocument document = RequireValidPolicy(*policy);
    if (block_public && IsPublic(document)) throw PublicPolicyRefused();
    secret.resource_policy = *policy;
    secret.last_changed_date = services.clock.Now();
    repo.UpdateSecret(secret);
    model::SyncReplicasIfAny(repo, secret);
    return std::pair{nlohmann::json{{"ARN", secret.arn}, {"Name", secret.name}}, secret.id};
  });
  if (services.change_listener) services.change_listener->SecretChanged(changed_id);
  return output;
}

}  // namespace sml::api::operations
