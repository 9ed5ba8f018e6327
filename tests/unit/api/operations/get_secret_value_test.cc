#include "api/model/timestamps.h"
#include "tests/unit/api/operations/lifecycle_fixture.h"

namespace sml::api::operations::testing {
namespace {

using GetSecretValueTest = LifecycleTest;

TEST_F(GetSecretValueTest, GetSecretValue_DefaultsToAwsCurrentWithFullOutput) {
  Create("s", "v1");
  Put("s", 'b', "v2");
  auto got = Get("s");
  EXPECT_EQ(got["ARN"], Record("s")->arn);
  EXPECT_EQ(got["Name"], "s");
  EXPECT_EQ(got["VersionId"], Token('b'));
  EXPECT_EQ(got["SecretString"], "v2");
  EXPECT_EQ(got["VersionStages"], Stages{"AWSCURRENT"});
  EXPECT_EQ(got["CreatedDate"], kStart / 1000);
}

TEST_F(GetSecretValueTest, GetSecretValue_ByVersionIdAndByStage) {
  Create("s", "v1");
  Put("s", 'b', "v2");
  EXPECT_EQ(Get("s", {{"VersionId", Token('a')}})["SecretString"], "v1");
  EXPECT_EQ(Get("s", {{"VersionStage", "AWSPREVIOUS"}})["SecretString"], "v1");
}

TEST_F(GetSecretValueTest, GetSecretValue_VersionIdAndStageMustAgree) {
  Create("s", "v1");
  Put("s", 'b', "v2");
  EXPECT_EQ(Get("s", {{"VersionId", Token('b')}, {"VersionStage", "AWSCURRENT"}})["SecretString"],
            "v2");
  auto error =
      Fails(&GetSecretValue,
            {{"SecretId", "s"}, {"VersionId", Token('a')}, {"VersionStage", "AWSCURRENT"}});
  EXPECT_EQ(error.code(), ErrorCode::kInvalidRequest);
  EXPECT_STREQ(error.what(),
               "You provided a VersionStage that is not associated to the provided VersionId.");
}

TEST_F(GetSecretValueTest, GetSecretValue_UnknownStageIsResourceNotFound) {
  Create("s");
  auto error = Fails(&GetSecretValue, {{"SecretId", "s"}, {"VersionStage", "nope"}});
  EXPECT_EQ(error.code(), ErrorCode::kResourceNotFound);
  EXPECT_STREQ(error.what(),
               "Secrets Manager can't find the specified secret value for staging label: nope");
}

TEST_F(GetSecretValueTest, GetSecretValue_UnknownVersionIdIsResourceNotFound) {
  Create("s");
  auto error = Fails(&GetSecretValue, {{"SecretId", "s"}, {"VersionId", Token('z')}});
  EXPECT_EQ(error.code(), ErrorCode::kResourceNotFound);
  EXPECT_EQ(std::string(error.what()),
            "Secrets Manager can't find the specified secret value for VersionId: " + Token('z'));
}

TEST_F(GetSecretValueTest, GetSecretValue_SecretWithoutValueIsResourceNotFoundForAwsCurrent) {
  Call(&CreateSecret, {{"Name", "s"}});
  EXPECT_STREQ(
      Fails(&GetSecretValue, {{"SecretId", "s"}}).what(),
      "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT");
}

TEST_F(GetSecretValueTest, GetSecretValue_EmptyPlaceholderIsResourceNotFound) {
  Create("s");
  auto record = *Record("s");
  store->Write([&](storage::Repository& repo) {
    storage::VersionRecord pending;
    pending.version_id = Token('p');
    repo.InsertVersion(record.id, pending);
    auto versions = repo.Versions(record.id);
    for (auto& v : versions) {
      if (v.version_id == Token('p')) v.labels = {"AWSPENDING"};
    }
    repo.ReplaceLabels(record.id, versions);
  });
  EXPECT_EQ(Fails(&GetSecretValue, {{"SecretId", "s"}, {"VersionStage", "AWSPENDING"}}).code(),
            ErrorCode::kResourceNotFound);
}

TEST_F(GetSecretValueTest, GetSecretValue_MarkedForDeletionIsInvalidRequest) {
  Create("s");
  Call(&DeleteSecret, {{"SecretId", "s"}});
  EXPECT_STREQ(Fails(&GetSecretValue, {{"SecretId", "s"}}).what(), MarkedForDeletion().what());
}

TEST_F(GetSecretValueTest, GetSecretValue_MissingSecretIsResourceNotFound) {
  EXPECT_STREQ(Fails(&GetSecretValue, {{"SecretId", "nope"}}).what(), SecretNotFound().what());
}

TEST_F(GetSecretValueTest, GetSecretValue_FindsByArn) {
  auto created = Create("s", "v1");
  EXPECT_EQ(Get(created["ARN"])["SecretString"], "v1");
}

TEST_F(GetSecretValueTest, GetSecretValue_SetsLastAccessedDateAtDayPrecision) {
  Create("s");
  clock.Advance(3 * model::kMillisPerDay + 12345);
  Get("s");
  const EpochMillis day = model::StartOfUtcDay(clock.Now());
  EXPECT_EQ(Record("s")->last_accessed_date, day);
  auto listed = Call(&ListSecretVersionIds, {{"SecretId", "s"}});
  EXPECT_EQ(listed["Versions"][0]["LastAccessedDate"], day / 1000);
}

TEST_F(GetSecretValueTest, GetSecretValue_DecryptionErrorIsDecryptionFailure) {
  Create("s");
  cipher.fail_decrypt = true;
  auto error = Fails(&GetSecretValue, {{"SecretId", "s"}});
  EXPECT_EQ(error.code(), ErrorCode::kDecryptionFailure);
  EXPECT_STREQ(
      error.what(),
      "Secrets Manager can't decrypt the protected secret text using the provided KMS key.");
}

TEST_F(GetSecretValueTest, GetSecretValue_ShortVersionIdIsValidationException) {
  Create("s");
  EXPECT_EQ(Fails(&GetSecretValue, {{"SecretId", "s"}, {"VersionId", "short"}}).code(),
            ErrorCode::kValidation);
}

}  // namespace
}  // namespace sml::api::operations::testing
