#include "server/rotation/rotation_service.h"

#include <boost/asio/post.hpp>
#include <chrono>

#include "api/rotation/rotation_state.h"
#include "server/admin/iso_time.h"
#include "server/log.h"
#include "server/metrics/metrics.h"

namespace sml::server::rotation {
namespace {

constexpr const char* kSteps[] = {"createSecret", "setSecret", "testSecret", "finishSecret"};

std::string TriggerName(api::RotationTrigger trigger) {
  return trigger == api::RotationTrigger::kScheduled ? "scheduled" : "manual";
}

}  // namespace

RotationService::RotationService(api::Services& services, RotationServiceOptions options)
    : services_(services),
      options_(std::move(options)),
      builtin_(services),
      pool_(static_cast<std::size_t>(std::max(1, options_.threads))) {
  if (!options_.credentials) {
    options_.credentials = [](const std::string& account) {
      return std::pair<std::string, std::string>{account, "secretsmanager-local"};
    };
  }
}

RotationService::~RotationService() { Shutdown(); }

void RotationService::Shutdown() {
  exec_.Stop();
  lambda_.Stop();
  builtin_.Stop();
  pool_.join();
}

void RotationService::LoadHandlers() {
  auto stored = services_.store.Read([](storage::Repository& repo) { return repo.RotationHandlers(); });
  std::map<std::string, HandlerConfig> loaded;
  for (const auto& [name, json] : stored) {
    try {
      loaded[name] = ParseHandlerConfig(nlohmann::json::parse(json));
    } catch (const std::exception& e) {
      Log("warn", "ignoring stored rotation handler", {{"name", name}, {"reason", e.what()}});
    }
  }
  std::lock_guard lock(handlers_mutex_);
  handlers_ = std::move(loaded);
}

void RotationService::RegisterHandler(const std::string& name, const HandlerConfig& config) {
  std::string json = HandlerConfigToJson(config).dump();
  services_.store.Write([&](storage::Repository& repo) { repo.PutRotationHandler(name, json); });
  std::lock_guard lock(handlers_mutex_);
  handlers_[name] = config;
}

bool RotationService::RemoveHandler(const std::string& name) {
  bool removed =
      services_.store.Write([&](storage::Repository& repo) { return repo.DeleteRotationHandler(name); });
  std::lock_guard lock(handlers_mutex_);
  handlers_.erase(name);
  return removed;
}

std::map<std::string, HandlerConfig> RotationService::Handlers() const {
  std::lock_guard lock(handlers_mutex_);
  return handlers_;
}

std::optional<HandlerConfig> RotationService::FindHandler(std::string_view lambda_arn) const {
  std::lock_guard lock(handlers_mutex_);
  if (auto it = handlers_.find(std::string(lambda_arn)); it != handlers_.end()) return it->second;
  auto function = LambdaFunctionName(lambda_arn);
  for (const auto& [name, config] : handlers_) {
    if (LambdaFunctionName(name) == function) return config;
  }
  return std::nullopt;
}

CallbackEnvironment RotationService::CallbackFor(const std::string& account_id,
                                                 const std::string& region) const {
  auto [access_key, secret_key] = options_.credentials(account_id);
  return {options_.callback_endpoint, region, account_id, access_key, secret_key};
}

bool RotationService::HasHandler(std::string_view lambda_arn) {
  if (FindHandler(lambda_arn)) return true;
  // The caller gets AWS's AccessDeniedException text; the log says what to do.
  const std::string name = LambdaFunctionName(lambda_arn);
  std::string how = "PUT /_local/rotation-handlers/" + name;
  how += R"( with {"type":"exec","command":[...]} (or "lambda"/"builtin"), or an entry ")";
  how += name + "\" in --handlers FILE";
  Log("warn", "no rotation handler is registered for this RotationLambdaARN",
      {{"lambda_arn", std::string(lambda_arn)}, {"register_as", name}, {"how", how}});
  return false;
}

void RotationService::Start(api::RotationRun run) {
  boost::asio::post(pool_, [this, run = std::move(run)] { RunNow(run); });
}

StepOutcome RotationService::InvokeStep(const HandlerConfig& handler, const std::string& function,
                                        const nlohmann::json& event,
                                        const CallbackEnvironment& callback) {
  try {
    StepInvoker& invoker = InvokerFor(handler);
    if (invoker.stopping()) return {false, kStoppedByShutdown, ""};
    return invoker.Invoke(handler, function, event, callback);
  } catch (const std::exception& e) {
    return {false, DescribeFailure(e), ""};
  } catch (...) {
    return {false, "unknown error", ""};
  }
}

StepInvoker& RotationService::InvokerFor(const HandlerConfig& handler) {
  switch (handler.type) {
    case HandlerType::kExec: return exec_;
    case HandlerType::kLambda: return lambda_;
    case HandlerType::kBuiltin: return builtin_;
  }
  return exec_;
}

