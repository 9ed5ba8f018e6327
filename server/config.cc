#include "server/config.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <map>

#include "api/text.h"
#include "server/auth/credentials.h"

namespace sml::server {
namespace {

using Setter = std::optional<std::string> (*)(Config&, const std::string& value);

// One row per option: flag, variable, value name (empty for a switch), help.
struct Option {
  std::string_view flag;
  std::string_view env;
  std::string_view value_name;
  std::string_view help;
  Setter set;
};

std::optional<std::string> ParseBool(const std::string& value, bool& out) {
  if (value == "1" || value == "true" || value == "yes" || value == "on") {
    out = true;
    return std::nullopt;
  }
  if (value == "0" || value == "false" || value == "no" || value == "off") {
    out = false;
    return std::nullopt;
  }
  return "expected true or false, got '" + value + "'";
}

// Hand-written matchers: std::regex costs a measurable share of start-up.
bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// 1-63 letters, digits and '-', not starting or ending with '-'.
bool IsDnsLabel(std::string_view label) {
  if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
    return false;
  }
  for (char c : label) {
    if (!IsAlnum(c) && c != '-') return false;
  }
  return true;
}

// An IPv4/IPv6 literal (hex digits, ':' and '.', then an optional %zone).
bool IsIpLiteral(std::string_view host) {
  const std::size_t percent = host.find('%');
  const std::string_view address = host.substr(0, percent);
  if (address.empty()) return false;
  for (char c : address) {
    if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return false;
  }
  if (percent == std::string_view::npos) return true;
  const std::string_view zone = host.substr(percent + 1);
  if (zone.empty()) return false;
  for (char c : zone) {
    if (!IsAlnum(c)) return false;
  }
  return true;
}

bool IsHostName(std::string_view host) {
  // An IPv4/IPv6 literal or a DNS name (labels, optional final dot);
  // resolution happens when binding.
  if (host.empty() || host.size() > 253) return false;
  if (IsIpLiteral(host)) return true;
  std::string_view name = host.ends_with('.') ? host.substr(0, host.size() - 1) : host;
  for (;;) {
    const std::size_t dot = name.find('.');
    if (!IsDnsLabel(name.substr(0, dot))) return false;
    if (dot == std::string_view::npos) return true;
    name.remove_prefix(dot + 1);
  }
}

// ^[0-9]{12}$
bool IsAccountId(std::string_view v) {
  if (v.size() != 12) return false;
  for (char c : v) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

// ^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$: us-east-1, eu-central-2, us-gov-west-1, ...
bool IsRegionName(std::string_view v) {
  const std::size_t last_dash = v.rfind('-');
  if (last_dash == std::string_view::npos) return false;
  const std::string_view number = v.substr(last_dash + 1);
  if (number.empty() || number.size() > 2 || !IsDigit(number[0]) ||
      (number.size() == 2 && !IsDigit(number[1]))) {
    return false;
  }
  std::string_view words = v.substr(0, last_dash);  // xx-word(-word)*
  if (words.size() < 2 || !IsLower(words[0]) || !IsLower(words[1])) return false;
  words.remove_prefix(2);
  if (words.empty()) return false;
  while (!words.empty()) {
    if (words[0] != '-') return false;
    words.remove_prefix(1);
    std::size_t n = 0;
    while (n < words.size() && IsLower(words[n])) ++n;
    if (n == 0) return false;
    words.remove_prefix(n);
  }
  return true;
}

std::optional<std::string> SetHost(Config& c, const std::string& v) {
  if (!IsHostName(v)) return "not a host name or IP address: '" + v + "'";
  c.host = v;
  return std::nullopt;
}

std::optional<std::string> SetPort(Config& c, const std::string& v) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size() || value > 65535) {
    return "expected a port number 0-65535, got '" + v + "'";
  }
  c.port = static_cast<std::uint16_t>(value);
  return std::nullopt;
}

std::optional<std::string> SetDataDir(Config& c, const std::string& v) {
  if (v.empty()) return "expected a directory, got an empty value";
  c.data_dir = v;
  return std::nullopt;
}

