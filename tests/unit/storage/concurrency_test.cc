// Concurrent writers lose no write: through one Store, and through two
// Stores (two connections, as two processes would) on one file.
#include <gtest/gtest.h>

#include <thread>

#include "tests/unit/storage/store_fixture.h"

namespace sml::storage {
namespace {

using testing::FakeCipher;
using testing::MakeSecret;

constexpr int kThreads = 4;
constexpr int kWritesPerThread = 40;

// Each write reads a counter secret and writes it back incremented; a lost
// update would show as a smaller final count.
void IncrementAndInsert(Store& store, int thread, int i) {
  store.Write([&](Repository& repo) {
    auto counter = repo.FindSecretByName("000000000000", "us-east-1", "counter");
    counter->last_changed_date += 1;
    repo.UpdateSecret(*counter);
    SecretRecord secret = MakeSecret("t" + std::to_string(thread) + "-" + std::to_string(i));
    repo.InsertSecret(secret);
    repo.InsertVersion(secret.id, testing::MakeVersion("v", 1, "value"));
  });
}

void RunWriters(const std::vector<Store*>& stores) {
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Store& store = *stores[t % stores.size()];
      for (int i = 0; i < kWritesPerThread; ++i) IncrementAndInsert(store, t, i);
    });
  }
  for (auto& thread : threads) thread.join();
}

void ExpectNoLostWrite(Store& store) {
  store.Read([](Repository& repo) {
    EXPECT_EQ(repo.CountSecrets(), 1 + kThreads * kWritesPerThread);
    EXPECT_EQ(repo.FindSecretByName("000000000000", "us-east-1", "counter")->last_changed_date,
              kThreads * kWritesPerThread);
  });
}

TEST(StoreConcurrency, ThreadsSharingOneStore_LoseNoWrite) {
  FakeCipher cipher;
  auto store = testing::OpenInMemory(cipher);
  testing::Insert(*store, MakeSecret("counter", 0));
  RunWriters({store.get()});
  ExpectNoLostWrite(*store);
}

TEST(StoreConcurrency, TwoStoresOnOneFile_LoseNoWrite) {
  testing::ScratchDir dir;
  FakeCipher cipher;
  auto file = dir.path() / "secrets.db";
  auto first = testing::OpenFile(file, cipher);
  auto second = testing::OpenFile(file, cipher);
  testing::Insert(*first, MakeSecret("counter", 0));
  RunWriters({first.get(), second.get()});
  ExpectNoLostWrite(*first);
  ExpectNoLostWrite(*second);
}

}  // namespace
}  // namespace sml::storage
