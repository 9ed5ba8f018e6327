#include "server/browser_guard.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace sml::server {
namespace {

namespace http = boost::beast::http;

HttpRequest Request(std::string_view host, std::string_view origin = "") {
  HttpRequest request{http::verb::post, "/_local/reset", 11};
  if (!host.empty()) request.set(http::field::host, ToBeast(host));
  if (!origin.empty()) request.set(http::field::origin, ToBeast(origin));
  return request;
}

std::string RefusalMessage(const BrowserGuard& guard, const HttpRequest& request) {
  auto refusal = guard.Refusal(request);
  if (!refusal) return "";
  EXPECT_EQ(refusal->result(), http::status::forbidden);
  const auto body = nlohmann::json::parse(refusal->body());
  EXPECT_EQ(body["__type"], "AccessDeniedException");
  return body["Message"];
}

TEST(BrowserGuard, LocalNamesAndAddresses_AreAllowedWithOrWithoutAPort) {
  const BrowserGuard guard;
  for (std::string_view host :
       {"localhost", "localhost:4566", "LOCALHOST.", "127.0.0.1:4566", "10.1.2.3", "[::1]:4566",
        "[fe80::1%eth0]", "::1", "app.localhost:4566", "secretsmanager:4566", "sml",
        "sml.default.svc.cluster.local", "host.docker.internal:4566",
        "localhost.localstack.cloud:4566", "s3.localhost.localstack.cloud", ""}) {
    EXPECT_TRUE(guard.AllowsHost(host)) << host;
  }
}

TEST(BrowserGuard, PublicNames_AreRefusedUnlessListed) {
  const BrowserGuard guard;
  for (std::string_view host :
       {"evil.example.com", "evil.example.com:4566", "rebind.test.", "localhost.evil.com",
        "127.0.0.1.nip.io", "internal.evil.com", "evil-localhost.localstack.cloud"}) {
    EXPECT_FALSE(guard.AllowsHost(host)) << host;
  }
  const BrowserGuard listed({"Dev.Example.Com", "other.test:8080"});
  EXPECT_TRUE(listed.AllowsHost("dev.example.com:4566"));
  EXPECT_TRUE(listed.AllowsHost("other.test"));
  EXPECT_FALSE(listed.AllowsHost("evil.example.com"));
  EXPECT_TRUE(BrowserGuard({"*"}).AllowsHost("evil.example.com"));
}

TEST(BrowserGuard, AForeignHost_IsRefusedNamingTheFlag_NoHostIsAllowed) {
  const BrowserGuard guard;
  EXPECT_FALSE(guard.Refusal(Request("")));
  EXPECT_FALSE(guard.Refusal(Request("localhost:4566")));
  EXPECT_NE(RefusalMessage(guard, Request("evil.example.com:4566"))
                .find("--allowed-hosts evil.example.com."),
            std::string::npos);
}

TEST(BrowserGuard, AnOriginOtherThanTheServersOwn_IsRefused) {
  const BrowserGuard guard;
  // The dashboard's own requests, by whichever name it was opened.
  EXPECT_FALSE(guard.Refusal(Request("localhost:4566", "http://localhost:4566")));
  EXPECT_FALSE(guard.Refusal(Request("127.0.0.1:4566", "http://127.0.0.1:4566")));
  EXPECT_FALSE(guard.Refusal(Request("LocalHost", "http://localhost:80")));
  for (std::string_view origin : {"https://evil.example.com", "http://localhost:3000",
                                  "http://127.0.0.1:4566", "null", "localhost:4566"}) {
    EXPECT_NE(RefusalMessage(guard, Request("localhost:4566", origin)).find(origin),
              std::string::npos)
        << origin;
  }
  EXPECT_FALSE(BrowserGuard({"*"}).Refusal(Request("localhost:4566", "https://evil.example.com")));
}

}  // namespace
}  // namespace sml::server
