#include <gtest/gtest.h>

#include "tests/unit/api/operations/resource_policy_fixture.h"

namespace sml::api::operations::testing {
namespace {

using PutResourcePolicyTest = ResourcePolicyTest;

TEST_F(PutResourcePolicyTest, PutResourcePolicy_StoresTheDocumentVerbatim) {
  auto secret = Insert("db");
  // Odd spacing, key order and a newline must survive untouched.
  const std::string document =
      "{ \"Statement\" : [ {\"Resource\":\"*\", \"Action\": \"secretsmanager:GetSecretValue\",\n"
      "  \"Principal\": {\"AWS\": \"111122223333\"}, \"Effect\": \"Allow\"} ],\n"
      "  \"Version\": \"2012-10-17\" }";

  auto output = Call(&PutResourcePolicy, {{"SecretId", "db"}, {"ResourcePolicy", document}});

  EXPECT_EQ(output, (nlohmann::json{{"ARN", secret.arn}, {"Name", "db"}}));
  EXPECT_EQ(Stored(secret.id).resource_policy, document);
}

TEST_F(PutResourcePolicyTest, PutResourcePolicy_ReplacesAnEarlierPolicy) {
  auto secret = Insert("db");
  Call(&PutResourcePolicy, {{"SecretId", "db"}, {"ResourcePolicy", kPrivatePolicy}});
  const std::string second =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"444455556666"},)"
      R"("Action":"secretsmanager:*","Resource":"*"}]})";
  Call(&PutResourcePolicy, {{"SecretId", "db"}, {"ResourcePolicy", second}});
  EXPECT_EQ(Stored(secret.id).resource_policy, second);
}

TEST_F(PutResourcePolicyTest, PutResourcePolicy_UpdatesLastChangedDateAndNotifies) {
  auto secret = Insert("db");
  clock.Advance(60'000);
  Call(&PutResourcePolicy, {{"SecretId", "db"}, {"ResourcePolicy", kPrivatePolicy}});
  EXPECT_EQ(Stored(secret.id).last_changed_date, kCreated + 60'000);
  EXPECT_EQ(listener.changed, std::vector<std::int64_t>{secret.id});
}

TEST_F(PutResourcePolicyTest, PutResourcePolicy_FindsTheSecretByArnAndPartialArn) {
  auto secret = Insert("db");
  EXPECT_EQ(Call(&PutResourcePolicy, {{"SecretId", secret.arn}, {"ResourcePolicy", kPrivatePolicy}})
                .at("Name"),
            "db");
  const std::string partial = secret.arn.substr(0, secret.arn.size() - 7);
  EXPECT_EQ(Call(&PutResourcePolicy, {{"SecretId", partial}, {"ResourcePolicy", kPrivatePolicy}})
                .at("ARN"),
            secret.arn);
}

TEST_F(PutResourcePolicyTest, PutResourcePolicy_MalformedDocument_IsMalformedPolicyDocument) {
  auto secret = Insert("db");
  for (const std::string& bad :
       {std::string("not json"), std::string("[]"),
        std::string(R"({"Version":"2012-10-17","Statement":[{"Effect":"Alow","Principal":"*",)"
                    R"("Action":"secretsmanager:*","Resource":"*"}]})")}) {
    ApiError error = Fails(&PutResourcePolicy, {{"SecretId", "db"}, {"ResourcePolicy", bad}});
    EXPECT_EQ(error.code(), ErrorCode::kMalformedPolicyDocument) << bad;
    EXPECT_STREQ(error.what(), "This resource policy contains a syntax error.") << bad;
  }
  EXPECT_FALSE(Stored(secret.id).resource_policy);
  EXPECT_TRUE(listener.changed.empty());
}

TEST_F(PutResourcePolicyTest, PutResourcePolicy_UnsupportedPrincipal_IsMalformedPolicyDocument) {
  Insert("db");
  const std::string policy =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"nobody"},)"
      R"("Action":"secretsmanager:GetSecretValue","Resource":"*"}]})";
  ApiError error = Fails(&PutResourcePolicy, {{"SecretId", "db"}, {"ResourcePolicy", policy}});
  EXPECT_EQ(error.code(), ErrorCode::kMalformedPolicyDocument);
  EXPECT_STREQ(error.what(), "This resource policy contains an unsupported principal.");
}

TEST_F(PutResourcePolicyTest, PutResourcePolicy_PublicPolicy_IsStoredByDefault) {
  auto secret = Insert("db");
  Call(&PutResourcePolicy, {{"SecretId", "db"}, {"ResourcePolicy", kPublicPolicy}});
  EXPECT_EQ(Stored(secret.id).resource_policy, kPublicPolicy);
}

