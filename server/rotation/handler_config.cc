#include "server/rotation/handler_config.h"

#include <stdexcept>

namespace sml::server::rotation {
namespace {

constexpr int kMaxTimeoutSeconds = 900;  // Lambda's own maximum

[[noreturn]] void Invalid(const std::string& why) { throw std::invalid_argument(why); }

}  // namespace

HandlerConfig ParseHandlerConfig(const nlohmann::json& document) {
  if (!document.is_object()) Invalid("a rotation handler must be a JSON object");
  for (const auto& [key, value] : document.items()) {
    if (key != "type" && key != "command" && key != "url" && key != "name" &&
        key != "timeoutSeconds") {
      Invalid("unknown member '" + key + "' (expected type, command, url, name, timeoutSeconds)");
    }
  }
  auto type = document.find("type");
  if (type == document.end() || !type->is_string()) {
    Invalid("'type' must be one of \"exec\", \"lambda\", \"builtin\"");
  }
  HandlerConfig config;
  if (auto timeout = document.find("timeoutSeconds"); timeout != document.end()) {
    if (!timeout->is_number_integer() || *timeout < 1 || *timeout > kMaxTimeoutSeconds) {
      Invalid("'timeoutSeconds' must be an integer from 1 to " + std::to_string(kMaxTimeoutSeconds));
    }
    config.timeout_seconds = timeout->get<int>();
  }
  const auto& kind = type->get_ref<const std::string&>();
  if (kind == "exec") {
    config.type = HandlerType::kExec;
    auto command = document.find("command");
    if (command == document.end() || !command->is_array() || command->empty()) {
      Invalid("an exec handler needs 'command': a non-empty array of strings");
    }
    for (const auto& part : *command) {
      if (!part.is_string()) Invalid("'command' must contain only strings");
      config.command.push_back(part.get<std::string>());
    }
    if (config.command.front().empty()) Invalid("'command' must not start with an empty string");
  } else if (kind == "lambda") {
    config.type = HandlerType::kLambda;
    auto url = document.find("url");
    if (url == document.end() || !url->is_string() ||
        !url->get_ref<const std::string&>().starts_with("http://")) {
      Invalid("a lambda handler needs 'url': the http:// base URL of a Lambda Invoke API");
    }
    config.url = url->get<std::string>();
    while (config.url.ends_with('/')) config.url.pop_back();
  } else if (kind == "builtin") {
    config.type = HandlerType::kBuiltin;
    auto name = document.find("name");
    if (name == document.end() || *name != "password") {
      Invalid("a builtin handler needs 'name': \"password\" (the only builtin)");
    }
    config.builtin = "password";
  } else {
    Invalid("'type' must be one of \"exec\", \"lambda\", \"builtin\", not \"" + kind + "\"");
  }
  return config;
}

nlohmann::json HandlerConfigToJson(const HandlerConfig& config) {
  nlohmann::json out{{"timeoutSeconds", config.timeout_seconds}};
  switch (config.type) {
    case HandlerType::kExec:
      out["type"] = "exec";
      out["command"] = config.command;
      break;
    case HandlerType::kLambda:
      out["type"] = "lambda";
      out["url"] = config.url;
      break;
    case HandlerType::kBuiltin:
      out["type"] = "builtin";
      out["name"] = config.builtin;
      break;
  }
  return out;
}

std::string LambdaFunctionName(std::string_view arn_or_name) {
  // arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]
  constexpr std::string_view kMarker = ":function:";
  auto at = arn_or_name.find(kMarker);
  if (!arn_or_name.starts_with("arn:") || at == std::string_view::npos) {
    return std::string(arn_or_name);
  }
  auto name = arn_or_name.substr(at + kMarker.size());
  return std::string(name.substr(0, name.find(':')));
}

}  // namespace sml::server::rotation
