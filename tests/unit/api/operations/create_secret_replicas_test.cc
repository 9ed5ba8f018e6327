// CreateSecret with AddReplicaRegions (BEHAVIOR.md §8).
#include "api/model/replication.h"
#include "tests/unit/api/operations/replication_fixture.h"

namespace sml::api::operations::testing {
namespace {

using CreateSecretReplicasTest = ReplicationTest;

TEST_F(CreateSecretReplicasTest, CreateSecret_AddReplicaRegions_CreatesReadableReplicas) {
  auto out = CreateReplicated("s", {"eu-west-1", "ap-southeast-2"});
  ASSERT_EQ(out["ReplicationStatus"].size(), 2u);
  EXPECT_EQ(out["ReplicationStatus"][0],
            (nlohmann::json{{"Region", "eu-west-1"},
                            {"KmsKeyId", "alias/aws/secretsmanager"},
                            {"Status", "InSync"},
                            {"StatusMessage", "Replication succeeded"}}));
  EXPECT_EQ(out["ReplicationStatus"][1]["Region"], "ap-southeast-2");
  for (std::string region : {"eu-west-1", "ap-southeast-2"}) {
    auto replica = *RecordIn(region, "s");
    EXPECT_EQ(replica.arn, model::ReplicaArn(out["ARN"].get<std::string>(), region));
    EXPECT_EQ(replica.primary_region, "us-east-1");
    EXPECT_EQ(ValueIn(region, "s"), "v1");
    auto described = DescribeIn(region, "s");
    EXPECT_EQ(described["PrimaryRegion"], "us-east-1");
    EXPECT_FALSE(described.contains("ReplicationStatus"));
    EXPECT_EQ(described["VersionIdsToStages"][Token('a')], Stages{"AWSCURRENT"});
  }
  auto primary = DescribeIn("us-east-1", "s");
  EXPECT_EQ(primary["PrimaryRegion"], "us-east-1");
  EXPECT_EQ(primary["ReplicationStatus"].size(), 2u);
}

TEST_F(CreateSecretReplicasTest, CreateSecret_ReplicaKmsKeyIdIsTheReplicasOwn) {
  Call(&CreateSecret, {{"Name", "s"},
                       {"KmsKeyId", "alias/primary"},
                       {"AddReplicaRegions", {{{"Region", "eu-west-1"}, {"KmsKeyId", "alias/eu"}}}}});
  EXPECT_EQ(RecordIn("eu-west-1", "s")->kms_key_id, "alias/eu");
  EXPECT_EQ(DescribeIn("us-east-1", "s")["ReplicationStatus"][0]["KmsKeyId"], "alias/eu");
}

TEST_F(CreateSecretReplicasTest, CreateSecret_ReplicaInItsOwnRegionIsRefusedAndNothingIsCreated) {
  auto error = Fails(&CreateSecret, {{"Name", "s"}, {"AddReplicaRegions", {{{"Region", "us-east-1"}}}}});
  EXPECT_EQ(error.code(), ErrorCode::kInvalidParameter);
  EXPECT_STREQ(error.what(), "Invalid replica region.");
  EXPECT_FALSE(Record("s"));
}

TEST_F(CreateSecretReplicasTest, CreateSecret_DuplicateReplicaRegionIsRefused) {
  auto error = Fails(&CreateSecret, {{"Name", "s"},
                                     {"AddReplicaRegions",
                                      {{{"Region", "eu-west-1"}}, {{"Region", "eu-west-1"}}}}});
  EXPECT_EQ(error.code(), ErrorCode::kInvalidParameter);
  EXPECT_FALSE(Record("s"));
}

TEST_F(CreateSecretReplicasTest, CreateSecret_BadReplicaRegionIsValidationException) {
  EXPECT_EQ(
      Fails(&CreateSecret, {{"Name", "s"}, {"AddReplicaRegions", {{{"Region", "EU"}}}}}).code(),
      ErrorCode::kValidation);
}

TEST_F(CreateSecretReplicasTest, CreateSecret_NameTakenInReplicaRegion_ReplicaFailsPrimaryIsCreated) {
  CallIn("eu-west-1", &CreateSecret,
         {{"Name", "s"}, {"SecretString", "theirs"}, {"ClientRequestToken", Token('z')}});
  auto out = CreateReplicated("s", {"eu-west-1"});
  EXPECT_EQ(out["ReplicationStatus"][0]["Status"], "Failed");
  EXPECT_EQ(out["ReplicationStatus"][0]["StatusMessage"],
            "Replication failed: Secret name s already exists in region eu-west-1.");
  EXPECT_TRUE(Record("s"));
  EXPECT_FALSE(RecordIn("eu-west-1", "s")->primary_region);
  EXPECT_EQ(ValueIn("eu-west-1", "s"), "theirs");
  Put("s", 'b', "v2");  // a Failed replica is not synced
  EXPECT_EQ(ValueIn("eu-west-1", "s"), "theirs");
}

TEST_F(CreateSecretReplicasTest, CreateSecret_ForceOverwriteReplicaSecret_ReplacesTheSecretThere) {
  auto theirs = CallIn("eu-west-1", &CreateSecret,
                       {{"Name", "s"}, {"SecretString", "theirs"}, {"ClientRequestToken", Token('z')}});
  Call(&CreateSecret, {{"Name", "s"},
                       {"SecretString", "v1"},
                       {"ClientRequestToken", Token('a')},
                       {"AddReplicaRegions", {{{"Region", "eu-west-1"}}}},
                       {"ForceOverwriteReplicaSecret", true}});
  auto replica = *RecordIn("eu-west-1", "s");
  EXPECT_EQ(replica.primary_region, "us-east-1");
  EXPECT_NE(replica.arn, theirs["ARN"]);
  EXPECT_EQ(ValueIn("eu-west-1", "s"), "v1");
  EXPECT_EQ(FailsIn("eu-west-1", &DescribeSecret, {{"SecretId", theirs["ARN"]}}).code(),
            ErrorCode::kResourceNotFound);
}

TEST_F(CreateSecretReplicasTest, CreateSecret_WithoutValue_ReplicaHasNoVersions) {
  Call(&CreateSecret, {{"Name", "s"}, {"AddReplicaRegions", {{{"Region", "eu-west-1"}}}}});
  EXPECT_FALSE(DescribeIn("eu-west-1", "s").contains("VersionIdsToStages"));
}

}  // namespace
}  // namespace sml::api::operations::testing
