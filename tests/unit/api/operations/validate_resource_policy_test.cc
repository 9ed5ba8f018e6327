#include <gtest/gtest.h>

#include "api/policy/policy_document.h"
#include "tests/unit/api/operations/resource_policy_fixture.h"

namespace sml::api::operations::testing {
namespace {

using ValidateResourcePolicyTest = ResourcePolicyTest;

TEST_F(ValidateResourcePolicyTest, ValidateResourcePolicy_GoodPolicy_PassesWithAnEmptyErrorList) {
  auto output = Call(&ValidateResourcePolicy, {{"ResourcePolicy", kPrivatePolicy}});
  EXPECT_EQ(output, (nlohmann::json{{"PolicyValidationPassed", true},
                                    {"ValidationErrors", nlohmann::json::array()}}));
}

TEST_F(ValidateResourcePolicyTest, ValidateResourcePolicy_PublicPolicy_FailsTheBroadAccessCheck) {
  auto output = Call(&ValidateResourcePolicy, {{"ResourcePolicy", kPublicPolicy}});
  EXPECT_EQ(output.at("PolicyValidationPassed"), false);
  ASSERT_EQ(output.at("ValidationErrors").size(), 1u);
  EXPECT_EQ(output["ValidationErrors"][0].at("CheckName"), kBroadAccessCheckName);
  EXPECT_FALSE(output["ValidationErrors"][0].at("ErrorMessage").get<std::string>().empty());
}

TEST_F(ValidateResourcePolicyTest, ValidateResourcePolicy_GrammarErrors_FailTheSyntaxCheck) {
  const std::string policy =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Alow",)"
      R"("Principal":{"AWS":"111122223333"},"Action":"secretsmanager:GetSecretValue"}]})";
  auto output = Call(&ValidateResourcePolicy, {{"ResourcePolicy", policy}});
  EXPECT_EQ(output.at("PolicyValidationPassed"), false);
  ASSERT_FALSE(output.at("ValidationErrors").empty());
  for (const auto& entry : output["ValidationErrors"]) {
    EXPECT_EQ(entry.at("CheckName"), kSyntaxCheckName);
    EXPECT_EQ(entry.size(), 2u);  // exactly CheckName and ErrorMessage
  }
}

TEST_F(ValidateResourcePolicyTest, ValidateResourcePolicy_NotJsonObject_IsMalformedPolicyDocument) {
  for (const char* bad : {"{\"Version\":", "not json", "[1,2]", "\"text\""}) {
    ApiError error = Fails(&ValidateResourcePolicy, {{"ResourcePolicy", bad}});
    EXPECT_EQ(error.code(), ErrorCode::kMalformedPolicyDocument) << bad;
  }
}

TEST_F(ValidateResourcePolicyTest, ValidateResourcePolicy_WithSecretId_ValidatesAndStoresNothing) {
  auto secret = Insert("db");
  auto output =
      Call(&ValidateResourcePolicy, {{"SecretId", "db"}, {"ResourcePolicy", kPrivatePolicy}});
  EXPECT_EQ(output.at("PolicyValidationPassed"), true);
  EXPECT_FALSE(Stored(secret.id).resource_policy);
  EXPECT_TRUE(listener.changed.empty());
}

TEST_F(ValidateResourcePolicyTest, ValidateResourcePolicy_UnknownSecretId_IsResourceNotFound) {
  ApiError error =
      Fails(&ValidateResourcePolicy, {{"SecretId", "nope"}, {"ResourcePolicy", kPrivatePolicy}});
  EXPECT_EQ(error.code(), ErrorCode::kResourceNotFound);
  EXPECT_STREQ(error.what(), kNotFound);
}

TEST_F(ValidateResourcePolicyTest, ValidateResourcePolicy_SecretMarkedForDeletion_StillValidates) {
  Insert("db", [](storage::SecretRecord& s) {
    s.deleted_date = kCreated;
    s.deletion_date = kCreated + 7 * 86'400'000LL;
  });
  auto output =
      Call(&ValidateResourcePolicy, {{"SecretId", "db"}, {"ResourcePolicy", kPrivatePolicy}});
  EXPECT_EQ(output.at("PolicyValidationPassed"), true);
}

TEST_F(ValidateResourcePolicyTest, ValidateResourcePolicy_MissingResourcePolicy_IsValidation) {
  ApiError error = Fails(&ValidateResourcePolicy, {{"SecretId", "db"}});
  EXPECT_EQ(error.code(), ErrorCode::kValidation);
  EXPECT_NE(std::string(error.what()).find("resourcePolicy"), std::string::npos) << error.what();
}

TEST_F(ValidateResourcePolicyTest, ValidateResourcePolicy_EmptySecretId_IsValidation) {
  ApiError error =
      Fails(&ValidateResourcePolicy, {{"SecretId", ""}, {"ResourcePolicy", kPrivatePolicy}});
  EXPECT_EQ(error.code(), ErrorCode::kValidation);
}

}  // namespace
}  // namespace sml::api::operations::testing

namespace sml::api::operations::testing {
namespace {

TEST_F(ValidateResourcePolicyTest, ValidateResourcePolicy_CrossAccount_NeedsPutResourcePolicyToo) {
  auto policy_for = [](const std::string& actions) {
    return R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
           R"("Principal":{"AWS":"111122223333"},"Action":)" +
           actions + R"(,"Resource":"*"}]})";
  };
  auto secret = Insert("db", [&](storage::SecretRecord& s) {
    s.resource_policy = policy_for(R"("secretsmanager:ValidateResourcePolicy")");
  });
  context.account_id = "111122223333";
  context.enforce_resource_policies = true;
  context.action = "secretsmanager:ValidateResourcePolicy";
  const nlohmann::json input = {{"SecretId", secret.arn}, {"ResourcePolicy", kPrivatePolicy}};

  ApiError error = Fails(&ValidateResourcePolicy, input);
  EXPECT_EQ(error.code(), ErrorCode::kAccessDenied);
  EXPECT_NE(std::string(error.what()).find("secretsmanager:PutResourcePolicy"), std::string::npos);

  store->Write([&](storage::Repository& repo) {
    secret.resource_policy = policy_for(
        R"(["secretsmanager:ValidateResourcePolicy","secretsmanager:PutResourcePolicy"])");
    repo.UpdateSecret(secret);
  });
  EXPECT_EQ(Call(&ValidateResourcePolicy, input).at("PolicyValidationPassed"), true);
}

}  // namespace
}  // namespace sml::api::operations::testing
