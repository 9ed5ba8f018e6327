// Store::Open: migrations, re-open, refusals with a one-line reason.
#include "storage/schema.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "storage/repository_sql.h"
#include "tests/unit/storage/store_fixture.h"

namespace sml::storage {
namespace {

using testing::FakeCipher;
using testing::ScratchDir;

// Undoes migration 10 (its dates back in the rows' own columns, the old
// index back), as a build before it left the file.
#define SML_UNDO_ACCESS_TABLES                                                                  \
  "UPDATE secrets SET last_accessed_date = "                                                    \
  "(SELECT nullif(day, 0) FROM secret_access WHERE secret_id = secrets.id); "                   \
  "UPDATE versions SET last_accessed_date = "                                                   \
  "(SELECT day FROM version_access WHERE seq = versions.seq); "                                 \
  "DROP TRIGGER secret_access_on_insert; DROP TABLE version_access; DROP TABLE secret_access; " \
  "CREATE INDEX secrets_by_last_accessed ON secrets (last_accessed_key, id, account_id, region); "
constexpr char kUndoAccessTables[] = SML_UNDO_ACCESS_TABLES;

// Undoes migrations 8 to 10 (a database rolled back below 8 must not have
// its columns: ALTER TABLE ADD COLUMN cannot run twice).
constexpr char kUndoMigrationsAfter7[] = SML_UNDO_ACCESS_TABLES
    "ALTER TABLE secrets DROP COLUMN external_rotation_metadata_json; "
    "ALTER TABLE secrets DROP COLUMN external_rotation_role_arn; ";
#undef SML_UNDO_ACCESS_TABLES

int UserVersion(const std::filesystem::path& file) {
  sqlite::Connection connection(file.string());
  auto query = connection.Use("PRAGMA user_version");
  query->Step();
  return static_cast<int>(query->ColumnInt64(0));
}

std::string OpenError(const StoreOptions& options) {
  try {
    Store::Open(options);
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  return "";
}

TEST(StoreOpen, FreshFile_IsMigratedToLatestVersionInWalMode) {
  ScratchDir dir;
  FakeCipher cipher;
  auto file = dir.path() / "secrets.db";
  testing::OpenFile(file, cipher).reset();
  EXPECT_EQ(UserVersion(file), LatestSchemaVersion());
  sqlite::Connection connection(file.string());
  auto query = connection.Use("PRAGMA journal_mode");
  ASSERT_TRUE(query->Step());
  EXPECT_EQ(query->ColumnText(0), "wal");
}

TEST(StoreOpen, ReopenExistingFile_KeepsData) {
  ScratchDir dir;
  FakeCipher cipher;
  auto file = dir.path() / "secrets.db";
  {
    auto store = testing::OpenFile(file, cipher);
    auto secret = testing::Insert(*store, testing::MakeSecret("kept"));
    store->Write([&](Repository& repo) {
      auto version = testing::MakeVersion("v1", 1000, "the value");
      version.labels = {"AWSCURRENT"};
      repo.InsertVersion(secret.id, version);
      repo.ReplaceLabels(secret.id, {version});
    });
  }
  auto store = testing::OpenFile(file, cipher);
  EXPECT_EQ(UserVersion(file), LatestSchemaVersion());
  store->Read([](Repository& repo) {
    auto secret = repo.FindSecretByName("000000000000", "us-east-1", "kept");
    ASSERT_TRUE(secret);
    auto version = repo.FindVersionByLabel(secret->id, "AWSCURRENT", true);
    ASSERT_TRUE(version);
    EXPECT_EQ(version->secret_string, "the value");
  });
}

TEST(StoreOpen, NewerSchemaVersion_IsRefusedWithClearError) {
  ScratchDir dir;
  FakeCipher cipher;
  auto file = dir.path() / "secrets.db";
  testing::OpenFile(file, cipher).reset();
  {
    sqlite::Connection connection(file.string());
    connection.Execute("PRAGMA user_version = 999");
  }
  std::string error = OpenError(StoreOptions{file, &cipher});
  EXPECT_NE(error.find("999"), std::string::npos) << error;
  EXPECT_NE(error.find("newer"), std::string::npos) << error;
  EXPECT_NE(error.find(file.string()), std::string::npos) << error;
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;
  EXPECT_EQ(UserVersion(file), 999);  // left untouched
}

TEST(StoreOpen, FileThatIsNotADatabase_IsRefused) {
  ScratchDir dir;
  FakeCipher cipher;
  auto file = dir.path() / "garbage.db";
  std::ofstream(file) << std::string(4096, 'x');
  std::string error = OpenError(StoreOptions{file, &cipher});
  EXPECT_NE(error.find("not a database"), std::string::npos) << error;
}

TEST(StoreOpen, MissingDirectory_IsRefused) {
  ScratchDir dir;
  FakeCipher cipher;
  std::string error = OpenError(StoreOptions{dir.path() / "absent" / "secrets.db", &cipher});
  EXPECT_NE(error.find("cannot open database"), std::string::npos) << error;
}

TEST(StoreOpen, WithoutCipher_IsRefused) {
  EXPECT_NE(OpenError(StoreOptions{std::nullopt, nullptr}).find("cipher"), std::string::npos);
}

// Migration 3 adds the running count: a database written by a build before
// it gets counts that match the rows it already holds.
TEST(StoreOpen, SecretCountsMigration_CountsExistingSecrets) {
  ScratchDir dir;
  FakeCipher cipher;
  auto file = dir.path() / "secrets.db";
  {
    auto store = testing::OpenFile(file, cipher);
    testing::Insert(*store, testing::MakeSecret("a", 1, "000000000000", "us-east-1"));
    testing::Insert(*store, testing::MakeSecret("b", 1, "000000000000", "us-east-1"));
    testing::Insert(*store, testing::MakeSecret("c", 1, "111111111111", "eu-west-1"));
  }
  {  // Back to schema version 2, as an older build left it.
    sqlite::Connection connection(file.string());
    connection.Execute(
        (std::string(kUndoMigrationsAfter7) +
         "DROP TRIGGER secret_counts_on_insert; DROP TRIGGER secret_counts_on_delete;"
         "DROP TRIGGER secret_counts_on_move; DROP TABLE secret_counts;"
         "DROP INDEX versions_by_created; PRAGMA user_version = 2")
            .c_str());
  }
  auto store = testing::OpenFile(file, cipher);
  EXPECT_EQ(UserVersion(file), LatestSchemaVersion());
  auto counts = store->Read([](Repository& repo) { return repo.CountSecretsByRegion(); });
  EXPECT_EQ(counts.regions, (std::vector<RegionSecretCount>{{"000000000000", "us-east-1", 2},
                                                            {"111111111111", "eu-west-1", 1}}));
  EXPECT_EQ(counts.total, 3);
  testing::Insert(*store, testing::MakeSecret("d", 1, "111111111111", "eu-west-1"));
  EXPECT_EQ(store->Read([](Repository& repo) { return repo.CountSecrets(); }), 4);
}

// Migration 4 indexes versions by creation date: a database an older build
// wrote opens, keeps its versions, and prunes along the index.
TEST(StoreOpen, VersionsByCreatedMigration_KeepsVersionsAndIndexesThem) {
  ScratchDir dir;
  FakeCipher cipher;
  auto file = dir.path() / "secrets.db";
  std::int64_t id = 0;
  {
    auto store = testing::OpenFile(file, cipher);
    id = testing::Insert(*store, testing::MakeSecret("a")).id;
    store->Write([&](Repository& repo) {
      repo.InsertVersion(id, testing::MakeVersion("new", 2, "y"));
      repo.InsertVersion(id, testing::MakeVersion("old", 1, "x"));
    });
  }
  {  // Back to schema version 3, as an older build left it.
    sqlite::Connection connection(file.string());
    connection.Execute((std::string(kUndoMigrationsAfter7) +
                        "DROP INDEX versions_by_created; PRAGMA user_version = 3")
                           .c_str());
  }
  auto store = testing::OpenFile(file, cipher);
  EXPECT_EQ(UserVersion(file), LatestSchemaVersion());
  {
    sqlite::Connection connection(file.string());
    auto query = connection.Use(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'versions_by_created'");
    query->Step();
    EXPECT_EQ(query->ColumnInt64(0), 1);
  }
  store->Write([&](Repository& repo) { repo.DeleteOldestUnlabelledVersions(id, 1); });
  auto versions = store->Read([&](Repository& repo) { return repo.Versions(id); });
  ASSERT_EQ(versions.size(), 1u);
  EXPECT_EQ(versions[0].version_id, "new");
  EXPECT_EQ(versions[0].secret_string, std::nullopt);
  EXPECT_EQ(store->Read([&](Repository& repo) { return repo.FindVersion(id, "new", true); })
                ->secret_string,
            "y");
}

// Migration 8 adds the external rotation columns: a database an older build
// wrote opens, its secrets show neither field, and both are then stored.
TEST(StoreOpen, ExternalRotationMigration_AddsEmptyColumnsToExistingSecrets) {
  ScratchDir dir;
  FakeCipher cipher;
  auto file = dir.path() / "secrets.db";
  SecretRecord before = testing::Insert(*testing::OpenFile(file, cipher), testing::MakeSecret("a"));
  {  // Back to schema version 7, as an older build left it.
    sqlite::Connection connection(file.string());
    connection.Execute((std::string(kUndoMigrationsAfter7) + "PRAGMA user_version = 7").c_str());
  }
  auto store = testing::OpenFile(file, cipher);
  EXPECT_EQ(UserVersion(file), LatestSchemaVersion());
  auto found = store->Read([&](Repository& repo) { return repo.FindSecretById(before.id); });
  ASSERT_TRUE(found);
  EXPECT_EQ(*found, before);
  EXPECT_EQ(found->external_rotation_metadata_json, std::nullopt);
  EXPECT_EQ(found->external_rotation_role_arn, std::nullopt);

  found->external_rotation_metadata_json = R"([{"Key":"k","Value":"v"}])";
  found->external_rotation_role_arn = "arn:aws:iam::000000000000:role/partner-rotation";
  store->Write([&](Repository& repo) { repo.UpdateSecret(*found); });
  store.reset();
  auto reopened = testing::OpenFile(file, cipher);
  EXPECT_EQ(reopened->Read([&](Repository& repo) { return repo.FindSecretById(before.id); }),
            found);
}

// Migration 10 moves every LastAccessedDate out of the rows into the narrow
// tables: each read, each listing by the date, and an empty old column.
TEST(StoreOpen, AccessTablesMigration_MovesEveryDate) {
  ScratchDir dir;
  FakeCipher cipher;
  auto file = dir.path() / "secrets.db";
  SecretRecord read, unread;
  {
    auto store = testing::OpenFile(file, cipher);
    SecretRecord secret = testing::MakeSecret("read");
    secret.last_accessed_date = 3 * 86'400'000;
    read = testing::Insert(*store, secret);
    unread = testing::Insert(*store, testing::MakeSecret("unread"));
    store->Write([&](Repository& repo) {
      VersionRecord version = testing::MakeVersion("v1", 1000, "value");
      version.last_accessed_date = 2 * 86'400'000;
      repo.InsertVersion(read.id, version);
      repo.InsertVersion(read.id, testing::MakeVersion("v2", 2000, "value"));
    });
  }
  {  // Back to schema version 9, as an older build left it.
    sqlite::Connection connection(file.string());
    connection.Execute((std::string(kUndoAccessTables) + "PRAGMA user_version = 9").c_str());
    auto old_dates = connection.Use("SELECT count(*) FROM secrets WHERE last_accessed_date > 0");
    ASSERT_TRUE(old_dates->Step());
    ASSERT_EQ(old_dates->ColumnInt64(0), 1);
  }
  auto store = testing::OpenFile(file, cipher);
  EXPECT_EQ(UserVersion(file), LatestSchemaVersion());
  store->Read([&](Repository& repo) {
    EXPECT_EQ(repo.FindSecretById(read.id)->last_accessed_date, 3 * 86'400'000);
    EXPECT_EQ(repo.FindSecretById(unread.id)->last_accessed_date, std::nullopt);
    EXPECT_EQ(repo.FindVersion(read.id, "v1", false)->last_accessed_date, 2 * 86'400'000);
    EXPECT_EQ(repo.FindVersion(read.id, "v2", false)->last_accessed_date, std::nullopt);
    std::vector<std::string> names;
    repo.ScanSecrets({.account_id = read.account_id,
                      .region = read.region,
                      .sort_key = SecretSortKey::kLastAccessedDate},
                     [&](const SecretRecord& s) {
                       names.push_back(s.name);
                       return true;
                     });
    EXPECT_EQ(names, (std::vector<std::string>{"unread", "read"}));
  });
  store.reset();
  sqlite::Connection connection(file.string());
  auto old_dates = connection.Use(
      "SELECT (SELECT count(*) FROM secrets WHERE last_accessed_date IS NOT NULL) + "
      "(SELECT count(*) FROM versions WHERE last_accessed_date IS NOT NULL)");
  ASSERT_TRUE(old_dates->Step());
  EXPECT_EQ(old_dates->ColumnInt64(0), 0);
}

// A connection to a file a store has just created (every migration applied).
sqlite::Connection LatestSchema(const ScratchDir& dir) {
  FakeCipher cipher;
  const auto file = dir.path() / "secrets.db";
  testing::OpenFile(file, cipher);
  return sqlite::Connection(file.string());
}

// Opcodes of `sql` as prepared on `connection`.
std::vector<std::string> Opcodes(sqlite::Connection& connection, const std::string& sql) {
  std::vector<std::string> opcodes;
  sqlite::Statement explain(connection.handle(), ("EXPLAIN " + sql).c_str());
  while (explain.Step()) opcodes.push_back(explain.ColumnText(1));
  return opcodes;
}

TEST(StoreOpen, ValueKindCheckMigration_KeepsTheRuleWithoutATemporaryBtree) {
  ScratchDir dir;
  FakeCipher cipher;
  auto file = dir.path() / "secrets.db";
  const std::string insert =
      "INSERT INTO versions (secret_id, version_id, created_date, "
      "kms_key_id, value_kind) VALUES (?1, 'v', 1, 'k', ?2)";
  std::int64_t id = testing::Insert(*testing::OpenFile(file, cipher), testing::MakeSecret("a")).id;
  {  // Back to schema version 4, as an older build left it.
    sqlite::Connection connection(file.string());
    connection.Execute(kUndoMigrationsAfter7);
    connection.Execute(
        "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = replace(sql, "
        "'CHECK (value_kind = 0 OR value_kind = 1 OR value_kind = 2)', "
        "'CHECK (value_kind IN (0, 1, 2))') WHERE name = 'versions'; "
        "PRAGMA writable_schema = RESET; PRAGMA user_version = 4");
    auto opcodes = Opcodes(connection, insert);
    ASSERT_NE(std::find(opcodes.begin(), opcodes.end(), "OpenEphemeral"), opcodes.end());
  }
  testing::OpenFile(file, cipher);
  EXPECT_EQ(UserVersion(file), LatestSchemaVersion());
  sqlite::Connection connection(file.string());
  auto opcodes = Opcodes(connection, insert);
  EXPECT_EQ(std::find(opcodes.begin(), opcodes.end(), "OpenEphemeral"), opcodes.end());
  sqlite::Statement check(connection.handle(), "PRAGMA integrity_check");
  ASSERT_TRUE(check.Step());
  EXPECT_EQ(check.ColumnText(0), "ok");
  for (int kind : {0, 1, 2, 3, -1}) {
    sqlite::Statement add(connection.handle(), insert.c_str());
    add.BindInt64(1, id);
    add.BindInt64(2, kind);
    if (kind >= 0 && kind <= 2) {
      add.Run();
      connection.Execute("DELETE FROM versions");
    } else {
      EXPECT_THROW(add.Run(), std::runtime_error) << kind;
    }
  }
}

TEST(StoreOpen, LabelsHaveOneBtree_AndEveryLabelQuerySeeksIt) {
  ScratchDir dir;
  sqlite::Connection connection = LatestSchema(dir);
  {
    auto query = connection.Use("SELECT count(*) FROM sqlite_schema WHERE tbl_name = 'labels'");
    query->Step();
    EXPECT_EQ(query->ColumnInt64(0), 1);  // the table (WITHOUT ROWID: its key is its b-tree)
  }
  for (const char* sql : {sql::kVersions, sql::kFindVersionWithValue,
                          sql::kFindVersionByLabelWithValue, sql::kDeleteOldestUnlabelledVersion,
                          sql::kDeleteOldestUnlabelledVersions, sql::kLabelledVersionsWithValue,
                          sql::kLabelsOfSecret, sql::kLabelsAndVersionCount, sql::kRemoveLabels}) {
    sqlite::Statement plan(connection.handle(), std::string("EXPLAIN QUERY PLAN ") + sql);
    while (plan.Step()) {
      const std::string step = plan.ColumnText(3);
      EXPECT_EQ(step.find("SCAN labels"), std::string::npos) << sql;
      EXPECT_EQ(step.find("SCAN l "), std::string::npos) << sql;
      EXPECT_EQ(step.find("TEMP B-TREE"), std::string::npos) << sql;
    }
  }
}

// What a PutSecretValue runs, without a temporary b-tree or a sorter (each
// costs as much as a b-tree write, on every run).
TEST(StoreOpen, PutStatements_BuildNoTemporaryBtree) {
  ScratchDir dir;
  sqlite::Connection connection = LatestSchema(dir);
  // Foreign keys off: the statements' own programs. (Deleting a version
  // runs the labels cascade, which collects keys in a temporary b-tree.)
  for (const char* sql :
       {sql::kFindSecretByName, sql::kInsertVersionIfAbsent, sql::kLabelsAndVersionCount,
        sql::kAttachLabels, sql::kDeleteOldestUnlabelledVersion, sql::kSetLastChangedDate}) {
    auto opcodes = Opcodes(connection, sql);
    for (const char* costly : {"OpenEphemeral", "SorterOpen"}) {
      EXPECT_EQ(std::find(opcodes.begin(), opcodes.end(), costly), opcodes.end())
          << costly << " in " << sql;
    }
  }
}

// Every ListSecrets order is a walk of its index, a page at a time, never a
// sort of the region's secrets; by last access (an index led by the date,
// schema v7) the region is checked in the index, before the row is read.
TEST(StoreOpen, ListingScans_WalkTheirIndex_WithoutSorting) {
  ScratchDir dir;
  sqlite::Connection connection = LatestSchema(dir);
  const char* indexes[] = {"secrets_by_created", "secret_access_by_day", "secrets_by_last_changed",
                           "sqlite_autoindex_secrets_1"};
  for (std::size_t key = 0; key < std::size(sql::kScanSecrets); ++key) {
    for (const sql::ScanStatements& pair : sql::kScanSecrets[key]) {
      for (const char* scan : {pair.first, pair.after}) {
        sqlite::Statement plan(connection.handle(), std::string("EXPLAIN QUERY PLAN ") + scan);
        std::string steps;
        while (plan.Step()) steps += plan.ColumnText(3) + "\n";
        EXPECT_NE(steps.find(std::string(" INDEX ") + indexes[key]), std::string::npos)
            << scan << "\n"
            << steps;
        EXPECT_EQ(steps.find("TEMP B-TREE"), std::string::npos) << scan << "\n" << steps;
      }
    }
  }
}

TEST(StoreOpen, InMemory_StartsEmptyEachTime) {
  FakeCipher cipher;
  auto first = testing::OpenInMemory(cipher);
  testing::Insert(*first, testing::MakeSecret("only-in-first"));
  auto second = testing::OpenInMemory(cipher);
  EXPECT_EQ(first->Read([](Repository& repo) { return repo.CountSecrets(); }), 1);
  EXPECT_EQ(second->Read([](Repository& repo) { return repo.CountSecrets(); }), 0);
}

}  // namespace
}  // namespace sml::storage

namespace sml::storage {
namespace {

constexpr char kCreateA[] = "CREATE TABLE a (x INTEGER)";
constexpr char kCreateB[] = "CREATE TABLE b (y INTEGER)";
constexpr char kHalfBroken[] = "CREATE TABLE c (z INTEGER); CREATE TABLE a (x INTEGER)";

int UserVersion(sqlite::Connection& connection) {
  auto query = connection.Use("PRAGMA user_version");
  query->Step();
  return static_cast<int>(query->ColumnInt64(0));
}

bool TableExists(sqlite::Connection& connection, const char* name) {
  auto query = connection.Use("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1");
  query->BindText(1, name);
  return query->Step();
}

TEST(Migrations, AppendedMigration_AppliesOnTopOfAnExistingDatabase) {
  sqlite::Connection connection(":memory:");
  const Migration first[] = {{"a", kCreateA}};
  ApplyMigrations(connection, first);
  EXPECT_EQ(UserVersion(connection), 1);
  const Migration both[] = {{"a", kCreateA}, {"b", kCreateB}};
  ApplyMigrations(connection, both);  // would fail if "a" ran twice
  EXPECT_EQ(UserVersion(connection), 2);
  EXPECT_TRUE(TableExists(connection, "b"));
}

TEST(Migrations, FailingMigration_IsRolledBackWholeAndNamed) {
  sqlite::Connection connection(":memory:");
  const Migration list[] = {{"a", kCreateA}, {"half broken", kHalfBroken}};
  try {
    ApplyMigrations(connection, list);
    FAIL() << "expected the second migration to fail";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("migration 2 (half broken)"), std::string::npos)
        << error.what();
  }
  EXPECT_EQ(UserVersion(connection), 1);
  EXPECT_TRUE(TableExists(connection, "a"));
  EXPECT_FALSE(TableExists(connection, "c"));  // its first statement was undone too
  EXPECT_TRUE(connection.InAutocommit());
}

}  // namespace
}  // namespace sml::storage
