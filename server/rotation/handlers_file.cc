#include "server/rotation/handlers_file.h"

#include <fstream>
#include <sstream>

namespace sml::server::rotation {

NamedHandlers ParseHandlersDocument(const nlohmann::json& document) {
  if (!document.is_object()) {
    throw HandlersDocumentError("", "must be a JSON object of name -> handler");
  }
  NamedHandlers handlers;
  for (const auto& [name, entry] : document.items()) {
    try {
      handlers.emplace_back(name, ParseHandlerConfig(entry));
    } catch (const std::invalid_argument& e) {
      throw HandlersDocumentError(name, e.what());
    }
  }
  return handlers;
}

NamedHandlers LoadHandlersFile(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read handlers file " + file.string());
  std::stringstream text;
  text << in.rdbuf();
  try {
    return ParseHandlersDocument(nlohmann::json::parse(text.str(), nullptr, false));
  } catch (const HandlersDocumentError& e) {
    throw std::runtime_error("handlers file " + file.string() + (e.name().empty() ? " " : ", ") +
                             e.what());
  }
}

}  // namespace sml::server::rotation
