// GET /_local/rotations[?secretId=...&limit=N]: every rotation attempt, newest first.
#include "api/error.h"
#include "api/text.h"
#include "server/admin/endpoints.h"
#include "server/admin/iso_time.h"

namespace sml::server::admin {
namespace {

constexpr int kDefaultLimit = 100;
constexpr int kMaxLimit = 1000;

std::optional<std::string> QueryParameter(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    auto amp = query.find('&');
    auto pair = query.substr(0, amp);
    auto eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      return eq == std::string_view::npos ? "" : api::PercentDecode(pair.substr(eq + 1), /*plus_is_space=*/true);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

}  // namespace

AdminReply ListRotations(const AdminRequest& request, AdminServices& services) {
  auto secret = QueryParameter(request.query, "secretId");
  int limit = kDefaultLimit;
  if (auto text = QueryParameter(request.query, "limit")) {
    try {
      limit = std::stoi(*text);
    } catch (const std::exception&) {
      limit = 0;
    }
    if (limit < 1 || limit > kMaxLimit) {
      throw api::ApiError(api::ErrorCode::kValidation, "limit must be from 1 to 1000.");
    }
  }
  auto attempts = services.api.store.Read([&](storage::Repository& repo) {
    return repo.RotationAttempts(secret ? std::optional<std::string_view>(*secret) : std::nullopt,
                                 limit);
  });
  auto out = nlohmann::json::array();
  for (const auto& attempt : attempts) {
    nlohmann::json entry{{"id", attempt.id},
                         {"secretArn", attempt.secret_arn},
                         {"secretName", attempt.secret_name},
                         {"token", attempt.token},
                         {"trigger", attempt.trigger},
                         {"startedAt", FormatIsoUtc(attempt.started)},
                         {"outcome", attempt.outcome},
                         {"steps", nlohmann::json::parse(attempt.steps_json, nullptr, false)}};
    if (attempt.finished) entry["finishedAt"] = FormatIsoUtc(*attempt.finished);
    if (!attempt.error.empty()) entry["error"] = attempt.error;
    out.push_back(std::move(entry));
  }
  return AdminReply::Json({{"rotations", out}});
}

}  // namespace sml::server::admin
