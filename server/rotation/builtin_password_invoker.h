#pragma once
// The builtin "password" rotation handler, in process: a new random value for
// a JSON secret's "password" key (or the whole SecretString when it is not a
// JSON object), carried through the four steps exactly as AWS's published
// single-user template does it, through the ordinary operations.
#include "api/service.h"
#include "server/rotation/step_invoker.h"

namespace sml::server::rotation {

class BuiltinPasswordInvoker final : public StepInvoker {
 public:
  explicit BuiltinPasswordInvoker(api::Services& services) : services_(services) {}
  StepOutcome Invoke(const HandlerConfig& handler, const std::string& function_name,
                     const nlohmann::json& event, const CallbackEnvironment& callback) override;

 private:
  api::Services& services_;
};

}  // namespace sml::server::rotation
