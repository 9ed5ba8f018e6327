// The protocol, admin and routing layers through Router::HandleRequest, with
// a small operation table and a fake store below them.
#include "server/router.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "api/error.h"
#include "server/protocol.h"
#include "tests/unit/server/fake_store.h"

namespace sml::server {
namespace {

namespace http = boost::beast::http;

api::Output Echo(const api::RequestContext& context, const nlohmann::json& input, api::Services&) {
  return nlohmann::json{{"input", input},
                        {"account", context.account_id},
                        {"region", context.region},
                        {"requestId", context.request_id}};
}
api::Output Missing(const api::RequestContext&, const nlohmann::json&, api::Services&) {
  throw api::SecretNotFound();
}
api::Output Crash(const api::RequestContext&, const nlohmann::json&, api::Services&) {
  throw std::runtime_error("disk on fire");
}

api::OperationHandler FindTestOperation(std::string_view name) {
  if (name == "Echo" || name == "GetSecretValue") return &Echo;
  if (name == "Missing") return &Missing;
  if (name == "Crash") return &Crash;
  return nullptr;
}

class RouterTest : public ::testing::Test {
 protected:
  HttpResponse Call(std::string_view target, std::string body,
                    std::string_view authorization = "") {
    HttpRequest request{http::verb::post, "/", 11};
    if (!target.empty()) request.set("X-Amz-Target", ToBeast(target));
    request.set(http::field::content_type, "application/x-amz-json-1.1");
    if (!authorization.empty()) request.set(http::field::authorization, ToBeast(authorization));
    request.body() = std::move(body);
    request.prepare_payload();
    return router_.HandleRequest(request);
  }
  HttpResponse Send(http::verb method, std::string_view target, std::string_view admin_token = "") {
    HttpRequest request{method, ToBeast(target), 11};
    if (!admin_token.empty()) request.set("X-Sml-Admin-Token", ToBeast(admin_token));
    return router_.HandleRequest(request);
  }
  static nlohmann::json Body(const HttpResponse& response) {
    return nlohmann::json::parse(response.body());
  }
  static std::string Header(const HttpResponse& response, std::string_view name) {
    return std::string(ToStd(response[ToBeast(name)]));
  }
  void ExpectAwsError(const HttpResponse& response, int status, std::string_view type) {
    EXPECT_EQ(response.result_int(), static_cast<unsigned>(status));
    EXPECT_EQ(Header(response, "x-amzn-ErrorType"), type);
    nlohmann::json body = Body(response);
    EXPECT_EQ(body["__type"], type);
    EXPECT_TRUE(body["Message"].is_string());
    EXPECT_EQ(body.size(), 2u) << body.dump();
  }

