#pragma once
// --handlers FILE: rotation handlers registered at start, as a JSON object
// mapping a Lambda function ARN or name to a handler document:
//   {"arn:aws:lambda:us-east-1:000000000000:function:rotate":
//        {"type":"exec","command":["python3","rotate.py"]},
//    "password-rotator": {"type":"builtin","name":"password"}}
// The same object is the "rotationHandlers" member of an --init file.
#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "server/rotation/handler_config.h"

namespace sml::server::rotation {

using NamedHandlers = std::vector<std::pair<std::string, HandlerConfig>>;

// A handler document that is wrong, and under which name.
class HandlersDocumentError : public std::runtime_error {
 public:
  HandlersDocumentError(std::string name, std::string reason)
      : std::runtime_error(name.empty() ? reason : "\"" + name + "\": " + reason),
        name_(std::move(name)),
        reason_(std::move(reason)) {}
  const std::string& name() const { return name_; }  // empty: the document itself
  const std::string& reason() const { return reason_; }

 private:
  std::string name_;
  std::string reason_;
};

// Throws HandlersDocumentError.
NamedHandlers ParseHandlersDocument(const nlohmann::json& document);

// Throws std::runtime_error naming the file and the entry that is wrong.
NamedHandlers LoadHandlersFile(const std::filesystem::path& file);

}  // namespace sml::server::rotation
