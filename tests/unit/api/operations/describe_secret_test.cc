#include <gtest/gtest.h>

#include "api/operations/operations.h"
#include "tests/unit/api/operations/listing_fixture.h"

namespace sml::api::testing {
namespace {

using DescribeSecretTest = ListingTest;

TEST_F(DescribeSecretTest, DescribeSecret_ByNameAndArn_ShowsVersionIdsToStages) {
  auto secret = AddSecret("app/db", [](auto& s) { s.description = "the db"; });
  for (const auto& id : {secret.name, secret.arn}) {
    auto out = Call(&operations::DescribeSecret, {{"SecretId", id}});
    EXPECT_EQ(out["ARN"], secret.arn);
    EXPECT_EQ(out["Name"], "app/db");
    EXPECT_EQ(out["Description"], "the db");
    EXPECT_EQ(out["VersionIdsToStages"], (nlohmann::json{{"version-app/db", {"AWSCURRENT"}}}));
    EXPECT_EQ(out["CreatedDate"], kStart / 1000);
    EXPECT_FALSE(out.contains("Tags"));
    EXPECT_FALSE(out.contains("RotationEnabled"));
  }
}

TEST_F(DescribeSecretTest, DescribeSecret_SecretWithoutValue_OmitsVersionIdsToStages) {
  AddSecret("empty", {}, std::nullopt);
  auto out = Call(&operations::DescribeSecret, {{"SecretId", "empty"}});
  EXPECT_FALSE(out.contains("VersionIdsToStages"));
}

TEST_F(DescribeSecretTest, DescribeSecret_WorksOnSecretScheduledForDeletion) {
  AddSecret("gone", [](auto& s) {
    s.deleted_date = kStart + 1000;
    s.deletion_date = kStart + 1000 + 7 * 86'400'000LL;
  });
  auto out = Call(&operations::DescribeSecret, {{"SecretId", "gone"}});
  EXPECT_EQ(out["DeletedDate"], (kStart + 1000) / 1000);
}

TEST_F(DescribeSecretTest, DescribeSecret_Missing_IsResourceNotFound) {
  auto error = CallError(&operations::DescribeSecret, {{"SecretId", "nope"}});
  EXPECT_EQ(error.code(), ErrorCode::kResourceNotFound);
  EXPECT_STREQ(error.what(), "Secrets Manager can't find the specified secret.");
}

TEST_F(DescribeSecretTest, DescribeSecret_WithoutSecretId_IsValidationException) {
  auto error = CallError(&operations::DescribeSecret, nlohmann::json::object());
  EXPECT_EQ(error.code(), ErrorCode::kValidation);
}

}  // namespace
}  // namespace sml::api::testing

namespace sml::api::testing {
namespace {

TEST_F(DescribeSecretTest, DescribeSecret_AfterCreateSecret_OmitsUnsetKeys) {
  Call(&operations::CreateSecret,
       {{"Name", "made"}, {"SecretString", "s"}, {"ClientRequestToken", std::string(36, 'a')}});
  auto out = Call(&operations::DescribeSecret, {{"SecretId", "made"}});
  for (const char* key : {"Tags", "Description", "KmsKeyId", "DeletedDate", "RotationEnabled",
                          "RotationRules", "LastAccessedDate", "ReplicationStatus"}) {
    EXPECT_FALSE(out.contains(key)) << key << " in " << out.dump();
  }
  EXPECT_EQ(out["VersionIdsToStages"], (nlohmann::json{{std::string(36, 'a'), {"AWSCURRENT"}}}));
  auto listed = Call(&operations::ListSecrets, nlohmann::json::object());
  ASSERT_EQ(listed["SecretList"].size(), 1u);
  EXPECT_EQ(listed["SecretList"][0]["SecretVersionsToStages"], out["VersionIdsToStages"]);
}

}  // namespace
}  // namespace sml::api::testing
