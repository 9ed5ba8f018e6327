#include "tests/unit/api/operations/lifecycle_fixture.h"

namespace sml::api::operations::testing {
namespace {

using UpdateSecretVersionStageTest = LifecycleTest;

TEST_F(UpdateSecretVersionStageTest, UpdateSecretVersionStage_MovesAwsCurrentAndAwsPrevious) {
  Create("s", "v1");
  Put("s", 'b', "v2");                        // a: AWSPREVIOUS, b: AWSCURRENT
  Put("s", 'c', "v3", Stages{"AWSPENDING"});  // c: AWSPENDING
  auto out = Call(&UpdateSecretVersionStage, {{"SecretId", "s"},
                                              {"VersionStage", "AWSCURRENT"},
                                              {"RemoveFromVersionId", Token('b')},
                                              {"MoveToVersionId", Token('c')}});
  EXPECT_EQ(out, (nlohmann::json{{"ARN", Record("s")->arn}, {"Name", "s"}}));
  auto stages = StagesOf("s");
  EXPECT_EQ(stages[Token('a')], Stages{});
  EXPECT_EQ(stages[Token('b')], Stages{"AWSPREVIOUS"});
  EXPECT_EQ(stages[Token('c')], (Stages{"AWSCURRENT", "AWSPENDING"}));
}

TEST_F(UpdateSecretVersionStageTest,
       UpdateSecretVersionStage_RemoveFromWrongVersionIsInvalidParameter) {
  Create("s", "v1");
  Put("s", 'b', "v2", Stages{"AWSPENDING"});
  auto error = Fails(&UpdateSecretVersionStage, {{"SecretId", "s"},
                                                 {"VersionStage", "AWSCURRENT"},
                                                 {"RemoveFromVersionId", Token('b')},
                                                 {"MoveToVersionId", Token('b')}});
  EXPECT_EQ(error.code(), ErrorCode::kInvalidParameter);
  EXPECT_EQ(StagesOf("s")[Token('a')], Stages{"AWSCURRENT"});
}

TEST_F(UpdateSecretVersionStageTest,
       UpdateSecretVersionStage_MoveWithoutRemoveFromIsInvalidParameter) {
  Create("s", "v1");
  Put("s", 'b', "v2", Stages{"AWSPENDING"});
  auto error =
      Fails(&UpdateSecretVersionStage,
            {{"SecretId", "s"}, {"VersionStage", "AWSCURRENT"}, {"MoveToVersionId", Token('b')}});
  EXPECT_EQ(error.code(), ErrorCode::kInvalidParameter);
  EXPECT_NE(std::string(error.what()).find(Token('a')), std::string::npos);
}

TEST_F(UpdateSecretVersionStageTest, UpdateSecretVersionStage_WorksWithoutAwsCurrent) {
  Call(&CreateSecret, {{"Name", "s"}});
  Put("s", 'b', "v", Stages{"AWSPENDING"});
  Call(&UpdateSecretVersionStage,
       {{"SecretId", "s"}, {"VersionStage", "AWSCURRENT"}, {"MoveToVersionId", Token('b')}});
  EXPECT_EQ(Get("s")["VersionId"], Token('b'));
}

TEST_F(UpdateSecretVersionStageTest, UpdateSecretVersionStage_UnknownVersionIsResourceNotFound) {
  Create("s");
  EXPECT_EQ(Fails(&UpdateSecretVersionStage,
                  {{"SecretId", "s"}, {"VersionStage", "x"}, {"MoveToVersionId", Token('z')}})
                .code(),
            ErrorCode::kResourceNotFound);
}

TEST_F(UpdateSecretVersionStageTest, UpdateSecretVersionStage_RemovingLastLabelDeprecatesVersion) {
  Create("s", "v1");
  Put("s", 'b', "v2", Stages{"AWSPENDING"});
  Call(&UpdateSecretVersionStage,
       {{"SecretId", "s"}, {"VersionStage", "AWSPENDING"}, {"RemoveFromVersionId", Token('b')}});
  auto listed = Call(&ListSecretVersionIds, {{"SecretId", "s"}});
  ASSERT_EQ(listed["Versions"].size(), 1u);
  EXPECT_EQ(listed["Versions"][0]["VersionId"], Token('a'));
}

TEST_F(UpdateSecretVersionStageTest, UpdateSecretVersionStage_VersionStageIsRequired) {
  Create("s");
  EXPECT_EQ(Fails(&UpdateSecretVersionStage, {{"SecretId", "s"}}).code(), ErrorCode::kValidation);
}

TEST_F(UpdateSecretVersionStageTest, UpdateSecretVersionStage_TwentyFirstLabelIsLimitExceeded) {
  Create("s", "v1");
  Stages twenty;
  for (int i = 0; i < 20; ++i) twenty.push_back("l" + std::to_string(i));
  Put("s", 'b', "v2", twenty);
  EXPECT_EQ(Fails(&UpdateSecretVersionStage,
                  {{"SecretId", "s"}, {"VersionStage", "extra"}, {"MoveToVersionId", Token('b')}})
                .code(),
            ErrorCode::kLimitExceeded);
}

TEST_F(UpdateSecretVersionStageTest, UpdateSecretVersionStage_MarkedForDeletionIsInvalidRequest) {
  Create("s");
  Call(&DeleteSecret, {{"SecretId", "s"}});
  EXPECT_STREQ(Fails(&UpdateSecretVersionStage,
                     {{"SecretId", "s"}, {"VersionStage", "x"}, {"MoveToVersionId", Token('a')}})
                   .what(),
               MarkedForDeletion().what());
}

}  // namespace
}  // namespace sml::api::operations::testing
