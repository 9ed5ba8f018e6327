// Store over SQLite: one writer connection, serialised by Store::mutex_, and
// for a file database a pool of reader connections.
#include "storage/store.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

#include "storage/cached_read_repository.h"
#include "storage/repository_sql.h"
#include "storage/schema.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite_repository.h"
#include "storage/wal_checkpointer.h"

namespace sml::storage {
namespace {

// Runs `cleanup` when the scope ends, however it ends. The read path cleans
// up with these rather than catch-and-rethrow: every error answer (a secret
// not found) is an exception, and each rethrow unwinds the stack once more.
template <typename Cleanup>
class OnScopeExit {
 public:
  explicit OnScopeExit(Cleanup cleanup) : cleanup_(std::move(cleanup)) {}
  ~OnScopeExit() { cleanup_(); }
  OnScopeExit(const OnScopeExit&) = delete;
  OnScopeExit& operator=(const OnScopeExit&) = delete;

 private:
  Cleanup cleanup_;
};

// How long a write waits for another process holding the file's write lock.
// journal_size_limit: after a checkpoint has reset the WAL, it is cut back
// to 4 MiB, so a busy server's -wal file stays bounded instead of keeping
// its high-water size.
constexpr char kFilePragmas[] =
    "PRAGMA busy_timeout = 5000;"
    "PRAGMA foreign_keys = ON;"
    "PRAGMA temp_store = MEMORY;"
    "PRAGMA journal_size_limit = 4194304;";
// WAL + synchronous=NORMAL: a commit survives kill -9 of the process (only
// an OS crash or power loss can lose the last transactions), and readers
// never block the writer.
constexpr char kJournalModeWal[] = "PRAGMA journal_mode = WAL";
constexpr char kSynchronousNormal[] = "PRAGMA synchronous = NORMAL";
constexpr char kRollback[] = "ROLLBACK";
// One write of a group commit (Store::Write).
constexpr char kSavepoint[] = "SAVEPOINT one_write";
constexpr char kReleaseSavepoint[] = "RELEASE one_write";
constexpr char kRollbackToSavepoint[] = "ROLLBACK TO one_write";
constexpr char kMemoryPragmas[] = "PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;";

void ConfigureFile(sqlite::Connection& connection) {
  connection.Execute(kFilePragmas);
  // The first statement that reads the file: "file is not a database" shows here.
  std::string mode;
  {
    sqlite::Statement journal(connection.handle(), kJournalModeWal);
    journal.Step();
    mode = journal.ColumnText(0);
  }
  if (mode != "wal") throw std::runtime_error("cannot use WAL journal mode (got " + mode + ")");
  connection.Execute(kSynchronousNormal);
}

// Connections that only read, beside the writer: WAL gives each a snapshot
// without blocking the writer or each other.
constexpr char kReaderPragmas[] =
    "PRAGMA busy_timeout = 5000;"
    "PRAGMA temp_store = MEMORY;"
    "PRAGMA query_only = ON;";

class SqliteStore final : public Store {
 public:
  // `file`: the database file, whose reads go to reader connections; empty
  // for an in-memory database, read on the writer connection.
  SqliteStore(sqlite::Connection connection, ValueCipher& cipher, std::string file,
              std::size_t cache_capacity, std::size_t cache_bytes)
      : access_dates_([this] { flusher_wake_.notify_one(); }),
        connection_(std::move(connection)),
        repository_(connection_, cipher, &access_dates_),
        cipher_(cipher),
        file_(std::move(file)),
        max_readers_(std::max(2u, std::thread::hardware_concurrency()) + 1),
        cache_(cache_capacity, cache_bytes),
        checkpointer_(file_.empty()
                          ? nullptr
                          : std::make_unique<WalCheckpointer>(connection_, file_, WalLimits{})),
        flusher_([this] { FlushEverySecond(); }) {
    idle_readers_.reserve(max_readers_);  // so that ReleaseReader cannot throw
  }

