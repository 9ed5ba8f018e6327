#include "storage/sqlite/statement.h"

#include <stdexcept>

namespace sml::storage::sqlite {

Statement::Statement(sqlite3* db, std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  int code = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  statement_.reset(raw);
  if (code != SQLITE_OK) {
    throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db));
  }
  if (!statement_) throw std::runtime_error("sqlite: empty statement");
}

void Statement::Fail(int code) const {
  sqlite3* db = sqlite3_db_handle(statement_.get());
  const char* message = db ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  throw std::runtime_error(std::string("sqlite: ") + message);
}

void Statement::CheckBind(int code) const {
  if (code != SQLITE_OK) Fail(code);
}

void Statement::BindInt64(int index, std::int64_t value) {
  CheckBind(sqlite3_bind_int64(statement_.get(), index, value));
}

void Statement::BindOptionalInt64(int index, std::optional<std::int64_t> value) {
  if (value) {
    BindInt64(index, *value);
  } else {
    BindNull(index);
  }
}

void Statement::BindText(int index, std::string_view text) {
  CheckBind(sqlite3_bind_text64(statement_.get(), index, text.data(), text.size(), SQLITE_STATIC,
                                SQLITE_UTF8));
}

void Statement::BindOptionalText(int index, const std::optional<std::string>& text) {
  if (text) {
    BindText(index, std::string_view(*text));
  } else {
    BindNull(index);
  }
}

void Statement::BindBlob(int index, std::string_view bytes) {
  // A zero-length blob must still be a blob, not NULL: data may not be null.
  const char* data = bytes.data() ? bytes.data() : "";
  CheckBind(sqlite3_bind_blob64(statement_.get(), index, data, bytes.size(), SQLITE_STATIC));
}

void Statement::BindNull(int index) { CheckBind(sqlite3_bind_null(statement_.get(), index)); }

bool Statement::Step() {
  int code = sqlite3_step(statement_.get());
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  Fail(code);
}

void Statement::Run() {
  if (Step()) throw std::runtime_error("sqlite: statement returned a row where none was expected");
}

void Statement::Reset() noexcept {
  // The error sqlite3_reset reports is the one Step already threw.
  sqlite3_reset(statement_.get());
  sqlite3_clear_bindings(statement_.get());
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(statement_.get(), column) == SQLITE_NULL;
}

std::int64_t Statement::ColumnInt64(int column) const {
  return sqlite3_column_int64(statement_.get(), column);
}

std::optional<std::int64_t> Statement::ColumnOptionalInt64(int column) const {
  if (IsNull(column)) return std::nullopt;
  return ColumnInt64(column);
}

std::string Statement::ColumnText(int column) const {
  auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement_.get(), column));
  if (!text) return {};
  return std::string(text,
                     static_cast<std::size_t>(sqlite3_column_bytes(statement_.get(), column)));
}

std::optional<std::string> Statement::ColumnOptionalText(int column) const {
  if (IsNull(column)) return std::nullopt;
  return ColumnText(column);
}

std::string Statement::ColumnBlob(int column) const {
  auto* bytes = static_cast<const char*>(sqlite3_column_blob(statement_.get(), column));
  if (!bytes) return {};
  return std::string(bytes,
                     static_cast<std::size_t>(sqlite3_column_bytes(statement_.get(), column)));
}

}  // namespace sml::storage::sqlite
