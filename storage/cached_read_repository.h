#pragma once
// The Repository a Store::Read callback gets: lookups of a secret, its
// labelled versions and their values are answered from the SecretCache when
// the secret is cached; anything else runs on a SQLite read transaction that
// is opened only then. So a read of a cached secret runs no SQL at all.
//
// A read must see one state. Everything it takes from the cache comes from
// one cache generation (no commit in between), and when it also needs SQL,
// the snapshot must be that same state; if a commit slipped in between, it
// throws RereadWithoutCache and the Store reruns the callback on SQL alone
// (Read callbacks do not write, so rerunning is safe).
//
// Secrets loaded from the snapshot are offered to the cache (kept only when
// no commit began since the snapshot was taken).
#include <boost/container/small_vector.hpp>
#include <functional>
#include <vector>

#include "storage/secret_cache.h"
#include "storage/secret_counts_memo.h"
#include "storage/sqlite_repository.h"

namespace sml::storage {

// Not a std::exception: nothing between the Store and the callback may
// mistake it for an error.
struct RereadWithoutCache {};

class CachedReadRepository final : public Repository {
 public:
  // `begin(fix)` opens a read transaction and returns the repository over
  // it (the Store takes a reader connection only then: a read the cache
  // answers holds none); with `fix`, it also reads once, so that the
  // snapshot is taken when it returns.
  CachedReadRepository(SecretCache& cache, SecretCountsMemo& counts, AccessDates& access_dates,
                       std::function<SqliteRepository&(bool fix)> begin)
      : cache_(cache), counts_(counts), access_dates_(access_dates), begin_(std::move(begin)) {}

  bool in_transaction() const { return in_transaction_; }

  std::optional<SecretRecord> FindSecretByName(std::string_view account_id, std::string_view region,
                                               std::string_view name) override;
  std::optional<SecretRecord> FindSecretByArn(std::string_view arn) override;
  std::optional<SecretRecord> FindSecretById(std::int64_t id) override;
  std::vector<VersionRecord> LabelledVersions(std::int64_t secret_id) override;
  std::optional<VersionRecord> FindVersion(std::int64_t secret_id, std::string_view version_id,
                                           bool with_value) override;
  std::optional<VersionRecord> FindVersionByLabel(std::int64_t secret_id, std::string_view label,
                                                  bool with_value) override;

