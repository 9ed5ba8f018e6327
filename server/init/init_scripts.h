#pragma once
// --init-dir DIR: ready hooks, as LocalStack's. Once the server answers, the
// executable files directly in DIR run one after another in name order, each
// with the environment exec rotation handlers get (AWS_ENDPOINT_URL pointing
// here, region, credentials of the default account), stdin empty. Each one's
// output is logged; a failure is logged and the next one runs.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "server/rotation/step_invoker.h"

namespace sml::server::init {

inline constexpr std::chrono::seconds kInitScriptTimeout{300};

// The executables in `dir`, sorted by name; other entries are skipped (and
// logged). Throws std::runtime_error when `dir` cannot be read.
std::vector<std::filesystem::path> FindInitScripts(const std::filesystem::path& dir);

// Runs the scripts on a thread of its own. The destructor kills the script
// under way (its process group), skips the rest and joins.
class InitScriptRunner {
 public:
  InitScriptRunner(std::vector<std::filesystem::path> scripts,
                   rotation::CallbackEnvironment environment);
  ~InitScriptRunner();
  InitScriptRunner(const InitScriptRunner&) = delete;
  InitScriptRunner& operator=(const InitScriptRunner&) = delete;

 private:
  void RunAll(const std::vector<std::filesystem::path>& scripts,
              const rotation::CallbackEnvironment& environment);

  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace sml::server::init
