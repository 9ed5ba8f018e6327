#include "api/model/secret_lookup.h"

#include <array>

#include "api/error.h"
#include "api/model/access.h"

namespace sml::api::model {
namespace {

constexpr std::string_view kArnAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

struct ArnParts {
  std::string_view region, account_id, resource;  // resource: what follows "secret:"
};

std::optional<ArnParts> ParseSecretArn(std::string_view arn) {
  // arn:<partition>:secretsmanager:<region>:<account>:secret:<resource>
  std::string_view fields[6];
  std::size_t start = 0;
  for (int i = 0; i < 6; ++i) {
    auto colon = arn.find(':', start);
    if (colon == std::string_view::npos) return std::nullopt;
    fields[i] = arn.substr(start, colon - start);
    start = colon + 1;
  }
  if (fields[0] != "arn" || fields[2] != "secretsmanager" || fields[5] != "secret") {
    return std::nullopt;
  }
  return ArnParts{fields[3], fields[4], arn.substr(start)};
}

bool EndsLikeArnSuffix(std::string_view resource) {
  if (resource.size() < 7 || resource[resource.size() - 7] != '-') return false;
  return resource.substr(resource.size() - 6).find_first_not_of(kArnAlphabet) ==
         std::string_view::npos;
}

// ASCII letters and digits and /_+=.@-
bool IsSecretNameText(std::string_view text) {
  static constexpr auto kAllowed = [] {
    std::array<bool, 256> allowed{};
    for (int c = 0; c < 256; ++c) {
      allowed[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
    for (char c : std::string_view("/_+=.@-")) allowed[static_cast<unsigned char>(c)] = true;
    return allowed;
  }();
  if (text.empty()) return false;
  for (unsigned char c : text) {
    if (!kAllowed[c]) return false;
  }
  return true;
}

}  // namespace

bool IsValidSecretName(std::string_view name) {
  return name.size() <= 512 && IsSecretNameText(name);
}

bool IsValidSecretId(std::string_view secret_id) {
  if (!secret_id.starts_with("arn:")) return IsValidSecretName(secret_id);
  // A secret's ARN with a bad name in it is a bad name too (AWS answers the
  // same ValidationException: an ECS valueFrom of "<ARN>#<key>" passed
  // whole as the SecretId gets it); other ARNs simply name nothing.
  const auto parts = ParseSecretArn(secret_id);
  return !parts || IsSecretNameText(parts->resource);
}

void RequireValidSecretId(std::string_view secret_id) {
  if (!IsValidSecretId(secret_id)) throw InvalidSecretName();
}

std::string MakeSecretArn(std::string_view region, std::string_view account_id,
                          std::string_view name, RandomSource& random) {
  std::string arn = "arn:aws:secretsmanager:";
  arn.append(region).append(":").append(account_id).append(":secret:").append(name);
  return arn + "-" + random.Chars(kArnAlphabet, 6);
}

std::optional<storage::SecretRecord> FindSecret(storage::Repository& repo,
                                                const RequestContext& context,
                                                std::string_view secret_id) {
  RequireValidSecretId(secret_id);
  if (!secret_id.starts_with("arn:")) {
    return repo.FindSecretByName(context.account_id, context.region, secret_id);
  }
  // A regional service: an ARN of another region names nothing here.
  if (auto secret = repo.FindSecretByArn(secret_id)) {
    if (secret->region != context.region) return std::nullopt;
    return secret;
  }
  auto parts = ParseSecretArn(secret_id);
  if (!parts || parts->region != context.region) return std::nullopt;
  // An ARN ending in "-" and six ARN characters is taken as a full ARN, never
  // as a partial one (recorded against AWS: the partial ARN of a secret named
  // "x-a1b2c3" is not found, because its tail reads as a random suffix).
  if (EndsLikeArnSuffix(parts->resource)) return std::nullopt;
  if (context.enforce_resource_policies && parts->account_id != context.account_id) {
    return std::nullopt;  // cross-account needs the full ARN
  }
  return repo.FindSecretByName(parts->account_id, parts->region, parts->resource);
}

storage::SecretRecord RequireSecret(storage::Repository& repo, const RequestContext& context,
                                    std::string_view secret_id) {
  auto secret = FindSecret(repo, context, secret_id);
  if (!secret) throw SecretNotFound();
  AuthorizeAccess(context, *secret, context.action, context.request_conditions);
  return std::move(*secret);
}

storage::SecretRecord RequireLiveSecret(storage::Repository& repo, const RequestContext& context,
                                        std::string_view secret_id) {
  auto secret = RequireSecret(repo, context, secret_id);
  if (secret.deleted_date) throw MarkedForDeletion();
  return secret;
}

storage::SecretRecord RequireWritableSecret(storage::Repository& repo,
                                            const RequestContext& context,
                                            std::string_view secret_id) {
  auto secret = RequireLiveSecret(repo, context, secret_id);
  RequirePrimary(secret);
  return secret;
}

void RequirePrimary(const storage::SecretRecord& secret) {
  if (secret.primary_region) {
    throw ApiError(ErrorCode::kInvalidParameter,
                   "Operation not permitted on a replica secret. Call must be made in primary "
                   "secret's region.");
  }
}

}  // namespace sml::api::model
