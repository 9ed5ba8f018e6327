#include "api/model/access.h"

#include <gtest/gtest.h>

#include "api/error.h"

namespace sml::api::model {
namespace {

constexpr char kOwner[] = "123456789012";
constexpr char kCaller[] = "111122223333";
constexpr char kSecretArn[] = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf";
constexpr char kGet[] = "secretsmanager:GetSecretValue";

storage::SecretRecord Secret(std::optional<std::string> policy) {
  storage::SecretRecord secret;
  secret.account_id = kOwner;
  secret.region = "us-east-1";
  secret.name = "db";
  secret.arn = kSecretArn;
  secret.resource_policy = std::move(policy);
  return secret;
}

RequestContext CrossAccountCaller(std::string caller_arn = "") {
  RequestContext context{kCaller, "us-east-1", "request-1"};
  context.caller_arn = std::move(caller_arn);
  context.enforce_resource_policies = true;
  return context;
}

std::string Policy(const std::string& statements) {
  return R"({"Version":"2012-10-17","Statement":[)" + statements + "]}";
}

std::string Allow(const std::string& principal, const std::string& action,
                  const std::string& extra = R"("Resource":"*")") {
  return R"({"Effect":"Allow","Principal":{"AWS":")" + principal + R"("},"Action":")" + action +
         R"(",)" + extra + "}";
}

// The AccessDeniedException message, or "" when access was granted.
std::string Denial(const RequestContext& context, const storage::SecretRecord& secret,
                   std::string_view action, const PolicyConditionContext& extra = {}) {
  try {
    AuthorizeAccess(context, secret, action, extra);
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kAccessDenied);
    return e.what();
  }
  return "";
}

std::string NoPolicyMessage(std::string_view caller_arn, std::string_view action) {
  return "User: " + std::string(caller_arn) +
         " is not authorized to perform: " + std::string(action) + " on resource: " + kSecretArn +
         " because no resource-based policy allows the " + std::string(action) + " action";
}

TEST(CallerArn, EmptyCallerArn_IsTheAccountRoot) {
  EXPECT_EQ(CallerArn(CrossAccountCaller()), "arn:aws:iam::111122223333:root");
  EXPECT_EQ(CallerArn(CrossAccountCaller("arn:aws:iam::111122223333:role/app")),
            "arn:aws:iam::111122223333:role/app");
}

TEST(AuthorizeAccess, NotEnforced_CrossAccountWithoutPolicy_IsAllowed) {
  RequestContext context = CrossAccountCaller();
  context.enforce_resource_policies = false;
  EXPECT_EQ(Denial(context, Secret(std::nullopt), kGet), "");
}

TEST(AuthorizeAccess, Enforced_SameAccount_NeedsNoPolicy) {
  RequestContext context = CrossAccountCaller();
  context.account_id = kOwner;
  EXPECT_FALSE(NeedsResourcePolicy(context, Secret(std::nullopt)));
  EXPECT_EQ(Denial(context, Secret(std::nullopt), kGet), "");
}

TEST(AuthorizeAccess, Enforced_CrossAccountWithoutPolicy_IsDeniedInAwsWords) {
  EXPECT_TRUE(NeedsResourcePolicy(CrossAccountCaller(), Secret(std::nullopt)));
  EXPECT_EQ(Denial(CrossAccountCaller(), Secret(std::nullopt), kGet),
            NoPolicyMessage("arn:aws:iam::111122223333:root", kGet));
}

TEST(AuthorizeAccess, PolicyAllowingTheCallersAccount_GrantsThatActionOnly) {
  auto secret = Secret(Policy(Allow("arn:aws:iam::111122223333:root", kGet)));
  EXPECT_EQ(Denial(CrossAccountCaller(), secret, kGet), "");
  EXPECT_EQ(Denial(CrossAccountCaller("arn:aws:iam::111122223333:role/app"), secret, kGet), "");
  EXPECT_EQ(Denial(CrossAccountCaller(), secret, "secretsmanager:PutSecretValue"),
            NoPolicyMessage("arn:aws:iam::111122223333:root", "secretsmanager:PutSecretValue"));
}

TEST(AuthorizeAccess, PolicyForAnotherAccount_DoesNotGrant) {
  auto secret = Secret(Policy(Allow("444455556666", kGet)));
  EXPECT_EQ(Denial(CrossAccountCaller(), secret, kGet),
            NoPolicyMessage("arn:aws:iam::111122223333:root", kGet));
}

TEST(AuthorizeAccess, PolicyForOneRole_GrantsThatRoleNotTheRoot) {
  const std::string role = "arn:aws:iam::111122223333:role/app";
  auto secret = Secret(Policy(Allow(role, "secretsmanager:*")));
  EXPECT_EQ(Denial(CrossAccountCaller(role), secret, kGet), "");
  EXPECT_EQ(Denial(CrossAccountCaller(), secret, kGet),
            NoPolicyMessage("arn:aws:iam::111122223333:root", kGet));
}

TEST(AuthorizeAccess, ExplicitDeny_WinsAndSaysSo) {
  auto secret = Secret(Policy(Allow(kCaller, "secretsmanager:*") + "," +
                              R"({"Effect":"Deny","Principal":{"AWS":")" + kCaller +
                              R"("},"Action":"secretsmanager:GetSecretValue","Resource":"*"})"));
  EXPECT_EQ(
      Denial(CrossAccountCaller(), secret, kGet),
      "User: arn:aws:iam::111122223333:root is not authorized to perform: " + std::string(kGet) +
          " on resource: " + kSecretArn + " with an explicit deny in a resource-based policy");
  EXPECT_EQ(Denial(CrossAccountCaller(), secret, "secretsmanager:DescribeSecret"), "");
}

