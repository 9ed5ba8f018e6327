#include "server/healthcheck.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace sml::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr std::chrono::seconds kTimeout{3};

std::string ProbeHost(const std::string& host) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec || !address.is_unspecified()) return host;
  return address.is_v6() ? "::1" : "127.0.0.1";
}

}  // namespace

HealthcheckResult CheckHealth(const std::string& host, std::uint16_t port,
                              std::chrono::milliseconds timeout) {
  const std::string probe_host = ProbeHost(host);
  const std::string where =
      (probe_host.find(':') != std::string::npos ? "[" + probe_host + "]" : probe_host) + ":" +
      std::to_string(port);

  asio::io_context io;
  tcp::resolver resolver(io);
  beast::tcp_stream stream(io);
  http::request<http::empty_body> request{http::verb::get, "/_local/health", 11};
  request.set(http::field::host, where);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  std::string failure;
  bool answered = false;

  // Asynchronous steps so that the stream's deadline covers connect, write and read.
  auto fail = [&](std::string_view step, const beast::error_code& ec) {
    failure = ec == beast::error::timeout
                  ? "no answer from " + where + " within " + std::to_string(timeout.count()) + " ms"
                  : std::string(step) + " " + where + ": " + ec.message();
  };
  resolver.async_resolve(probe_host, std::to_string(port), [&](auto ec, auto endpoints) {
    if (ec) return fail("cannot resolve", ec);
    stream.expires_after(timeout);
    stream.async_connect(endpoints, [&](auto ec, auto) {
      if (ec) return fail("cannot connect to", ec);
      http::async_write(stream, request, [&](auto ec, auto) {
        if (ec) return fail("cannot send to", ec);
        http::async_read(stream, buffer, response, [&](auto ec, auto) {
          if (ec) return fail("no HTTP answer from", ec);
          answered = true;
        });
      });
    });
  });
  io.run();

  if (!answered) return {false, failure};
  const std::string url = "http://" + where + "/_local/health";
  if (response.result() != http::status::ok) {
    return {false, url + " answered HTTP " + std::to_string(response.result_int())};
  }
  const auto body = nlohmann::json::parse(response.body(), nullptr, false);
  const auto field = [&body](const char* name) {
    auto it = body.is_object() ? body.find(name) : body.end();
    return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (field("status") != "ok") {
    return {false, url + " answered without \"status\":\"ok\""};
  }
  return {true, "ok: " + url + " (version " + field("version") + ")"};
}

int RunHealthcheck(const Config& config) {
  HealthcheckResult result = CheckHealth(config.host, config.port, kTimeout);
  std::fprintf(result.healthy ? stdout : stderr, "%s\n", result.line.c_str());
  return result.healthy ? 0 : 1;
}

}  // namespace sml::server
