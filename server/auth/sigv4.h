#pragma once
// AWS Signature Version 4: reading the Authorization header (both auth
// modes) and verifying a request against a CredentialStore (`--auth sigv4`).
//
// Contract:
// - ParseAuthorization never throws; it reports what is wrong.
// - IdentityFromAuthorization: without verification the account is the
//   access key id when that is 12 digits, else the default; the region is the
//   credential scope's, else the default. It throws only for a credential
//   scope whose region is not a region name (InvalidSignature, as Verify).
// - Verify throws sml::api::ApiError with the code and message AWS sends
//   (MissingAuthenticationToken, IncompleteSignature, UnrecognizedClient,
//   InvalidSignature) and returns the caller's identity on success.
// Everything here is a pure function of its arguments (time comes in as
// `now`, the emulator clock), so it is thread-safe.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/clock.h"
#include "server/auth/credentials.h"

namespace sml::server {

// The parts of "AWS4-HMAC-SHA256 Credential=<akid>/<date>/<region>/<service>/aws4_request,
// SignedHeaders=a;b, Signature=<hex>" (or of the presigned X-Amz-* query parameters).
struct SigV4Authorization {
  std::string access_key_id;
  std::string date;  // yyyymmdd, from the credential scope
  std::string region;
  std::string service;
  std::string terminator;                   // "aws4_request" when well-formed
  std::vector<std::string> signed_headers;  // lower-case, as listed
  std::string signature;                    // lower-case hex as sent
};

enum class AuthorizationStatus {
  kOk,
  kMissing,     // no Authorization header at all
  kIncomplete,  // present but malformed; `message` is AWS's wording
};

struct ParsedAuthorization {
  AuthorizationStatus status = AuthorizationStatus::kMissing;
  std::string message;  // empty when kOk
  SigV4Authorization authorization;
};

// Parses an Authorization header value. `message` for kIncomplete is AWS's,
// e.g. "Authorization header requires 'Signature' parameter. Authorization=<header>".
ParsedAuthorization ParseAuthorization(std::string_view header);

struct CallerIdentity {
  std::string access_key_id;  // empty when the request carried none
  std::string account_id;
  std::string region;
  // "arn:aws:iam::<account>:root" (the emulator has no IAM users).
  std::string principal_arn;
};

// Identity for `--auth off`: no verification.
CallerIdentity IdentityFromAuthorization(std::string_view header,
                                         std::string_view default_account_id,
                                         std::string_view default_region);

// A request as received. `target` is the path and query exactly as sent
// (still percent-encoded). Header names compare case-insensitively and may
// repeat.
struct HttpRequestView {
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// Verifies the request's signature (Authorization header, or presigned
// X-Amz-Algorithm/X-Amz-Credential/... query parameters) and returns the
// credential's identity: account from the credential (the store fills the
// server default), region from the scope.
// Checks, in order: header present and well-formed; X-Amz-Date (or Date)
// present and parseable; access key known; session token matches the
// credential's (X-Amz-Security-Token; must be absent when the credential has
// none); scope date equals the request date; scope service is
// `expected_service`; scope terminator; request time within 5 minutes of
// `now` (presigned: not past X-Amz-Expires); signature (constant-time).
CallerIdentity Verify(const HttpRequestView& request, const CredentialStore& credentials,
                      api::EpochMillis now, std::string_view expected_service = "secretsmanager",
                      std::optional<api::EpochMillis> also_now = std::nullopt);

// --- The SigV4 steps, exposed for tests and diagnostics -------------------

// Lower-case hex SHA-256.
std::string HexSha256(std::string_view data);

// The canonical request for `authorization.signed_headers`. For presigned
// requests the X-Amz-Signature query parameter is left out.
std::string CanonicalRequest(const HttpRequestView& request,
                             const std::vector<std::string>& signed_headers);

// "AWS4-HMAC-SHA256\n<amz_date>\n<scope>\n<hex sha256 of canonical request>".
std::string StringToSign(std::string_view amz_date, const SigV4Authorization& authorization,
                         std::string_view canonical_request);

// Lower-case hex signature over the request with the given secret.
std::string ComputeSignature(const HttpRequestView& request,
                             const SigV4Authorization& authorization, std::string_view amz_date,
                             std::string_view secret_access_key);

}  // namespace sml::server
