// The guards of the background jobs: a rotation, a purge or a scheduler pass
// whose storage fails in every way still ends as a record in the history (or
// the log) and the scheduler carries on; nothing throws out to the thread.
#include <gtest/gtest.h>

#include <map>
#include <stdexcept>

#include "server/rotation/rotation_service.h"
#include "server/rotation/scheduler.h"
#include "tests/unit/server/fake_store.h"

namespace sml::server::rotation {
namespace {

constexpr api::EpochMillis kNow = 1'700'000'000'000;

// Secrets in a map; each kind of access can be told to throw.
class ScriptedRepository final : public testing::FakeRepository {
 public:
  std::map<std::int64_t, storage::SecretRecord> secrets_by_id;
  std::vector<storage::RotationAttemptRecord> saved;    // every save, in order
  std::vector<storage::RotationAttemptRecord> running;  // what a restart finds
  bool fail_due = false, fail_versions = false, fail_updates = false, fail_find = false;
  bool fail_purge = false;
  int purges = 0;  // attempts

  std::vector<storage::SecretRecord> DueRotations(storage::EpochMillis now, int limit) override {
    if (fail_due) throw std::runtime_error("due rotations unreadable");
    std::vector<storage::SecretRecord> due;
    for (const auto& [id, s] : secrets_by_id) {
      if (s.rotation_enabled.value_or(false) && s.next_rotation_date <= now &&
          static_cast<int>(due.size()) < limit) {
        due.push_back(s);
      }
    }
    return due;
  }
  std::vector<storage::SecretRecord> DueDeletions(storage::EpochMillis now, int limit) override {
    std::vector<storage::SecretRecord> due;
    for (const auto& [id, s] : secrets_by_id) {
      if (s.deletion_date && *s.deletion_date <= now && static_cast<int>(due.size()) < limit) {
        due.push_back(s);
      }
    }
    return due;
  }
  std::optional<storage::VersionRecord> FindVersionByLabel(std::int64_t, std::string_view,
                                                           bool) override {
    if (fail_versions) throw std::runtime_error("versions unreadable");
    return std::nullopt;
  }
  std::optional<storage::SecretRecord> FindSecretById(std::int64_t id) override {
    if (fail_find) throw std::runtime_error("secret unreadable");
    auto it = secrets_by_id.find(id);
    if (it == secrets_by_id.end()) return std::nullopt;
    return it->second;
  }
  void UpdateSecret(const storage::SecretRecord& secret) override {
    if (fail_updates) throw std::runtime_error("secret unwritable");
    secrets_by_id[secret.id] = secret;
  }
  void PurgeSecret(std::int64_t id) override {
    ++purges;
    if (fail_purge) throw std::runtime_error("purge failed");
    secrets_by_id.erase(id);
  }
  void SaveRotationAttempt(storage::RotationAttemptRecord& attempt) override {
    if (attempt.id == 0) attempt.id = static_cast<std::int64_t>(saved.size()) + 1;
    saved.push_back(attempt);
  }
  std::vector<storage::RotationAttemptRecord> RunningRotationAttempts() override { return running; }
};

class ScriptedStore final : public storage::Store {
 public:
  ScriptedRepository repo;

 protected:
  void Begin(bool) override {}
  void Commit() override {}
  void Rollback() noexcept override {}
  void BeginSavepoint() override {}
  void ReleaseSavepoint() override {}
  bool RollbackToSavepoint() noexcept override { return true; }
  storage::Repository& repository() override { return repo; }
};

class BackgroundFailuresTest : public ::testing::Test {
 protected:
  BackgroundFailuresTest() {
    rotations.RegisterHandler("password",
                              ParseHandlerConfig({{"type", "builtin"}, {"name", "password"}}));
    storage::SecretRecord secret;
    secret.id = 7;
    secret.account_id = "123456789012";
    secret.region = "us-east-1";
    secret.name = "db";
    secret.arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf";
    secret.rotation_enabled = true;
    secret.rotation_lambda_arn = "password";
    secret.rotation_rules_json = R"({"AutomaticallyAfterDays":7})";
    secret.next_rotation_date = kNow - 1000;
    repo().secrets_by_id[secret.id] = secret;
  }
  ~BackgroundFailuresTest() override { rotations.Shutdown(); }

  ScriptedRepository& repo() { return store.repo; }
  // A scheduled rotation of secret 7 by the builtin handler.
  api::RotationRun ScheduledPasswordRun() {
    return {.secret_id = 7,
            .secret_arn = repo().secrets_by_id[7].arn,
            .account_id = "123456789012",
            .region = "us-east-1",
            .token = std::string(36, 't'),
            .lambda_arn = "password",
            .trigger = api::RotationTrigger::kScheduled};
  }
  void AddDeletedSecret(std::int64_t id) {
    storage::SecretRecord gone = repo().secrets_by_id[7];
    gone.id = id;
    gone.rotation_enabled = false;
    gone.deleted_date = kNow - 8 * 86'400'000;
    gone.deletion_date = kNow - 1;
    repo().secrets_by_id[id] = gone;
  }

