// secretsmanager-local: parse the configuration, open the encrypted store,
// serve HTTP until SIGINT/SIGTERM, close the store. Exit status 2 for a bad
// option, 1 when the server cannot start.
//
// Startup stays cheap (no scans, no network): the time to the first answered
// request is parse + key + open the database + bind.
#include <algorithm>
#include <cstdio>
#include <thread>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "api/clock.h"
#include "api/random.h"
#include "api/service.h"
#include "server/admin/admin_router.h"
#include "server/admin/clock_setting.h"
#include "server/auth/credentials.h"
#include "server/config.h"
#include "server/data_dir.h"
#include "server/http/server.h"
#include "server/log.h"
#include "server/protocol.h"
#include "server/rotation/handlers_file.h"
#include "server/rotation/rotation_service.h"
#include "server/rotation/scheduler.h"
#include "server/router.h"
#include "storage/crypto/aes_gcm_cipher.h"
#include "storage/crypto/master_key.h"
#include "storage/store.h"

namespace sml::server {
namespace {

constexpr std::string_view kProgram = "secretsmanager-local";

int Fail(int status, const std::string& reason) {
  std::fprintf(stderr, "%s: %s\n", kProgram.data(), reason.c_str());
  return status;
}

int Serve(const Config& config) {
  SetLogFormat(config.log_format);
  if (config.data_dir) {
    if (auto error = PrepareDataDir(*config.data_dir)) return Fail(1, *error);
  }

  storage::MasterKey master_key = storage::ResolveMasterKey(config.data_dir);
  storage::AesGcmCipher cipher(master_key.bytes);

  storage::StoreOptions store_options;
  if (config.data_dir) store_options.database_file = *config.data_dir / "secrets.db";
  store_options.cipher = &cipher;
  store_options.read_cache_secrets = config.cache_secrets;
  std::unique_ptr<storage::Store> store = storage::Store::Open(store_options);

  api::EmulatorClock clock;
  admin::RestoreClockOffset(clock, *store);
  api::CryptoRandom random;
  api::SeededRandom schedule_random(config.seed ? *config.seed : random.Uniform(UINT64_MAX));
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
                  .region = config.region};
  AdminServices admin_services{services, &clock, info};
  AdminRouter admin(admin_services, config.admin_token);
  Router router(api, admin, SML_VERSION);

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
  rotation::Scheduler scheduler(server.io_context(), services, rotations);
  services.rotation_starter = &rotations;
  services.change_listener = &scheduler;
  admin_services.rotations = &rotations;
  admin_services.scheduler = &scheduler;
  scheduler.Start();

  Log("info", "listening",
      {{"address", endpoint.address().to_string() + ":" + std::to_string(endpoint.port())},
       {"storage", info.storage},
       {"key_fingerprint", cipher.Fingerprint()},
       {"key_source", master_key.source},
       {"account_id", config.account_id},
       {"region", config.region},
       {"auth", credentials ? "sigv4 (" + std::to_string(credentials->size()) + " keys)" : "off"},
       {"version", SML_VERSION}});
  server.Run();
  scheduler.Stop();
  rotations.Shutdown();  // waits for rotations under way
  Log("info", "stopped");
  return 0;  // the store closes as it goes out of scope, after the server
}

}  // namespace
}  // namespace sml::server

int main(int argc, char** argv) {
  using namespace sml::server;
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
    case Config::Command::kServe:
      break;
  }
  try {
    return Serve(config);
  } catch (const std::exception& error) {
    return Fail(1, error.what());
  }
}