std::optional<std::string> SetInMemory(Config& c, const std::string& v) {
  return ParseBool(v, c.in_memory);
}

std::optional<std::string> SetAccountId(Config& c, const std::string& v) {
  if (!IsAccountId(v)) return "expected exactly 12 digits, got '" + v + "'";
  c.account_id = v;
  return std::nullopt;
}

std::optional<std::string> SetRegion(Config& c, const std::string& v) {
  if (!IsRegionName(v)) return "not an AWS region name: '" + v + "'";
  c.region = v;
  return std::nullopt;
}

std::optional<std::string> SetLogFormat(Config& c, const std::string& v) {
  if (v == "text") {
    c.log_format = LogFormat::kText;
  } else if (v == "json") {
    c.log_format = LogFormat::kJson;
  } else {
    return "expected text or json, got '" + v + "'";
  }
  return std::nullopt;
}

std::optional<std::string> SetSeed(Config& c, const std::string& v) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size()) {
    return "expected a non-negative integer, got '" + v + "'";
  }
  c.seed = value;
  return std::nullopt;
}

std::optional<std::string> SetCacheSecrets(Config& c, const std::string& v) {
  std::size_t value = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size()) {
    return "expected a non-negative integer, got '" + v + "'";
  }
  c.cache_secrets = value;
  return std::nullopt;
}

std::optional<std::string> SetCacheMib(Config& c, const std::string& v) {
  std::size_t value = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), value);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size() || value > (1u << 20)) {
    return "expected a number of MiB (0 to 1048576), got '" + v + "'";
  }
  c.cache_mib = value;
  return std::nullopt;
}

std::optional<std::string> SetHandlers(Config& c, const std::string& v) {
  if (v.empty()) return "expected a file, got an empty value";
  c.handlers_file = v;
  return std::nullopt;
}

std::optional<std::string> SetAuth(Config& c, const std::string& v) {
  if (v == "off") {
    c.auth = AuthMode::kOff;
  } else if (v == "sigv4") {
    c.auth = AuthMode::kSigV4;
  } else {
    return "expected off or sigv4, got '" + v + "'";
  }
  return std::nullopt;
}

std::optional<std::string> SetCredentials(Config& c, const std::string& v) {
  if (v.empty()) return "expected a file, got an empty value";
  c.credentials_file = v;
  return std::nullopt;
}

std::optional<std::string> SetAdminToken(Config& c, const std::string& v) {
  c.admin_token = v;
  return std::nullopt;
}

std::optional<std::string> SetAllowExecHandlers(Config& c, const std::string& v) {
  return ParseBool(v, c.allow_exec_handlers);
}

std::optional<std::string> SetInitFile(Config& c, const std::string& v) {
  if (v.empty()) return "expected a file, got an empty value";
  c.init_file = v;
  return std::nullopt;
}

std::optional<std::string> SetInitDir(Config& c, const std::string& v) {
  if (v.empty()) return "expected a directory, got an empty value";
  c.init_dir = v;
  return std::nullopt;
}

std::optional<std::string> SetAllowedHosts(Config& c, const std::string& v) {
  c.allowed_hosts.clear();
  if (api::Trim(v).empty()) return std::nullopt;
  for (std::string_view piece : api::Split(v, ',')) {
    const std::string_view name = api::Trim(piece);
    if (name != "*" && !IsHostName(name)) return "not a host name: '" + std::string(name) + "'";
    c.allowed_hosts.emplace_back(name);
  }
  return std::nullopt;
}

std::optional<std::string> SetAgentPort(Config& c, const std::string& v) {
  Config parsed;
  if (auto error = SetPort(parsed, v)) return error;
  c.agent_port = parsed.port;
  return std::nullopt;
}

