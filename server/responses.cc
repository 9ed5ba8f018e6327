#include "server/responses.h"

#include <nlohmann/json.hpp>

namespace sml::server {

namespace http = boost::beast::http;

HttpResponse BodyResponse(http::status status, std::string_view content_type, std::string body) {
  HttpResponse response(status, 11);
  response.set(http::field::content_type, ToBeast(content_type));
  response.body() = std::move(body);
  return response;
}

HttpResponse ErrorResponse(http::status status, std::string_view type, std::string_view message,
                           std::string_view content_type) {
  nlohmann::json body{{"__type", type}, {"Message", message}};
  HttpResponse response = BodyResponse(
      status, content_type, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  response.set("x-amzn-ErrorType", ToBeast(type));
  return response;
}

}  // namespace sml::server
