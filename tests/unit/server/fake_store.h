#pragma once
// A Store below the server units under test: counts secrets and resets,
// nothing else (the server never reads secrets itself).
#include <atomic>
#include <stdexcept>

#include "api/clock.h"
#include "api/random.h"
#include "api/service.h"
#include "storage/store.h"

namespace sml::server::testing {

class FakeRepository : public storage::Repository {
 public:
  std::int64_t secrets = 0;
  int resets = 0;

  std::optional<storage::SecretRecord> FindSecretByName(std::string_view, std::string_view,
                                                        std::string_view) override {
    return std::nullopt;
  }
  std::optional<storage::SecretRecord> FindSecretByArn(std::string_view) override {
    return std::nullopt;
  }
  std::optional<storage::SecretRecord> FindSecretById(std::int64_t) override {
    return std::nullopt;
  }
  void InsertSecret(storage::SecretRecord&) override { Unused(); }
  void UpdateSecret(const storage::SecretRecord&) override { Unused(); }
  void SetLastChangedDate(std::int64_t, storage::EpochMillis) override { Unused(); }
  void PurgeSecret(std::int64_t) override { Unused(); }
  void ScanSecrets(const storage::ScanQuery&,
                   const std::function<bool(const storage::SecretRecord&)>&) override {}
  storage::SecretCounts CountSecretsByRegion() override {
    storage::SecretCounts counts;
    if (secrets > 0) counts.regions.push_back({"000000000000", "us-east-1", secrets});
    counts.total = secrets;
    return counts;
  }
  std::vector<storage::VersionRecord> Versions(std::int64_t) override { return {}; }
  std::optional<storage::VersionRecord> FindVersion(std::int64_t, std::string_view, bool) override {
    return std::nullopt;
  }
  std::optional<storage::VersionRecord> FindVersionByLabel(std::int64_t, std::string_view,
                                                           bool) override {
    return std::nullopt;
  }
  void InsertVersion(std::int64_t, const storage::VersionRecord&) override { Unused(); }
  bool InsertVersionIfAbsent(std::int64_t, const storage::VersionRecord&) override { Unused(); }
  void UpdateVersionValue(std::int64_t, const storage::VersionRecord&) override { Unused(); }
  void SetVersionLastAccessed(std::int64_t, std::string_view, storage::EpochMillis) override {}
  void RecordAccess(std::int64_t, std::string_view, storage::EpochMillis) override {}
  void DeleteVersion(std::int64_t, std::string_view) override { Unused(); }
  void DeleteOldestUnlabelledVersions(std::int64_t, std::int64_t) override { Unused(); }
  void ReplaceLabels(std::int64_t, const std::vector<storage::VersionRecord>&) override {
    Unused();
  }
  void UpdateLabels(std::int64_t, const std::vector<storage::VersionRecord>&,
                    const std::vector<storage::VersionRecord>&) override {
    Unused();
  }
  std::optional<storage::EpochMillis> EarliestDueEvent() override { return std::nullopt; }
  std::vector<storage::SecretRecord> DueRotations(storage::EpochMillis, int) override { return {}; }
  std::vector<storage::SecretRecord> DueDeletions(storage::EpochMillis, int) override { return {}; }
  std::vector<storage::VersionRecord> LabelledVersions(std::int64_t) override { return {}; }
  storage::LabelCensus CensusOfVersions(std::int64_t) override { return {}; }
  std::vector<std::pair<std::string, std::string>> RotationHandlers() override { return {}; }
  void PutRotationHandler(std::string_view, std::string_view) override {}
  bool DeleteRotationHandler(std::string_view) override { return false; }
  void SaveRotationAttempt(storage::RotationAttemptRecord&) override {}
  std::vector<storage::RotationAttemptRecord> RotationAttempts(std::optional<std::string_view>,
                                                               int) override {
    return {};
  }
  int ConsecutiveScheduledFailures(std::int64_t) override { return 0; }
  std::vector<storage::RotationAttemptRecord> RunningRotationAttempts() override { return {}; }
  std::optional<std::string> GetSetting(std::string_view) override { return std::nullopt; }
  void PutSetting(std::string_view, std::string_view) override {}
  void Reset() override {
    secrets = 0;
    ++resets;
  }

 private:
  [[noreturn]] static void Unused() { throw std::logic_error("not used by server tests"); }
};

class FakeStore final : public storage::Store {
 public:
  FakeRepository fake;
  int commits = 0;

 protected:
  void Begin(bool) override {}
  void Commit() override { ++commits; }
  void Rollback() noexcept override {}
  void BeginSavepoint() override {}
  void ReleaseSavepoint() override {}
  bool RollbackToSavepoint() noexcept override { return true; }
  storage::Repository& repository() override { return fake; }
};

// Services over the fake store, for handlers that never touch secrets.
struct FakeServices {
  FakeStore store;
  api::ManualClock clock{1'700'000'000'000};
  api::SeededRandom random{1};
  api::SeededRandom schedule_random{2};
  api::Services services{store, clock, random, schedule_random};
};

}  // namespace sml::server::testing
