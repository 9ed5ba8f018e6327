#include "tests/unit/api/operations/lifecycle_fixture.h"

namespace sml::api::operations::testing {
namespace {

using CreateSecretTest = LifecycleTest;

TEST_F(CreateSecretTest, CreateSecret_ReturnsArnWithSixCharSuffixNameAndVersionId) {
  auto out = Create("app/db");
  EXPECT_EQ(out["Name"], "app/db");
  std::string arn = out["ARN"];
  const std::string prefix = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-";
  ASSERT_TRUE(arn.starts_with(prefix));
  EXPECT_EQ(arn.size(), prefix.size() + 6);
  EXPECT_EQ(out["VersionId"], Token('a'));
  EXPECT_FALSE(out.contains("ReplicationStatus"));
}

TEST_F(CreateSecretTest, CreateSecret_FirstVersionIsAwsCurrent) {
  Create("s", "hello");
  auto got = Get("s");
  EXPECT_EQ(got["SecretString"], "hello");
  EXPECT_EQ(got["VersionStages"], Stages{"AWSCURRENT"});
}

TEST_F(CreateSecretTest, CreateSecret_WithoutValueHasNoVersionAndNoVersionId) {
  auto out = Call(&CreateSecret, {{"Name", "empty"}});
  EXPECT_FALSE(out.contains("VersionId"));
  EXPECT_TRUE(StagesOf("empty").empty());
}

TEST_F(CreateSecretTest, CreateSecret_ValueWithoutTokenIsMissingClientRequestToken) {
  auto error = Fails(&CreateSecret, {{"Name", "s"}, {"SecretString", "x"}});
  EXPECT_EQ(error.code(), ErrorCode::kInvalidRequest);
  EXPECT_STREQ(error.what(), MissingClientRequestToken().what());
}

TEST_F(CreateSecretTest, CreateSecret_BothValuesIsInvalidParameter) {
  auto error = Fails(&CreateSecret, {{"Name", "s"},
                                     {"SecretString", "x"},
                                     {"SecretBinary", "AQID"},
                                     {"ClientRequestToken", Token('a')}});
  EXPECT_EQ(error.code(), ErrorCode::kInvalidParameter);
  EXPECT_STREQ(error.what(),
               "You can't specify both a binary secret value and a string secret value in the "
               "same secret.");
}

TEST_F(CreateSecretTest, CreateSecret_BadNameIsValidationExceptionInvalidName) {
  auto error = Fails(&CreateSecret, {{"Name", "bad name!"}});
  EXPECT_EQ(error.code(), ErrorCode::kValidation);
  EXPECT_STREQ(error.what(), InvalidSecretName().what());
}

TEST_F(CreateSecretTest, CreateSecret_NameLongerThan512IsValidationException) {
  EXPECT_EQ(Fails(&CreateSecret, {{"Name", std::string(513, 'n')}}).code(), ErrorCode::kValidation);
}

TEST_F(CreateSecretTest, CreateSecret_ShortTokenIsValidationException) {
  EXPECT_EQ(
      Fails(&CreateSecret, {{"Name", "s"}, {"SecretString", "x"}, {"ClientRequestToken", "short"}})
          .code(),
      ErrorCode::kValidation);
}

TEST_F(CreateSecretTest, CreateSecret_ExistingNameIsResourceExists) {
  Call(&CreateSecret, {{"Name", "s"}});
  auto error = Fails(&CreateSecret, {{"Name", "s"}});
  EXPECT_EQ(error.code(), ErrorCode::kResourceExists);
  EXPECT_STREQ(error.what(), "The operation failed because the secret s already exists.");
}

TEST_F(CreateSecretTest, CreateSecret_NameScheduledForDeletionIsInvalidRequest) {
  Call(&CreateSecret, {{"Name", "s"}});
  Call(&DeleteSecret, {{"SecretId", "s"}});
  auto error = Fails(&CreateSecret, {{"Name", "s"}});
  EXPECT_EQ(error.code(), ErrorCode::kInvalidRequest);
  EXPECT_STREQ(error.what(),
               "You can't create this secret because a secret with this name is already "
               "scheduled for deletion.");
}

TEST_F(CreateSecretTest, CreateSecret_RetryWithSameTokenAndValueReturnsTheSameSecret) {
  auto first = Create("s", "x");
  auto again = Create("s", "x");
  EXPECT_EQ(again, first);
  EXPECT_EQ(StagesOf("s").size(), 1u);
}

TEST_F(CreateSecretTest, CreateSecret_TokenInUseWithOtherData_IsReportedBeforeTheName) {
  Create("s", "x");
  const std::string arn = Record("s")->arn;
  auto error = Fails(&CreateSecret,
                     {{"Name", "s"}, {"SecretString", "y"}, {"ClientRequestToken", Token('a')}});
  EXPECT_EQ(error.code(), ErrorCode::kResourceExists);
  EXPECT_EQ(std::string(error.what()),
            "You can't use ClientRequestToken " + Token('a') +
                " because that value is already in use for a version of secret " + arn + ".");
  // No value at all is other data too.
  EXPECT_STREQ(Fails(&CreateSecret, {{"Name", "s"}, {"ClientRequestToken", Token('a')}}).what(),
               error.what());
  // A token the secret does not know: the name is what is in the way.
  EXPECT_STREQ(Fails(&CreateSecret,
                     {{"Name", "s"}, {"SecretString", "y"}, {"ClientRequestToken", Token('z')}})
                   .what(),
               "The operation failed because the secret s already exists.");
  EXPECT_EQ(Get("s")["SecretString"], "x");
}

TEST_F(CreateSecretTest, CreateSecret_StoresDescriptionKmsKeyTypeAndTags) {
  Call(&CreateSecret, {{"Name", "s"},
                       {"Description", "d"},
                       {"KmsKeyId", "alias/mine"},
                       {"Type", "partner"},
                       {"Tags", {{{"Key", "team"}, {"Value", "core"}}}}});
  auto record = Record("s");
  ASSERT_TRUE(record);
  EXPECT_EQ(record->description, "d");
  EXPECT_EQ(record->kms_key_id, "alias/mine");
  EXPECT_EQ(record->type, "partner");
  ASSERT_TRUE(record->tags);
  EXPECT_EQ(*record->tags, (std::vector<storage::Tag>{{"team", "core"}}));
  EXPECT_EQ(record->created_date, kStart);
}

TEST_F(CreateSecretTest, CreateSecret_WithoutTagsLeavesTagsUnset) {
  Call(&CreateSecret, {{"Name", "s"}});
  EXPECT_FALSE(Record("s")->tags);
}

TEST_F(CreateSecretTest, CreateSecret_ReservedTagPrefixIsInvalidParameter) {
  auto error =
      Fails(&CreateSecret, {{"Name", "s"}, {"Tags", {{{"Key", "AWS:x"}, {"Value", "1"}}}}});
  EXPECT_EQ(error.code(), ErrorCode::kInvalidParameter);
  EXPECT_STREQ(error.what(), "You can't modify system tags. Tag key: 'AWS:x'.");
  EXPECT_FALSE(Record("s"));
}

TEST_F(CreateSecretTest, CreateSecret_BadReplicaRegionIsValidationException) {
  EXPECT_EQ(
      Fails(&CreateSecret, {{"Name", "s"}, {"AddReplicaRegions", {{{"Region", "EU"}}}}}).code(),
      ErrorCode::kValidation);
}

TEST_F(CreateSecretTest, CreateSecret_BinaryValueRoundTrips) {
  Call(&CreateSecret,
       {{"Name", "b"}, {"SecretBinary", "AAEC/w=="}, {"ClientRequestToken", Token('a')}});
  auto got = Get("b");
  EXPECT_EQ(got["SecretBinary"], "AAEC/w==");
  EXPECT_FALSE(got.contains("SecretString"));
}

TEST_F(CreateSecretTest, CreateSecret_GivesTheSchedulerNothingToWaitFor) {
  Create("s");
  EXPECT_TRUE(listener.changed.empty());
}

TEST_F(CreateSecretTest, CreateSecret_WithReplicas_NotifiesTheChangeListener) {
  Call(&CreateSecret, {{"Name", "s"},
                       {"SecretString", "v1"},
                       {"ClientRequestToken", Token('a')},
                       {"AddReplicaRegions", {{{"Region", "eu-west-1"}}}}});
  EXPECT_EQ(listener.changed, std::vector<std::int64_t>{Record("s")->id});
}

}  // namespace
}  // namespace sml::api::operations::testing
