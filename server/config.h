#pragma once
// The process configuration: command-line flags, each also settable by an
// environment variable (flags beat the environment). ParseConfig is a pure
// function — the environment arrives through `env` — so every rule has a unit
// test; main turns an error into exit status 2.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "server/log.h"

namespace sml::server {

enum class AuthMode { kOff, kSigV4 };

struct Config {
  enum class Command { kServe, kHelp, kVersion, kHealthcheck };
  Command command = Command::kServe;

  std::string host = "127.0.0.1";
  std::uint16_t port = 4566;  // 0: any free port (tests)
  // Where secrets.db (and master.key) live; nullopt with in_memory.
  std::optional<std::filesystem::path> data_dir;
  bool in_memory = false;
  std::string account_id = "000000000000";
  std::string region = "us-east-1";
  LogFormat log_format = LogFormat::kText;
  std::optional<std::uint64_t> seed;                   // rotation-window choice; random when absent
  std::optional<std::filesystem::path> handlers_file;  // rotation handlers to register
  AuthMode auth = AuthMode::kOff;
  std::optional<std::filesystem::path> credentials_file;  // for --auth sigv4
  std::string admin_token;                                // empty: admin endpoints open
  // Lets PUT /_local/rotation-handlers register exec handlers without an admin token.
  bool allow_exec_handlers = false;
  std::optional<std::filesystem::path> init_file;         // secrets and handlers applied at start
  std::optional<std::filesystem::path> init_dir;          // executables run once the server answers
  std::optional<std::uint16_t> agent_port;  // second listener for GET /secretsmanager/get
  std::size_t cache_secrets = 100000;       // read cache bound (0: no cache)
  std::size_t cache_mib = 32;               // and its bound in memory
  // Host names requests may name besides the local ones (server/browser_guard.h).
  std::vector<std::string> allowed_hosts;
};

// Returns the value of an environment variable, or nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// `args` excludes argv[0]. Returns the Config or a one-line reason.
// Accepts `--flag value` and `--flag=value`; a first argument `healthcheck`
// selects that command, configured by the same flags and variables.
std::variant<Config, std::string> ParseConfig(std::span<const std::string_view> args,
                                              const EnvLookup& env);

// The data directory when neither --data-dir nor SML_DATA_DIR is given:
// $XDG_DATA_HOME/secretsmanager-local, else
// $HOME/.local/share/secretsmanager-local, else ./.secretsmanager-local.
std::filesystem::path DefaultDataDir(const EnvLookup& env);

// --help text: every flag with its variable and default.
std::string HelpText();

// Looks names up in the process environment.
EnvLookup ProcessEnvironment();

}  // namespace sml::server
