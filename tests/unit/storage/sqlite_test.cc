// The RAII SQLite wrappers: statement reuse, reset on scope exit, errors.
#include <gtest/gtest.h>

#include "storage/sqlite/connection.h"

namespace sml::storage::sqlite {
namespace {

constexpr char kCreate[] = "CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)";
constexpr char kInsert[] = "INSERT INTO t (k, v) VALUES (?1, ?2)";
constexpr char kSelect[] = "SELECT v FROM t WHERE k = ?1";

TEST(SqliteConnection, Use_ReturnsTheSamePreparedStatementEachTime) {
  Connection connection(":memory:");
  connection.Execute(kCreate);
  const Statement* first = nullptr;
  for (int i = 0; i < 3; ++i) {
    auto insert = connection.Use(kInsert);
    if (!first) first = &*insert;
    EXPECT_EQ(&*insert, first);
    insert->BindInt64(1, i);
    insert->BindText(2, "row");
    insert->Run();
  }
  auto select = connection.Use(kSelect);
  select->BindInt64(1, 2);
  ASSERT_TRUE(select->Step());
  EXPECT_EQ(select->ColumnText(0), "row");
}

TEST(SqliteConnection, StatementIsResetWhenItsUseEnds) {
  Connection connection(":memory:");
  connection.Execute(kCreate);
  connection.Execute("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
  {
    auto select = connection.Use("SELECT v FROM t ORDER BY k");
    ASSERT_TRUE(select->Step());  // left mid-result
  }
  // A pending read would make DROP fail with "database table is locked".
  EXPECT_NO_THROW(connection.Execute("DROP TABLE t"));
}

TEST(SqliteConnection, ReentrantUseOfOneStatement_Throws) {
  Connection connection(":memory:");
  connection.Execute(kCreate);
  auto outer = connection.Use(kSelect);
  EXPECT_THROW(connection.Use(kSelect), std::logic_error);
}

TEST(SqliteConnection, ConstraintViolation_ThrowsWithSqliteMessage) {
  Connection connection(":memory:");
  connection.Execute(kCreate);
  connection.Execute("INSERT INTO t VALUES (1, 'a')");
  auto insert = connection.Use(kInsert);
  insert->BindInt64(1, 1);
  insert->BindText(2, "again");
  try {
    insert->Run();
    FAIL() << "expected a constraint error";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("UNIQUE constraint failed"), std::string::npos)
        << error.what();
  }
}

TEST(SqliteConnection, BadSql_ThrowsOnPrepare) {
  Connection connection(":memory:");
  EXPECT_THROW(connection.Use("SELEKT 1"), std::runtime_error);
}

}  // namespace
}  // namespace sml::storage::sqlite
