// Reads of a file database run on reader connections beside the writer:
// each sees everything committed before it began, and none can write.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "tests/unit/storage/store_fixture.h"

namespace sml::storage {
namespace {

using testing::FakeCipher;
using testing::MakeSecret;
using testing::ScratchDir;

TEST(StoreReaders, ReadsSeeEveryCommittedWrite_WhileWritesGoOn) {
  ScratchDir dir;
  FakeCipher cipher;
  auto store = testing::OpenFile(dir.path() / "secrets.db", cipher);
  constexpr int kWrites = 200;
  std::atomic<int> committed = 0;
  std::atomic<bool> stale = false;
  std::thread writer([&] {
    for (int i = 0; i < kWrites; ++i) {
      testing::Insert(*store, MakeSecret("s" + std::to_string(i)));
      committed = i + 1;
    }
  });
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      while (committed < kWrites) {
        const int at_least = committed;
        auto count = store->Read([](Repository& repo) { return repo.CountSecrets(); });
        if (count < at_least) stale = true;
      }
    });
  }
  writer.join();
  for (auto& reader : readers) reader.join();
  EXPECT_FALSE(stale) << "a read missed a write committed before it began";
  EXPECT_EQ(store->Read([](Repository& repo) { return repo.CountSecrets(); }), kWrites);
}

TEST(StoreReaders, AReadCannotWrite) {
  ScratchDir dir;
  FakeCipher cipher;
  auto store = testing::OpenFile(dir.path() / "secrets.db", cipher);
  EXPECT_THROW(store->Read([](Repository& repo) {
    SecretRecord secret = MakeSecret("sneaky");
    repo.InsertSecret(secret);
  }),
               std::runtime_error);
  EXPECT_EQ(store->Read([](Repository& repo) { return repo.CountSecrets(); }), 0);
  // The reader that failed is usable again.
  testing::Insert(*store, MakeSecret("fine"));
  EXPECT_EQ(store->Read([](Repository& repo) { return repo.CountSecrets(); }), 1);
}

TEST(StoreReaders, ResultsOfAnyTypeComeBack) {
  FakeCipher cipher;
  auto store = testing::OpenInMemory(cipher);
  testing::Insert(*store, MakeSecret("a"));
  auto found = store->Read([](Repository& repo) {
    return repo.FindSecretByName("000000000000", "us-east-1", "a");
  });
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->name, "a");
}

}  // namespace
}  // namespace sml::storage