TEST_F(PutResourcePolicyTest, PutResourcePolicy_PublicPolicy_IsBlockedWhenAskedTo) {
  auto secret = Insert("db");
  ApiError error =
      Fails(&PutResourcePolicy,
            {{"SecretId", "db"}, {"ResourcePolicy", kPublicPolicy}, {"BlockPublicPolicy", true}});
  EXPECT_EQ(error.code(), ErrorCode::kPublicPolicy);
  EXPECT_STREQ(error.what(),
               "You can't attach a resource-based policy that allows broad access to the secret.");
  EXPECT_FALSE(Stored(secret.id).resource_policy);
}

TEST_F(PutResourcePolicyTest, PutResourcePolicy_PublicPolicy_IsStoredWithBlockPublicPolicyFalse) {
  auto secret = Insert("db");
  Call(&PutResourcePolicy,
       {{"SecretId", "db"}, {"ResourcePolicy", kPublicPolicy}, {"BlockPublicPolicy", false}});
  EXPECT_EQ(Stored(secret.id).resource_policy, kPublicPolicy);
}

TEST_F(PutResourcePolicyTest, PutResourcePolicy_WildcardLimitedToAnAccount_IsNotPublic) {
  auto secret = Insert("db");
  const std::string policy =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*",)"
      R"("Action":"secretsmanager:GetSecretValue","Resource":"*",)"
      R"("Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}}]})";
  Call(&PutResourcePolicy, {{"SecretId", "db"}, {"ResourcePolicy", policy}});
  EXPECT_EQ(Stored(secret.id).resource_policy, policy);
}

TEST_F(PutResourcePolicyTest, PutResourcePolicy_MissingSecret_IsResourceNotFound) {
  ApiError error =
      Fails(&PutResourcePolicy, {{"SecretId", "nope"}, {"ResourcePolicy", kPrivatePolicy}});
  EXPECT_EQ(error.code(), ErrorCode::kResourceNotFound);
  EXPECT_STREQ(error.what(), kNotFound);
}

TEST_F(PutResourcePolicyTest, PutResourcePolicy_SecretMarkedForDeletion_IsInvalidRequest) {
  auto secret = Insert("db", [](storage::SecretRecord& s) {
    s.deleted_date = kCreated;
    s.deletion_date = kCreated + 7 * 86'400'000LL;
  });
  ApiError error =
      Fails(&PutResourcePolicy, {{"SecretId", "db"}, {"ResourcePolicy", kPrivatePolicy}});
  EXPECT_EQ(error.code(), ErrorCode::kInvalidRequest);
  EXPECT_STREQ(error.what(), kMarkedForDeletion);
  EXPECT_FALSE(Stored(secret.id).resource_policy);
}

TEST_F(PutResourcePolicyTest, PutResourcePolicy_Replica_IsRefused) {
  auto secret = Insert("db", [](storage::SecretRecord& s) { s.primary_region = "eu-west-1"; });
  ApiError error =
      Fails(&PutResourcePolicy, {{"SecretId", "db"}, {"ResourcePolicy", kPrivatePolicy}});
  EXPECT_EQ(error.code(), ErrorCode::kInvalidParameter);
  EXPECT_STREQ(error.what(), kReplicaRefused);
  EXPECT_FALSE(Stored(secret.id).resource_policy);
}

TEST_F(PutResourcePolicyTest, PutResourcePolicy_MissingMembers_AreOneValidationException) {
  ApiError error = Fails(&PutResourcePolicy, nlohmann::json::object());
  EXPECT_EQ(error.code(), ErrorCode::kValidation);
  EXPECT_NE(std::string(error.what()).find("2 validation errors detected"), std::string::npos)
      << error.what();
}

TEST_F(PutResourcePolicyTest, PutResourcePolicy_TooLongDocument_IsValidationException) {
  Insert("db");
  ApiError error =
      Fails(&PutResourcePolicy, {{"SecretId", "db"}, {"ResourcePolicy", std::string(20481, ' ')}});
  EXPECT_EQ(error.code(), ErrorCode::kValidation);
  EXPECT_NE(std::string(error.what()).find("Member must have length less than or equal to 20480"),
            std::string::npos);
}

TEST_F(PutResourcePolicyTest, PutResourcePolicy_BlockPublicPolicyOfWrongType_IsSerialization) {
  Insert("db");
  ApiError error =
      Fails(&PutResourcePolicy,
            {{"SecretId", "db"}, {"ResourcePolicy", kPrivatePolicy}, {"BlockPublicPolicy", "yes"}});
  EXPECT_EQ(error.code(), ErrorCode::kSerialization);
}

}  // namespace
}  // namespace sml::api::operations::testing
