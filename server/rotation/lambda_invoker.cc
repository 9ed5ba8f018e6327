// The lambda rotation handler: the Lambda Invoke API as `sam local
// start-lambda`, the Runtime Interface Emulator and LocalStack serve it.
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "server/rotation/step_invoker.h"

namespace sml::server::rotation {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

struct HttpUrl {
  std::string host, port, path;
};

HttpUrl ParseHttpUrl(const std::string& url) {
  std::string rest = url.substr(std::string_view("http://").size());
  HttpUrl out;
  auto slash = rest.find('/');
  out.path = slash == std::string::npos ? "" : rest.substr(slash);
  std::string authority = rest.substr(0, slash);
  auto colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']') == std::string::npos) {
    out.host = authority.substr(0, colon);
    out.port = authority.substr(colon + 1);
  } else {
    out.host = authority;
    out.port = "80";
  }
  if (out.host.starts_with('[') && out.host.ends_with(']')) out.host = out.host.substr(1, out.host.size() - 2);
  return out;
}

}  // namespace

StepOutcome LambdaInvoker::Invoke(const HandlerConfig& handler, const std::string& function_name,
                                  const nlohmann::json& event, const CallbackEnvironment&) {
  HttpUrl url = ParseHttpUrl(handler.url);
  std::string target = url.path + "/2015-03-31/functions/" + function_name + "/invocations";

  http::request<http::string_body> request{http::verb::post, target, 11};
  request.set(http::field::host, url.host + ":" + url.port);
  request.set(http::field::content_type, "application/json");
  request.set("X-Amz-Invocation-Type", "RequestResponse");
  request.body() = event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  request.prepare_payload();

  // Asynchronous on a private io_context, run in short slices, so that a
  // shutdown ends the call in flight instead of waiting out its timeout.
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  tcp::resolver resolver(io);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(6 * 1024 * 1024);  // Lambda's synchronous response limit
  beast::error_code failure;           // of the step that failed, if one did
  stream.expires_after(std::chrono::seconds(handler.timeout_seconds));
  resolver.async_resolve(url.host, url.port, [&](beast::error_code ec, const auto& found) {
    if (ec) return void(failure = ec);
    stream.async_connect(found, [&](beast::error_code ec, const tcp::endpoint&) {
      if (ec) return void(failure = ec);
      http::async_write(stream, request, [&](beast::error_code ec, std::size_t) {
        if (ec) return void(failure = ec);
        http::async_read(stream, buffer, parser,
                         [&](beast::error_code ec, std::size_t) { failure = ec; });
      });
    });
  });
  bool stopped = false;
  while (!io.stopped()) {
    io.run_for(std::chrono::milliseconds(100));
    if (stopping() && !stopped && !io.stopped()) {
      stopped = true;
      resolver.cancel();
      stream.close();  // the pending operation ends with operation_aborted
    }
  }
  if (stopped) return {false, kStoppedByShutdown, ""};
  if (failure == beast::error::timeout) {
    return {false, "timed out after " + std::to_string(handler.timeout_seconds) + " s", ""};
  }
  if (failure) return {false, "cannot invoke " + handler.url + ": " + failure.message(), ""};
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);

  auto& response = parser.get();
  std::string output = response.body().substr(0, kMaxHandlerOutput);
  unsigned status = response.result_int();
  if (status < 200 || status >= 300) {
    return {false, "Lambda Invoke API answered HTTP " + std::to_string(status), output};
  }
  if (auto error = response.find("X-Amz-Function-Error"); error != response.end()) {
    return {false, "function error: " + std::string(error->value()), output};
  }
  return {true, "", output};
}

}  // namespace sml::server::rotation
