// LastAccessedDate recorded by reads: visible at once, written in batches
// (about every second, on FlushAccessDates and when the store closes), and
// never moved back.
#include "storage/access_dates.h"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <thread>

#include "storage/sqlite/connection.h"
#include "tests/unit/storage/store_fixture.h"

namespace sml::storage {
namespace {

using testing::FakeCipher;
using testing::ScratchDir;

constexpr EpochMillis kDay = 86'400'000;
using Dates = std::pair<std::int64_t, std::int64_t>;

// What the file holds, read beside the store: (secret's, version's) date.
std::pair<std::int64_t, std::int64_t> DatesInFile(const std::filesystem::path& file) {
  sqlite::Connection connection(file.string());
  auto secret = connection.Use("SELECT day FROM secret_access");
  auto version = connection.Use(
      "SELECT coalesce((SELECT day FROM version_access WHERE seq = versions.seq), 0) FROM "
      "versions");
  if (!secret->Step() || !version->Step()) return {-1, -1};
  return {secret->ColumnInt64(0), version->ColumnInt64(0)};
}

// A burst of first reads tells the owner to write them early: at each
// multiple of kFlushEarlyAt pending versions, and not for a date that only
// moves an already pending one.
TEST(AccessDatesBurst, ManyPendingVersions_WakeTheOwnerAtEachMultiple) {
  int wakes = 0;
  AccessDates dates([&] { ++wakes; });
  const auto n = static_cast<std::int64_t>(AccessDates::kFlushEarlyAt);
  for (std::int64_t i = 1; i < n; ++i) dates.Record(i, "v", kDay);
  EXPECT_EQ(wakes, 0);
  dates.Record(n, "v", kDay);
  EXPECT_EQ(wakes, 1);
  dates.Record(n, "v", 2 * kDay);  // the same version, a later day: no new entry
  EXPECT_EQ(wakes, 1);
  for (std::int64_t i = n + 1; i <= 2 * n; ++i) dates.Record(i, "v", kDay);
  EXPECT_EQ(wakes, 2);
  EXPECT_EQ(dates.PendingVersions(), 2 * AccessDates::kFlushEarlyAt);
}

std::optional<EpochMillis> SeenDate(const AccessDates& dates, std::int64_t secret_id) {
  SecretRecord secret;
  secret.id = secret_id;
  dates.Overlay(secret);
  VersionRecord version;
  version.version_id = "v";
  dates.Overlay(secret_id, version);
  EXPECT_EQ(secret.last_accessed_date, version.last_accessed_date);
  return version.last_accessed_date;
}

// A batch being written is moved out, not copied: reads still see its
// dates, and a failed write puts them back behind later ones.
TEST(AccessDatesBatch, TakenDates_StayVisibleUntilWritten) {
  AccessDates dates;
  dates.Record(1, "v", 3 * kDay);
  dates.Record(2, "v", 3 * kDay);
  const auto batch = dates.Take();
  ASSERT_NE(batch, nullptr);
  EXPECT_EQ(batch->versions.size(), 2u);
  EXPECT_EQ(dates.Take(), nullptr);  // nothing else pending
  EXPECT_EQ(SeenDate(dates, 1), 3 * kDay);
  dates.Record(1, "v", 4 * kDay);  // recorded while the batch is written
  EXPECT_EQ(SeenDate(dates, 1), 4 * kDay);
  EXPECT_EQ(dates.PendingVersions(), 3u);
  dates.Finish(batch, /*written=*/true);
  EXPECT_EQ(SeenDate(dates, 1), 4 * kDay);
  EXPECT_EQ(SeenDate(dates, 2), std::nullopt);
  EXPECT_EQ(dates.PendingVersions(), 1u);
}

TEST(AccessDatesBatch, NotWritten_ThoseDatesArePendingAgain_LaterOnesWin) {
  AccessDates dates;
  dates.Record(1, "v", 3 * kDay);
  dates.Record(2, "v", 3 * kDay);
  const auto batch = dates.Take();
  dates.Record(1, "v", 5 * kDay);
  dates.Finish(batch, /*written=*/false);
  EXPECT_EQ(dates.PendingVersions(), 2u);
  EXPECT_EQ(SeenDate(dates, 1), 5 * kDay);
  EXPECT_EQ(SeenDate(dates, 2), 3 * kDay);
  const auto again = dates.Take();
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->versions.size(), 2u);
  EXPECT_EQ(again->secrets.at(1), 5 * kDay);
}

TEST(AccessDatesBatch, ClearedWhileWritten_NothingComesBack) {
  AccessDates dates;
  dates.Record(1, "v", 3 * kDay);
  const auto batch = dates.Take();
  dates.Clear();  // a reset committed meanwhile
  dates.Finish(batch, /*written=*/false);
  EXPECT_EQ(dates.PendingVersions(), 0u);
  EXPECT_EQ(SeenDate(dates, 1), std::nullopt);
}

class AccessDatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = testing::OpenFile(file_, cipher_);
    secret_ = testing::Insert(*store_, testing::MakeSecret("read-daily"));
    store_->Write([&](Repository& repo) {
      auto version = testing::MakeVersion("v1", 1, "value");
      version.labels = {"AWSCURRENT"};
      repo.InsertVersion(secret_.id, version);
      repo.ReplaceLabels(secret_.id, {version});
    });
  }
  void Record(EpochMillis day) {
    store_->Read([&](Repository& repo) { repo.RecordAccess(secret_.id, "v1", day); });
  }

  ScratchDir dir_;
  std::filesystem::path file_ = dir_.path() / "secrets.db";
  FakeCipher cipher_;
  std::unique_ptr<Store> store_;
  SecretRecord secret_;
};

