// The HTTP server in process on a free port, driven with raw bytes from a
// plain Asio socket: keep-alive, pipelining, limits, timeouts, shutdown.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <thread>
#include <utility>

#include "server/http/server.h"
#include "server/responses.h"

namespace sml::server {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using net::ip::tcp;
using namespace std::chrono_literals;

// Answers "<method> <target> <body size>"; "/slow" and "/block/slow" take
// a while; "/block/..." may block (runs on the blocking pool), and
// "/block/held" waits until `release` (at most 5 s).
class EchoHandler final : public RequestHandler {
 public:
  std::atomic<int> calls{0};
  std::atomic<bool> slow_started{false};
  std::atomic<bool> held{false};
  std::atomic<bool> release{false};

  HttpResponse HandleRequest(const HttpRequest& request) override {
    ++calls;
    if (request.target() == "/slow" || request.target() == "/block/slow") {
      slow_started = true;
      std::this_thread::sleep_for(300ms);
    }
    if (request.target() == "/block/held") {
      held = true;
      const auto until = std::chrono::steady_clock::now() + 5s;
      while (!release && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(1ms);
    }
    return BodyResponse(http::status::ok, "text/plain",
                        std::string(ToStd(request.method_string())) + " " +
                            std::string(ToStd(request.target())) + " " +
                            std::to_string(request.body().size()));
  }
  HttpResponse RefuseRequest(http::status status, std::string_view reason) override {
    return ErrorResponse(status, "SerializationException", reason);
  }
  bool MayBlock(const HttpRequest& request) const override {
    return ToStd(request.target()).starts_with("/block/");
  }
};

// A blocking-free client: every read has a deadline, so a server bug fails
// the test instead of hanging it.
class RawClient {
 public:
  explicit RawClient(std::uint16_t port) {
    socket_.connect({net::ip::make_address("127.0.0.1"), port});
  }

  void Send(std::string_view bytes) {
    net::write(socket_, net::buffer(bytes.data(), bytes.size()));
  }

  struct Reply {
    beast::error_code error;
    bool timed_out = false;
    http::response<http::string_body> response;
  };
  Reply Read(std::chrono::milliseconds deadline = 3s) {
    Reply reply;
    bool done = false;
    http::async_read(socket_, buffer_, reply.response, [&](beast::error_code ec, std::size_t) {
      done = true;
      reply.error = ec;
    });
    RunFor(deadline, done);
    reply.timed_out = !done;
    return reply;
  }

  // True when the server closes (EOF or reset) within `deadline`; bytes
  // that arrive first are skipped.
  bool ClosedWithin(std::chrono::milliseconds deadline) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    for (;;) {
      bool done = false;
      beast::error_code error;
      char scratch[4096];
      socket_.async_read_some(net::buffer(scratch), [&](beast::error_code ec, std::size_t) {
        done = true;
        error = ec;
      });
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          until - std::chrono::steady_clock::now());
      RunFor(std::max(left, 1ms), done);
      if (!done) return false;
      if (error) return true;
    }
  }

 private:
  void RunFor(std::chrono::milliseconds deadline, bool& done) {
    io_.restart();
    io_.run_for(deadline);
    if (!done) {
      socket_.cancel();
      io_.restart();
      io_.run();
    }
  }

  net::io_context io_;
  tcp::socket socket_{io_};
  beast::flat_buffer buffer_;
};

std::string Post(std::string_view target, std::string_view body = "{}",
                 std::string_view extra_headers = "") {
  return "POST " + std::string(target) +
         " HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
         std::string(extra_headers) + "\r\n" + std::string(body);
}

class HttpServerTest : public ::testing::Test {
 protected:
  void Start(HttpServerOptions options = {}, int threads = 2) {
    options.host = "127.0.0.1";
    options.port = 0;
    options.threads = threads;
    server_ = std::make_unique<HttpServer>(options, handler_);
    port_ = server_->local_endpoint().port();
    thread_ = std::thread([this] { server_->Run(); });
  }
  void TearDown() override {
    if (server_) {
      server_->Shutdown();
      thread_.join();
    }
  }

