#include "server/init/init_scripts.h"

#include <unistd.h>

#include <algorithm>
#include <stdexcept>

#include "server/log.h"
#include "server/rotation/child_process.h"

namespace sml::server::init {
namespace {

// One log line per script: the output's line breaks become "\n".
std::string OneLine(std::string_view output) {
  while (!output.empty() && (output.back() == '\n' || output.back() == '\r'))
    output.remove_suffix(1);
  std::string line;
  for (char c : output) line += c == '\n' ? std::string("\\n") : std::string(1, c);
  return line;
}

}  // namespace

std::vector<std::filesystem::path> FindInitScripts(const std::filesystem::path& dir) {
  std::error_code error;
  std::filesystem::directory_iterator entries(dir, error);
  if (error) throw std::runtime_error("--init-dir " + dir.string() + ": " + error.message());
  std::vector<std::filesystem::path> scripts;
  for (const auto& entry : entries) {
    if (entry.is_regular_file(error) && access(entry.path().c_str(), X_OK) == 0) {
      scripts.push_back(entry.path());
    } else {
      Log("info", "init script skipped: not an executable file", {{"path", entry.path().string()}});
    }
  }
  std::sort(scripts.begin(), scripts.end(), [](const auto& a, const auto& b) {
    return a.filename().string() < b.filename().string();
  });
  return scripts;
}

InitScriptRunner::InitScriptRunner(std::vector<std::filesystem::path> scripts,
                                   rotation::CallbackEnvironment environment)
    : thread_([this, scripts = std::move(scripts), environment = std::move(environment)] {
        RunAll(scripts, environment);
      }) {}

InitScriptRunner::~InitScriptRunner() {
  stopping_ = true;
  thread_.join();
}

void InitScriptRunner::RunAll(const std::vector<std::filesystem::path>& scripts,
                              const rotation::CallbackEnvironment& environment) {
  // Nothing may throw out of this thread.
  try {
    const auto variables = rotation::HandlerEnvironment(environment, "");
    for (const auto& script : scripts) {
      if (stopping_) break;
      Log("info", "init script started", {{"script", script.string()}});
      auto result =
          rotation::RunChild({script.string()}, variables, "", kInitScriptTimeout, &stopping_);
      Log(result.succeeded ? "info" : "warn", "init script finished",
          {{"script", script.string()},
           {"outcome", result.succeeded ? "succeeded" : "failed"},
           {"error", result.error},
           {"output", OneLine(result.output)}});
    }
  } catch (const std::exception& e) {
    Log("error", "init scripts stopped", {{"error", e.what()}});
  }
}

}  // namespace sml::server::init
