#include <gtest/gtest.h>

#include "api/policy/condition_operator.h"
#include "api/policy/policy_document.h"

namespace sml::api {
namespace {

constexpr const char* kOwner = "111111111111";
constexpr const char* kOther = "222222222222";
constexpr const char* kSecret = "arn:aws:secretsmanager:us-east-1:111111111111:secret:db-AbCdEf";
constexpr const char* kGet = "secretsmanager:GetSecretValue";

PolicyDocument Doc(const std::string& statements) {
  return RequireValidPolicy(R"({"Version":"2012-10-17","Statement":[)" + statements + "]}");
}

std::string AllowOther(const std::string& extra = "") {
  return R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},)"
         R"("Action":"secretsmanager:GetSecretValue","Resource":"*")" +
         extra + "}";
}

TEST(Allows, AccountRootPrincipal_GrantsEveryPrincipalOfThatAccount) {
  auto doc = Doc(AllowOther());
  EXPECT_TRUE(Allows(doc, kOther, "arn:aws:iam::222222222222:user/alice", kGet, kSecret));
  EXPECT_TRUE(Allows(doc, kOther, "arn:aws:iam::222222222222:root", kGet, kSecret));
  EXPECT_FALSE(Allows(doc, "333333333333", "arn:aws:iam::333333333333:root", kGet, kSecret));
}

TEST(Allows, BareAccountIdPrincipal_GrantsThatAccount) {
  auto doc = Doc(R"({"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"*"})");
  EXPECT_TRUE(Allows(doc, kOther, "", "secretsmanager:DescribeSecret", kSecret));
  EXPECT_FALSE(Allows(doc, kOwner, "", "secretsmanager:DescribeSecret", kSecret));
}

TEST(Allows, SpecificArnPrincipal_GrantsOnlyThatCaller) {
  auto doc = Doc(R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:user/alice"},)"
                 R"("Action":"secretsmanager:*"})");
  EXPECT_TRUE(Allows(doc, kOther, "arn:aws:iam::222222222222:user/alice", kGet, kSecret));
  EXPECT_FALSE(Allows(doc, kOther, "arn:aws:iam::222222222222:user/bob", kGet, kSecret));
}

TEST(Allows, RolePrincipal_GrantsItsAssumedRoleSessions) {
  auto doc =
      Doc(R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:role/app/Reader"},)"
          R"("Action":"secretsmanager:*"})");
  EXPECT_TRUE(
      Allows(doc, kOther, "arn:aws:sts::222222222222:assumed-role/Reader/s1", kGet, kSecret));
  EXPECT_FALSE(
      Allows(doc, kOther, "arn:aws:sts::222222222222:assumed-role/Writer/s1", kGet, kSecret));
}

TEST(Allows, WildcardPrincipal_GrantsAnyone) {
  auto doc = Doc(R"({"Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue"})");
  EXPECT_TRUE(Allows(doc, "333333333333", "", kGet, kSecret));
}

TEST(Allows, ActionWildcards_AreCaseInsensitive) {
  auto doc = Doc(
      R"({"Effect":"Allow","Principal":"*","Action":["SecretsManager:get*","s:Describe?ecret"]})");
  EXPECT_TRUE(Allows(doc, kOther, "", "secretsmanager:GetSecretValue", kSecret));
  EXPECT_TRUE(Allows(doc, kOther, "", "s:DescribeSecret", kSecret));
  EXPECT_FALSE(Allows(doc, kOther, "", "secretsmanager:PutSecretValue", kSecret));
  EXPECT_FALSE(Allows(doc, kOther, "", "s:DescribeSSecret", kSecret));
}

TEST(Allows, Resource_IsMatchedWithWildcards) {
  auto doc = Doc(R"({"Effect":"Allow","Principal":{"AWS":"222222222222"},"Action":"*",)"
                 R"("Resource":"arn:aws:secretsmanager:*:111111111111:secret:db-*"})");
  EXPECT_TRUE(Allows(doc, kOther, "", kGet, kSecret));
  EXPECT_FALSE(Allows(doc, kOther, "", kGet,
                      "arn:aws:secretsmanager:us-east-1:111111111111:secret:api-AbCdEf"));
}

