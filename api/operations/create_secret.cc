// CreateSecret (BEHAVIOR.md §2–§5): a new secret, with a first AWSCURRENT
// version when a value is given. A retry with the same name, token and value
// answers as the first call did; a token already used for other data is
// ResourceExistsException before the name is.
#include "api/error.h"
#include "api/model/put_version.h"
#include "api/model/replication.h"
#include "api/model/secret_lookup.h"
#include "api/model/secret_members.h"
#include "api/model/tags.h"
#include "api/operations/operations.h"

namespace sml::api::operations {
namespace {

// Keys in sorted order (api/json_writer.h).
JsonWriter Output(const storage::SecretRecord& secret,
                  const std::optional<std::string>& version_id) {
  JsonWriter out;
  out.BeginObject();
  out.Member("ARN", secret.arn);
  out.Member("Name", secret.name);
  if (auto replicas = model::ReplicaStatuses(secret); !replicas.empty()) {
    out.Key("ReplicationStatus");
    out.Json(model::ReplicationStatusJson(replicas));
  }
  if (version_id) out.Member("VersionId", *version_id);
  out.EndObject();
  return out;
}

}  // namespace

SML_OPERATION(CreateSecret) {
  Input in(input);
  auto name = in.String("Name", {.required = true, .min_length = 1, .max_length = 512});
  auto token = in.String("ClientRequestToken", model::kClientRequestTokenRule);
  auto description = in.String("Description", model::kDescriptionRule);
  auto kms_key_id = in.String("KmsKeyId", model::kKmsKeyIdRule);
  auto value = model::ReadSecretValueMembers(in);
  auto tags = model::ReadTags(in, "Tags", false);
  auto replicas = model::ReadReplicaRequests(in, /*required=*/false);
  bool force_overwrite = in.Bool("ForceOverwriteReplicaSecret").value_or(false);
  auto type = in.String("Type", model::kTypeRule);
  in.Finish();

  if (!model::IsValidSecretName(*name)) throw InvalidSecretName();
  model::RequireAtMostOneValue(value);
  if (tags) model::ValidateTags(*tags);
  const bool has_value = !value.empty();
  if (has_value && !token) throw MissingClientRequestToken();

  const EpochMillis now = services.clock.Now();
  auto [output, secret_id] = services.store.Write([&](storage::Repository& repo) {
    if (auto existing = repo.FindSecretByName(context.account_id, context.region, *name)) {
      if (existing->deleted_date) {
        throw ApiError(ErrorCode::kInvalidRequest,
                       "You can't create this secret because a secret with this name is already "
                       "scheduled for deletion.");
      }
      // The token is checked first: an SDK retrying a create that succeeded
      // (same token, same value) gets the first answer again; a token in use
      // for other data is refused as such.
      if (token) {
        auto version = repo.FindVersion(existing->id, *token, /*with_value=*/true);
        if (version && has_value && model::SameValue(*version, value)) {
          return std::pair{Output(*existing, version->version_id), std::int64_t{0}};
        }
        if (version) throw ClientRequestTokenInUse(*token, existing->arn);
      }
      throw ApiError(ErrorCode::kResourceExists,
                     "The operation failed because the secret " + *name + " already exists.");
    }
    storage::SecretRecord secret;
    secret.account_id = context.account_id;
    secret.region = context.region;
    secret.name = *name;
    secret.arn = model::MakeSecretArn(context.region, context.account_id, *name, services.random);
    secret.description = description;
    // An empty KmsKeyId means the default key, as in UpdateSecret.
    if (kms_key_id && !kms_key_id->empty()) secret.kms_key_id = kms_key_id;
    secret.type = type;
    secret.created_date = now;
    secret.last_changed_date = now;
    if (tags && !tags->empty()) secret.tags = tags;
    repo.InsertSecret(secret);
    std::optional<std::string> version_id;
    if (has_value) {
      version_id = model::PutSecretVersion(repo, secret, *token, value,
                                           {std::string(model::kAwsCurrent)}, now)
                       .version_id;
    }
    if (replicas) model::AddReplicas(repo, secret, *replicas, force_overwrite, now);
    // A new secret has no rotation or deletion date for the scheduler to
    // wait for; replicating may have purged one that had.
    return std::pair{Output(secret, version_id), replicas ? secret.id : std::int64_t{0}};
  });
  if (secret_id != 0 && services.change_listener)
    services.change_listener->SecretChanged(secret_id);
  return std::move(output);
}

}  // namespace sml::api::operations
