#include "api/model/timestamps.h"
#include "tests/unit/api/operations/lifecycle_fixture.h"

namespace sml::api::operations::testing {
namespace {

using DeleteSecretTest = LifecycleTest;

TEST_F(DeleteSecretTest, DeleteSecret_DefaultWindowIsThirtyDays) {
  Create("s");
  auto out = Call(&DeleteSecret, {{"SecretId", "s"}});
  const EpochMillis deletion = kStart + 30 * model::kMillisPerDay;
  EXPECT_EQ(out["DeletionDate"], deletion / 1000);
  EXPECT_EQ(out["Name"], "s");
  auto record = Record("s");
  EXPECT_EQ(record->deleted_date, kStart);
  EXPECT_EQ(record->deletion_date, deletion);
}

TEST_F(DeleteSecretTest, DeleteSecret_HonoursRecoveryWindow) {
  Create("s");
  Call(&DeleteSecret, {{"SecretId", "s"}, {"RecoveryWindowInDays", 7}});
  EXPECT_EQ(Record("s")->deletion_date, kStart + 7 * model::kMillisPerDay);
}

TEST_F(DeleteSecretTest, DeleteSecret_WindowOutsideSevenToThirtyIsInvalidParameter) {
  Create("s");
  for (int days : {6, 31, 0}) {
    auto error = Fails(&DeleteSecret, {{"SecretId", "s"}, {"RecoveryWindowInDays", days}});
    EXPECT_EQ(error.code(), ErrorCode::kInvalidParameter) << days;
  }
  EXPECT_FALSE(Record("s")->deleted_date);
}

TEST_F(DeleteSecretTest, DeleteSecret_ForceWithWindowIsInvalidParameter) {
  Create("s");
  auto error =
      Fails(&DeleteSecret,
            {{"SecretId", "s"}, {"RecoveryWindowInDays", 7}, {"ForceDeleteWithoutRecovery", true}});
  EXPECT_EQ(error.code(), ErrorCode::kInvalidParameter);
  EXPECT_STREQ(
      error.what(),
      "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
}

// AWS checks the window's range before the conflict with
// ForceDeleteWithoutRecovery (RecoveryWindowInDays=0 with the flag).
TEST_F(DeleteSecretTest, DeleteSecret_WindowOutOfRangeIsReportedBeforeForceConflict) {
  Create("s");
  for (int days : {0, 6, 31}) {
    auto error = Fails(
        &DeleteSecret,
        {{"SecretId", "s"}, {"RecoveryWindowInDays", days}, {"ForceDeleteWithoutRecovery", true}});
    EXPECT_EQ(error.code(), ErrorCode::kInvalidParameter) << days;
    EXPECT_STREQ(error.what(),
                 "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).")
        << days;
  }
  EXPECT_TRUE(Record("s"));
}

TEST_F(DeleteSecretTest, DeleteSecret_ForcePurgesAtOnceAndFreesTheName) {
  Create("s");
  auto out = Call(&DeleteSecret, {{"SecretId", "s"}, {"ForceDeleteWithoutRecovery", true}});
  EXPECT_EQ(out["DeletionDate"], kStart / 1000);
  EXPECT_FALSE(Record("s"));
  Call(&CreateSecret, {{"Name", "s"}});
  EXPECT_TRUE(Record("s"));
}

TEST_F(DeleteSecretTest, DeleteSecret_ForceOnMissingSecretSucceeds) {
  auto out = Call(&DeleteSecret, {{"SecretId", "ghost"}, {"ForceDeleteWithoutRecovery", true}});
  EXPECT_EQ(out["Name"], "ghost");
  EXPECT_TRUE(out.contains("ARN"));
}

TEST_F(DeleteSecretTest, DeleteSecret_ForceOnScheduledSecretPurges) {
  Create("s");
  Call(&DeleteSecret, {{"SecretId", "s"}});
  Call(&DeleteSecret, {{"SecretId", "s"}, {"ForceDeleteWithoutRecovery", true}});
  EXPECT_FALSE(Record("s"));
}

TEST_F(DeleteSecretTest, DeleteSecret_AlreadyScheduledIsInvalidRequest) {
  Create("s");
  Call(&DeleteSecret, {{"SecretId", "s"}});
  EXPECT_EQ(Fails(&DeleteSecret, {{"SecretId", "s"}}).code(), ErrorCode::kInvalidRequest);
}

TEST_F(DeleteSecretTest, DeleteSecret_MissingSecretIsResourceNotFound) {
  EXPECT_EQ(Fails(&DeleteSecret, {{"SecretId", "ghost"}}).code(), ErrorCode::kResourceNotFound);
}

TEST_F(DeleteSecretTest, DeleteSecret_NotifiesTheChangeListener) {
  Create("s");
  listener.changed.clear();
  Call(&DeleteSecret, {{"SecretId", "s"}});
  EXPECT_EQ(listener.changed, std::vector<std::int64_t>{Record("s")->id});
}

}  // namespace
}  // namespace sml::api::operations::testing
