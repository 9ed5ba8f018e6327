#pragma once
// The database: one SQLite file (WAL) or an in-memory database, and the
// Repository through which the api layer reads and writes it.
//
// Concurrency: Store is thread-safe. Every Write runs under one mutex on the
// one writer connection, inside one transaction (BEGIN IMMEDIATE ... COMMIT)
// that it may share with other writes queued meanwhile, each after the
// first in a savepoint of its own (see Write). So every mutating call is atomic, and two writes
// never interleave inside a secret. Reads are answered from a bounded
// cache when they can (storage/secret_cache.h), never older than the last
// acknowledged write. A Read is one read transaction (a
// consistent snapshot of what was committed); a file database serves reads on
// a pool of reader connections (WAL lets them run beside the writer), an
// in-memory one on the writer connection. Read callbacks must not write. A
// Repository reference is valid only inside the callback that received it.
#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/records.h"
#include "storage/value_cipher.h"

namespace sml::storage {

struct StoreOptions {
  std::optional<std::filesystem::path> database_file;  // nullopt: in memory
  ValueCipher* cipher = nullptr;                       // not owned; must outlive the Store
  // How many secrets the read cache keeps (0: none), and at most how many
  // bytes of them. An entry is the row and the labelled versions with their
  // values, packed: about 0.6 KiB for a small secret, so that for small
  // secrets the byte bound is the one that binds.
  std::size_t read_cache_secrets = 100000;
  std::size_t read_cache_bytes = 32u << 20;
};

// Sort keys of ListSecrets.
enum class SecretSortKey { kCreatedDate, kLastAccessedDate, kLastChangedDate, kName };

// Where a ListSecrets page starts: strictly after this (sort value, id).
struct ScanCursor {
  std::string sort_value;  // decimal millis for dates, the name for kName
  std::int64_t id = 0;
};

// The cursor that resumes a scan right after `secret` (NextToken material).
// A never-accessed secret sorts as last accessed at 0.
ScanCursor CursorAfter(const SecretRecord& secret, SecretSortKey sort_key);

struct ScanQuery {
  std::string account_id;
  std::string region;
  SecretSortKey sort_key = SecretSortKey::kCreatedDate;
  bool descending = false;
  bool include_planned_deletion = false;
  std::optional<ScanCursor> after;
};

class Repository {
 public:
  virtual ~Repository() = default;

  // --- secrets -----------------------------------------------------------
  virtual std::optional<SecretRecord> FindSecretByName(std::string_view account_id,
                                                       std::string_view region,
                                                       std::string_view name) = 0;
  // Exact ARN, any account and region.
  virtual std::optional<SecretRecord> FindSecretByArn(std::string_view arn) = 0;
  virtual std::optional<SecretRecord> FindSecretById(std::int64_t id) = 0;
  // Inserts and sets `secret.id` (ids are never reused); creates the
  // secret's data key. Throws if the name or ARN is taken.
  virtual void InsertSecret(SecretRecord& secret) = 0;
  // Overwrites every column of the secret with this id but its
  // LastAccessedDate, which only RecordAccess moves.
  virtual void UpdateSecret(const SecretRecord& secret) = 0;
  // Sets LastChangedDate alone (a write that changed nothing else of the row).
  virtual void SetLastChangedDate(std::int64_t secret_id, EpochMillis when) = 0;
  // Removes the secret, its versions and labels for good.
  virtual void PurgeSecret(std::int64_t secret_id) = 0;
  // Visits secrets of one account+region in sort order, starting after
  // `query.after`, until `visit` returns false. Ties are ordered by id in the
  // same direction; a never-accessed secret sorts as last accessed at 0.
  // Hides secrets marked for deletion unless include_planned_deletion. Uses
  // an index; never sorts the table. Reads in chunks, so `visit` may call the
  // repository. Throws std::invalid_argument for a malformed cursor.
  virtual void ScanSecrets(const ScanQuery& query,
                           const std::function<bool(const SecretRecord&)>& visit) = 0;
  // Read from a running count the schema keeps exact (never a table scan):
  // O(number of account+region pairs).
  virtual SecretCounts CountSecretsByRegion() = 0;
  std::int64_t CountSecrets() { return CountSecretsByRegion().total; }

