// A SecretId that is neither a valid secret name nor an ARN is refused the
// same way by every operation that takes one (BEHAVIOR.md §2).
#include "api/model/secret_lookup.h"
#include "tests/unit/api/operations/lifecycle_fixture.h"

namespace sml::api::operations::testing {
namespace {

using InvalidSecretIdTest = LifecycleTest;

TEST(SecretIdValidity, NamesAndArnsAreValid_OtherTextIsNot) {
  EXPECT_TRUE(model::IsValidSecretId("prod/db_1+x=y.z@w-v"));
  EXPECT_TRUE(
      model::IsValidSecretId("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"));
  EXPECT_TRUE(model::IsValidSecretId("arn:aws:secretsmanager:us-east-1:123456789012:secret:db"));
  EXPECT_FALSE(model::IsValidSecretId("bad name"));
  EXPECT_FALSE(model::IsValidSecretId("db:1"));
  EXPECT_FALSE(model::IsValidSecretId("quote\"d"));
  EXPECT_FALSE(model::IsValidSecretId("star*"));
  EXPECT_FALSE(model::IsValidSecretId(std::string(513, 'a')));
}

TEST(SecretIdValidity, ASecretArnWithABadNameInIt_IsNotValid) {
  const std::string prefix = "arn:aws:secretsmanager:us-east-1:123456789012:secret:";
  EXPECT_FALSE(model::IsValidSecretId(prefix + "db-AbCdEf#password"));
  EXPECT_FALSE(model::IsValidSecretId(prefix + "bad name-AbCdEf"));
  EXPECT_FALSE(model::IsValidSecretId(prefix + "db-AbCdEf:username::"));
  EXPECT_FALSE(model::IsValidSecretId(prefix));
  // The longest name with its suffix is still a valid ARN.
  EXPECT_TRUE(model::IsValidSecretId(prefix + std::string(512, 'a') + "-AbCdEf"));
  // ARNs of other shapes name no secret; they are not refused as names.
  EXPECT_TRUE(model::IsValidSecretId("arn:aws:s3:::bucket name"));
}

// Every operation of the model with a SecretId member, with the other members
// it requires, so only the SecretId can be wrong.
const std::vector<std::pair<OperationHandler, nlohmann::json>>& SecretIdOperations() {
  static const std::string token(36, 't');
  static const std::vector<std::pair<OperationHandler, nlohmann::json>> operations = {
      {&CancelRotateSecret, nlohmann::json::object()},
      {&DeleteResourcePolicy, nlohmann::json::object()},
      {&DeleteSecret, nlohmann::json::object()},
      {&DeleteSecret, {{"ForceDeleteWithoutRecovery", true}}},
      {&DescribeSecret, nlohmann::json::object()},
      {&GetResourcePolicy, nlohmann::json::object()},
      {&GetSecretValue, nlohmann::json::object()},
      {&ListSecretVersionIds, nlohmann::json::object()},
      {&PutResourcePolicy, {{"ResourcePolicy", R"({"Version":"2012-10-17","Statement":[]})"}}},
      {&PutSecretValue, {{"SecretString", "v"}, {"ClientRequestToken", token}}},
      {&RemoveRegionsFromReplication, {{"RemoveReplicaRegions", {"eu-west-1"}}}},
      {&ReplicateSecretToRegions, {{"AddReplicaRegions", {{{"Region", "eu-west-1"}}}}}},
      {&RestoreSecret, nlohmann::json::object()},
      {&RotateSecret, {{"ClientRequestToken", token}}},
      {&StopReplicationToReplica, nlohmann::json::object()},
      {&TagResource, {{"Tags", {{{"Key", "k"}, {"Value", "v"}}}}}},
      {&UntagResource, {{"TagKeys", {"k"}}}},
      {&UpdateSecret, {{"Description", "d"}}},
      {&UpdateSecretVersionStage, {{"VersionStage", "blue"}}},
      {&ValidateResourcePolicy, {{"ResourcePolicy", R"({"Version":"2012-10-17","Statement":[]})"}}},
  };
  return operations;
}

TEST_F(InvalidSecretIdTest, EveryOperationTakingASecretId_RefusesAnInvalidName) {
  for (const auto& bad : {"bad name", "db:1", "x*y",
                          "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf#k"}) {
    for (const auto& [operation, members] : SecretIdOperations()) {
      nlohmann::json input = members;
      input["SecretId"] = bad;
      ApiError error = Fails(operation, input);
      EXPECT_EQ(error.code(), ErrorCode::kValidation) << input.dump();
      EXPECT_STREQ(error.what(), InvalidSecretName().what()) << input.dump();
    }
  }
}

// The name is a validation error: it comes before the checks an operation
// makes of its other members (CreateSecret's Name likewise).
TEST_F(InvalidSecretIdTest, AnInvalidName_IsReportedBeforeTheOperationsOtherChecks) {
  const std::vector<std::pair<OperationHandler, nlohmann::json>> requests = {
      {&PutSecretValue, nlohmann::json::object()},                       // no value
      {&PutSecretValue, {{"SecretString", "v"}}},                        // no token
      {&RotateSecret, nlohmann::json::object()},                         // no token
      {&UpdateSecret, {{"SecretString", "v"}}},                          // no token
      {&TagResource, {{"Tags", {{{"Key", "aws:x"}, {"Value", "v"}}}}}},  // reserved key
      {&DeleteSecret, {{"RecoveryWindowInDays", 7}, {"ForceDeleteWithoutRecovery", true}}},
  };
  for (const auto& [operation, members] : requests) {
    nlohmann::json input = members;
    input["SecretId"] = "bad name";
    ApiError error = Fails(operation, input);
    EXPECT_EQ(error.code(), ErrorCode::kValidation) << input.dump();
    EXPECT_STREQ(error.what(), InvalidSecretName().what()) << input.dump();
  }
}

TEST_F(InvalidSecretIdTest, ValidNamesAndArns_AreLookedUp_NotRefused) {
  for (const auto& missing :
       {"missing", "arn:aws:secretsmanager:us-east-1:123456789012:secret:missing"}) {
    for (const auto& [operation, members] : SecretIdOperations()) {
      nlohmann::json input = members;
      input["SecretId"] = missing;
      if (input.value("ForceDeleteWithoutRecovery", false))
        continue;  // succeeds for a missing secret
      EXPECT_EQ(Fails(operation, input).code(), ErrorCode::kResourceNotFound) << input.dump();
    }
  }
}

TEST_F(InvalidSecretIdTest, ForcedDeleteOfAnInvalidName_IsRefused_ButOfAMissingNameSucceeds) {
  EXPECT_EQ(
      Fails(&DeleteSecret, {{"SecretId", "bad name"}, {"ForceDeleteWithoutRecovery", true}}).code(),
      ErrorCode::kValidation);
  EXPECT_EQ(
      Call(&DeleteSecret, {{"SecretId", "gone"}, {"ForceDeleteWithoutRecovery", true}})["Name"],
      "gone");
}

TEST_F(InvalidSecretIdTest, BatchGetSecretValue_ReportsAnInvalidNameAmongItsErrors) {
  Create("good", "v");
  auto out = Call(&BatchGetSecretValue, {{"SecretIdList", {"good", "bad name"}}});
  ASSERT_EQ(out["SecretValues"].size(), 1u);
  EXPECT_EQ(out["SecretValues"][0]["Name"], "good");
  ASSERT_EQ(out["Errors"].size(), 1u);
  EXPECT_EQ(out["Errors"][0]["SecretId"], "bad name");
  EXPECT_EQ(out["Errors"][0]["ErrorCode"], "ValidationException");
  EXPECT_EQ(out["Errors"][0]["Message"], InvalidSecretName().what());
}

}  // namespace
}  // namespace sml::api::operations::testing
