#include "api/output.h"

namespace sml::api {

std::string Output::TakeText() && {
  if (text_) return std::move(*text_);
  return document_.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json Output::Document() const {
  return text_ ? nlohmann::json::parse(*text_) : document_;
}

}  // namespace sml::api
