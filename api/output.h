#pragma once
// What an operation answers: a JSON document, or that document's text when
// the operation wrote it directly with a JsonWriter (the hot reads do, so
// that no document is built only to be serialised).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "api/json_writer.h"

namespace sml::api {

class Output {
 public:
  Output(nlohmann::json document) : document_(std::move(document)) {}  // NOLINT: implicit
  Output(JsonWriter&& written) : text_(std::move(written).Take()) {}   // NOLINT: implicit

  // The HTTP body.
  std::string TakeText() &&;
  // The document (parsed back from the text if it was written directly):
  // for callers inside the process and for tests.
  nlohmann::json Document() const;
  operator nlohmann::json() const { return Document(); }  // NOLINT: implicit

 private:
  nlohmann::json document_;
  std::optional<std::string> text_;
};

}  // namespace sml::api