  ~SqliteStore() override {
    {
      std::lock_guard lock(flusher_mutex_);
      closing_ = true;
    }
    flusher_wake_.notify_all();
    flusher_.join();
    try {
      FlushAccessDates();
    } catch (...) {
      // Closing anyway; at most these access dates are lost.
    }
  }

  std::size_t PendingAccessDates() const override { return access_dates_.PendingVersions(); }

  void FlushAccessDates() override {
    std::lock_guard one_batch_at_a_time(flush_mutex_);
    const std::shared_ptr<const AccessDates::Batch> batch = access_dates_.Take();
    if (!batch) return;
    try {
      Write([&](Repository&) {
        for (const auto& [key, day] : batch->versions) {
          repository_.RecordAccess(key.first, key.second, day);
        }
      });
    } catch (...) {
      access_dates_.Finish(batch, /*written=*/false);
      throw;
    }
    access_dates_.Finish(batch, /*written=*/true);
  }

 protected:
  void Begin(bool write) override {
    repository_.TakeTouched();
    connection_.Use(write ? sql::kBeginWrite : sql::kBeginRead)->Run();
  }

  // The cache forgets what the transaction changed, bracketing COMMIT so
  // that no reader can keep (or mix with) what it read before it.
  void Commit() override {
    const TouchedSecrets touched = repository_.TakeTouched();
    if (touched.empty()) {
      connection_.Use(sql::kCommit)->Run();
      AfterCommit();
      return;
    }
    cache_.BeginCommit();
    try {
      connection_.Use(sql::kCommit)->Run();
    } catch (...) {
      cache_.EndCommit({}, /*everything=*/true);  // outcome unknown: forget all
      throw;
    }
    cache_.EndCommit(touched.ids, touched.everything, touched.accessed);
    if (touched.everything) access_dates_.Clear();
    AfterCommit();
  }

  void Rollback() noexcept override {
    repository_.TakeTouched();
    RollbackOn(connection_);
  }

  void BeginSavepoint() override { connection_.Use(kSavepoint)->Run(); }
  void ReleaseSavepoint() override { connection_.Use(kReleaseSavepoint)->Run(); }

  bool RollbackToSavepoint() noexcept override {
    if (connection_.InAutocommit()) return false;
    try {
      connection_.Use(kRollbackToSavepoint)->Run();
      connection_.Use(kReleaseSavepoint)->Run();
      repository_.TouchInsteadOfAccessMoves();
      return true;
    } catch (...) {
      Rollback();
      return false;
    }
  }

  Repository& repository() override { return repository_; }

  void RunRead(const std::function<void(Repository&)>& work) override {
    try {
      ReadThroughCache(work);
    } catch (const RereadWithoutCache&) {
      ReadFromSql(work);  // rare: a commit fell between the cache and the snapshot
    }
  }

 private:
  struct Reader {
    Reader(const std::string& file, ValueCipher& cipher, AccessDates& access_dates)
        : connection(file), repository(connection, cipher, &access_dates, /*defer_access=*/true) {
      connection.Execute(kReaderPragmas);
    }
    sqlite::Connection connection;
    SqliteRepository repository;  // refers to connection
  };

  // The callback on a CachedReadRepository: SQL (and a read transaction)
  // only when the cache cannot answer. A reader connection is taken only
  // then too: a read the cache answers touches no pool.
  void ReadThroughCache(const std::function<void(Repository&)>& work) {
    if (file_.empty()) {
      std::lock_guard lock(mutex_);
      RunCached(work, [this]() -> std::pair<sqlite::Connection&, SqliteRepository&> {
        return {connection_, repository_};
      });
      return;
    }
    Reader* reader = nullptr;
    const OnScopeExit release([&] {
      if (reader) ReleaseReader(*reader);
    });
    RunCached(work, [&]() -> std::pair<sqlite::Connection&, SqliteRepository&> {
      reader = &AcquireReader();
      return {reader->connection, reader->repository};
    });
  }

