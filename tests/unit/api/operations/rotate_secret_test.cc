#include <gtest/gtest.h>

#include "api/rotation/rotation_starter.h"
#include "api/rotation/rotation_state.h"
#include "lifecycle_fixture.h"

namespace sml::api::operations {
namespace {

using testing::kStart;

constexpr char kFunction[] = "arn:aws:lambda:us-east-1:123456789012:function:rotate";

// Records what RotateSecret hands over instead of running handlers.
class RecordingStarter : public RotationStarter {
 public:
  bool HasHandler(std::string_view arn) override { return arn == kFunction || arn == "rotate"; }
  void Start(RotationRun run) override { runs.push_back(std::move(run)); }
  std::vector<RotationRun> runs;
};

class RotateSecretTest : public testing::LifecycleTest {
 protected:
  RotateSecretTest() { services.rotation_starter = &starter; }

  nlohmann::json Rotate(const std::string& name, char token, nlohmann::json extra = nlohmann::json::object()) {
    nlohmann::json input = {{"SecretId", name}, {"ClientRequestToken", Token(token)}};
    input.update(extra);
    return Call(&RotateSecret, input);
  }

  // Takes AWSPENDING off the placeholder a RotateSecret left, so that the
  // next one may start (the RecordingStarter runs nothing).
  void FinishPending(const std::string& name, char token) {
    Call(&UpdateSecretVersionStage, {{"SecretId", name},
                                     {"VersionStage", "AWSPENDING"},
                                     {"RemoveFromVersionId", Token(token)}});
  }

