// The scheduler's queries: due rotations, due deletions, the next event.
#include <gtest/gtest.h>

#include "tests/unit/storage/store_fixture.h"

namespace sml::storage {
namespace {

using testing::FakeCipher;
using testing::MakeSecret;

class SchedulerQueriesTest : public ::testing::Test {
 protected:
  SecretRecord Add(const std::string& name, std::optional<bool> rotation_enabled,
                   std::optional<EpochMillis> next_rotation,
                   std::optional<EpochMillis> deletion_date = std::nullopt) {
    SecretRecord secret = MakeSecret(name);
    secret.rotation_enabled = rotation_enabled;
    secret.next_rotation_date = next_rotation;
    if (deletion_date) {
      secret.deleted_date = 1;
      secret.deletion_date = deletion_date;
    }
    return testing::Insert(*store_, secret);
  }
  std::vector<std::string> Names(const std::vector<SecretRecord>& secrets) {
    std::vector<std::string> names;
    for (const auto& s : secrets) names.push_back(s.name);
    return names;
  }
  FakeCipher cipher_;
  std::unique_ptr<Store> store_ = testing::OpenInMemory(cipher_);
};

TEST_F(SchedulerQueriesTest, Empty_NothingDue) {
  store_->Read([](Repository& repo) {
    EXPECT_EQ(repo.EarliestDueEvent(), std::nullopt);
    EXPECT_TRUE(repo.DueRotations(1'000'000, 10).empty());
    EXPECT_TRUE(repo.DueDeletions(1'000'000, 10).empty());
  });
}

TEST_F(SchedulerQueriesTest, DueRotations_OnlyEnabledAndDueEarliestFirst) {
  Add("late", true, 300);
  Add("early", true, 100);
  Add("disabled", false, 50);
  Add("never-configured", std::nullopt, std::nullopt);
  Add("future", true, 10'000);
  Add("deleted", true, 10, /*deletion_date=*/99'999);
  Add("tie", true, 300);
  store_->Read([&](Repository& repo) {
    EXPECT_EQ(Names(repo.DueRotations(300, 10)),
              (std::vector<std::string>{"early", "late", "tie"}));
    EXPECT_EQ(Names(repo.DueRotations(300, 2)), (std::vector<std::string>{"early", "late"}));
    EXPECT_TRUE(repo.DueRotations(99, 10).empty());
  });
}

TEST_F(SchedulerQueriesTest, DueDeletions_EarliestFirst) {
  Add("b", std::nullopt, std::nullopt, 200);
  Add("a", std::nullopt, std::nullopt, 100);
  Add("later", std::nullopt, std::nullopt, 5'000);
  Add("live", true, 1);
  store_->Read([&](Repository& repo) {
    EXPECT_EQ(Names(repo.DueDeletions(200, 10)), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(Names(repo.DueDeletions(200, 1)), (std::vector<std::string>{"a"}));
  });
}

TEST_F(SchedulerQueriesTest, EarliestDueEvent_IsTheMinimumOfBothKinds) {
  Add("rotation", true, 500);
  Add("disabled", false, 10);
  EXPECT_EQ(store_->Read([](Repository& repo) { return repo.EarliestDueEvent(); }), 500);
  Add("deletion", std::nullopt, std::nullopt, 400);
  EXPECT_EQ(store_->Read([](Repository& repo) { return repo.EarliestDueEvent(); }), 400);
  Add("sooner", true, 300);
  EXPECT_EQ(store_->Read([](Repository& repo) { return repo.EarliestDueEvent(); }), 300);
}

TEST_F(SchedulerQueriesTest, RestoredSecret_IsDueForRotationAgain) {
  SecretRecord secret = Add("restored", true, 100, /*deletion_date=*/9'000);
  EXPECT_TRUE(store_->Read([](Repository& repo) { return repo.DueRotations(100, 10); }).empty());
  secret.deleted_date.reset();
  secret.deletion_date.reset();
  store_->Write([&](Repository& repo) { repo.UpdateSecret(secret); });
  EXPECT_EQ(store_->Read([](Repository& repo) { return repo.DueRotations(100, 10); }).size(), 1u);
}

}  // namespace
}  // namespace sml::storage
