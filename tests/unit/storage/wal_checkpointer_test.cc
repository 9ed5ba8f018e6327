// The -wal file stays bounded under writes that never pause, with the
// checkpoints off the write path: through the Store with its real limits,
// and through a WalCheckpointer with small ones (and a reader that holds an
// old snapshot). Sizes are read from the file after every write; nothing
// waits for the background thread.
#include "storage/wal_checkpointer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "storage/sqlite/connection.h"
#include "tests/unit/storage/store_fixture.h"

namespace sml::storage {
namespace {

using testing::FakeCipher;
using testing::MakeSecret;
using testing::MakeVersion;

constexpr std::uintmax_t kPageBytes = 4096;  // SQLite's default page size
constexpr std::uintmax_t kFrameBytes = 24 + kPageBytes;

std::uintmax_t WalBytes(const std::filesystem::path& database) {
  std::error_code missing;
  const auto size = std::filesystem::file_size(database.string() + "-wal", missing);
  return missing ? 0 : size;
}

// The log's bound: `restart_frames`, plus the frames of the transaction that
// crossed it (generously), plus the file header.
std::uintmax_t WalBound(const WalLimits& limits) {
  return 32 + (limits.restart_frames + 64) * kFrameBytes;
}

TEST(WalCheckpointer, Store_KeepsTheWalBounded_UnderWritesThatNeverPause) {
  testing::ScratchDir dir;
  FakeCipher cipher;
  const auto file = dir.path() / "secrets.db";
  auto store = testing::OpenFile(file, cipher);
  SecretRecord secret = MakeSecret("busy");
  store->Write([&](Repository& repo) { repo.InsertSecret(secret); });

  // 3,000 versions of 2 KiB: several pages each, ~10x the bound's bytes in
  // all, so without restarts of the log the file would pass the bound.
  const std::uintmax_t bound = WalBound(WalLimits{});
  std::uintmax_t largest = 0;
  for (int i = 0; i < 3000; ++i) {
    store->Write([&](Repository& repo) {
      repo.InsertVersion(secret.id,
                         MakeVersion("v" + std::to_string(i), 2000 + i, std::string(2048, 'x')));
    });
    largest = std::max(largest, WalBytes(file));
    ASSERT_LE(WalBytes(file), bound) << "after write " << i;
  }
  EXPECT_GT(largest, bound / 2);  // the log did fill up to near its bound
  store->Read([&](Repository& repo) { EXPECT_EQ(repo.Versions(secret.id).size(), 3000u); });
}

class SmallWalTest : public ::testing::Test {
 protected:
  static constexpr char kCreate[] =
      "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;"
      "CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB)";
  static constexpr char kInsert[] = "INSERT INTO t (payload) VALUES (zeroblob(3000))";
  static constexpr char kCount[] = "SELECT count(*) FROM t";

  SmallWalTest() : file_(dir_.path() / "small.db"), writer_(file_.string()) {
    writer_.Execute(kCreate);
  }

  void InsertRow(WalCheckpointer& checkpointer) {
    writer_.Use(kInsert)->Run();
    checkpointer.AfterCommit();
  }

  testing::ScratchDir dir_;
  std::filesystem::path file_;
  sqlite::Connection writer_;
  const WalLimits limits_{.background_frames = 10, .restart_frames = 40};
  // For the tests that must not see an idle truncation.
  const WalLimits never_idle_{
      .background_frames = 10, .restart_frames = 40, .idle_truncate = std::chrono::hours(1)};
};

TEST_F(SmallWalTest, TheLogStartsOverAtItsLimit) {
  WalCheckpointer checkpointer(writer_, file_.string(), limits_);
  for (int i = 0; i < 2000; ++i) {
    InsertRow(checkpointer);
    ASSERT_LE(WalBytes(file_), WalBound(limits_)) << "after row " << i;
  }
  auto count = writer_.Use(kCount);
  count->Step();
  EXPECT_EQ(count->ColumnInt64(0), 2000);
}

// A reader on an old snapshot keeps the log from starting over (SQLite must
// keep its frames): writes go on without waiting out busy_timeout each, and
// once the reader is done the log is cut back to its bound.
TEST_F(SmallWalTest, AReaderOnAnOldSnapshot_DoesNotStallWrites) {
  WalCheckpointer checkpointer(writer_, file_.string(), never_idle_);
  InsertRow(checkpointer);
  sqlite::Connection reader(file_.string());
  reader.Execute("BEGIN");
  {
    auto count = reader.Use(kCount);
    count->Step();
  }
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 100; ++i) InsertRow(checkpointer);
  // At busy_timeout (5 s) per write past the limit this would take minutes.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
  EXPECT_GT(WalBytes(file_), WalBound(limits_));

  reader.Execute("COMMIT");
  for (int i = 0; i < 100; ++i) InsertRow(checkpointer);
  EXPECT_LE(WalBytes(file_), WalBound(limits_));
}

// Polls (up to 10 s) for the file to be empty.
bool EmptiesWithin10s(const std::filesystem::path& file) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (WalBytes(file) > 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return WalBytes(file) == 0;
}

// The file empties after the writes stop.
TEST_F(SmallWalTest, AnIdleLog_IsCutToZeroBytes) {
  WalLimits limits = limits_;
  limits.idle_truncate = std::chrono::milliseconds(20);
  WalCheckpointer checkpointer(writer_, file_.string(), limits);
  for (int i = 0; i < 30; ++i) InsertRow(checkpointer);
  ASSERT_GT(WalBytes(file_), 0u);
  EmptiesWithin10s(file_);
  EXPECT_EQ(WalBytes(file_), 0u);
  InsertRow(checkpointer);  // and the log goes on from there
  auto count = writer_.Use(kCount);
  count->Step();
  EXPECT_EQ(count->ColumnInt64(0), 31);
}

// Each commit here crosses the restart bound, so the writer restarts the log
// after every one and the last commit leaves a log of 0 frames in a file
// kept at the bound: that file is cut too.
TEST_F(SmallWalTest, AnIdleLogTheWriterHasJustRestarted_IsCutToZeroBytes) {
  WalLimits limits{.background_frames = 1, .restart_frames = 1};
  limits.idle_truncate = std::chrono::milliseconds(20);
  WalCheckpointer checkpointer(writer_, file_.string(), limits);
  for (int i = 0; i < 5; ++i) InsertRow(checkpointer);
  EXPECT_TRUE(EmptiesWithin10s(file_)) << WalBytes(file_) << " bytes left";
}

// A new file's schema is written before the checkpointer is attached.
TEST_F(SmallWalTest, FramesWrittenBeforeTheCheckpointerCame_AreCutWhenIdle) {
  ASSERT_GT(WalBytes(file_), 0u);
  WalLimits limits = limits_;
  limits.idle_truncate = std::chrono::milliseconds(20);
  WalCheckpointer checkpointer(writer_, file_.string(), limits);
  EXPECT_TRUE(EmptiesWithin10s(file_)) << WalBytes(file_) << " bytes left";
}

}  // namespace
}  // namespace sml::storage
