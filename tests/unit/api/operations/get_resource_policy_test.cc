#include <gtest/gtest.h>

#include "tests/unit/api/operations/resource_policy_fixture.h"

namespace sml::api::operations::testing {
namespace {

using GetResourcePolicyTest = ResourcePolicyTest;

TEST_F(GetResourcePolicyTest, GetResourcePolicy_ReturnsThePutDocumentVerbatim) {
  auto secret = Insert("db");
  const std::string document =
      " {\"Version\":\"2012-10-17\",\n\"Statement\":[{\"Effect\":\"Allow\","
      "\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":\"secretsmanager:"
      "GetSecretValue\",\"Resource\":\"*\"}]} ";
  Call(&PutResourcePolicy, {{"SecretId", "db"}, {"ResourcePolicy", document}});

  auto output = Call(&GetResourcePolicy, {{"SecretId", "db"}});

  EXPECT_EQ(output,
            (nlohmann::json{{"ARN", secret.arn}, {"Name", "db"}, {"ResourcePolicy", document}}));
}

TEST_F(GetResourcePolicyTest, GetResourcePolicy_WithoutPolicy_OmitsResourcePolicy) {
  auto secret = Insert("db");
  auto output = Call(&GetResourcePolicy, {{"SecretId", secret.arn}});
  EXPECT_EQ(output, (nlohmann::json{{"ARN", secret.arn}, {"Name", "db"}}));
}

// AWS refuses it, as quoted in terraform-provider-aws#23998 ("error reading
// Secrets Manager Secret policy: InvalidRequestException: ... marked for
// deletion"), which the provider's secret_policy.go matches.
TEST_F(GetResourcePolicyTest, GetResourcePolicy_SecretMarkedForDeletion_IsInvalidRequest) {
  Insert("db", [](storage::SecretRecord& s) {
    s.resource_policy = kPrivatePolicy;
    s.deleted_date = kCreated;
    s.deletion_date = kCreated + 7 * 86'400'000LL;
  });
  ApiError error = Fails(&GetResourcePolicy, {{"SecretId", "db"}});
  EXPECT_EQ(error.code(), ErrorCode::kInvalidRequest);
  EXPECT_STREQ(error.what(), kMarkedForDeletion);
}

TEST_F(GetResourcePolicyTest, GetResourcePolicy_WorksOnAReplica) {
  Insert("db", [](storage::SecretRecord& s) {
    s.resource_policy = kPrivatePolicy;
    s.primary_region = "eu-west-1";
  });
  EXPECT_EQ(Call(&GetResourcePolicy, {{"SecretId", "db"}}).at("ResourcePolicy"), kPrivatePolicy);
}

TEST_F(GetResourcePolicyTest, GetResourcePolicy_MissingSecret_IsResourceNotFound) {
  ApiError error = Fails(&GetResourcePolicy, {{"SecretId", "nope"}});
  EXPECT_EQ(error.code(), ErrorCode::kResourceNotFound);
  EXPECT_STREQ(error.what(), kNotFound);
}

TEST_F(GetResourcePolicyTest, GetResourcePolicy_OtherRegionsSecret_IsNotFoundByName) {
  Insert("db", [](storage::SecretRecord& s) { s.region = "eu-west-1"; });
  EXPECT_EQ(Fails(&GetResourcePolicy, {{"SecretId", "db"}}).code(), ErrorCode::kResourceNotFound);
}

TEST_F(GetResourcePolicyTest, GetResourcePolicy_MissingSecretId_IsValidationException) {
  ApiError error = Fails(&GetResourcePolicy, nlohmann::json::object());
  EXPECT_EQ(error.code(), ErrorCode::kValidation);
  EXPECT_NE(std::string(error.what()).find("secretId"), std::string::npos) << error.what();
}

}  // namespace
}  // namespace sml::api::operations::testing
