// RemoveRegionsFromReplication and DeleteSecret of a primary (BEHAVIOR.md §8).
#include "tests/unit/api/operations/replication_fixture.h"

namespace sml::api::operations::testing {
namespace {

using RemoveRegionsFromReplicationTest = ReplicationTest;

TEST_F(RemoveRegionsFromReplicationTest,
       RemoveRegionsFromReplication_ShowsTheRemainingReplicasLastAccessedDate) {
  CreateReplicated("s", {"eu-west-1", "ap-southeast-2"});
  ValueIn("eu-west-1", "s");
  auto out = Call(&RemoveRegionsFromReplication,
                  {{"SecretId", "s"}, {"RemoveReplicaRegions", {"ap-southeast-2"}}});
  ASSERT_EQ(out["ReplicationStatus"].size(), 1u);
  EXPECT_TRUE(out["ReplicationStatus"][0].contains("LastAccessedDate")) << out.dump();
}

TEST_F(RemoveRegionsFromReplicationTest, RemoveRegionsFromReplication_PurgesThoseReplicasOnly) {
  auto created = CreateReplicated("s", {"eu-west-1", "ap-southeast-2"});
  auto out = Call(&RemoveRegionsFromReplication,
                  {{"SecretId", "s"}, {"RemoveReplicaRegions", {"eu-west-1"}}});
  EXPECT_EQ(out["ARN"], created["ARN"]);
  ASSERT_EQ(out["ReplicationStatus"].size(), 1u);
  EXPECT_EQ(out["ReplicationStatus"][0]["Region"], "ap-southeast-2");
  EXPECT_FALSE(RecordIn("eu-west-1", "s"));
  EXPECT_TRUE(RecordIn("ap-southeast-2", "s"));
  EXPECT_EQ(DescribeIn("us-east-1", "s")["ReplicationStatus"].size(), 1u);
}

TEST_F(RemoveRegionsFromReplicationTest, RemoveRegionsFromReplication_LastOneMakesAPlainSecret) {
  CreateReplicated("s", {"eu-west-1"});
  auto out = Call(&RemoveRegionsFromReplication,
                  {{"SecretId", "s"}, {"RemoveReplicaRegions", {"eu-west-1"}}});
  EXPECT_EQ(out["ReplicationStatus"], nlohmann::json::array());
  auto described = DescribeIn("us-east-1", "s");
  EXPECT_FALSE(described.contains("ReplicationStatus"));
  EXPECT_FALSE(described.contains("PrimaryRegion"));
  // Repeating it is harmless.
  Call(&RemoveRegionsFromReplication, {{"SecretId", "s"}, {"RemoveReplicaRegions", {"eu-west-1"}}});
}

TEST_F(RemoveRegionsFromReplicationTest, RemoveRegionsFromReplication_FailedEntryLeavesTheOtherSecret) {
  CallIn("eu-west-1", &CreateSecret,
         {{"Name", "s"}, {"SecretString", "theirs"}, {"ClientRequestToken", Token('z')}});
  CreateReplicated("s", {"eu-west-1"});
  Call(&RemoveRegionsFromReplication, {{"SecretId", "s"}, {"RemoveReplicaRegions", {"eu-west-1"}}});
  EXPECT_EQ(ValueIn("eu-west-1", "s"), "theirs");
  EXPECT_FALSE(DescribeIn("us-east-1", "s").contains("ReplicationStatus"));
}

TEST_F(RemoveRegionsFromReplicationTest, RemoveRegionsFromReplication_OnAReplica_IsRefused) {
  CreateReplicated("s", {"eu-west-1"});
  EXPECT_EQ(FailsIn("eu-west-1", &RemoveRegionsFromReplication,
                    {{"SecretId", "s"}, {"RemoveReplicaRegions", {"eu-west-1"}}})
                .code(),
            ErrorCode::kInvalidParameter);
  EXPECT_TRUE(RecordIn("eu-west-1", "s"));
}

TEST_F(RemoveRegionsFromReplicationTest, DeleteSecret_PrimaryWithReplicas_IsRefusedUntilRemoved) {
  auto created = CreateReplicated("s", {"eu-west-1"});
  for (bool force : {false, true}) {
    nlohmann::json input = {{"SecretId", "s"}};
    if (force) input["ForceDeleteWithoutRecovery"] = true;
    auto error = Fails(&DeleteSecret, input);
    EXPECT_EQ(error.code(), ErrorCode::kInvalidParameter);
    EXPECT_EQ(std::string(error.what()), "You can't delete secret " +
                                             created["ARN"].get<std::string>() +
                                             " that still has replica regions [eu-west-1].");
  }
  EXPECT_FALSE(Record("s")->deleted_date);
  Call(&RemoveRegionsFromReplication, {{"SecretId", "s"}, {"RemoveReplicaRegions", {"eu-west-1"}}});
  Call(&DeleteSecret, {{"SecretId", "s"}});
  EXPECT_TRUE(Record("s")->deleted_date);
}

TEST_F(RemoveRegionsFromReplicationTest, DeleteSecret_OnAReplica_IsRefused) {
  CreateReplicated("s", {"eu-west-1"});
  EXPECT_EQ(FailsIn("eu-west-1", &DeleteSecret, {{"SecretId", "s"}}).code(),
            ErrorCode::kInvalidParameter);
}

}  // namespace
}  // namespace sml::api::operations::testing
