#pragma once
// One SQLite connection (SQLiteCpp style) and the statements prepared on it.
//
// Statements are prepared once per connection and reused: Use(kSql) returns
// the cached statement for that SQL constant, and resets it (and drops its
// bindings) when the returned handle goes out of scope, even on exceptions.
// The cache is keyed by the *address* of the SQL text, so pass named
// `inline constexpr char k...[]` constants, never built strings.
//
// Not thread-safe: the owner serialises all use (Store holds a mutex).
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "storage/sqlite/statement.h"

namespace sml::storage::sqlite {

// The statement Connection::Use lent out; resets it when destroyed.
class StatementUse {
 public:
  explicit StatementUse(Statement& statement) : statement_(&statement) {
    statement_->set_in_use(true);
  }
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;
  ~StatementUse() {
    statement_->Reset();
    statement_->set_in_use(false);
  }
  Statement* operator->() const { return statement_; }
  Statement& operator*() const { return *statement_; }

 private:
  Statement* statement_;
};

class Connection {
 public:
  // Opens (creating when missing) the database `filename` (":memory:" for a
  // private in-memory one). Throws std::runtime_error with SQLite's message.
  explicit Connection(const std::string& filename);
  Connection(Connection&&) noexcept = default;
  Connection& operator=(Connection&&) noexcept = default;

  // Runs one or more statements that take no parameters (PRAGMAs, DDL).
  void Execute(const char* sql);
  // The cached statement for `sql`, prepared on first use. Throws
  // std::logic_error if that statement is already in use (re-entrancy).
  StatementUse Use(const char* sql);

  std::int64_t LastInsertRowId() const;
  // Rows changed by the most recent INSERT/UPDATE/DELETE.
  std::int64_t Changes() const;
  // True when no transaction is open.
  bool InAutocommit() const;
  sqlite3* handle() const { return db_.get(); }

 private:
  struct Closer {
    void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
  };
  // Declared before the cache, so statements are finalized before closing.
  std::unique_ptr<sqlite3, Closer> db_;
  std::unordered_map<const char*, std::unique_ptr<Statement>> statements_;
};

}  // namespace sml::storage::sqlite