  // `open` gives the connection (and the repository over it) that a read
  // transaction opens on, once the cache cannot answer.
  template <typename Open>
  void RunCached(const std::function<void(Repository&)>& work, Open&& open) {
    sqlite::Connection* connection = nullptr;
    CachedReadRepository cached(cache_, counts_, access_dates_, [&](bool fix) -> SqliteRepository& {
      auto [opened, sql] = open();
      connection = &opened;
      connection->Use(sql::kBeginRead)->Run();
      if (fix) connection->Use(sql::kFixSnapshot)->Step();
      return sql;
    });
    bool committed = false;
    const OnScopeExit rollback([&] {
      if (connection != nullptr && !committed) RollbackOn(*connection);
    });
    work(cached);
    if (cached.in_transaction()) connection->Use(sql::kCommit)->Run();
    committed = true;
  }

  void ReadFromSql(const std::function<void(Repository&)>& work) {
    if (file_.empty()) return Store::RunRead(work);
    Reader& reader = AcquireReader();
    const OnScopeExit release([&] { ReleaseReader(reader); });
    bool committed = false;
    const OnScopeExit rollback([&] {
      if (!committed) RollbackOn(reader.connection);
    });
    reader.connection.Use(sql::kBeginRead)->Run();
    work(reader.repository);
    reader.connection.Use(sql::kCommit)->Run();
    committed = true;
  }

  void AfterCommit() noexcept {
    if (checkpointer_) checkpointer_->AfterCommit();
  }

  static void RollbackOn(sqlite::Connection& connection) noexcept {
    // SQLite may already have rolled back (e.g. after SQLITE_FULL).
    if (connection.InAutocommit()) return;
    try {
      connection.Execute(kRollback);
    } catch (...) {
      // Nothing better to do; the caller is already propagating an error.
    }
  }

  // An idle reader, opening one (up to max_readers_) when none is idle.
  Reader& AcquireReader() {
    std::unique_lock lock(readers_mutex_);
    for (;;) {
      if (!idle_readers_.empty()) {
        Reader* reader = idle_readers_.back();
        idle_readers_.pop_back();
        return *reader;
      }
      if (readers_.size() < max_readers_) {
        readers_.push_back(std::make_unique<Reader>(file_, cipher_, access_dates_));
        return *readers_.back();
      }
      reader_released_.wait(lock);
    }
  }

  // The flusher thread. A failed flush (disk full, locked) keeps the dates
  // pending for the next tick; nothing escapes the thread.
  void FlushEverySecond() {
    std::unique_lock lock(flusher_mutex_);
    bool flushed = true;
    while (!closing_) {
      // Many pending dates (a burst of first reads): no wait, unless the
      // last flush failed.
      if (!flushed || access_dates_.PendingVersions() < AccessDates::kFlushEarlyAt) {
        flusher_wake_.wait_for(lock, std::chrono::seconds(1));
      }
      if (closing_) return;
      lock.unlock();
      try {
        FlushAccessDates();
        flushed = true;
      } catch (...) {
        flushed = false;
      }
      ReturnFreedMemory();
      lock.lock();
    }
  }

  // Hands the heap's free pages back to the OS, so that RSS follows what is
  // live: bursts (a million creates, a day's first reads) leave megabytes
  // free in malloc's per-thread arenas otherwise, on top of the cache's bound.
  static void ReturnFreedMemory() noexcept {
#ifdef __GLIBC__
    malloc_trim(0);
#endif
  }

  // noexcept: it runs while a read's exception unwinds. idle_readers_ never
  // outgrows the capacity the constructor reserves for every reader.
  void ReleaseReader(Reader& reader) noexcept {
    {
      std::lock_guard lock(readers_mutex_);
      idle_readers_.push_back(&reader);
    }
    reader_released_.notify_one();
  }