  // --- versions and labels ------------------------------------------------
  // All versions with their labels (sorted), without values, oldest first
  // (created_date, then insertion order).
  virtual std::vector<VersionRecord> Versions(std::int64_t secret_id) = 0;
  // with_value decrypts the value; a DecryptionError from the cipher
  // propagates (the api maps it to DecryptionFailure).
  // Only the versions that hold a staging label, each with just its id and
  // labels: what Describe/List show, from the labels table alone.
  virtual std::vector<VersionRecord> LabelledVersions(std::int64_t secret_id) = 0;
  // LabelledVersions and the number of all versions, in one query.
  virtual LabelCensus CensusOfVersions(std::int64_t secret_id) = 0;
  virtual std::optional<VersionRecord> FindVersion(std::int64_t secret_id,
                                                   std::string_view version_id,
                                                   bool with_value) = 0;
  virtual std::optional<VersionRecord> FindVersionByLabel(std::int64_t secret_id,
                                                          std::string_view label,
                                                          bool with_value) = 0;
  // Inserts the version (value encrypted) without touching labels. At most
  // one of secret_string/secret_binary may be set.
  virtual void InsertVersion(std::int64_t secret_id, const VersionRecord& version) = 0;
  // InsertVersion, unless the secret has a version with that id already:
  // then nothing changes and it returns false.
  virtual bool InsertVersionIfAbsent(std::int64_t secret_id, const VersionRecord& version) = 0;
  // Stores a value (and kms_key_id) into an existing version (fills a
  // rotation placeholder). Throws if there is no such version.
  virtual void UpdateVersionValue(std::int64_t secret_id, const VersionRecord& version) = 0;
  virtual void SetVersionLastAccessed(std::int64_t secret_id, std::string_view version_id,
                                      EpochMillis when) = 0;
  // The secret and its version were read on `day`: moves both
  // LastAccessedDates forward to it (never back). Allowed in a Read: there it
  // is recorded in memory, visible to every read from now on, and written to
  // the database within about a second (a kill -9 may lose that second).
  virtual void RecordAccess(std::int64_t secret_id, std::string_view version_id,
                            EpochMillis day) = 0;
  virtual void DeleteVersion(std::int64_t secret_id, std::string_view version_id) = 0;
  // Deletes the `count` oldest versions (created_date, then insertion order)
  // that hold no staging label; fewer when fewer hold none.
  virtual void DeleteOldestUnlabelledVersions(std::int64_t secret_id, std::int64_t count) = 0;
  // Makes the secret's staging labels exactly those in `versions[i].labels`.
  // A label on two versions of one secret, and a label on a version that
  // does not exist, are refused (std::runtime_error).
  virtual void ReplaceLabels(std::int64_t secret_id,
                             const std::vector<VersionRecord>& versions) = 0;
  // ReplaceLabels, when the labels are now exactly those of `stored` (as
  // LabelledVersions or CensusOfVersions read them in this transaction):
  // writes only the labels that moved, came or went.
  virtual void UpdateLabels(std::int64_t secret_id, const std::vector<VersionRecord>& stored,
                            const std::vector<VersionRecord>& versions) = 0;

  // --- scheduler ------------------------------------------------------------
  // Earliest of any enabled rotation's next_rotation_date (of a secret not
  // marked for deletion) and any deletion_date.
  virtual std::optional<EpochMillis> EarliestDueEvent() = 0;
  // Secrets whose rotation (enabled, not marked for deletion,
  // next_rotation_date <= now) or purge (deletion_date <= now) is due,
  // earliest first (ties by id); both through partial indexes.
  virtual std::vector<SecretRecord> DueRotations(EpochMillis now, int limit) = 0;
  virtual std::vector<SecretRecord> DueDeletions(EpochMillis now, int limit) = 0;

  // --- rotation handlers and history -----------------------------------------
  // Registered handlers: name (Lambda ARN or function name) -> config JSON.
  virtual std::vector<std::pair<std::string, std::string>> RotationHandlers() = 0;
  virtual void PutRotationHandler(std::string_view name, std::string_view config_json) = 0;
  virtual bool DeleteRotationHandler(std::string_view name) = 0;
  // Inserts (id == 0, then sets id) or updates the attempt.
  virtual void SaveRotationAttempt(RotationAttemptRecord& attempt) = 0;
  // Newest first; `secret` matches the secret's ARN or name when given.
  virtual std::vector<RotationAttemptRecord> RotationAttempts(
      std::optional<std::string_view> secret, int limit) = 0;
  // Failed scheduled attempts of the secret since its last successful one.
  virtual int ConsecutiveScheduledFailures(std::int64_t secret_id) = 0;
  // Attempts still marked running (at start: those a crash interrupted).
  virtual std::vector<RotationAttemptRecord> RunningRotationAttempts() = 0;