  // Sends a request cut short: the connection must close at the timeout
  // (200 ms in these tests), the handler never called.
  void ExpectClosedUnanswered(std::string_view bytes) {
    RawClient client(port_);
    client.Send(bytes);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_TRUE(client.ClosedWithin(3s));
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
    EXPECT_EQ(handler_.calls, 0);
  }

  EchoHandler handler_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  std::uint16_t port_ = 0;
};

TEST_F(HttpServerTest, KeepAlive_TwoRequestsOnOneConnection) {
  Start();
  RawClient client(port_);
  client.Send(Post("/first"));
  auto first = client.Read();
  ASSERT_FALSE(first.error) << first.error.message();
  EXPECT_EQ(first.response.body(), "POST /first 2");
  EXPECT_TRUE(first.response.keep_alive());
  EXPECT_EQ(first.response[http::field::content_length], "13");
  client.Send(Post("/second", "{\"a\":1}"));
  auto second = client.Read();
  ASSERT_FALSE(second.error) << second.error.message();
  EXPECT_EQ(second.response.body(), "POST /second 7");
  EXPECT_EQ(handler_.calls, 2);
}

TEST_F(HttpServerTest, EveryResponse_CarriesTheDateInImfFixdate) {
  Start();
  RawClient client(port_);
  client.Send(Post("/dated"));
  auto reply = client.Read();
  ASSERT_FALSE(reply.error) << reply.error.message();
  const std::string date(reply.response[http::field::date]);
  std::tm parsed{};
  const char* end = strptime(date.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &parsed);
  ASSERT_TRUE(end != nullptr && *end == '\0') << "Date: " << date;
  EXPECT_LE(std::abs(timegm(&parsed) - std::time(nullptr)), 5) << date;
  client.Send("NOT HTTP\r\n\r\n");  // a refusal too
  auto refused = client.Read();
  ASSERT_FALSE(refused.error) << refused.error.message();
  EXPECT_FALSE(refused.response[http::field::date].empty());
}

