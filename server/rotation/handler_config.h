#pragma once
// A registered rotation handler: what RotateSecret calls for a
// RotationLambdaARN. Registered under a Lambda function ARN or a function
// name, from --handlers FILE or PUT /_local/rotation-handlers/{name}.
//   {"type":"exec","command":["python3","rotate.py"],"timeoutSeconds":60}
//   {"type":"lambda","url":"http://127.0.0.1:3001"}
//   {"type":"builtin","name":"password"}
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace sml::server::rotation {

enum class HandlerType { kExec, kLambda, kBuiltin };

struct HandlerConfig {
  HandlerType type = HandlerType::kExec;
  std::vector<std::string> command;  // exec: argv, command[0] looked up on PATH
  std::string url;                   // lambda: base URL of a Lambda Invoke API
  std::string builtin;               // builtin: "password"
  int timeout_seconds = 60;
};

// Parses and checks a handler document; throws std::invalid_argument with a
// message for the person who wrote it.
HandlerConfig ParseHandlerConfig(const nlohmann::json& document);
nlohmann::json HandlerConfigToJson(const HandlerConfig& config);

// The function name a Lambda ARN or name refers to:
// "arn:aws:lambda:us-east-1:123456789012:function:rotate:live" -> "rotate".
std::string LambdaFunctionName(std::string_view arn_or_name);

}  // namespace sml::server::rotation
