// The scheduler and the rotation service together, in process: a real
// in-memory Store, a ManualClock, the builtin password handler (no child
// processes, no HTTP), and the server's io_context on a thread.
#include "server/rotation/scheduler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "../../api/operations/lifecycle_fixture.h"
#include "api/rotation/rotation_starter.h"
#include "server/rotation/rotation_service.h"

namespace sml::server::rotation {
namespace {

using api::operations::testing::kStart;
constexpr api::EpochMillis kDay = 86'400'000;

class SchedulerTest : public api::operations::testing::LifecycleTest {
 protected:
  SchedulerTest() {
    services.rotation_starter = &rotations;
    services.change_listener = &scheduler;
    rotations.RegisterHandler("password", ParseHandlerConfig({{"type", "builtin"}, {"name", "password"}}));
    io_thread = std::thread([this] { io.run(); });
  }
  ~SchedulerTest() override {
    scheduler.Stop();
    rotations.Shutdown();
    work.reset();
    io.stop();
    io_thread.join();
  }

  std::vector<storage::RotationAttemptRecord> Attempts(const std::string& secret) {
    return store->Read([&](storage::Repository& repo) { return repo.RotationAttempts(secret, 100); });
  }
  // Waits for the secret's newest attempt to finish (the pool runs manual ones).
  storage::RotationAttemptRecord Finished(const std::string& secret, std::size_t count = 1) {
    for (int i = 0; i < 500; ++i) {
      auto attempts = Attempts(secret);
      std::size_t done = 0;
      for (const auto& a : attempts) done += a.outcome != "running";
      if (done >= count) return attempts.front();
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "rotation of " << secret << " did not finish";
    return {};
  }

  boost::asio::io_context io;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work{
      boost::asio::make_work_guard(io)};
  RotationService rotations{services, {.callback_endpoint = "http://127.0.0.1:1", .threads = 2}};
  Scheduler scheduler{io, services, rotations};
  std::thread io_thread;
};

TEST_F(SchedulerTest, ManualRotation_RunsTheFourStepsAndSchedulesTheNext) {
  Create("db", R"({"username":"app","password":"old"})");
  Call(&api::operations::RotateSecret, {{"SecretId", "db"},
                                        {"ClientRequestToken", Token('p')},
                                        {"RotationLambdaARN", "password"},
                                        {"RotationRules", {{"AutomaticallyAfterDays", 7}}}});
  auto attempt = Finished("db");
  EXPECT_EQ(attempt.outcome, "succeeded") << attempt.error;
  EXPECT_EQ(attempt.trigger, "manual");
  EXPECT_EQ(nlohmann::json::parse(attempt.steps_json).size(), 4u);

  auto value = Call(&api::operations::GetSecretValue, {{"SecretId", "db"}});
  EXPECT_EQ(value["VersionId"], Token('p'));
  auto rotated = nlohmann::json::parse(value["SecretString"].get<std::string>());
  EXPECT_EQ(rotated["username"], "app");
  EXPECT_NE(rotated["password"], "old");
  auto described = Call(&api::operations::DescribeSecret, {{"SecretId", "db"}});
  EXPECT_EQ(described["LastRotatedDate"], kStart / 1000);
  double next = described["NextRotationDate"];
  EXPECT_GE(next * 1000, static_cast<double>(kStart + 7 * kDay - kDay));  // the 7th UTC day on
  EXPECT_LT(next * 1000, static_cast<double>(kStart + 8 * kDay));
  EXPECT_EQ(described["VersionIdsToStages"].size(), 2u);  // AWSCURRENT + AWSPREVIOUS, no AWSPENDING
}

TEST_F(SchedulerTest, ClockPastNextRotationDate_RunsTheScheduledRotationBeforeReturning) {
  Create("db", R"({"password":"old"})");
  Call(&api::operations::RotateSecret, {{"SecretId", "db"},
                                        {"ClientRequestToken", Token('p')},
                                        {"RotationLambdaARN", "password"},
                                        {"RotationRules", {{"ScheduleExpression", "rate(2 days)"}}}});
  Finished("db");
  clock.Advance(3 * kDay);
  scheduler.RunDueEvents();
  auto attempts = Attempts("db");
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts.front().trigger, "scheduled");
  EXPECT_EQ(attempts.front().outcome, "succeeded") << attempts.front().error;
  EXPECT_NE(Call(&api::operations::GetSecretValue, {{"SecretId", "db"}})["VersionId"], Token('p'));
}

TEST_F(SchedulerTest, AfterARotation_RulesOfAnExpressionShowTheDaysBetweenRotations) {
  auto rotate = [&](const std::string& name, const std::string& expression, char token) {
    Create(name, R"({"password":"old"})");
    Call(&api::operations::RotateSecret,
         {{"SecretId", name},
          {"ClientRequestToken", Token(token)},
          {"RotationLambdaARN", "password"},
          {"RotationRules", {{"ScheduleExpression", expression}, {"Duration", "2h"}}}});
    Finished(name);
    return Call(&api::operations::DescribeSecret, {{"SecretId", name}})["RotationRules"];
  };
  EXPECT_EQ(rotate("days", "rate(10 days)", 'a'),
            nlohmann::json({{"AutomaticallyAfterDays", 10},
                            {"Duration", "2h"},
                            {"ScheduleExpression", "rate(10 days)"}}));
  // Windows the same UTC day: the member's minimum, as AWS shows for hours.
  EXPECT_EQ(rotate("hours", "rate(6 hours)", 'b'),
            nlohmann::json({{"AutomaticallyAfterDays", 1},
                            {"Duration", "2h"},
                            {"ScheduleExpression", "rate(6 hours)"}}));
  // The listing shows the same, and the expression still governs: the next
  // rotation comes 10 days on, not from the shown figure.
  auto listed =
      Call(&api::operations::ListSecrets, {{"Filters", {{{"Key", "name"}, {"Values", {"days"}}}}}});
  EXPECT_EQ(listed["SecretList"][0]["RotationRules"]["AutomaticallyAfterDays"], 10);
  clock.Advance(11 * kDay);
  scheduler.RunDueEvents();
  EXPECT_EQ(Attempts("days").size(), 2u);
  EXPECT_EQ(Call(&api::operations::DescribeSecret,
                 {{"SecretId", "days"}})["RotationRules"]["AutomaticallyAfterDays"],
            10);
}

TEST_F(SchedulerTest, AdvanceClockTo_RunsEveryDueRotationAtItsOwnMoment) {
  Create("db", R"({"password":"old"})");
  Call(&api::operations::RotateSecret, {{"SecretId", "db"},
                                        {"ClientRequestToken", Token('p')},
                                        {"RotationLambdaARN", "password"},
                                        {"RotationRules", {{"AutomaticallyAfterDays", 30}}}});
  Finished("db");
  std::vector<api::EpochMillis> clock_moves;
  scheduler.AdvanceClockTo(kStart + 95 * kDay, [&](api::EpochMillis when) {
    clock_moves.push_back(when);
    if (when > clock.Now()) clock.Set(when);
  });
  EXPECT_EQ(clock.Now(), kStart + 95 * kDay);

  auto attempts = Attempts("db");
  std::reverse(attempts.begin(), attempts.end());  // oldest first
  ASSERT_EQ(attempts.size(), 4u);                  // the manual one and three scheduled
  for (std::size_t i = 1; i < attempts.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(attempts[i].trigger, "scheduled");
    EXPECT_EQ(attempts[i].outcome, "succeeded") << attempts[i].error;
    // Inside the window computed from the previous actual rotation: the 30th
    // UTC day after it.
    const api::EpochMillis previous_day = attempts[i - 1].started / kDay * kDay;
    EXPECT_GE(attempts[i].started, previous_day + 30 * kDay);
    EXPECT_LT(attempts[i].started, previous_day + 31 * kDay);
    // The clock stood at the due moment while the rotation ran.
    EXPECT_EQ(attempts[i].started, clock_moves[i - 1]);
  }
  auto described = Call(&api::operations::DescribeSecret, {{"SecretId", "db"}});
  EXPECT_DOUBLE_EQ(described["LastRotatedDate"].get<double>(),
                   static_cast<double>(attempts.back().started) / 1000);
  EXPECT_GT(described["NextRotationDate"].get<double>() * 1000,
            static_cast<double>(kStart + 95 * kDay));
}

TEST_F(SchedulerTest, AdvanceClockTo_PurgesEachSecretAtItsOwnDeletionDate) {
  Create("first");
  Create("second");
  Call(&api::operations::DeleteSecret, {{"SecretId", "first"}, {"RecoveryWindowInDays", 7}});
  clock.Advance(kDay);
  Call(&api::operations::DeleteSecret, {{"SecretId", "second"}, {"RecoveryWindowInDays", 7}});
  std::vector<std::pair<api::EpochMillis, std::size_t>> seen;  // (clock, secrets left)
  scheduler.AdvanceClockTo(kStart + 30 * kDay, [&](api::EpochMillis when) {
    const auto left = store->Read([](storage::Repository& repo) { return repo.CountSecrets(); });
    seen.emplace_back(when, static_cast<std::size_t>(left));
    if (when > clock.Now()) clock.Set(when);
  });
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], std::make_pair(kStart + 7 * kDay, std::size_t{2}));
  EXPECT_EQ(seen[1], std::make_pair(kStart + 8 * kDay, std::size_t{1}));
  EXPECT_EQ(seen[2], std::make_pair(kStart + 30 * kDay, std::size_t{0}));
}

