// The WAL-buffering VFS: a commit's frames in (at most) two writes, all of
// them in the file when the write returns.
#include "storage/sqlite/wal_vfs.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/unit/storage/store_fixture.h"

namespace sml::storage {
namespace {

using testing::FakeCipher;
using testing::ScratchDir;

constexpr std::uintmax_t kWalHeader = 32;
constexpr std::uintmax_t kFrame = 24 + 4096;

// The -wal file holds whole frames, the last one a commit frame.
void ExpectWalEndsWithACommit(const std::filesystem::path& wal) {
  const std::uintmax_t size = std::filesystem::file_size(wal);
  ASSERT_GT(size, kWalHeader);
  ASSERT_EQ((size - kWalHeader) % kFrame, 0u) << size;
  std::ifstream in(wal, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(size - kFrame));
  unsigned char header[24];
  in.read(reinterpret_cast<char*>(header), sizeof header);
  EXPECT_NE(header[4] | header[5] | header[6] | header[7], 0) << "last frame is no commit";
}

// "versions/1" when another connection, of the default VFS (its own file
// descriptors), sees the secret's versions, each with a ciphertext of at
// least `value_size` bytes; read while the store is still open.
std::string SeenByAnotherConnection(const std::filesystem::path& file, std::int64_t id,
                                    int value_size) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* query = nullptr;
  sqlite3_prepare_v2(
      db, "SELECT count(*), min(length(ciphertext)) >= ?2 FROM versions WHERE secret_id = ?1", -1,
      &query, nullptr);
  sqlite3_bind_int64(query, 1, id);
  sqlite3_bind_int(query, 2, value_size);
  std::string seen;
  if (sqlite3_step(query) == SQLITE_ROW) {
    seen = std::to_string(sqlite3_column_int64(query, 0)) + "/" +
           std::to_string(sqlite3_column_int64(query, 1));
  }
  sqlite3_finalize(query);
  sqlite3_close(db);
  return seen;
}

TEST(WalBufferingVfs, ACommitIsTwoWrites_AllInTheFileWhenTheWriteReturns) {
  ScratchDir dir;
  FakeCipher cipher;
  const auto file = dir.path() / "secrets.db";
  auto store = testing::OpenFile(file, cipher);
  const auto wal = std::filesystem::path(file.string() + "-wal");
  SecretRecord secret = testing::MakeSecret("a");
  const std::uint64_t before = sqlite::WalFileWrites();
  const std::uintmax_t wal_before =
      std::filesystem::exists(wal) ? std::filesystem::file_size(wal) : 0;
  store->Write([&](Repository& repo) {
    repo.InsertSecret(secret);
    auto version = testing::MakeVersion("v1", 1, std::string(100, 'x'));
    repo.InsertVersion(secret.id, version);
    version.labels = {"AWSCURRENT"};
    repo.ReplaceLabels(secret.id, {version});
  });
  const std::uint64_t writes = sqlite::WalFileWrites() - before;
  // Many pages (the secret, its indexes, the version, its label, the count)...
  const std::uintmax_t frames = (std::filesystem::file_size(wal) - wal_before) / kFrame;
  EXPECT_GE(frames, 5u);
  // ...in two writes (a WAL header of a new log may add one).
  EXPECT_LE(writes, 3u) << frames << " frames";
  ExpectWalEndsWithACommit(wal);
  EXPECT_EQ(SeenByAnotherConnection(file, secret.id, 100), "1/1");
}

TEST(WalBufferingVfs, TransactionLargerThanTheBuffer_IsWholeAndReadable) {
  ScratchDir dir;
  FakeCipher cipher;
  const auto file = dir.path() / "secrets.db";
  auto store = testing::OpenFile(file, cipher);
  SecretRecord secret = testing::Insert(*store, testing::MakeSecret("big"));
  store->Write([&](Repository& repo) {  // about 2 MiB of frames
    for (int i = 0; i < 40; ++i) {
      repo.InsertVersion(secret.id,
                         testing::MakeVersion("v" + std::to_string(i), i, std::string(50000, 'y')));
    }
  });
  ExpectWalEndsWithACommit(file.string() + "-wal");
  EXPECT_EQ(SeenByAnotherConnection(file, secret.id, 50000), "40/1");
  auto versions = store->Read([&](Repository& repo) { return repo.Versions(secret.id); });
  EXPECT_EQ(versions.size(), 40u);
  auto value =
      store->Read([&](Repository& repo) { return repo.FindVersion(secret.id, "v39", true); });
  ASSERT_TRUE(value);
  EXPECT_EQ(value->secret_string, std::string(50000, 'y'));
}

}  // namespace
}  // namespace sml::storage
