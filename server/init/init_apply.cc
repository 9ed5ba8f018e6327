#include "server/init/init_apply.h"

#include "api/error.h"
#include "api/operations/operations.h"
#include "api/policy/policy_document.h"
#include "api/rotation/rotation_starter.h"
#include "api/rotation/rotation_state.h"
#include "server/log.h"

namespace sml::server::init {
namespace {

// RotateSecret's hooks during init: the registry answers HasHandler; the
// testSecret run is not started, its placeholder is dropped at once.
class ConfigureOnlyStarter final : public api::RotationStarter {
 public:
  ConfigureOnlyStarter(api::RotationStarter& registry, storage::Store& store)
      : registry_(registry), store_(store) {}
  bool HasHandler(std::string_view lambda_arn) override { return registry_.HasHandler(lambda_arn); }
  void Start(api::RotationRun run) override {
    store_.Write([&](storage::Repository& repo) {
      api::rotation::DropPendingVersion(repo, run.secret_id, run.token);
    });
  }

 private:
  api::RotationStarter& registry_;
  storage::Store& store_;
};

void ApplySecret(const InitSecret& secret, const api::RequestContext& context,
                 api::Services& services) {
  nlohmann::json create = secret.create_input;
  if (create.contains("SecretString") || create.contains("SecretBinary")) {
    create["ClientRequestToken"] = services.random.Uuid();
  }
  const auto arn =
      api::operations::CreateSecret(context, create, services).Document()["ARN"].get<std::string>();
  if (secret.resource_policy) {
    try {
      api::operations::PutResourcePolicy(
          context, {{"SecretId", arn}, {"ResourcePolicy", *secret.resource_policy}}, services);
    } catch (const api::ApiError& error) {
      // AWS's message names no problem; the file's author needs the first.
      const api::PolicyParseResult parsed = api::ParsePolicy(*secret.resource_policy);
      if (error.code() != api::ErrorCode::kMalformedPolicyDocument || parsed.problems.empty()) {
        throw;
      }
      throw api::ApiError(error.code(), std::string(error.what()) + " " +
                                            api::DecidingProblem(parsed.problems).message);
    }
  }
  if (secret.rotation_lambda_arn || secret.rotation_rules) {
    nlohmann::json rotate{{"SecretId", arn},
                          {"ClientRequestToken", services.random.Uuid()},
                          {"RotateImmediately", false}};
    if (secret.rotation_lambda_arn) rotate["RotationLambdaARN"] = *secret.rotation_lambda_arn;
    if (secret.rotation_rules) rotate["RotationRules"] = *secret.rotation_rules;
    api::operations::RotateSecret(context, rotate, services);
  }
}

}  // namespace

InitOutcome ApplyInitPlan(const InitPlan& plan, api::Services& services,
                          rotation::RotationService& rotations, const InitDefaults& defaults) {
  for (const auto& [name, handler] : plan.rotation_handlers) {
    rotations.RegisterHandler(name, handler);
    Log("info", "init: rotation handler registered", {{"name", name}});
  }
  ConfigureOnlyStarter starter(rotations, services.store);
  api::Services init_services = services;
  init_services.rotation_starter = &starter;

  InitOutcome outcome;
  for (const InitSecret& secret : plan.secrets) {
    api::RequestContext context{secret.account_id.value_or(defaults.account_id),
                                secret.region.value_or(defaults.region),
                                "init-" + std::to_string(secret.index)};
    const bool exists = services.store.Read([&](storage::Repository& repo) {
      return repo.FindSecretByName(context.account_id, context.region, secret.name).has_value();
    });
    if (exists) {
      ++outcome.kept;
      Log("info", "init: secret exists, left as it is",
          {{"name", secret.name}, {"account_id", context.account_id}, {"region", context.region}});
      continue;
    }
    try {
      ApplySecret(secret, context, init_services);
    } catch (const api::ApiError& error) {
      throw InitFileError(SecretEntryName(secret.index, secret.name),
                          std::string(api::ErrorTypeName(error.code())) + ": " + error.what(),
                          secret.index);
    }
    ++outcome.created;
    Log("info", "init: secret created",
        {{"name", secret.name}, {"account_id", context.account_id}, {"region", context.region}});
  }
  return outcome;
}

}  // namespace sml::server::init
