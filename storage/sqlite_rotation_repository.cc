// The rotation part of SqliteRepository: registered handlers, the history of
// rotation attempts, and this server's settings.
#include "storage/repository_sql.h"
#include "storage/sqlite_repository.h"

namespace sml::storage {
namespace {

void BindAttempt(sqlite::Statement& statement, const RotationAttemptRecord& attempt) {
  statement.BindInt64(1, attempt.secret_id);
  statement.BindText(2, attempt.secret_arn);
  statement.BindText(3, attempt.secret_name);
  statement.BindText(4, attempt.token);
  statement.BindText(5, attempt.trigger);
  statement.BindInt64(6, attempt.started);
  statement.BindOptionalInt64(7, attempt.finished);
  statement.BindText(8, attempt.outcome);
  statement.BindText(9, attempt.error);
  statement.BindText(10, attempt.steps_json);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> SqliteRepository::RotationHandlers() {
  std::vector<std::pair<std::string, std::string>> handlers;
  auto query = connection_.Use(sql::kListRotationHandlers);
  while (query->Step()) handlers.emplace_back(query->ColumnText(0), query->ColumnText(1));
  return handlers;
}

void SqliteRepository::PutRotationHandler(std::string_view name, std::string_view config_json) {
  auto query = connection_.Use(sql::kPutRotationHandler);
  query->BindText(1, name);
  query->BindText(2, config_json);
  query->Step();
}

bool SqliteRepository::DeleteRotationHandler(std::string_view name) {
  auto query = connection_.Use(sql::kDeleteRotationHandler);
  query->BindText(1, name);
  query->Step();
  return connection_.Changes() > 0;
}

void SqliteRepository::SaveRotationAttempt(RotationAttemptRecord& attempt) {
  if (attempt.id == 0) {
    auto query = connection_.Use(sql::kInsertRotationAttempt);
    BindAttempt(*query, attempt);
    query->Step();
    attempt.id = connection_.LastInsertRowId();
    return;
  }
  auto query = connection_.Use(sql::kUpdateRotationAttempt);
  BindAttempt(*query, attempt);
  query->BindInt64(11, attempt.id);
  query->Step();
}

std::vector<RotationAttemptRecord> SqliteRepository::ReadAttempts(sqlite::StatementUse& query) {
  std::vector<RotationAttemptRecord> attempts;
  while (query->Step()) {
    RotationAttemptRecord attempt;
    attempt.id = query->ColumnInt64(0);
    attempt.secret_id = query->ColumnInt64(1);
    attempt.secret_arn = query->ColumnText(2);
    attempt.secret_name = query->ColumnText(3);
    attempt.token = query->ColumnText(4);
    attempt.trigger = query->ColumnText(5);
    attempt.started = query->ColumnInt64(6);
    attempt.finished = query->ColumnOptionalInt64(7);
    attempt.outcome = query->ColumnText(8);
    attempt.error = query->ColumnText(9);
    attempt.steps_json = query->ColumnText(10);
    attempts.push_back(std::move(attempt));
  }
  return attempts;
}

std::vector<RotationAttemptRecord> SqliteRepository::RotationAttempts(
    std::optional<std::string_view> secret, int limit) {
  if (!secret) {
    auto query = connection_.Use(sql::kRotationAttempts);
    query->BindInt64(1, limit);
    return ReadAttempts(query);
  }
  auto query = connection_.Use(sql::kRotationAttemptsOfSecret);
  query->BindText(1, *secret);
  query->BindInt64(2, limit);
  return ReadAttempts(query);
}

int SqliteRepository::ConsecutiveScheduledFailures(std::int64_t secret_id) {
  auto query = connection_.Use(sql::kConsecutiveScheduledFailures);
  query->BindInt64(1, secret_id);
  query->Step();
  return static_cast<int>(query->ColumnInt64(0));
}

std::vector<RotationAttemptRecord> SqliteRepository::RunningRotationAttempts() {
  auto query = connection_.Use(sql::kRunningRotationAttempts);
  return ReadAttempts(query);
}

std::optional<std::string> SqliteRepository::GetSetting(std::string_view key) {
  auto query = connection_.Use(sql::kGetSetting);
  query->BindText(1, key);
  if (!query->Step()) return std::nullopt;
  return query->ColumnText(0);
}

void SqliteRepository::PutSetting(std::string_view key, std::string_view value) {
  auto query = connection_.Use(sql::kPutSetting);
  query->BindText(1, key);
  query->BindText(2, value);
  query->Step();
}

}  // namespace sml::storage
