#include "server/identity.h"

#include <algorithm>

namespace sml::server {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }

bool IsAccountId(std::string_view s) {
  return s.size() == 12 && std::all_of(s.begin(), s.end(), IsDigit);
}

// Lower-case letters, digits and hyphens, starting with a letter: enough to
// keep garbage out of ARNs without tracking AWS's list of regions.
bool LooksLikeRegion(std::string_view s) {
  if (s.empty() || s.size() > 32 || !IsLower(s.front())) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return IsLower(c) || IsDigit(c) || c == '-'; });
}

// Splits off the text up to `separator`; nullopt when it is absent.
std::optional<std::string_view> TakeUntil(std::string_view& rest, char separator) {
  auto at = rest.find(separator);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view part = rest.substr(0, at);
  rest.remove_prefix(at + 1);
  return part;
}

}  // namespace

std::optional<CredentialScope> ParseCredentialScope(std::string_view authorization) {
  if (!authorization.starts_with(kAlgorithm)) return std::nullopt;
  std::string_view rest = authorization.substr(kAlgorithm.size());
  if (rest.empty() || rest.front() != ' ') return std::nullopt;
  constexpr std::string_view kCredential = "Credential=";
  auto at = rest.find(kCredential);
  if (at == std::string_view::npos) return std::nullopt;
  // Must begin a parameter: after the algorithm's space or a comma/space.
  if (at == 0 || (rest[at - 1] != ' ' && rest[at - 1] != ',')) return std::nullopt;
  rest.remove_prefix(at + kCredential.size());
  rest = rest.substr(0, std::min(rest.find(','), rest.size()));
  while (!rest.empty() && rest.back() == ' ') rest.remove_suffix(1);

  CredentialScope scope;
  auto akid = TakeUntil(rest, '/');
  auto date = TakeUntil(rest, '/');
  auto region = TakeUntil(rest, '/');
  auto service = TakeUntil(rest, '/');
  if (!akid || !date || !region || !service || rest != "aws4_request") return std::nullopt;
  if (akid->empty() || region->empty() || service->empty()) return std::nullopt;
  return CredentialScope{*akid, *date, *region, *service};
}

CallerIdentity ResolveIdentity(std::string_view authorization, std::string_view default_account,
                               std::string_view default_region) {
  CallerIdentity identity{std::string(default_account), std::string(default_region)};
  if (auto scope = ParseCredentialScope(authorization)) {
    if (IsAccountId(scope->access_key_id)) identity.account_id = scope->access_key_id;
    if (LooksLikeRegion(scope->region)) identity.region = scope->region;
  }
  return identity;
}

}  // namespace sml::server