  ScriptedStore store;
  api::ManualClock clock{kNow};
  api::SeededRandom random{1};
  api::SeededRandom schedule_random{2};
  api::Services services{store, clock, random, schedule_random};
  boost::asio::io_context io;  // never run: timers stay unarmed
  RotationService rotations{services, {.callback_endpoint = "http://127.0.0.1:1", .threads = 1}};
  Scheduler scheduler{io, services, rotations};
};

TEST_F(BackgroundFailuresTest, RotationThatCannotStart_IsAFailedAttemptAndRescheduled) {
  repo().fail_versions = true;
  EXPECT_NO_THROW(scheduler.RunDueEvents());
  ASSERT_EQ(repo().saved.size(), 1u);
  EXPECT_EQ(repo().saved[0].outcome, "failed");
  EXPECT_EQ(repo().saved[0].trigger, "scheduled");
  EXPECT_EQ(repo().saved[0].error, "the rotation could not start: versions unreadable");
  EXPECT_GT(repo().secrets_by_id[7].next_rotation_date.value_or(0), kNow);
}

TEST_F(BackgroundFailuresTest, RotationThatCannotStartNorBeRescheduled_IsSetAsideNotLooped) {
  repo().fail_versions = true;
  repo().fail_updates = true;
  EXPECT_NO_THROW(scheduler.RunDueEvents());  // returns: the event is set aside
  EXPECT_NO_THROW(scheduler.RunDueEvents());
  ASSERT_EQ(repo().saved.size(), 1u);  // recorded once, not retried by this process
  EXPECT_EQ(repo().saved[0].outcome, "failed");
}

TEST_F(BackgroundFailuresTest, SetAsideEvent_DoesNotBlockTheOthers) {
  repo().fail_versions = true;
  repo().fail_updates = true;
  AddDeletedSecret(8);
  EXPECT_NO_THROW(scheduler.RunDueEvents());
  EXPECT_EQ(repo().saved.size(), 1u);  // 7 failed to start...
  EXPECT_EQ(repo().purges, 1);         // ...and 8 was purged all the same
  EXPECT_FALSE(repo().secrets_by_id.contains(8));
}

TEST_F(BackgroundFailuresTest, FailedPurge_IsSetAsideNotLooped) {
  repo().secrets_by_id[7].rotation_enabled = false;
  AddDeletedSecret(8);
  repo().fail_purge = true;
  EXPECT_NO_THROW(scheduler.RunDueEvents());
  EXPECT_NO_THROW(scheduler.RunDueEvents());
  EXPECT_EQ(repo().purges, 1);
}

TEST_F(BackgroundFailuresTest, UnreadableDueEvents_EndThePassWithoutThrowing) {
  repo().fail_due = true;
  EXPECT_NO_THROW(scheduler.RunDueEvents());
  EXPECT_TRUE(repo().saved.empty());
}

TEST_F(BackgroundFailuresTest, InterruptedRotationOfAnUnreadableSecret_StillLetsTheServerStart) {
  repo().running.push_back({.id = 41,
                            .secret_id = 7,
                            .secret_arn = "arn",
                            .secret_name = "db",
                            .token = "t",
                            .trigger = "scheduled",
                            .started = kNow - 5000,
                            .outcome = "running",
                            .steps_json = "[]"});
  repo().fail_find = true;
  EXPECT_NO_THROW(scheduler.Start());
  ASSERT_FALSE(repo().saved.empty());
  EXPECT_EQ(repo().saved[0].id, 41);
  EXPECT_EQ(repo().saved[0].outcome, "failed");
  scheduler.Stop();
}

TEST_F(BackgroundFailuresTest, RotationRunThatThrows_EndsAsAFailedAttempt) {
  repo().fail_find = true;  // the final write cannot read the secret
  const api::RotationRun run = ScheduledPasswordRun();
  EXPECT_NO_THROW(rotations.RunNow(run));
  ASSERT_GE(repo().saved.size(), 2u);  // running, then failed
  EXPECT_EQ(repo().saved.front().outcome, "running");
  EXPECT_EQ(repo().saved.back().id, repo().saved.front().id);
  EXPECT_EQ(repo().saved.back().outcome, "failed");
  EXPECT_EQ(repo().saved.back().error, "the rotation could not run: secret unreadable");
}

TEST_F(BackgroundFailuresTest, OnceShutdownBegins_NoStepStarts) {
  rotations.Shutdown();
  const api::RotationRun run = ScheduledPasswordRun();
  EXPECT_NO_THROW(rotations.RunNow(run));
  ASSERT_GE(repo().saved.size(), 2u);
  EXPECT_EQ(repo().saved.back().outcome, "failed");
  EXPECT_EQ(repo().saved.back().error, std::string("createSecret failed: ") + kStoppedByShutdown);
}

TEST_F(BackgroundFailuresTest, StepWhoseEventCannotBeSerialised_IsAFailedStepNotACrash) {
  // Handlers get the event as JSON text; an ARN of invalid UTF-8 (stored
  // before identity was validated) must not throw from the serialisation.
  rotations.RegisterHandler(
      "exec",
      ParseHandlerConfig({{"type", "exec"}, {"command", {"/bin/sh", "-c", "cat; exit 3"}}}));
  api::RotationRun run{
      .secret_id = 7,
      .secret_arn = "arn:aws:secretsmanager:\xff\xfe:123456789012:secret:\xff-AbCdEf",
      .account_id = "123456789012",
      .region = "\xff\xfe",
      .token = std::string(36, 't'),
      .lambda_arn = "exec",
      .trigger = api::RotationTrigger::kManual};
  EXPECT_NO_THROW(rotations.RunNow(run));
  ASSERT_GE(repo().saved.size(), 2u);
  const auto& last = repo().saved.back();
  EXPECT_EQ(last.outcome, "failed");
  EXPECT_EQ(last.error.rfind("createSecret failed: exited with status 3", 0), 0u) << last.error;
  auto steps = nlohmann::json::parse(last.steps_json);
  ASSERT_EQ(steps.size(), 1u);
  // The handler read the event: the invalid bytes arrived replaced, as valid JSON.
  auto event = nlohmann::json::parse(steps[0]["output"].get<std::string>());
  EXPECT_EQ(event["Step"], "createSecret");
}

}  // namespace
}  // namespace sml::server::rotation
