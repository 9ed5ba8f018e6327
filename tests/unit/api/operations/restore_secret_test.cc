#include "tests/unit/api/operations/lifecycle_fixture.h"

namespace sml::api::operations::testing {
namespace {

using RestoreSecretTest = LifecycleTest;

TEST_F(RestoreSecretTest, RestoreSecret_ClearsTheScheduleAndValueIsReadableAgain) {
  Create("s", "v1");
  Call(&DeleteSecret, {{"SecretId", "s"}});
  auto out = Call(&RestoreSecret, {{"SecretId", "s"}});
  EXPECT_EQ(out, (nlohmann::json{{"ARN", Record("s")->arn}, {"Name", "s"}}));
  EXPECT_FALSE(Record("s")->deleted_date);
  EXPECT_FALSE(Record("s")->deletion_date);
  EXPECT_EQ(Get("s")["SecretString"], "v1");
}

TEST_F(RestoreSecretTest, RestoreSecret_OnLiveSecretSucceeds) {
  Create("s");
  EXPECT_EQ(Call(&RestoreSecret, {{"SecretId", "s"}})["Name"], "s");
}

TEST_F(RestoreSecretTest, RestoreSecret_MissingSecretIsResourceNotFound) {
  EXPECT_EQ(Fails(&RestoreSecret, {{"SecretId", "ghost"}}).code(), ErrorCode::kResourceNotFound);
}

}  // namespace
}  // namespace sml::api::operations::testing
