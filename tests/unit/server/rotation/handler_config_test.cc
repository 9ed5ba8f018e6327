#include "server/rotation/handler_config.h"

#include <gtest/gtest.h>

namespace sml::server::rotation {
namespace {

TEST(HandlerConfig, ExecWithTimeout_RoundTrips) {
  auto config = ParseHandlerConfig(
      {{"type", "exec"}, {"command", {"python3", "rotate.py"}}, {"timeoutSeconds", 5}});
  EXPECT_EQ(config.type, HandlerType::kExec);
  EXPECT_EQ(config.command, (std::vector<std::string>{"python3", "rotate.py"}));
  EXPECT_EQ(config.timeout_seconds, 5);
  EXPECT_EQ(ParseHandlerConfig(HandlerConfigToJson(config)).command, config.command);
}

TEST(HandlerConfig, DefaultTimeoutIsSixtySeconds) {
  EXPECT_EQ(ParseHandlerConfig({{"type", "builtin"}, {"name", "password"}}).timeout_seconds, 60);
}

TEST(HandlerConfig, LambdaUrlLosesTrailingSlash) {
  auto config = ParseHandlerConfig({{"type", "lambda"}, {"url", "http://127.0.0.1:3001/"}});
  EXPECT_EQ(config.url, "http://127.0.0.1:3001");
}

TEST(HandlerConfig, RejectsWhatCannotRun) {
  for (const auto& bad : std::vector<nlohmann::json>{
           nlohmann::json::array(),
           {{"type", "exec"}},
           {{"type", "exec"}, {"command", nlohmann::json::array()}},
           {{"type", "exec"}, {"command", {1}}},
           {{"type", "lambda"}, {"url", "ftp://x"}},
           {{"type", "builtin"}, {"name", "other"}},
           {{"type", "shell"}},
           {{"type", "exec"}, {"command", {"true"}}, {"timeoutSeconds", 0}},
           {{"type", "exec"}, {"command", {"true"}}, {"extra", 1}},
       }) {
    EXPECT_THROW(ParseHandlerConfig(bad), std::invalid_argument) << bad.dump();
  }
}

TEST(LambdaFunctionName, TakesTheNameOutOfAnArn) {
  EXPECT_EQ(LambdaFunctionName("arn:aws:lambda:us-east-1:123456789012:function:rotate"), "rotate");
  EXPECT_EQ(LambdaFunctionName("arn:aws:lambda:us-east-1:123456789012:function:rotate:live"),
            "rotate");
  EXPECT_EQ(LambdaFunctionName("rotate"), "rotate");
}

}  // namespace
}  // namespace sml::server::rotation
