#include "storage/secret_rows.h"

#include <nlohmann/json.hpp>

namespace sml::storage {

SecretRecord ReadSecretRow(const sqlite::Statement& row) {
  SecretRecord secret;
  secret.id = row.ColumnInt64(0);
  secret.account_id = row.ColumnText(1);
  secret.region = row.ColumnText(2);
  secret.name = row.ColumnText(3);
  secret.arn = row.ColumnText(4);
  secret.description = row.ColumnOptionalText(5);
  secret.kms_key_id = row.ColumnOptionalText(6);
  secret.type = row.ColumnOptionalText(7);
  secret.owning_service = row.ColumnOptionalText(8);
  secret.created_date = row.ColumnInt64(9);
  secret.last_changed_date = row.ColumnInt64(10);
  secret.last_accessed_date = row.ColumnOptionalInt64(11);
  secret.deleted_date = row.ColumnOptionalInt64(12);
  secret.deletion_date = row.ColumnOptionalInt64(13);
  secret.tags = DecodeTags(row.ColumnOptionalText(14));
  if (auto enabled = row.ColumnOptionalInt64(15)) secret.rotation_enabled = *enabled != 0;
  secret.rotation_lambda_arn = row.ColumnOptionalText(16);
  secret.rotation_rules_json = row.ColumnOptionalText(17);
  secret.last_rotated_date = row.ColumnOptionalInt64(18);
  secret.next_rotation_date = row.ColumnOptionalInt64(19);
  secret.resource_policy = row.ColumnOptionalText(20);
  secret.primary_region = row.ColumnOptionalText(21);
  secret.replication_status_json = row.ColumnOptionalText(22);
  secret.rotation_window_end = row.ColumnOptionalInt64(23);
  secret.external_rotation_metadata_json = row.ColumnOptionalText(24);
  secret.external_rotation_role_arn = row.ColumnOptionalText(25);
  return secret;
}

void BindSecretColumns(sqlite::Statement& statement, const SecretRecord& secret,
                       const std::optional<std::string>& tags_json) {
  statement.BindText(1, secret.account_id);
  statement.BindText(2, secret.region);
  statement.BindText(3, secret.name);
  statement.BindText(4, secret.arn);
  statement.BindOptionalText(5, secret.description);
  statement.BindOptionalText(6, secret.kms_key_id);
  statement.BindOptionalText(7, secret.type);
  statement.BindOptionalText(8, secret.owning_service);
  statement.BindInt64(9, secret.created_date);
  statement.BindInt64(10, secret.last_changed_date);
  // ?11 is unbound: LastAccessedDate is secret_access's (schema v10).
  statement.BindOptionalInt64(12, secret.deleted_date);
  statement.BindOptionalInt64(13, secret.deletion_date);
  statement.BindOptionalText(14, tags_json);
  if (secret.rotation_enabled) {
    statement.BindInt64(15, *secret.rotation_enabled ? 1 : 0);
  } else {
    statement.BindNull(15);
  }
  statement.BindOptionalText(16, secret.rotation_lambda_arn);
  statement.BindOptionalText(17, secret.rotation_rules_json);
  statement.BindOptionalInt64(18, secret.last_rotated_date);
  statement.BindOptionalInt64(19, secret.next_rotation_date);
  statement.BindOptionalText(20, secret.resource_policy);
  statement.BindOptionalText(21, secret.primary_region);
  statement.BindOptionalText(22, secret.replication_status_json);
  statement.BindOptionalInt64(23, secret.rotation_window_end);
  statement.BindOptionalText(24, secret.external_rotation_metadata_json);
  statement.BindOptionalText(25, secret.external_rotation_role_arn);
}

std::optional<std::string> EncodeTags(const std::optional<std::vector<Tag>>& tags) {
  if (!tags) return std::nullopt;
  nlohmann::json array = nlohmann::json::array();
  for (const Tag& tag : *tags) array.push_back({{"Key", tag.key}, {"Value", tag.value}});
  return array.dump();
}

std::optional<std::vector<Tag>> DecodeTags(const std::optional<std::string>& json) {
  if (!json) return std::nullopt;
  std::vector<Tag> tags;
  for (const auto& tag : nlohmann::json::parse(*json)) {
    tags.push_back({tag.at("Key").get<std::string>(), tag.at("Value").get<std::string>()});
  }
  return tags;
}

}  // namespace sml::storage