TEST(Allows, NotActionAndNotResource_Invert) {
  auto doc = Doc(R"({"Effect":"Allow","Principal":"*","NotAction":"secretsmanager:Delete*",)"
                 R"("NotResource":"arn:aws:secretsmanager:*:*:secret:private-*"})");
  EXPECT_TRUE(Allows(doc, kOther, "", kGet, kSecret));
  EXPECT_FALSE(Allows(doc, kOther, "", "secretsmanager:DeleteSecret", kSecret));
  EXPECT_FALSE(
      Allows(doc, kOther, "", kGet, "arn:aws:secretsmanager:us-east-1:1:secret:private-x"));
}

TEST(Allows, ExplicitDeny_Wins) {
  auto doc = Doc(AllowOther() +
                 R"(,{"Effect":"Deny","Principal":"*","Action":"secretsmanager:GetSecretValue"})");
  EXPECT_FALSE(Allows(doc, kOther, "", kGet, kSecret));
}

TEST(Allows, NotPrincipalDeny_SparesTheListedPrincipal) {
  auto doc = Doc(R"({"Effect":"Allow","Principal":"*","Action":"*"},)"
                 R"({"Effect":"Deny","NotPrincipal":{"AWS":"222222222222"},"Action":"*"})");
  EXPECT_TRUE(Allows(doc, kOther, "", kGet, kSecret));
  EXPECT_FALSE(Allows(doc, "333333333333", "", kGet, kSecret));
}

TEST(Allows, NoMatchingStatement_Denies) {
  auto doc = Doc(AllowOther());
  EXPECT_FALSE(Allows(doc, kOther, "", "secretsmanager:PutSecretValue", kSecret));
}

TEST(Allows, PrincipalAccountCondition_IsEvaluated) {
  auto doc = Doc(R"({"Effect":"Allow","Principal":"*","Action":"*",)"
                 R"("Condition":{"StringEquals":{"aws:principalaccount":["222222222222"]}}})");
  EXPECT_TRUE(Allows(doc, kOther, "", kGet, kSecret));
  EXPECT_FALSE(Allows(doc, "333333333333", "", kGet, kSecret));
}

TEST(Allows, PrincipalArnArnLike_IsEvaluated) {
  auto doc = Doc(R"({"Effect":"Allow","Principal":"*","Action":"*",)"
                 R"("Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/ci-*"}}})");
  EXPECT_TRUE(Allows(doc, kOther, "arn:aws:iam::222222222222:role/ci-deploy", kGet, kSecret));
  EXPECT_FALSE(Allows(doc, kOther, "arn:aws:iam::222222222222:role/dev", kGet, kSecret));
}

TEST(Allows, VersionStageCondition_UsesExtraContext) {
  auto doc = Doc(AllowOther(R"(,"Condition":{"ForAnyValue:StringEquals":)"
                            R"({"secretsmanager:VersionStage":"AWSCURRENT"}})"));
  EXPECT_TRUE(Allows(doc, kOther, "", kGet, kSecret,
                     {{"secretsmanager:VersionStage", {"AWSPREVIOUS", "AWSCURRENT"}}}));
  EXPECT_FALSE(
      Allows(doc, kOther, "", kGet, kSecret, {{"secretsmanager:VersionStage", {"AWSPREVIOUS"}}}));
}

TEST(Allows, UnknownConditionKey_DoesNotMatch) {
  auto allow = Doc(AllowOther(R"(,"Condition":{"StringEquals":{"aws:SourceVpc":"vpc-1"}})"));
  EXPECT_FALSE(Allows(allow, kOther, "", kGet, kSecret));
  auto negated = Doc(AllowOther(R"(,"Condition":{"StringNotEquals":{"aws:SourceVpc":"vpc-1"}})"));
  EXPECT_FALSE(Allows(negated, kOther, "", kGet, kSecret));
  auto if_exists =
      Doc(AllowOther(R"(,"Condition":{"StringEqualsIfExists":{"aws:SourceVpc":"v"}})"));
  EXPECT_TRUE(Allows(if_exists, kOther, "", kGet, kSecret));
}

