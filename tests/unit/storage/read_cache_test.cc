// The read cache below Store::Read: hits run no SQL, every acknowledged write
// is seen by the next read (also under concurrent readers), the bound holds.
#include <gtest/gtest.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif
// AddressSanitizer brings its own allocator: glibc's mallinfo2 then counts nothing.
#if defined(__SANITIZE_ADDRESS__)
#define SML_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SML_ADDRESS_SANITIZER 1
#endif
#endif

#include <algorithm>
#include <atomic>
#include <chrono>
#include <limits>
#include <random>
#include <set>
#include <thread>

#include "storage/secret_cache.h"
#include "storage/sqlite/connection.h"
#include "tests/unit/storage/store_fixture.h"

namespace sml::storage {
namespace {

using testing::FakeCipher;
using testing::Insert;
using testing::MakeSecret;
using testing::MakeVersion;
using testing::ScratchDir;

// The write a PutSecretValue makes: a new version that takes AWSCURRENT, and
// the secret's row changed in the same transaction.
void PutValue(Store& store, const SecretRecord& secret, int i) {
  store.Write([&](Repository& repo) {
    auto version = MakeVersion("v" + std::to_string(i), i, std::to_string(i));
    version.labels = {"AWSCURRENT"};
    repo.InsertVersion(secret.id, version);
    repo.ReplaceLabels(secret.id, {version});
    SecretRecord changed = secret;
    changed.description = std::to_string(i);
    changed.last_changed_date = i;
    repo.UpdateSecret(changed);
  });
}

struct Seen {
  int value = -1;
  int description = -1;
};

Seen ReadCurrent(Store& store, const std::string& name) {
  return store.Read([&](Repository& repo) {
    Seen seen;
    auto secret = repo.FindSecretByName("000000000000", "us-east-1", name);
    if (!secret) return seen;
    seen.description = secret->description ? std::stoi(*secret->description) : -1;
    auto version = repo.FindVersionByLabel(secret->id, "AWSCURRENT", true);
    if (version && version->secret_string) seen.value = std::stoi(*version->secret_string);
    return seen;
  });
}

class ReadCacheTest : public ::testing::TestWithParam<bool> {
 protected:
  std::unique_ptr<Store> Open(std::size_t capacity = 10000) {
    StoreOptions options;
    if (GetParam()) options.database_file = dir_.path() / "secrets.db";
    options.cipher = &cipher_;
    options.read_cache_secrets = capacity;
    return Store::Open(options);
  }
  ScratchDir dir_;
  FakeCipher cipher_;
};

TEST_P(ReadCacheTest, AcknowledgedWrite_IsSeenByTheNextRead_UnderConcurrentReaders) {
  auto store = Open();
  auto secret = Insert(*store, MakeSecret("hot"));
  PutValue(*store, secret, 0);
  constexpr int kWrites = 300;
  std::atomic<int> acknowledged = 0;
  std::atomic<bool> stop = false;
  std::atomic<int> stale = 0, torn = 0, reads = 0;
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      while (!stop) {
        const int floor = acknowledged.load();
        Seen seen = ReadCurrent(*store, "hot");
        if (seen.value < floor) ++stale;                // older than an acknowledged write
        if (seen.value != seen.description) ++torn;     // row and version from two states
        ++reads;
      }
    });
  }
  for (int i = 1; i <= kWrites; ++i) {
    PutValue(*store, secret, i);
    acknowledged = i;
    // The writer's own next read sees its write, cache or not.
    ASSERT_EQ(ReadCurrent(*store, "hot").value, i);
    // Let a reader in between writes (an in-memory store's one connection
    // would otherwise let the writer run ahead alone on a busy machine).
    const int before = reads.load();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while (reads.load() == before && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
  }
  stop = true;
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(stale, 0);
  EXPECT_EQ(torn, 0);
  EXPECT_GE(reads, kWrites);
}