TEST(AuthorizeAccess, ResourceElement_MustMatchTheSecretArn) {
  auto granted = Secret(Policy(Allow(
      kCaller, kGet, R"("Resource":"arn:aws:secretsmanager:us-east-1:123456789012:secret:db-*")")));
  EXPECT_EQ(Denial(CrossAccountCaller(), granted, kGet), "");
  auto other = Secret(
      Policy(Allow(kCaller, kGet,
                   R"("Resource":"arn:aws:secretsmanager:us-east-1:123456789012:secret:web-*")")));
  EXPECT_NE(Denial(CrossAccountCaller(), other, kGet), "");
}

TEST(AuthorizeAccess, EmptyAction_IsDenied) {
  auto secret = Secret(Policy(Allow(kCaller, "secretsmanager:*")));
  EXPECT_NE(Denial(CrossAccountCaller(), secret, ""), "");
}

TEST(AuthorizeAccess, StoredPolicyThatNoLongerParses_GrantsNothing) {
  EXPECT_EQ(Denial(CrossAccountCaller(), Secret("{not json"), kGet),
            NoPolicyMessage("arn:aws:iam::111122223333:root", kGet));
}

TEST(AuthorizeAccess, ResourceTagCondition_UsesTheSecretsTags) {
  auto secret = Secret(Policy(
      Allow(kCaller, kGet,
            R"("Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"blue"}})")));
  EXPECT_NE(Denial(CrossAccountCaller(), secret, kGet), "");  // untagged
  secret.tags = std::vector<storage::Tag>{{"team", "blue"}};
  EXPECT_EQ(Denial(CrossAccountCaller(), secret, kGet), "");
  secret.tags = std::vector<storage::Tag>{{"team", "red"}};
  EXPECT_NE(Denial(CrossAccountCaller(), secret, kGet), "");
}

TEST(AuthorizeAccess, SecretIdAndAccountConditions_AreKnown) {
  auto secret = Secret(Policy(Allow(
      kCaller, kGet,
      std::string(R"("Resource":"*","Condition":{"StringEquals":{"secretsmanager:SecretId":")") +
          kSecretArn +
          R"(","aws:ResourceAccount":"123456789012","aws:RequestedRegion":"us-east-1"}})")));
  EXPECT_EQ(Denial(CrossAccountCaller(), secret, kGet), "");
  RequestContext elsewhere = CrossAccountCaller();
  elsewhere.region = "eu-west-1";
  EXPECT_NE(Denial(elsewhere, secret, kGet), "");
}

TEST(AuthorizeAccess, ExtraConditionValues_AreEvaluated) {
  auto secret = Secret(Policy(Allow(
      kCaller, kGet,
      R"("Resource":"*","Condition":{"StringEquals":{"secretsmanager:VersionStage":"AWSCURRENT"}})")));
  EXPECT_EQ(
      Denial(CrossAccountCaller(), secret, kGet, {{"secretsmanager:VersionStage", {"AWSCURRENT"}}}),
      "");
  EXPECT_NE(Denial(CrossAccountCaller(), secret, kGet,
                   {{"secretsmanager:VersionStage", {"AWSPREVIOUS"}}}),
            "");
  EXPECT_NE(Denial(CrossAccountCaller(), secret, kGet), "");  // key missing: no match
}

TEST(SecretConditionContext, ListsTheSecretsKeys) {
  auto secret = Secret(std::nullopt);
  secret.tags = std::vector<storage::Tag>{{"env", "prod"}};
  auto keys = SecretConditionContext(CrossAccountCaller(), secret);
  EXPECT_EQ(keys.at("aws:ResourceAccount"), std::vector<std::string>{kOwner});
  EXPECT_EQ(keys.at("aws:RequestedRegion"), std::vector<std::string>{"us-east-1"});
  EXPECT_EQ(keys.at("secretsmanager:SecretId"), std::vector<std::string>{kSecretArn});
  EXPECT_EQ(keys.at("aws:ResourceTag/env"), std::vector<std::string>{"prod"});
  EXPECT_EQ(keys.at("secretsmanager:ResourceTag/env"), std::vector<std::string>{"prod"});
}

TEST(RequireValueAccessibleFrom, OtherAccountWithTheDefaultKey_IsInvalidRequest) {
  for (std::optional<std::string> key :
       {std::optional<std::string>{}, std::optional<std::string>{""},
        std::optional<std::string>{"alias/aws/secretsmanager"}}) {
    auto secret = Secret(std::nullopt);
    secret.kms_key_id = key;
    try {
      RequireValueAccessibleFrom(CrossAccountCaller(), secret);
      ADD_FAILURE() << "no error for key " << key.value_or("(none)");
    } catch (const ApiError& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalidRequest);
      EXPECT_STREQ(e.what(),
                   "You can't access a secret from a different AWS account if you encrypt the "
                   "secret with the default KMS service key.");
    }
  }
}

TEST(RequireValueAccessibleFrom, CustomerKeyOrOwnAccount_IsAccessible) {
  auto secret = Secret(std::nullopt);
  EXPECT_NO_THROW(RequireValueAccessibleFrom(RequestContext{kOwner, "us-east-1", "r"}, secret));
  secret.kms_key_id = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  EXPECT_NO_THROW(RequireValueAccessibleFrom(CrossAccountCaller(), secret));
}

}  // namespace
}  // namespace sml::api::model
