#include <gtest/gtest.h>

#include "api/operations/operations.h"
#include "tests/unit/api/operations/listing_fixture.h"

namespace sml::api::testing {
namespace {

using BatchGetSecretValueTest = ListingTest;

TEST_F(BatchGetSecretValueTest, BatchGet_ByIdList_ValuesAndPerSecretErrors) {
  auto a = AddSecret("a", {}, "value-a");
  AddSecret("deleted", [](auto& s) {
    s.deleted_date = kStart;
    s.deletion_date = kStart + 86'400'000LL * 7;
  });
  AddSecret("corrupt", {}, "corrupt");
  AddSecret("novalue", {}, std::nullopt);
  auto out = Call(&operations::BatchGetSecretValue,
                  {{"SecretIdList", {a.arn, "missing", "deleted", "corrupt", "novalue"}}});
  ASSERT_EQ(out["SecretValues"].size(), 1u);
  const auto& value = out["SecretValues"][0];
  EXPECT_EQ(value["ARN"], a.arn);
  EXPECT_EQ(value["Name"], "a");
  EXPECT_EQ(value["SecretString"], "value-a");
  EXPECT_EQ(value["VersionId"], "version-a");
  EXPECT_EQ(value["VersionStages"], nlohmann::json({"AWSCURRENT"}));

  ASSERT_EQ(out["Errors"].size(), 4u);
  std::map<std::string, nlohmann::json> errors;
  for (const auto& error : out["Errors"]) errors[error["SecretId"]] = error;
  EXPECT_EQ(errors["missing"]["ErrorCode"], "ResourceNotFoundException");
  EXPECT_EQ(errors["missing"]["Message"], "Secrets Manager can't find the specified secret.");
  EXPECT_EQ(errors["deleted"]["ErrorCode"], "InvalidRequestException");
  EXPECT_EQ(errors["deleted"]["Message"],
            "You can't perform this operation on the secret because it was marked for deletion.");
  EXPECT_EQ(errors["corrupt"]["ErrorCode"], "DecryptionFailure");
  EXPECT_EQ(errors["novalue"]["ErrorCode"], "ResourceNotFoundException");
  EXPECT_FALSE(out.contains("NextToken"));
}

TEST_F(BatchGetSecretValueTest, BatchGet_SetsLastAccessedDate) {
  AddSecret("a");
  clock_.Set(kStart + 3 * 86'400'000LL + 5000);
  Call(&operations::BatchGetSecretValue, {{"SecretIdList", {"a"}}});
  auto described = Call(&operations::DescribeSecret, {{"SecretId", "a"}});
  EXPECT_TRUE(described.contains("LastAccessedDate"));
}

TEST_F(BatchGetSecretValueTest, BatchGet_ByFilters_PagesAndSkipsPlannedDeletion) {
  for (int i = 0; i < 5; ++i) AddSecret("app/" + std::to_string(i), {}, "v" + std::to_string(i));
  AddSecret("other");
  AddSecret("app/deleted", [](auto& s) {
    s.deleted_date = kStart;
    s.deletion_date = kStart + 86'400'000LL * 7;
  });
  nlohmann::json input = {{"Filters", {{{"Key", "name"}, {"Values", {"app/"}}}}},
                          {"MaxResults", 2}};
  std::vector<std::string> names;
  for (int page = 0; page < 10; ++page) {
    auto out = Call(&operations::BatchGetSecretValue, input);
    EXPECT_TRUE(out["Errors"].empty());
    for (const auto& value : out["SecretValues"]) names.push_back(value["Name"]);
    if (!out.contains("NextToken")) break;
    input["NextToken"] = out["NextToken"];
  }
  EXPECT_EQ(names, (std::vector<std::string>{"app/0", "app/1", "app/2", "app/3", "app/4"}));
}

TEST_F(BatchGetSecretValueTest, BatchGet_ListSecretsToken_IsInvalidNextToken) {
  for (int i = 0; i < 3; ++i) AddSecret("s" + std::to_string(i));
  nlohmann::json filters = {{{"Key", "name"}, {"Values", {"s"}}}};
  auto listed = Call(&operations::ListSecrets, {{"Filters", filters}, {"MaxResults", 1}});
  auto error = CallError(&operations::BatchGetSecretValue,
                         {{"Filters", filters}, {"NextToken", listed["NextToken"]}});
  EXPECT_EQ(error.code(), ErrorCode::kInvalidNextToken);
}

TEST_F(BatchGetSecretValueTest, BatchGet_BothOrNeither_IsInvalidParameter) {
  nlohmann::json filters = {{{"Key", "name"}, {"Values", {"s"}}}};
  auto both =
      CallError(&operations::BatchGetSecretValue, {{"SecretIdList", {"a"}}, {"Filters", filters}});
  EXPECT_EQ(both.code(), ErrorCode::kInvalidParameter);
  EXPECT_STREQ(both.what(), "Either 'SecretIdList' or 'Filters' must be provided, but not both.");
  EXPECT_EQ(CallError(&operations::BatchGetSecretValue, nlohmann::json::object()).code(),
            ErrorCode::kInvalidParameter);
}

TEST_F(BatchGetSecretValueTest, BatchGet_MaxResultsWithIdList_IsInvalidParameter) {
  auto error =
      CallError(&operations::BatchGetSecretValue, {{"SecretIdList", {"a"}}, {"MaxResults", 5}});
  EXPECT_EQ(error.code(), ErrorCode::kInvalidParameter);
  EXPECT_STREQ(error.what(),
               "'Filters' not specified. 'Filters' must also be specified when 'MaxResults' is "
               "provided.");
  EXPECT_EQ(
      CallError(&operations::BatchGetSecretValue, {{"SecretIdList", {"a"}}, {"NextToken", "t"}})
          .code(),
      ErrorCode::kInvalidParameter);
}

TEST_F(BatchGetSecretValueTest, BatchGet_MoreThanTenFilterValuesInAll_IsInvalidParameter) {
  nlohmann::json names = nlohmann::json::array();
  for (int i = 0; i < 10; ++i) names.push_back("s" + std::to_string(i));
  nlohmann::json ten = {{{"Key", "name"}, {"Values", names}}};
  EXPECT_EQ(Call(&operations::BatchGetSecretValue, {{"Filters", ten}})["SecretValues"],
            nlohmann::json::array());
  nlohmann::json eleven = ten;
  eleven.push_back({{"Key", "tag-key"}, {"Values", {"team"}}});
  auto error = CallError(&operations::BatchGetSecretValue, {{"Filters", eleven}});
  EXPECT_EQ(error.code(), ErrorCode::kInvalidParameter);
  EXPECT_STREQ(error.what(),
               "The filter list has too many filters. You can include up to 10 filters.");
}

TEST_F(BatchGetSecretValueTest, BatchGet_Limits_AreValidationExceptions) {
  nlohmann::json many = nlohmann::json::array();
  for (int i = 0; i < 21; ++i) many.push_back("s" + std::to_string(i));
  EXPECT_EQ(CallError(&operations::BatchGetSecretValue, {{"SecretIdList", many}}).code(),
            ErrorCode::kValidation);
  EXPECT_EQ(CallError(&operations::BatchGetSecretValue, {{"SecretIdList", nlohmann::json::array()}})
                .code(),
            ErrorCode::kValidation);
  nlohmann::json filters = {{{"Key", "name"}, {"Values", {"s"}}}};
  EXPECT_EQ(CallError(&operations::BatchGetSecretValue, {{"Filters", filters}, {"MaxResults", 21}})
                .code(),
            ErrorCode::kValidation);
}

}  // namespace
}  // namespace sml::api::testing

