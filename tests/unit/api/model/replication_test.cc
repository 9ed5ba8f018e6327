#include "api/model/replication.h"

#include "tests/unit/api/operations/replication_fixture.h"

namespace sml::api::model {
namespace {

using operations::testing::kStart;
using operations::testing::ReplicationTest;

TEST(ReplicationModelTest, ReplicaArn_ReplacesOnlyTheRegionAndKeepsTheSuffix) {
  EXPECT_EQ(ReplicaArn("arn:aws:secretsmanager:us-east-1:123456789012:secret:db/a:b-AbC123",
                       "eu-west-1"),
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db/a:b-AbC123");
}

TEST(ReplicationModelTest, IsRegionName_FollowsTheModelPattern) {
  EXPECT_TRUE(IsRegionName("eu-west-1"));
  EXPECT_TRUE(IsRegionName("us-gov-west-1"));
  EXPECT_FALSE(IsRegionName("EU-west-1"));
  EXPECT_FALSE(IsRegionName("euwest1"));
  EXPECT_FALSE(IsRegionName("eu--west-1"));
  EXPECT_FALSE(IsRegionName("eu-west-"));
}

TEST(ReplicationModelTest, ReplicaStatuses_RoundTripThroughTheStoredJson) {
  storage::SecretRecord primary;
  std::vector<ReplicaStatus> list = {
      {"eu-west-1", "alias/aws/secretsmanager", "InSync", "Replication succeeded", 1'732'492'800'000},
      {"ap-southeast-2", "key-1", "Failed", "Replication failed: x", std::nullopt}};
  SetReplicaStatuses(primary, list);
  EXPECT_EQ(ReplicaStatuses(primary), list);
  auto wire = ReplicationStatusJson(list);
  EXPECT_EQ(wire[0]["LastAccessedDate"], 1'732'492'800);
  EXPECT_FALSE(wire[1].contains("LastAccessedDate"));
  SetReplicaStatuses(primary, {});
  EXPECT_FALSE(primary.replication_status_json);
}

TEST(ReplicationModelTest, PrimaryRegionOf_PrimaryWithReplicasIsItsOwnRegion) {
  storage::SecretRecord secret;
  secret.region = "us-east-1";
  EXPECT_FALSE(PrimaryRegionOf(secret));
  SetReplicaStatuses(secret, {{"eu-west-1", "alias/aws/secretsmanager", "InSync", "", {}}});
  EXPECT_EQ(PrimaryRegionOf(secret), "us-east-1");
  storage::SecretRecord replica;
  replica.region = "eu-west-1";
  replica.primary_region = "us-east-1";
  EXPECT_EQ(PrimaryRegionOf(replica), "us-east-1");
}

TEST(ReplicationModelTest, RequireNoReplicas_NamesEveryReplicaRegion) {
  storage::SecretRecord secret;
  secret.arn = "arn:aws:secretsmanager:us-east-1:1:secret:s-AbC123";
  RequireNoReplicas(secret);  // none: no error
  SetReplicaStatuses(secret, {{"eu-west-1", "k", "InSync", "", {}}, {"us-west-2", "k", "Failed", "", {}}});
  try {
    RequireNoReplicas(secret);
    ADD_FAILURE() << "a primary with replicas was deletable";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidParameter);
    EXPECT_STREQ(e.what(),
                 "You can't delete secret arn:aws:secretsmanager:us-east-1:1:secret:s-AbC123 that "
                 "still has replica regions [eu-west-1, us-west-2].");
  }
}

using SyncReplicasTest = ReplicationTest;

TEST_F(SyncReplicasTest, SyncReplicas_MakesVersionsValuesLabelsAndFieldsEqual) {
  CreateReplicated("s", {"eu-west-1"});
  // Change the primary behind the operations' back, then sync by hand.
  store->Write([&](storage::Repository& repo) {
    auto primary = *repo.FindSecretByName(context.account_id, "us-east-1", "s");
    storage::VersionRecord next{.version_id = Token('b'), .created_date = kStart + 1};
    next.has_value = true;
    next.secret_string = "v2";
    repo.InsertVersion(primary.id, next);
    auto versions = repo.Versions(primary.id);
    versions[0].labels = {"AWSPREVIOUS"};
    versions[1].labels = {"AWSCURRENT", "custom"};
    repo.ReplaceLabels(primary.id, versions);
    primary.description = "d";
    primary.tags = std::vector<storage::Tag>{{"k", "v"}};
    primary.resource_policy = "{}";
    primary.external_rotation_metadata_json = R"([{"Key":"k","Value":"v"}])";
    primary.external_rotation_role_arn = "arn:aws:iam::000000000000:role/partner-rotation";
    repo.UpdateSecret(primary);
    SyncReplicas(repo, primary);
  });
  auto replica = *RecordIn("eu-west-1", "s");
  EXPECT_EQ(replica.description, "d");
  EXPECT_EQ(replica.tags, (std::vector<storage::Tag>{{"k", "v"}}));
  EXPECT_EQ(replica.resource_policy, "{}");
  EXPECT_EQ(replica.external_rotation_metadata_json, R"([{"Key":"k","Value":"v"}])");
  EXPECT_EQ(replica.external_rotation_role_arn, "arn:aws:iam::000000000000:role/partner-rotation");
  EXPECT_EQ(replica.primary_region, "us-east-1");
  EXPECT_EQ(ValueIn("eu-west-1", "s"), "v2");
  EXPECT_EQ(ValueIn("eu-west-1", "s", {{"VersionStage", "AWSPREVIOUS"}}), "v1");
  EXPECT_EQ(ValueIn("eu-west-1", "s", {{"VersionStage", "custom"}}), "v2");
}

TEST_F(SyncReplicasTest, SyncReplicas_RemovesVersionsThePrimaryNoLongerHas) {
  CreateReplicated("s", {"eu-west-1"});
  Put("s", 'b', "v2");
  store->Write([&](storage::Repository& repo) {
    auto primary = *repo.FindSecretByName(context.account_id, "us-east-1", "s");
    auto versions = repo.Versions(primary.id);
    versions[0].labels.clear();  // drop AWSPREVIOUS, then the version itself
    repo.ReplaceLabels(primary.id, versions);
    repo.DeleteVersion(primary.id, Token('a'));
    SyncReplicas(repo, primary);
  });
  auto replica = *RecordIn("eu-west-1", "s");
  auto versions = store->Read([&](storage::Repository& repo) { return repo.Versions(replica.id); });
  ASSERT_EQ(versions.size(), 1u);
  EXPECT_EQ(versions[0].version_id, Token('b'));
}

TEST_F(SyncReplicasTest, SyncReplicasIfAny_SecretWithoutReplicasIsLeftAlone) {
  Create("plain");
  auto record = *Record("plain");
  store->Write([&](storage::Repository& repo) { SyncReplicasIfAny(repo, record); });
  EXPECT_FALSE(RecordIn("eu-west-1", "plain"));
}

TEST_F(SyncReplicasTest, SyncReplicas_FillsARotationPlaceholderOnTheReplica) {
  CreateReplicated("s", {"eu-west-1"});
  store->Write([&](storage::Repository& repo) {
    auto primary = *repo.FindSecretByName(context.account_id, "us-east-1", "s");
    repo.InsertVersion(primary.id, {.version_id = Token('p'), .created_date = kStart});
    SyncReplicas(repo, primary);
    auto replica = *repo.FindSecretByName(context.account_id, "eu-west-1", "s");
    EXPECT_FALSE(repo.FindVersion(replica.id, Token('p'), false)->has_value);
    storage::VersionRecord filled{.version_id = Token('p'), .has_value = true};
    filled.secret_string = "pending";
    repo.UpdateVersionValue(primary.id, filled);
    SyncReplicas(repo, primary);
    EXPECT_EQ(repo.FindVersion(replica.id, Token('p'), true)->secret_string, "pending");
  });
}

}  // namespace
}  // namespace sml::api::model