  RecordingStarter starter;
};

TEST_F(RotateSecretTest, CreatesAnEmptyPendingVersion_AndHandsTheRunOver) {
  Create("db");
  auto out = Rotate("db", 'p', {{"RotationLambdaARN", kFunction},
                                {"RotationRules", {{"AutomaticallyAfterDays", 30}}}});
  EXPECT_EQ(out["VersionId"], Token('p'));
  ASSERT_EQ(starter.runs.size(), 1u);
  EXPECT_EQ(starter.runs[0].token, Token('p'));
  EXPECT_EQ(starter.runs[0].trigger, RotationTrigger::kManual);
  EXPECT_FALSE(starter.runs[0].test_only);

  auto described = Call(&DescribeSecret, {{"SecretId", "db"}});
  EXPECT_EQ(described["VersionIdsToStages"][Token('p')], nlohmann::json({"AWSPENDING"}));
  EXPECT_EQ(described["VersionIdsToStages"][Token('a')], nlohmann::json({"AWSCURRENT"}));
  EXPECT_EQ(described["RotationEnabled"], true);
  EXPECT_EQ(described["RotationRules"], nlohmann::json({{"AutomaticallyAfterDays", 30}}));
  // Pending has no value yet: AWSPENDING reads fail as on AWS.
  EXPECT_EQ(Fails(&GetSecretValue, {{"SecretId", "db"}, {"VersionStage", "AWSPENDING"}}).code(),
            ErrorCode::kResourceNotFound);
}

TEST_F(RotateSecretTest, WithoutRules_EnablesRotationWithoutASchedule) {
  Create("db");
  Rotate("db", 'p', {{"RotationLambdaARN", kFunction}});
  ASSERT_EQ(starter.runs.size(), 1u);
  auto described = Call(&DescribeSecret, {{"SecretId", "db"}});
  EXPECT_EQ(described["RotationEnabled"], true);
  EXPECT_EQ(described["RotationLambdaARN"], kFunction);
  EXPECT_FALSE(described.contains("RotationRules"));
  EXPECT_FALSE(described.contains("NextRotationDate"));
}

TEST_F(RotateSecretTest, StoredFunctionWithoutRules_EnablesRotationAgainAfterCancel) {
  Create("db");
  Rotate("db", 'p', {{"RotationLambdaARN", kFunction}});
  Call(&UpdateSecretVersionStage,
       {{"SecretId", "db"}, {"VersionStage", "AWSPENDING"}, {"RemoveFromVersionId", Token('p')}});
  Call(&CancelRotateSecret, {{"SecretId", "db"}});
  EXPECT_EQ(Call(&DescribeSecret, {{"SecretId", "db"}})["RotationEnabled"], false);
  Rotate("db", 'q');  // the stored function
  auto described = Call(&DescribeSecret, {{"SecretId", "db"}});
  EXPECT_EQ(described["RotationEnabled"], true);
  ASSERT_EQ(starter.runs.size(), 2u);
  EXPECT_EQ(starter.runs[1].lambda_arn, kFunction);
}

TEST_F(RotateSecretTest, StoresScheduleExpressionAndDurationExactlyAsGiven) {
  Create("db");
  nlohmann::json rules = {{"ScheduleExpression", "cron(0 4 ? * MON *)"}, {"Duration", "3h"}};
  Rotate("db", 'p', {{"RotationLambdaARN", kFunction}, {"RotationRules", rules}});
  auto described = Call(&DescribeSecret, {{"SecretId", "db"}});
  EXPECT_EQ(described["RotationRules"], rules);
  ASSERT_TRUE(described.contains("NextRotationDate"));
}

constexpr char kRole[] = "arn:aws:iam::123456789012:role/partner-rotation";

TEST_F(RotateSecretTest, ExternalRotation_IsShownByDescribeAndList_InTheOrderGiven) {
  Create("db");
  const nlohmann::json metadata = {{{"Key", "b"}, {"Value", "2"}}, {{"Key", "a"}, {"Value", "1"}}};
  Rotate("db", 'p',
         {{"RotationLambdaARN", kFunction},
          {"ExternalSecretRotationMetadata", metadata},
          {"ExternalSecretRotationRoleArn", kRole}});
  auto described = Call(&DescribeSecret, {{"SecretId", "db"}});
  EXPECT_EQ(described["ExternalSecretRotationMetadata"], metadata);
  EXPECT_EQ(described["ExternalSecretRotationRoleArn"], kRole);
  auto listed = Call(&ListSecrets, nlohmann::json::object());
  ASSERT_EQ(listed["SecretList"].size(), 1u);
  EXPECT_EQ(listed["SecretList"][0]["ExternalSecretRotationMetadata"], metadata);
  EXPECT_EQ(listed["SecretList"][0]["ExternalSecretRotationRoleArn"], kRole);
}

TEST_F(RotateSecretTest, ExternalRotation_AbsentUntilGiven) {
  Create("db");
  for (int rotated = 0; rotated < 2; ++rotated) {
    auto described = Call(&DescribeSecret, {{"SecretId", "db"}});
    EXPECT_FALSE(described.contains("ExternalSecretRotationMetadata"));
    EXPECT_FALSE(described.contains("ExternalSecretRotationRoleArn"));
    auto entry = Call(&ListSecrets, nlohmann::json::object())["SecretList"][0];
    EXPECT_FALSE(entry.contains("ExternalSecretRotationMetadata"));
    EXPECT_FALSE(entry.contains("ExternalSecretRotationRoleArn"));
    if (rotated == 0) Rotate("db", 'p', {{"RotationLambdaARN", kFunction}});
  }
}

TEST_F(RotateSecretTest, ExternalRotation_GivenAgainIsReplaced_LeftOutIsKept) {
  Create("db");
  const nlohmann::json first = {{{"Key", "k"}, {"Value", "v"}}};
  Rotate("db", 'p',
         {{"RotationLambdaARN", kFunction},
          {"ExternalSecretRotationMetadata", first},
          {"ExternalSecretRotationRoleArn", kRole}});
  FinishPending("db", 'p');
  Rotate("db", 'q');  // neither given
  auto described = Call(&DescribeSecret, {{"SecretId", "db"}});
  EXPECT_EQ(described["ExternalSecretRotationMetadata"], first);
  EXPECT_EQ(described["ExternalSecretRotationRoleArn"], kRole);

  FinishPending("db", 'q');
  const nlohmann::json second = {{{"Key", "other"}, {"Value", "x"}},
                                 {{"Key", "k"}, {"Value", "w"}}};
  Rotate("db", 'r', {{"ExternalSecretRotationMetadata", second}});
  described = Call(&DescribeSecret, {{"SecretId", "db"}});
  EXPECT_EQ(described["ExternalSecretRotationMetadata"], second);
  EXPECT_EQ(described["ExternalSecretRotationRoleArn"], kRole);

  FinishPending("db", 'r');
  const std::string other_role = "arn:aws:iam::123456789012:role/other";
  Rotate("db", 's', {{"ExternalSecretRotationRoleArn", other_role}});
  described = Call(&DescribeSecret, {{"SecretId", "db"}});
  EXPECT_EQ(described["ExternalSecretRotationMetadata"], second);
  EXPECT_EQ(described["ExternalSecretRotationRoleArn"], other_role);
}

TEST_F(RotateSecretTest, ExternalRotation_RefusedRequestStoresNothing) {
  Create("db");
  auto error =
      Fails(&RotateSecret, {{"SecretId", "db"},
                            {"ClientRequestToken", Token('p')},
                            {"RotationLambdaARN", kFunction},
                            {"ExternalSecretRotationMetadata", {{{"Key", "k"}, {"Value", ""}}}},
                            {"ExternalSecretRotationRoleArn", kRole}});
  EXPECT_EQ(error.code(), ErrorCode::kValidation);
  error = Fails(&RotateSecret, {{"SecretId", "db"},
                                {"ClientRequestToken", Token('p')},
                                {"ExternalSecretRotationRoleArn", kRole}});  // no function
  EXPECT_EQ(error.code(), ErrorCode::kInvalidRequest);
  auto described = Call(&DescribeSecret, {{"SecretId", "db"}});
  EXPECT_FALSE(described.contains("ExternalSecretRotationMetadata"));
  EXPECT_FALSE(described.contains("ExternalSecretRotationRoleArn"));
}

TEST_F(RotateSecretTest, NoFunctionGivenOrStored_IsInvalidRequest) {
  Create("db");
  auto error = Fails(&RotateSecret, {{"SecretId", "db"}, {"ClientRequestToken", Token('p')}});
  EXPECT_EQ(error.code(), ErrorCode::kInvalidRequest);
  EXPECT_STREQ(error.what(), "No Lambda rotation function ARN is associated with this secret.");
}

TEST_F(RotateSecretTest, UnregisteredFunction_IsAccessDenied_AndChangesNothing) {
  Create("db");
  auto error = Fails(&RotateSecret, {{"SecretId", "db"},
                                     {"ClientRequestToken", Token('p')},
                                     {"RotationLambdaARN", "arn:aws:lambda:us-east-1:1:function:x"}});
  EXPECT_EQ(error.code(), ErrorCode::kAccessDenied);
  EXPECT_FALSE(Call(&DescribeSecret, {{"SecretId", "db"}}).contains("RotationEnabled"));
}

TEST_F(RotateSecretTest, UnfinishedRotation_BlocksTheNext) {
  Create("db");
  Rotate("db", 'p', {{"RotationLambdaARN", kFunction}, {"RotationRules", {{"AutomaticallyAfterDays", 1}}}});
  auto error = Fails(&RotateSecret, {{"SecretId", "db"}, {"ClientRequestToken", Token('q')}});
  EXPECT_EQ(error.code(), ErrorCode::kInvalidRequest);
  EXPECT_STREQ(error.what(), "A previous rotation isn't complete. That rotation will be reattempted.");
}

TEST_F(RotateSecretTest, BothFrequencyAndExpression_IsInvalidParameter) {
  Create("db");
  auto error = Fails(&RotateSecret,
                     {{"SecretId", "db"},
                      {"ClientRequestToken", Token('p')},
                      {"RotationLambdaARN", kFunction},
                      {"RotationRules", {{"AutomaticallyAfterDays", 3}, {"ScheduleExpression", "rate(4 hours)"}}}});
  EXPECT_EQ(error.code(), ErrorCode::kInvalidParameter);
}

TEST_F(RotateSecretTest, RulesOutOfTheModelsBounds_AreValidationErrors) {
  Create("db");
  auto error = Fails(&RotateSecret, {{"SecretId", "db"},
                                     {"ClientRequestToken", Token('p')},
                                     {"RotationLambdaARN", kFunction},
                                     {"RotationRules", {{"AutomaticallyAfterDays", 1001}}}});
  EXPECT_EQ(error.code(), ErrorCode::kValidation);
  EXPECT_NE(std::string(error.what()).find("rotationRules.automaticallyAfterDays"), std::string::npos)
      << error.what();
}

TEST_F(RotateSecretTest, MissingToken_IsInvalidParameter) {
  Create("db");
  EXPECT_EQ(Fails(&RotateSecret, {{"SecretId", "db"}, {"RotationLambdaARN", kFunction}}).code(),
            ErrorCode::kInvalidParameter);
}

TEST_F(RotateSecretTest, RotateImmediatelyFalse_IsATestOnlyRun) {
  Create("db");
  Rotate("db", 'p', {{"RotationLambdaARN", "rotate"},
                     {"RotationRules", {{"AutomaticallyAfterDays", 2}}},
                     {"RotateImmediately", false}});
  ASSERT_EQ(starter.runs.size(), 1u);
  EXPECT_TRUE(starter.runs[0].test_only);
}

TEST_F(RotateSecretTest, RotateImmediatelyFalse_PendingVersionHoldsTheCurrentValueForTestSecret) {
  Create("db", "v1");
  Rotate("db", 'p', {{"RotationLambdaARN", "rotate"}, {"RotateImmediately", false}});
  // What testSecret reads (the AWS templates ask for the token and AWSPENDING).
  auto pending = Get("db", {{"VersionId", Token('p')}, {"VersionStage", "AWSPENDING"}});
  EXPECT_EQ(pending["SecretString"], "v1");
  EXPECT_EQ(Get("db")["VersionId"], Token('a'));
}

TEST_F(RotateSecretTest, RotateImmediatelyFalse_TheTestVersionIsRemovedAfterTheRun) {
  Create("db", "v1");
  Rotate("db", 'p', {{"RotationLambdaARN", "rotate"}, {"RotateImmediately", false}});
  ASSERT_EQ(starter.runs.size(), 1u);
  store->Write([&](storage::Repository& repo) {
    rotation::DropPendingVersion(repo, starter.runs[0].secret_id, starter.runs[0].token);
  });
  auto versions = Call(&ListSecretVersionIds, {{"SecretId", "db"}, {"IncludeDeprecated", true}});
  ASSERT_EQ(versions["Versions"].size(), 1u) << versions.dump();
  EXPECT_EQ(versions["Versions"][0]["VersionId"], Token('a'));
}

TEST_F(RotateSecretTest, TestOnlyRunWithTheCurrentVersionsId_KeepsThatVersion) {
  Create("db", "v1");
  Rotate("db", 'a', {{"RotationLambdaARN", "rotate"}, {"RotateImmediately", false}});
  store->Write([&](storage::Repository& repo) {
    rotation::DropPendingVersion(repo, starter.runs[0].secret_id, starter.runs[0].token);
  });
  EXPECT_EQ(StagesOf("db")[Token('a')], testing::Stages{"AWSCURRENT"});
  EXPECT_EQ(Get("db")["SecretString"], "v1");
}

TEST_F(RotateSecretTest, CancelRotateSecret_TurnsRotationOffAndNamesThePendingVersion) {
  Create("db");
  Rotate("db", 'p', {{"RotationLambdaARN", kFunction}, {"RotationRules", {{"AutomaticallyAfterDays", 2}}}});
  auto out = Call(&CancelRotateSecret, {{"SecretId", "db"}});
  EXPECT_EQ(out["VersionId"], Token('p'));
  auto described = Call(&DescribeSecret, {{"SecretId", "db"}});
  EXPECT_EQ(described["RotationEnabled"], false);
  EXPECT_FALSE(described.contains("NextRotationDate"));
  // CancelRotateSecret leaves AWSPENDING for the caller to remove.
  EXPECT_EQ(described["VersionIdsToStages"][Token('p')], nlohmann::json({"AWSPENDING"}));
}

TEST_F(RotateSecretTest, ManualPutSecretValue_CountsAsARotationForAutomaticallyAfterDays) {
  Create("db");
  Rotate("db", 'p', {{"RotationLambdaARN", kFunction}, {"RotationRules", {{"AutomaticallyAfterDays", 10}}}});
  Call(&UpdateSecretVersionStage, {{"SecretId", "db"}, {"VersionStage", "AWSPENDING"}, {"RemoveFromVersionId", Token('p')}});
  clock.Advance(5 * 86'400'000LL);
  Put("db", 'n', "by hand");
  auto next = Call(&DescribeSecret, {{"SecretId", "db"}})["NextRotationDate"].get<double>();
  // Due on the tenth UTC day after the manual change, not after the rotation.
  EXPECT_GE(next * 1000, static_cast<double>(kStart + 15 * 86'400'000LL - 86'400'000LL));
}

}  // namespace
}  // namespace sml::api::operations
