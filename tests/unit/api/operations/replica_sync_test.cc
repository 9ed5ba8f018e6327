// Every write to a primary reaches its replicas in the same transaction, and
// every write to a replica is refused (BEHAVIOR.md §8).
#include "tests/unit/api/operations/replication_fixture.h"

namespace sml::api::operations::testing {
namespace {

using ReplicaSyncTest = ReplicationTest;

TEST_F(ReplicaSyncTest, PutSecretValue_ReachesReplicas) {
  CreateReplicated("s", {"eu-west-1", "ap-southeast-2"});
  Put("s", 'b', "v2");
  for (std::string region : {"eu-west-1", "ap-southeast-2"}) {
    EXPECT_EQ(ValueIn(region, "s"), "v2");
    EXPECT_EQ(ValueIn(region, "s", {{"VersionStage", "AWSPREVIOUS"}}), "v1");
  }
}

TEST_F(ReplicaSyncTest, UpdateSecret_ReachesReplicasButNotTheirKmsKey) {
  Call(&CreateSecret, {{"Name", "s"},
                       {"SecretString", "v1"},
                       {"ClientRequestToken", Token('a')},
                       {"AddReplicaRegions", {{{"Region", "eu-west-1"}, {"KmsKeyId", "alias/eu"}}}}});
  Call(&UpdateSecret, {{"SecretId", "s"},
                       {"Description", "new"},
                       {"KmsKeyId", "alias/us"},
                       {"SecretString", "v2"},
                       {"ClientRequestToken", Token('b')}});
  auto replica = DescribeIn("eu-west-1", "s");
  EXPECT_EQ(replica["Description"], "new");
  EXPECT_EQ(replica["KmsKeyId"], "alias/eu");
  EXPECT_EQ(ValueIn("eu-west-1", "s"), "v2");
}

TEST_F(ReplicaSyncTest, UpdateSecretVersionStage_ReachesReplicas) {
  CreateReplicated("s", {"eu-west-1"});
  Put("s", 'b', "v2");
  Call(&UpdateSecretVersionStage, {{"SecretId", "s"},
                                   {"VersionStage", "AWSCURRENT"},
                                   {"RemoveFromVersionId", Token('b')},
                                   {"MoveToVersionId", Token('a')}});
  EXPECT_EQ(ValueIn("eu-west-1", "s"), "v1");
  EXPECT_EQ(DescribeIn("eu-west-1", "s")["VersionIdsToStages"],
            DescribeIn("us-east-1", "s")["VersionIdsToStages"]);
}

TEST_F(ReplicaSyncTest, TagAndUntag_ReachReplicas) {
  CreateReplicated("s", {"eu-west-1"});
  Call(&TagResource, {{"SecretId", "s"}, {"Tags", {{{"Key", "a"}, {"Value", "1"}}, {{"Key", "b"}, {"Value", "2"}}}}});
  Call(&UntagResource, {{"SecretId", "s"}, {"TagKeys", {"a"}}});
  EXPECT_EQ(DescribeIn("eu-west-1", "s")["Tags"],
            (nlohmann::json{{{"Key", "b"}, {"Value", "2"}}}));
}

TEST_F(ReplicaSyncTest, ResourcePolicy_ReachesReplicas) {
  CreateReplicated("s", {"eu-west-1"});
  const std::string policy =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]})";
  Call(&PutResourcePolicy, {{"SecretId", "s"}, {"ResourcePolicy", policy}});
  EXPECT_EQ(RecordIn("eu-west-1", "s")->resource_policy, policy);
  Call(&DeleteResourcePolicy, {{"SecretId", "s"}});
  EXPECT_FALSE(RecordIn("eu-west-1", "s")->resource_policy);
}

