#pragma once
// Calling one rotation step of a registered handler. Invokers block the
// calling thread until the step ends or times out, so they run on the
// rotation pool, never on the threads that serve requests.
#include <atomic>
#include <nlohmann/json.hpp>
#include <string>

#include "server/rotation/handler_config.h"

namespace sml::server::rotation {

// Where a handler reaches this server back, and as whom.
struct CallbackEnvironment {
  std::string endpoint;  // e.g. http://127.0.0.1:4566
  std::string region;
  std::string account_id;
  std::string access_key_id;
  std::string secret_access_key;
};

struct StepOutcome {
  bool succeeded = false;
  std::string error;   // why it failed: exit status, timeout, HTTP status, function error
  std::string output;  // handler stdout/stderr or response body, truncated
};

inline constexpr std::size_t kMaxHandlerOutput = 8 * 1024;

// What a step that the server's shutdown ended (or kept from starting) failed with.
inline constexpr char kStoppedByShutdown[] = "stopped: the server is shutting down";

class StepInvoker {
 public:
  virtual ~StepInvoker() = default;
  // `function_name` is the Lambda function name the RotationLambdaARN names.
  virtual StepOutcome Invoke(const HandlerConfig& handler, const std::string& function_name,
                             const nlohmann::json& event, const CallbackEnvironment& callback) = 0;

  // The server is stopping: its owner starts no more steps, and a step
  // running now ends within about a second (an exec child is killed, a
  // lambda call is abandoned; a handler that calls back could not be
  // answered anyway), so a shutdown never waits out a handler's timeout.
  void Stop() { stopping_ = true; }
  bool stopping() const { return stopping_; }

 protected:
  std::atomic<bool> stopping_ = false;
};

// exec: a child process gets the event on stdin; exit 0 is success.
class ExecInvoker final : public StepInvoker {
 public:
  StepOutcome Invoke(const HandlerConfig& handler, const std::string& function_name,
                     const nlohmann::json& event, const CallbackEnvironment& callback) override;
};

// lambda: POST {url}/2015-03-31/functions/{name}/invocations; non-2xx or an
// X-Amz-Function-Error header is a failure.
class LambdaInvoker final : public StepInvoker {
 public:
  StepOutcome Invoke(const HandlerConfig& handler, const std::string& function_name,
                     const nlohmann::json& event, const CallbackEnvironment& callback) override;
};

}  // namespace sml::server::rotation