TEST_P(ReadCacheTest, RolledBackWrite_LeavesTheCachedSecretAsCommitted) {
  auto store = Open();
  auto secret = Insert(*store, MakeSecret("kept"));
  PutValue(*store, secret, 1);
  EXPECT_EQ(ReadCurrent(*store, "kept").value, 1);  // now cached
  EXPECT_THROW(store->Write([&](Repository& repo) {
    auto version = MakeVersion("v2", 2, "2");
    version.labels = {"AWSCURRENT"};
    repo.InsertVersion(secret.id, version);
    repo.ReplaceLabels(secret.id, {version});
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_EQ(ReadCurrent(*store, "kept").value, 1);
  PutValue(*store, secret, 3);
  EXPECT_EQ(ReadCurrent(*store, "kept").value, 3);
}

TEST_P(ReadCacheTest, PurgeAndReset_AreSeenAtOnce) {
  auto store = Open();
  auto a = Insert(*store, MakeSecret("a"));
  auto b = Insert(*store, MakeSecret("b"));
  PutValue(*store, a, 1);
  PutValue(*store, b, 1);
  EXPECT_EQ(ReadCurrent(*store, "a").value, 1);
  EXPECT_EQ(ReadCurrent(*store, "b").value, 1);
  store->Write([&](Repository& repo) { repo.PurgeSecret(a.id); });
  EXPECT_EQ(ReadCurrent(*store, "a").value, -1);
  EXPECT_EQ(ReadCurrent(*store, "b").value, 1);
  store->Write([](Repository& repo) { repo.Reset(); });
  EXPECT_EQ(ReadCurrent(*store, "b").value, -1);
}

TEST_P(ReadCacheTest, CachedSecret_AnswersEveryLookupLikeTheDatabase) {
  auto store = Open();
  SecretRecord made = MakeSecret("full");
  made.description = "d";
  made.tags = std::vector<Tag>{{"k", "v"}};
  auto secret = Insert(*store, made);
  store->Write([&](Repository& repo) {
    auto old = MakeVersion("old", 1, "one");
    old.labels = {"AWSPREVIOUS", "custom"};
    auto current = MakeVersion("cur", 2, "two");
    current.labels = {"AWSCURRENT"};
    auto deprecated = MakeVersion("gone", 0, "zero");
    repo.InsertVersion(secret.id, deprecated);
    repo.InsertVersion(secret.id, old);
    repo.InsertVersion(secret.id, current);
    repo.ReplaceLabels(secret.id, {old, current});
  });
  auto lookups = [&](Repository& repo) {
    std::vector<std::string> seen;
    auto by_name = repo.FindSecretByName("000000000000", "us-east-1", "full");
    auto by_arn = repo.FindSecretByArn(made.arn);
    seen.push_back(by_name->description.value_or("") + by_arn->name +
                   std::to_string(by_name->tags->size()));
    for (const auto& v : repo.LabelledVersions(secret.id)) {
      seen.push_back(v.version_id);
      for (const auto& l : v.labels) seen.push_back(l);
    }
    for (const char* label : {"AWSCURRENT", "AWSPREVIOUS", "custom", "AWSPENDING"}) {
      auto v = repo.FindVersionByLabel(secret.id, label, true);
      seen.push_back(v ? v->version_id + "=" + v->secret_string.value_or("?") + "/" +
                             std::to_string(v->labels.size()) + "/" +
                             std::to_string(v->created_date)
                       : "none");
    }
    for (const char* id : {"cur", "old", "gone", "absent"}) {
      auto v = repo.FindVersion(secret.id, id, true);
      seen.push_back(v ? v->version_id + "=" + v->secret_string.value_or("?") : "none");
      auto bare = repo.FindVersion(secret.id, id, false);
      seen.push_back(bare ? bare->version_id + (bare->has_value ? "+" : "-") : "none");
    }
    return seen;
  };
  auto first = store->Read(lookups);   // loads from SQL
  auto second = store->Read(lookups);  // from the cache
  auto direct = store->Write(lookups);  // the writer's connection: SQL only
  EXPECT_EQ(first, direct);
  EXPECT_EQ(second, direct);
  EXPECT_EQ(direct[0], "dfull1");
}

TEST_P(ReadCacheTest, CapacityZero_StillReadsCorrectly) {
  auto store = Open(0);
  auto secret = Insert(*store, MakeSecret("x"));
  PutValue(*store, secret, 7);
  EXPECT_EQ(ReadCurrent(*store, "x").value, 7);
  PutValue(*store, secret, 8);
  EXPECT_EQ(ReadCurrent(*store, "x").value, 8);
}

// ExternalSecretRotationMetadata and ExternalSecretRotationRoleArn come back
// from a cached secret as from its row, and a secret that never had them has
// none from the cache either.
TEST_P(ReadCacheTest, ExternalRotation_IsAnsweredFromTheCacheLikeTheDatabase) {
  auto store = Open();
  SecretRecord made = MakeSecret("external");
  made.external_rotation_metadata_json = R"([{"Key":"b","Value":"2"},{"Key":"a","Value":"1"}])";
  made.external_rotation_role_arn = "arn:aws:iam::000000000000:role/partner-rotation";
  // A secret is cached with its labelled versions: each gets one.
  PutValue(*store, Insert(*store, made), 1);
  PutValue(*store, Insert(*store, MakeSecret("plain")), 1);
  auto read = [&](const char* name) {
    return store->Read([&](Repository& repo) {
      return *repo.FindSecretByName("000000000000", "us-east-1", name);
    });
  };
  for (int pass = 0; pass < 2; ++pass) {  // loads from SQL, then from the cache
    const SecretRecord external = read("external");
    EXPECT_EQ(external.external_rotation_metadata_json, made.external_rotation_metadata_json);
    EXPECT_EQ(external.external_rotation_role_arn, made.external_rotation_role_arn);
    const SecretRecord plain = read("plain");
    EXPECT_EQ(plain.external_rotation_metadata_json, std::nullopt);
    EXPECT_EQ(plain.external_rotation_role_arn, std::nullopt);
  }
  // A write drops the entry: the next read has the new row, and caches it.
  SecretRecord changed = read("external");
  changed.external_rotation_role_arn = "arn:aws:iam::000000000000:role/another-role";
  store->Write([&](Repository& repo) { repo.UpdateSecret(changed); });
  EXPECT_EQ(read("external"), changed);
  EXPECT_EQ(read("external"), changed);
}

INSTANTIATE_TEST_SUITE_P(FileAndMemory, ReadCacheTest, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "File" : "Memory"; });

// A hit runs no SQL: a row removed behind the store's back (another
// connection; the server never does this) is still answered from the cache.
TEST(ReadCache, Hit_RunsNoSql) {
  ScratchDir dir;
  FakeCipher cipher;
  auto file = dir.path() / "secrets.db";
  auto store = testing::OpenFile(file, cipher);
  auto secret = Insert(*store, MakeSecret("cached"));
  PutValue(*store, secret, 5);
  EXPECT_EQ(ReadCurrent(*store, "cached").value, 5);
  {
    sqlite::Connection other(file.string());
    other.Execute("PRAGMA foreign_keys = ON; DELETE FROM secrets");
  }
  EXPECT_EQ(ReadCurrent(*store, "cached").value, 5);
  auto uncached = testing::OpenFile(file, cipher);
  EXPECT_EQ(ReadCurrent(*uncached, "cached").value, -1);
}

// The second read of the external rotation fields is the cache's: the row
// changed behind the store's back (as in Hit_RunsNoSql) does not show.
TEST(ReadCache, ExternalRotation_SecondReadIsServedByTheCache) {
  ScratchDir dir;
  FakeCipher cipher;
  auto file = dir.path() / "secrets.db";
  auto store = testing::OpenFile(file, cipher);
  SecretRecord made = MakeSecret("external");
  made.external_rotation_metadata_json = R"([{"Key":"k","Value":"v"}])";
  made.external_rotation_role_arn = "arn:aws:iam::000000000000:role/partner-rotation";
  PutValue(*store, Insert(*store, made), 1);  // cached with its labelled versions
  auto read = [](Store& from) {
    return from.Read([](Repository& repo) {
      return *repo.FindSecretByName("000000000000", "us-east-1", "external");
    });
  };
  const SecretRecord first = read(*store);  // from SQL, now cached
  {
    sqlite::Connection other(file.string());
    other.Execute(
        "UPDATE secrets SET external_rotation_metadata_json = NULL, "
        "external_rotation_role_arn = NULL");
  }
  const SecretRecord second = read(*store);
  EXPECT_EQ(second.external_rotation_metadata_json, made.external_rotation_metadata_json);
  EXPECT_EQ(second.external_rotation_role_arn, made.external_rotation_role_arn);
  EXPECT_EQ(second, first);
  auto uncached = testing::OpenFile(file, cipher);
  EXPECT_EQ(read(*uncached).external_rotation_role_arn, std::nullopt);
}

std::int64_t ReadTotal(Store& store) {
  return store.Read([](Repository& repo) { return repo.CountSecretsByRegion().total; });
}

// The counts /_local/health reads: each acknowledged create or purge is in
// the next read, also while another thread reads them all along.
TEST_P(ReadCacheTest, SecretCounts_FollowEveryCommit_UnderConcurrentReaders) {
  auto store = Open();
  std::atomic<std::int64_t> acknowledged = 0;
  std::atomic<bool> stop = false;
  std::atomic<int> stale = 0;
  std::thread reader([&] {
    while (!stop) {
      const std::int64_t floor = acknowledged.load();
      if (ReadTotal(*store) < floor) ++stale;
    }
  });
  std::vector<SecretRecord> secrets;
  for (int i = 0; i < 150; ++i) {
    secrets.push_back(Insert(*store, MakeSecret("s" + std::to_string(i))));
    acknowledged = i + 1;
    EXPECT_EQ(ReadTotal(*store), i + 1);
    EXPECT_EQ(ReadTotal(*store), i + 1);  // the second from the memo
  }
  stop = true;
  reader.join();
  EXPECT_EQ(stale, 0);
  for (int i = 0; i < 10; ++i) {
    store->Write([&](Repository& repo) { repo.PurgeSecret(secrets[i].id); });
    EXPECT_EQ(ReadTotal(*store), 150 - i - 1);
  }
}

// Between commits the counts come from the memo: rows removed behind the
// store's back (the server never does this) do not show until a commit.
TEST(ReadCache, SecretCounts_BetweenCommits_RunNoSql) {
  ScratchDir dir;
  FakeCipher cipher;
  auto file = dir.path() / "secrets.db";
  auto store = testing::OpenFile(file, cipher);
  Insert(*store, MakeSecret("a"));
  Insert(*store, MakeSecret("b"));
  EXPECT_EQ(ReadTotal(*store), 2);
  {
    sqlite::Connection other(file.string());
    other.Execute("PRAGMA foreign_keys = ON; DELETE FROM secrets WHERE name = 'a'");
  }
  EXPECT_EQ(ReadTotal(*store), 2);
  Insert(*store, MakeSecret("c"));
  EXPECT_EQ(ReadTotal(*store), 2);  // b and c: the commit made it read SQL again
}

// The flush of access dates moves them in the cached entry: the secret stays
// cached (no SQL, as in Hit_RunsNoSql) and shows the dates the table now holds.
TEST(ReadCache, AccessDatesFlush_KeepsTheEntryWithTheNewDates) {
  ScratchDir dir;
  FakeCipher cipher;
  auto file = dir.path() / "secrets.db";
  auto store = testing::OpenFile(file, cipher);
  auto secret = Insert(*store, MakeSecret("daily"));
  PutValue(*store, secret, 5);
  struct Dates {
    std::optional<EpochMillis> secret, version;
    int value = -1;
  };
  auto read = [&](bool record) {
    return store->Read([&](Repository& repo) {
      Dates dates;
      auto row = repo.FindSecretByName("000000000000", "us-east-1", "daily");
      if (!row) return dates;
      auto version = repo.FindVersionByLabel(row->id, "AWSCURRENT", true);
      if (record) repo.RecordAccess(row->id, version->version_id, 2 * 86'400'000);
      dates.secret = row->last_accessed_date;
      dates.version = version->last_accessed_date;
      dates.value = std::stoi(*version->secret_string);
      return dates;
    });
  };
  read(/*record=*/true);  // loads the entry; the access date is pending
  ASSERT_EQ(store->PendingAccessDates(), 1u);
  store->FlushAccessDates();
  ASSERT_EQ(store->PendingAccessDates(), 0u);
  {
    sqlite::Connection other(file.string());
    auto query = other.Use(
        "SELECT s.day, v.day FROM versions JOIN secret_access s ON s.secret_id = "
        "versions.secret_id JOIN version_access v ON v.seq = versions.seq "
        "WHERE versions.version_id = 'v5'");
    ASSERT_TRUE(query->Step());
    EXPECT_EQ(query->ColumnInt64(0), 2 * 86'400'000);
    EXPECT_EQ(query->ColumnInt64(1), 2 * 86'400'000);
  }
  const Dates cached = read(/*record=*/false);
  EXPECT_EQ(cached.secret, std::optional<EpochMillis>(2 * 86'400'000));
  EXPECT_EQ(cached.version, std::optional<EpochMillis>(2 * 86'400'000));
  {
    sqlite::Connection other(file.string());
    other.Execute("PRAGMA foreign_keys = ON; DELETE FROM secrets");
  }
  EXPECT_EQ(read(/*record=*/false).value, 5);  // still the entry: no SQL ran
}

TEST_P(ReadCacheTest, CachedVersion_AnswersWithEverythingTheTableHolds) {
  auto store = Open();
  auto secret = Insert(*store, MakeSecret("dated"));
  PutValue(*store, secret, 3);
  store->Write([&](Repository& repo) { repo.SetVersionLastAccessed(secret.id, "v3", 86'400'000); });
  auto read = [&] {
    return store->Read([&](Repository& repo) {
      repo.FindSecretById(secret.id);
      return *repo.FindVersionByLabel(secret.id, "AWSCURRENT", true);
    });
  };
  const VersionRecord from_sql = read();  // loads the entry
  const VersionRecord from_cache = read();
  EXPECT_EQ(from_cache.last_accessed_date, std::optional<EpochMillis>(86'400'000));
  EXPECT_EQ(from_cache.version_id, from_sql.version_id);
  EXPECT_EQ(from_cache.created_date, from_sql.created_date);
  EXPECT_EQ(from_cache.last_accessed_date, from_sql.last_accessed_date);
  EXPECT_EQ(from_cache.has_value, from_sql.has_value);
  EXPECT_EQ(from_cache.secret_string, from_sql.secret_string);
  EXPECT_EQ(from_cache.secret_binary, from_sql.secret_binary);
  EXPECT_EQ(from_cache.kms_key_id, from_sql.kms_key_id);
  EXPECT_EQ(from_cache.labels, from_sql.labels);
}

// An entry of secret `id`, with one labelled version holding a value of
// `value_bytes` when that is given.
CachedSecretPtr Entry(std::int64_t id, const std::string& name,
                      std::optional<std::size_t> value_bytes = std::nullopt) {
  SecretRecord secret = MakeSecret(name);
  secret.id = id;
  std::vector<VersionRecord> labelled;
  if (value_bytes) {
    auto& version = labelled.emplace_back();
    version.version_id = "v";
    version.labels = {"AWSCURRENT"};
    version.has_value = true;
    version.secret_string = std::string(*value_bytes, 'x');
  }
  return CachedSecret::Make(secret, labelled, /*values_open=*/true);
}

// Every column set, none to its default: a field the packing forgot, or
// unpacked into the wrong place, shows.
SecretRecord EveryColumnSet() {
  SecretRecord secret = MakeSecret("app/db", 1111, "123456789012", "eu-west-3");
  secret.id = 42;
  secret.description = "the description";
  secret.kms_key_id = "alias/mine";
  secret.type = "the type";
  secret.owning_service = "appflow";
  secret.last_changed_date = 2222;
  secret.last_accessed_date = 3333;
  secret.deleted_date = 4444;
  secret.deletion_date = 5555;
  secret.tags = std::vector<Tag>{{"k1", "v1"}, {"k2", std::string(300, 't')}};
  secret.rotation_enabled = false;
  secret.rotation_lambda_arn = "arn:aws:lambda:eu-west-3:123456789012:function:rotate";
  secret.rotation_rules_json = R"({"AutomaticallyAfterDays":7})";
  secret.last_rotated_date = 6666;
  secret.next_rotation_date = 7777;
  secret.rotation_window_end = 8888;
  secret.resource_policy = R"({"Version":"2012-10-17"})";
  secret.primary_region = "us-west-2";
  secret.replication_status_json = "[]";
  secret.external_rotation_metadata_json = R"([{"Key":"k","Value":"v"}])";
  secret.external_rotation_role_arn = "arn:aws:iam::123456789012:role/partner";
  return secret;
}

TEST(CachedSecret, UnpacksTheRowAndVersionsExactlyAsPacked) {
  const SecretRecord secret = EveryColumnSet();
  std::vector<VersionRecord> labelled(3);
  labelled[0].version_id = "binary";
  labelled[0].created_date = 10;
  labelled[0].last_accessed_date = 20;
  labelled[0].has_value = true;
  labelled[0].secret_binary = std::string("\0\x01\xff bytes", 9);
  labelled[0].kms_key_id = "alias/other";
  labelled[0].labels = {"AWSPREVIOUS", "custom"};
  labelled[1].version_id = "pending";
  labelled[1].created_date = 30;
  labelled[1].labels = {"AWSPENDING"};
  labelled[2].version_id = "text";
  labelled[2].created_date = 40;
  labelled[2].has_value = true;
  labelled[2].secret_string = std::string(200, 's');
  labelled[2].labels = {"AWSCURRENT"};
  const CachedSecretPtr made = CachedSecret::Make(secret, labelled, /*values_open=*/true);
  const CachedSecret& entry = *made;

  EXPECT_EQ(entry.Secret(), secret);
  EXPECT_EQ(entry.id(), 42);
  EXPECT_EQ(entry.name_key(), CachedSecret::NameKey("123456789012", "eu-west-3", "app/db"));
  EXPECT_EQ(entry.arn(), secret.arn);
  for (const VersionRecord& version : labelled) {
    EXPECT_EQ(entry.FindVersion(version.version_id, true), version);
    EXPECT_EQ(entry.FindVersionByLabel(version.labels.back(), true), version);
    VersionRecord without_value = version;
    without_value.secret_string.reset();
    without_value.secret_binary.reset();
    EXPECT_EQ(entry.FindVersion(version.version_id, false), without_value);
  }
  EXPECT_FALSE(entry.FindVersion("unknown", true));
  EXPECT_FALSE(entry.FindVersionByLabel("AWSOTHER", true));
  const std::vector<VersionRecord> index = entry.LabelIndex();
  ASSERT_EQ(index.size(), 3u);
  for (std::size_t i = 0; i < index.size(); ++i) {
    EXPECT_EQ(index[i].version_id, labelled[i].version_id);
    EXPECT_EQ(index[i].labels, labelled[i].labels);
  }
}

// Version ids, labels and key ids have compact forms for their usual values
// (lowercase UUIDs, AWS's labels, the default key): every other text, and
// dates of any sign and size, come back exactly as given.
TEST(CachedSecret, KeepsEveryIdLabelKeyAndDateExactly) {
  const std::vector<std::string> ids = {
      "17919a5d-a3c6-45ed-baf5-61e36c420496",  "17919A5D-A3C6-45ED-BAF5-61E36C420496",
      "17919a5d-a3c6-45ed-baf5-61e36c42049g",  "17919a5d-a3c6-45ed-baf5-61e36c4204960",
      "17919a5da3c6-45ed-baf5-61e36c4204961-", "00000000-0000-0000-0000-000000000000",
      "ffffffff-ffff-ffff-ffff-ffffffffffff",  "EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE"};
  const std::vector<std::string> words = {
      "AWSCURRENT", "AWSPREVIOUS", "AWSPENDING",         "DefaultEncryptionKey", "awscurrent",
      "",           "AWSCURRENTX", std::string(200, 'w')};
  const std::vector<EpochMillis> dates = {0,
                                          1,
                                          -1,
                                          1796021421934,
                                          -1796021421934,
                                          std::numeric_limits<std::int64_t>::max(),
                                          std::numeric_limits<std::int64_t>::min()};
  SecretRecord secret = EveryColumnSet();
  secret.created_date = dates[5];
  secret.last_changed_date = dates[6];
  secret.deleted_date = dates[4];
  std::vector<VersionRecord> labelled(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    labelled[i].version_id = ids[i];
    labelled[i].created_date = dates[i % dates.size()];
    // (The least int64 is the access slots' "never".)
    labelled[i].last_accessed_date = dates[(i + 3) % (dates.size() - 1)];
    labelled[i].kms_key_id = words[i % words.size()];
    labelled[i].labels = {words[(i + 1) % words.size()], "L" + std::to_string(i)};
    labelled[i].has_value = true;
    labelled[i].secret_string = "value " + std::to_string(i);
  }
  std::sort(labelled.begin(), labelled.end(), [](const VersionRecord& a, const VersionRecord& b) {
    return a.version_id < b.version_id;
  });
  const CachedSecretPtr made = CachedSecret::Make(secret, labelled, /*values_open=*/true);
  EXPECT_EQ(made->Secret(), secret);
  for (const VersionRecord& version : labelled) {
    EXPECT_EQ(made->FindVersion(version.version_id, true), version) << version.version_id;
    EXPECT_EQ(made->FindVersionByLabel(version.labels.back(), true), version);
  }
  const std::vector<VersionRecord> index = made->LabelIndex();
  ASSERT_EQ(index.size(), labelled.size());
  for (std::size_t i = 0; i < index.size(); ++i) {
    EXPECT_EQ(index[i].version_id, labelled[i].version_id);
    EXPECT_EQ(index[i].labels, labelled[i].labels);
  }
}

// Random rows and versions, every optional present or not, texts near the
// compact forms (UUIDs in either case, one character off, the common words
// and their neighbours), any bytes for values and any dates: each comes
// back from the entry exactly as it went in.
TEST(CachedSecret, RandomRecords_ComeBackExactly) {
  std::mt19937_64 random(20261130);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
  auto chance = [&] { return random() % 2 == 0; };
  auto date = [&]() -> EpochMillis {
    switch (pick(4)) {
      case 0:
        return static_cast<EpochMillis>(random());
      case 1:
        return 1796021421934 + static_cast<EpochMillis>(pick(1000000));
      case 2:
        return -static_cast<EpochMillis>(pick(1000));
      default:
        return static_cast<EpochMillis>(pick(130));
    }
  };
  auto bytes = [&](std::size_t max) {
    std::string out(pick(max + 1), '\0');
    for (char& c : out) c = static_cast<char>(random());
    return out;
  };
  auto uuid = [&] {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
    for (char& c : out) {
      if (c == 'x') c = kHex[pick(16)];
    }
    switch (pick(5)) {
      case 0:
        out[pick(out.size())] = "AFGz-"[pick(5)];
        break;  // near miss
      case 1:
        out.push_back('0');
        break;
      default:
        break;
    }
    return out;
  };
  const std::vector<std::string> words = {"AWSCURRENT",
                                          "AWSPREVIOUS",
                                          "AWSPENDING",
                                          "DefaultEncryptionKey",
                                          "AWSCURREN",
                                          "awspending",
                                          "alias/aws/secretsmanager",
                                          ""};
  auto text = [&]() -> std::string { return chance() ? words[pick(words.size())] : bytes(40); };
  auto maybe_text = [&]() -> std::optional<std::string> {
    if (chance()) return std::nullopt;
    return text();
  };
  auto maybe_date = [&]() -> std::optional<EpochMillis> {
    if (chance()) return std::nullopt;
    return date();
  };
  for (int round = 0; round < 500; ++round) {
    SecretRecord secret = MakeSecret("app/" + std::to_string(round), date());
    secret.id = round + 1;
    secret.last_changed_date = date();
    secret.description = maybe_text();
    secret.kms_key_id = maybe_text();
    secret.type = maybe_text();
    secret.owning_service = maybe_text();
    secret.last_accessed_date = maybe_date();
    secret.deleted_date = maybe_date();
    secret.deletion_date = maybe_date();
    if (chance()) secret.tags = std::vector<Tag>{{text(), text()}, {bytes(5), ""}};
    if (chance()) secret.rotation_enabled = chance();
    secret.rotation_lambda_arn = maybe_text();
    secret.rotation_rules_json = maybe_text();
    secret.last_rotated_date = maybe_date();
    secret.next_rotation_date = maybe_date();
    secret.rotation_window_end = maybe_date();
    secret.external_rotation_metadata_json = maybe_text();
    secret.external_rotation_role_arn = maybe_text();
    secret.resource_policy = maybe_text();
    secret.primary_region = maybe_text();
    secret.replication_status_json = maybe_text();
    std::vector<VersionRecord> labelled(pick(5));
    std::set<std::string> ids;
    for (std::size_t i = 0; i < labelled.size(); ++i) {
      VersionRecord& version = labelled[i];
      do {
        version.version_id = chance() ? uuid() : bytes(64);
      } while (!ids.insert(version.version_id).second);
      version.created_date = date();
      version.last_accessed_date = maybe_date();
      version.kms_key_id = text();
      // Each label on one version only, as the table guarantees.
      version.labels = {"L" + std::to_string(i)};
      if (i < 3) version.labels.push_back(words[i]);
      std::sort(version.labels.begin(), version.labels.end());
      version.has_value = chance();
      if (version.has_value) {
        (chance() ? version.secret_string : version.secret_binary) = bytes(300);
      }
    }
    std::sort(labelled.begin(), labelled.end(), [](const VersionRecord& a, const VersionRecord& b) {
      return a.version_id < b.version_id;
    });
    const CachedSecretPtr made = CachedSecret::Make(secret, labelled, /*values_open=*/true);
    ASSERT_EQ(made->Secret(), secret) << "round " << round;
    for (const VersionRecord& version : labelled) {
      ASSERT_EQ(made->FindVersion(version.version_id, true), version) << "round " << round;
      ASSERT_EQ(made->FindVersionByLabel(version.labels.front(), true), version);
    }
    ASSERT_EQ(made->LabelIndex().size(), labelled.size());
  }
}

TEST(CachedSecret, KeepsAnyArnExactly) {
  for (const std::string arn :
       {"arn:aws:secretsmanager:eu-west-3:123456789012:secret:app/db-AbCdEf",
        "arn:aws-cn:secretsmanager:eu-west-3:123456789012:secret:app/db-AbCdEf",
        "arn:aws:secretsmanager:eu-west-3:123456789012:secret:other-AbCdEf",
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbCdEf",
        "arn:aws:secretsmanager:eu-west-3:123456789012:secret:app/db-AbCdEfG", "not an arn"}) {
    SecretRecord secret = EveryColumnSet();
    secret.arn = arn;
    const CachedSecretPtr made = CachedSecret::Make(secret, {}, true);
    const CachedSecret& entry = *made;
    EXPECT_EQ(entry.arn(), arn);
    EXPECT_EQ(entry.Secret(), secret);
    EXPECT_TRUE(entry.HasArn(arn));
    EXPECT_FALSE(entry.HasArn(arn + "x"));
    EXPECT_FALSE(
        entry.HasArn("arn:aws:secretsmanager:eu-west-3:123456789012:secret:app/db-ZZZZZZ"));
  }
}

TEST(SecretCache, FindsBySecretArn_OnlyTheExactOne) {
  SecretCache cache(10);
  cache.Offer(Entry(1, "app/db"), 0);
  const std::string arn = "arn:aws:secretsmanager:us-east-1:000000000000:secret:app/db-AbCdEf";
  ASSERT_TRUE(cache.FindByArn(arn).secret);
  EXPECT_EQ(cache.FindByArn(arn).secret->id(), 1);
  // The same name recreated has another suffix; other accounts, regions, partitions.
  EXPECT_FALSE(
      cache.FindByArn("arn:aws:secretsmanager:us-east-1:000000000000:secret:app/db-XyZabc").secret);
  EXPECT_FALSE(
      cache.FindByArn("arn:aws:secretsmanager:us-east-1:111111111111:secret:app/db-AbCdEf").secret);
  EXPECT_FALSE(
      cache.FindByArn("arn:aws:secretsmanager:us-west-2:000000000000:secret:app/db-AbCdEf").secret);
  EXPECT_FALSE(
      cache.FindByArn("arn:aws-cn:secretsmanager:us-east-1:000000000000:secret:app/db-AbCdEf")
          .secret);
  EXPECT_FALSE(cache.FindByArn("app/db").secret);
}

TEST(CachedSecret, RecordAccess_MovesTheSecretAndThatVersionForwardOnly) {
  SecretRecord secret = MakeSecret("dated");
  std::vector<VersionRecord> labelled(2);
  labelled[0].version_id = "a";
  labelled[0].labels = {"AWSPREVIOUS"};
  labelled[1].version_id = "b";
  labelled[1].last_accessed_date = 500;
  labelled[1].labels = {"AWSCURRENT"};
  const CachedSecretPtr made = CachedSecret::Make(secret, labelled, true);
  const CachedSecret& entry = *made;
  EXPECT_FALSE(entry.Secret().last_accessed_date);
  entry.RecordAccess("b", 400);  // older than b's own
  EXPECT_EQ(entry.Secret().last_accessed_date, std::optional<EpochMillis>(400));
  EXPECT_EQ(entry.FindVersion("b", false)->last_accessed_date, std::optional<EpochMillis>(500));
  entry.RecordAccess("b", 900);
  EXPECT_EQ(entry.Secret().last_accessed_date, std::optional<EpochMillis>(900));
  EXPECT_EQ(entry.FindVersion("b", false)->last_accessed_date, std::optional<EpochMillis>(900));
  EXPECT_FALSE(entry.FindVersion("a", false)->last_accessed_date);
  entry.RecordAccess("unlabelled", 1000);  // a version the entry does not hold
  EXPECT_EQ(entry.Secret().last_accessed_date, std::optional<EpochMillis>(1000));
  EXPECT_EQ(entry.FindVersionByLabel("AWSCURRENT", false)->last_accessed_date,
            std::optional<EpochMillis>(900));
}

TEST(CachedSecret, KeepsNoValueWhenTheValuesDidNotOpen) {
  SecretRecord secret = MakeSecret("locked");
  std::vector<VersionRecord> labelled(1);
  labelled[0].version_id = "v";
  labelled[0].has_value = true;
  labelled[0].labels = {"AWSCURRENT"};
  const CachedSecretPtr made = CachedSecret::Make(secret, labelled, /*values_open=*/false);
  const CachedSecret& entry = *made;
  EXPECT_FALSE(entry.values_open());
  auto version = entry.FindVersionByLabel("AWSCURRENT", true);
  ASSERT_TRUE(version);
  EXPECT_TRUE(version->has_value);
  EXPECT_FALSE(version->secret_string);
  EXPECT_FALSE(version->secret_binary);
}

TEST(SecretCache, HoldsAtMostItsCapacity_KeepingRecentlyUsedEntries) {
  SecretCache cache(3);
  for (int id = 1; id <= 3; ++id) cache.Offer(Entry(id, "s" + std::to_string(id)), 0);
  EXPECT_EQ(cache.size(), 3u);
  ASSERT_TRUE(cache.FindById(1).secret);  // used: gets a second chance
  cache.Offer(Entry(4, "s4"), 0);
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_TRUE(cache.FindById(1).secret);
  EXPECT_TRUE(cache.FindById(4).secret);
  EXPECT_FALSE(cache.FindByName("000000000000", "us-east-1", "s2").secret);
  for (int id = 5; id <= 50; ++id) cache.Offer(Entry(id, "s" + std::to_string(id)), 0);
  EXPECT_EQ(cache.size(), 3u);
}

CachedSecretPtr EntryWithValue(std::int64_t id, std::size_t value_bytes) {
  return Entry(id, "big" + std::to_string(id), value_bytes);
}

TEST(SecretCache, HoldsAtMostItsBytes_ValuesIncluded) {
  constexpr std::size_t kBudget = 1 << 20;
  SecretCache cache(10000, kBudget);
  for (int id = 1; id <= 200; ++id) {
    cache.Offer(EntryWithValue(id, 64 * 1024), 0);
    ASSERT_LE(cache.bytes(), kBudget);
  }
  EXPECT_GE(cache.size(), 14u);  // 15 values of 64 KiB fit, less the bookkeeping
  EXPECT_LE(cache.size(), 15u);
  EXPECT_TRUE(cache.FindById(200).secret);           // the newest is kept
  cache.Offer(EntryWithValue(201, 2 * kBudget), 0);  // larger than the whole budget
  EXPECT_FALSE(cache.FindById(201).secret);
  EXPECT_TRUE(cache.FindById(200).secret);
  // Dropping entries gives their bytes back.
  std::vector<std::int64_t> all;
  for (int id = 1; id <= 200; ++id) all.push_back(id);
  cache.BeginCommit();
  cache.EndCommit(all, false);
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.bytes(), 0u);
}

TEST(SecretCache, StaysConsistentThroughEvictionsAndCommits) {
  SecretCache cache(8, 1 << 20);
  std::mt19937 random(7);
  for (int step = 0; step < 5000; ++step) {
    const std::int64_t id = 1 + static_cast<std::int64_t>(random() % 40);
    switch (random() % 4) {
      case 0:
      case 1:
        cache.Offer(EntryWithValue(id, random() % 4096), cache.generation());
        break;
      case 2:
        cache.FindById(id);
        break;
      default:
        cache.BeginCommit();
        cache.EndCommit(std::vector<std::int64_t>{id}, false);
        EXPECT_FALSE(cache.FindById(id).secret);
    }
    ASSERT_LE(cache.size(), 8u);
  }
  std::size_t found = 0;
  for (std::int64_t id = 1; id <= 40; ++id) {
    auto hit = cache.FindById(id).secret;
    if (!hit) continue;
    ++found;
    EXPECT_TRUE(cache.FindByName("000000000000", "us-east-1", hit->Secret().name).secret);
    EXPECT_TRUE(cache.FindByArn(hit->arn()).secret);
  }
  EXPECT_EQ(found, cache.size());
}

// The shape bench/run.sh reads: a ~100-byte SecretString, one version, as
// CreateSecret stores it (a UUID version id, today's dates, the default key).
CachedSecretPtr SmallSecret(std::int64_t id) {
  SecretRecord secret = MakeSecret("bench/secret-" + std::to_string(100000 + id));
  secret.id = id;
  secret.created_date = secret.last_changed_date = 1796021421934;
  std::vector<VersionRecord> labelled(1);
  labelled[0].version_id = "17919a5d-a3c6-45ed-baf5-" + std::to_string(100000000000 + id);
  labelled[0].created_date = 1796021421934;
  labelled[0].kms_key_id = "DefaultEncryptionKey";
  labelled[0].has_value = true;
  labelled[0].labels = {"AWSCURRENT"};
  labelled[0].secret_string =
      "{\"username\": \"user000007\", \"password\": \"p000007" + std::string(60, 'x') + "\"}";
  return CachedSecret::Make(secret, labelled, /*values_open=*/true);
}

// The byte bound is what limits how many secrets a uniform read over a large
// set finds cached: one block per entry and flat indexes keep a small secret
// near its packed size.
TEST(SecretCache, SmallSecret_CostsLittleMoreThanItsPackedBytes) {
  const CachedSecretPtr entry = SmallSecret(1);
  EXPECT_LE(ApproximateBytes(*entry), 312u);
}

#ifdef __GLIBC__
// ApproximateBytes is honest: what the heap holds for the entries and the
// indexes stays within the bytes the cache counts.
TEST(SecretCache, CountedBytes_CoverWhatTheHeapHolds) {
#ifdef SML_ADDRESS_SANITIZER
  GTEST_SKIP() << "measures glibc's heap, which AddressSanitizer's allocator replaces";
#endif
  // Small blocks and the large (mmapped) ones: the indexes.
  auto heap = [] { return mallinfo2().uordblks + mallinfo2().hblkhd; };
  malloc_trim(0);
  const std::size_t before = heap();
  {
    SecretCache cache(1'000'000, 64u << 20);
    for (int id = 1; id <= 20000; ++id) cache.Offer(SmallSecret(id), 0);
    ASSERT_EQ(cache.size(), 20000u);
    const std::size_t held = heap() - before;
    EXPECT_LE(held, cache.bytes());
    EXPECT_GE(held, cache.bytes() * 3 / 4);  // and not grossly over-counted
  }
}
#endif

// Many entries: the hash indexes grow, and removals in the middle of probe
// runs (commits and evictions) leave every entry findable by id and name.
TEST(SecretCache, LargeIndexes_StayExactThroughRemovals) {
  SecretCache cache(3000, 64u << 20);
  std::mt19937 random(11);
  std::set<std::int64_t> dropped;  // touched by a commit and not offered since
  for (int step = 0; step < 60000; ++step) {
    const std::int64_t id = 1 + static_cast<std::int64_t>(random() % 8000);
    if (random() % 3 != 0) {
      cache.Offer(SmallSecret(id), cache.generation());
      dropped.erase(id);
    } else {
      cache.BeginCommit();
      cache.EndCommit(std::vector<std::int64_t>{id}, false);
      dropped.insert(id);
    }
  }
  EXPECT_EQ(cache.size(), 3000u);
  std::size_t found = 0;
  for (std::int64_t id = 1; id <= 8000; ++id) {
    auto by_id = cache.FindById(id).secret;
    auto by_name =
        cache.FindByName("000000000000", "us-east-1", "bench/secret-" + std::to_string(100000 + id))
            .secret;
    EXPECT_EQ(by_id, by_name) << id;
    if (by_id) {
      ++found;
      EXPECT_EQ(by_id->id(), id);
      EXPECT_FALSE(dropped.contains(id)) << id;
    }
  }
  EXPECT_EQ(found, cache.size());
}

TEST(SecretCache, NewEntriesAreEvictedLast_FirstInFirstOutWithoutUse) {
  SecretCache cache(3);
  for (int id = 1; id <= 6; ++id) cache.Offer(Entry(id, "s" + std::to_string(id)), 0);
  for (int id = 1; id <= 3; ++id) EXPECT_FALSE(cache.FindById(id).secret) << id;
  for (int id = 4; id <= 6; ++id) EXPECT_TRUE(cache.FindById(id).secret) << id;
}

TEST(SecretCache, OfferFromBeforeACommit_IsRefused) {
  SecretCache cache(10);
  const std::uint64_t seen = cache.generation();
  cache.BeginCommit();
  cache.Offer(Entry(1, "a"), seen);  // read before the commit: may be stale
  EXPECT_FALSE(cache.FindById(1).secret);
  cache.EndCommit(std::vector<std::int64_t>{1}, false);
  cache.Offer(Entry(1, "a"), seen);
  EXPECT_FALSE(cache.FindById(1).secret);
  cache.Offer(Entry(1, "a"), cache.generation());
  EXPECT_TRUE(cache.FindByArn(MakeSecret("a").arn).secret);
  cache.BeginCommit();
  cache.EndCommit(std::vector<std::int64_t>{1}, false);  // the commit touched it
  EXPECT_FALSE(cache.FindById(1).secret);
  EXPECT_FALSE(cache.FindByName("000000000000", "us-east-1", "a").secret);
}

}  // namespace
}  // namespace sml::storage
