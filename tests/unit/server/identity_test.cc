#include "server/identity.h"

#include <gtest/gtest.h>

namespace sml::server {
namespace {

constexpr std::string_view kSigned =
    "AWS4-HMAC-SHA256 Credential=123456789012/20240101/eu-west-2/secretsmanager/aws4_request, "
    "SignedHeaders=host;x-amz-date;x-amz-target, Signature=abcdef";

TEST(Identity, ParseCredentialScope_ReadsEveryPart) {
  auto scope = ParseCredentialScope(kSigned);
  ASSERT_TRUE(scope);
  EXPECT_EQ(scope->access_key_id, "123456789012");
  EXPECT_EQ(scope->date, "20240101");
  EXPECT_EQ(scope->region, "eu-west-2");
  EXPECT_EQ(scope->service, "secretsmanager");
}

TEST(Identity, ParseCredentialScope_RejectsOtherSchemesAndBrokenScopes) {
  EXPECT_FALSE(ParseCredentialScope(""));
  EXPECT_FALSE(ParseCredentialScope("Bearer abc"));
  EXPECT_FALSE(ParseCredentialScope("AWS4-HMAC-SHA256 SignedHeaders=host"));
  EXPECT_FALSE(ParseCredentialScope("AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1"));
  EXPECT_FALSE(ParseCredentialScope(
      "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/secretsmanager/other"));
  EXPECT_FALSE(ParseCredentialScope(
      "AWS4-HMAC-SHA256 XCredential=AKID/20240101/us-east-1/secretsmanager/aws4_request"));
}

TEST(Identity, TwelveDigitAccessKey_IsTheAccount_AndScopeRegionIsTheRegion) {
  CallerIdentity identity = ResolveIdentity(kSigned, "000000000000", "us-east-1");
  EXPECT_EQ(identity.account_id, "123456789012");
  EXPECT_EQ(identity.region, "eu-west-2");
}

TEST(Identity, OtherAccessKey_UsesTheDefaultAccount) {
  CallerIdentity identity = ResolveIdentity(
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/ap-south-1/secretsmanager/"
      "aws4_request, SignedHeaders=host, Signature=00",
      "000000000000", "us-east-1");
  EXPECT_EQ(identity.account_id, "000000000000");
  EXPECT_EQ(identity.region, "ap-south-1");
}

TEST(Identity, NoAuthorization_UsesBothDefaults) {
  CallerIdentity identity = ResolveIdentity("", "111111111111", "eu-north-1");
  EXPECT_EQ(identity.account_id, "111111111111");
  EXPECT_EQ(identity.region, "eu-north-1");
}

TEST(Identity, GarbageRegionInScope_FallsBackToDefault) {
  CallerIdentity identity = ResolveIdentity(
      "AWS4-HMAC-SHA256 Credential=test/20240101/US:EAST/secretsmanager/aws4_request",
      "000000000000", "us-east-1");
  EXPECT_EQ(identity.region, "us-east-1");
}

}  // namespace
}  // namespace sml::server