TEST_F(AccessDatesTest, RecordedInARead_IsVisibleAtOnceOnEveryPath) {
  Record(3 * kDay);
  auto check = [&](Repository& repo) {
    EXPECT_EQ(repo.FindSecretByName("000000000000", "us-east-1", "read-daily")->last_accessed_date,
              3 * kDay);
    EXPECT_EQ(repo.FindSecretById(secret_.id)->last_accessed_date, 3 * kDay);
    EXPECT_EQ(repo.FindVersionByLabel(secret_.id, "AWSCURRENT", true)->last_accessed_date, 3 * kDay);
    EXPECT_EQ(repo.FindVersion(secret_.id, "v1", false)->last_accessed_date, 3 * kDay);
    EXPECT_EQ(repo.Versions(secret_.id).at(0).last_accessed_date, 3 * kDay);
  };
  store_->Read(check);   // cache or reader connection
  store_->Read(check);   // cached by now
  store_->Write(check);  // the writer's connection
}

TEST_F(AccessDatesTest, Flush_WritesThemAndNeverMovesADateBack) {
  Record(3 * kDay);
  EXPECT_EQ(store_->PendingAccessDates(), 1u);
  store_->FlushAccessDates();
  EXPECT_EQ(store_->PendingAccessDates(), 0u);
  EXPECT_EQ(DatesInFile(file_), (Dates{3 * kDay, 3 * kDay}));
  Record(2 * kDay);  // an older day
  store_->FlushAccessDates();
  EXPECT_EQ(DatesInFile(file_), (Dates{3 * kDay, 3 * kDay}));
  EXPECT_EQ(store_->Read([&](Repository& repo) { return repo.FindSecretById(secret_.id); })
                ->last_accessed_date,
            3 * kDay);
}

// One flush of many secrets, versions and days: each row gets its own latest
// date, rows not read keep theirs, and a version id is matched exactly.
TEST_F(AccessDatesTest, Flush_OfManySecretsVersionsAndDays_MovesEachRowToItsOwnDate) {
  const std::string odd = "v\"2\\";  // v"2\ : quoted in the statement's JSON
  const SecretRecord other = testing::Insert(*store_, testing::MakeSecret("read-too"));
  const SecretRecord unread = testing::Insert(*store_, testing::MakeSecret("not-read"));
  store_->Write([&](Repository& repo) {
    repo.InsertVersion(secret_.id, testing::MakeVersion(odd, 2, "second"));
    repo.InsertVersion(other.id, testing::MakeVersion("v1", 1, "other"));
    repo.InsertVersion(unread.id, testing::MakeVersion("v1", 1, "unread"));
  });
  store_->Read([&](Repository& repo) {
    repo.RecordAccess(secret_.id, "v1", 3 * kDay);
    repo.RecordAccess(secret_.id, odd, 4 * kDay);
    repo.RecordAccess(other.id, "v1", 5 * kDay);
  });
  store_->FlushAccessDates();
  sqlite::Connection file(file_.string());
  auto secret_date = [&](std::int64_t id) {
    auto query = file.Use("SELECT day FROM secret_access WHERE secret_id = ?1");
    query->BindInt64(1, id);
    return query->Step() ? query->ColumnInt64(0) : -1;
  };
  auto version_date = [&](std::int64_t id, const std::string& version_id) {
    auto query = file.Use(
        "SELECT coalesce((SELECT day FROM version_access WHERE seq = versions.seq), 0) "
        "FROM versions WHERE secret_id = ?1 AND version_id = ?2");
    query->BindInt64(1, id);
    query->BindText(2, version_id);
    return query->Step() ? query->ColumnInt64(0) : -1;
  };
  EXPECT_EQ(secret_date(secret_.id), 4 * kDay);
  EXPECT_EQ(version_date(secret_.id, "v1"), 3 * kDay);
  EXPECT_EQ(version_date(secret_.id, odd), 4 * kDay);
  EXPECT_EQ(secret_date(other.id), 5 * kDay);
  EXPECT_EQ(version_date(other.id, "v1"), 5 * kDay);
  EXPECT_EQ(secret_date(unread.id), 0);
  EXPECT_EQ(version_date(unread.id, "v1"), 0);
}

TEST_F(AccessDatesTest, WrittenWithinAboutASecond_WithoutAFlushCall) {
  Record(4 * kDay);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (DatesInFile(file_).first != 4 * kDay && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(DatesInFile(file_), (Dates{4 * kDay, 4 * kDay}));
}

TEST_F(AccessDatesTest, ClosingTheStore_WritesWhatIsPending) {
  Record(5 * kDay);
  store_.reset();
  EXPECT_EQ(DatesInFile(file_), (Dates{5 * kDay, 5 * kDay}));
  auto reopened = testing::OpenFile(file_, cipher_);
  EXPECT_EQ(reopened->Read([&](Repository& repo) { return repo.FindSecretById(secret_.id); })
                ->last_accessed_date,
            5 * kDay);
}

}  // namespace
}  // namespace sml::storage