TEST_F(HttpServerTest, AbsoluteFormTarget_ReachesTheHandlerInOriginForm) {
  Start();
  RawClient client(port_);
  const std::pair<std::string, std::string> cases[] = {
      {"http://127.0.0.1:4566/", "/"},
      {"HTTP://localhost/_local/health?x=1", "/_local/health?x=1"},
      {"https://localhost:4566", "/"},
      {"http://localhost:4566?a=b", "/?a=b"},
      {"/plain", "/plain"},
  };
  for (const auto& [target, origin] : cases) {
    client.Send("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
    auto reply = client.Read();
    ASSERT_FALSE(reply.error) << target << ": " << reply.error.message();
    EXPECT_EQ(reply.response.body(), "GET " + origin + " 0") << target;
  }
}

TEST_F(HttpServerTest, PipelinedRequests_AreAnsweredInOrder) {
  Start();
  RawClient client(port_);
  std::string burst;
  burst += Post("/slow");
  for (int i = 0; i < 20; ++i) burst += Post("/r" + std::to_string(i));  // past the queue cap
  client.Send(burst);
  auto slow = client.Read();
  ASSERT_FALSE(slow.error) << slow.error.message();
  EXPECT_EQ(slow.response.body(), "POST /slow 2");
  for (int i = 0; i < 20; ++i) {
    auto reply = client.Read();
    ASSERT_FALSE(reply.error) << i << ": " << reply.error.message();
    EXPECT_EQ(reply.response.body(), "POST /r" + std::to_string(i) + " 2");
  }
}

// With one I/O thread: while a request that may block waits in its handler,
// another connection is still answered.
TEST_F(HttpServerTest, ABlockingRequest_LeavesTheIoThreadToOtherConnections) {
  Start({}, /*threads=*/1);
  RawClient blocked(port_);
  RawClient other(port_);
  blocked.Send(Post("/block/held"));
  while (!handler_.held) std::this_thread::sleep_for(1ms);
  other.Send(Post("/fast"));
  auto fast = other.Read();  // before the held request is released
  ASSERT_FALSE(fast.error) << fast.error.message();
  EXPECT_EQ(fast.response.body(), "POST /fast 2");
  handler_.release = true;
  auto held = blocked.Read();
  ASSERT_FALSE(held.error) << held.error.message();
  EXPECT_EQ(held.response.body(), "POST /block/held 2");
  EXPECT_TRUE(held.response.keep_alive());
}

TEST_F(HttpServerTest, PipelinedBlockingAndOtherRequests_AreAnsweredInOrder) {
  Start();
  RawClient client(port_);
  std::string burst;
  for (int i = 0; i < 6; ++i) {
    burst += Post((i % 2 == 0 ? "/block/" : "/r") + std::to_string(i));
  }
  client.Send(burst);
  for (int i = 0; i < 6; ++i) {
    auto reply = client.Read();
    ASSERT_FALSE(reply.error) << i << ": " << reply.error.message();
    EXPECT_EQ(reply.response.body(),
              "POST " + std::string(i % 2 == 0 ? "/block/" : "/r") + std::to_string(i) + " 2");
  }
}

TEST_F(HttpServerTest, ConnectionClose_IsHonoured) {
  Start();
  RawClient client(port_);
  client.Send(Post("/once", "{}", "Connection: close\r\n"));
  auto reply = client.Read();
  ASSERT_FALSE(reply.error);
  EXPECT_FALSE(reply.response.keep_alive());
  EXPECT_TRUE(client.ClosedWithin(2s));
}

TEST_F(HttpServerTest, BodyOverTheLimit_Is413AndClosed_WithoutReadingIt) {
  Start();
  RawClient client(port_);
  // Announce 2 MiB, send only a little of it: the answer must not wait for the rest.
  client.Send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2097152\r\n\r\n" +
              std::string(4096, 'x'));
  auto reply = client.Read();
  ASSERT_FALSE(reply.timed_out);
  ASSERT_FALSE(reply.error) << reply.error.message();
  EXPECT_EQ(reply.response.result(), http::status::payload_too_large);
  EXPECT_NE(reply.response.body().find("\"__type\":\"SerializationException\""), std::string::npos);
  EXPECT_FALSE(reply.response.keep_alive());
  EXPECT_TRUE(client.ClosedWithin(5s));
  EXPECT_EQ(handler_.calls, 0);
}

TEST_F(HttpServerTest, ChunkedBodyGrowingOverTheLimit_Is413) {
  Start();
  RawClient client(port_);
  std::string chunk(64 * 1024, 'y');
  char size_line[16];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk.size());
  client.Send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
  std::string body;
  for (int i = 0; i < 17; ++i) body += size_line + chunk + "\r\n";  // 1.06 MiB
  client.Send(body);
  auto reply = client.Read();
  ASSERT_FALSE(reply.error) << reply.error.message();
  EXPECT_EQ(reply.response.result(), http::status::payload_too_large);
  EXPECT_EQ(handler_.calls, 0);
}

TEST_F(HttpServerTest, BodyAtTheLimit_IsAccepted) {
  Start();
  RawClient client(port_);
  client.Send(Post("/big", std::string(1024 * 1024, 'z')));
  auto reply = client.Read();
  ASSERT_FALSE(reply.error) << reply.error.message();
  EXPECT_EQ(reply.response.body(), "POST /big 1048576");
}

TEST_F(HttpServerTest, HeadersOverTheLimit_Are431) {
  Start();
  RawClient client(port_);
  client.Send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20 * 1024, 'h') + "\r\n\r\n");
  auto reply = client.Read();
  ASSERT_FALSE(reply.error) << reply.error.message();
  EXPECT_EQ(reply.response.result(), http::status::request_header_fields_too_large);
  EXPECT_TRUE(client.ClosedWithin(5s));
}

