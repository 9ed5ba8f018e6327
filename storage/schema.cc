#include "storage/schema.h"

#include <iterator>
#include <stdexcept>
#include <string>

namespace sml::storage {
namespace {

// Secrets, their versions and staging labels.
//  - tags_json: NULL = never tagged, '[]' = tagged then untagged.
//  - data_key: the secret's value-encryption key, wrapped by the master key.
//  - last_accessed_key: last_accessed_date with NULL as 0, so that sorting by
//    it is index-driven.
//  - labels: PRIMARY KEY(secret_id, label) is what makes the database itself
//    refuse one label on two versions of a secret.
//  - versions.seq keeps insertion order for versions created in the same
//    millisecond.
constexpr char kSchemaV1[] = R"sql(
CREATE TABLE secrets (
  id                      INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id              TEXT NOT NULL,
  region                  TEXT NOT NULL,
  name                    TEXT NOT NULL,
  arn                     TEXT NOT NULL,
  description             TEXT,
  kms_key_id              TEXT,
  type                    TEXT,
  owning_service          TEXT,
  created_date            INTEGER NOT NULL,
  last_changed_date       INTEGER NOT NULL,
  last_accessed_date      INTEGER,
  deleted_date            INTEGER,
  deletion_date           INTEGER,
  tags_json               TEXT,
  rotation_enabled        INTEGER CHECK (rotation_enabled IN (0, 1)),
  rotation_lambda_arn     TEXT,
  rotation_rules_json     TEXT,
  last_rotated_date       INTEGER,
  next_rotation_date      INTEGER,
  resource_policy         TEXT,
  primary_region          TEXT,
  replication_status_json TEXT,
  data_key                BLOB NOT NULL,
  last_accessed_key       INTEGER NOT NULL
      GENERATED ALWAYS AS (coalesce(last_accessed_date, 0)) VIRTUAL,
  UNIQUE (account_id, region, name)
);
CREATE UNIQUE INDEX secrets_by_arn ON secrets (arn);
CREATE INDEX secrets_by_created ON secrets (account_id, region, created_date, id);
CREATE INDEX secrets_by_last_accessed ON secrets (account_id, region, last_accessed_key, id);
CREATE INDEX secrets_by_last_changed ON secrets (account_id, region, last_changed_date, id);
CREATE INDEX secrets_due_rotation ON secrets (next_rotation_date, id)
    WHERE rotation_enabled = 1 AND deleted_date IS NULL;
CREATE INDEX secrets_due_deletion ON secrets (deletion_date, id)
    WHERE deletion_date IS NOT NULL;

CREATE TABLE versions (
  seq                INTEGER PRIMARY KEY,
  secret_id          INTEGER NOT NULL REFERENCES secrets (id) ON DELETE CASCADE,
  version_id         TEXT NOT NULL,
  created_date       INTEGER NOT NULL,
  last_accessed_date INTEGER,
  kms_key_id         TEXT NOT NULL,
  value_kind         INTEGER NOT NULL CHECK (value_kind IN (0, 1, 2)),
  ciphertext         BLOB,
  UNIQUE (secret_id, version_id)
);

CREATE TABLE labels (
  secret_id  INTEGER NOT NULL REFERENCES secrets (id) ON DELETE CASCADE,
  label      TEXT NOT NULL,
  version_id TEXT NOT NULL,
  PRIMARY KEY (secret_id, label),
  FOREIGN KEY (secret_id, version_id)
      REFERENCES versions (secret_id, version_id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX labels_by_version ON labels (secret_id, version_id, label);
)sql";

// Append only.
// Rotation: the window a scheduled rotation is retried in, the registered
// handlers, the history of attempts, and settings (the emulator clock).
constexpr char kSchemaV2[] = R"sql(
ALTER TABLE secrets ADD COLUMN rotation_window_end INTEGER;

CREATE TABLE rotation_handlers (
  name        TEXT PRIMARY KEY,
  config_json TEXT NOT NULL
);

CREATE TABLE rotation_attempts (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  secret_id   INTEGER NOT NULL,
  secret_arn  TEXT NOT NULL,
  secret_name TEXT NOT NULL,
  token       TEXT NOT NULL,
  trigger     TEXT NOT NULL CHECK (trigger IN ('manual', 'scheduled')),
  started     INTEGER NOT NULL,
  finished    INTEGER,
  outcome     TEXT NOT NULL CHECK (outcome IN ('running', 'succeeded', 'failed')),
  error       TEXT NOT NULL,
  steps_json  TEXT NOT NULL
);
CREATE INDEX rotation_attempts_by_arn ON rotation_attempts (secret_arn, id);
CREATE INDEX rotation_attempts_by_name ON rotation_attempts (secret_name, id);
CREATE INDEX rotation_attempts_by_secret ON rotation_attempts (secret_id, id);
CREATE INDEX rotation_attempts_running ON rotation_attempts (id) WHERE outcome = 'running';

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql";

// A running count of secrets per account and region, kept exact by triggers
// inside every write's own transaction, so /_local/health and metrics never
// scan the secrets table. Filled from the rows that already exist.
constexpr char kSchemaV3[] = R"sql(
CREATE TABLE secret_counts (
  account_id TEXT NOT NULL,
  region     TEXT NOT NULL,
  n          INTEGER NOT NULL CHECK (n > 0),
  PRIMARY KEY (account_id, region)
) WITHOUT ROWID;

INSERT INTO secret_counts (account_id, region, n)
  SELECT account_id, region, count(*) FROM secrets GROUP BY account_id, region;

CREATE TRIGGER secret_counts_on_insert AFTER INSERT ON secrets BEGIN
  INSERT INTO secret_counts (account_id, region, n) VALUES (NEW.account_id, NEW.region, 1)
    ON CONFLICT (account_id, region) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER secret_counts_on_delete AFTER DELETE ON secrets BEGIN
  DELETE FROM secret_counts
    WHERE account_id = OLD.account_id AND region = OLD.region AND n = 1;
  UPDATE secret_counts SET n = n - 1
    WHERE account_id = OLD.account_id AND region = OLD.region;
END;

CREATE TRIGGER secret_counts_on_move AFTER UPDATE OF account_id, region ON secrets
    WHEN OLD.account_id IS NOT NEW.account_id OR OLD.region IS NOT NEW.region BEGIN
  DELETE FROM secret_counts
    WHERE account_id = OLD.account_id AND region = OLD.region AND n = 1;
  UPDATE secret_counts SET n = n - 1
    WHERE account_id = OLD.account_id AND region = OLD.region;
  INSERT INTO secret_counts (account_id, region, n) VALUES (NEW.account_id, NEW.region, 1)
    ON CONFLICT (account_id, region) DO UPDATE SET n = n + 1;
END;
)sql";

// A secret's versions oldest first (created_date, then seq: the rowid every
// index ends with), so that pruning finds the oldest unlabelled versions
// without sorting them all.
constexpr char kSchemaV4[] = R"sql(
CREATE INDEX versions_by_created ON versions (secret_id, created_date);
)sql";

// The CHECK on versions.value_kind without IN: SQLite (3.40) builds an
// IN list of three constants into a temporary b-tree on every INSERT that
// checks it, about a tenth of a PutSecretValue. The same rule as a chain of
// comparisons; the file format does not change, so the stored table text is
// rewritten in place (https://sqlite.org/lang_altertable.html, "Making Other
// Kinds Of Table Schema Changes"). RESET reloads the schema; the DDL after it
// bumps the schema cookie, so any other connection reloads it too.
constexpr char kSchemaV5[] = R"sql(
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
  SET sql = replace(sql, 'CHECK (value_kind IN (0, 1, 2))',
                    'CHECK (value_kind = 0 OR value_kind = 1 OR value_kind = 2)')
  WHERE type = 'table' AND name = 'versions';
PRAGMA writable_schema = RESET;
CREATE TABLE schema_cookie_bump (x);
DROP TABLE schema_cookie_bump;
)sql";

