#pragma once
// Every SQL statement the repository runs, as named constants with bound
// parameters (Connection::Use caches each by its address). Column positions
// are relied on by secret_rows.cc and sqlite_repository.cc.
namespace sml::storage::sql {

// Column i (0-based) of a secret row; also bound as parameter ?i on writes
// (but ?11: LastAccessedDate lives in secret_access, schema v10).
#define SML_SECRET_COLUMNS                                                             \
  "id, account_id, region, name, arn, description, kms_key_id, type, owning_service, " \
  "created_date, last_changed_date, "                                                  \
  "(SELECT nullif(day, 0) FROM secret_access WHERE secret_id = secrets.id), "          \
  "deleted_date, deletion_date, "                                                      \
  "tags_json, rotation_enabled, rotation_lambda_arn, rotation_rules_json, "            \
  "last_rotated_date, next_rotation_date, resource_policy, primary_region, "           \
  "replication_status_json, rotation_window_end, external_rotation_metadata_json, "    \
  "external_rotation_role_arn"

inline constexpr char kFindSecretByName[] =
    "SELECT " SML_SECRET_COLUMNS
    " FROM secrets WHERE account_id = ?1 AND region = ?2 AND name = ?3";
inline constexpr char kFindSecretByArn[] =
    "SELECT " SML_SECRET_COLUMNS " FROM secrets WHERE arn = ?1";
inline constexpr char kFindSecretById[] =
    "SELECT " SML_SECRET_COLUMNS " FROM secrets WHERE id = ?1";

// The columns after id, bound as ?1..?kBoundSecretColumns by writes.
inline constexpr int kBoundSecretColumns = 25;

// ?1..?25: columns 1..25 but 11; ?26: the wrapped data key. A trigger
// (schema v10) gives the secret its secret_access row.
inline constexpr char kInsertSecret[] =
    "INSERT INTO secrets (account_id, region, name, arn, description, kms_key_id, type, "
    "owning_service, created_date, last_changed_date, deleted_date, "
    "deletion_date, tags_json, rotation_enabled, rotation_lambda_arn, rotation_rules_json, "
    "last_rotated_date, next_rotation_date, resource_policy, primary_region, "
    "replication_status_json, rotation_window_end, external_rotation_metadata_json, "
    "external_rotation_role_arn, data_key) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
    "?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)";
// ?1..?25: columns 1..25 but 11; ?26: id.
inline constexpr char kUpdateSecret[] =
    "UPDATE secrets SET account_id = ?1, region = ?2, name = ?3, arn = ?4, description = ?5, "
    "kms_key_id = ?6, type = ?7, owning_service = ?8, created_date = ?9, "
    "last_changed_date = ?10, deleted_date = ?12, "
    "deletion_date = ?13, tags_json = ?14, rotation_enabled = ?15, rotation_lambda_arn = ?16, "
    "rotation_rules_json = ?17, last_rotated_date = ?18, next_rotation_date = ?19, "
    "resource_policy = ?20, primary_region = ?21, replication_status_json = ?22, "
    "rotation_window_end = ?23, external_rotation_metadata_json = ?24, "
    "external_rotation_role_arn = ?25 WHERE id = ?26";
// Narrow: a row UPDATE rewrites only the indexes of the columns it sets.
inline constexpr char kSetLastChangedDate[] =
    "UPDATE secrets SET last_changed_date = ?2 WHERE id = ?1";
// A secret inserted with a LastAccessedDate: ?1 id, ?2 the date.
inline constexpr char kSetSecretAccess[] = "UPDATE secret_access SET day = ?2 WHERE secret_id = ?1";
inline constexpr char kDeleteSecret[] = "DELETE FROM secrets WHERE id = ?1";
// The running count (schema v3 triggers), in primary-key order.
inline constexpr char kSecretCounts[] =
    "SELECT account_id, region, n FROM secret_counts ORDER BY account_id, region";
inline constexpr char kSecretKey[] = "SELECT arn, data_key FROM secrets WHERE id = ?1";

// ScanSecrets, one pair per (sort key, direction). ?1 account, ?2 region,
// ?3/?4 the cursor's (sort value, id) (unused by `first`), ?5 1 to include
// secrets marked for deletion, ?6 the chunk size. Each is a range scan of the
// matching index: secrets_by_created, secret_access_by_day (every secret has
// its row there, schema v10), secrets_by_last_changed, and the
// UNIQUE(account_id, region, name) index (whose rowid tail orders ties by
// id). The date-led ones are named: the planner would otherwise take the
// name index and sort.
// clang-format off
#define SML_SCAN(from, cursor, order)                                             \
  "SELECT " SML_SECRET_COLUMNS " FROM " from " WHERE account_id = ?1 AND "        \
  "region = ?2 " cursor " AND (?5 OR deleted_date IS NULL) ORDER BY " order " LIMIT ?6"
#define SML_SCAN_PAIR(column, id, from)                                           \
  {{SML_SCAN(from, "", column " ASC, " id " ASC"),                                \
    SML_SCAN(from, "AND (" column ", " id ") > (?3, ?4)", column " ASC, " id " ASC")},  \
   {SML_SCAN(from, "", column " DESC, " id " DESC"),                              \
    SML_SCAN(from, "AND (" column ", " id ") < (?3, ?4)", column " DESC, " id " DESC")}}
// clang-format on

struct ScanStatements {
  const char* first;
  const char* after;
};
// [sort key][descending], in SecretSortKey order.
inline constexpr ScanStatements kScanSecrets[4][2] = {
    SML_SCAN_PAIR("created_date", "id", "secrets"),
    SML_SCAN_PAIR("a.day", "a.secret_id",
                  "secret_access a INDEXED BY secret_access_by_day CROSS JOIN secrets "
                  "ON secrets.id = a.secret_id"),
    SML_SCAN_PAIR("last_changed_date", "id", "secrets INDEXED BY secrets_by_last_changed"),
    SML_SCAN_PAIR("name", "id", "secrets"),
};
#undef SML_SCAN_PAIR
#undef SML_SCAN

// Scheduler: each one a walk of a partial index. Replicas show their
// primary's schedule but only primaries rotate.
inline constexpr char kEarliestRotation[] =
    "SELECT min(next_rotation_date) FROM secrets WHERE rotation_enabled = 1 AND "
    "deleted_date IS NULL AND primary_region IS NULL";
inline constexpr char kEarliestDeletion[] =
    "SELECT min(deletion_date) FROM secrets WHERE deletion_date IS NOT NULL";
inline constexpr char kDueRotations[] =
    "SELECT " SML_SECRET_COLUMNS
    " FROM secrets WHERE rotation_enabled = 1 AND "
    "deleted_date IS NULL AND primary_region IS NULL AND next_rotation_date <= ?1 ORDER BY next_rotation_date, id LIMIT ?2";
inline constexpr char kDueDeletions[] = "SELECT " SML_SECRET_COLUMNS
                                        " FROM secrets WHERE deletion_date IS NOT NULL AND "
                                        "deletion_date <= ?1 ORDER BY deletion_date, id LIMIT ?2";

#undef SML_SECRET_COLUMNS

// A version's LastAccessedDate (schema v10: NULL until it is first read).
#define SML_VERSION_ACCESSED "(SELECT day FROM version_access WHERE seq = v.seq)"
// Versions. Rows are one per (version, label), labels in order; a version
// without labels comes once with a NULL label. Columns: 0 seq, 1 version_id,
// 2 created_date, 3 last_accessed_date, 4 kms_key_id, 5 value_kind, 6 label,
// and with the value: 7 ciphertext, 8 the secret's data_key, 9 its arn.
#define SML_VERSION_COLUMNS                                    \
  "v.seq, v.version_id, v.created_date, " SML_VERSION_ACCESSED \
  ", v.kms_key_id, "                                           \
  "v.value_kind, l.label"
#define SML_VALUE_COLUMNS ", v.ciphertext, s.data_key, s.arn"
#define SML_VERSION_LABELS \
  " LEFT JOIN labels l ON l.secret_id = v.secret_id AND l.version_id = v.version_id"
#define SML_VALUE_KEY " JOIN secrets s ON s.id = v.secret_id"

inline constexpr char kVersions[] =
    "SELECT " SML_VERSION_COLUMNS " FROM versions v" SML_VERSION_LABELS
    " WHERE v.secret_id = ?1 ORDER BY v.created_date, v.seq, l.label";
inline constexpr char kFindVersion[] =
    "SELECT " SML_VERSION_COLUMNS " FROM versions v" SML_VERSION_LABELS
    " WHERE v.secret_id = ?1 AND v.version_id = ?2 ORDER BY l.label";
inline constexpr char kFindVersionWithValue[] =
    "SELECT " SML_VERSION_COLUMNS SML_VALUE_COLUMNS
    " FROM versions v" SML_VALUE_KEY SML_VERSION_LABELS
    " WHERE v.secret_id = ?1 AND v.version_id = ?2 ORDER BY l.label";
#define SML_BY_LABEL                                                           \
  " FROM labels wanted JOIN versions v ON v.secret_id = wanted.secret_id AND " \
  "v.version_id = wanted.version_id"
inline constexpr char kFindVersionByLabel[] =
    "SELECT " SML_VERSION_COLUMNS SML_BY_LABEL SML_VERSION_LABELS
    " WHERE wanted.secret_id = ?1 AND wanted.label = ?2 ORDER BY l.label";
inline constexpr char kFindVersionByLabelWithValue[] =
    "SELECT " SML_VERSION_COLUMNS SML_VALUE_COLUMNS SML_BY_LABEL SML_VALUE_KEY SML_VERSION_LABELS
    " WHERE wanted.secret_id = ?1 AND wanted.label = ?2 ORDER BY l.label";
#undef SML_BY_LABEL
#undef SML_VALUE_KEY
#undef SML_VERSION_LABELS
#undef SML_VALUE_COLUMNS
#undef SML_VERSION_COLUMNS

// ?1 secret, ?2 version_id, ?3 created, ?5 kms key, ?6 value kind,
// ?7 ciphertext (a LastAccessedDate is kSetVersionLastAccessed's).
inline constexpr char kInsertVersion[] =
    "INSERT INTO versions (secret_id, version_id, created_date, kms_key_id, "
    "value_kind, ciphertext) VALUES (?1, ?2, ?3, ?5, ?6, ?7)";
inline constexpr char kInsertVersionIfAbsent[] =
    "INSERT INTO versions (secret_id, version_id, created_date, kms_key_id, "
    "value_kind, ciphertext) VALUES (?1, ?2, ?3, ?5, ?6, ?7) "
    "ON CONFLICT (secret_id, version_id) DO NOTHING";
// ?1 secret, ?2 version_id, ?5 kms key, ?6 value kind, ?7 ciphertext.
inline constexpr char kUpdateVersionValue[] =
    "UPDATE versions SET kms_key_id = ?5, value_kind = ?6, ciphertext = ?7 "
    "WHERE secret_id = ?1 AND version_id = ?2";
// ?1 secret, ?2 version_id, ?3 the date.
#define SML_UPSERT_VERSION_ACCESS                                             \
  "INSERT INTO version_access (seq, day) SELECT seq, ?3 FROM versions WHERE " \
  "secret_id = ?1 AND version_id = ?2 ON CONFLICT (seq) DO UPDATE SET day = excluded.day"
inline constexpr char kSetVersionLastAccessed[] = SML_UPSERT_VERSION_ACCESS;
// Only the date, and only forward.
inline constexpr char kRecordSecretAccess[] =
    "UPDATE secret_access SET day = ?2 WHERE secret_id = ?1 AND day < ?2";
inline constexpr char kRecordVersionAccess[] =
    SML_UPSERT_VERSION_ACCESS " WHERE day < excluded.day";
#undef SML_UPSERT_VERSION_ACCESS
inline constexpr char kDeleteVersion[] =
    "DELETE FROM versions WHERE secret_id = ?1 AND version_id = ?2";
// The oldest versions as kVersions orders them, along versions_by_created
// (no sort), that hold no label: ?2 of them, or with the scalar subquery
// just one (what a put prunes), which spares the temporary b-tree that
// `seq IN (...)` builds on every run.
#define SML_OLDEST_UNLABELLED                                                          \
  "SELECT v.seq FROM versions v WHERE v.secret_id = ?1 AND NOT EXISTS (SELECT 1 FROM " \
  "labels l WHERE l.secret_id = v.secret_id AND l.version_id = v.version_id) "         \
  "ORDER BY v.created_date, v.seq"
inline constexpr char kDeleteOldestUnlabelledVersion[] =
    "DELETE FROM versions WHERE seq = (" SML_OLDEST_UNLABELLED " LIMIT 1)";
inline constexpr char kDeleteOldestUnlabelledVersions[] =
    "DELETE FROM versions WHERE seq IN (" SML_OLDEST_UNLABELLED " LIMIT ?2)";
#undef SML_OLDEST_UNLABELLED

// The read cache's load: each labelled version with its value, one row per
// label in no particular order (the caller groups them: no sort here), and
// the secret's wrapped data key.
inline constexpr char kLabelledVersionsWithValue[] =
    "SELECT v.version_id, v.created_date, " SML_VERSION_ACCESSED
    ", v.kms_key_id, v.value_kind, "
    "v.ciphertext, l.label, s.data_key FROM labels l JOIN versions v ON v.secret_id = "
    "l.secret_id AND v.version_id = l.version_id JOIN secrets s ON s.id = l.secret_id "
    "WHERE l.secret_id = ?1";
#undef SML_VERSION_ACCESSED
// Rows (version_id, label), in no particular order: a range of the labels'
// primary key, no sort.
inline constexpr char kLabelsOfSecret[] =
    "SELECT version_id, label FROM labels WHERE secret_id = ?1";
// The same rows, then one row (NULL, number of versions): both index range
// scans, no sort.
inline constexpr char kLabelsAndVersionCount[] =
    "SELECT version_id, label FROM labels WHERE secret_id = ?1 "
    "UNION ALL SELECT NULL, count(*) FROM versions WHERE secret_id = ?1";
// Targeted label writes, each one statement however many labels: ?2 is a
// JSON object {label: version_id} to attach, or a JSON array of labels to
// remove. (WHERE true lets the parser tell ON CONFLICT from a join.)
inline constexpr char kAttachLabels[] =
    "INSERT INTO labels (secret_id, label, version_id) SELECT ?1, key, value FROM json_each(?2) "
    "WHERE true ON CONFLICT (secret_id, label) DO UPDATE SET version_id = excluded.version_id";
inline constexpr char kRemoveLabels[] =
    "DELETE FROM labels WHERE secret_id = ?1 AND label IN (SELECT value FROM json_each(?2))";

// Reset: every table but SQLite's own, so tables later migrations add are
// emptied too. FK checks are deferred to COMMIT so table order does not matter.
// Registered rotation handlers and settings (the clock) are configuration of
// this server, not account state: they survive a reset.
inline constexpr char kUserTables[] =
    "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
    "ESCAPE '\\' AND name NOT IN ('rotation_handlers', 'settings')";
inline constexpr char kDeferForeignKeys[] = "PRAGMA defer_foreign_keys = ON";
inline constexpr char kUndeferForeignKeys[] = "PRAGMA defer_foreign_keys = OFF";

// Transactions.
inline constexpr char kBeginWrite[] = "BEGIN IMMEDIATE";
inline constexpr char kBeginRead[] = "BEGIN DEFERRED";
inline constexpr char kCommit[] = "COMMIT";
// Reads the file, so a deferred read transaction takes its snapshot now.
inline constexpr char kFixSnapshot[] = "SELECT 1 FROM secret_counts LIMIT 1";

// --- rotation handlers and history (schema v2) ---
inline constexpr char kListRotationHandlers[] =
    "SELECT name, config_json FROM rotation_handlers ORDER BY name";
inline constexpr char kPutRotationHandler[] =
    "INSERT INTO rotation_handlers (name, config_json) VALUES (?1, ?2) "
    "ON CONFLICT (name) DO UPDATE SET config_json = excluded.config_json";
inline constexpr char kDeleteRotationHandler[] = "DELETE FROM rotation_handlers WHERE name = ?1";

#define SML_ATTEMPT_COLUMNS \
  "id, secret_id, secret_arn, secret_name, token, trigger, started, finished, outcome, error, steps_json"
inline constexpr char kInsertRotationAttempt[] =
    "INSERT INTO rotation_attempts (secret_id, secret_arn, secret_name, token, trigger, started, "
    "finished, outcome, error, steps_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
inline constexpr char kUpdateRotationAttempt[] =
    "UPDATE rotation_attempts SET secret_id = ?1, secret_arn = ?2, secret_name = ?3, token = ?4, "
    "trigger = ?5, started = ?6, finished = ?7, outcome = ?8, error = ?9, steps_json = ?10 "
    "WHERE id = ?11";
inline constexpr char kRotationAttempts[] =
    "SELECT " SML_ATTEMPT_COLUMNS " FROM rotation_attempts ORDER BY id DESC LIMIT ?1";
inline constexpr char kRotationAttemptsOfSecret[] =
    "SELECT " SML_ATTEMPT_COLUMNS " FROM rotation_attempts WHERE secret_arn = ?1 "
    "UNION ALL SELECT " SML_ATTEMPT_COLUMNS " FROM rotation_attempts WHERE secret_name = ?1 "
    "AND secret_arn <> ?1 ORDER BY id DESC LIMIT ?2";
inline constexpr char kRunningRotationAttempts[] =
    "SELECT " SML_ATTEMPT_COLUMNS " FROM rotation_attempts WHERE outcome = 'running' ORDER BY id";
// Failed scheduled attempts after the secret's last successful one.
inline constexpr char kConsecutiveScheduledFailures[] =
    "SELECT count(*) FROM rotation_attempts WHERE secret_id = ?1 AND trigger = 'scheduled' AND "
    "outcome = 'failed' AND id > coalesce((SELECT max(id) FROM rotation_attempts "
    "WHERE secret_id = ?1 AND outcome = 'succeeded'), 0)";

inline constexpr char kGetSetting[] = "SELECT value FROM settings WHERE key = ?1";
inline constexpr char kPutSetting[] =
    "INSERT INTO settings (key, value) VALUES (?1, ?2) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value";

}  // namespace sml::storage::sql