  // --- settings of this server (survive Reset) ------------------------------
  virtual std::optional<std::string> GetSetting(std::string_view key) = 0;
  virtual void PutSetting(std::string_view key, std::string_view value) = 0;

  // --- admin ------------------------------------------------------------------
  // Drops all state of every account and region: every row of every table.
  virtual void Reset() = 0;
};

class Store {
 public:
  // Opens (creating the file, not its directory, if needed) and migrates the
  // database. A file uses WAL with synchronous=NORMAL: a committed write
  // survives kill -9 of the process. Throws std::runtime_error with a
  // one-line reason when it cannot (no cipher, unopenable file, not a
  // database, schema newer than this build).
  static std::unique_ptr<Store> Open(const StoreOptions& options);
  virtual ~Store() = default;

  // Writes the access dates reads recorded (Repository::RecordAccess) now;
  // the Store also does so about every second and when it closes.
  virtual void FlushAccessDates() {}
  // How many versions' access dates wait to be written.
  virtual std::size_t PendingAccessDates() const { return 0; }

  // Runs `work` in a write transaction; returns once it has committed. If
  // `work` throws, nothing it wrote stays and the exception propagates.
  //
  // Writes that arrive while another runs are committed together: the
  // thread at the head of the queue (the leader) runs every queued write in
  // one transaction, each after the first in a SAVEPOINT of its own (a
  // write that throws rolls back to it, or the first the whole transaction,
  // and only its caller sees the exception), commits once, and wakes their
  // callers. `work` may thus run on another thread;
  // its caller waits meanwhile.
  template <class Work>
  auto Write(Work&& work) {
    using Result = decltype(work(std::declval<Repository&>()));
    if constexpr (std::is_void_v<Result>) {
      RunWrite([&](Repository& repository) { work(repository); });
    } else {
      std::optional<Result> result;
      RunWrite([&](Repository& repository) { result.emplace(work(repository)); });
      return std::move(*result);
    }
  }
  // Writes waiting for their group to commit, or in it.
  std::size_t QueuedWrites() {
    std::lock_guard lock(queue_mutex_);
    return queue_.size();
  }
  // Runs `work` in a read transaction (a consistent snapshot).
  template <class Work>
  auto Read(Work&& work) {
    using Result = decltype(work(std::declval<Repository&>()));
    if constexpr (std::is_void_v<Result>) {
      RunRead([&](Repository& repository) { work(repository); });
    } else {
      std::optional<Result> result;
      RunRead([&](Repository& repository) { result.emplace(work(repository)); });
      return std::move(*result);
    }
  }

 protected:
  virtual void Begin(bool write) = 0;
  virtual void Commit() = 0;
  virtual void Rollback() noexcept = 0;
  // Inside a write transaction: one write of a group.
  virtual void BeginSavepoint() = 0;
  virtual void ReleaseSavepoint() = 0;
  // Undoes the writes since BeginSavepoint. False when the whole transaction
  // is gone instead (SQLite rolls back on some errors, e.g. a full disk).
  virtual bool RollbackToSavepoint() noexcept = 0;
  virtual Repository& repository() = 0;
  // Where a Read runs; by default a read transaction on the writer connection.
  virtual void RunRead(const std::function<void(Repository&)>& work);
  std::mutex mutex_;  // serialises transactions on the writer connection

 private:
  struct QueuedWrite {
    const std::function<void(Repository&)>* work;
    std::exception_ptr error;
    bool done = false;
    std::condition_variable wake;  // done, or at the head of the queue
  };
  void RunWrite(const std::function<void(Repository&)>& work);
  // Runs `group` in one transaction under mutex_; sets each one's error.
  void CommitGroup(const std::vector<QueuedWrite*>& group) noexcept;

  std::mutex queue_mutex_;
  std::deque<QueuedWrite*> queue_;  // GUARDED_BY(queue_mutex_); the head leads
};

inline void Store::RunRead(const std::function<void(Repository&)>& work) {
  std::lock_guard lock(mutex_);
  Begin(false);
  try {
    work(repository());
    Commit();
  } catch (...) {
    Rollback();
    throw;
  }
}

}  // namespace sml::storage