// Labels by (secret, label) alone: every label move of a write rewrote two
// b-trees (and two WAL pages). What labels_by_version answered, the primary
// key answers through its secret_id prefix (a secret has a handful of
// labels): the foreign key's child lookups when a version goes, "holds no
// label", and a version's labels; grouping by version is done in C++.
constexpr char kSchemaV6[] = R"sql(
DROP INDEX IF EXISTS labels_by_version;
)sql";

// LastAccessedDate's index led by the date and the id: a day's first reads
// move thousands of its entries, and each move seeks it twice; led by the
// account and region that nearly every entry shares, every comparison of
// those seeks went through two strings. The account and region follow, so
// a listing of one region checks them in the index, before reading a row
// (repository_sql.h: that listing names the index); it walks past the other
// regions' entries in date order.
constexpr char kSchemaV7[] = R"sql(
DROP INDEX secrets_by_last_accessed;
CREATE INDEX secrets_by_last_accessed ON secrets (last_accessed_key, id, account_id, region);
)sql";

// A managed external secret's rotation configuration, as RotateSecret gave
// it: ExternalSecretRotationMetadata (a JSON array) and
// ExternalSecretRotationRoleArn. NULL on every existing row: never given.
constexpr char kSchemaV8[] = R"sql(
ALTER TABLE secrets ADD COLUMN external_rotation_metadata_json TEXT;
ALTER TABLE secrets ADD COLUMN external_rotation_role_arn TEXT;
)sql";