TEST(Allows, NullCondition_TestsPresence) {
  auto absent = Doc(AllowOther(R"(,"Condition":{"Null":{"aws:SourceVpc":"true"}})"));
  EXPECT_TRUE(Allows(absent, kOther, "", kGet, kSecret));
  auto present = Doc(AllowOther(R"(,"Condition":{"Null":{"aws:SourceVpc":"false"}})"));
  EXPECT_FALSE(Allows(present, kOther, "", kGet, kSecret));
}

TEST(Allows, TypedOperators_CompareByType) {
  auto check = [](const std::string& op, const std::string& value, const std::string& actual) {
    auto doc = Doc(AllowOther(R"(,"Condition":{")" + op + R"(":{"k":)" + value + "}}"));
    return Allows(doc, kOther, "", kGet, kSecret, {{"k", {actual}}});
  };
  EXPECT_TRUE(check("NumericLessThan", "10", "9.5"));
  EXPECT_FALSE(check("NumericLessThan", "10", "10"));
  EXPECT_TRUE(check("NumericGreaterThanEquals", "\"10\"", "10"));
  EXPECT_FALSE(check("NumericEquals", "10", "ten"));
  EXPECT_TRUE(check("DateLessThan", "\"2024-01-01T00:00:00Z\"", "2023-12-31T23:59:59Z"));
  EXPECT_TRUE(check("DateEquals", "\"2024-01-01T01:00:00+01:00\"", "2024-01-01T00:00:00Z"));
  EXPECT_TRUE(check("DateGreaterThan", "\"2024-01-01\"", "1704067201"));
  EXPECT_TRUE(check("Bool", "true", "TRUE"));
  EXPECT_FALSE(check("Bool", "true", "false"));
  EXPECT_TRUE(check("IpAddress", "\"10.1.0.0/16\"", "10.1.200.3"));
  EXPECT_FALSE(check("IpAddress", "\"10.1.0.0/16\"", "10.2.0.1"));
  EXPECT_TRUE(check("NotIpAddress", "\"10.1.0.0/16\"", "10.2.0.1"));
  EXPECT_TRUE(check("IpAddress", "\"2001:db8::/32\"", "2001:db8:1::5"));
  EXPECT_TRUE(check("StringEqualsIgnoreCase", "\"AbC\"", "aBc"));
  EXPECT_FALSE(check("StringEquals", "\"AbC\"", "aBc"));
  EXPECT_TRUE(check("StringLike", "\"a?c*\"", "abcdef"));
  EXPECT_TRUE(check("StringNotLike", "\"a?c*\"", "xbc"));
  EXPECT_TRUE(check("BinaryEquals", "\"QmluYXJ5\"", "QmluYXJ5"));
}

TEST(Allows, ForAllValues_RequiresEveryRequestValueToMatch) {
  auto doc =
      Doc(AllowOther(R"(,"Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}})"));
  EXPECT_TRUE(Allows(doc, kOther, "", kGet, kSecret, {{"aws:TagKeys", {"a", "b"}}}));
  EXPECT_FALSE(Allows(doc, kOther, "", kGet, kSecret, {{"aws:TagKeys", {"a", "c"}}}));
  EXPECT_TRUE(Allows(doc, kOther, "", kGet, kSecret));  // no values: vacuously true
}

TEST(WildcardMatch, HandlesStarsAndQuestionMarks) {
  EXPECT_TRUE(WildcardMatch("*", "", false));
  EXPECT_TRUE(WildcardMatch("a*b*c", "axxbyyc", false));
  EXPECT_FALSE(WildcardMatch("a*b*c", "axxbyy", false));
  EXPECT_TRUE(WildcardMatch("a**", "a", false));
  EXPECT_FALSE(WildcardMatch("A", "a", false));
  EXPECT_TRUE(WildcardMatch("A", "a", true));
  EXPECT_FALSE(WildcardMatch("?", "", false));
}

}  // namespace
}  // namespace sml::api
