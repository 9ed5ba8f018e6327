#include "server/auth/sigv4.h"

#include <gtest/gtest.h>

#include <functional>

#include "api/error.h"

namespace sml::server {
namespace {

using api::ApiError;
using api::ErrorCode;

// --- AWS SigV4 test suite, "get-vanilla" ------------------------------------
// https://docs.aws.amazon.com/general/latest/gr/signature-v4-test-suite.html
constexpr const char* kVanillaSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr api::EpochMillis kVanillaNow = 1440938160000;  // 2015-08-30T12:36:00Z

HttpRequestView VanillaRequest() {
  return {"GET",
          "/",
          {{"Host", "example.amazonaws.com"},
           {"X-Amz-Date", "20150830T123600Z"},
           {"Authorization",
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
            "aws4_request, SignedHeaders=host;x-amz-date, "
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"}},
          ""};
}

CredentialStore Store(std::initializer_list<Credential> credentials) {
  CredentialStore store;
  for (const Credential& c : credentials) store.Add(c);
  return store;
}

CredentialStore VanillaStore() {
  return Store({{"default", "AKIDEXAMPLE", kVanillaSecret, "", "111122223333"}});
}

ApiError Caught(const std::function<void()>& f) {
  try {
    f();
  } catch (const ApiError& e) {
    return e;
  }
  ADD_FAILURE() << "no ApiError thrown";
  return ApiError(ErrorCode::kInternalServiceError, "");
}

TEST(SigV4, GetVanilla_CanonicalRequestMatchesTestSuite) {
  EXPECT_EQ(CanonicalRequest(VanillaRequest(), {"host", "x-amz-date"}),
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
            "host;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(SigV4, GetVanilla_StringToSignMatchesTestSuite) {
  auto parsed = ParseAuthorization(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
      "SignedHeaders=host;x-amz-date, Signature=x");
  ASSERT_EQ(parsed.status, AuthorizationStatus::kOk);
  EXPECT_EQ(StringToSign("20150830T123600Z", parsed.authorization,
                         CanonicalRequest(VanillaRequest(), {"host", "x-amz-date"})),
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
}

TEST(SigV4, GetVanilla_VerifiesWithPublishedSignature) {
  CallerIdentity identity = Verify(VanillaRequest(), VanillaStore(), kVanillaNow, "service");
  EXPECT_EQ(identity.access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(identity.account_id, "111122223333");
  EXPECT_EQ(identity.region, "us-east-1");
  EXPECT_EQ(identity.principal_arn, "arn:aws:iam::111122223333:root");
}

TEST(SigV4, GetVanilla_WrongServiceScope_IsRejected) {
  auto error = Caught([] { Verify(VanillaRequest(), VanillaStore(), kVanillaNow); });
  EXPECT_EQ(error.code(), ErrorCode::kInvalidSignature);
  EXPECT_STREQ(error.what(), "Credential should be scoped to correct service: 'secretsmanager'. ");
}

// --- POST fixtures signed by botocore 1.43 (botocore.auth.SigV4Auth) -------
// python3: req = AWSRequest('POST', 'http://localhost:4566/', data=body, headers=...)
//          SigV4Auth(Credentials(akid, secret), 'secretsmanager', region).add_auth(req)
// The headers below are what botocore produced.
constexpr const char* kBotoSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr api::EpochMillis kBotoNow = 1795627599000;  // 2026-11-25T17:26:39Z

HttpRequestView BotoPost() {
  return {"POST",
          "/",
          {{"Host", "localhost:4566"},
           {"Content-Type", "application/x-amz-json-1.1"},
           {"X-Amz-Target", "secretsmanager.GetSecretValue"},
           {"X-Amz-Date", "20261125T172639Z"},
           {"Authorization",
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261125/eu-west-1/secretsmanager/"
            "aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
            "Signature=212b7532e790631b371abdb0be5f7509706394d0f599009cdb0150a768c3d4f5"}},
          R"({"SecretId":"db/password","VersionStage":"AWSCURRENT"})"};
}

CredentialStore BotoStore() {
  return Store({{"default", "AKIAIOSFODNN7EXAMPLE", kBotoSecret, "", "000000000000"}});
}

TEST(SigV4, BotocorePost_Verifies) {
  CallerIdentity identity = Verify(BotoPost(), BotoStore(), kBotoNow);
  EXPECT_EQ(identity.region, "eu-west-1");
  EXPECT_EQ(identity.account_id, "000000000000");
}

TEST(SigV4, BotocorePost_HeaderNamesAreCaseInsensitive) {
  HttpRequestView request = BotoPost();
  for (auto& [name, value] : request.headers) {
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  EXPECT_NO_THROW(Verify(request, BotoStore(), kBotoNow));
}

// AWS's text goes on with what it signed (aws-sdk-net#3978, GetSecretValue).
TEST(SigV4, TamperedBody_IsSignatureMismatch_ShowingWhatTheServerSigned) {
  HttpRequestView request = BotoPost();
  request.body[2] = 'X';
  auto error = Caught([&] { Verify(request, BotoStore(), kBotoNow); });
  EXPECT_EQ(error.code(), ErrorCode::kInvalidSignature);
  const std::string canonical =
      "POST\n/\n\ncontent-type:application/x-amz-json-1.1\nhost:localhost:4566\n"
      "x-amz-date:20261125T172639Z\nx-amz-target:secretsmanager.GetSecretValue\n\n"
      "content-type;host;x-amz-date;x-amz-target\n" +
      HexSha256(request.body);
  const std::string string_to_sign =
      "AWS4-HMAC-SHA256\n20261125T172639Z\n20261125/eu-west-1/secretsmanager/aws4_request\n" +
      HexSha256(canonical);
  EXPECT_EQ(error.what(),
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. Consult the service "
            "documentation for details.\n\nThe Canonical String for this request should have "
            "been\n'" +
                canonical + "'\n\nThe String-to-Sign should have been\n'" + string_to_sign + "'\n");
}

TEST(SigV4, TamperedSignedHeader_IsSignatureMismatch) {
  HttpRequestView request = BotoPost();
  request.headers[2].second = "secretsmanager.DeleteSecret";
  EXPECT_EQ(Caught([&] { Verify(request, BotoStore(), kBotoNow); }).code(),
            ErrorCode::kInvalidSignature);
}

TEST(SigV4, WrongSecret_IsSignatureMismatch) {
  auto store = Store({{"default", "AKIAIOSFODNN7EXAMPLE", "not-the-secret", "", "000000000000"}});
  EXPECT_EQ(Caught([&] { Verify(BotoPost(), store, kBotoNow); }).code(),
            ErrorCode::kInvalidSignature);
}

TEST(SigV4, UnknownAccessKey_IsUnrecognizedClient) {
  auto store = Store({{"default", "AKIAOTHER", kBotoSecret, "", "000000000000"}});
  auto error = Caught([&] { Verify(BotoPost(), store, kBotoNow); });
  EXPECT_EQ(error.code(), ErrorCode::kUnrecognizedClient);
  EXPECT_STREQ(error.what(), "The security token included in the request is invalid.");
}

// Secrets Manager's window is five minutes each way (boto/botocore#3587).
TEST(SigV4, StaleDate_IsSignatureExpiredInAwsFormat) {
  auto error = Caught([] { Verify(BotoPost(), BotoStore(), kBotoNow + 6 * 60 * 1000); });
  EXPECT_EQ(error.code(), ErrorCode::kInvalidSignature);
  EXPECT_STREQ(error.what(),
               "Signature expired: 20261125T172639Z is now earlier than 20261125T172739Z "
               "(20261125T173239Z - 5 min.)");
}

TEST(SigV4, FutureDate_IsNotYetCurrent) {
  auto error = Caught([] { Verify(BotoPost(), BotoStore(), kBotoNow - 6 * 60 * 1000); });
  EXPECT_EQ(error.code(), ErrorCode::kInvalidSignature);
  EXPECT_STREQ(error.what(),
               "Signature not yet current: 20261125T172639Z is still later than 20261125T172539Z "
               "(20261125T172039Z + 5 min.)");
}

TEST(SigV4, SkewWithinFiveMinutes_IsAccepted) {
  EXPECT_NO_THROW(Verify(BotoPost(), BotoStore(), kBotoNow + 5 * 60 * 1000));
  EXPECT_NO_THROW(Verify(BotoPost(), BotoStore(), kBotoNow - 5 * 60 * 1000));
}

TEST(SigV4, MissingAuthorization_IsMissingAuthenticationToken) {
  HttpRequestView request = BotoPost();
  request.headers.pop_back();
  auto error = Caught([&] { Verify(request, BotoStore(), kBotoNow); });
  EXPECT_EQ(error.code(), ErrorCode::kMissingAuthenticationToken);
  EXPECT_STREQ(error.what(), "Missing Authentication Token");
}

TEST(SigV4, IncompleteHeader_ListsEveryMissingPartAndEchoesHeader) {
  HttpRequestView request = BotoPost();
  request.headers = {{"Host", "localhost:4566"},
                     {"Authorization", "AWS4-HMAC-SHA256 SignedHeaders=host"}};
  auto error = Caught([&] { Verify(request, BotoStore(), kBotoNow); });
  EXPECT_EQ(error.code(), ErrorCode::kIncompleteSignature);
  EXPECT_STREQ(error.what(),
               "Authorization header requires 'Credential' parameter. Authorization header "
               "requires 'Signature' parameter. Authorization header requires existence of either "
               "a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 "
               "SignedHeaders=host");
}

TEST(SigV4, ShortCredential_IsIncompleteSignature) {
  auto parsed = ParseAuthorization(
      "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1, SignedHeaders=host, Signature=ab");
  EXPECT_EQ(parsed.status, AuthorizationStatus::kIncomplete);
  EXPECT_EQ(parsed.message,
            "Credential must have exactly 5 slash-delimited elements, e.g. "
            "keyid/date/region/service/term, got 'AKID/20150830/us-east-1'");
}

TEST(SigV4, ScopeDateDifferentFromRequestDate_IsRejected) {
  HttpRequestView request = BotoPost();
  request.headers[3].second = "20261126T001000Z";
  auto error = Caught([&] { Verify(request, BotoStore(), kBotoNow); });
  EXPECT_EQ(error.code(), ErrorCode::kInvalidSignature);
  EXPECT_STREQ(error.what(),
               "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
               "from HTTP: '20261125' != '20261126', from 'X-Amz-Date'.");
}

TEST(SigV4, ContentSha256Header_MustBeTheBodysHash) {
  HttpRequestView request = BotoPost();
  std::string real_hash = HexSha256(request.body);
  request.headers.emplace_back("X-Amz-Content-Sha256", real_hash);
  EXPECT_NO_THROW(Verify(request, BotoStore(), kBotoNow));
  // A header carrying the original body's hash must not let another body
  // through, although the canonical request would be unchanged.
  request.body = "something else entirely";
  EXPECT_EQ(Caught([&] { Verify(request, BotoStore(), kBotoNow); }).code(),
            ErrorCode::kInvalidSignature);
  request.headers.back().second = "UNSIGNED-PAYLOAD";
  EXPECT_EQ(Caught([&] { Verify(request, BotoStore(), kBotoNow); }).code(),
            ErrorCode::kInvalidSignature);
  EXPECT_TRUE(CanonicalRequest(request, {"host"}).ends_with("\n" + HexSha256(request.body)));
}

// Signed by botocore as above, with a session token longer than
// std::string's small buffer (it must be compared intact).
TEST(SigV4, BotocorePostWithSessionToken_Verifies) {
  constexpr const char* kToken =
      "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDEXAMPLEsessiontoken";
  HttpRequestView request{
      "POST",
      "/",
      {{"Host", "localhost:4566"},
       {"Content-Type", "application/x-amz-json-1.1"},
       {"X-Amz-Target", "secretsmanager.GetSecretValue"},
       {"X-Amz-Date", "20261125T172639Z"},
       {"X-Amz-Security-Token", kToken},
       {"Authorization",
        "AWS4-HMAC-SHA256 Credential=ASIAIOSFODNN7EXAMPLE/20261125/eu-west-1/secretsmanager/"
        "aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;"
        "x-amz-target, Signature=2e924ea953ed32b6673ea325319923a9f7d8922b56591755deb861147f9d352d"}},
      R"({"SecretId":"db/password","VersionStage":"AWSCURRENT"})"};
  CredentialStore store =
      Store({{"temp", "ASIAIOSFODNN7EXAMPLE", kBotoSecret, kToken, "444455556666"}});
  EXPECT_EQ(Verify(request, store, kBotoNow).account_id, "444455556666");
  request.headers[4].second = std::string(kToken) + "x";
  EXPECT_EQ(Caught([&] { Verify(request, store, kBotoNow); }).code(),
            ErrorCode::kUnrecognizedClient);
}

// botocore signed a request with a repeated header whose second value has
// inner runs of whitespace; it canonicalised it as "x-custom:a,b c d".
TEST(SigV4, RepeatedHeadersAndWhitespace_FollowBotocore) {
  HttpRequestView request{
      "POST",
      "/",
      {{"Content-Type", "application/x-amz-json-1.1"},
       {"X-Amz-Target", "secretsmanager.CreateSecret"},
       {"X-Custom", "a"},
       {"X-Custom", "  b   c\t d  "},
       {"X-Amz-Date", "20261125T172639Z"},
       {"Host", "localhost:4566"},
       {"Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261125/us-west-2/secretsmanager/"
        "aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target;x-custom, "
        "Signature=97312db028820d5dc1b4d264a48d83578e4a496eb9accb9aab14db2b858985a3"}},
      R"({"Name":"x"})"};
  EXPECT_NE(CanonicalRequest(request, {"x-custom"}).find("\nx-custom:a,b c d\n"),
            std::string::npos);
  EXPECT_EQ(Verify(request, BotoStore(), kBotoNow).region, "us-west-2");
}

// botocore, session credentials, a path with an encoded space and a dot
// segment, and a query string with repeated and empty parameters.
HttpRequestView BotoSessionRequest() {
  return {"POST",
          "/a%20b/./c?b=2&a=x%2Fy&a=1&empty",
          {{"Host", "localhost:4566"},
           {"Content-Type", "application/x-amz-json-1.1"},
           {"X-Amz-Target", "secretsmanager.GetSecretValue"},
           {"X-Amz-Date", "20261125T172639Z"},
           {"X-Amz-Security-Token", "token/+=xyz"},
           {"Authorization",
            "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20261125/us-east-1/secretsmanager/"
            "aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;"
            "x-amz-target, "
            "Signature=77dda6ad467f7c0b4891596b5393c582d4e73daaf9dd2e7595f4870fc9bbd015"}},
          R"({"SecretId":"db/password","VersionStage":"AWSCURRENT"})"};
}

CredentialStore SessionStore(const std::string& token) {
  return Store({{"s", "ASIAEXAMPLE", "secret2", token, "222222222222"}});
}

TEST(SigV4, PathAndQuery_AreCanonicalisedLikeBotocore) {
  std::string canonical = CanonicalRequest(BotoSessionRequest(), {"host"});
  EXPECT_TRUE(canonical.starts_with("POST\n/a%2520b/c\na=1&a=x%2Fy&b=2&empty=\n")) << canonical;
  EXPECT_EQ(Verify(BotoSessionRequest(), SessionStore("token/+=xyz"), kBotoNow).account_id,
            "222222222222");
}

TEST(SigV4, WrongOrMissingSessionToken_IsUnrecognizedClient) {
  auto wrong = Caught([] { Verify(BotoSessionRequest(), SessionStore("other"), kBotoNow); });
  EXPECT_EQ(wrong.code(), ErrorCode::kUnrecognizedClient);
  EXPECT_STREQ(wrong.what(), "The security token included in the request is invalid.");
  // The credential has no token but the request carries one.
  EXPECT_EQ(Caught([] { Verify(BotoSessionRequest(), SessionStore(""), kBotoNow); }).code(),
            ErrorCode::kUnrecognizedClient);
  HttpRequestView without = BotoSessionRequest();
  std::erase_if(without.headers, [](const auto& h) { return h.first == "X-Amz-Security-Token"; });
  EXPECT_EQ(Caught([&] { Verify(without, SessionStore("token/+=xyz"), kBotoNow); }).code(),
            ErrorCode::kUnrecognizedClient);
}

TEST(SigV4, HostNotSigned_IsRejected) {
  HttpRequestView request = VanillaRequest();
  request.headers[2].second =
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
      "SignedHeaders=x-amz-date, Signature=00";
  EXPECT_STREQ(Caught([&] { Verify(request, VanillaStore(), kVanillaNow, "service"); }).what(),
               "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
}

TEST(SigV4, DateHeader_IsUsedWithoutXAmzDate) {
  HttpRequestView request = VanillaRequest();
  request.headers[1] = {"Date", "Sun, 30 Aug 2015 12:36:00 GMT"};
  auto parsed = ParseAuthorization(request.headers[2].second);
  parsed.authorization.signed_headers = {"date", "host"};
  std::string signature =
      ComputeSignature(request, parsed.authorization, "20150830T123600Z", kVanillaSecret);
  request.headers[2].second =
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
      "SignedHeaders=date;host, Signature=" +
      signature;
  EXPECT_NO_THROW(Verify(request, VanillaStore(), kVanillaNow, "service"));
}

// Presigned (query-string) form of get-vanilla: the signature is computed over
// the query without X-Amz-Signature.
TEST(SigV4, PresignedQuery_IsVerifiedAndExpires) {
  std::string query =
      "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2F"
      "service%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=60&"
      "X-Amz-SignedHeaders=host";
  HttpRequestView request{"GET", "/?" + query, {{"Host", "example.amazonaws.com"}}, ""};
  auto parsed = ParseAuthorization(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
      "SignedHeaders=host, Signature=x");
  std::string signature =
      ComputeSignature(request, parsed.authorization, "20150830T123600Z", kVanillaSecret);
  request.target += "&X-Amz-Signature=" + signature;
  EXPECT_EQ(Verify(request, VanillaStore(), kVanillaNow + 30000, "service").region, "us-east-1");
  EXPECT_EQ(Caught([&] { Verify(request, VanillaStore(), kVanillaNow + 61000, "service"); }).code(),
            ErrorCode::kInvalidSignature);
  request.target.back() = request.target.back() == '0' ? '1' : '0';
  EXPECT_EQ(Caught([&] { Verify(request, VanillaStore(), kVanillaNow, "service"); }).code(),
            ErrorCode::kInvalidSignature);
}

TEST(SigV4, PresignedQueryMissingParameters_IsIncomplete) {
  HttpRequestView request{"GET",
                          "/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20150830T123600Z",
                          {{"Host", "example.amazonaws.com"}},
                          ""};
  auto error = Caught([&] { Verify(request, VanillaStore(), kVanillaNow, "service"); });
  EXPECT_EQ(error.code(), ErrorCode::kIncompleteSignature);
  EXPECT_STREQ(error.what(),
               "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string "
               "parameters must include 'X-Amz-Signature'. AWS query-string parameters must "
               "include 'X-Amz-SignedHeaders'. AWS query-string parameters must include "
               "'X-Amz-Expires'. Re-examine the query-string parameters.");
}

// --- identity without verification -----------------------------------------

TEST(IdentityFromAuthorization, TwelveDigitKey_IsTheAccount) {
  auto identity = IdentityFromAuthorization(
      "AWS4-HMAC-SHA256 Credential=123456789012/20240101/ap-south-1/secretsmanager/aws4_request, "
      "SignedHeaders=host, Signature=abc",
      "000000000000", "us-east-1");
  EXPECT_EQ(identity.account_id, "123456789012");
  EXPECT_EQ(identity.region, "ap-south-1");
  EXPECT_EQ(identity.access_key_id, "123456789012");
}

TEST(IdentityFromAuthorization, OtherKey_UsesDefaultAccount) {
  auto identity = IdentityFromAuthorization(
      "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20240101/eu-central-1/secretsmanager/aws4_request, "
      "SignedHeaders=host, Signature=abc",
      "000000000000", "us-east-1");
  EXPECT_EQ(identity.account_id, "000000000000");
  EXPECT_EQ(identity.region, "eu-central-1");
}

TEST(IdentityFromAuthorization, MissingOrGarbageHeader_UsesDefaults) {
  for (const char* header : {"", "Bearer abc", "AWS4-HMAC-SHA256 Credential=x"}) {
    auto identity = IdentityFromAuthorization(header, "000000000000", "us-east-1");
    EXPECT_EQ(identity.account_id, "000000000000") << header;
    EXPECT_EQ(identity.region, "us-east-1") << header;
  }
}

TEST(IdentityFromAuthorization, ReadsTheScopeAsParseAuthorizationDoes) {
  for (const char* header :
       {"AWS4-HMAC-SHA256 Credential=AK/20240101/eu-west-2/secretsmanager/aws4_request",
        "  AWS4-HMAC-SHA256   Credential = AK/d/eu-west-2/s/t ,SignedHeaders=host",
        "AWS4-HMAC-SHA256 SignedHeaders=host, Credential=AK/d/eu-west-2/s/t, Signature=x",
        "AWS4-HMAC-SHA256 Credential=AK/d/eu-west-2/s, Signature=x",
        "AWS4-HMAC-SHA256 Credential=AK/d/eu-west-2/s/t/u",
        "AWS4-HMAC-SHA256 Credential=A1/d/eu-west-1/s/t, Credential=A2/d/eu-west-2/s/t",
        "AWS4-HMAC-SHA256 Credential=A1/d/eu-west-1/s/t, Credential=bad",
        "AWS4-HMAC-SHA256 Credential=//eu-west-1//", "AWS4-HMAC-SHA256 Credential=AK/d//s/t",
        "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256,Credential=AK/d/eu-west-1/s/t",
        "AWS4-HMAC-SHA1 Credential=AK/d/eu-west-1/s/t", "Credential=AK/d/eu-west-1/s/t"}) {
    const SigV4Authorization parsed = ParseAuthorization(header).authorization;
    auto identity = IdentityFromAuthorization(header, "000000000000", "us-east-1");
    EXPECT_EQ(identity.access_key_id, parsed.access_key_id) << header;
    EXPECT_EQ(identity.region, parsed.region.empty() ? "us-east-1" : parsed.region) << header;
  }
}

TEST(IdentityFromAuthorization, ScopeRegionNotARegionName_IsInvalidSignatureAndNeverUsed) {
  for (std::string region : {"\xff\xfe", "US-EAST-1", "us-east", "useast-1", "us-east-1 ",
                             "us--east-1", "a-b-1", "..", "us-east-123"}) {
    std::string header = "AWS4-HMAC-SHA256 Credential=test/20261129/" + region +
                         "/secretsmanager/aws4_request, SignedHeaders=host, Signature=abc";
    auto error = Caught([&] { IdentityFromAuthorization(header, "000000000000", "us-east-1"); });
    EXPECT_EQ(error.code(), ErrorCode::kInvalidSignature) << region;
    EXPECT_EQ(std::string(error.what()),
              "Credential should be scoped to a valid region, not '" + region + "'. ");
  }
  // Also when the header is otherwise incomplete: the scope was read.
  EXPECT_EQ(Caught([] {
              IdentityFromAuthorization(
                  "AWS4-HMAC-SHA256 Credential=test/20261129/\xff/secretsmanager/aws4_request",
                  "000000000000", "us-east-1");
            }).code(),
            ErrorCode::kInvalidSignature);
}

TEST(SigV4, ScopeRegionNotARegionName_IsRejectedBeforeTheSignature) {
  HttpRequestView request = BotoPost();
  std::string& authorization = request.headers[4].second;
  authorization.replace(authorization.find("eu-west-1"), 9, "eu_west_1");
  auto error = Caught([&] { Verify(request, BotoStore(), kBotoNow); });
  EXPECT_EQ(error.code(), ErrorCode::kInvalidSignature);
  EXPECT_STREQ(error.what(), "Credential should be scoped to a valid region, not 'eu_west_1'. ");
}

TEST(IdentityNames, RegionName_TakesEveryShapeOfRealRegions) {
  for (const char* region : {"us-east-1", "eu-central-2", "ap-southeast-5", "us-gov-west-1",
                             "cn-north-1", "cn-northwest-1", "eu-isoe-west-1", "us-iso-east-1",
                             "us-isob-east-1", "il-central-1", "mx-central-1"}) {
    EXPECT_TRUE(IsRegionName(region)) << region;
  }
  for (const char* region : {"", "us", "us-1", "usa-east-1", "us-east-", "us-East-1", "us-east-1a",
                             "-us-east-1", "us-east-1-", "us-east-100", "us east-1"}) {
    EXPECT_FALSE(IsRegionName(region)) << region;
  }
}

TEST(IdentityNames, AccountId_IsTwelveAsciiDigits) {
  EXPECT_TRUE(IsAccountId("123456789012"));
  EXPECT_FALSE(IsAccountId("12345678901"));
  EXPECT_FALSE(IsAccountId("1234567890123"));
  EXPECT_FALSE(IsAccountId("12345678901a"));
  EXPECT_FALSE(IsAccountId("\xd9\xa1\xd9\xa2\xd9\xa3\xd9\xa4\xd9\xa5\xd9\xa6"));  // Arabic-Indic digits
}

}  // namespace
}  // namespace sml::server