TEST_F(ReplicaSyncTest, WritesToAReplica_AreRefusedAndChangeNothing) {
  CreateReplicated("s", {"eu-west-1"});
  const std::vector<std::pair<OperationHandler, nlohmann::json>> writes = {
      {&PutSecretValue, {{"SecretString", "x"}, {"ClientRequestToken", Token('x')}}},
      {&UpdateSecret, {{"Description", "x"}}},
      {&TagResource, {{"Tags", {{{"Key", "k"}, {"Value", "v"}}}}}},
      {&UntagResource, {{"TagKeys", {"k"}}}},
      {&UpdateSecretVersionStage,
       {{"VersionStage", "x"}, {"MoveToVersionId", Token('a')}}},
      {&DeleteSecret, nlohmann::json::object()},
      {&RestoreSecret, nlohmann::json::object()},
      {&CancelRotateSecret, nlohmann::json::object()},
  };
  for (auto [op, input] : writes) {
    input["SecretId"] = "s";
    auto error = FailsIn("eu-west-1", op, input);
    EXPECT_EQ(error.code(), ErrorCode::kInvalidParameter) << input.dump();
    EXPECT_STREQ(error.what(),
                 "Operation not permitted on a replica secret. Call must be made in primary "
                 "secret's region.");
  }
  EXPECT_EQ(DescribeIn("eu-west-1", "s"), [&] {
    auto primary = DescribeIn("us-east-1", "s");
    primary["ARN"] = RecordIn("eu-west-1", "s")->arn;
    primary.erase("ReplicationStatus");
    return primary;
  }());
}

TEST_F(ReplicaSyncTest, GetSecretValue_OnAReplica_SetsItsLastAccessedDate_ShownOnThePrimary) {
  CreateReplicated("s", {"eu-west-1"});
  ValueIn("eu-west-1", "s");
  EXPECT_TRUE(RecordIn("eu-west-1", "s")->last_accessed_date);
  EXPECT_FALSE(Record("s")->last_accessed_date);
  Call(&TagResource, {{"SecretId", "s"}, {"Tags", {{{"Key", "k"}, {"Value", "v"}}}}});
  EXPECT_TRUE(DescribeIn("us-east-1", "s")["ReplicationStatus"][0].contains("LastAccessedDate"));
}

TEST_F(ReplicaSyncTest, DescribeSecret_OfThePrimary_ShowsAReplicasReadWithoutAWriteBetween) {
  CreateReplicated("s", {"eu-west-1"});
  ValueIn("eu-west-1", "s");
  const auto status = DescribeIn("us-east-1", "s")["ReplicationStatus"][0];
  ASSERT_TRUE(status.contains("LastAccessedDate")) << status.dump();
  EXPECT_EQ(status["LastAccessedDate"], DescribeIn("eu-west-1", "s")["LastAccessedDate"]);
}

TEST_F(ReplicaSyncTest, ListSecrets_PrimaryRegionFilter_MatchesPrimariesAndReplicas) {
  CreateReplicated("s", {"eu-west-1"});
  Create("plain");
  auto names = [&](const std::string& region, const std::string& value) {
    auto out = CallIn(region, &ListSecrets,
                      {{"Filters", {{{"Key", "primary-region"}, {"Values", {value}}}}}});
    std::vector<std::string> list;
    for (const auto& entry : out["SecretList"]) list.push_back(entry["Name"]);
    return list;
  };
  EXPECT_EQ(names("us-east-1", "us-east-1"), std::vector<std::string>{"s"});
  EXPECT_EQ(names("eu-west-1", "us-east-1"), std::vector<std::string>{"s"});
  EXPECT_TRUE(names("eu-west-1", "eu-west-1").empty());
  auto listed = CallIn("eu-west-1", &ListSecrets, nlohmann::json::object());
  EXPECT_EQ(listed["SecretList"][0]["PrimaryRegion"], "us-east-1");
  EXPECT_FALSE(listed["SecretList"][0].contains("ReplicationStatus"));
}

}  // namespace
}  // namespace sml::api::operations::testing
