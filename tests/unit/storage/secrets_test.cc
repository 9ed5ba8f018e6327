// Secrets through the Repository: round-trips, lookups, transactions.
#include <gtest/gtest.h>

#include "tests/unit/storage/store_fixture.h"

namespace sml::storage {
namespace {

using testing::FakeCipher;
using testing::Insert;
using testing::MakeSecret;

class SecretsTest : public ::testing::Test {
 protected:
  FakeCipher cipher_;
  std::unique_ptr<Store> store_ = testing::OpenInMemory(cipher_);
};

SecretRecord EveryFieldSet() {
  SecretRecord secret = MakeSecret("full/name_+=.@-", 1111);
  secret.description = "a description";
  secret.kms_key_id = "alias/custom";
  secret.type = "rds";
  secret.owning_service = "appflow";
  secret.last_changed_date = 2222;
  secret.last_accessed_date = 3333;
  secret.deleted_date = 4444;
  secret.deletion_date = 5555;
  secret.tags = std::vector<Tag>{{"b", "2"}, {"a", ""}, {"unicode ✓", "välue \"quoted\""}};
  secret.rotation_enabled = false;
  secret.rotation_lambda_arn = "arn:aws:lambda:us-east-1:000000000000:function:rot";
  secret.rotation_rules_json = R"({"AutomaticallyAfterDays":30})";
  secret.last_rotated_date = 6666;
  secret.next_rotation_date = 7777;
  secret.resource_policy = R"({"Version":"2012-10-17"})";
  secret.primary_region = "eu-west-1";
  secret.replication_status_json = R"([{"Region":"eu-west-2","Status":"InSync"}])";
  secret.external_rotation_metadata_json = R"([{"Key":"b","Value":"2"},{"Key":"a","Value":"1"}])";
  secret.external_rotation_role_arn = "arn:aws:iam::000000000000:role/partner-rotation";
  return secret;
}

// Compares field by field so that a failure names the field.
void ExpectSameSecret(const SecretRecord& actual, const SecretRecord& expected) {
  EXPECT_EQ(actual.id, expected.id);
  EXPECT_EQ(actual.account_id, expected.account_id);
  EXPECT_EQ(actual.region, expected.region);
  EXPECT_EQ(actual.name, expected.name);
  EXPECT_EQ(actual.arn, expected.arn);
  EXPECT_EQ(actual.description, expected.description);
  EXPECT_EQ(actual.kms_key_id, expected.kms_key_id);
  EXPECT_EQ(actual.type, expected.type);
  EXPECT_EQ(actual.owning_service, expected.owning_service);
  EXPECT_EQ(actual.created_date, expected.created_date);
  EXPECT_EQ(actual.last_changed_date, expected.last_changed_date);
  EXPECT_EQ(actual.last_accessed_date, expected.last_accessed_date);
  EXPECT_EQ(actual.deleted_date, expected.deleted_date);
  EXPECT_EQ(actual.deletion_date, expected.deletion_date);
  EXPECT_EQ(actual.tags, expected.tags);
  EXPECT_EQ(actual.rotation_enabled, expected.rotation_enabled);
  EXPECT_EQ(actual.rotation_lambda_arn, expected.rotation_lambda_arn);
  EXPECT_EQ(actual.rotation_rules_json, expected.rotation_rules_json);
  EXPECT_EQ(actual.last_rotated_date, expected.last_rotated_date);
  EXPECT_EQ(actual.next_rotation_date, expected.next_rotation_date);
  EXPECT_EQ(actual.resource_policy, expected.resource_policy);
  EXPECT_EQ(actual.primary_region, expected.primary_region);
  EXPECT_EQ(actual.replication_status_json, expected.replication_status_json);
  EXPECT_EQ(actual.external_rotation_metadata_json, expected.external_rotation_metadata_json);
  EXPECT_EQ(actual.external_rotation_role_arn, expected.external_rotation_role_arn);
}

TEST_F(SecretsTest, InsertSecret_EveryFieldRoundTrips) {
  SecretRecord secret = Insert(*store_, EveryFieldSet());
  EXPECT_GT(secret.id, 0);
  store_->Read([&](Repository& repo) {
    auto by_id = repo.FindSecretById(secret.id);
    ASSERT_TRUE(by_id);
    ExpectSameSecret(*by_id, secret);
    auto by_name = repo.FindSecretByName(secret.account_id, secret.region, secret.name);
    ASSERT_TRUE(by_name);
    ExpectSameSecret(*by_name, secret);
    auto by_arn = repo.FindSecretByArn(secret.arn);
    ASSERT_TRUE(by_arn);
    ExpectSameSecret(*by_arn, secret);
  });
}

TEST_F(SecretsTest, InsertSecret_AllOptionalFieldsAbsentRoundTrip) {
  SecretRecord secret = Insert(*store_, MakeSecret("bare"));
  auto found = store_->Read([&](Repository& repo) { return repo.FindSecretById(secret.id); });
  ASSERT_TRUE(found);
  ExpectSameSecret(*found, secret);
}

// Every field but LastAccessedDate, which only reads move (RecordAccess).
TEST_F(SecretsTest, UpdateSecret_OverwritesEveryFieldButLastAccessedDate) {
  SecretRecord secret = Insert(*store_, MakeSecret("full/name_+=.@-"));
  SecretRecord changed = EveryFieldSet();
  changed.id = secret.id;
  store_->Write([&](Repository& repo) { repo.UpdateSecret(changed); });
  auto found = store_->Read([&](Repository& repo) { return repo.FindSecretById(secret.id); });
  ASSERT_TRUE(found);
  changed.last_accessed_date = std::nullopt;
  ExpectSameSecret(*found, changed);

  // And back to absent: optional fields really become NULL again.
  store_->Write([&](Repository& repo) {
    repo.RecordAccess(secret.id, "v1", 86'400'000);
    repo.UpdateSecret(secret);
  });
  found = store_->Read([&](Repository& repo) { return repo.FindSecretById(secret.id); });
  ASSERT_TRUE(found);
  secret.last_accessed_date = 86'400'000;
  ExpectSameSecret(*found, secret);
}

TEST_F(SecretsTest, SetLastChangedDate_ChangesThatColumnAlone) {
  auto secret = Insert(*store_, MakeSecret("s", 1000));
  store_->Write([&](Repository& repo) { repo.SetLastChangedDate(secret.id, 5000); });
  auto stored = store_->Read([&](Repository& repo) { return repo.FindSecretById(secret.id); });
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->last_changed_date, 5000);
  EXPECT_EQ(stored->created_date, 1000);
  EXPECT_EQ(stored->name, "s");
}

TEST_F(SecretsTest, Tags_NeverTaggedAndEmptyListStayDistinct) {
  SecretRecord untagged = MakeSecret("untagged");
  SecretRecord emptied = MakeSecret("emptied");
  emptied.tags = std::vector<Tag>{};
  untagged = Insert(*store_, untagged);
  emptied = Insert(*store_, emptied);
  store_->Read([&](Repository& repo) {
    EXPECT_EQ(repo.FindSecretById(untagged.id)->tags, std::nullopt);
    auto tags = repo.FindSecretById(emptied.id)->tags;
    ASSERT_TRUE(tags.has_value());
    EXPECT_TRUE(tags->empty());
  });
}

TEST_F(SecretsTest, Find_MissingSecretIsNullopt) {
  Insert(*store_, MakeSecret("present"));
  store_->Read([](Repository& repo) {
    EXPECT_FALSE(repo.FindSecretByName("000000000000", "us-east-1", "absent"));
    EXPECT_FALSE(repo.FindSecretByName("000000000000", "eu-west-1", "present"));
    EXPECT_FALSE(repo.FindSecretByName("111111111111", "us-east-1", "present"));
    EXPECT_FALSE(repo.FindSecretByArn("arn:aws:secretsmanager:us-east-1:000000000000:secret:x"));
    EXPECT_FALSE(repo.FindSecretById(12345));
  });
}

TEST_F(SecretsTest, SameNameInAnotherAccountOrRegion_IsADifferentSecret) {
  auto a = Insert(*store_, MakeSecret("shared", 1, "000000000000", "us-east-1"));
  auto b = Insert(*store_, MakeSecret("shared", 1, "000000000000", "eu-west-1"));
  auto c = Insert(*store_, MakeSecret("shared", 1, "111111111111", "us-east-1"));
  EXPECT_NE(a.id, b.id);
  EXPECT_NE(b.id, c.id);
  store_->Read([&](Repository& repo) {
    EXPECT_EQ(repo.FindSecretByName("000000000000", "eu-west-1", "shared")->id, b.id);
    EXPECT_EQ(repo.CountSecrets(), 3);
  });
}

TEST_F(SecretsTest, CountSecretsByRegion_FollowsInsertsPurgesRollbacksAndReset) {
  auto counts = [&] { return store_->Read([](Repository& repo) { return repo.CountSecretsByRegion(); }); };
  EXPECT_TRUE(counts().regions.empty());
  EXPECT_EQ(counts().total, 0);

  Insert(*store_, MakeSecret("a1", 1, "111111111111", "us-east-1"));
  auto doomed = Insert(*store_, MakeSecret("a2", 1, "111111111111", "us-east-1"));
  auto lone = Insert(*store_, MakeSecret("b1", 1, "000000000000", "eu-west-1"));
  Insert(*store_, MakeSecret("c1", 1, "000000000000", "us-east-1"));
  EXPECT_EQ(counts().regions, (std::vector<RegionSecretCount>{{"000000000000", "eu-west-1", 1},
                                                               {"000000000000", "us-east-1", 1},
                                                               {"111111111111", "us-east-1", 2}}));
  EXPECT_EQ(counts().total, 4);

  // A refused insert and a rolled-back write leave the count as it was.
  EXPECT_THROW(Insert(*store_, MakeSecret("a1", 1, "111111111111", "us-east-1")), std::runtime_error);
  EXPECT_THROW(store_->Write([&](Repository& repo) {
    SecretRecord extra = MakeSecret("rolled-back", 1, "222222222222", "ap-south-1");
    repo.InsertSecret(extra);
    repo.PurgeSecret(doomed.id);
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_EQ(counts().total, 4);

  // Purging the last secret of a region drops its row: no zero counts.
  store_->Write([&](Repository& repo) {
    repo.PurgeSecret(doomed.id);
    repo.PurgeSecret(lone.id);
  });
  EXPECT_EQ(counts().regions, (std::vector<RegionSecretCount>{{"000000000000", "us-east-1", 1},
                                                               {"111111111111", "us-east-1", 1}}));
  EXPECT_EQ(store_->Read([](Repository& repo) { return repo.CountSecrets(); }), 2);

  // A row moved to another region (no operation does this) is counted there.
  store_->Write([&](Repository& repo) {
    SecretRecord moved = *repo.FindSecretByName("000000000000", "us-east-1", "c1");
    moved.region = "eu-central-1";
    repo.UpdateSecret(moved);
  });
  EXPECT_EQ(counts().regions, (std::vector<RegionSecretCount>{{"000000000000", "eu-central-1", 1},
                                                               {"111111111111", "us-east-1", 1}}));

  store_->Write([](Repository& repo) { repo.Reset(); });
  EXPECT_TRUE(counts().regions.empty());
  Insert(*store_, MakeSecret("after-reset"));
  EXPECT_EQ(counts().total, 1);
}

TEST_F(SecretsTest, DuplicateNameOrArn_IsRefusedByTheDatabase) {
  Insert(*store_, MakeSecret("dup"));
  SecretRecord same_name = MakeSecret("dup");
  same_name.arn += "-other";
  EXPECT_THROW(Insert(*store_, same_name), std::runtime_error);
  SecretRecord same_arn = MakeSecret("other");
  same_arn.arn = MakeSecret("dup").arn;
  EXPECT_THROW(Insert(*store_, same_arn), std::runtime_error);
  EXPECT_EQ(store_->Read([](Repository& repo) { return repo.CountSecrets(); }), 1);
}

TEST_F(SecretsTest, Write_ExceptionRollsEverythingBack) {
  auto kept = Insert(*store_, MakeSecret("kept"));
  EXPECT_THROW(store_->Write([&](Repository& repo) {
    SecretRecord secret = MakeSecret("rolled-back");
    repo.InsertSecret(secret);
    repo.InsertVersion(secret.id, testing::MakeVersion("v1", 1, "value"));
    SecretRecord changed = kept;
    changed.description = "changed";
    repo.UpdateSecret(changed);
    repo.PurgeSecret(kept.id);
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  store_->Read([&](Repository& repo) {
    EXPECT_EQ(repo.CountSecrets(), 1);
    EXPECT_FALSE(repo.FindSecretByName("000000000000", "us-east-1", "rolled-back"));
    auto found = repo.FindSecretById(kept.id);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->description, std::nullopt);
  });
  // The store is usable afterwards.
  EXPECT_NO_THROW(Insert(*store_, MakeSecret("after")));
}

TEST_F(SecretsTest, Write_ReturnsTheWorkResult) {
  auto id = store_->Write([](Repository& repo) {
    SecretRecord secret = MakeSecret("x");
    repo.InsertSecret(secret);
    return secret.id;
  });
  EXPECT_TRUE(store_->Read([&](Repository& repo) { return repo.FindSecretById(id).has_value(); }));
}

TEST_F(SecretsTest, PurgeSecret_RemovesItsVersionsAndLabels) {
  auto secret = Insert(*store_, MakeSecret("doomed"));
  store_->Write([&](Repository& repo) {
    auto version = testing::MakeVersion("v1", 1, "value");
    version.labels = {"AWSCURRENT"};
    repo.InsertVersion(secret.id, version);
    repo.ReplaceLabels(secret.id, {version});
    repo.PurgeSecret(secret.id);
  });
  store_->Read([&](Repository& repo) {
    EXPECT_FALSE(repo.FindSecretById(secret.id));
    EXPECT_TRUE(repo.Versions(secret.id).empty());
    EXPECT_FALSE(repo.FindVersionByLabel(secret.id, "AWSCURRENT", false));
  });
}

TEST_F(SecretsTest, SecretIds_AreNotReusedAfterPurge) {
  auto first = Insert(*store_, MakeSecret("first"));
  store_->Write([&](Repository& repo) { repo.PurgeSecret(first.id); });
  auto second = Insert(*store_, MakeSecret("second"));
  EXPECT_GT(second.id, first.id);
}

TEST_F(SecretsTest, Reset_EmptiesEverythingAndKeepsSchema) {
  auto secret = Insert(*store_, MakeSecret("a"));
  store_->Write([&](Repository& repo) {
    auto version = testing::MakeVersion("v1", 1, "value");
    version.labels = {"AWSCURRENT"};
    repo.InsertVersion(secret.id, version);
    repo.ReplaceLabels(secret.id, {version});
  });
  store_->Write([](Repository& repo) { repo.Reset(); });
  store_->Read([&](Repository& repo) {
    EXPECT_EQ(repo.CountSecrets(), 0);
    EXPECT_TRUE(repo.Versions(secret.id).empty());
  });
  auto again = Insert(*store_, MakeSecret("a"));  // name free again
  EXPECT_TRUE(store_->Read([&](Repository& repo) { return repo.Versions(again.id).empty(); }));
}

}  // namespace
}  // namespace sml::storage
