#pragma once
// Running a child program the way exec rotation handlers and --init-dir
// scripts run: posix_spawn in its own process group, `input` on stdin, stdout
// and stderr collected (interleaved, truncated at kMaxHandlerOutput), the
// group killed at the timeout. Blocks the calling thread until the child ends.
#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "server/rotation/step_invoker.h"

namespace sml::server::rotation {

struct ChildResult {
  bool succeeded = false;       // exited with status 0
  std::string error;            // why not: exit status, signal, timeout, cannot start
  std::string output;           // stdout and stderr as they arrived, truncated
  std::string last_error_line;  // the last non-empty line written to stderr
};

// `environment` holds "NAME=value" entries (see HandlerEnvironment).
// `stop`, when given and set, ends the child early as the timeout does
// (checked at least once a second).
ChildResult RunChild(const std::vector<std::string>& command,
                     const std::vector<std::string>& environment, const std::string& input,
                     std::chrono::seconds timeout, const std::atomic<bool>* stop = nullptr);

// The server's environment with the callback variables set over it: where a
// handler reaches this server back (AWS_ENDPOINT_URL, ...), as whom, in which
// region. AWS_LAMBDA_FUNCTION_NAME only when `function_name` is not empty.
std::vector<std::string> HandlerEnvironment(const CallbackEnvironment& callback,
                                            const std::string& function_name);

}  // namespace sml::server::rotation
