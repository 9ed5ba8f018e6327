#include "server/init/init_file.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <sstream>
#include <tuple>

#include "api/model/replication.h"

namespace sml::server::init {
namespace {

// Members an init secret may have: CreateSecret's, then what the init file adds.
constexpr std::array<std::string_view, 5> kCreateMembers = {"Name", "SecretString", "SecretBinary",
                                                            "Description", "KmsKeyId"};
constexpr std::array<std::string_view, 6> kInitMembers = {
    "Tags", "AccountId", "Region", "RotationLambdaARN", "RotationRules", "ResourcePolicy"};

bool IsMember(std::string_view key) {
  auto in = [key](const auto& list) {
    return std::find(list.begin(), list.end(), key) != list.end();
  };
  return in(kCreateMembers) || in(kInitMembers);
}

bool IsAccountId(const std::string& text) {
  return text.size() == 12 && std::all_of(text.begin(), text.end(),
                                          [](unsigned char c) { return c >= '0' && c <= '9'; });
}

// "line L, column C" of a byte offset, so a syntax error can be found
// without quoting the text (it may hold secret values).
std::string Position(std::string_view text, std::size_t byte) {
  byte = std::min(byte, text.size());
  std::size_t line = 1 + std::count(text.begin(), text.begin() + byte, '\n');
  std::size_t line_start = text.rfind('\n', byte == 0 ? 0 : byte - 1);
  std::size_t column = line_start == std::string_view::npos ? byte : byte - line_start - 1;
  return "line " + std::to_string(line) + ", column " + std::to_string(column + 1);
}

std::optional<std::string> OptionalString(const nlohmann::json& secret, const char* member,
                                          const std::string& entry, std::size_t index) {
  auto it = secret.find(member);
  if (it == secret.end()) return std::nullopt;
  if (!it->is_string()) {
    throw InitFileError(entry, std::string(member) + " must be a string", index);
  }
  return it->get<std::string>();
}

InitSecret ParseSecret(const nlohmann::json& item, std::size_t index) {
  std::string entry = SecretEntryName(index);
  if (!item.is_object()) throw InitFileError(entry, "a secret must be a JSON object", index);
  for (const auto& [key, value] : item.items()) {
    if (!IsMember(key)) {
      throw InitFileError(entry,
                          "unknown member '" + key +
                              "' (expected CreateSecret's Name, SecretString, "
                              "SecretBinary, Description, KmsKeyId, Tags, or AccountId, "
                              "Region, RotationLambdaARN, RotationRules, ResourcePolicy)",
                          index);
    }
  }
  InitSecret secret;
  secret.index = index;
  auto name = OptionalString(item, "Name", entry, index);
  if (!name) throw InitFileError(entry, "Name is required", index);
  secret.name = *name;
  entry = SecretEntryName(index, secret.name);

  secret.account_id = OptionalString(item, "AccountId", entry, index);
  if (secret.account_id && !IsAccountId(*secret.account_id)) {
    throw InitFileError(entry, "AccountId must be 12 digits", index);
  }
  secret.region = OptionalString(item, "Region", entry, index);
  if (secret.region && !api::model::IsRegionName(*secret.region)) {
    throw InitFileError(entry, "Region is not an AWS region name: '" + *secret.region + "'", index);
  }
  secret.rotation_lambda_arn = OptionalString(item, "RotationLambdaARN", entry, index);
  if (auto rules = item.find("RotationRules"); rules != item.end()) {
    if (!rules->is_object()) {
      throw InitFileError(entry, "RotationRules must be a JSON object", index);
    }
    secret.rotation_rules = *rules;
  }
  if (auto policy = item.find("ResourcePolicy"); policy != item.end()) {
    if (policy->is_object()) {
      secret.resource_policy = policy->dump();
    } else if (policy->is_string()) {
      secret.resource_policy = policy->get<std::string>();
    } else {
      throw InitFileError(entry, "ResourcePolicy must be a policy document (object or string)",
                          index);
    }
  }
  secret.create_input = nlohmann::json::object();
  for (const auto& [key, value] : item.items()) {
    if (std::find(kCreateMembers.begin(), kCreateMembers.end(), key) != kCreateMembers.end() ||
        key == "Tags") {
      secret.create_input[key] = value;
    }
  }
  return secret;
}

}  // namespace

std::string SecretEntryName(std::size_t index, std::string_view name) {
  std::string entry = "secrets[" + std::to_string(index) + "]";
  if (!name.empty()) entry += " (\"" + std::string(name) + "\")";
  return entry;
}

InitPlan ParseInitFile(std::string_view text) {
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw InitFileError("", "not valid JSON (syntax error at " + Position(text, e.byte) + ")");
  } catch (const nlohmann::json::exception&) {
    throw InitFileError("", "not valid JSON (a number that cannot be represented)");
  }
  if (!document.is_object()) {
    throw InitFileError("", R"(must be a JSON object {"secrets":[...], "rotationHandlers":{...}})");
  }
  InitPlan plan;
  for (const auto& [key, value] : document.items()) {
    if (key == "secrets") {
      if (!value.is_array()) throw InitFileError("", "\"secrets\" must be an array");
      for (std::size_t i = 0; i < value.size(); ++i) {
        plan.secrets.push_back(ParseSecret(value[i], i));
      }
    } else if (key == "rotationHandlers") {
      try {
        plan.rotation_handlers = rotation::ParseHandlersDocument(value);
      } catch (const rotation::HandlersDocumentError& e) {
        throw InitFileError("rotationHandlers" + (e.name().empty() ? "" : " \"" + e.name() + "\""),
                            e.reason());
      }
    } else {
      throw InitFileError("", "unknown member '" + key + "' (expected secrets, rotationHandlers)");
    }
  }
  // A name twice in one account and region would fail at the second create.
  std::map<std::tuple<std::string, std::string, std::string>, std::size_t> seen;
  for (const InitSecret& secret : plan.secrets) {
    auto key = std::tuple{secret.account_id.value_or(""), secret.region.value_or(""), secret.name};
    if (auto [it, added] = seen.emplace(std::move(key), secret.index); !added) {
      throw InitFileError(
          SecretEntryName(secret.index, secret.name),
          "the same Name as " + SecretEntryName(it->second) + " in the same account and region",
          secret.index);
    }
  }
  return plan;
}

InitPlan LoadInitFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InitFileError("", "cannot read the file");
  std::stringstream text;
  text << in.rdbuf();
  return ParseInitFile(text.str());
}

}  // namespace sml::server::init
