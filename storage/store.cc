// Store over SQLite: one connection, serialised by Store::mutex_.
#include "storage/store.h"

#include <stdexcept>
#include <string>

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

class SqliteStore final : public Store {
 public:
  SqliteStore(sqlite::Connection connection, ValueCipher& cipher)
      : connection_(std::move(connection)), repository_(connection_, cipher) {}

 protected:
  void Begin(bool write) override {
    connection_.Use(write ? sql::kBeginWrite : sql::kBeginRead)->Run();
  }

  void Commit() override { connection_.Use(sql::kCommit)->Run(); }

  void Rollback() noexcept override {
    // SQLite may already have rolled back (e.g. after SQLITE_FULL).
    if (connection_.InAutocommit()) return;
    try {
      connection_.Execute(kRollback);
    } catch (...) {
      // Nothing better to do; the caller is already propagating an error.
    }
  }

  Repository& repository() override { return repository_; }

 private:
  sqlite::Connection connection_;
  SqliteRepository repository_;  // refers to connection_
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
    return std::make_unique<SqliteStore>(std::move(connection), *options.cipher);
  } catch (const std::exception& error) {
    throw std::runtime_error("cannot open " + where + ": " + error.what());
  }
}

}  // namespace sml::storage
