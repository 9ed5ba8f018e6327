// The one-pass HTTP request parser against Beast's on any bytes: whatever
// ParseSimpleRequest takes, Beast's parser must take too and read the same
// message from the same number of bytes. A difference aborts. Then the
// browser guard (server/browser_guard.h) reads the message's Host and
// Origin: without an Origin it refuses exactly the hosts AllowsHost refuses.
#include <boost/beast/http/parser.hpp>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "server/browser_guard.h"
#include "server/http/simple_request.h"

namespace {

namespace http = boost::beast::http;
using sml::server::ToStd;

constexpr std::size_t kHeaderLimit = 8 * 1024;
constexpr std::uint64_t kBodyLimit = 4 * 1024;

void Check(bool same) {
  if (!same) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto ours = sml::server::ParseSimpleRequest(bytes, kHeaderLimit, kBodyLimit);
  if (!ours) return 0;

  http::request_parser<http::string_body> parser;
  parser.header_limit(kHeaderLimit);
  parser.body_limit(kBodyLimit);
  parser.eager(true);
  boost::beast::error_code ec;
  const std::size_t used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
  Check(!ec && parser.is_done() && used == ours->size);
  const auto& theirs = parser.get();
  const auto& mine = ours->message;
  Check(mine.method_string() == theirs.method_string() && mine.target() == theirs.target() &&
        mine.version() == theirs.version() && mine.body() == theirs.body());
  auto a = mine.begin();
  auto b = theirs.begin();
  for (; a != mine.end() && b != theirs.end(); ++a, ++b) {
    Check(ToStd(a->name_string()) == ToStd(b->name_string()) &&
          ToStd(a->value()) == ToStd(b->value()));
  }
  Check(a == mine.end() && b == theirs.end());

  static const sml::server::BrowserGuard guard({"dev.example.com"});
  const bool refused = guard.Refusal(mine).has_value();
  if (!sml::server::FindField(mine, "Origin")) {
    Check(refused == !guard.AllowsHost(sml::server::FindField(mine, "Host").value_or("")));
  }
  return 0;
}
