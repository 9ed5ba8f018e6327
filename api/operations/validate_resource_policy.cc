// ValidateResourcePolicy (BEHAVIOR.md §8): checks a policy without storing it.
//
// - SecretId is optional; when given the secret must exist
//   (ResourceNotFoundException), scheduled for deletion or not: nothing is
//   written, so the read rules apply. Another account's secret needs both
//   secretsmanager:ValidateResourcePolicy and :PutResourcePolicy in its policy.
// - A document that is not a JSON object at all cannot be validated: AWS
//   answers MalformedPolicyDocumentException, as PutResourcePolicy does.
// - Otherwise the answer is api::Validate's: PolicyValidationPassed, and
//   ValidationErrors as [{CheckName, ErrorMessage}] — an empty list when the
//   policy passed (AWS sends "ValidationErrors": []).
#include "api/input.h"
#include "api/model/access.h"
#include "api/model/secret_lookup.h"
#include "api/operations/operations.h"
#include "api/policy/policy_document.h"

namespace sml::api::operations {

SML_OPERATION(ValidateResourcePolicy) {
  Input in(input);
  auto secret_id = in.String("SecretId", {.min_length = 1, .max_length = 2048});
  auto policy =
      in.String("ResourcePolicy",
                {.required = true, .min_length = 1, .max_length = kMaxPolicyDocumentLength});
  in.Finish();

  if (secret_id) {
    services.store.Read([&](storage::Repository& repo) {
      auto secret = model::RequireSecret(repo, context, *secret_id);
      // AWS requires both permissions; the lookup checked context.action.
      model::AuthorizeAccess(context, secret, "secretsmanager:PutResourcePolicy");
    });
  }
  const auto root = nlohmann::json::parse(*policy, nullptr, /*allow_exceptions=*/false);
  if (!root.is_object()) RequireValidPolicy(*policy);  // throws MalformedPolicyDocument

  const PolicyValidationResult result = Validate(*policy);
  nlohmann::json errors = nlohmann::json::array();
  for (const PolicyValidationError& error : result.errors) {
    errors.push_back({{"CheckName", error.check_name}, {"ErrorMessage", error.message}});
  }
  return nlohmann::json{{"PolicyValidationPassed", result.passed},
                        {"ValidationErrors", std::move(errors)}};
}

}  // namespace sml::api::operations
