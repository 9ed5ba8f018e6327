#pragma once
// The HTTP messages the session exchanges with the rest of the server, and
// the one interface it calls. The session moves bytes; everything a response
// says is decided behind RequestHandler.
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <optional>
#include <string_view>

namespace sml::server {

// Boost 1.74's beast::string_view is boost::string_view; these convert.
inline std::string_view ToStd(boost::beast::string_view s) { return {s.data(), s.size()}; }
inline boost::beast::string_view ToBeast(std::string_view s) { return {s.data(), s.size()}; }

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

// The value of the first field named `name` (any case), nullopt if none.
// A walk over the request's few fields, comparing lengths first: cheaper
// than the case-insensitive tree search of fields::find on every call.
inline std::optional<std::string_view> FindField(const HttpRequest& request,
                                                 std::string_view name) {
  for (const auto& field : request) {
    const auto field_name = field.name_string();
    if (field_name.size() == name.size() && boost::beast::iequals(field_name, ToBeast(name))) {
      return ToStd(field.value());
    }
  }
  return std::nullopt;
}

// Called on the connection's strand, possibly from several connections at
// once: implementations are thread-safe. They must not throw.
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // The answer to one complete request. The session sets keep-alive from the
  // request afterwards (and forces close while the server drains).
  virtual HttpResponse HandleRequest(const HttpRequest& request) = 0;
  // True when answering `request` may wait long (a write waits for its group
  // commit): the session then runs HandleRequest on the server's pool for
  // such requests, and its I/O thread goes on serving other connections.
  virtual bool MayBlock(const HttpRequest&) const { return false; }
  // The answer when the connection refuses a request it could not read in
  // full (too large: 413/431, malformed: 400). The connection closes after it.
  virtual HttpResponse RefuseRequest(boost::beast::http::status status,
                                     std::string_view reason) = 0;
};

}  // namespace sml::server
