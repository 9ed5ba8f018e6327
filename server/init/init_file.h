#pragma once
// --init FILE: secrets (and rotation handlers) in place before the first
// request is answered.
//   {"secrets": [{"Name": "db/password", "SecretString": "...",
//                 "Description": "...", "KmsKeyId": "...", "Tags": [...],
//                 "AccountId": "111122223333", "Region": "eu-west-1",
//                 "RotationLambdaARN": "rotate", "RotationRules": {...},
//                 "ResourcePolicy": {...} or "<policy JSON text>"}],
//    "rotationHandlers": {<the --handlers FILE object>}}
// ParseInitFile checks the shape only: what the members mean (names, tags,
// rules, policies) is checked by the operations the plan is applied through
// (init_apply.h), with their AWS errors.
#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "server/rotation/handlers_file.h"

namespace sml::server::init {

struct InitSecret {
  std::size_t index = 0;  // position in "secrets"
  std::string name;
  std::optional<std::string> account_id;  // default: --account-id
  std::optional<std::string> region;      // default: --region
  // CreateSecret's input: Name, SecretString | SecretBinary, Description,
  // KmsKeyId, Tags as written.
  nlohmann::json create_input;
  std::optional<std::string> rotation_lambda_arn;
  std::optional<nlohmann::json> rotation_rules;
  std::optional<std::string> resource_policy;  // the policy document's text
};

struct InitPlan {
  std::vector<InitSecret> secrets;
  rotation::NamedHandlers rotation_handlers;
};

// What is wrong with an init file and where: `entry` is "secrets[2]"
// (`secret_index` 2), "rotationHandlers \"name\"" or empty for the document
// as a whole.
class InitFileError : public std::runtime_error {
 public:
  InitFileError(std::string entry, std::string reason,
                std::optional<std::size_t> secret_index = std::nullopt)
      : std::runtime_error(entry.empty() ? reason : entry + ": " + reason),
        entry_(std::move(entry)),
        reason_(std::move(reason)),
        secret_index_(secret_index) {}
  const std::string& entry() const { return entry_; }
  const std::string& reason() const { return reason_; }
  std::optional<std::size_t> secret_index() const { return secret_index_; }

 private:
  std::string entry_;
  std::string reason_;
  std::optional<std::size_t> secret_index_;
};

// Pure: the plan, or InitFileError. Messages never quote secret values.
InitPlan ParseInitFile(std::string_view text);

// Reads and parses `file`; InitFileError when it cannot be read.
InitPlan LoadInitFile(const std::filesystem::path& file);

// "secrets[2]" and, when known, the secret's name: `secrets[2] ("db/password")`.
std::string SecretEntryName(std::size_t index, std::string_view name = {});

}  // namespace sml::server::init
