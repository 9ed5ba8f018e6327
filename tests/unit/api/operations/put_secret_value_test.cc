#include "tests/unit/api/operations/lifecycle_fixture.h"

namespace sml::api::operations::testing {
namespace {

class PutSecretValueTest : public LifecycleTest {
 protected:
  // A rotation's placeholder in secret `name`: version Token('p') made
  // without a value, and so without a KMS key; labelled AWSPENDING if asked.
  void InsertPlaceholder(const std::string& name, bool labelled) {
    const auto record = *Record(name);
    store->Write([&](storage::Repository& repo) {
      storage::VersionRecord pending;
      pending.version_id = Token('p');
      pending.created_date = kStart;
      repo.InsertVersion(record.id, pending);
      if (!labelled) return;
      auto versions = repo.Versions(record.id);
      for (auto& v : versions) {
        if (v.version_id == Token('p')) v.labels = {"AWSPENDING"};
      }
      repo.ReplaceLabels(record.id, versions);
    });
  }
};

TEST_F(PutSecretValueTest, PutSecretValue_MovesAwsCurrentAndOldCurrentBecomesAwsPrevious) {
  Create("s", "v1");
  auto out = Put("s", 'b', "v2");
  EXPECT_EQ(out["VersionId"], Token('b'));
  EXPECT_EQ(out["VersionStages"], Stages{"AWSCURRENT"});
  auto stages = StagesOf("s");
  EXPECT_EQ(stages[Token('a')], Stages{"AWSPREVIOUS"});
  EXPECT_EQ(stages[Token('b')], Stages{"AWSCURRENT"});
  EXPECT_EQ(Get("s")["SecretString"], "v2");
}

TEST_F(PutSecretValueTest, PutSecretValue_MovesAwsPreviousWithAwsCurrent) {
  Create("s", "v1");
  Put("s", 'b', "v2");
  Put("s", 'c', "v3");
  auto stages = StagesOf("s");
  EXPECT_EQ(stages[Token('a')], Stages{});
  EXPECT_EQ(stages[Token('b')], Stages{"AWSPREVIOUS"});
  EXPECT_EQ(stages[Token('c')], Stages{"AWSCURRENT"});
}

TEST_F(PutSecretValueTest, PutSecretValue_StagesWithoutAwsCurrentLeaveCurrentInPlace) {
  Create("s", "v1");
  auto out = Put("s", 'b', "v2", Stages{"AWSPENDING"});
  EXPECT_EQ(out["VersionStages"], Stages{"AWSPENDING"});
  EXPECT_EQ(Get("s")["SecretString"], "v1");
  EXPECT_EQ(StagesOf("s")[Token('a')], Stages{"AWSCURRENT"});
}

TEST_F(PutSecretValueTest, PutSecretValue_CustomLabelMovesOffItsPreviousHolder) {
  Create("s", "v1");
  Put("s", 'b', "v2", Stages{"blue"});
  Put("s", 'c', "v3", Stages{"blue"});
  auto stages = StagesOf("s");
  EXPECT_EQ(stages[Token('b')], Stages{});
  EXPECT_EQ(stages[Token('c')], Stages{"blue"});
  EXPECT_EQ(Get("s", {{"VersionStage", "blue"}})["SecretString"], "v3");
}

TEST_F(PutSecretValueTest, PutSecretValue_SameTokenSameValueChangesNothing) {
  Create("s", "v1");
  Put("s", 'b', "v2");
  clock.Advance(1000);
  auto again = Put("s", 'b', "v2");
  EXPECT_EQ(again["VersionId"], Token('b'));
  EXPECT_EQ(again["VersionStages"], Stages{"AWSCURRENT"});
  EXPECT_EQ(StagesOf("s")[Token('a')], Stages{"AWSPREVIOUS"});
  EXPECT_EQ(Record("s")->last_changed_date, kStart);
}

TEST_F(PutSecretValueTest, PutSecretValue_SameTokenDifferentValueIsResourceExists) {
  Create("s", "v1");
  auto error =
      Fails(&PutSecretValue,
            {{"SecretId", "s"}, {"SecretString", "other"}, {"ClientRequestToken", Token('a')}});
  EXPECT_EQ(error.code(), ErrorCode::kResourceExists);
  EXPECT_EQ(std::string(error.what()),
            "You can't use ClientRequestToken " + Token('a') +
                " because that value is already in use for a version of secret " +
                Record("s")->arn + ".");
  EXPECT_EQ(Get("s")["SecretString"], "v1");
}

TEST_F(PutSecretValueTest, PutSecretValue_FillsAnEmptyPlaceholderVersion) {
  Create("s", "v1");
  InsertPlaceholder("s", /*labelled=*/true);
  auto out = Put("s", 'p', "rotated", Stages{"AWSPENDING"});
  EXPECT_EQ(out["VersionStages"], Stages{"AWSPENDING"});
  EXPECT_EQ(Get("s", {{"VersionStage", "AWSPENDING"}})["SecretString"], "rotated");
  EXPECT_EQ(Get("s")["SecretString"], "v1");
}

TEST_F(PutSecretValueTest, PutSecretValue_FillingAPlaceholder_ListsTheSecretsKmsKey) {
  Call(&CreateSecret, {{"Name", "s"},
                       {"SecretString", "v1"},
                       {"KmsKeyId", "alias/mine"},
                       {"ClientRequestToken", Token('a')}});
  InsertPlaceholder("s", /*labelled=*/false);
  Put("s", 'p', "rotated", Stages{"AWSPENDING"});
  auto out = Call(&ListSecretVersionIds, {{"SecretId", "s"}});
  for (const auto& version : out["Versions"]) {
    EXPECT_EQ(version["KmsKeyIds"], nlohmann::json::array({"alias/mine"})) << version.dump();
  }
}

TEST_F(PutSecretValueTest, PutSecretValue_NoValueIsInvalidRequest) {
  Create("s");
  auto error = Fails(&PutSecretValue, {{"SecretId", "s"}, {"ClientRequestToken", Token('b')}});
  EXPECT_EQ(error.code(), ErrorCode::kInvalidRequest);
  EXPECT_STREQ(error.what(), "You must provide either SecretString or SecretBinary.");
}

TEST_F(PutSecretValueTest, PutSecretValue_BothValuesIsInvalidParameter) {
  Create("s");
  EXPECT_EQ(Fails(&PutSecretValue, {{"SecretId", "s"},
                                    {"SecretString", "x"},
                                    {"SecretBinary", "AQID"},
                                    {"ClientRequestToken", Token('b')}})
                .code(),
            ErrorCode::kInvalidParameter);
}

TEST_F(PutSecretValueTest, PutSecretValue_WithoutTokenIsMissingClientRequestToken) {
  Create("s");
  EXPECT_STREQ(Fails(&PutSecretValue, {{"SecretId", "s"}, {"SecretString", "x"}}).what(),
               MissingClientRequestToken().what());
}

TEST_F(PutSecretValueTest, PutSecretValue_OnSecretWithoutVersionsMakesAwsCurrent) {
  Call(&CreateSecret, {{"Name", "s"}});
  Put("s", 'b', "first");
  EXPECT_EQ(Get("s")["VersionId"], Token('b'));
}

TEST_F(PutSecretValueTest, PutSecretValue_FirstVersionGetsAwsCurrentEvenWhenStagesOmitIt) {
  Call(&CreateSecret, {{"Name", "s"}});
  auto out = Put("s", 'b', "first", Stages{"blue"});
  EXPECT_EQ(out["VersionStages"], (Stages{"AWSCURRENT", "blue"}));
  EXPECT_EQ(Get("s")["VersionId"], Token('b'));
  // Only the first: the second keeps to the stages it names.
  auto second = Put("s", 'c', "second", Stages{"green"});
  EXPECT_EQ(second["VersionStages"], Stages{"green"});
  EXPECT_EQ(Get("s")["VersionId"], Token('b'));
}

TEST_F(PutSecretValueTest,
       PutSecretValue_MovingAwsCurrentOffAVersionWithAwsPending_TakesPendingAlong) {
  Create("s", "v1");
  // A rotation that finished in place: AWSCURRENT and AWSPENDING on one version.
  Call(&UpdateSecretVersionStage,
       {{"SecretId", "s"}, {"VersionStage", "AWSPENDING"}, {"MoveToVersionId", Token('a')}});
  ASSERT_EQ(StagesOf("s")[Token('a')], (Stages{"AWSCURRENT", "AWSPENDING"}));
  Put("s", 'b', "v2");
  auto stages = StagesOf("s");
  EXPECT_EQ(stages[Token('a')], Stages{"AWSPREVIOUS"});
  EXPECT_EQ(stages[Token('b')], Stages{"AWSCURRENT"});
}

TEST_F(PutSecretValueTest, PutSecretValue_MarkedForDeletionIsInvalidRequest) {
  Create("s");
  Call(&DeleteSecret, {{"SecretId", "s"}});
  EXPECT_STREQ(Fails(&PutSecretValue,
                     {{"SecretId", "s"}, {"SecretString", "x"}, {"ClientRequestToken", Token('b')}})
                   .what(),
               MarkedForDeletion().what());
}

TEST_F(PutSecretValueTest, PutSecretValue_MissingSecretIsResourceNotFound) {
  EXPECT_EQ(Fails(&PutSecretValue,
                  {{"SecretId", "nope"}, {"SecretString", "x"}, {"ClientRequestToken", Token('b')}})
                .code(),
            ErrorCode::kResourceNotFound);
}

TEST_F(PutSecretValueTest, PutSecretValue_SetsLastChangedDate) {
  Create("s");
  clock.Advance(5000);
  Put("s", 'b', "v2");
  EXPECT_EQ(Record("s")->last_changed_date, kStart + 5000);
}

TEST_F(PutSecretValueTest, PutSecretValue_MoreThanTwentyStagesIsValidationException) {
  Create("s");
  Stages many;
  for (int i = 0; i < 21; ++i) many.push_back("l" + std::to_string(i));
  EXPECT_EQ(Fails(&PutSecretValue, {{"SecretId", "s"},
                                    {"SecretString", "x"},
                                    {"ClientRequestToken", Token('b')},
                                    {"VersionStages", many}})
                .code(),
            ErrorCode::kValidation);
}

TEST_F(PutSecretValueTest, PutSecretValue_PrunesOldestDeprecatedPastOneHundredVersions) {
  Create("s", "v0");
  for (int i = 1; i <= 101; ++i) {
    std::string token = "token-" + std::to_string(100000 + i) + std::string(30, 'x');
    Call(&PutSecretValue, {{"SecretId", "s"},
                           {"SecretString", "v" + std::to_string(i)},
                           {"ClientRequestToken", token}});
  }
  auto stages = StagesOf("s");
  EXPECT_EQ(stages.size(), 100u);
  EXPECT_FALSE(stages.contains(Token('a')));  // the oldest, deprecated, went first
}

TEST_F(PutSecretValueTest, PutSecretValue_AcceptsRotationToken) {
  Create("s");
  Call(&PutSecretValue, {{"SecretId", "s"},
                         {"SecretString", "x"},
                         {"ClientRequestToken", Token('b')},
                         {"RotationToken", std::string(40, 'r')}});
  EXPECT_EQ(Get("s")["SecretString"], "x");
}

TEST_F(PutSecretValueTest, PutSecretValue_RotationTokenOutsideTheModelsPattern_IsValidation) {
  Create("s");
  auto error = Fails(&PutSecretValue, {{"SecretId", "s"},
                                       {"SecretString", "x"},
                                       {"ClientRequestToken", Token('b')},
                                       {"RotationToken", std::string(40, '!')}});
  EXPECT_EQ(error.code(), ErrorCode::kValidation);
  // Sensitive: the value is not echoed.
  EXPECT_STREQ(error.what(),
               "1 validation error detected: Value at 'rotationToken' failed to satisfy "
               "constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9\\-]+$");
}

}  // namespace
}  // namespace sml::api::operations::testing
