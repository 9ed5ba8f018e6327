#include "server/exposure.h"

#include <gtest/gtest.h>

namespace sml::server {
namespace {

boost::asio::ip::tcp::endpoint At(const char* address) {
  return {boost::asio::ip::make_address(address), 4566};
}

TEST(ExposureWarning, LoopbackOrSigV4_IsNotWarnedAbout) {
  Config config;
  EXPECT_FALSE(ExposureWarning(config, At("127.0.0.1")));
  EXPECT_FALSE(ExposureWarning(config, At("127.0.0.2")));
  EXPECT_FALSE(ExposureWarning(config, At("::1")));
  config.auth = AuthMode::kSigV4;
  EXPECT_FALSE(ExposureWarning(config, At("0.0.0.0")));
}

TEST(ExposureWarning, AnyOtherAddressWithAuthOff_SaysWhatIsOpenAndHowToCloseIt) {
  Config config;
  const std::pair<const char*, const char*> kBound[] = {
      {"0.0.0.0", "0.0.0.0:4566"}, {"::", "[::]:4566"}, {"192.168.1.10", "192.168.1.10:4566"}};
  for (auto [address, shown] : kBound) {
    auto warning = ExposureWarning(config, At(address));
    ASSERT_TRUE(warning) << address;
    EXPECT_NE(warning->find("listening on " + std::string(shown) + " "), std::string::npos)
        << *warning;
    EXPECT_NE(warning->find("read, change and delete every secret"), std::string::npos);
    EXPECT_NE(warning->find("/_local/reset"), std::string::npos);
    EXPECT_NE(warning->find("--auth sigv4"), std::string::npos);
    EXPECT_NE(warning->find("--admin-token"), std::string::npos);
    EXPECT_EQ(warning->find("run commands"), std::string::npos);
  }
}

TEST(ExposureWarning, NamesCommandExecution_OnlyWhenExecHandlersAreOpenToAnyone) {
  Config config;
  config.allow_exec_handlers = true;
  EXPECT_NE(ExposureWarning(config, At("0.0.0.0"))->find("run commands"), std::string::npos);
  config.admin_token = "t";  // then only token holders reach the admin endpoints
  auto warning = ExposureWarning(config, At("0.0.0.0"));
  EXPECT_EQ(warning->find("run commands"), std::string::npos);
  EXPECT_EQ(warning->find("/_local/reset"), std::string::npos);
}

TEST(ExecHandlersRegistrableOverHttp, NeedsTheAdminTokenOrTheOptIn) {
  Config config;
  EXPECT_FALSE(ExecHandlersRegistrableOverHttp(config));
  config.admin_token = "t";
  EXPECT_TRUE(ExecHandlersRegistrableOverHttp(config));
  config.admin_token.clear();
  config.allow_exec_handlers = true;
  EXPECT_TRUE(ExecHandlersRegistrableOverHttp(config));
}

}  // namespace
}  // namespace sml::server
