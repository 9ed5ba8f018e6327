#pragma once
// One prepared SQLite statement (SQLiteCpp style): the handle lives in a
// unique_ptr whose deleter finalizes it; errors throw std::runtime_error with
// SQLite's message; the destructor never throws.
//
// Text and blob parameters are bound without copying (SQLITE_STATIC): the
// bytes must stay alive until the statement is reset. Binding a temporary
// std::string is therefore a compile error.
#include <sqlite3.h>

#include <concepts>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace sml::storage::sqlite {

template <class T>
concept TemporaryString =
    std::same_as<std::remove_cvref_t<T>, std::string> && !std::is_lvalue_reference_v<T>;

template <class T>
concept TemporaryOptionalString =
    std::same_as<std::remove_cvref_t<T>, std::optional<std::string>> &&
    !std::is_lvalue_reference_v<T>;

class Statement {
 public:
  // Prepares `sql` (one statement) on `db`. Throws on a syntax error.
  Statement(sqlite3* db, std::string_view sql);

  // Parameters are 1-based, as in SQL (?1, ?2, ...).
  void BindInt64(int index, std::int64_t value);
  void BindOptionalInt64(int index, std::optional<std::int64_t> value);
  void BindText(int index, std::string_view text);
  template <TemporaryString T>
  void BindText(int index, T&& text) = delete;  // would dangle
  void BindOptionalText(int index, const std::optional<std::string>& text);
  template <TemporaryOptionalString T>
  void BindOptionalText(int index, T&& text) = delete;  // would dangle
  void BindBlob(int index, std::string_view bytes);
  template <TemporaryString T>
  void BindBlob(int index, T&& bytes) = delete;  // would dangle
  void BindNull(int index);

  // Advances to the next row: true when there is one, false when done.
  bool Step();
  // Steps a statement that returns no rows.
  void Run();
  // Makes the statement ready for reuse and drops its bindings.
  void Reset() noexcept;

  // Columns are 0-based, as in sqlite3_column_*.
  bool IsNull(int column) const;
  std::int64_t ColumnInt64(int column) const;
  std::optional<std::int64_t> ColumnOptionalInt64(int column) const;
  std::string ColumnText(int column) const;
  std::optional<std::string> ColumnOptionalText(int column) const;
  std::string ColumnBlob(int column) const;

  // A statement is used by one caller at a time (see Connection::Use).
  bool in_use() const { return in_use_; }
  void set_in_use(bool in_use) { in_use_ = in_use; }

 private:
  struct Finalizer {
    void operator()(sqlite3_stmt* statement) const noexcept { sqlite3_finalize(statement); }
  };
  [[noreturn]] void Fail(int code) const;
  void CheckBind(int code) const;

  std::unique_ptr<sqlite3_stmt, Finalizer> statement_;
  bool in_use_ = false;
};

}  // namespace sml::storage::sqlite
