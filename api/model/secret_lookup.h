#pragma once
// Names, ARNs and finding the secret a SecretId means (BEHAVIOR.md §2).
#include <optional>
#include <string>
#include <string_view>

#include "api/random.h"
#include "api/service.h"
#include "storage/store.h"

namespace sml::api::model {

// 1–512 characters of letters, digits and /_+=.@-
bool IsValidSecretName(std::string_view name);

// A SecretId is a valid secret name or an ARN (anything starting with
// "arn:"; one that names no secret is simply not found), but a secret's ARN
// whose name part has a character no name may have is not valid.
bool IsValidSecretId(std::string_view secret_id);
// ValidationException (InvalidSecretName) unless IsValidSecretId. FindSecret
// checks it; operations that refuse other input before their lookup call it
// first, so a bad SecretId is reported as the validation error it is, as
// CreateSecret reports a bad Name before anything else.
void RequireValidSecretId(std::string_view secret_id);

// arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random chars>
std::string MakeSecretArn(std::string_view region, std::string_view account_id,
                          std::string_view name, RandomSource& random);

// The secret a SecretId names. A SecretId that is neither a valid name nor an
// ARN is ValidationException (InvalidSecretName) for every operation that
// takes one, before any lookup. Then: exact name in the caller's account and region
// first; then an exact ARN (any account, this region only); then a partial ARN (the ARN
// without its 6-character suffix). nullopt when none matches.
// With context.enforce_resource_policies, a partial ARN reaches only the
// caller's own account: another account's secret needs its full ARN, as on AWS.
std::optional<storage::SecretRecord> FindSecret(storage::Repository& repo,
                                                const RequestContext& context,
                                                std::string_view secret_id);

// FindSecret, or ResourceNotFoundException; then AuthorizeAccess
// (api/model/access.h) for context.action, so a secret of another account is
// returned only when its resource policy allows the request.
storage::SecretRecord RequireSecret(storage::Repository& repo, const RequestContext& context,
                                    std::string_view secret_id);

// RequireSecret, and InvalidRequestException when it is marked for deletion.
storage::SecretRecord RequireLiveSecret(storage::Repository& repo, const RequestContext& context,
                                        std::string_view secret_id);

// RequireLiveSecret, and InvalidParameterException (as AWS) "Operation not permitted on
// a replica secret. Call must be made in primary secret's region." when the
// secret is a replica (primary_region set): every write goes to the primary.
storage::SecretRecord RequireWritableSecret(storage::Repository& repo,
                                            const RequestContext& context,
                                            std::string_view secret_id);

// InvalidParameterException for a replica: it changes only through its primary.
void RequirePrimary(const storage::SecretRecord& secret);

}  // namespace sml::api::model