namespace sml::api::testing {
namespace {

TEST_F(BatchGetSecretValueTest, BatchGet_CrossAccountWithoutPolicy_IsAccessDeniedInErrors) {
  auto theirs = AddSecret("theirs", {}, "v", "111111111111");
  AddSecret("mine");
  context_.enforce_resource_policies = true;
  context_.action = "secretsmanager:BatchGetSecretValue";
  auto out = Call(&operations::BatchGetSecretValue, {{"SecretIdList", {theirs.arn, "mine"}}});
  ASSERT_EQ(out["SecretValues"].size(), 1u);
  EXPECT_EQ(out["SecretValues"][0]["Name"], "mine");
  ASSERT_EQ(out["Errors"].size(), 1u);
  EXPECT_EQ(out["Errors"][0]["ErrorCode"], "AccessDeniedException");
  EXPECT_NE(out["Errors"][0]["Message"].get<std::string>().find("secretsmanager:GetSecretValue"),
            std::string::npos)
      << out["Errors"][0]["Message"];
}

TEST_F(BatchGetSecretValueTest, BatchGet_CrossAccountWithDefaultKey_IsInvalidRequestInErrors) {
  const std::string policy =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":")"
      R"(arn:aws:iam::000000000000:root"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]})";
  auto default_key = AddSecret(
      "default-key", [&](storage::SecretRecord& s) { s.resource_policy = policy; }, "v1",
      "111111111111");
  auto customer_key = AddSecret(
      "customer-key",
      [&](storage::SecretRecord& s) {
        s.resource_policy = policy;
        s.kms_key_id = "arn:aws:kms:us-east-1:111111111111:key/k";
      },
      "v2", "111111111111");
  context_.enforce_resource_policies = true;
  context_.action = "secretsmanager:BatchGetSecretValue";
  auto out = Call(&operations::BatchGetSecretValue,
                  {{"SecretIdList", {default_key.arn, customer_key.arn}}});
  ASSERT_EQ(out["SecretValues"].size(), 1u);
  EXPECT_EQ(out["SecretValues"][0]["SecretString"], "v2");
  ASSERT_EQ(out["Errors"].size(), 1u);
  EXPECT_EQ(out["Errors"][0]["SecretId"], default_key.arn);
  EXPECT_EQ(out["Errors"][0]["ErrorCode"], "InvalidRequestException");
  EXPECT_EQ(out["Errors"][0]["Message"],
            "You can't access a secret from a different AWS account if you encrypt the secret "
            "with the default KMS service key.");
}

}  // namespace
}  // namespace sml::api::testing
