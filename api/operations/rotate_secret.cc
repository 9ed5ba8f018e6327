// RotateSecret: store the configuration, create the AWSPENDING placeholder,
// hand the run to the rotation threads and answer at once (BEHAVIOR.md §7).
#include "api/error.h"
#include "api/input.h"
#include "api/model/replication.h"
#include "api/model/secret_lookup.h"
#include "api/operations/operations.h"
#include "api/rotation/rotation_starter.h"
#include "api/rotation/rotation_state.h"

namespace sml::api::operations {
namespace {

bool MatchesScheduleExpression(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) {
    return std::isalnum(c) || std::string_view("()#?*-/, ").find(static_cast<char>(c)) != std::string_view::npos;
  });
}

bool MatchesDuration(std::string_view text) {
  return text.size() >= 2 && text.back() == 'h' &&
         std::all_of(text.begin(), text.end() - 1, [](unsigned char c) { return std::isdigit(c); });
}

rotation::RotationRules ReadRules(Input& rules) {
  rotation::RotationRules out;
  out.automatically_after_days =
      rules.Integer("AutomaticallyAfterDays", {.min = 1, .max = 1000, .long_shape = true});
  out.duration = rules.String("Duration", {.min_length = 2,
                                           .max_length = 3,
                                           .matches = MatchesDuration,
                                           .pattern = "[0-9]+h"});
  out.schedule_expression =
      rules.String("ScheduleExpression", {.min_length = 1,
                                          .max_length = 256,
                                          .matches = MatchesScheduleExpression,
                                          .pattern = "[0-9A-Za-z\\(\\)#\\?\\*\\-\\/, ]+"});
  return out;
}

// A managed external secret's rotation configuration, stored as given: the
// metadata as a JSON array of {"Key","Value"} in the caller's order.
struct ExternalRotation {
  std::optional<std::string> metadata_json;
  std::optional<std::string> role_arn;
};

ExternalRotation ReadExternalRotation(Input& in) {
  ExternalRotation out;
  if (auto metadata = in.StructureList("ExternalSecretRotationMetadata")) {
    nlohmann::json items = nlohmann::json::array();
    for (auto& item : *metadata) {
      nlohmann::json stored = nlohmann::json::object();
      if (auto key = item.String("Key", {.min_length = 1, .max_length = 256})) stored["Key"] = *key;
      if (auto value = item.String("Value", {.min_length = 1, .max_length = 2048})) {
        stored["Value"] = *value;
      }
      items.push_back(std::move(stored));
    }
    out.metadata_json = items.dump();
  }
  out.role_arn = in.String("ExternalSecretRotationRoleArn", {.min_length = 20, .max_length = 2048});
  return out;
}

}  // namespace

SML_OPERATION(RotateSecret) {
  Input in(input);
  auto secret_id = in.String("SecretId", {.required = true, .min_length = 1, .max_length = 2048});
  auto token = in.String("ClientRequestToken", {.min_length = 32, .max_length = 64});
  auto lambda_arn = in.String("RotationLambdaARN", {.max_length = 2048});
  auto rules_input = in.Structure("RotationRules");
  std::optional<rotation::RotationRules> rules;
  if (rules_input) rules = ReadRules(*rules_input);
  bool immediately = in.Bool("RotateImmediately").value_or(true);
  ExternalRotation external = ReadExternalRotation(in);
  in.Finish();
  model::RequireValidSecretId(*secret_id);
  if (!token) {
    throw ApiError(ErrorCode::kInvalidParameter,
                   "You must provide a ClientRequestToken value. We recommend a UUID-type value.");
  }
  if (rules) rotation::ParseRotationRules(*rules);  // refuses a bad schedule before any change

  const EpochMillis now = services.clock.Now();
  std::string name;
  RotationRun run = services.store.Write([&](storage::Repository& repo) {
    auto secret = model::RequireWritableSecret(repo, context, *secret_id);
    auto function = lambda_arn && !lambda_arn->empty() ? lambda_arn : secret.rotation_lambda_arn;
    if (!function || function->empty()) {
      throw ApiError(ErrorCode::kInvalidRequest,
                     "No Lambda rotation function ARN is associated with this secret.");
    }
    // HasHandler reads the registry's memory, never the Store we are inside.
    if (!services.rotation_starter || !services.rotation_starter->HasHandler(*function)) {
      throw ApiError(ErrorCode::kAccessDenied,
                     "Secrets Manager cannot invoke the specified Lambda function. Ensure that the "
                     "function policy grants access to the principal secretsmanager.amazonaws.com.");
    }
    rotation::RequireNoUnfinishedRotation(repo, secret.id);
    secret.rotation_lambda_arn = *function;
    if (rules) secret.rotation_rules_json = rotation::RulesToJson(*rules).dump();
    // Given again: replaced; left out: the stored one stays.
    if (external.metadata_json) secret.external_rotation_metadata_json = external.metadata_json;
    if (external.role_arn) secret.external_rotation_role_arn = external.role_arn;
    // A Lambda ARN is all rotation needs: the function runs (and AWS's
    // templates check) with RotationEnabled true, schedule or not.
    secret.rotation_enabled = true;
    rotation::BeginRotation(repo, secret.id, *token, now, /*test_only=*/!immediately);
    // Immediately: provisional until the run completes and reschedules from then.
    EpochMillis base = immediately ? now : secret.last_rotated_date.value_or(now);
    rotation::ScheduleNextRotation(secret, base, services.schedule_random);
    repo.UpdateSecret(secret);
    model::SyncReplicasIfAny(repo, secret);
    name = secret.name;
    return RotationRun{.secret_id = secret.id,
                       .secret_arn = secret.arn,
                       .account_id = secret.account_id,
                       .region = secret.region,
                       .token = *token,
                       .lambda_arn = *function,
                       .trigger = RotationTrigger::kManual,
                       .test_only = !immediately};
  });
  if (services.change_listener) services.change_listener->SecretChanged(run.secret_id);
  nlohmann::json output{{"ARN", run.secret_arn}, {"Name", name}, {"VersionId", run.token}};
  services.rotation_starter->Start(std::move(run));
  return output;
}

SML_OPERATION(CancelRotateSecret) {
  Input in(input);
  auto secret_id = in.String("SecretId", {.required = true, .min_length = 1, .max_length = 2048});
  in.Finish();
  auto [secret, pending] = services.store.Write([&](storage::Repository& repo) {
    auto secret = model::RequireWritableSecret(repo, context, *secret_id);
    if (secret.rotation_enabled.has_value()) secret.rotation_enabled = false;
    secret.next_rotation_date.reset();
    secret.rotation_window_end.reset();
    repo.UpdateSecret(secret);
    model::SyncReplicasIfAny(repo, secret);
    auto pending = repo.FindVersionByLabel(secret.id, rotation::kAwsPending, false);
    return std::pair{secret, pending};
  });
  if (services.change_listener) services.change_listener->SecretChanged(secret.id);
  nlohmann::json output{{"ARN", secret.arn}, {"Name", secret.name}};
  if (pending) output["VersionId"] = pending->version_id;
  return output;
}

}  // namespace sml::api::operations
