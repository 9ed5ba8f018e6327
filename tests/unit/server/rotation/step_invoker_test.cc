#include "server/rotation/step_invoker.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>

namespace sml::server::rotation {
namespace {

const CallbackEnvironment kCallback{"http://127.0.0.1:4566", "eu-west-1", "123456789012",
                                    "123456789012", "secret"};
const nlohmann::json kEvent{{"Step", "createSecret"},
                            {"SecretId", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:a-AbCdEf"},
                            {"ClientRequestToken", "token-1"},
                            {"RotationToken", "rt"}};

HandlerConfig Shell(const std::string& script, int timeout = 10) {
  return {.type = HandlerType::kExec, .command = {"sh", "-c", script}, .timeout_seconds = timeout};
}

TEST(ExecInvoker, PassesTheEventOnStdinAndTheEndpointInTheEnvironment) {
  auto outcome = ExecInvoker().Invoke(
      Shell("cat; echo; echo $AWS_ENDPOINT_URL $SECRETS_MANAGER_ENDPOINT $AWS_REGION "
            "$AWS_DEFAULT_REGION $AWS_ACCESS_KEY_ID $AWS_LAMBDA_FUNCTION_NAME"),
      "rotate", kEvent, kCallback);
  ASSERT_TRUE(outcome.succeeded) << outcome.error;
  auto newline = outcome.output.find('\n');
  EXPECT_EQ(nlohmann::json::parse(outcome.output.substr(0, newline)), kEvent);
  EXPECT_EQ(outcome.output.substr(newline + 1),
            "http://127.0.0.1:4566 http://127.0.0.1:4566 eu-west-1 eu-west-1 123456789012 rotate\n");
}

TEST(ExecInvoker, NonZeroExitIsAFailureWithItsOutput) {
  auto outcome = ExecInvoker().Invoke(Shell("echo boom >&2; exit 3"), "f", kEvent, kCallback);
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_EQ(outcome.error, "exited with status 3: boom");
  EXPECT_EQ(outcome.output, "boom\n");
}

TEST(ExecInvoker, FailureCarriesTheLastLineWrittenToStderr) {
  auto outcome =
      ExecInvoker().Invoke(Shell("echo progress; echo 'Traceback (most recent call last):' >&2; "
                                 "echo '  KeyError: password' >&2; echo done; echo >&2; exit 1"),
                           "f", kEvent, kCallback);
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_EQ(outcome.error, "exited with status 1: KeyError: password");
}

TEST(ExecInvoker, FailureWithoutStderrSaysOnlyTheStatus) {
  auto outcome = ExecInvoker().Invoke(Shell("echo only stdout; exit 2"), "f", kEvent, kCallback);
  EXPECT_EQ(outcome.error, "exited with status 2");
  EXPECT_EQ(outcome.output, "only stdout\n");
}

TEST(ExecInvoker, IsKilledAtTheTimeout) {
  auto started = std::chrono::steady_clock::now();
  auto outcome = ExecInvoker().Invoke(Shell("sleep 30", 1), "f", kEvent, kCallback);
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_EQ(outcome.error, "timed out after 1 s");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST(ExecInvoker, Stop_KillsARunningHandlerWithinAboutASecond) {
  ExecInvoker invoker;
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    invoker.Stop();
  });
  auto started = std::chrono::steady_clock::now();
  auto outcome = invoker.Invoke(Shell("sleep 30", 60), "f", kEvent, kCallback);
  stopper.join();
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_EQ(outcome.error, "stopped: the server is shutting down");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST(ExecInvoker, MissingProgramIsAFailureNotACrash) {
  HandlerConfig handler{.type = HandlerType::kExec, .command = {"/nonexistent/rotate"}};
  auto outcome = ExecInvoker().Invoke(handler, "f", kEvent, kCallback);
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_NE(outcome.error.find("/nonexistent/rotate"), std::string::npos) << outcome.error;
}

TEST(ExecInvoker, OutputIsTruncated) {
  auto outcome = ExecInvoker().Invoke(Shell("head -c 100000 /dev/zero | tr '\\0' x"), "f", kEvent,
                                      kCallback);
  EXPECT_TRUE(outcome.succeeded);
  EXPECT_EQ(outcome.output.size(), kMaxHandlerOutput);
}

// A one-shot Lambda Invoke API that answers with the given status and header.
class FakeLambda {
 public:
  FakeLambda(unsigned status, bool function_error) {
    using boost::asio::ip::tcp;
    acceptor_.open(tcp::v4());
    acceptor_.bind({boost::asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this, status, function_error] {
      namespace http = boost::beast::http;
      tcp::socket socket(io_);
      acceptor_.accept(socket);
      boost::beast::flat_buffer buffer;
      http::request<http::string_body> request;
      http::read(socket, buffer, request);
      target_ = std::string(request.target());
      body_ = request.body();
      http::response<http::string_body> response{static_cast<http::status>(status), 11};
      if (function_error) response.set("X-Amz-Function-Error", "Unhandled");
      response.body() = R"({"ok":true})";
      response.prepare_payload();
      http::write(socket, response);
    });
  }
  ~FakeLambda() { Join(); }
  void Join() {
    if (thread_.joinable()) thread_.join();
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string target_, body_;

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_{io_};
  unsigned short port_ = 0;
  std::thread thread_;
};

TEST(LambdaInvoker, PostsTheEventToTheInvokeApi) {
  FakeLambda lambda(200, false);
  auto outcome = LambdaInvoker().Invoke({.type = HandlerType::kLambda, .url = lambda.Url()},
                                        "rotate", kEvent, kCallback);
  lambda.Join();
  EXPECT_TRUE(outcome.succeeded) << outcome.error;
  EXPECT_EQ(outcome.output, R"({"ok":true})");
  EXPECT_EQ(lambda.target_, "/2015-03-31/functions/rotate/invocations");
  EXPECT_EQ(nlohmann::json::parse(lambda.body_), kEvent);
}

TEST(LambdaInvoker, EventWithInvalidUtf8_IsSentWithReplacementCharacters) {
  FakeLambda lambda(200, false);
  nlohmann::json event = kEvent;
  event["SecretId"] = "arn:aws:secretsmanager:\xff\xfe:123456789012:secret:x-AbCdEf";
  auto outcome = LambdaInvoker().Invoke({.type = HandlerType::kLambda, .url = lambda.Url()},
                                        "rotate", event, kCallback);
  lambda.Join();
  EXPECT_TRUE(outcome.succeeded) << outcome.error;
  EXPECT_EQ(nlohmann::json::parse(lambda.body_)["SecretId"],
            "arn:aws:secretsmanager:\xef\xbf\xbd\xef\xbf\xbd:123456789012:secret:x-AbCdEf");
}

TEST(LambdaInvoker, FunctionErrorHeaderIsAFailure) {
  FakeLambda lambda(200, true);
  auto outcome = LambdaInvoker().Invoke({.type = HandlerType::kLambda, .url = lambda.Url()}, "f",
                                        kEvent, kCallback);
  lambda.Join();
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_EQ(outcome.error, "function error: Unhandled");
}

TEST(LambdaInvoker, Non2xxIsAFailure) {
  FakeLambda lambda(404, false);
  auto outcome = LambdaInvoker().Invoke({.type = HandlerType::kLambda, .url = lambda.Url()}, "f",
                                        kEvent, kCallback);
  lambda.Join();
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_EQ(outcome.error, "Lambda Invoke API answered HTTP 404");
}

TEST(LambdaInvoker, UnreachableEndpointIsAFailureNotACrash) {
  auto outcome = LambdaInvoker().Invoke(
      {.type = HandlerType::kLambda, .url = "http://127.0.0.1:1", .timeout_seconds = 2}, "f",
      kEvent, kCallback);
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_NE(outcome.error.find("cannot invoke"), std::string::npos) << outcome.error;
}

// Accepts connections (the kernel does, into the backlog) and never answers.
class SilentLambda {
 public:
  SilentLambda() {
    using boost::asio::ip::tcp;
    acceptor_.open(tcp::v4());
    acceptor_.bind({boost::asio::ip::make_address("127.0.0.1"), 0});
    acceptor_.listen();
  }
  std::string Url() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
  }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_{io_};
};

TEST(LambdaInvoker, SilentFunctionIsCutAtTheTimeout) {
  SilentLambda lambda;
  auto started = std::chrono::steady_clock::now();
  auto outcome = LambdaInvoker().Invoke(
      {.type = HandlerType::kLambda, .url = lambda.Url(), .timeout_seconds = 1}, "f", kEvent,
      kCallback);
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_EQ(outcome.error, "timed out after 1 s");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST(LambdaInvoker, Stop_EndsACallInFlightWithinAboutASecond) {
  SilentLambda lambda;
  LambdaInvoker invoker;
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    invoker.Stop();
  });
  auto started = std::chrono::steady_clock::now();
  auto outcome =
      invoker.Invoke({.type = HandlerType::kLambda, .url = lambda.Url(), .timeout_seconds = 60},
                     "f", kEvent, kCallback);
  stopper.join();
  EXPECT_FALSE(outcome.succeeded);
  EXPECT_EQ(outcome.error, "stopped: the server is shutting down");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

}  // namespace
}  // namespace sml::server::rotation
