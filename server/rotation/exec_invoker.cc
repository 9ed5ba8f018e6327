// The exec rotation handler: a child process (child_process.h) gets the event
// on stdin; exit 0 is success. Runs on a rotation pool thread (blocking is
// fine there).
#include "server/rotation/child_process.h"
#include "server/rotation/step_invoker.h"

namespace sml::server::rotation {

StepOutcome ExecInvoker::Invoke(const HandlerConfig& handler, const std::string& function_name,
                                const nlohmann::json& event, const CallbackEnvironment& callback) {
  ChildResult child = RunChild(handler.command, HandlerEnvironment(callback, function_name),
                               event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                               std::chrono::seconds(handler.timeout_seconds), &stopping_);
  // What the handler said last on stderr is usually why it failed.
  std::string error = child.error;
  if (!child.succeeded && !child.last_error_line.empty()) error += ": " + child.last_error_line;
  return {child.succeeded, std::move(error), std::move(child.output)};
}

}  // namespace sml::server::rotation