  AccessDates access_dates_;  // before the repositories that refer to it
  sqlite::Connection connection_;
  SqliteRepository repository_;  // refers to connection_
  ValueCipher& cipher_;
  const std::string file_;
  const std::size_t max_readers_;
  std::mutex readers_mutex_;
  std::condition_variable reader_released_;
  std::vector<std::unique_ptr<Reader>> readers_;  // GUARDED_BY(readers_mutex_)
  std::vector<Reader*> idle_readers_;             // GUARDED_BY(readers_mutex_)
  SecretCache cache_;
  SecretCountsMemo counts_;
  std::unique_ptr<WalCheckpointer> checkpointer_;  // file databases only
  std::mutex flush_mutex_;  // FlushAccessDates: the flusher's, an admin's, the destructor's
  std::mutex flusher_mutex_;
  std::condition_variable flusher_wake_;
  bool closing_ = false;  // GUARDED_BY(flusher_mutex_)
  std::thread flusher_;   // last: starts once everything above exists
};

}  // namespace

// At most this many writes share a transaction: a bound on how long the
// first of them waits for its answer.
constexpr std::size_t kMaxGroup = 32;

void Store::RunWrite(const std::function<void(Repository&)>& work) {
  QueuedWrite write{&work};
  std::unique_lock lock(queue_mutex_);
  queue_.push_back(&write);
  write.wake.wait(lock, [&] { return write.done || queue_.front() == &write; });
  if (!write.done) {
    const std::size_t size = std::min(queue_.size(), kMaxGroup);
    const std::vector<QueuedWrite*> group(queue_.begin(), queue_.begin() + size);
    lock.unlock();
    CommitGroup(group);
    lock.lock();
    queue_.erase(queue_.begin(), queue_.begin() + size);
    for (QueuedWrite* member : group) {
      member->done = true;
      if (member != &write) member->wake.notify_one();
    }
    if (!queue_.empty()) queue_.front()->wake.notify_one();  // the next leader
  }
  if (write.error) std::rethrow_exception(write.error);
}

void Store::CommitGroup(const std::vector<QueuedWrite*>& group) noexcept {
  std::lock_guard lock(mutex_);
  auto fail = [](const std::vector<QueuedWrite*>& writes, const std::exception_ptr& error) {
    for (QueuedWrite* write : writes) write->error = error;
  };
  std::vector<QueuedWrite*> applied;  // in the open transaction
  bool open = false;
  for (QueuedWrite* write : group) {
    // A savepoint guards the writes applied before this one. The first of a
    // transaction (a lone write, too) needs none: if it fails, the
    // transaction goes and nothing else with it. (Savepoints cost: every
    // page a write changes is copied into the savepoint's journal.)
    bool savepoint = false;
    try {
      if (!open) {
        Begin(true);
        open = true;
      }
      savepoint = !applied.empty();
      if (savepoint) BeginSavepoint();
      (*write->work)(repository());
      if (savepoint) ReleaseSavepoint();
      applied.push_back(write);
    } catch (...) {
      write->error = std::current_exception();
      if (open && !savepoint) {
        Rollback();
        open = false;
      } else if (open && !RollbackToSavepoint()) {
        fail(applied, write->error);  // the transaction went, and their writes with it
        applied.clear();
        open = false;
      }
    }
  }
  if (!open) return;
  try {
    Commit();
  } catch (...) {
    Rollback();
    fail(applied, std::current_exception());
  }
}

std::unique_ptr<Store> Store::Open(const StoreOptions& options) {
  if (options.cipher == nullptr) {
    throw std::runtime_error("cannot open the database: no value cipher configured");
  }
  const std::string where = options.database_file
                                ? "database '" + options.database_file->string() + "'"
                                : std::string("in-memory database");
  try {
    sqlite::Connection connection(options.database_file ? options.database_file->string()
                                                        : std::string(":memory:"));
    if (options.database_file) {
      ConfigureFile(connection);
    } else {
      connection.Execute(kMemoryPragmas);
    }
    Migrate(connection);
    return std::make_unique<SqliteStore>(
        std::move(connection), *options.cipher,
        options.database_file ? options.database_file->string() : std::string(),
        options.read_cache_secrets, options.read_cache_bytes);
  } catch (const std::exception& error) {
    throw std::runtime_error("cannot open " + where + ": " + error.what());
  }
}

}  // namespace sml::storage
