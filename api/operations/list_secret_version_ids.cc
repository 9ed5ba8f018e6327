// ListSecretVersionIds (BEHAVIOR.md §3): versions that have a value, oldest
// first; deprecated ones only with IncludeDeprecated. Works on a secret
// scheduled for deletion, as AWS does.
#include <algorithm>

#include "api/error.h"
#include "api/model/secret_lookup.h"
#include "api/model/secret_members.h"
#include "api/model/timestamps.h"
#include "api/model/versions.h"
#include "api/operations/operations.h"

namespace sml::api::operations {
namespace {

constexpr std::string_view kTokenPrefix = "versions:";

// The token names the last version of the previous page.
std::string MakeNextToken(std::string_view last_version_id) {
  return EncodeBase64(std::string(kTokenPrefix) + std::string(last_version_id));
}

ApiError InvalidNextToken() {
  return {ErrorCode::kInvalidNextToken, "The NextToken value is invalid."};
}

nlohmann::json Entry(const storage::VersionRecord& version) {
  nlohmann::json entry = {{"VersionId", version.version_id}};
  if (!version.labels.empty()) entry["VersionStages"] = version.labels;
  if (version.last_accessed_date) {
    entry["LastAccessedDate"] = model::ToAwsTimestamp(*version.last_accessed_date);
  }
  entry["CreatedDate"] = model::ToAwsTimestamp(version.created_date);
  entry["KmsKeyIds"] = nlohmann::json::array({version.kms_key_id});
  return entry;
}

}  // namespace

SML_OPERATION(ListSecretVersionIds) {
  Input in(input);
  auto secret_id = in.String("SecretId", model::kSecretIdRule);
  auto max_results = in.Integer("MaxResults", {.min = 1, .max = 100});
  auto next_token = in.String("NextToken", {.min_length = 1, .max_length = 4096});
  auto include_deprecated = in.Bool("IncludeDeprecated").value_or(false);
  in.Finish();

  return services.store.Read([&](storage::Repository& repo) {
    auto secret = model::RequireSecret(repo, context, *secret_id);
    model::Versions listed;
    for (auto& version : repo.Versions(secret.id)) {
      if (!version.has_value) continue;
      if (model::IsDeprecated(version) && !include_deprecated) continue;
      listed.push_back(std::move(version));
    }
    std::size_t start = 0;
    if (next_token) {
      auto decoded = DecodeBase64(*next_token);
      if (!decoded || !decoded->starts_with(kTokenPrefix)) throw InvalidNextToken();
      const std::string after = decoded->substr(kTokenPrefix.size());
      auto it = std::find_if(listed.begin(), listed.end(),
                             [&](const auto& v) { return v.version_id == after; });
      if (it == listed.end()) throw InvalidNextToken();
      start = static_cast<std::size_t>(it - listed.begin()) + 1;
    }
    const std::size_t limit = max_results ? static_cast<std::size_t>(*max_results) : listed.size();
    nlohmann::json entries = nlohmann::json::array();
    std::size_t i = start;
    for (; i < listed.size() && entries.size() < limit; ++i) entries.push_back(Entry(listed[i]));
    nlohmann::json output = {{"Versions", std::move(entries)}};
    if (i < listed.size()) output["NextToken"] = MakeNextToken(listed[i - 1].version_id);
    output["ARN"] = secret.arn;
    output["Name"] = secret.name;
    return output;
  });
}

}  // namespace sml::api::operations
