// secretsmanager-local: parse the configuration, open the encrypted store,
// serve HTTP until SIGINT/SIGTERM/SIGHUP, close the store. Exit status 2 for a bad
// option, 1 when the server cannot start.
//
// Startup stays cheap (no scans, no network): the time to the first answered
// request is parse + key + open the database + bind, while OpenSSL's tables
// load beside them (AesGcmCipher), the larger part.
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <variant>
#include <vector>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "api/clock.h"
#include "api/random.h"
#include "api/service.h"
#include "server/admin/admin_router.h"
#include "server/admin/clock_setting.h"
#include "server/agent/agent_endpoint.h"
#include "server/auth/credentials.h"
#include "server/config.h"
#include "server/data_dir.h"
#include "server/exposure.h"
#include "server/healthcheck.h"
#include "server/http/server.h"
#include "server/init/init_apply.h"
#include "server/init/init_scripts.h"
#include "server/log.h"
#include "server/metrics/metrics.h"
#include "server/protocol.h"
#include "server/rotation/handlers_file.h"
#include "server/rotation/rotation_service.h"
#include "server/rotation/scheduler.h"
#include "server/router.h"
#include "storage/crypto/aes_gcm_cipher.h"
#include "storage/crypto/crypto_library.h"
#include "storage/crypto/master_key.h"
#include "storage/store.h"

namespace sml::server {
namespace {

constexpr std::string_view kProgram = "secretsmanager-local";

int Fail(int status, const std::string& reason) {
  std::fprintf(stderr, "%s: %s\n", kProgram.data(), reason.c_str());
  return status;
}

// A standard descriptor the caller closed (`2>&-`) would go to the next file
// opened, the data dir's lock or a socket, and log lines with it: each
// closed one gets /dev/null first (open takes the lowest free number).
void OpenClosedStandardDescriptors() {
  for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; ++fd) {
    if (::fcntl(fd, F_GETFD) == -1 && errno == EBADF && ::open("/dev/null", O_RDWR) != fd) return;
  }
}

// One malloc arena per core that can run at once, before any thread starts.
// glibc's default (eight per core) lets the write pool's sixteen threads each
// take an arena: blocks freed there stay as holes between live cache entries,
// and at 1M secrets RSS rose 4-6 MiB above the cache's bound (61.7 and 65.7
// MiB against 58.2 and 59.4 with this cap; reads and writes no slower).
void LimitMallocArenas() {
#ifdef __GLIBC__
  mallopt(M_ARENA_MAX, static_cast<int>(std::max(2u, std::thread::hardware_concurrency())));
#endif
}

// Each connection holds a descriptor, and a desktop's soft limit (1024) is far
// below its hard one: a load test's connections past it would wait in the
// listen backlog. The hard limit is the administrator's; the soft one is ours.
void RaiseDescriptorLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);  // refused above fs.nr_open: the old limit stays
}

