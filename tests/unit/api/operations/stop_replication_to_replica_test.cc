// StopReplicationToReplica (BEHAVIOR.md §8).
#include "tests/unit/api/operations/replication_fixture.h"

namespace sml::api::operations::testing {
namespace {

using StopReplicationToReplicaTest = ReplicationTest;

TEST_F(StopReplicationToReplicaTest, StopReplicationToReplica_PromotesTheReplica) {
  CreateReplicated("s", {"eu-west-1", "ap-southeast-2"});
  auto replica_arn = RecordIn("eu-west-1", "s")->arn;
  auto out = CallIn("eu-west-1", &StopReplicationToReplica, {{"SecretId", "s"}});
  EXPECT_EQ(out, (nlohmann::json{{"ARN", replica_arn}}));
  auto promoted = DescribeIn("eu-west-1", "s");
  EXPECT_FALSE(promoted.contains("PrimaryRegion"));
  EXPECT_EQ(promoted["ARN"], replica_arn);
  auto status = DescribeIn("us-east-1", "s")["ReplicationStatus"];
  ASSERT_EQ(status.size(), 1u);
  EXPECT_EQ(status[0]["Region"], "ap-southeast-2");
}

TEST_F(StopReplicationToReplicaTest, StopReplicationToReplica_ThenBothAreWrittenIndependently) {
  CreateReplicated("s", {"eu-west-1"});
  CallIn("eu-west-1", &StopReplicationToReplica, {{"SecretId", "s"}});
  CallIn("eu-west-1", &PutSecretValue,
         {{"SecretId", "s"}, {"SecretString", "eu"}, {"ClientRequestToken", Token('e')}});
  Put("s", 'u', "us");
  EXPECT_EQ(ValueIn("eu-west-1", "s"), "eu");
  EXPECT_EQ(ValueIn("us-east-1", "s"), "us");
  // The primary has no replicas left and can be deleted.
  Call(&DeleteSecret, {{"SecretId", "s"}, {"ForceDeleteWithoutRecovery", true}});
  EXPECT_TRUE(RecordIn("eu-west-1", "s"));
}

TEST_F(StopReplicationToReplicaTest, StopReplicationToReplica_ByReplicaArn) {
  CreateReplicated("s", {"eu-west-1"});
  auto replica_arn = RecordIn("eu-west-1", "s")->arn;
  CallIn("eu-west-1", &StopReplicationToReplica, {{"SecretId", replica_arn}});
  EXPECT_FALSE(RecordIn("eu-west-1", "s")->primary_region);
}

TEST_F(StopReplicationToReplicaTest, StopReplicationToReplica_OnANonReplica_IsRefused) {
  CreateReplicated("s", {"eu-west-1"});
  EXPECT_EQ(Fails(&StopReplicationToReplica, {{"SecretId", "s"}}).code(),
            ErrorCode::kInvalidParameter);
  Create("plain");
  EXPECT_EQ(Fails(&StopReplicationToReplica, {{"SecretId", "plain"}}).code(),
            ErrorCode::kInvalidParameter);
  EXPECT_EQ(Fails(&StopReplicationToReplica, {{"SecretId", "missing"}}).code(),
            ErrorCode::kResourceNotFound);
}

TEST_F(StopReplicationToReplicaTest, StopReplicationToReplica_FromAnotherRegion_IsRefused) {
  CreateReplicated("s", {"eu-west-1"});
  auto replica_arn = RecordIn("eu-west-1", "s")->arn;
  // An ARN names its region: from the primary's region the replica is not there.
  EXPECT_EQ(Fails(&StopReplicationToReplica, {{"SecretId", replica_arn}}).code(),
            ErrorCode::kResourceNotFound);
  EXPECT_TRUE(RecordIn("eu-west-1", "s")->primary_region);
}

}  // namespace
}  // namespace sml::api::operations::testing
