// The one-pass request parser against Beast's: whatever it takes, it must
// read exactly as Beast's parser does (method, target, version, every field
// in order, body, bytes consumed); what it declines goes to Beast.
#include "server/http/simple_request.h"

#include <gtest/gtest.h>

#include <boost/beast/http/parser.hpp>
#include <random>
#include <string>
#include <vector>

namespace sml::server {
namespace {

namespace http = boost::beast::http;

constexpr std::size_t kHeaderLimit = 16 * 1024;
constexpr std::uint64_t kBodyLimit = 1024;

// What Beast's parser makes of `bytes` when it holds one whole request.
std::optional<SimpleRequest> BeastParse(std::string_view bytes, std::size_t header_limit,
                                        std::uint64_t body_limit) {
  http::request_parser<http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(header_limit));
  parser.body_limit(body_limit);
  parser.eager(true);
  boost::beast::error_code ec;
  std::size_t used = 0;
  while (!parser.is_done() && used < bytes.size()) {
    const std::size_t n = parser.put(boost::asio::buffer(bytes.data() + used, bytes.size() - used), ec);
    if (ec == http::error::need_more) return std::nullopt;
    if (ec) return std::nullopt;
    if (n == 0) break;
    used += n;
  }
  if (!parser.is_done()) return std::nullopt;
  // A request whose header is at the limit passes Beast's parser; the
  // session refuses it by the header's size.
  return SimpleRequest{parser.release(), used};
}

std::vector<std::pair<std::string, std::string>> Fields(const HttpRequest& request) {
  std::vector<std::pair<std::string, std::string>> fields;
  for (const auto& field : request) {
    fields.emplace_back(ToStd(field.name_string()), ToStd(field.value()));
  }
  return fields;
}

void ExpectSame(const SimpleRequest& ours, const SimpleRequest& beast, std::string_view bytes) {
  const std::string context = "request: " + std::string(bytes);
  EXPECT_EQ(ToStd(ours.message.method_string()), ToStd(beast.message.method_string())) << context;
  EXPECT_EQ(ours.message.method(), beast.message.method()) << context;
  EXPECT_EQ(ToStd(ours.message.target()), ToStd(beast.message.target())) << context;
  EXPECT_EQ(ours.message.version(), beast.message.version()) << context;
  EXPECT_EQ(Fields(ours.message), Fields(beast.message)) << context;
  EXPECT_EQ(ours.message.body(), beast.message.body()) << context;
  EXPECT_EQ(ours.message.keep_alive(), beast.message.keep_alive()) << context;
  EXPECT_EQ(ours.size, beast.size) << context;
}

std::string SdkRequest(std::string_view target = "secretsmanager.GetSecretValue") {
  const std::string body = R"({"SecretId":"app/db"})";
  return "POST / HTTP/1.1\r\n"
         "Host: localhost:4566\r\n"
         "Accept-Encoding: identity\r\n"
         "X-Amz-Target: " +
         std::string(target) +
         "\r\n"
         "Content-Type: application/x-amz-json-1.1\r\n"
         "User-Agent: Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.1 lang/python#3.11.2\r\n"
         "X-Amz-Date: 20241125T160000Z\r\n"
         "Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20241125/us-east-1/"
         "secretsmanager/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
         "Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\r\n"
         "amz-sdk-invocation-id: 8d1f0b8e-3b0e-4c8e-9f53-0a6e3f1d2c4b\r\n"
         "amz-sdk-request: attempt=1\r\n"
         "Content-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

TEST(SimpleRequestTest, ReadsTheRequestsClientsSend) {
  const std::vector<std::string> requests = {
      SdkRequest(),
      "GET /_local/health HTTP/1.1\r\nHost: localhost\r\n\r\n",
      "GET /bench/null HTTP/1.1\r\nHost: 127.0.0.1:4566\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\n{}",
      "POST / HTTP/1.0\r\nHost: h\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
      "GET /?a=b&c=%20d HTTP/1.1\r\nX-Empty:\r\nX-Blank:   \t \r\nX-Tab:\ta\tb\t\r\n\r\n",
      "DELETE /x HTTP/1.1\r\nX-High: caf\xc3\xa9\r\nx-lower: v\r\n\r\n",
      "PATCH /x HTTP/1.1\r\nContent-Length: 007\r\n\r\n1234567",
      "PROPFIND /x HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx",
  };
  for (const std::string& bytes : requests) {
    auto ours = ParseSimpleRequest(bytes, kHeaderLimit, kBodyLimit);
    ASSERT_TRUE(ours.has_value()) << bytes;
    auto beast = BeastParse(bytes, kHeaderLimit, kBodyLimit);
    ASSERT_TRUE(beast.has_value()) << bytes;
    ExpectSame(*ours, *beast, bytes);
  }
}

TEST(SimpleRequestTest, TakesOnlyTheFirstOfPipelinedRequests) {
  const std::string first = SdkRequest();
  const std::string bytes = first + SdkRequest("secretsmanager.DescribeSecret");
  auto ours = ParseSimpleRequest(bytes, kHeaderLimit, kBodyLimit);
  ASSERT_TRUE(ours.has_value());
  EXPECT_EQ(ours->size, first.size());
  EXPECT_EQ(ToStd(ours->message["X-Amz-Target"]), "secretsmanager.GetSecretValue");
}

TEST(SimpleRequestTest, LeavesEverythingElseToBeast) {
  const std::string sdk = SdkRequest();
  const std::vector<std::string> requests = {
      "",
      sdk.substr(0, sdk.size() - 1),                    // body not all here
      sdk.substr(0, sdk.find("\r\n\r\n") + 2),          // header not all here
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
      "GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
      "GET / HTTP/1.1\r\nConnection: keep-alive, Upgrade\r\n\r\n",
      "GET / HTTP/1.1\r\nX-Folded: a\r\n b\r\n\r\n",            // obs-fold
      "POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}",
      "POST / HTTP/1.1\r\nContent-Length: 2, 2\r\n\r\n{}",
      "POST / HTTP/1.1\r\nContent-Length: 2x\r\n\r\n{}",
      "POST / HTTP/1.1\r\nContent-Length: 2048\r\n\r\n" + std::string(2048, 'x'),  // over the limit
      "GET / HTTP/1.1\r\nX-Bad: a\nb\r\n\r\n",
      std::string("GET / HTTP/1.1\r\nX-Nul: a\0b\r\n\r\n", 30),
      "GET / HTTP/1.1\r\nX-Del: a\x7f\r\n\r\n",
      "GET / HTTP/1.1\r\nBad Name: a\r\n\r\n",
      "GET / HTTP/1.1\r\n: a\r\n\r\n",
      "GET / HTTP/2.0\r\n\r\n",
      "GET / HTTP/1.1\n\n",
      "GET  / HTTP/1.1\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: h\r\n\r",
      " GET / HTTP/1.1\r\n\r\n",
  };
  for (const std::string& bytes : requests) {
    EXPECT_FALSE(ParseSimpleRequest(bytes, kHeaderLimit, kBodyLimit).has_value()) << bytes;
  }
  // A header that does not fit within the limit.
  EXPECT_FALSE(ParseSimpleRequest(sdk, sdk.find("\r\n\r\n") + 4, kBodyLimit).has_value());
  EXPECT_TRUE(ParseSimpleRequest(sdk, sdk.find("\r\n\r\n") + 5, kBodyLimit).has_value());
}

// Random damage to SDK-shaped requests: wherever the one-pass parser still
// takes the bytes, Beast's parser takes them too and reads the same message.
TEST(SimpleRequestTest, AgreesWithBeastOnRandomRequests) {
  std::mt19937 random(20241129);
  const std::string interesting = std::string("\r\n\t :,;\"\\/\x7f\x80\xff\x01", 15) +
                                  std::string(1, '\0') + "0123456789aZ-_.";
  const std::vector<std::string> seeds = {
      SdkRequest(),
      "GET /_local/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
      "POST / HTTP/1.0\r\nContent-Length: 3\r\nX-A:  b \r\n\r\nabc",
  };
  int taken = 0, declined = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string bytes = seeds[random() % seeds.size()];
    const int edits = 1 + static_cast<int>(random() % 3);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = random() % (bytes.size() + 1);
      switch (random() % 4) {
        case 0:
          bytes.insert(at, 1, interesting[random() % interesting.size()]);
          break;
        case 1:
          if (at < bytes.size()) bytes[at] = interesting[random() % interesting.size()];
          break;
        case 2:
          if (at < bytes.size()) bytes.erase(at, 1);
          break;
        default:
          bytes.resize(std::max(at, bytes.size() - std::min<std::size_t>(bytes.size(), 3)));
          break;
      }
    }
    auto ours = ParseSimpleRequest(bytes, kHeaderLimit, kBodyLimit);
    if (!ours) {
      ++declined;
      continue;
    }
    ++taken;
    auto beast = BeastParse(bytes, kHeaderLimit, kBodyLimit);
    ASSERT_TRUE(beast.has_value()) << "Beast refuses what the one-pass parser took: " << bytes;
    ExpectSame(*ours, *beast, bytes);
    if (HasFailure()) return;
  }
  // Both paths are exercised.
  EXPECT_GT(taken, 2000);
  EXPECT_GT(declined, 2000);
}

}  // namespace
}  // namespace sml::server