constexpr std::array<Option, 19> kOptions = {{
    {"--host", "SML_HOST", "HOST", "address to listen on (default 127.0.0.1)", &SetHost},
    {"--port", "SML_PORT", "PORT", "TCP port (default 4566; 0 picks a free one)", &SetPort},
    {"--data-dir", "SML_DATA_DIR", "DIR",
     "where secrets.db and master.key live (default $XDG_DATA_HOME/secretsmanager-local)",
     &SetDataDir},
    {"--in-memory", "SML_IN_MEMORY", "", "keep everything in memory; nothing is written to disk",
     &SetInMemory},
    {"--account-id", "SML_ACCOUNT_ID", "ID",
     "account for callers whose access key id is not 12 digits (default 000000000000)",
     &SetAccountId},
    {"--region", "SML_REGION", "REGION",
     "region for requests without a SigV4 credential scope (default us-east-1)", &SetRegion},
    {"--log-format", "SML_LOG_FORMAT", "text|json", "log line format (default text)",
     &SetLogFormat},
    {"--seed", "SML_SEED", "N", "seed for the rotation-window choice (default: random)", &SetSeed},
    {"--handlers", "SML_HANDLERS", "FILE", "rotation handlers to register at start", &SetHandlers},
    {"--auth", "SML_AUTH", "off|sigv4", "verify SigV4 signatures (default off)", &SetAuth},
    {"--credentials", "SML_CREDENTIALS", "FILE", "access keys and secrets for --auth sigv4",
     &SetCredentials},
    {"--admin-token", "SML_ADMIN_TOKEN", "TOKEN",
     "require this token (X-Sml-Admin-Token or Authorization: Bearer) on /_local/ and "
     "/moto-api/ endpoints other than health",
     &SetAdminToken},
    {"--allow-exec-handlers", "SML_ALLOW_EXEC_HANDLERS", "",
     "let PUT /_local/rotation-handlers register exec handlers (commands run as this user) "
     "without an admin token",
     &SetAllowExecHandlers},
    {"--init", "SML_INIT", "FILE",
     "secrets and rotation handlers to create at start ({\"secrets\":[...], "
     "\"rotationHandlers\":{...}}); existing secrets are left as they are",
     &SetInitFile},
    {"--init-dir", "SML_INIT_DIR", "DIR",
     "executables run in name order once the server answers (ready hooks)", &SetInitDir},
    {"--allowed-hosts", "SML_ALLOWED_HOSTS", "NAMES",
     "comma-separated host names requests may use besides IP addresses, localhost, names "
     "without a dot, *.localhost, *.local, *.internal and localhost.localstack.cloud (the guard "
     "against web pages: DNS rebinding, cross-site requests; * turns it off)",
     &SetAllowedHosts},
    {"--agent-port", "SML_AGENT_PORT", "PORT",
     "also serve the Secrets Manager Agent's GET /secretsmanager/get on this loopback port "
     "(theirs is 2773; default off)",
     &SetAgentPort},
    {"--cache-secrets", "SML_CACHE_SECRETS", "N",
     "secrets the read cache keeps, about 0.4 KiB each for small values "
     "(default 100000; 0 turns it off)",
     &SetCacheSecrets},
    {"--cache-mib", "SML_CACHE_MIB", "MIB",
     "memory the read cache may hold, values included (default 32)", &SetCacheMib},
}};

const Option* FindOption(std::string_view flag) {
  for (const Option& option : kOptions) {
    if (option.flag == flag) return &option;
  }
  return nullptr;
}

}  // namespace

std::filesystem::path DefaultDataDir(const EnvLookup& env) {
  if (auto xdg = env("XDG_DATA_HOME"); xdg && !xdg->empty()) {
    return std::filesystem::path(*xdg) / "secretsmanager-local";
  }
  if (auto home = env("HOME"); home && !home->empty()) {
    return std::filesystem::path(*home) / ".local" / "share" / "secretsmanager-local";
  }
  return ".secretsmanager-local";
}

