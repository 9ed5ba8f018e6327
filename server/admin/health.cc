#include "api/json_writer.h"
#include "server/admin/endpoints.h"

namespace sml::server::admin {

// Polled by probes and load balancers: written directly, keys sorted as a
// document's dump() would sort them.
AdminReply Health(const AdminRequest&, AdminServices& services) {
  const auto uptime = std::chrono::steady_clock::now() - services.info.started;
  const std::int64_t secrets = services.api.store.Read(
      [](storage::Repository& repository) { return repository.CountSecretsByRegion().total; });
  api::JsonWriter out;
  out.BeginObject();
  out.Member("auth", services.info.auth);
  out.Key("clockOffsetMillis");
  out.Int(services.emulator_clock ? services.emulator_clock->offset() : 0);
  out.Member("defaultAccountId", services.info.account_id);
  out.Member("defaultRegion", services.info.region);
  out.Key("secrets");
  out.Int(secrets);
  out.Member("status", "ok");
  out.Member("storage", services.info.storage);
  out.Key("uptimeSeconds");
  out.Int(std::chrono::duration_cast<std::chrono::seconds>(uptime).count());
  out.Member("version", services.info.version);
  out.EndObject();
  return AdminReply{boost::beast::http::status::ok, "application/json", std::move(out).Take()};
}

// Spaced as LocalStack's Python server writes it (", " and ": "), since the
// scripts match the text, not the document.
AdminReply LocalStackHealth(const AdminRequest&, AdminServices& services) {
  std::string body = R"({"services": {"secretsmanager": "running"}, "version": )";
  body += nlohmann::json(services.info.version).dump();
  body += "}";
  return AdminReply{boost::beast::http::status::ok, "application/json", std::move(body)};
}

}  // namespace sml::server::admin
