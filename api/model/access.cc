#include "api/model/access.h"

#include "api/error.h"

namespace sml::api::model {
namespace {

// True when some Deny statement of `document` applies to the request: the
// Deny statements alone, read as Allows, would allow it.
bool ExplicitlyDenied(const PolicyDocument& document, std::string_view account_id,
                      std::string_view caller_arn, std::string_view action,
                      std::string_view resource_arn, const PolicyConditionContext& context) {
  PolicyDocument denies;
  for (const PolicyStatement& statement : document.statements) {
    if (statement.allow) continue;
    denies.statements.push_back(statement);
    denies.statements.back().allow = true;
  }
  return !denies.statements.empty() &&
         Allows(denies, account_id, caller_arn, action, resource_arn, context);
}

ApiError AccessDenied(std::string_view caller_arn, std::string_view action,
                      std::string_view resource_arn, bool explicit_deny) {
  std::string message = "User: ";
  message.append(caller_arn)
      .append(" is not authorized to perform: ")
      .append(action)
      .append(" on resource: ")
      .append(resource_arn);
  if (explicit_deny) {
    message.append(" with an explicit deny in a resource-based policy");
  } else {
    message.append(" because no resource-based policy allows the ")
        .append(action)
        .append(" action");
  }
  return {ErrorCode::kAccessDenied, std::move(message)};
}

}  // namespace

std::string CallerArn(const RequestContext& context) {
  if (!context.caller_arn.empty()) return context.caller_arn;
  return "arn:aws:iam::" + context.account_id + ":root";
}

bool NeedsResourcePolicy(const RequestContext& context, const storage::SecretRecord& secret) {
  return context.enforce_resource_policies && secret.account_id != context.account_id;
}

PolicyConditionContext SecretConditionContext(const RequestContext& context,
                                              const storage::SecretRecord& secret) {
  PolicyConditionContext keys = {
      {"aws:ResourceAccount", {secret.account_id}},
      {"aws:RequestedRegion", {context.region}},
      {"secretsmanager:SecretId", {secret.arn}},
  };
  if (secret.tags) {
    for (const storage::Tag& tag : *secret.tags) {
      keys["aws:ResourceTag/" + tag.key] = {tag.value};
      keys["secretsmanager:ResourceTag/" + tag.key] = {tag.value};
    }
  }
  return keys;
}

void AuthorizeAccess(const RequestContext& context, const storage::SecretRecord& secret,
                     std::string_view action, const PolicyConditionContext& extra) {
  if (!NeedsResourcePolicy(context, secret)) return;
  const std::string caller_arn = CallerArn(context);
  if (action.empty() || !secret.resource_policy) {
    throw AccessDenied(caller_arn, action, secret.arn, false);
  }
  // Stored policies passed RequireValidPolicy; one that no longer parses
  // (written by an older build) grants nothing.
  PolicyParseResult parsed = ParsePolicy(*secret.resource_policy);
  if (!parsed.document) throw AccessDenied(caller_arn, action, secret.arn, false);

  PolicyConditionContext conditions = SecretConditionContext(context, secret);
  for (const auto& [key, values] : extra) conditions[key] = values;
  if (Allows(*parsed.document, context.account_id, caller_arn, action, secret.arn, conditions)) {
    return;
  }
  throw AccessDenied(caller_arn, action, secret.arn,
                     ExplicitlyDenied(*parsed.document, context.account_id, caller_arn, action,
                                      secret.arn, conditions));
}

void RequireValueAccessibleFrom(const RequestContext& context,
                                const storage::SecretRecord& secret) {
  if (secret.account_id == context.account_id) return;
  const bool default_key = !secret.kms_key_id || secret.kms_key_id->empty() ||
                           *secret.kms_key_id == "alias/aws/secretsmanager";
  if (!default_key) return;
  throw ApiError(ErrorCode::kInvalidRequest,
                 "You can't access a secret from a different AWS account if you encrypt the "
                 "secret with the default KMS service key.");
}

}  // namespace sml::api::model
