#pragma once
// Who is calling: the account and region a request acts in, read from the
// SigV4 Authorization header's credential scope
//   AWS4-HMAC-SHA256 Credential=<AKID>/<yyyymmdd>/<region>/<service>/aws4_request, ...
// This only reads the header; verifying the signature is server/auth's job
// (--auth sigv4). ParseCredentialScope can delegate to server/auth's parser
// once that lands; its contract stays.
#include <optional>
#include <string>
#include <string_view>

namespace sml::server {

// Views into the header passed in; valid while it is.
struct CredentialScope {
  std::string_view access_key_id;
  std::string_view date;
  std::string_view region;
  std::string_view service;
};

// nullopt unless `authorization` is an AWS4-HMAC-SHA256 header with a
// well-formed Credential=AKID/date/region/service/aws4_request.
std::optional<CredentialScope> ParseCredentialScope(std::string_view authorization);

struct CallerIdentity {
  std::string account_id;
  std::string region;
};

// The emulator convention (BEHAVIOR.md §1): a 12-digit access key id is the
// account, any other uses `default_account`; the scope's region if it looks
// like a region name, else `default_region`.
CallerIdentity ResolveIdentity(std::string_view authorization, std::string_view default_account,
                               std::string_view default_region);

}  // namespace sml::server
