#include "server/responses.h"

#include "api/json_writer.h"

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
  api::JsonWriter body;  // keys sorted, as a document's dump() sorts them
  body.BeginObject();
  body.Member("Message", message);
  body.Member("__type", type);
  body.EndObject();
  HttpResponse response = BodyResponse(status, content_type, std::move(body).Take());
  response.set("x-amzn-ErrorType", ToBeast(type));
  return response;
}

}  // namespace sml::server
