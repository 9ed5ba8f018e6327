#pragma once
// Runs rotations: the registry of rotation handlers (persisted, mirrored in
// memory) and a pool of rotation threads that call the four steps.
//
// Threads: Start() only posts to the pool, so RotateSecret never waits for a
// handler, and handlers that call back into this server over HTTP are served
// by the request threads meanwhile. RunNow() runs on the calling thread (the
// scheduler's time travel uses it). The handler map is guarded by
// handlers_mutex_; nothing here holds it while touching the Store, so
// HasHandler() is safe inside a Store transaction.
#include <boost/asio/thread_pool.hpp>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "api/rotation/rotation_starter.h"
#include "server/rotation/builtin_password_invoker.h"
#include "server/rotation/handler_config.h"
#include "server/rotation/step_invoker.h"

namespace sml::server::rotation {

struct RotationServiceOptions {
  std::string callback_endpoint;  // e.g. http://127.0.0.1:4566
  int threads = 4;
  // Credentials a handler uses to call back, for an account (default: the
  // account id as access key, which the server maps to that account).
  std::function<std::pair<std::string, std::string>(const std::string& account_id)> credentials;
};

class RotationService final : public api::RotationStarter {
 public:
  RotationService(api::Services& services, RotationServiceOptions options);
  ~RotationService() override;  // waits for running rotations

  // Loads the persisted handlers into memory (at start).
  void LoadHandlers();
  void RegisterHandler(const std::string& name, const HandlerConfig& config);
  bool RemoveHandler(const std::string& name);
  std::map<std::string, HandlerConfig> Handlers() const;
  // By the exact registered key, else by the Lambda function name.
  std::optional<HandlerConfig> FindHandler(std::string_view lambda_arn) const;

  // Where and as whom a handler (or an --init-dir script) calls back.
  CallbackEnvironment CallbackFor(const std::string& account_id, const std::string& region) const;

  bool HasHandler(std::string_view lambda_arn) override;
  void Start(api::RotationRun run) override;
  void RunNow(const api::RotationRun& run);

  // Stops taking runs and waits for those under way: no step starts any
  // more, and a step still running ends within about a second (an exec
  // child is killed, a lambda call abandoned; it fails with
  // kStoppedByShutdown).
  void Shutdown();

 private:
  void Run(const api::RotationRun& run, storage::RotationAttemptRecord& attempt);
  // A run that threw: its attempt (if recorded) becomes failed, so a restart
  // does not resume it.
  void RecordFailure(storage::RotationAttemptRecord& attempt, const std::string& reason);
  StepInvoker& InvokerFor(const HandlerConfig& handler);
  // One step; an invoker that throws is a failed step.
  StepOutcome InvokeStep(const HandlerConfig& handler, const std::string& function,
                         const nlohmann::json& event, const CallbackEnvironment& callback);

  api::Services& services_;
  RotationServiceOptions options_;
  mutable std::mutex handlers_mutex_;
  std::map<std::string, HandlerConfig> handlers_;  // GUARDED_BY(handlers_mutex_)
  ExecInvoker exec_;
  LambdaInvoker lambda_;
  BuiltinPasswordInvoker builtin_;
  boost::asio::thread_pool pool_;
};

}  // namespace sml::server::rotation
