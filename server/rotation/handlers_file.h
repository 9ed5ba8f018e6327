#pragma once
// --handlers FILE: rotation handlers registered at start, as a JSON object
// mapping a Lambda function ARN or name to a handler document:
//   {"arn:aws:lambda:us-east-1:000000000000:function:rotate":
//        {"type":"exec","command":["python3","rotate.py"]},
//    "password-rotator": {"type":"builtin","name":"password"}}
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "server/rotation/handler_config.h"

namespace sml::server::rotation {

// Throws std::runtime_error naming the file and the entry that is wrong.
std::vector<std::pair<std::string, HandlerConfig>> LoadHandlersFile(const std::filesystem::path& file);

}  // namespace sml::server::rotation
