#include "storage/sqlite/connection.h"

#include <mutex>
#include <stdexcept>

#include "storage/sqlite/wal_vfs.h"

namespace sml::storage::sqlite {

Connection::Connection(const std::string& filename) {
  // No memory statistics: they cost a global mutex on every malloc. No bulk
  // page-cache block per connection: each would take and touch 20 pages at
  // its first use (about 40 page faults of the start); pages then come one
  // at a time, as used. Must come before SQLite initializes; later it is
  // refused, harmlessly.
  static std::once_flag configured;
  std::call_once(configured, [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_config(SQLITE_CONFIG_PAGECACHE, nullptr, 0, 0);
  });
  sqlite3* raw = nullptr;
  // NOMUTEX: the owner serialises use, so SQLite's own mutex is pure cost.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  // A commit's WAL frames in one write, not two per page (wal_vfs.h).
  int code = sqlite3_open_v2(filename.c_str(), &raw, flags, WalBufferingVfs());
  db_.reset(raw);
  if (code != SQLITE_OK) {
    throw std::runtime_error(raw ? sqlite3_errmsg(raw) : sqlite3_errstr(code));
  }
  sqlite3_extended_result_codes(raw, 1);
}

void Connection::Execute(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_.get(), sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : sqlite3_errmsg(db_.get());
    sqlite3_free(error);
    throw std::runtime_error(message);
  }
}

StatementUse Connection::Use(const char* sql) {
  auto& slot = statements_[sql];
  if (!slot) {
    slot = std::make_unique<Statement>(db_.get(), sql);
  } else if (slot->in_use()) {
    throw std::logic_error("sqlite: statement used re-entrantly");
  }
  return StatementUse(*slot);
}

std::int64_t Connection::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_.get()); }

std::int64_t Connection::Changes() const { return sqlite3_changes64(db_.get()); }

bool Connection::InAutocommit() const { return sqlite3_get_autocommit(db_.get()) != 0; }

}  // namespace sml::storage::sqlite
