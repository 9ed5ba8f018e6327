#include <gtest/gtest.h>

#include "tests/unit/api/operations/resource_policy_fixture.h"

namespace sml::api::operations::testing {
namespace {

using DeleteResourcePolicyTest = ResourcePolicyTest;

TEST_F(DeleteResourcePolicyTest, DeleteResourcePolicy_RemovesThePolicy) {
  auto secret = Insert("db", [](storage::SecretRecord& s) { s.resource_policy = kPrivatePolicy; });
  clock.Advance(5'000);

  auto output = Call(&DeleteResourcePolicy, {{"SecretId", "db"}});

  EXPECT_EQ(output, (nlohmann::json{{"ARN", secret.arn}, {"Name", "db"}}));
  auto stored = Stored(secret.id);
  EXPECT_FALSE(stored.resource_policy);
  EXPECT_EQ(stored.last_changed_date, kCreated + 5'000);
  EXPECT_EQ(listener.changed, std::vector<std::int64_t>{secret.id});
  EXPECT_FALSE(Call(&GetResourcePolicy, {{"SecretId", "db"}}).contains("ResourcePolicy"));
}

TEST_F(DeleteResourcePolicyTest, DeleteResourcePolicy_WithoutPolicy_SucceedsAndChangesNothing) {
  auto secret = Insert("db");
  clock.Advance(5'000);

  auto output = Call(&DeleteResourcePolicy, {{"SecretId", secret.arn}});
  Call(&DeleteResourcePolicy, {{"SecretId", "db"}});

  EXPECT_EQ(output, (nlohmann::json{{"ARN", secret.arn}, {"Name", "db"}}));
  EXPECT_EQ(Stored(secret.id).last_changed_date, kCreated);
  EXPECT_TRUE(listener.changed.empty());
}

TEST_F(DeleteResourcePolicyTest, DeleteResourcePolicy_MissingSecret_IsResourceNotFound) {
  EXPECT_EQ(Fails(&DeleteResourcePolicy, {{"SecretId", "nope"}}).code(),
            ErrorCode::kResourceNotFound);
}

TEST_F(DeleteResourcePolicyTest, DeleteResourcePolicy_SecretMarkedForDeletion_IsInvalidRequest) {
  auto secret = Insert("db", [](storage::SecretRecord& s) {
    s.resource_policy = kPrivatePolicy;
    s.deleted_date = kCreated;
    s.deletion_date = kCreated + 7 * 86'400'000LL;
  });
  ApiError error = Fails(&DeleteResourcePolicy, {{"SecretId", "db"}});
  EXPECT_EQ(error.code(), ErrorCode::kInvalidRequest);
  EXPECT_STREQ(error.what(), kMarkedForDeletion);
  EXPECT_EQ(Stored(secret.id).resource_policy, kPrivatePolicy);
}

TEST_F(DeleteResourcePolicyTest, DeleteResourcePolicy_Replica_IsRefused) {
  auto secret = Insert("db", [](storage::SecretRecord& s) {
    s.resource_policy = kPrivatePolicy;
    s.primary_region = "eu-west-1";
  });
  ApiError error = Fails(&DeleteResourcePolicy, {{"SecretId", "db"}});
  EXPECT_EQ(error.code(), ErrorCode::kInvalidParameter);
  EXPECT_STREQ(error.what(), kReplicaRefused);
  EXPECT_EQ(Stored(secret.id).resource_policy, kPrivatePolicy);
}

}  // namespace
}  // namespace sml::api::operations::testing
