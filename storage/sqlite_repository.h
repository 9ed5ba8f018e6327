#pragma once
// The Repository over one SQLite connection. Every statement is a cached,
// prepared constant from repository_sql.h. Values are encrypted with the
// secret's own data key (ValueCipher) before they reach SQLite, and decrypted
// only when a caller asks for them (with_value).
//
// Not thread-safe: Store calls it under its mutex, inside a transaction.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "storage/access_dates.h"
#include "storage/secret_cache.h"
#include "storage/sqlite/connection.h"
#include "storage/store.h"
#include "storage/value_cipher.h"

namespace sml::storage {

// versions.value_kind
enum class ValueKind : std::int64_t { kNone = 0, kString = 1, kBinary = 2 };

// Which secrets a write transaction changed, for the cache to forget.
struct TouchedSecrets {
  std::vector<std::int64_t> ids;
  bool everything = false;  // Reset
  // RecordAccess: only a LastAccessedDate moved, which cached entries take in place.
  std::vector<SecretCache::AccessMove> accessed;
  bool empty() const { return ids.empty() && !everything && accessed.empty(); }
};

class SqliteRepository final : public Repository {
 public:
  // All must outlive the repository. `access_dates` (optional) is overlaid
  // on every row read; with `defer_access`, RecordAccess records there
  // instead of writing (a reader connection).
  SqliteRepository(sqlite::Connection& connection, ValueCipher& cipher,
                   AccessDates* access_dates = nullptr, bool defer_access = false)
      : connection_(connection),
        cipher_(cipher),
        access_dates_(access_dates),
        defer_access_(defer_access) {}

  std::optional<SecretRecord> FindSecretByName(std::string_view account_id, std::string_view region,
                                               std::string_view name) override;
  std::optional<SecretRecord> FindSecretByArn(std::string_view arn) override;
  std::optional<SecretRecord> FindSecretById(std::int64_t id) override;
  void InsertSecret(SecretRecord& secret) override;
  void UpdateSecret(const SecretRecord& secret) override;
  void SetLastChangedDate(std::int64_t secret_id, EpochMillis when) override;
  void PurgeSecret(std::int64_t secret_id) override;
  void ScanSecrets(const ScanQuery& query,
                   const std::function<bool(const SecretRecord&)>& visit) override;
  SecretCounts CountSecretsByRegion() override;

  std::vector<VersionRecord> Versions(std::int64_t secret_id) override;
  std::vector<VersionRecord> LabelledVersions(std::int64_t secret_id) override;
  LabelCensus CensusOfVersions(std::int64_t secret_id) override;
  std::optional<VersionRecord> FindVersion(std::int64_t secret_id, std::string_view version_id,
                                           bool with_value) override;
  std::optional<VersionRecord> FindVersionByLabel(std::int64_t secret_id, std::string_view label,
                                                  bool with_value) override;
  void InsertVersion(std::int64_t secret_id, const VersionRecord& version) override;
  bool InsertVersionIfAbsent(std::int64_t secret_id, const VersionRecord& version) override;
  void UpdateVersionValue(std::int64_t secret_id, const VersionRecord& version) override;
  void SetVersionLastAccessed(std::int64_t secret_id, std::string_view version_id,
                              EpochMillis when) override;
  void RecordAccess(std::int64_t secret_id, std::string_view version_id, EpochMillis day) override;
  void DeleteVersion(std::int64_t secret_id, std::string_view version_id) override;
  void DeleteOldestUnlabelledVersions(std::int64_t secret_id, std::int64_t count) override;
  void ReplaceLabels(std::int64_t secret_id, const std::vector<VersionRecord>& versions) override;
  void UpdateLabels(std::int64_t secret_id, const std::vector<VersionRecord>& stored,
                    const std::vector<VersionRecord>& versions) override;

  std::optional<EpochMillis> EarliestDueEvent() override;
  std::vector<SecretRecord> DueRotations(EpochMillis now, int limit) override;
  std::vector<SecretRecord> DueDeletions(EpochMillis now, int limit) override;

  void Reset() override;

  // For the read cache (cached_read_repository.h): `row` with its labelled
  // versions (ciphertext included) and its opened data key (left empty when
  // the key does not open, e.g. under a wrong master key).
  CachedSecretPtr LoadCachedSecret(const SecretRecord& row);
  // The secrets changed through this repository since the last call.
  TouchedSecrets TakeTouched();
  // After a ROLLBACK TO a savepoint: some access dates recorded may not
  // stand, so the cache forgets those secrets instead of moving their dates.
  void TouchInsteadOfAccessMoves();

  // Rotation handlers, history and settings (sqlite_rotation_repository.cc).
  std::vector<std::pair<std::string, std::string>> RotationHandlers() override;
  void PutRotationHandler(std::string_view name, std::string_view config_json) override;
  bool DeleteRotationHandler(std::string_view name) override;
  void SaveRotationAttempt(RotationAttemptRecord& attempt) override;
  std::vector<RotationAttemptRecord> RotationAttempts(std::optional<std::string_view> secret,
                                                      int limit) override;
  int ConsecutiveScheduledFailures(std::int64_t secret_id) override;
  std::vector<RotationAttemptRecord> RunningRotationAttempts() override;
  std::optional<std::string> GetSetting(std::string_view key) override;
  void PutSetting(std::string_view key, std::string_view value) override;

 private:
  std::optional<SecretRecord> FindOneSecret(sqlite::StatementUse& query);
  std::vector<RotationAttemptRecord> ReadAttempts(sqlite::StatementUse& query);
  std::vector<SecretRecord> DueSecrets(const char* sql, EpochMillis now, int limit);
  std::optional<VersionRecord> ReadOneVersion(sqlite::StatementUse& query, std::int64_t secret_id,
                                              bool with_value);
  // Encrypts the version's value (if any); binds ?5 kms key, ?6 kind, ?7 ciphertext.
  void WriteVersionValue(const char* sql, std::int64_t secret_id, const VersionRecord& version,
                         bool with_created);

  // The ARN and wrapped data key a value's encryption needs.
  struct SecretKey {
    std::string arn;
    std::string wrapped_key;
  };
  const SecretKey& KeyOf(std::int64_t secret_id);
  void RememberKey(std::int64_t secret_id, SecretKey key);

  void Touch(std::int64_t secret_id) { touched_.ids.push_back(secret_id); }

  SecretRecord Overlaid(SecretRecord secret) const {
    if (access_dates_) access_dates_->Overlay(secret);
    return secret;
  }

  sqlite::Connection& connection_;
  ValueCipher& cipher_;
  AccessDates* access_dates_;
  const bool defer_access_;
  TouchedSecrets touched_;
  // KeyOf's memo. Neither ARN nor data key ever changes for an id, and a new
  // secret (InsertSecret) overwrites its id's entry, so the memo stays exact
  // across commits and rollbacks. Bounded: starts over past kMaxKeys.
  static constexpr std::size_t kMaxKeys = 4096;
  std::unordered_map<std::int64_t, SecretKey> keys_;
};

}  // namespace sml::storage
