#include "server/allowed_hosts.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace sml::server {
namespace {

TEST(AllowedHosts, LocalNamesAndAddresses_AreAllowedWithOrWithoutAPort) {
  const AllowedHosts hosts;
  for (std::string_view host :
       {"localhost", "localhost:4566", "LOCALHOST.", "127.0.0.1:4566", "10.1.2.3", "[::1]:4566",
        "[fe80::1%eth0]", "::1", "app.localhost:4566", "secretsmanager:4566", "sml",
        "sml.default.svc.cluster.local", "host.docker.internal:4566",
        "localhost.localstack.cloud:4566", "s3.localhost.localstack.cloud", ""}) {
    EXPECT_TRUE(hosts.Allows(host)) << host;
  }
}

TEST(AllowedHosts, PublicNames_AreRefusedUnlessListed) {
  const AllowedHosts hosts;
  for (std::string_view host :
       {"evil.example.com", "evil.example.com:4566", "rebind.test.", "localhost.evil.com",
        "127.0.0.1.nip.io", "internal.evil.com", "evil-localhost.localstack.cloud"}) {
    EXPECT_FALSE(hosts.Allows(host)) << host;
  }
  const AllowedHosts listed({"Dev.Example.Com", "other.test:8080"});
  EXPECT_TRUE(listed.Allows("dev.example.com:4566"));
  EXPECT_TRUE(listed.Allows("other.test"));
  EXPECT_FALSE(listed.Allows("evil.example.com"));
  EXPECT_TRUE(AllowedHosts({"*"}).Allows("evil.example.com"));
}

TEST(AllowedHosts, ARequestWithoutHost_IsAllowed_TheRefusalNamesTheFlag) {
  const AllowedHosts hosts;
  HttpRequest request{boost::beast::http::verb::get, "/", 10};
  EXPECT_TRUE(hosts.Allows(request));
  request.set(boost::beast::http::field::host, "evil.example.com:4566");
  EXPECT_FALSE(hosts.Allows(request));
  const HttpResponse refusal = AllowedHosts::Refusal(request);
  EXPECT_EQ(refusal.result(), boost::beast::http::status::forbidden);
  const auto body = nlohmann::json::parse(refusal.body());
  EXPECT_EQ(body["__type"], "AccessDeniedException");
  EXPECT_NE(body["Message"].get<std::string>().find("--allowed-hosts evil.example.com."),
            std::string::npos);
}

}  // namespace
}  // namespace sml::server