// LastChangedDate's index led by the date and the id, as v7 did for
// LastAccessedDate: nearly every write moves its entry, and each move seeks
// it twice; led by the account and region that nearly every entry shares,
// every comparison of those seeks went through two strings.
constexpr char kSchemaV9[] = R"sql(
DROP INDEX secrets_by_last_changed;
CREATE INDEX secrets_by_last_changed ON secrets (last_changed_date, id, account_id, region);
)sql";

// LastAccessedDate in two narrow tables of its own. A day's first reads
// move thousands of dates at once, and each move rewrote the whole secret
// row (and its index entry) and the whole version row: pages of a few
// secrets each, so that first reads in no particular order dirtied about
// three pages apiece. Here a page holds hundreds of dates. Every secret has
// its row (0: never accessed), so that listing by the date walks one index;
// a version has one once it was read. The old columns are emptied and no
// longer read.
constexpr char kSchemaV10[] = R"sql(
CREATE TABLE secret_access (
  secret_id INTEGER PRIMARY KEY REFERENCES secrets (id) ON DELETE CASCADE,
  day       INTEGER NOT NULL
);
CREATE INDEX secret_access_by_day ON secret_access (day, secret_id);
CREATE TABLE version_access (
  seq INTEGER PRIMARY KEY REFERENCES versions (seq) ON DELETE CASCADE,
  day INTEGER NOT NULL
);
INSERT INTO secret_access (secret_id, day) SELECT id, coalesce(last_accessed_date, 0) FROM secrets;
INSERT INTO version_access (seq, day)
  SELECT seq, last_accessed_date FROM versions WHERE last_accessed_date IS NOT NULL;
DROP INDEX secrets_by_last_accessed;
UPDATE secrets SET last_accessed_date = NULL WHERE last_accessed_date IS NOT NULL;
UPDATE versions SET last_accessed_date = NULL WHERE last_accessed_date IS NOT NULL;
CREATE TRIGGER secret_access_on_insert AFTER INSERT ON secrets BEGIN
  INSERT INTO secret_access (secret_id, day) VALUES (NEW.id, 0);
END;
)sql";

constexpr Migration kMigrations[] = {
    {"secrets, versions, labels", kSchemaV1},
    {"rotation windows, handlers, history, settings", kSchemaV2},
    {"running count of secrets per account and region", kSchemaV3},
    {"versions by creation date", kSchemaV4},
    {"value kind check without a temporary b-tree", kSchemaV5},
    {"labels without a second index", kSchemaV6},
    {"last-accessed index led by the date", kSchemaV7},
    {"external secret rotation metadata and role", kSchemaV8},
    {"last-changed index led by the date", kSchemaV9},
    {"access dates in narrow tables", kSchemaV10},
};

constexpr char kBeginImmediate[] = "BEGIN IMMEDIATE";
constexpr char kCommit[] = "COMMIT";
constexpr char kRollback[] = "ROLLBACK";
constexpr char kReadUserVersion[] = "PRAGMA user_version";

int ReadUserVersion(sqlite::Connection& connection) {
  auto query = connection.Use(kReadUserVersion);
  query->Step();
  return static_cast<int>(query->ColumnInt64(0));
}

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

void Migrate(sqlite::Connection& connection) { ApplyMigrations(connection, kMigrations); }

void ApplyMigrations(sqlite::Connection& connection, std::span<const Migration> migrations) {
  const int latest = static_cast<int>(migrations.size());
  for (;;) {
    connection.Execute(kBeginImmediate);
    try {
      const int current = ReadUserVersion(connection);
      if (current > latest) {
        throw std::runtime_error("its schema version " + std::to_string(current) +
                                 " is newer than this build supports (" + std::to_string(latest) +
                                 "); use a newer secretsmanager-local");
      }
      if (current == latest) {
        connection.Execute(kCommit);
        return;
      }
      const Migration& migration = migrations[static_cast<std::size_t>(current)];
      try {
        connection.Execute(migration.sql);
      } catch (const std::exception& error) {
        throw std::runtime_error("migration " + std::to_string(current + 1) + " (" +
                                 migration.description + ") failed: " + error.what());
      }
      // PRAGMA takes no bound parameters; the number is ours, not input.
      connection.Execute(("PRAGMA user_version = " + std::to_string(current + 1)).c_str());
      connection.Execute(kCommit);
    } catch (...) {
      if (!connection.InAutocommit()) {
        try {
          connection.Execute(kRollback);
        } catch (...) {
          // The original error is the one worth reporting.
        }
      }
      throw;
    }
  }
}

}  // namespace sml::storage