void RotationService::RunNow(const api::RotationRun& run) {
  // The top-level guard of a rotation thread: whatever fails, the run ends
  // as a failed attempt in the history and the process carries on.
  storage::RotationAttemptRecord attempt;
  try {
    Run(run, attempt);
  } catch (const std::exception& e) {
    RecordFailure(attempt, DescribeFailure(e));
  } catch (...) {
    RecordFailure(attempt, "unknown error");
  }
}

void RotationService::RecordFailure(storage::RotationAttemptRecord& attempt,
                                    const std::string& reason) {
  Log("error", "rotation failed", {{"secret", attempt.secret_name}, {"error", reason}});
  if (attempt.id == 0) return;  // not even recorded as running
  try {
    attempt.finished = services_.clock.Now();
    attempt.outcome = "failed";
    attempt.error = "the rotation could not run: " + reason;
    services_.store.Write([&](storage::Repository& repo) { repo.SaveRotationAttempt(attempt); });
  } catch (const std::exception& e) {
    Log("error", "cannot record the failed rotation", {{"error", DescribeFailure(e)}});
  }
}

void RotationService::Run(const api::RotationRun& run, storage::RotationAttemptRecord& attempt) {
  attempt.secret_id = run.secret_id;
  attempt.secret_arn = run.secret_arn;
  attempt.secret_name = run.secret_arn.substr(run.secret_arn.find(":secret:") + 8);
  if (attempt.secret_name.size() > 7) attempt.secret_name.resize(attempt.secret_name.size() - 7);
  attempt.token = run.token;
  attempt.trigger = TriggerName(run.trigger);
  attempt.started = services_.clock.Now();
  attempt.outcome = "running";
  attempt.steps_json = "[]";
  services_.store.Write([&](storage::Repository& repo) { repo.SaveRotationAttempt(attempt); });

  const CallbackEnvironment callback = CallbackFor(run.account_id, run.region);
  auto steps = nlohmann::json::array();
  bool succeeded = true;
  std::string error;
  auto handler = FindHandler(run.lambda_arn);
  if (!handler) {
    succeeded = false;
    error = "no rotation handler is registered for " + run.lambda_arn;
  } else {
    auto function = LambdaFunctionName(run.lambda_arn);
    for (const char* step : kSteps) {
      if (run.test_only && std::string_view(step) != "testSecret") continue;
      nlohmann::json event{{"Step", step},
                           {"SecretId", run.secret_arn},
                           {"ClientRequestToken", run.token},
                           {"RotationToken", services_.random.Uuid()}};
      auto started_at = services_.clock.Now();
      auto started = std::chrono::steady_clock::now();
      StepOutcome outcome = InvokeStep(*handler, function, event, callback);
      auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
      metrics::ProcessMetrics().RecordRotationStep(std::chrono::microseconds(micros));
      steps.push_back({{"step", step},
                       {"startedAt", admin::FormatIsoUtc(started_at)},
                       {"durationMs", static_cast<double>(micros) / 1000.0},
                       {"outcome", outcome.succeeded ? "succeeded" : "failed"},
                       {"error", outcome.error},
                       {"output", outcome.output}});
      if (!outcome.succeeded) {
        succeeded = false;
        error = std::string(step) + " failed: " + outcome.error;
        break;
      }
    }
  }

  const auto now = services_.clock.Now();
  services_.store.Write([&](storage::Repository& repo) {
    auto secret = repo.FindSecretById(run.secret_id);
    if (!secret) {
      succeeded = false;
      if (error.empty()) error = "the secret was deleted during the rotation";
    } else if (run.test_only) {
      api::rotation::DropPendingVersion(repo, secret->id, run.token);
    } else if (succeeded) {
      api::rotation::CompleteRotation(repo, *secret, now, services_.schedule_random);
    } else if (run.trigger == api::RotationTrigger::kScheduled) {
      int failures = repo.ConsecutiveScheduledFailures(secret->id) + 1;
      api::rotation::ScheduleRetry(*secret, failures, now, services_.schedule_random);
      repo.UpdateSecret(*secret);
    }
    attempt.finished = now;
    attempt.outcome = succeeded ? "succeeded" : "failed";
    attempt.error = error;
    attempt.steps_json = steps.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    repo.SaveRotationAttempt(attempt);
  });
  metrics::ProcessMetrics().RecordRotation(attempt.trigger, succeeded);
  Log(succeeded ? "info" : "warn", "rotation finished",
      {{"secret", attempt.secret_name}, {"trigger", attempt.trigger},
       {"outcome", attempt.outcome}, {"error", error}});
  if (services_.change_listener) services_.change_listener->SecretChanged(run.secret_id);
}

}  // namespace sml::server::rotation
