#pragma once
// Cross-account access to a secret, decided by its resource policy
// (`--auth sigv4` with RequestContext::enforce_resource_policies).
//
// The emulator has no IAM identity policies: every caller is treated as a
// principal its own account fully trusts, so a caller may do anything to its
// own account's secrets. On AWS a cross-account call needs an identity policy
// in the caller's account (granted here) *and* the secret's resource policy;
// so for a secret of another account this layer asks the resource policy.
// Addressing is the lookup's job: model::FindSecret reaches another account's
// secret only by its full ARN when policies are enforced.
//
// All functions are pure functions of their arguments (thread-safe).
#include <string>
#include <string_view>

#include "api/policy/policy_document.h"
#include "api/service.h"
#include "storage/records.h"

namespace sml::api::model {

// context.caller_arn, or "arn:aws:iam::<account_id>:root" when it is empty.
std::string CallerArn(const RequestContext& context);

// True when policies are enforced and the secret belongs to another account
// than the caller's: only then does AuthorizeAccess consult the policy.
bool NeedsResourcePolicy(const RequestContext& context, const storage::SecretRecord& secret);

// The condition keys the emulator knows for a request on `secret`:
// aws:ResourceAccount, aws:RequestedRegion, secretsmanager:SecretId (the ARN),
// and aws:ResourceTag/<key> and secretsmanager:ResourceTag/<key> per tag.
PolicyConditionContext SecretConditionContext(const RequestContext& context,
                                              const storage::SecretRecord& secret);

// Returns when the caller may perform `action` ("secretsmanager:GetSecretValue")
// on `secret`: always when NeedsResourcePolicy is false; otherwise only when
// the secret's resource policy allows it (api::Allows with the caller's
// account and ARN, the secret's ARN, SecretConditionContext plus `extra`,
// e.g. {"secretsmanager:VersionStage", {"AWSCURRENT"}}). Otherwise throws
// AccessDeniedException in AWS's words:
//   "User: <caller arn> is not authorized to perform: <action> on resource:
//    <secret arn> because no resource-based policy allows the <action> action"
// or, when a Deny statement matched,
//   "User: <caller arn> is not authorized to perform: <action> on resource:
//    <secret arn> with an explicit deny in a resource-based policy".
// An empty `action` is denied (fails closed).
void AuthorizeAccess(const RequestContext& context, const storage::SecretRecord& secret,
                     std::string_view action, const PolicyConditionContext& extra = {});

// Another account reads or writes a secret's value only when the secret is
// encrypted with a customer key (KmsKeyId set): the default key
// aws/secretsmanager cannot be used outside its account. Throws
// InvalidRequestException "You can't access a secret from a different AWS
// account if you encrypt the secret with the default KMS service key." for a
// secret of another account than the caller's that has no customer key.
// GetSecretValue, BatchGetSecretValue (per secret), PutSecretValue and
// UpdateSecret with a value call it after AuthorizeAccess.
void RequireValueAccessibleFrom(const RequestContext& context, const storage::SecretRecord& secret);

}  // namespace sml::api::model
