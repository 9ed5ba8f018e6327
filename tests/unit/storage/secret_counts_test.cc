// Repository::SecretCounts: running counts per account and region, kept by
// the database as secrets are inserted and purged, and filled by the
// migration that introduces them.
#include <gtest/gtest.h>

#include "storage/schema.h"
#include "storage/sqlite/connection.h"
#include "tests/unit/storage/store_fixture.h"

namespace sml::storage {
namespace {

using testing::FakeCipher;
using testing::Insert;
using testing::MakeSecret;

using Counts = std::vector<std::tuple<std::string, std::string, std::int64_t>>;

Counts CountsOf(Store& store) {
  Counts out;
  for (auto& c : store.Read([](Repository& repo) { return repo.SecretCounts(); })) {
    out.emplace_back(c.account_id, c.region, c.secrets);
  }
  return out;
}

TEST(SecretCounts, FollowInsertsAndPurgesPerAccountAndRegion) {
  FakeCipher cipher;
  auto store = testing::OpenInMemory(cipher);
  EXPECT_EQ(CountsOf(*store), Counts{});
  auto a = Insert(*store, MakeSecret("a"));
  Insert(*store, MakeSecret("b"));
  Insert(*store, MakeSecret("a", 1000, "111122223333", "eu-west-1"));
  auto c = Insert(*store, MakeSecret("c", 1000, "000000000000", "eu-west-1"));
  EXPECT_EQ(CountsOf(*store), (Counts{{"000000000000", "eu-west-1", 1},
                                      {"000000000000", "us-east-1", 2},
                                      {"111122223333", "eu-west-1", 1}}));
  store->Write([&](Repository& repo) {
    repo.PurgeSecret(a.id);
    repo.PurgeSecret(c.id);
  });
  EXPECT_EQ(CountsOf(*store),
            (Counts{{"000000000000", "us-east-1", 1}, {"111122223333", "eu-west-1", 1}}));
  store->Write([](Repository& repo) { repo.Reset(); });
  EXPECT_EQ(CountsOf(*store), Counts{});
  Insert(*store, MakeSecret("after-reset"));
  EXPECT_EQ(CountsOf(*store), (Counts{{"000000000000", "us-east-1", 1}}));
}

TEST(SecretCounts, ARolledBackInsertIsNotCounted) {
  FakeCipher cipher;
  auto store = testing::OpenInMemory(cipher);
  EXPECT_THROW(store->Write([](Repository& repo) {
    auto secret = MakeSecret("gone");
    repo.InsertSecret(secret);
    throw std::runtime_error("abort");
  }),
               std::runtime_error);
  EXPECT_EQ(CountsOf(*store), Counts{});
}

TEST(SecretCounts, TheMigrationCountsTheSecretsAlreadyThere) {
  testing::ScratchDir dir;
  FakeCipher cipher;
  const auto file = dir.path() / "secrets.db";
  {
    auto store = testing::OpenFile(file, cipher);
    Insert(*store, MakeSecret("one"));
    Insert(*store, MakeSecret("two"));
    Insert(*store, MakeSecret("three", 1000, "111122223333", "ap-south-1"));
  }
  {  // the database as the build before the counts left it
    sqlite::Connection connection(file.string());
    connection.Execute("DROP TRIGGER secret_counts_after_insert");
    connection.Execute("DROP TRIGGER secret_counts_after_delete");
    connection.Execute("DROP TABLE secret_counts");
    connection.Execute(
        ("PRAGMA user_version = " + std::to_string(LatestSchemaVersion() - 1)).c_str());
  }
  auto store = testing::OpenFile(file, cipher);
  EXPECT_EQ(CountsOf(*store),
            (Counts{{"000000000000", "us-east-1", 2}, {"111122223333", "ap-south-1", 1}}));
}

}  // namespace
}  // namespace sml::storage
