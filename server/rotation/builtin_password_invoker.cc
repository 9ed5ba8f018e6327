#include "server/rotation/builtin_password_invoker.h"

#include "api/error.h"

namespace sml::server::rotation {
namespace {

class Client {
 public:
  Client(api::Services& services, api::RequestContext context)
      : services_(services), context_(std::move(context)) {}

  nlohmann::json Call(std::string_view operation, const nlohmann::json& input) {
    return api::FindOperation(operation)(context_, input, services_);
  }
  // GetSecretValue, or nullopt when that version/label has no value.
  std::optional<nlohmann::json> TryGet(const nlohmann::json& input) {
    try {
      return Call("GetSecretValue", input);
    } catch (const api::ApiError& e) {
      if (e.code() == api::ErrorCode::kResourceNotFound) return std::nullopt;
      throw;
    }
  }

 private:
  api::Services& services_;
  api::RequestContext context_;
};

std::string NewValue(Client& client, const nlohmann::json& current) {
  if (!current.contains("SecretString")) {
    throw std::runtime_error("the builtin password handler rotates SecretString values only");
  }
  std::string password =
      client.Call("GetRandomPassword", {{"PasswordLength", 32}, {"ExcludeCharacters", "\"'\\/@`"}})
          .at("RandomPassword");
  auto text = current.at("SecretString").get<std::string>();
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (!parsed.is_object()) return password;
  parsed["password"] = password;
  return parsed.dump();
}

}  // namespace

StepOutcome BuiltinPasswordInvoker::Invoke(const HandlerConfig&, const std::string&,
                                           const nlohmann::json& event,
                                           const CallbackEnvironment& callback) {
  const std::string step = event.at("Step");
  const std::string arn = event.at("SecretId");
  const std::string token = event.at("ClientRequestToken");
  Client client(services_, {callback.account_id, callback.region, "rotation-" + token});
  try {
    if (step == "createSecret") {
      if (client.TryGet({{"SecretId", arn}, {"VersionId", token}, {"VersionStage", "AWSPENDING"}})) {
        return {true, "", "createSecret: pending value already present"};
      }
      auto current = client.Call("GetSecretValue", {{"SecretId", arn}, {"VersionStage", "AWSCURRENT"}});
      client.Call("PutSecretValue", {{"SecretId", arn},
                                     {"ClientRequestToken", token},
                                     {"SecretString", NewValue(client, current)},
                                     {"VersionStages", {"AWSPENDING"}}});
      return {true, "", "createSecret: new password stored as AWSPENDING"};
    }
    if (step == "setSecret") return {true, "", "setSecret: nothing outside to update"};
    if (step == "testSecret") {
      bool pending = client.TryGet({{"SecretId", arn}, {"VersionId", token}}).has_value();
      bool current = client.TryGet({{"SecretId", arn}, {"VersionStage", "AWSCURRENT"}}).has_value();
      if (!pending && !current) return {false, "testSecret: no value to test", ""};
      return {true, "", "testSecret: value readable"};
    }
    if (step == "finishSecret") {
      auto describe = client.Call("DescribeSecret", {{"SecretId", arn}});
      std::optional<std::string> current_version;
      const auto versions = describe.value("VersionIdsToStages", nlohmann::json::object());
      for (const auto& [version, stages] : versions.items()) {
        for (const auto& stage : stages) {
          if (stage == "AWSCURRENT") current_version = version;
        }
      }
      if (current_version == token) return {true, "", "finishSecret: already AWSCURRENT"};
      nlohmann::json move{{"SecretId", arn}, {"VersionStage", "AWSCURRENT"}, {"MoveToVersionId", token}};
      if (current_version) move["RemoveFromVersionId"] = *current_version;
      client.Call("UpdateSecretVersionStage", move);
      return {true, "", "finishSecret: AWSCURRENT moved to " + token};
    }
    return {false, "unknown step " + step, ""};
  } catch (const api::ApiError& e) {
    return {false, step + ": " + std::string(api::ErrorTypeName(e.code())) + ": " + e.what(), ""};
  } catch (const std::exception& e) {
    return {false, step + ": " + e.what(), ""};
  }
}

}  // namespace sml::server::rotation