std::variant<Config, std::string> ParseConfig(std::span<const std::string_view> args,
                                              const EnvLookup& env) {
  Config config;
  for (std::string_view arg : args) {
    if (arg == "--help" || arg == "-h") {
      config.command = Config::Command::kHelp;
      return config;
    }
  }
  for (std::string_view arg : args) {
    if (arg == "--version") {
      config.command = Config::Command::kVersion;
      return config;
    }
  }

  if (!args.empty() && args.front() == "healthcheck") {
    config.command = Config::Command::kHealthcheck;
    args = args.subspan(1);
  }

  // Collect flags first so that a flag suppresses its variable entirely.
  std::map<const Option*, std::string> flags;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    std::string_view name = arg;
    std::optional<std::string> value;
    if (auto eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
      name = arg.substr(0, eq);
      value = std::string(arg.substr(eq + 1));
    }
    const Option* option = FindOption(name);
    if (option == nullptr) return "unknown argument '" + std::string(arg) + "' (see --help)";
    if (flags.contains(option)) return std::string(name) + " given twice";
    if (!value) {
      if (option->value_name.empty()) {
        value = "true";  // a switch
      } else if (i + 1 >= args.size()) {
        return std::string(name) + " needs a value (" + std::string(option->value_name) + ")";
      } else {
        value = std::string(args[++i]);
      }
    }
    flags[option] = std::move(*value);
  }

  for (const Option& option : kOptions) {
    std::optional<std::string> error;
    if (auto it = flags.find(&option); it != flags.end()) {
      if ((error = option.set(config, it->second))) {
        return std::string(option.flag) + ": " + *error;
      }
    } else if (auto value = env(option.env)) {
      if ((error = option.set(config, *value))) {
        return std::string(option.env) + ": " + *error;
      }
    }
  }

  // --data-dir and --in-memory exclude each other; a flag beats a variable.
  const bool data_dir_flag = flags.contains(FindOption("--data-dir"));
  const bool in_memory_flag = flags.contains(FindOption("--in-memory"));
  if (data_dir_flag && in_memory_flag && config.in_memory) {
    return "--data-dir and --in-memory exclude each other";
  }
  if (data_dir_flag && !in_memory_flag) {
    config.in_memory = false;
  } else if (in_memory_flag) {
    if (config.in_memory) config.data_dir.reset();
  } else if (config.in_memory && config.data_dir) {
    return "SML_DATA_DIR and SML_IN_MEMORY are both set; choose one";
  }
  // The healthcheck only probes: a server started with `--credentials` as a
  // flag and SML_AUTH in its environment is still checkable.
  if (config.auth == AuthMode::kSigV4 && !config.credentials_file &&
      config.command == Config::Command::kServe) {
    return "--auth sigv4 needs --credentials FILE (access keys to accept)";
  }
  if (!config.in_memory && !config.data_dir) config.data_dir = DefaultDataDir(env);
  return config;
}

std::string HelpText() {
  std::string text =
      "Usage: secretsmanager-local [OPTIONS]\n"
      "       secretsmanager-local healthcheck [--host HOST] [--port PORT]\n"
      "\n"
      "AWS Secrets Manager on your machine: point an AWS SDK at http://HOST:PORT.\n"
      "Every option can also be set by the environment variable shown; a flag\n"
      "beats its variable. Switches take 1/0, true/false, yes/no as variable values.\n"
      "\n"
      "Options:\n";
  for (const Option& option : kOptions) {
    std::string left = "  " + std::string(option.flag);
    if (!option.value_name.empty()) left += " " + std::string(option.value_name);
    left += "  [" + std::string(option.env) + "]";
    text += left + "\n      " + std::string(option.help) + "\n";
  }
  text +=
      "  --help       this text\n"
      "  --version    print the version\n"
      "\n"
      "Encryption: the master key comes from SML_MASTER_KEY, else DIR/master.key\n"
      "(created on first start). Exit status: 2 for a bad option, 1 when the\n"
      "server cannot start (data directory, port, database).\n"
      "\n"
      "healthcheck asks the server at HOST:PORT for /_local/health and exits 0\n"
      "when it answers ok, else 1 with a one-line reason (for container probes).\n";
  return text;
}

EnvLookup ProcessEnvironment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

}  // namespace sml::server
