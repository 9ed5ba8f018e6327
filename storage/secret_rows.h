#pragma once
// SecretRecord <-> a row of the secrets table (column order in repository_sql.h).
#include <optional>
#include <string>
#include <vector>

#include "storage/records.h"
#include "storage/sqlite/statement.h"

namespace sml::storage {

// Reads the SML_SECRET_COLUMNS of the current row.
SecretRecord ReadSecretRow(const sqlite::Statement& row);

// Binds columns 1..sql::kBoundSecretColumns (repository_sql.h) of `secret` as
// parameters ?1..?25. `tags_json` must be EncodeTags(secret.tags) and outlive
// the statement's use.
void BindSecretColumns(sqlite::Statement& statement, const SecretRecord& secret,
                       const std::optional<std::string>& tags_json);

// Tags as a JSON array of {"Key","Value"}; nullopt (never tagged) as NULL.
std::optional<std::string> EncodeTags(const std::optional<std::vector<Tag>>& tags);
std::optional<std::vector<Tag>> DecodeTags(const std::optional<std::string>& json);

}  // namespace sml::storage
