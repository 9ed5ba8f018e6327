#include "tests/unit/api/operations/lifecycle_fixture.h"

namespace sml::api::operations::testing {
namespace {

using ListSecretVersionIdsTest = LifecycleTest;

TEST_F(ListSecretVersionIdsTest, ListSecretVersionIds_EntryShapeWithDefaultKmsKey) {
  Create("s");
  auto out = Call(&ListSecretVersionIds, {{"SecretId", "s"}});
  EXPECT_EQ(out["Name"], "s");
  EXPECT_EQ(out["ARN"], Record("s")->arn);
  ASSERT_EQ(out["Versions"].size(), 1u);
  const auto& entry = out["Versions"][0];
  EXPECT_EQ(entry["VersionId"], Token('a'));
  EXPECT_EQ(entry["VersionStages"], Stages{"AWSCURRENT"});
  EXPECT_EQ(entry["CreatedDate"], kStart / 1000);
  EXPECT_EQ(entry["KmsKeyIds"], Stages{"DefaultEncryptionKey"});
  EXPECT_FALSE(entry.contains("LastAccessedDate"));  // never read yet
  EXPECT_FALSE(out.contains("NextToken"));
}

TEST_F(ListSecretVersionIdsTest, ListSecretVersionIds_UsesTheSecretsKmsKey) {
  Call(&CreateSecret, {{"Name", "s"},
                       {"KmsKeyId", "alias/k"},
                       {"SecretString", "x"},
                       {"ClientRequestToken", Token('a')}});
  auto out = Call(&ListSecretVersionIds, {{"SecretId", "s"}});
  EXPECT_EQ(out["Versions"][0]["KmsKeyIds"], Stages{"alias/k"});
}

TEST_F(ListSecretVersionIdsTest, ListSecretVersionIds_OmitsDeprecatedUnlessAsked) {
  Create("s", "v1");
  Put("s", 'b', "v2");
  Put("s", 'c', "v3");  // a is now deprecated
  EXPECT_EQ(Call(&ListSecretVersionIds, {{"SecretId", "s"}})["Versions"].size(), 2u);
  auto all = Call(&ListSecretVersionIds, {{"SecretId", "s"}, {"IncludeDeprecated", true}});
  ASSERT_EQ(all["Versions"].size(), 3u);
  EXPECT_EQ(all["Versions"][0]["VersionId"], Token('a'));
  EXPECT_FALSE(all["Versions"][0].contains("VersionStages"));
}

TEST_F(ListSecretVersionIdsTest, ListSecretVersionIds_PagesWithNextToken) {
  Create("s", "v1");
  Put("s", 'b', "v2", Stages{"x"});
  Put("s", 'c', "v3", Stages{"y"});
  auto first = Call(&ListSecretVersionIds, {{"SecretId", "s"}, {"MaxResults", 2}});
  ASSERT_EQ(first["Versions"].size(), 2u);
  ASSERT_TRUE(first.contains("NextToken"));
  auto second = Call(&ListSecretVersionIds,
                     {{"SecretId", "s"}, {"MaxResults", 2}, {"NextToken", first["NextToken"]}});
  ASSERT_EQ(second["Versions"].size(), 1u);
  EXPECT_EQ(second["Versions"][0]["VersionId"], Token('c'));
  EXPECT_FALSE(second.contains("NextToken"));
}

TEST_F(ListSecretVersionIdsTest, ListSecretVersionIds_InvalidNextTokenIsInvalidNextToken) {
  Create("s");
  EXPECT_EQ(Fails(&ListSecretVersionIds, {{"SecretId", "s"}, {"NextToken", "garbage!"}}).code(),
            ErrorCode::kInvalidNextToken);
}

TEST_F(ListSecretVersionIdsTest, ListSecretVersionIds_MaxResultsOutOfRangeIsValidationException) {
  Create("s");
  EXPECT_EQ(Fails(&ListSecretVersionIds, {{"SecretId", "s"}, {"MaxResults", 101}}).code(),
            ErrorCode::kValidation);
}

TEST_F(ListSecretVersionIdsTest, ListSecretVersionIds_WorksOnSecretScheduledForDeletion) {
  Create("s");
  Call(&DeleteSecret, {{"SecretId", "s"}});
  EXPECT_EQ(Call(&ListSecretVersionIds, {{"SecretId", "s"}})["Versions"].size(), 1u);
}

TEST_F(ListSecretVersionIdsTest, ListSecretVersionIds_SecretWithoutValueListsNothing) {
  Call(&CreateSecret, {{"Name", "s"}});
  EXPECT_TRUE(Call(&ListSecretVersionIds, {{"SecretId", "s"}})["Versions"].empty());
}

}  // namespace
}  // namespace sml::api::operations::testing
