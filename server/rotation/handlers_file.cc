#include "server/rotation/handlers_file.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace sml::server::rotation {

std::vector<std::pair<std::string, HandlerConfig>> LoadHandlersFile(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read handlers file " + file.string());
  std::stringstream text;
  text << in.rdbuf();
  auto document = nlohmann::json::parse(text.str(), nullptr, false);
  if (!document.is_object()) {
    throw std::runtime_error("handlers file " + file.string() +
                             " must be a JSON object of name -> handler");
  }
  std::vector<std::pair<std::string, HandlerConfig>> handlers;
  for (const auto& [name, entry] : document.items()) {
    try {
      handlers.emplace_back(name, ParseHandlerConfig(entry));
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error("handlers file " + file.string() + ", \"" + name + "\": " + e.what());
    }
  }
  return handlers;
}

}  // namespace sml::server::rotation