TEST_F(HttpServerTest, HeaderBlockOfManySmallLines_OverTheLimit_Is431) {
  Start();
  std::string lines;
  for (int i = 0; lines.size() < 17 * 1024; ++i) lines += "X-H" + std::to_string(i) + ": small\r\n";
  RawClient client(port_);
  client.Send("GET / HTTP/1.1\r\nHost: x\r\n" + lines + "\r\n");
  auto reply = client.Read();
  ASSERT_FALSE(reply.error) << reply.error.message();
  EXPECT_EQ(reply.response.result(), http::status::request_header_fields_too_large);
  EXPECT_EQ(handler_.calls, 0);
}

TEST_F(HttpServerTest, HeaderBlockJustUnderTheLimit_IsAccepted) {
  Start();
  std::string lines;
  for (int i = 0; lines.size() < 15 * 1024; ++i) lines += "X-H" + std::to_string(i) + ": small\r\n";
  RawClient client(port_);
  client.Send("GET / HTTP/1.1\r\nHost: x\r\n" + lines + "\r\n");
  auto reply = client.Read();
  ASSERT_FALSE(reply.error) << reply.error.message();
  EXPECT_EQ(reply.response.result(), http::status::ok);
}

TEST_F(HttpServerTest, EightMiBBodySentInFullBeforeReading_Gets413) {
  Start();
  RawClient client(port_);
  const std::string body(8 * 1024 * 1024, 'b');
  // A blocking write of all of it: the server must keep reading (and
  // dropping) rather than reset the connection under the client.
  EXPECT_NO_THROW(client.Send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                              std::to_string(body.size()) + "\r\n\r\n" + body));
  auto reply = client.Read();
  ASSERT_FALSE(reply.error) << reply.error.message();
  EXPECT_EQ(reply.response.result(), http::status::payload_too_large);
  EXPECT_EQ(handler_.calls, 0);
}

