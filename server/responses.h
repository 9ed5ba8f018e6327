#pragma once
// The shapes of the bodies this server answers with, built in one place.
// AWS error bodies are {"__type":"<Type>","Message":"<text>"} with the
// x-amzn-ErrorType header (BEHAVIOR.md §1); the admin endpoints and the
// non-API paths use the same shape so clients need one parser.
#include <string>
#include <string_view>

#include "server/http/message.h"

namespace sml::server {

inline constexpr std::string_view kAwsJsonContentType = "application/x-amz-json-1.1";
inline constexpr std::string_view kJsonContentType = "application/json";

// A response with `body` of `content_type`.
HttpResponse BodyResponse(boost::beast::http::status status, std::string_view content_type,
                          std::string body);

// An error in the AWS shape; `message` may be any bytes (invalid UTF-8 is
// replaced, never thrown on).
HttpResponse ErrorResponse(boost::beast::http::status status, std::string_view type,
                           std::string_view message,
                           std::string_view content_type = kAwsJsonContentType);

}  // namespace sml::server
