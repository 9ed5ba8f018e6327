#include "tests/unit/api/operations/lifecycle_fixture.h"

namespace sml::api::operations::testing {
namespace {

using UpdateSecretTest = LifecycleTest;

TEST_F(UpdateSecretTest, UpdateSecret_WithValueCreatesNewAwsCurrent) {
  Create("s", "v1");
  auto out = Call(&UpdateSecret,
                  {{"SecretId", "s"}, {"SecretString", "v2"}, {"ClientRequestToken", Token('b')}});
  EXPECT_EQ(out["VersionId"], Token('b'));
  EXPECT_EQ(Get("s")["SecretString"], "v2");
  EXPECT_EQ(StagesOf("s")[Token('a')], Stages{"AWSPREVIOUS"});
}

TEST_F(UpdateSecretTest, UpdateSecret_WithoutValueOmitsVersionId) {
  Create("s");
  auto out = Call(&UpdateSecret, {{"SecretId", "s"}, {"Description", "new"}});
  EXPECT_FALSE(out.contains("VersionId"));
  EXPECT_EQ(out["Name"], "s");
  EXPECT_EQ(Record("s")->description, "new");
}

TEST_F(UpdateSecretTest, UpdateSecret_UpdatesKmsKeyIdAndType) {
  Create("s");
  Call(&UpdateSecret, {{"SecretId", "s"}, {"KmsKeyId", "alias/k"}, {"Type", "t"}});
  EXPECT_EQ(Record("s")->kms_key_id, "alias/k");
  EXPECT_EQ(Record("s")->type, "t");
}

TEST_F(UpdateSecretTest, UpdateSecret_NewKmsKeyId_AppliesToTheStagedVersionsOnly) {
  Create("s", "v1");                    // a: AWSPREVIOUS below
  Put("s", 'b', "v2");                  // b: AWSCURRENT
  Put("s", 'c', "v3", Stages{"blue"});  // c: a label of its own
  Put("s", 'd', "v4", Stages{"AWSPENDING"});
  Put("s", 'e', "v5", Stages{"blue"});  // c: deprecated now
  Call(&UpdateSecret, {{"SecretId", "s"}, {"KmsKeyId", "alias/new"}});
  std::map<std::string, nlohmann::json> keys;
  auto out = Call(&ListSecretVersionIds, {{"SecretId", "s"}, {"IncludeDeprecated", true}});
  for (const auto& version : out["Versions"]) keys[version["VersionId"]] = version["KmsKeyIds"];
  const auto new_key = nlohmann::json::array({"alias/new"});
  const auto old_key = nlohmann::json::array({"DefaultEncryptionKey"});
  EXPECT_EQ(keys[Token('a')], new_key);
  EXPECT_EQ(keys[Token('b')], new_key);
  EXPECT_EQ(keys[Token('d')], new_key);
  EXPECT_EQ(keys[Token('c')], old_key);
  EXPECT_EQ(keys[Token('e')], old_key);
  EXPECT_EQ(Get("s")["SecretString"], "v2");
  EXPECT_EQ(Get("s", {{"VersionStage", "AWSPREVIOUS"}})["SecretString"], "v1");
}

TEST_F(UpdateSecretTest, UpdateSecret_EmptyKmsKeyIdMeansDefaultKey) {
  Call(&CreateSecret, {{"Name", "s"}, {"KmsKeyId", "alias/k"}});
  Call(&UpdateSecret, {{"SecretId", "s"}, {"KmsKeyId", ""}});
  EXPECT_FALSE(Record("s")->kms_key_id);
}

TEST_F(UpdateSecretTest, UpdateSecret_SameTokenSameValueIsIdempotent) {
  Create("s", "v1");
  nlohmann::json input = {
      {"SecretId", "s"}, {"SecretString", "v2"}, {"ClientRequestToken", Token('b')}};
  Call(&UpdateSecret, input);
  auto again = Call(&UpdateSecret, input);
  EXPECT_EQ(again["VersionId"], Token('b'));
  EXPECT_EQ(StagesOf("s").size(), 2u);
}

TEST_F(UpdateSecretTest, UpdateSecret_SameTokenDifferentValueIsResourceExists) {
  Create("s", "v1");
  auto error =
      Fails(&UpdateSecret,
            {{"SecretId", "s"}, {"SecretString", "zz"}, {"ClientRequestToken", Token('a')}});
  EXPECT_EQ(error.code(), ErrorCode::kResourceExists);
  EXPECT_STREQ(error.what(), ClientRequestTokenInUse(Token('a'), Record("s")->arn).what());
  EXPECT_EQ(Get("s")["SecretString"], "v1");
}

TEST_F(UpdateSecretTest, UpdateSecret_MovingAwsCurrentOffAVersionWithAwsPending_TakesPendingAlong) {
  Create("s", "v1");
  Call(&UpdateSecretVersionStage,
       {{"SecretId", "s"}, {"VersionStage", "AWSPENDING"}, {"MoveToVersionId", Token('a')}});
  Call(&UpdateSecret,
       {{"SecretId", "s"}, {"SecretString", "v2"}, {"ClientRequestToken", Token('b')}});
  auto stages = StagesOf("s");
  EXPECT_EQ(stages[Token('a')], Stages{"AWSPREVIOUS"});
  EXPECT_EQ(stages[Token('b')], Stages{"AWSCURRENT"});
}

TEST_F(UpdateSecretTest, UpdateSecret_ValueWithoutTokenIsMissingClientRequestToken) {
  Create("s");
  EXPECT_STREQ(Fails(&UpdateSecret, {{"SecretId", "s"}, {"SecretString", "x"}}).what(),
               MissingClientRequestToken().what());
}

TEST_F(UpdateSecretTest, UpdateSecret_BothValuesIsInvalidParameter) {
  Create("s");
  EXPECT_EQ(Fails(&UpdateSecret, {{"SecretId", "s"},
                                  {"SecretString", "x"},
                                  {"SecretBinary", "AQID"},
                                  {"ClientRequestToken", Token('b')}})
                .code(),
            ErrorCode::kInvalidParameter);
}

TEST_F(UpdateSecretTest, UpdateSecret_MarkedForDeletionIsInvalidRequest) {
  Create("s");
  Call(&DeleteSecret, {{"SecretId", "s"}});
  EXPECT_STREQ(Fails(&UpdateSecret, {{"SecretId", "s"}, {"Description", "x"}}).what(),
               MarkedForDeletion().what());
}

TEST_F(UpdateSecretTest, UpdateSecret_SetsLastChangedDate) {
  Create("s");
  clock.Advance(7000);
  Call(&UpdateSecret, {{"SecretId", "s"}, {"Description", "x"}});
  EXPECT_EQ(Record("s")->last_changed_date, kStart + 7000);
}

}  // namespace
}  // namespace sml::api::operations::testing