TEST_F(SchedulerTest, RecoveryWindowEnded_PurgesTheSecretForGood) {
  Create("gone");
  Call(&api::operations::DeleteSecret, {{"SecretId", "gone"}, {"RecoveryWindowInDays", 7}});
  clock.Advance(6 * kDay);
  scheduler.RunDueEvents();
  EXPECT_NO_THROW(Call(&api::operations::DescribeSecret, {{"SecretId", "gone"}}));
  clock.Advance(2 * kDay);
  scheduler.RunDueEvents();
  EXPECT_EQ(Fails(&api::operations::DescribeSecret, {{"SecretId", "gone"}}).code(),
            api::ErrorCode::kResourceNotFound);
  Create("gone");  // the name is free again
}

TEST_F(SchedulerTest, FailedScheduledRotation_IsRetriedWithBackoffInsideItsWindow) {
  Create("plain-binary");
  // The builtin handler refuses binary values, so every run fails at createSecret.
  Call(&api::operations::PutSecretValue, {{"SecretId", "plain-binary"},
                                          {"ClientRequestToken", Token('b')},
                                          {"SecretBinary", "AAEC"}});
  Call(&api::operations::RotateSecret, {{"SecretId", "plain-binary"},
                                        {"ClientRequestToken", Token('p')},
                                        {"RotationLambdaARN", "password"},
                                        {"RotationRules", {{"AutomaticallyAfterDays", 1}, {"Duration", "24h"}}},
                                        {"RotateImmediately", false}});
  Finished("plain-binary");  // the testSecret-only run
  // Exactly when it is due: the window (the next UTC day) is still open for a retry.
  double due = Call(&api::operations::DescribeSecret, {{"SecretId", "plain-binary"}})["NextRotationDate"];
  ASSERT_LT(static_cast<api::EpochMillis>(due * 1000) % kDay, kDay - 120'000);
  clock.Set(static_cast<api::EpochMillis>(due * 1000));
  scheduler.RunDueEvents();
  auto failed = Attempts("plain-binary").front();
  EXPECT_EQ(failed.trigger, "scheduled");
  EXPECT_EQ(failed.outcome, "failed");
  auto retry_at = Call(&api::operations::DescribeSecret, {{"SecretId", "plain-binary"}})["NextRotationDate"].get<double>();
  EXPECT_NEAR(retry_at * 1000, static_cast<double>(clock.Now() + 60'000), 1000);  // first backoff: a minute
  // AWSCURRENT is untouched; the pending version waits for the retry.
  EXPECT_EQ(Call(&api::operations::GetSecretValue, {{"SecretId", "plain-binary"}})["VersionId"], Token('b'));
}

TEST_F(SchedulerTest, RunInterruptedByACrash_IsMarkedFailedAndDueAgainAtStart) {
  Create("db", R"({"password":"old"})");
  Call(&api::operations::RotateSecret, {{"SecretId", "db"},
                                        {"ClientRequestToken", Token('p')},
                                        {"RotationLambdaARN", "password"},
                                        {"RotationRules", {{"AutomaticallyAfterDays", 30}}}});
  Finished("db");
  // As a crash leaves it: an attempt still marked running.
  store->Write([&](storage::Repository& repo) {
    auto secret = *repo.FindSecretByName("123456789012", "us-east-1", "db");
    storage::RotationAttemptRecord attempt{.secret_id = secret.id, .secret_arn = secret.arn,
                                           .secret_name = "db", .token = Token('q'),
                                           .trigger = "scheduled", .started = clock.Now(),
                                           .outcome = "running", .steps_json = "[]"};
    repo.SaveRotationAttempt(attempt);
  });
  scheduler.Start();
  auto attempt = Finished("db", 3);
  EXPECT_EQ(Attempts("db")[1].outcome, "failed");
  EXPECT_NE(Attempts("db")[1].error.find("interrupted"), std::string::npos);
  EXPECT_EQ(attempt.trigger, "scheduled");
  EXPECT_EQ(attempt.outcome, "succeeded") << attempt.error;
}

}  // namespace
}  // namespace sml::server::rotation
