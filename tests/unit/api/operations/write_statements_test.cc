// How many SQL statements a write of a value runs (BEGIN and COMMIT
// included): the budget that keeps PutSecretValue and CreateSecret fast.
// Counted with SQLite's statement trace, installed on every connection the
// suite opens; no timing involved.
#include <sqlite3.h>

#include <atomic>

#include "tests/unit/api/operations/lifecycle_fixture.h"

namespace sml::api::operations::testing {
namespace {

constexpr int kStatementBudget = 8;

std::atomic<bool> counting = false;
std::atomic<int> statements = 0;

// PROFILE: once per statement run to its end (STMT also fires for each
// trigger or foreign-key action the statement runs).
int OnStatement(unsigned, void*, void*, void*) {
  if (counting) ++statements;
  return 0;
}

int TraceStatements(sqlite3* db, const char**, const sqlite3_api_routines*) {
  sqlite3_trace_v2(db, SQLITE_TRACE_PROFILE, &OnStatement, nullptr);
  return SQLITE_OK;
}

class WriteStatementsTest : public LifecycleTest {
 protected:
  // Before the fixture opens its Store, so that its connection is traced.
  static void SetUpTestSuite() { sqlite3_auto_extension(Entry()); }
  static void TearDownTestSuite() { sqlite3_cancel_auto_extension(Entry()); }
  static void (*Entry())() { return reinterpret_cast<void (*)()>(&TraceStatements); }

  int StatementsOf(const std::function<void()>& work) {
    statements = 0;
    counting = true;
    work();
    counting = false;
    return statements;
  }

  void PutNew(const std::string& name, int i) {
    Call(&PutSecretValue,
         {{"SecretId", name},
          {"SecretString", "v" + std::to_string(i)},
          {"ClientRequestToken", "token-" + std::to_string(100000 + i) + std::string(30, 'x')}});
  }
};

TEST_F(WriteStatementsTest, PutSecretValue_StaysWithinTheStatementBudget) {
  Create("s");
  PutNew("s", 1);
  EXPECT_LE(StatementsOf([&] { PutNew("s", 2); }), kStatementBudget);
  EXPECT_LE(StatementsOf([&] {
              Put("s", 'c', "v3", Stages{"blue", "AWSCURRENT"});
            }),
            kStatementBudget);
}

TEST_F(WriteStatementsTest, PutSecretValue_PruningStaysWithinTheStatementBudget) {
  Create("s");
  for (int i = 1; i < 100; ++i) PutNew("s", i);
  EXPECT_LE(StatementsOf([&] { PutNew("s", 100); }), kStatementBudget);  // 101 versions
  EXPECT_EQ(StagesOf("s").size(), 100u);
}

TEST_F(WriteStatementsTest, CreateSecret_StaysWithinTheStatementBudget) {
  Create("warm-up");
  EXPECT_LE(StatementsOf([&] { Create("s"); }), kStatementBudget);
}

TEST_F(WriteStatementsTest, CountsStatements) {
  // The trace sees this fixture's connection at all (else every budget holds).
  EXPECT_GE(StatementsOf([&] { Create("s"); }), 3);
}

}  // namespace
}  // namespace sml::api::operations::testing