TEST_F(HttpServerTest, TransferEncodingOtherThanAloneChunked_IsRefused) {
  Start();
  for (std::string_view codings : {"Transfer-Encoding: gzip, chunked\r\n",
                                   "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
                                   "Transfer-Encoding: gzip\r\n"}) {
    RawClient client(port_);
    client.Send("POST / HTTP/1.1\r\nHost: x\r\n" + std::string(codings) +
                "\r\n2\r\n{}\r\n0\r\n\r\n");
    auto reply = client.Read();
    ASSERT_FALSE(reply.error) << reply.error.message() << " for " << codings;
    EXPECT_TRUE(reply.response.result() == http::status::not_implemented ||
                reply.response.result() == http::status::bad_request)
        << reply.response.result_int() << " for " << codings;
    EXPECT_FALSE(reply.response.keep_alive());
  }
  EXPECT_EQ(handler_.calls, 0);
  RawClient client(port_);
  client.Send(
      "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
  auto reply = client.Read();
  ASSERT_FALSE(reply.error) << reply.error.message();
  EXPECT_EQ(reply.response.body(), "POST / 2");
}

TEST_F(HttpServerTest, MalformedRequest_Is400AndClosed) {
  Start();
  RawClient client(port_);
  client.Send("THIS IS NOT HTTP\r\n\r\n");
  auto reply = client.Read();
  ASSERT_FALSE(reply.error) << reply.error.message();
  EXPECT_EQ(reply.response.result(), http::status::bad_request);
  EXPECT_TRUE(client.ClosedWithin(5s));
}

TEST_F(HttpServerTest, HalfSentRequest_IsClosedAtTheHeaderTimeout) {
  HttpServerOptions options;
  options.header_timeout = 200ms;
  Start(options);
  ExpectClosedUnanswered("POST / HTTP/1.1\r\nHost: x\r\n");  // and then nothing
}

TEST_F(HttpServerTest, IdleConnection_IsClosedAtTheIdleTimeout) {
  HttpServerOptions options;
  options.idle_timeout = 200ms;
  Start(options);
  RawClient client(port_);
  client.Send(Post("/one"));
  ASSERT_FALSE(client.Read().error);
  EXPECT_TRUE(client.ClosedWithin(3s));
}

TEST_F(HttpServerTest, ExpectContinue_GetsA100BeforeTheBody) {
  Start();
  RawClient client(port_);
  client.Send("POST /c HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  auto interim = client.Read();
  ASSERT_FALSE(interim.error) << interim.error.message();
  EXPECT_EQ(interim.response.result(), http::status::continue_);
  client.Send("hello");
  auto reply = client.Read();
  ASSERT_FALSE(reply.error) << reply.error.message();
  EXPECT_EQ(reply.response.body(), "POST /c 5");
}

// boto3 and the AWS CLI write the body apart from the header.
TEST_F(HttpServerTest, BodyArrivingAfterTheHeader_InPieces_IsRead) {
  Start();
  RawClient client(port_);
  const std::string request = Post("/split", "{\"SecretId\":\"x\"}");
  const std::size_t header_end = request.find("\r\n\r\n") + 4;
  client.Send(request.substr(0, header_end));
  std::this_thread::sleep_for(50ms);
  client.Send(request.substr(header_end, 5));
  std::this_thread::sleep_for(50ms);
  client.Send(request.substr(header_end + 5) + Post("/next"));
  auto reply = client.Read();
  ASSERT_FALSE(reply.error) << reply.error.message();
  EXPECT_EQ(reply.response.body(), "POST /split 16");
  auto next = client.Read();
  ASSERT_FALSE(next.error) << next.error.message();
  EXPECT_EQ(next.response.body(), "POST /next 2");
}

TEST_F(HttpServerTest, BodyCutShort_IsClosedAtTheBodyTimeout) {
  HttpServerOptions options;
  options.body_timeout = 200ms;
  Start(options);
  ExpectClosedUnanswered("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhel");
}

TEST_F(HttpServerTest, Shutdown_FinishesTheRequestInFlight_ThenStops) {
  Start();
  RawClient idle(port_);
  RawClient busy(port_);
  busy.Send(Post("/slow"));
  while (!handler_.slow_started) std::this_thread::sleep_for(1ms);
  server_->Shutdown();
  auto reply = busy.Read();
  ASSERT_FALSE(reply.error) << reply.error.message();
  EXPECT_EQ(reply.response.body(), "POST /slow 2");
  EXPECT_FALSE(reply.response.keep_alive());
  EXPECT_TRUE(idle.ClosedWithin(2s));
  const auto start = std::chrono::steady_clock::now();
  thread_.join();  // Run() returned
  server_.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST_F(HttpServerTest, Shutdown_FinishesABlockingRequestInFlight_ThenStops) {
  Start();
  RawClient busy(port_);
  busy.Send(Post("/block/slow"));
  while (!handler_.slow_started) std::this_thread::sleep_for(1ms);
  server_->Shutdown();
  auto reply = busy.Read();
  ASSERT_FALSE(reply.error) << reply.error.message();
  EXPECT_EQ(reply.response.body(), "POST /block/slow 2");
  EXPECT_FALSE(reply.response.keep_alive());
  thread_.join();  // Run() returned
  server_.reset();
}

TEST_F(HttpServerTest, Shutdown_RefusesNewConnections) {
  Start();
  const std::uint16_t port = port_;
  server_->Shutdown();
  thread_.join();
  server_.reset();
  net::io_context io;
  tcp::socket socket(io);
  beast::error_code ec;
  socket.connect({net::ip::make_address("127.0.0.1"), port}, ec);
  EXPECT_TRUE(ec);
}

}  // namespace
}  // namespace sml::server
