// ReplicateSecretToRegions (BEHAVIOR.md §8).
#include "tests/unit/api/operations/replication_fixture.h"

namespace sml::api::operations::testing {
namespace {

using ReplicateSecretToRegionsTest = ReplicationTest;

nlohmann::json Regions(std::vector<std::string> regions) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& region : regions) out.push_back({{"Region", region}});
  return out;
}

TEST_F(ReplicateSecretToRegionsTest, ReplicateSecretToRegions_CopiesTheWholeSecret) {
  auto created = Create("s", "v1");
  Put("s", 'b', "v2");
  Call(&TagResource, {{"SecretId", "s"}, {"Tags", {{{"Key", "team"}, {"Value", "a"}}}}});
  Call(&UpdateSecret, {{"SecretId", "s"}, {"Description", "db"}});
  auto out = Call(&ReplicateSecretToRegions,
                  {{"SecretId", "s"}, {"AddReplicaRegions", Regions({"eu-west-1"})}});
  EXPECT_EQ(out["ARN"], created["ARN"]);
  EXPECT_EQ(out["ReplicationStatus"][0]["Status"], "InSync");
  auto replica = DescribeIn("eu-west-1", "s");
  auto primary = DescribeIn("us-east-1", "s");
  EXPECT_EQ(replica["VersionIdsToStages"], primary["VersionIdsToStages"]);
  EXPECT_EQ(replica["Tags"], primary["Tags"]);
  EXPECT_EQ(replica["Description"], "db");
  EXPECT_EQ(ValueIn("eu-west-1", "s", {{"VersionStage", "AWSPREVIOUS"}}), "v1");
  EXPECT_EQ(ValueIn("eu-west-1", "s"), "v2");
}

TEST_F(ReplicateSecretToRegionsTest, ReplicateSecretToRegions_AddsToExistingReplicas) {
  CreateReplicated("s", {"eu-west-1"});
  auto out = Call(&ReplicateSecretToRegions,
                  {{"SecretId", "s"}, {"AddReplicaRegions", Regions({"ap-southeast-2"})}});
  ASSERT_EQ(out["ReplicationStatus"].size(), 2u);
  EXPECT_EQ(out["ReplicationStatus"][0]["Region"], "eu-west-1");
  EXPECT_EQ(out["ReplicationStatus"][1]["Region"], "ap-southeast-2");
  EXPECT_EQ(ValueIn("ap-southeast-2", "s"), "v1");
}

TEST_F(ReplicateSecretToRegionsTest, ReplicateSecretToRegions_RegionAlreadyReplicatedIsResynced) {
  CreateReplicated("s", {"eu-west-1"});
  auto out = Call(&ReplicateSecretToRegions,
                  {{"SecretId", "s"},
                   {"AddReplicaRegions", {{{"Region", "eu-west-1"}, {"KmsKeyId", "alias/k"}}}}});
  ASSERT_EQ(out["ReplicationStatus"].size(), 1u);
  EXPECT_EQ(out["ReplicationStatus"][0]["KmsKeyId"], "alias/k");
  EXPECT_EQ(RecordIn("eu-west-1", "s")->kms_key_id, "alias/k");
}

TEST_F(ReplicateSecretToRegionsTest, ReplicateSecretToRegions_OnAReplica_IsRefused) {
  CreateReplicated("s", {"eu-west-1"});
  auto error = FailsIn("eu-west-1", &ReplicateSecretToRegions,
                       {{"SecretId", "s"}, {"AddReplicaRegions", Regions({"us-west-2"})}});
  EXPECT_EQ(error.code(), ErrorCode::kInvalidParameter);
  EXPECT_STREQ(error.what(),
               "Operation not permitted on a replica secret. Call must be made in primary "
               "secret's region.");
  EXPECT_FALSE(RecordIn("us-west-2", "s"));
}

TEST_F(ReplicateSecretToRegionsTest, ReplicateSecretToRegions_NameClashFailsUnlessForced) {
  Create("s", "v1");
  CallIn("eu-west-1", &CreateSecret,
         {{"Name", "s"}, {"SecretString", "theirs"}, {"ClientRequestToken", Token('z')}});
  auto out = Call(&ReplicateSecretToRegions,
                  {{"SecretId", "s"}, {"AddReplicaRegions", Regions({"eu-west-1"})}});
  EXPECT_EQ(out["ReplicationStatus"][0]["Status"], "Failed");
  EXPECT_EQ(ValueIn("eu-west-1", "s"), "theirs");
  out = Call(&ReplicateSecretToRegions, {{"SecretId", "s"},
                                         {"AddReplicaRegions", Regions({"eu-west-1"})},
                                         {"ForceOverwriteReplicaSecret", true}});
  ASSERT_EQ(out["ReplicationStatus"].size(), 1u);
  EXPECT_EQ(out["ReplicationStatus"][0]["Status"], "InSync");
  EXPECT_EQ(ValueIn("eu-west-1", "s"), "v1");
}

TEST_F(ReplicateSecretToRegionsTest, ReplicateSecretToRegions_NeverOverwritesAnotherPrimarysReplica) {
  CallIn("eu-west-1", &CreateSecret,
         {{"Name", "s"},
          {"SecretString", "eu"},
          {"ClientRequestToken", Token('z')},
          {"AddReplicaRegions", Regions({"ap-southeast-2"})}});
  Create("s", "us");
  auto out = Call(&ReplicateSecretToRegions, {{"SecretId", "s"},
                                              {"AddReplicaRegions", Regions({"ap-southeast-2"})},
                                              {"ForceOverwriteReplicaSecret", true}});
  EXPECT_EQ(out["ReplicationStatus"][0]["Status"], "Failed");
  EXPECT_EQ(ValueIn("ap-southeast-2", "s"), "eu");
}

TEST_F(ReplicateSecretToRegionsTest, ReplicateSecretToRegions_MarkedForDeletion_IsRefused) {
  Create("s");
  Call(&DeleteSecret, {{"SecretId", "s"}});
  EXPECT_EQ(Fails(&ReplicateSecretToRegions,
                  {{"SecretId", "s"}, {"AddReplicaRegions", Regions({"eu-west-1"})}})
                .code(),
            ErrorCode::kInvalidRequest);
}

TEST_F(ReplicateSecretToRegionsTest, ReplicateSecretToRegions_RequiresRegions) {
  Create("s");
  EXPECT_EQ(Fails(&ReplicateSecretToRegions, {{"SecretId", "s"}}).code(), ErrorCode::kValidation);
  EXPECT_EQ(Fails(&ReplicateSecretToRegions,
                  {{"SecretId", "s"}, {"AddReplicaRegions", nlohmann::json::array()}})
                .code(),
            ErrorCode::kValidation);
  EXPECT_EQ(Fails(&ReplicateSecretToRegions, {{"SecretId", "missing"},
                                              {"AddReplicaRegions", Regions({"eu-west-1"})}})
                .code(),
            ErrorCode::kResourceNotFound);
}

}  // namespace
}  // namespace sml::api::operations::testing
