// Store over SQLite: one writer connection, serialised by Store::mutex_, and
// for a file database a pool of reader connections.
#include "storage/store.h"

#include <algorithm>
#include <condition_variable>
#include <stdexcept>
#include <string>
#include <thread>

#include "storage/repository_sql.h"
#include "storage/schema.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite_repository.h"

namespace sml::storage {
namespace {

// How long a write waits for another process holding the file's write lock.
constexpr char kFilePragmas[] =
    "PRAGMA busy_timeout = 5000;"
    "PRAGMA foreign_keys = ON;"
    "PRAGMA temp_store = MEMORY;";
// WAL + synchronous=NORMAL: a commit survives kill -9 of the process (only
// an OS crash or power loss can lose the last transactions), and readers
// never block the writer.
constexpr char kJournalModeWal[] = "PRAGMA journal_mode = WAL";
constexpr char kSynchronousNormal[] = "PRAGMA synchronous = NORMAL";
constexpr char kRollback[] = "ROLLBACK";
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
  SqliteStore(sqlite::Connection connection, ValueCipher& cipher, std::string file)
      : connection_(std::move(connection)),
        repository_(connection_, cipher),
        cipher_(cipher),
        file_(std::move(file)),
        max_readers_(std::max(2u, std::thread::hardware_concurrency()) + 1) {}

 protected:
  void Begin(bool write) override {
    connection_.Use(write ? sql::kBeginWrite : sql::kBeginRead)->Run();
  }

  void Commit() override { connection_.Use(sql::kCommit)->Run(); }

  void Rollback() noexcept override { RollbackOn(connection_); }

  Repository& repository() override { return repository_; }

  void RunRead(const std::function<void(Repository&)>& work) override {
    if (file_.empty()) return Store::RunRead(work);
    Reader& reader = AcquireReader();
    try {
      reader.connection.Use(sql::kBeginRead)->Run();
      work(reader.repository);
      reader.connection.Use(sql::kCommit)->Run();
    } catch (...) {
      RollbackOn(reader.connection);
      ReleaseReader(reader);
      throw;
    }
    ReleaseReader(reader);
  }

 private:
  struct Reader {
    Reader(const std::string& file, ValueCipher& cipher)
        : connection(file), repository(connection, cipher) {
      connection.Execute(kReaderPragmas);
    }
    sqlite::Connection connection;
    SqliteRepository repository;  // refers to connection
  };

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
        readers_.push_back(std::make_unique<Reader>(file_, cipher_));
        return *readers_.back();
      }
      reader_released_.wait(lock);
    }
  }

  void ReleaseReader(Reader& reader) {
    {
      std::lock_guard lock(readers_mutex_);
      idle_readers_.push_back(&reader);
    }
    reader_released_.notify_one();
  }

  sqlite::Connection connection_;
  SqliteRepository repository_;  // refers to connection_
  ValueCipher& cipher_;
  const std::string file_;
  const std::size_t max_readers_;
  std::mutex readers_mutex_;
  std::condition_variable reader_released_;
  std::vector<std::unique_ptr<Reader>> readers_;  // GUARDED_BY(readers_mutex_)
  std::vector<Reader*> idle_readers_;             // GUARDED_BY(readers_mutex_)
};

}  // namespace

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
        options.database_file ? options.database_file->string() : std::string());
  } catch (const std::exception& error) {
    throw std::runtime_error("cannot open " + where + ": " + error.what());
  }
}

}  // namespace sml::storage
