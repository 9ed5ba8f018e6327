#pragma once
// The database schema, as an ordered, append-only list of migrations.
//
// PRAGMA user_version is the number of migrations applied. Migrate() applies
// the missing ones in order, each in its own BEGIN IMMEDIATE transaction (so
// two processes opening one file at once do not both apply it), and refuses a
// database whose version is newer than this build knows.
//
// To change the schema, append a migration to kMigrations in schema.cc; never
// edit or reorder one that has shipped.
#include <span>

#include "storage/sqlite/connection.h"

namespace sml::storage {

struct Migration {
  const char* description;  // for the error message when it fails
  const char* sql;          // one or more statements, no parameters
};

// The user_version a fully migrated database has.
int LatestSchemaVersion();

// Brings `connection` to LatestSchemaVersion(). Throws std::runtime_error
// (one line) when the database is newer or a migration fails.
void Migrate(sqlite::Connection& connection);

// Migrate() over an explicit list (tests use it to append a migration or
// inject a failing one).
void ApplyMigrations(sqlite::Connection& connection, std::span<const Migration> migrations);

}  // namespace sml::storage
