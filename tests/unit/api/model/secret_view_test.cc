#include "api/model/secret_view.h"

#include <gtest/gtest.h>

namespace sml::api::model {
namespace {

storage::SecretRecord BareSecret() {
  storage::SecretRecord secret;
  secret.id = 7;
  secret.name = "app/db";
  secret.arn = "arn:aws:secretsmanager:us-east-1:000000000000:secret:app/db-AbCdEf";
  secret.created_date = 1'700'000'000'000;
  secret.last_changed_date = 1'700'000'000'500;
  return secret;
}

// The views as documents (they are written as text).
nlohmann::json DescribeSecretView(const storage::SecretRecord& secret,
                                  const std::vector<storage::VersionRecord>& versions) {
  JsonWriter out;
  WriteDescribeSecretView(out, secret, versions);
  return nlohmann::json::parse(out.text());
}

nlohmann::json SecretListEntryView(const storage::SecretRecord& secret,
                                   const std::vector<storage::VersionRecord>& versions) {
  JsonWriter out;
  WriteSecretListEntryView(out, secret, versions);
  return nlohmann::json::parse(out.text());
}

storage::VersionRecord Version(std::string id, std::vector<std::string> labels) {
  storage::VersionRecord version;
  version.version_id = std::move(id);
  version.labels = std::move(labels);
  return version;
}

TEST(SecretView, BareSecret_HasOnlyTheAlwaysPresentKeys) {
  auto view = DescribeSecretView(BareSecret(), {});
  std::set<std::string> keys;
  for (const auto& [key, value] : view.items()) keys.insert(key);
  EXPECT_EQ(keys, (std::set<std::string>{"ARN", "Name", "CreatedDate", "LastChangedDate"}));
  EXPECT_EQ(view["CreatedDate"], 1'700'000'000);
  EXPECT_DOUBLE_EQ(view["LastChangedDate"].get<double>(), 1'700'000'000.5);
}

TEST(SecretView, Description_EmptyIsLeftOut_SetIsShown) {
  auto secret = BareSecret();
  secret.description = "";
  EXPECT_FALSE(DescribeSecretView(secret, {}).contains("Description"));
  EXPECT_FALSE(SecretListEntryView(secret, {}).contains("Description"));
  secret.description = "d";
  EXPECT_EQ(DescribeSecretView(secret, {})["Description"], "d");
  EXPECT_EQ(SecretListEntryView(secret, {})["Description"], "d");
}

TEST(SecretView, VersionIdsToStages_OnlyLabelledVersions_AbsentWhenNone) {
  auto view = DescribeSecretView(BareSecret(), {Version("v1", {}), Version("v2", {})});
  EXPECT_FALSE(view.contains("VersionIdsToStages"));
  view = DescribeSecretView(BareSecret(), {Version("v1", {}), Version("v2", {"AWSCURRENT"}),
                                           Version("v3", {"AWSPENDING", "custom"})});
  EXPECT_EQ(view["VersionIdsToStages"],
            (nlohmann::json{{"v2", {"AWSCURRENT"}}, {"v3", {"AWSPENDING", "custom"}}}));
  EXPECT_FALSE(view.contains("SecretVersionsToStages"));
}

TEST(SecretView, ListEntry_UsesSecretVersionsToStages_AndNoReplicationStatus) {
  auto secret = BareSecret();
  secret.replication_status_json = R"([{"Region":"eu-west-1","Status":"InSync"}])";
  auto entry = SecretListEntryView(secret, {Version("v2", {"AWSCURRENT"})});
  EXPECT_EQ(entry["SecretVersionsToStages"], (nlohmann::json{{"v2", {"AWSCURRENT"}}}));
  EXPECT_FALSE(entry.contains("VersionIdsToStages"));
  EXPECT_FALSE(entry.contains("ReplicationStatus"));
  auto described = DescribeSecretView(secret, {});
  EXPECT_EQ(described["ReplicationStatus"][0]["Region"], "eu-west-1");
}

TEST(SecretView, RotationKeys_AbsentUntilConfigured) {
  auto secret = BareSecret();
  secret.rotation_lambda_arn =
      "arn:aws:lambda:us-east-1:000000000000:function:f";  // stale, not configured
  auto view = DescribeSecretView(secret, {});
  for (const char* key : {"RotationEnabled", "RotationLambdaARN", "RotationRules",
                          "LastRotatedDate", "NextRotationDate"}) {
    EXPECT_FALSE(view.contains(key)) << key;
  }
}

TEST(SecretView, RotationKeys_PresentOnceConfigured_RulesAsStored) {
  auto secret = BareSecret();
  secret.rotation_enabled = true;
  secret.rotation_lambda_arn = "arn:aws:lambda:us-east-1:000000000000:function:f";
  secret.rotation_rules_json = R"j({"ScheduleExpression":"rate(10 days)","Duration":"3h"})j";
  secret.last_rotated_date = 1'700'000'100'000;
  secret.next_rotation_date = 1'700'864'100'000;
  auto view = DescribeSecretView(secret, {});
  EXPECT_EQ(view["RotationEnabled"], true);
  EXPECT_EQ(view["RotationLambdaARN"], *secret.rotation_lambda_arn);
  EXPECT_EQ(view["RotationRules"],
            (nlohmann::json{{"ScheduleExpression", "rate(10 days)"}, {"Duration", "3h"}}));
  EXPECT_EQ(view["LastRotatedDate"], 1'700'000'100);
  EXPECT_EQ(view["NextRotationDate"], 1'700'864'100);

  secret.rotation_enabled = false;  // cancelled: still shows it was configured
  view = SecretListEntryView(secret, {});
  EXPECT_EQ(view["RotationEnabled"], false);
}

TEST(SecretView, Tags_AbsentUntilSet_ThenEmptyListAllowed) {
  auto secret = BareSecret();
  EXPECT_FALSE(DescribeSecretView(secret, {}).contains("Tags"));
  secret.tags = std::vector<storage::Tag>{};
  EXPECT_EQ(DescribeSecretView(secret, {})["Tags"], nlohmann::json::array());
  secret.tags = std::vector<storage::Tag>{{"env", "prod"}};
  EXPECT_EQ(SecretListEntryView(secret, {})["Tags"],
            (nlohmann::json::array({{{"Key", "env"}, {"Value", "prod"}}})));
}

TEST(SecretView, ExternalRotation_OnlyWhenSet_MetadataAsStored) {
  auto secret = BareSecret();
  for (const auto& view : {DescribeSecretView(secret, {}), SecretListEntryView(secret, {})}) {
    EXPECT_FALSE(view.contains("ExternalSecretRotationMetadata"));
    EXPECT_FALSE(view.contains("ExternalSecretRotationRoleArn"));
  }
  secret.external_rotation_metadata_json = R"([{"Key":"z","Value":"1"},{"Key":"a","Value":"2"}])";
  secret.external_rotation_role_arn = "arn:aws:iam::000000000000:role/partner-rotation";
  for (const auto& view : {DescribeSecretView(secret, {}), SecretListEntryView(secret, {})}) {
    EXPECT_EQ(view["ExternalSecretRotationMetadata"],
              nlohmann::json::parse(*secret.external_rotation_metadata_json));
    EXPECT_EQ(view["ExternalSecretRotationRoleArn"], *secret.external_rotation_role_arn);
  }
  secret.external_rotation_metadata_json = "[]";  // given empty: shown empty
  EXPECT_EQ(DescribeSecretView(secret, {})["ExternalSecretRotationMetadata"],
            nlohmann::json::array());
}

TEST(SecretView, OptionalScalars_OnlyWhenSet) {
  auto secret = BareSecret();
  secret.description = "d";
  secret.kms_key_id = "alias/k";
  secret.type = "t";
  secret.owning_service = "rds";
  secret.primary_region = "us-west-2";
  secret.last_accessed_date = 1'700'006'400'000;
  secret.deleted_date = 1'700'000'200'000;
  for (const auto& view : {DescribeSecretView(secret, {}), SecretListEntryView(secret, {})}) {
    EXPECT_EQ(view["Description"], "d");
    EXPECT_EQ(view["KmsKeyId"], "alias/k");
    EXPECT_EQ(view["Type"], "t");
    EXPECT_EQ(view["OwningService"], "rds");
    EXPECT_EQ(view["PrimaryRegion"], "us-west-2");
    EXPECT_EQ(view["LastAccessedDate"], 1'700'006'400);
    EXPECT_EQ(view["DeletedDate"], 1'700'000'200);
  }
  auto bare = DescribeSecretView(BareSecret(), {});
  for (const char* key : {"Description", "KmsKeyId", "Type", "OwningService", "PrimaryRegion",
                          "LastAccessedDate", "DeletedDate", "ReplicationStatus"}) {
    EXPECT_FALSE(bare.contains(key)) << key;
  }
}

}  // namespace
}  // namespace sml::api::model
