#include "server/config.h"

#include <gtest/gtest.h>

#include <map>
#include <vector>

namespace sml::server {
namespace {

using Env = std::map<std::string, std::string>;

std::variant<Config, std::string> Parse(std::vector<std::string_view> args, Env env = {}) {
  return ParseConfig(args, [env](std::string_view name) -> std::optional<std::string> {
    auto it = env.find(std::string(name));
    if (it == env.end()) return std::nullopt;
    return it->second;
  });
}

Config Ok(std::vector<std::string_view> args, Env env = {}) {
  auto result = Parse(args, env);
  if (auto* error = std::get_if<std::string>(&result)) {
    ADD_FAILURE() << "unexpected error: " << *error;
    return {};
  }
  return std::get<Config>(result);
}

std::string Error(std::vector<std::string_view> args, Env env = {}) {
  auto result = Parse(args, env);
  if (auto* error = std::get_if<std::string>(&result)) return *error;
  ADD_FAILURE() << "expected an error";
  return {};
}

TEST(Config, Defaults) {
  Config config = Ok({}, {{"HOME", "/home/dev"}});
  EXPECT_EQ(config.command, Config::Command::kServe);
  EXPECT_EQ(config.host, "127.0.0.1");
  EXPECT_EQ(config.port, 4566);
  EXPECT_FALSE(config.in_memory);
  EXPECT_EQ(config.data_dir, "/home/dev/.local/share/secretsmanager-local");
  EXPECT_EQ(config.account_id, "000000000000");
  EXPECT_EQ(config.region, "us-east-1");
  EXPECT_EQ(config.log_format, LogFormat::kText);
  EXPECT_FALSE(config.seed);
  EXPECT_FALSE(config.handlers_file);
  EXPECT_EQ(config.auth, AuthMode::kOff);
  EXPECT_FALSE(config.credentials_file);
  EXPECT_EQ(config.admin_token, "");
  // About 87,000 small secrets; RSS at 1M secrets under load stays under 64 MiB.
  EXPECT_EQ(config.cache_secrets, 100000u);
  EXPECT_EQ(config.cache_mib, 32u);
}

TEST(Config, DefaultDataDir_PrefersXdgDataHome_ThenHome_ThenWorkingDirectory) {
  EXPECT_EQ(Ok({}, {{"XDG_DATA_HOME", "/x"}, {"HOME", "/h"}}).data_dir, "/x/secretsmanager-local");
  EXPECT_EQ(Ok({}, {{"HOME", "/h"}}).data_dir, "/h/.local/share/secretsmanager-local");
  EXPECT_EQ(Ok({}).data_dir, ".secretsmanager-local");
}

TEST(Config, EveryFlag_IsParsed) {
  Config config = Ok(
      {"--host",        "0.0.0.0",      "--port",        "8080",         "--data-dir",   "/tmp/d",
       "--account-id",  "123456789012", "--region",      "eu-central-1", "--log-format", "json",
       "--seed",        "42",           "--handlers",    "h.json",       "--auth",       "sigv4",
       "--credentials", "c.json",       "--admin-token", "t0k"});
  EXPECT_EQ(config.host, "0.0.0.0");
  EXPECT_EQ(config.port, 8080);
  EXPECT_EQ(config.data_dir, "/tmp/d");
  EXPECT_EQ(config.account_id, "123456789012");
  EXPECT_EQ(config.region, "eu-central-1");
  EXPECT_EQ(config.log_format, LogFormat::kJson);
  EXPECT_EQ(config.seed, 42u);
  EXPECT_EQ(config.handlers_file, "h.json");
  EXPECT_EQ(config.auth, AuthMode::kSigV4);
  EXPECT_EQ(config.credentials_file, "c.json");
  EXPECT_EQ(config.admin_token, "t0k");
}

TEST(Config, FlagWithEqualsSign_IsParsed) {
  Config config = Ok({"--port=1234", "--region=us-gov-west-1"});
  EXPECT_EQ(config.port, 1234);
  EXPECT_EQ(config.region, "us-gov-west-1");
}

TEST(Config, EveryVariable_IsRead) {
  Config config = Ok({}, {{"SML_HOST", "::1"},
                          {"SML_PORT", "0"},
                          {"SML_IN_MEMORY", "1"},
                          {"SML_ACCOUNT_ID", "111122223333"},
                          {"SML_REGION", "ap-southeast-2"},
                          {"SML_LOG_FORMAT", "json"},
                          {"SML_SEED", "7"},
                          {"SML_HANDLERS", "/etc/h"},
                          {"SML_AUTH", "sigv4"},
                          {"SML_CREDENTIALS", "/etc/c"},
                          {"SML_ADMIN_TOKEN", "abc"}});
  EXPECT_EQ(config.host, "::1");
  EXPECT_EQ(config.port, 0);
  EXPECT_TRUE(config.in_memory);
  EXPECT_FALSE(config.data_dir);
  EXPECT_EQ(config.account_id, "111122223333");
  EXPECT_EQ(config.region, "ap-southeast-2");
  EXPECT_EQ(config.log_format, LogFormat::kJson);
  EXPECT_EQ(config.seed, 7u);
  EXPECT_EQ(config.handlers_file, "/etc/h");
  EXPECT_EQ(config.auth, AuthMode::kSigV4);
  EXPECT_EQ(config.credentials_file, "/etc/c");
  EXPECT_EQ(config.admin_token, "abc");
  EXPECT_EQ(Ok({}, {{"SML_DATA_DIR", "/var/sml"}}).data_dir, "/var/sml");
}

TEST(Config, FlagsBeatVariables) {
  Config config = Ok({"--port", "5000", "--region", "us-west-2"},
                     {{"SML_PORT", "6000"}, {"SML_REGION", "eu-west-1"}});
  EXPECT_EQ(config.port, 5000);
  EXPECT_EQ(config.region, "us-west-2");
}

TEST(Config, FlagBeatsAnInvalidVariable) {
  EXPECT_EQ(Ok({"--port", "5000"}, {{"SML_PORT", "nope"}}).port, 5000);
}

TEST(Config, InMemoryFlag_BeatsDataDirVariable_AndDataDirFlagBeatsInMemoryVariable) {
  Config memory = Ok({"--in-memory"}, {{"SML_DATA_DIR", "/d"}});
  EXPECT_TRUE(memory.in_memory);
  EXPECT_FALSE(memory.data_dir);
  Config file = Ok({"--data-dir", "/d"}, {{"SML_IN_MEMORY", "true"}});
  EXPECT_FALSE(file.in_memory);
  EXPECT_EQ(file.data_dir, "/d");
}

TEST(Config, InMemoryVariableFalse_KeepsTheDataDir) {
  Config config = Ok({}, {{"SML_IN_MEMORY", "0"}, {"SML_DATA_DIR", "/d"}});
  EXPECT_FALSE(config.in_memory);
  EXPECT_EQ(config.data_dir, "/d");
}

TEST(Config, HelpAndVersion_WinOverEverythingElse) {
  EXPECT_EQ(Ok({"--port", "bad", "--help"}).command, Config::Command::kHelp);
  EXPECT_EQ(Ok({"-h"}).command, Config::Command::kHelp);
  EXPECT_EQ(Ok({"--version"}).command, Config::Command::kVersion);
}

TEST(Config, BadValues_AreOneLineErrorsNamingTheOption) {
  struct Case {
    std::vector<std::string_view> args;
    Env env;
    std::string_view names;
  };
  const std::vector<Case> cases = {
      {{"--port", "65536"}, {}, "--port"},
      {{"--port", "-1"}, {}, "--port"},
      {{"--port", "80x"}, {}, "--port"},
      {{"--port", ""}, {}, "--port"},
      {{"--host", "bad host"}, {}, "--host"},
      {{"--host", ""}, {}, "--host"},
      {{"--account-id", "12345678901"}, {}, "--account-id"},
      {{"--account-id", "1234567890123"}, {}, "--account-id"},
      {{"--account-id", "12345678901a"}, {}, "--account-id"},
      {{"--region", "US-EAST-1"}, {}, "--region"},
      {{"--region", "useast1"}, {}, "--region"},
      {{"--region", "us-east"}, {}, "--region"},
      {{"--log-format", "xml"}, {}, "--log-format"},
      {{"--seed", "-3"}, {}, "--seed"},
      {{"--seed", "18446744073709551616"}, {}, "--seed"},
      {{"--auth", "basic"}, {}, "--auth"},
      {{"--data-dir", ""}, {}, "--data-dir"},
      {{"--handlers", ""}, {}, "--handlers"},
      {{"--credentials", ""}, {}, "--credentials"},
      {{"--in-memory=maybe"}, {}, "--in-memory"},
      {{}, {{"SML_PORT", "http"}}, "SML_PORT"},
      {{}, {{"SML_ACCOUNT_ID", "0"}}, "SML_ACCOUNT_ID"},
      {{}, {{"SML_REGION", "mars"}}, "SML_REGION"},
      {{}, {{"SML_LOG_FORMAT", "yaml"}}, "SML_LOG_FORMAT"},
      {{}, {{"SML_IN_MEMORY", "sure"}}, "SML_IN_MEMORY"},
      {{}, {{"SML_AUTH", "on"}}, "SML_AUTH"},
      {{"--credentials", "c"}, {{"SML_AUTH", "on"}}, "SML_AUTH"},
      {{}, {{"SML_SEED", "x"}}, "SML_SEED"},
  };
  for (const Case& c : cases) {
    std::string error = Error(c.args, c.env);
    EXPECT_NE(error.find(c.names), std::string::npos) << error;
    EXPECT_EQ(error.find('\n'), std::string::npos) << error;
  }
}

TEST(Config, UnknownArgument_MissingValue_Repeated_AndConflicts_AreErrors) {
  EXPECT_NE(Error({"--bogus"}).find("unknown argument '--bogus'"), std::string::npos);
  EXPECT_NE(Error({"positional"}).find("unknown argument"), std::string::npos);
  EXPECT_NE(Error({"--port"}).find("--port needs a value"), std::string::npos);
  EXPECT_NE(Error({"--port", "1", "--port", "2"}).find("given twice"), std::string::npos);
  EXPECT_NE(Error({"--data-dir", "/d", "--in-memory"}).find("exclude each other"),
            std::string::npos);
  EXPECT_NE(Error({}, {{"SML_DATA_DIR", "/d"}, {"SML_IN_MEMORY", "yes"}}).find("both set"),
            std::string::npos);
  EXPECT_NE(Error({"--auth", "sigv4"}).find("needs --credentials"), std::string::npos);
}

TEST(Config, InitFileInitDirAndAgentPort_FromFlagsOrVariables_OffByDefault) {
  Config defaults = Ok({});
  EXPECT_FALSE(defaults.init_file);
  EXPECT_FALSE(defaults.init_dir);
  EXPECT_FALSE(defaults.agent_port);
  Config flags = Ok({"--init", "seed.json", "--init-dir", "/hooks", "--agent-port", "2773"});
  EXPECT_EQ(flags.init_file, "seed.json");
  EXPECT_EQ(flags.init_dir, "/hooks");
  EXPECT_EQ(flags.agent_port, 2773);
  Config variables =
      Ok({}, {{"SML_INIT", "/s.json"}, {"SML_INIT_DIR", "/d"}, {"SML_AGENT_PORT", "0"}});
  EXPECT_EQ(variables.init_file, "/s.json");
  EXPECT_EQ(variables.init_dir, "/d");
  EXPECT_EQ(variables.agent_port, 0);
  EXPECT_NE(Error({"--agent-port", "70000"}).find("--agent-port"), std::string::npos);
  EXPECT_NE(Error({"--init", ""}).find("--init"), std::string::npos);
  EXPECT_NE(Error({}, {{"SML_INIT_DIR", ""}}).find("SML_INIT_DIR"), std::string::npos);
}

TEST(Config, AllowedHosts_CommaSeparatedFromFlagOrVariable_NoneByDefault) {
  EXPECT_TRUE(Ok({}).allowed_hosts.empty());
  EXPECT_EQ(Ok({"--allowed-hosts", "dev.example.com, Other.Test"}).allowed_hosts,
            (std::vector<std::string>{"dev.example.com", "Other.Test"}));
  EXPECT_EQ(Ok({}, {{"SML_ALLOWED_HOSTS", "*"}}).allowed_hosts, std::vector<std::string>{"*"});
  EXPECT_NE(Error({"--allowed-hosts", "a b"}).find("not a host name"), std::string::npos);
}

TEST(Config, HelpText_DocumentsEveryVariable) {
  const std::string help = HelpText();
  for (std::string_view name :
       {"SML_HOST", "SML_PORT", "SML_DATA_DIR", "SML_IN_MEMORY", "SML_ACCOUNT_ID", "SML_REGION",
        "SML_LOG_FORMAT", "SML_SEED", "SML_HANDLERS", "SML_AUTH", "SML_CREDENTIALS",
        "SML_ADMIN_TOKEN", "SML_INIT", "SML_INIT_DIR", "SML_AGENT_PORT", "SML_ALLOWED_HOSTS"}) {
    EXPECT_NE(help.find(name), std::string::npos) << name;
  }
}

TEST(Config, AllowExecHandlers_IsOffUnlessFlagOrVariable) {
  EXPECT_FALSE(Ok({}).allow_exec_handlers);
  EXPECT_TRUE(Ok({"--allow-exec-handlers"}).allow_exec_handlers);
  EXPECT_TRUE(Ok({}, {{"SML_ALLOW_EXEC_HANDLERS", "1"}}).allow_exec_handlers);
  EXPECT_FALSE(Ok({}, {{"SML_ALLOW_EXEC_HANDLERS", "false"}}).allow_exec_handlers);
  EXPECT_NE(HelpText().find("SML_ALLOW_EXEC_HANDLERS"), std::string::npos);
}

TEST(Config, Healthcheck_IsACommandConfiguredByTheSameFlagsAndVariables) {
  Config flags = Ok({"healthcheck", "--port", "5000", "--host", "::1"});
  EXPECT_EQ(flags.command, Config::Command::kHealthcheck);
  EXPECT_EQ(flags.port, 5000);
  EXPECT_EQ(flags.host, "::1");
  Config env = Ok({"healthcheck"}, {{"SML_PORT", "4999"}, {"SML_HOST", "0.0.0.0"}});
  EXPECT_EQ(env.command, Config::Command::kHealthcheck);
  EXPECT_EQ(env.port, 4999);
  EXPECT_EQ(env.host, "0.0.0.0");
  EXPECT_NE(Error({"--port", "1", "healthcheck"}).find("unknown argument 'healthcheck'"),
            std::string::npos);
  // The server got --credentials as a flag; the probe sees only SML_AUTH.
  EXPECT_EQ(Ok({"healthcheck"}, {{"SML_AUTH", "sigv4"}}).command, Config::Command::kHealthcheck);
}

}  // namespace
}  // namespace sml::server