  // The rest runs on the snapshot.
  void InsertSecret(SecretRecord& secret) override { Sql().InsertSecret(secret); }
  void UpdateSecret(const SecretRecord& secret) override { Sql().UpdateSecret(secret); }
  void SetLastChangedDate(std::int64_t secret_id, EpochMillis when) override {
    Sql().SetLastChangedDate(secret_id, when);
  }
  void PurgeSecret(std::int64_t secret_id) override { Sql().PurgeSecret(secret_id); }
  void ScanSecrets(const ScanQuery& query,
                   const std::function<bool(const SecretRecord&)>& visit) override {
    Sql().ScanSecrets(query, visit);
  }
  SecretCounts CountSecretsByRegion() override;
  std::vector<VersionRecord> Versions(std::int64_t secret_id) override {
    return Sql().Versions(secret_id);
  }
  LabelCensus CensusOfVersions(std::int64_t secret_id) override {
    return Sql().CensusOfVersions(secret_id);
  }
  void InsertVersion(std::int64_t secret_id, const VersionRecord& version) override {
    Sql().InsertVersion(secret_id, version);
  }
  bool InsertVersionIfAbsent(std::int64_t secret_id, const VersionRecord& version) override {
    return Sql().InsertVersionIfAbsent(secret_id, version);
  }
  void UpdateVersionValue(std::int64_t secret_id, const VersionRecord& version) override {
    Sql().UpdateVersionValue(secret_id, version);
  }
  void SetVersionLastAccessed(std::int64_t secret_id, std::string_view version_id,
                              EpochMillis when) override {
    Sql().SetVersionLastAccessed(secret_id, version_id, when);
  }
  void RecordAccess(std::int64_t secret_id, std::string_view version_id,
                    EpochMillis day) override {
    access_dates_.Record(secret_id, version_id, day);
  }
  void DeleteVersion(std::int64_t secret_id, std::string_view version_id) override {
    Sql().DeleteVersion(secret_id, version_id);
  }
  void DeleteOldestUnlabelledVersions(std::int64_t secret_id, std::int64_t count) override {
    Sql().DeleteOldestUnlabelledVersions(secret_id, count);
  }
  void ReplaceLabels(std::int64_t secret_id, const std::vector<VersionRecord>& versions) override {
    Sql().ReplaceLabels(secret_id, versions);
  }
  void UpdateLabels(std::int64_t secret_id, const std::vector<VersionRecord>& stored,
                    const std::vector<VersionRecord>& versions) override {
    Sql().UpdateLabels(secret_id, stored, versions);
  }
  std::optional<EpochMillis> EarliestDueEvent() override { return Sql().EarliestDueEvent(); }
  std::vector<SecretRecord> DueRotations(EpochMillis now, int limit) override {
    return Sql().DueRotations(now, limit);
  }
  std::vector<SecretRecord> DueDeletions(EpochMillis now, int limit) override {
    return Sql().DueDeletions(now, limit);
  }
  std::vector<std::pair<std::string, std::string>> RotationHandlers() override {
    return Sql().RotationHandlers();
  }
  void PutRotationHandler(std::string_view name, std::string_view config_json) override {
    Sql().PutRotationHandler(name, config_json);
  }
  bool DeleteRotationHandler(std::string_view name) override {
    return Sql().DeleteRotationHandler(name);
  }
  void SaveRotationAttempt(RotationAttemptRecord& attempt) override {
    Sql().SaveRotationAttempt(attempt);
  }
  std::vector<RotationAttemptRecord> RotationAttempts(std::optional<std::string_view> secret,
                                                      int limit) override {
    return Sql().RotationAttempts(secret, limit);
  }
  int ConsecutiveScheduledFailures(std::int64_t secret_id) override {
    return Sql().ConsecutiveScheduledFailures(secret_id);
  }
  std::vector<RotationAttemptRecord> RunningRotationAttempts() override {
    return Sql().RunningRotationAttempts();
  }
  std::optional<std::string> GetSetting(std::string_view key) override {
    return Sql().GetSetting(key);
  }
  void PutSetting(std::string_view key, std::string_view value) override {
    Sql().PutSetting(key, value);
  }
  void Reset() override { Sql().Reset(); }

 private:
  // The snapshot, opened (and checked against the cache) on first use.
  SqliteRepository& Sql();
  // The row of the cached secret from `lookup`, or the one `load` reads from
  // the snapshot (then loaded into an entry, remembered and offered), with
  // its pending access date.
  template <typename Load>
  std::optional<SecretRecord> Resolve(const SecretCache::Lookup& lookup, Load&& load);
  // The secret this read already resolved, or nullptr.
  const CachedSecret* Known(std::int64_t secret_id) const;
  void Remember(CachedSecretPtr secret);
  // `version` as found in the entry, with the pending access date.
  std::optional<VersionRecord> Answer(const CachedSecret& secret,
                                      std::optional<VersionRecord> version, bool with_value);

  SecretCache& cache_;
  SecretCountsMemo& counts_;
  AccessDates& access_dates_;
  std::function<SqliteRepository&(bool fix)> begin_;
  SqliteRepository* sql_ = nullptr;  // once the transaction is open
  bool in_transaction_ = false;
  std::optional<std::uint64_t> cache_generation_;  // of the entries taken from the cache
  std::optional<std::uint64_t> offer_generation_;  // the snapshot's, when it may be offered
  // The secrets this read resolved: nearly always one, held without an
  // allocation (this is every read's path).
  boost::container::small_vector<CachedSecretPtr, 2> known_;
};

}  // namespace sml::storage