  testing::FakeServices fake_;
  ApiProtocol api_{fake_.services, ApiDefaults{"000000000000", "us-east-1"}, nullptr,
                   &FindTestOperation};
  ServerInfo info_{.version = "9.9.9", .storage = ":memory:"};
  AdminServices admin_services_{fake_.services, nullptr, info_};
  AdminRouter admin_{admin_services_, ""};
  Router router_{api_, admin_, "9.9.9"};
};

TEST_F(RouterTest, Success_Is200WithAmzJsonAndTheOperationOutput) {
  HttpResponse response = Call("secretsmanager.Echo", R"({"SecretId":"a"})");
  EXPECT_EQ(response.result(), http::status::ok);
  EXPECT_EQ(Header(response, "Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(Body(response)["input"], nlohmann::json({{"SecretId", "a"}}));
  EXPECT_TRUE(Header(response, "x-amzn-ErrorType").empty());
}

TEST_F(RouterTest, EveryResponse_HasAUuidRequestId_PassedToTheOperation) {
  const std::regex kUuid("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  HttpResponse ok = Call("secretsmanager.Echo", "{}");
  std::string id = Header(ok, "x-amzn-RequestId");
  EXPECT_TRUE(std::regex_match(id, kUuid)) << id;
  EXPECT_EQ(Body(ok)["requestId"], id);
  EXPECT_NE(Header(Call("secretsmanager.Echo", "{}"), "x-amzn-RequestId"), id);
  for (const HttpResponse& response :
       {Call("secretsmanager.Nope", "{}"), Call("secretsmanager.Echo", "{"),
        Send(http::verb::get, "/_local/health"), Send(http::verb::get, "/_local/nope"),
        Send(http::verb::get, "/elsewhere"), Send(http::verb::get, "/"),
        router_.RefuseRequest(http::status::payload_too_large, "too big")}) {
    EXPECT_TRUE(std::regex_match(Header(response, "x-amzn-RequestId"), kUuid));
  }
}

TEST_F(RouterTest, AForeignHostOrOrigin_IsRefusedOnEveryPath_ALocalOneIsServed) {
  for (http::verb method : {http::verb::post, http::verb::get}) {
    for (std::string_view target : {"/", "/_local/health", "/_local/reset", "/elsewhere"}) {
      HttpRequest request{method, ToBeast(target), 11};
      request.set("X-Amz-Target", "secretsmanager.Echo");
      request.set(http::field::host, "rebound.example.com:4566");
      HttpResponse response = router_.HandleRequest(request);
      ExpectAwsError(response, 403, "AccessDeniedException");
      EXPECT_FALSE(Header(response, "x-amzn-RequestId").empty());
    }
  }
  HttpRequest cross_site{http::verb::post, "/_local/reset", 11};
  cross_site.set(http::field::host, "localhost:4566");
  cross_site.set(http::field::origin, "https://evil.example.com");
  ExpectAwsError(router_.HandleRequest(cross_site), 403, "AccessDeniedException");
  HttpRequest local{http::verb::post, "/", 11};
  local.set("X-Amz-Target", "secretsmanager.Echo");
  local.set(http::field::host, "localhost:4566");
  EXPECT_EQ(router_.HandleRequest(local).result(), http::status::ok);
  Router listed{api_, admin_, "9.9.9", BrowserGuard({"rebound.example.com"})};
  local.set(http::field::host, "rebound.example.com:4566");
  EXPECT_EQ(listed.HandleRequest(local).result(), http::status::ok);
}

TEST_F(RouterTest, EmptyBody_IsAnEmptyObject) {
  EXPECT_EQ(Body(Call("secretsmanager.Echo", ""))["input"], nlohmann::json::object());
}

TEST_F(RouterTest, UnknownOrMissingOrForeignTarget_IsUnknownOperation400) {
  ExpectAwsError(Call("secretsmanager.DoMagic", "{}"), 400, "UnknownOperationException");
  ExpectAwsError(Call("", "{}"), 400, "UnknownOperationException");
  ExpectAwsError(Call("kms.Echo", "{}"), 400, "UnknownOperationException");
  ExpectAwsError(Call("Echo", "{}"), 400, "UnknownOperationException");
  ExpectAwsError(Call("secretsmanager.", "{}"), 400, "UnknownOperationException");
}

TEST_F(RouterTest, MalformedJson_IsSerializationException_WithoutEchoingTheBody) {
  HttpResponse response = Call("secretsmanager.Echo", R"({"SecretString": "hunter2)");
  ExpectAwsError(response, 400, "SerializationException");
  EXPECT_EQ(response.body().find("hunter2"), std::string::npos);
}

TEST_F(RouterTest, BodyThatIsNotAnObject_IsSerializationException) {
  ExpectAwsError(Call("secretsmanager.Echo", "[1,2]"), 400, "SerializationException");
  ExpectAwsError(Call("secretsmanager.Echo", "\"text\""), 400, "SerializationException");
  ExpectAwsError(Call("secretsmanager.Echo", "null"), 400, "SerializationException");
}

TEST_F(RouterTest, ApiError_HasItsTypeStatusAndAwsMessage) {
  HttpResponse response = Call("secretsmanager.Missing", "{}");
  ExpectAwsError(response, 400, "ResourceNotFoundException");
  EXPECT_EQ(Body(response)["Message"], "Secrets Manager can't find the specified secret.");
  EXPECT_EQ(Header(response, "Content-Type"), "application/x-amz-json-1.1");
}

TEST_F(RouterTest, OtherException_IsInternalServiceError500_WithoutItsText) {
  HttpResponse response = Call("secretsmanager.Crash", "{}");
  ExpectAwsError(response, 500, "InternalServiceError");
  EXPECT_EQ(response.body().find("disk on fire"), std::string::npos);
}

TEST_F(RouterTest, Identity_ComesFromTheAuthorizationHeader) {
  nlohmann::json signed_body = Body(Call(
      "secretsmanager.Echo", "{}",
      "AWS4-HMAC-SHA256 Credential=210987654321/20240101/eu-west-1/secretsmanager/aws4_request, "
      "SignedHeaders=host, Signature=00"));
  EXPECT_EQ(signed_body["account"], "210987654321");
  EXPECT_EQ(signed_body["region"], "eu-west-1");
  nlohmann::json test_key =
      Body(Call("secretsmanager.Echo", "{}",
                "AWS4-HMAC-SHA256 Credential=test/20240101/us-west-2/secretsmanager/aws4_request, "
                "SignedHeaders=host, Signature=00"));
  EXPECT_EQ(test_key["account"], "000000000000");
  EXPECT_EQ(test_key["region"], "us-west-2");
  nlohmann::json unsigned_body = Body(Call("secretsmanager.Echo", "{}"));
  EXPECT_EQ(unsigned_body["account"], "000000000000");
  EXPECT_EQ(unsigned_body["region"], "us-east-1");
}

TEST_F(RouterTest, QueryStringOnRoot_StillReachesTheApi) {
  HttpRequest request{http::verb::post, "/?x=1", 11};
  request.set("X-Amz-Target", "secretsmanager.Echo");
  EXPECT_EQ(router_.HandleRequest(request).result(), http::status::ok);
}

TEST_F(RouterTest, GetRoot_ListsTheAdminEndpoints) {
  HttpResponse response = Send(http::verb::get, "/");
  EXPECT_EQ(response.result(), http::status::ok);
  nlohmann::json body = Body(response);
  EXPECT_EQ(body["version"], "9.9.9");
  std::vector<std::string> paths;
  for (const auto& endpoint : body["endpoints"]) paths.push_back(endpoint["path"]);
  EXPECT_NE(std::find(paths.begin(), paths.end(), "/_local/health"), paths.end());
  EXPECT_NE(std::find(paths.begin(), paths.end(), "/moto-api/reset"), paths.end());
}

TEST_F(RouterTest, GetRootFromABrowser_IsTheDashboardPage_OthersStillGetJson) {
  HttpRequest browser{http::verb::get, "/", 11};
  browser.set(http::field::accept, "text/html,application/xhtml+xml,*/*;q=0.8");
  HttpResponse page = router_.HandleRequest(browser);
  ASSERT_EQ(page.result(), http::status::ok);
  EXPECT_EQ(Header(page, "Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(Header(page, "Content-Security-Policy").find("script-src 'self'"), std::string::npos);
  EXPECT_NE(page.body().find("/_local/dashboard/dashboard.js"), std::string::npos);

  HttpRequest client{http::verb::get, "/", 11};
  client.set(http::field::accept, "*/*");
  EXPECT_EQ(Header(router_.HandleRequest(client), "Content-Type"), "application/json");
}

TEST_F(RouterTest, DashboardFiles_HaveTheirContentTypes_UnknownIs404) {
  HttpResponse script = Send(http::verb::get, "/_local/dashboard/dashboard.js");
  ASSERT_EQ(script.result(), http::status::ok);
  EXPECT_EQ(Header(script, "Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(Header(script, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(Header(Send(http::verb::get, "/_local/dashboard/dashboard.css"), "Content-Type"),
            "text/css; charset=utf-8");
  ExpectAwsError(Send(http::verb::get, "/_local/dashboard/nothing.js"), 404,
                 "ResourceNotFoundException");
}

TEST_F(RouterTest, Regions_ListsTheAccountRegionPairsOfTheRepository) {
  fake_.store.fake.secrets = 2;
  HttpResponse response = Send(http::verb::get, "/_local/regions");
  ASSERT_EQ(response.result(), http::status::ok);
  EXPECT_EQ(Body(response)["regions"],
            nlohmann::json::parse(
                R"([{"accountId":"000000000000","region":"us-east-1","secrets":2}])"));
}

TEST_F(RouterTest, OtherMethodOnRoot_Is405_OtherPaths404) {
  HttpResponse put = Send(http::verb::put, "/");
  ExpectAwsError(put, 405, "UnknownOperationException");
  EXPECT_EQ(Header(put, "Allow"), "GET, POST");
  ExpectAwsError(Send(http::verb::post, "/other"), 404, "UnknownOperationException");
  ExpectAwsError(Send(http::verb::get, "/favicon.ico"), 404, "UnknownOperationException");
}

TEST_F(RouterTest, Health_ReportsStatusVersionAndSecretCount) {
  fake_.store.fake.secrets = 3;
  HttpResponse response = Send(http::verb::get, "/_local/health");
  EXPECT_EQ(response.result(), http::status::ok);
  EXPECT_EQ(Header(response, "Content-Type"), "application/json");
  nlohmann::json body = Body(response);
  EXPECT_EQ(body["status"], "ok");
  EXPECT_EQ(body["version"], "9.9.9");
  EXPECT_EQ(body["secrets"], 3);
  EXPECT_TRUE(body["uptimeSeconds"].is_number_integer());
}

TEST_F(RouterTest, LocalStackHealthPath_AnswersInLocalStacksShapeAndSpacing) {
  HttpResponse response = Send(http::verb::get, "/_localstack/health");
  EXPECT_EQ(response.result(), http::status::ok);
  // Wait scripts grep the text: '"secretsmanager": "running"', a space included.
  EXPECT_THAT(response.body(),
              ::testing::HasSubstr(R"({"services": {"secretsmanager": "running"})"));
  EXPECT_EQ(Body(response)["version"], "9.9.9");
}

TEST_F(RouterTest, AgentEndpoint_RunsGetSecretValueAsTheDefaultCaller) {
  HttpRequest request{http::verb::get,
                      "/secretsmanager/get?secretId=db%2Fpass&versionStage=AWSPREVIOUS"
                      "&refreshNow=TRUE",
                      11};
  request.set(ToBeast(AgentEndpoint::kTokenHeaders[0]), "anything");
  HttpResponse response = router_.HandleRequest(request);
  ASSERT_EQ(response.result(), http::status::ok) << response.body();
  EXPECT_EQ(Header(response, "Content-Type"), "application/x-amz-json-1.1");
  nlohmann::json body = Body(response);
  EXPECT_EQ(body["input"],
            nlohmann::json({{"SecretId", "db/pass"}, {"VersionStage", "AWSPREVIOUS"}}));
  EXPECT_EQ(body["account"], "000000000000");
  EXPECT_EQ(body["region"], "us-east-1");
}

TEST_F(RouterTest, AgentEndpoint_RefusesAsTheAgentDoes) {
  auto agent = [this](http::verb method, std::string_view target, bool token,
                      bool forwarded = false) {
    HttpRequest request{method, ToBeast(target), 11};
    if (token) request.set(ToBeast(AgentEndpoint::kTokenHeaders[0]), "t");
    if (forwarded) request.set("X-Forwarded-For", "10.0.0.1");
    return router_.HandleRequest(request);
  };
  auto expect = [](const HttpResponse& response, unsigned status, std::string_view body) {
    EXPECT_EQ(response.result_int(), status);
    EXPECT_EQ(response.body(), body);
  };
  expect(agent(http::verb::get, "/secretsmanager/get?secretId=a", false), 403, "Bad Token");
  expect(agent(http::verb::get, "/secretsmanager/get?secretId=a", true, true), 400, "Forwarded");
  expect(agent(http::verb::post, "/secretsmanager/get?secretId=a", true), 405, "Not allowed");
  expect(agent(http::verb::get, "/secretsmanager/get", true), 400, "missing parameter secretId");
  expect(agent(http::verb::get, "/secretsmanager/get?secretId=a&x=1", true), 400,
         "unknown parameter: x");
  expect(agent(http::verb::get, "/secretsmanager/get?secretId=a&refreshNow=2", true), 400,
         "invalid refreshNow value");
}

// The agent's path style, /v1/<id>: the id as it stands in the path (not
// decoded, as the agent takes it), the other parameters from the query.
TEST_F(RouterTest, AgentEndpoint_PathStyle_TakesTheIdFromThePath) {
  HttpRequest request{http::verb::get, "/v1/db/pass?versionStage=AWSPREVIOUS&refreshNow=0", 11};
  request.set("X-Vault-Token", "anything");  // the agent's second default token header
  HttpResponse response = router_.HandleRequest(request);
  ASSERT_EQ(response.result(), http::status::ok) << response.body();
  EXPECT_EQ(Body(response)["input"],
            nlohmann::json({{"SecretId", "db/pass"}, {"VersionStage", "AWSPREVIOUS"}}));

  auto agent = [this](std::string_view target) {
    HttpRequest request{http::verb::get, ToBeast(target), 11};
    request.set(ToBeast(AgentEndpoint::kTokenHeaders[0]), "t");
    return router_.HandleRequest(request);
  };
  EXPECT_EQ(Body(agent("/v1/db%2Fpass"))["input"]["SecretId"], "db%2Fpass");
  HttpResponse missing = agent("/v1/?versionStage=AWSCURRENT");
  EXPECT_EQ(missing.result_int(), 400);
  EXPECT_EQ(missing.body(), "missing secret ID");
  HttpResponse by_query = agent("/v1/a?secretId=b");
  EXPECT_EQ(by_query.result_int(), 400);
  EXPECT_EQ(by_query.body(), "unknown parameter: secretId");
}

TEST_F(RouterTest, AgentEndpoint_UnderSigV4_AcceptsNoToken) {
  CredentialStore credentials = CredentialStore::Parse(
      "[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secret\n",
      "000000000000");
  ApiProtocol strict{fake_.services, ApiDefaults{}, &credentials, &FindTestOperation};
  Router router{strict, admin_, "9.9.9"};
  HttpRequest request{http::verb::get, "/secretsmanager/get?secretId=a", 11};
  request.set(ToBeast(AgentEndpoint::kTokenHeaders[0]), "t");
  HttpResponse response = router.HandleRequest(request);
  EXPECT_EQ(response.result(), http::status::forbidden);
  EXPECT_EQ(response.body(), "Bad Token");
}

TEST_F(RouterTest, Reset_AtBothPaths_ResetsTheRepositoryInATransaction) {
  fake_.store.fake.secrets = 5;
  EXPECT_EQ(Send(http::verb::post, "/_local/reset").result(), http::status::ok);
  EXPECT_EQ(fake_.store.fake.resets, 1);
  EXPECT_EQ(fake_.store.fake.secrets, 0);
  EXPECT_EQ(Send(http::verb::post, "/moto-api/reset").result(), http::status::ok);
  EXPECT_EQ(fake_.store.fake.resets, 2);
  EXPECT_EQ(fake_.store.commits, 2);
}

TEST_F(RouterTest, UnknownAdminPath_Is404Json_WrongMethod405WithAllow) {
  ExpectAwsError(Send(http::verb::get, "/_local/nothing"), 404, "UnknownOperationException");
  HttpResponse wrong = Send(http::verb::get, "/_local/reset");
  ExpectAwsError(wrong, 405, "UnknownOperationException");
  EXPECT_EQ(Header(wrong, "Allow"), "POST");
  EXPECT_EQ(fake_.store.fake.resets, 0);
}

TEST_F(RouterTest, RefuseRequest_IsAnAwsShapedError) {
  HttpResponse response = router_.RefuseRequest(http::status::payload_too_large, "too big");
  ExpectAwsError(response, 413, "SerializationException");
  EXPECT_EQ(Body(response)["Message"], "too big");
}

TEST_F(RouterTest, ScopeRegionOfInvalidUtf8_IsInvalidSignatureBeforeTheOperationRuns) {
  // Crash would answer 500; the identity is refused first, in valid JSON.
  HttpResponse response =
      Call("secretsmanager.Crash", "{}",
           "AWS4-HMAC-SHA256 Credential=test/20261129/\xff\xfe/secretsmanager/aws4_request, "
           "SignedHeaders=host, Signature=abc");
  ExpectAwsError(response, 400, "InvalidSignatureException");
  EXPECT_EQ(Body(response)["Message"],
            "Credential should be scoped to a valid region, not '\xef\xbf\xbd\xef\xbf\xbd'. ");
}

class AdminTokenTest : public RouterTest {
 protected:
  AdminRouter guarded_{admin_services_, "s3cret"};
  Router router_{api_, guarded_, "9.9.9"};
  HttpResponse Send(http::verb method, std::string_view target, std::string_view token = "",
                    std::string_view authorization = "") {
    HttpRequest request{method, ToBeast(target), 11};
    if (!token.empty()) request.set("X-Sml-Admin-Token", ToBeast(token));
    if (!authorization.empty()) request.set(http::field::authorization, ToBeast(authorization));
    return router_.HandleRequest(request);
  }
};

TEST_F(AdminTokenTest, GuardedEndpoints_NeedTheToken_HealthDoesNot) {
  ExpectAwsError(Send(http::verb::post, "/_local/reset"), 403, "AccessDeniedException");
  ExpectAwsError(Send(http::verb::post, "/_local/reset", "wrong"), 403, "AccessDeniedException");
  EXPECT_EQ(fake_.store.fake.resets, 0);
  EXPECT_EQ(Send(http::verb::post, "/_local/reset", "s3cret").result(), http::status::ok);
  EXPECT_EQ(Send(http::verb::post, "/moto-api/reset", "", "Bearer s3cret").result(),
            http::status::ok);
  EXPECT_EQ(fake_.store.fake.resets, 2);
  EXPECT_EQ(Send(http::verb::get, "/_local/health").result(), http::status::ok);
  // The dashboard's page and files are public; it asks for the token itself.
  EXPECT_EQ(Send(http::verb::get, "/_local/dashboard/dashboard.js").result(), http::status::ok);
  ExpectAwsError(Send(http::verb::get, "/_local/regions"), 403, "AccessDeniedException");
}

TEST_F(RouterTest, WithCredentials_AnUnsignedCallIsRefusedBeforeTheOperationRuns) {
  CredentialStore credentials = CredentialStore::Parse(
      "[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secret\n",
      "000000000000");
  ApiProtocol strict{fake_.services, ApiDefaults{}, &credentials, &FindTestOperation};
  Router router{strict, admin_, "9.9.9"};
  HttpRequest request{http::verb::post, "/", 11};
  request.set("X-Amz-Target", "secretsmanager.Crash");
  HttpResponse response = router.HandleRequest(request);
  const std::string_view type = api::ErrorTypeName(api::ErrorCode::kMissingAuthenticationToken);
  ExpectAwsError(response, api::ErrorHttpStatus(api::ErrorCode::kMissingAuthenticationToken), type);
}

// A table with a wildcard row, as later endpoints (/_local/rotation-handlers/<name>) use.
AdminReply EchoRest(const AdminRequest& request, AdminServices&) {
  return AdminReply::Json({{"rest", request.path_rest}, {"query", request.query}});
}
constexpr AdminRoute kWildcardRoutes[] = {
    {http::verb::delete_, "/_local/things/*", &EchoRest, true, "remove a thing"},
};

TEST_F(RouterTest, WildcardRoute_PassesTheRestOfThePathAndTheQuery) {
  AdminRouter admin{admin_services_, "", kWildcardRoutes};
  Router router{api_, admin, "9.9.9"};
  HttpRequest request{http::verb::delete_, "/_local/things/abc/def?force=1", 11};
  HttpResponse response = router.HandleRequest(request);
  ASSERT_EQ(response.result(), http::status::ok) << response.body();
  EXPECT_EQ(Body(response)["rest"], "abc/def");
  EXPECT_EQ(Body(response)["query"], "force=1");
  HttpRequest bare{http::verb::delete_, "/_local/things/", 11};
  EXPECT_EQ(router.HandleRequest(bare).result(), http::status::not_found);
}

}  // namespace
}  // namespace sml::server