int Serve(const Config& config) {
  // stderr may be a pipe whose reader has gone (`| head`, a log shipper that
  // died): a log write then fails and is dropped instead of ending the
  // process. Handlers and init scripts get SIGPIPE back (RunChild).
  std::signal(SIGPIPE, SIG_IGN);
  LimitMallocArenas();
  RaiseDescriptorLimit();
  storage::InitCryptoLibrary();  // before anything else touches OpenSSL
  SetLogFormat(config.log_format);
  metrics::ProcessMetrics();                // its start time is the process's
  std::optional<init::InitPlan> init_plan;  // read before anything starts: a bad file exits 2
  if (config.init_file) init_plan = init::LoadInitFile(*config.init_file);
  std::vector<std::filesystem::path> init_scripts_found;  // run once the server answers
  if (config.init_dir) init_scripts_found = init::FindInitScripts(*config.init_dir);
  std::optional<DataDirLock> data_dir_lock;  // held until the store has closed
  if (config.data_dir) {
    auto prepared = PrepareDataDir(*config.data_dir);
    if (auto* error = std::get_if<std::string>(&prepared)) return Fail(1, *error);
    data_dir_lock.emplace(std::move(std::get<DataDirLock>(prepared)));
  }

  storage::MasterKey master_key = storage::ResolveMasterKey(config.data_dir);
  storage::AesGcmCipher cipher(master_key.bytes);

  storage::StoreOptions store_options;
  if (config.data_dir) store_options.database_file = *config.data_dir / "secrets.db";
  store_options.cipher = &cipher;
  store_options.read_cache_secrets = config.cache_secrets;
  store_options.read_cache_bytes = config.cache_mib << 20;
  std::unique_ptr<storage::Store> store = storage::Store::Open(store_options);

  api::EmulatorClock clock;
  admin::RestoreClockOffset(clock, *store);
  api::CryptoRandom random;
  // The rotation-window seed comes from the OS: OpenSSL's generator is still
  // loading beside the start (AesGcmCipher), and a seed needs no more.
  std::random_device os_random;
  api::SeededRandom schedule_random(config.seed ? *config.seed
                                                : std::uint64_t{os_random()} << 32 | os_random());
  api::Services services{*store, clock, random, schedule_random};

  std::optional<CredentialStore> credentials;
  if (config.auth == AuthMode::kSigV4) {
    credentials = CredentialStore::LoadFile(config.credentials_file->string(), config.account_id);
  }
  ApiProtocol api(services, ApiDefaults{config.account_id, config.region},
                  credentials ? &*credentials : nullptr);
  ServerInfo info{.version = SML_VERSION,
                  .storage = config.data_dir ? store_options.database_file->string() : ":memory:",
                  .account_id = config.account_id,
                  .region = config.region,
                  .auth = credentials ? "sigv4" : "off"};
  AdminServices admin_services{services, &clock, info};
  admin_services.exec_handlers_over_http = ExecHandlersRegistrableOverHttp(config);
  AdminRouter admin(admin_services, config.admin_token);
  Router router(api, admin, SML_VERSION, BrowserGuard(config.allowed_hosts));

  HttpServerOptions http_options;
  http_options.host = config.host;
  http_options.port = config.port;
  http_options.handle_signals = true;
  // One more thread than cores: POST /_local/clock holds one while the
  // rotations it runs call back into this server.
  http_options.threads = static_cast<int>(std::max(2u, std::thread::hardware_concurrency())) + 1;
  HttpServer server(http_options, router);
  const auto endpoint = server.local_endpoint();

  // Rotation: handlers call back to where we listen, as the secret's account.
  rotation::RotationServiceOptions rotation_options;
  const std::string callback_host =
      endpoint.address().is_unspecified() ? "127.0.0.1" : endpoint.address().to_string();
  rotation_options.callback_endpoint =
      "http://" + (endpoint.address().is_v6() ? "[" + callback_host + "]" : callback_host) + ":" +
      std::to_string(endpoint.port());
  if (credentials) {
    rotation_options.credentials = [&credentials](const std::string& account) {
      if (const Credential* found = credentials->FindForAccount(account)) {
        return std::pair{found->access_key_id, found->secret_access_key};
      }
      return std::pair<std::string, std::string>{account, "no-credential-for-this-account"};
    };
  }
  rotation::RotationService rotations(services, rotation_options);
  rotations.LoadHandlers();
  if (config.handlers_file) {
    for (const auto& [name, handler] : rotation::LoadHandlersFile(*config.handlers_file)) {
      rotations.RegisterHandler(name, handler);
    }
  }
  // Waits for OpenSSL's tables, which everything from here on uses.
  const std::string key_fingerprint = cipher.Fingerprint();
  if (init_plan) {
    auto applied =
        init::ApplyInitPlan(*init_plan, services, rotations, {config.account_id, config.region});
    Log("info", "init file applied",
        {{"file", config.init_file->string()},
         {"created", std::to_string(applied.created)},
         {"kept", std::to_string(applied.kept)}});
  }
  rotation::Scheduler scheduler(server.io_context(), services, rotations);
  services.rotation_starter = &rotations;
  services.change_listener = &scheduler;
  admin_services.rotations = &rotations;
  admin_services.scheduler = &scheduler;
  scheduler.Start();

  if (auto warning = ExposureWarning(config, endpoint)) Log("warn", *warning);
  Log("info", "listening",
      {{"address", endpoint.address().to_string() + ":" + std::to_string(endpoint.port())},
       {"storage", info.storage},
       {"key_fingerprint", key_fingerprint},
       {"key_source", master_key.source},
       {"account_id", config.account_id},
       {"region", config.region},
       {"auth", credentials ? "sigv4 (" + std::to_string(credentials->size()) + " keys)" : "off"},
       {"version", SML_VERSION}});
  std::optional<AgentServer> agent;
  if (config.agent_port) {
    agent.emplace(api, *config.agent_port, BrowserGuard(config.allowed_hosts));
    Log("info", "agent endpoint listening",
        {{"address", "127.0.0.1:" + std::to_string(agent->port())}});
  }
  std::optional<init::InitScriptRunner> init_scripts;
  if (config.init_dir) {
    init_scripts.emplace(std::move(init_scripts_found),
                         rotations.CallbackFor(config.account_id, config.region));
  }
  server.Run();
  agent.reset();
  init_scripts.reset();
  scheduler.Stop();
  rotations.Shutdown();  // waits for rotations under way
  Log("info", "stopped");
  return 0;  // the store closes as it goes out of scope, after the server
}

}  // namespace
}  // namespace sml::server

int main(int argc, char** argv) {
  using namespace sml::server;
  OpenClosedStandardDescriptors();
  std::vector<std::string_view> args(argv + 1, argv + argc);
  auto parsed = ParseConfig(args, ProcessEnvironment());
  if (auto* error = std::get_if<std::string>(&parsed)) return Fail(2, *error);
  const Config& config = std::get<Config>(parsed);
  switch (config.command) {
    case Config::Command::kHelp:
      std::fputs(HelpText().c_str(), stdout);
      return 0;
    case Config::Command::kVersion:
      std::printf("%s %s\n", kProgram.data(), SML_VERSION);
      return 0;
    case Config::Command::kHealthcheck:
      return RunHealthcheck(config);
    case Config::Command::kServe:
      break;
  }
  try {
    return Serve(config);
  } catch (const init::InitFileError& error) {
    return Fail(2, "--init " + config.init_file->string() + ": " + error.what());
  } catch (const std::exception& error) {
    return Fail(1, error.what());
  }
}
