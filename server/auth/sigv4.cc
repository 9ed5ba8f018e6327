#include "api/text.h"
#include "server/auth/sigv4.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "api/error.h"

namespace sml::server {
namespace {

using api::EqualsIgnoreCase;
using api::Split;
using api::ToLower;
using api::Trim;

using api::ApiError;
using api::ErrorCode;

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
// Secrets Manager's window: "Signature expired: ... (... - 5 min.)" in
// boto/botocore#3587 and boto/boto3#4716 (GetSecretValue).
constexpr std::int64_t kMaxSkewSeconds = 5 * 60;
constexpr std::string_view kInvalidToken = "The security token included in the request is invalid.";
constexpr std::string_view kSignatureMismatch =
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details.";

// --- text helpers (the rest are in api/text.h) ------------------------------

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Trimmed, with every run of whitespace inside reduced to one space.
std::string CollapseSpaces(std::string_view value) {
  std::string out;
  bool pending_space = false;
  for (char c : Trim(value)) {
    if (IsSpace(c)) {
      pending_space = true;
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

std::string Hex(const unsigned char* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 0xF]);
  }
  return out;
}

// RFC 3986 unreserved characters stay; everything else becomes %XX (upper case).
std::string UriEncode(std::string_view text, bool keep_slash) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kDigits[c >> 4]);
      out.push_back(kDigits[c & 0xF]);
    }
  }
  return out;
}

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// Decoded (name, value) pairs in the order sent.
QueryParams ParseQuery(std::string_view query) {
  QueryParams params;
  for (std::string_view piece : Split(query, '&')) {
    if (piece.empty()) continue;
    auto equals = piece.find('=');
    std::string_view name = piece.substr(0, equals);
    std::string_view value = equals == std::string_view::npos ? "" : piece.substr(equals + 1);
    // %XX decoding only: a '+' stays a '+', as AWS reads query strings.
    params.emplace_back(api::PercentDecode(name), api::PercentDecode(value));
  }
  return params;
}

const std::string* FindParam(const QueryParams& params, std::string_view name) {
  for (const auto& [key, value] : params) {
    if (key == name) return &value;
  }
  return nullptr;
}

std::pair<std::string_view, std::string_view> SplitTarget(std::string_view target) {
  auto question = target.find('?');
  if (question == std::string_view::npos) return {target, ""};
  return {target.substr(0, question), target.substr(question + 1)};
}

std::vector<std::string_view> HeaderValues(const HttpRequestView& request, std::string_view name) {
  std::vector<std::string_view> values;
  for (const auto& [key, value] : request.headers) {
    if (EqualsIgnoreCase(key, name)) values.push_back(value);
  }
  return values;
}

std::optional<std::string_view> FirstHeader(const HttpRequestView& request, std::string_view name) {
  auto values = HeaderValues(request, name);
  if (values.empty()) return std::nullopt;
  return values.front();
}

// --- crypto ----------------------------------------------------------------

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out,
           &size) == nullptr) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  return std::string(reinterpret_cast<const char*>(out), size);
}

// --- time ------------------------------------------------------------------

std::optional<int> Digits(std::string_view text, std::size_t at, std::size_t n) {
  if (at + n > text.size()) return std::nullopt;
  int value = 0;
  auto [ptr, ec] = std::from_chars(text.data() + at, text.data() + at + n, value);
  if (ec != std::errc() || ptr != text.data() + at + n) return std::nullopt;
  return value;
}

std::optional<std::int64_t> EpochSeconds(int year, int month, int day, int hour, int minute,
                                         int second) {
  using namespace std::chrono;
  year_month_day ymd{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                     std::chrono::day(static_cast<unsigned>(day))};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60 || hour < 0 || minute < 0 ||
      second < 0) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(sys_days(ymd).time_since_epoch().count()) * 86400 + hour * 3600 +
         minute * 60 + second;
}

// "20150830T123600Z"
std::optional<std::int64_t> ParseAmzDate(std::string_view text) {
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return std::nullopt;
  auto y = Digits(text, 0, 4), mo = Digits(text, 4, 2), d = Digits(text, 6, 2);
  auto h = Digits(text, 9, 2), mi = Digits(text, 11, 2), s = Digits(text, 13, 2);
  if (!y || !mo || !d || !h || !mi || !s) return std::nullopt;
  return EpochSeconds(*y, *mo, *d, *h, *mi, *s);
}

// "Sun, 30 Aug 2015 12:36:00 GMT" (RFC 7231 IMF-fixdate).
std::optional<std::int64_t> ParseHttpDate(std::string_view text) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::string copy(text);
  char month_name[4] = {};
  int day = 0, year = 0, hour = 0, minute = 0, second = 0, consumed = 0;
  if (std::sscanf(copy.c_str(), "%*3s, %d %3s %d %d:%d:%d GMT%n", &day, month_name, &year, &hour,
                  &minute, &second, &consumed) != 6 ||
      consumed != static_cast<int>(copy.size())) {
    return std::nullopt;
  }
  auto month = std::find(kMonths.begin(), kMonths.end(), std::string_view(month_name));
  if (month == kMonths.end()) return std::nullopt;
  return EpochSeconds(year, static_cast<int>(month - kMonths.begin()) + 1, day, hour, minute,
                      second);
}

std::string FormatAmzDate(std::int64_t epoch_seconds) {
  using namespace std::chrono;
  sys_seconds t{seconds(epoch_seconds)};
  auto days = floor<std::chrono::days>(t);
  year_month_day ymd{days};
  hh_mm_ss hms{t - days};
  char out[32];
  std::snprintf(out, sizeof out, "%04d%02u%02uT%02d%02d%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return out;
}

// --- Authorization header --------------------------------------------------

struct HeaderParts {
  SigV4Authorization authorization;
  std::vector<std::string_view> missing;  // in AWS's order: Credential, Signature, SignedHeaders
  std::string bad_credential;             // set when Credential is not 5 elements
  std::string bad_algorithm;
};

// Calls visit(name, value) for each "Name=value" item of an Authorization
// header after its algorithm: comma-separated, each part trimmed.
template <typename Visit>
void ForEachAuthorizationItem(std::string_view items, Visit&& visit) {
  for (bool more = true; more;) {
    const auto comma = items.find(',');
    more = comma != std::string_view::npos;
    std::string_view item = Trim(items.substr(0, comma));
    items.remove_prefix(more ? comma + 1 : items.size());
    const auto equals = item.find('=');
    if (equals != std::string_view::npos) {
      visit(Trim(item.substr(0, equals)), Trim(item.substr(equals + 1)));
    }
  }
}

// keyid/date/region/service/term: exactly five '/'-separated elements.
std::optional<std::array<std::string_view, 5>> CredentialScope(std::string_view value) {
  std::array<std::string_view, 5> scope;
  for (std::size_t i = 0; i < scope.size(); ++i) {
    const auto slash = value.find('/');
    if ((slash == std::string_view::npos) != (i + 1 == scope.size())) return std::nullopt;
    scope[i] = value.substr(0, slash);
    value.remove_prefix(slash == std::string_view::npos ? value.size() : slash + 1);
  }
  return scope;
}

HeaderParts SplitAuthorization(std::string_view header) {
  HeaderParts parts;
  header = Trim(header);
  auto space = header.find(' ');
  std::string_view algorithm = header.substr(0, space);
  if (algorithm != kAlgorithm) {
    parts.bad_algorithm = std::string(algorithm);
    return parts;
  }
  std::string_view rest = space == std::string_view::npos ? "" : header.substr(space + 1);
  bool has_credential = false, has_signature = false, has_signed_headers = false;
  SigV4Authorization& auth = parts.authorization;
  ForEachAuthorizationItem(rest, [&](std::string_view name, std::string_view value) {
    if (name == "Credential") {
      has_credential = true;
      auto scope = CredentialScope(value);
      if (!scope) {
        parts.bad_credential = std::string(value);
        return;
      }
      auth.access_key_id = (*scope)[0];
      auth.date = (*scope)[1];
      auth.region = (*scope)[2];
      auth.service = (*scope)[3];
      auth.terminator = (*scope)[4];
    } else if (name == "SignedHeaders") {
      has_signed_headers = true;
      for (std::string_view h : Split(value, ';')) {
        if (!h.empty()) auth.signed_headers.push_back(ToLower(h));
      }
    } else if (name == "Signature") {
      has_signature = true;
      auth.signature = ToLower(value);
    }
  });
  if (!has_credential) parts.missing.push_back("Credential");
  if (!has_signature) parts.missing.push_back("Signature");
  if (!has_signed_headers) parts.missing.push_back("SignedHeaders");
  return parts;
}

// AWS lists every missing piece, then echoes the header.
std::string IncompleteMessage(const HeaderParts& parts, bool date_missing,
                              std::string_view header) {
  if (!parts.bad_algorithm.empty()) {
    return "Unsupported AWS 'algorithm': '" + parts.bad_algorithm + "'.";
  }
  if (!parts.bad_credential.empty()) {
    return "Credential must have exactly 5 slash-delimited elements, e.g. "
           "keyid/date/region/service/term, got '" +
           parts.bad_credential + "'";
  }
  std::string message;
  for (std::string_view name : parts.missing) {
    message += "Authorization header requires '" + std::string(name) + "' parameter. ";
  }
  if (date_missing) {
    message +=
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  }
  if (message.empty()) return message;
  return message + "Authorization=" + std::string(Trim(header));
}

// --- presigned query -------------------------------------------------------

struct SignedRequest {
  SigV4Authorization authorization;
  std::string amz_date;                 // as signed
  std::string date_source;              // "X-Amz-Date" or "Date"
  std::int64_t request_time = 0;        // epoch seconds
  std::optional<std::int64_t> expires;  // presigned only
  std::optional<std::string> security_token;
};

SignedRequest FromPresignedQuery(const QueryParams& params) {
  static constexpr std::array<std::string_view, 6> kRequired = {
      "X-Amz-Algorithm",     "X-Amz-Credential", "X-Amz-Signature",
      "X-Amz-SignedHeaders", "X-Amz-Date",       "X-Amz-Expires"};
  std::string missing;
  for (std::string_view name : kRequired) {
    if (FindParam(params, name) == nullptr) {
      missing += "AWS query-string parameters must include '" + std::string(name) + "'. ";
    }
  }
  if (!missing.empty()) {
    throw ApiError(ErrorCode::kIncompleteSignature,
                   missing + "Re-examine the query-string parameters.");
  }
  if (*FindParam(params, "X-Amz-Algorithm") != kAlgorithm) {
    throw ApiError(ErrorCode::kIncompleteSignature,
                   "Unsupported AWS 'algorithm': '" + *FindParam(params, "X-Amz-Algorithm") + "'.");
  }
  std::string header = std::string(kAlgorithm) +
                       " Credential=" + *FindParam(params, "X-Amz-Credential") +
                       ", SignedHeaders=" + *FindParam(params, "X-Amz-SignedHeaders") +
                       ", Signature=" + *FindParam(params, "X-Amz-Signature");
  HeaderParts parts = SplitAuthorization(header);
  if (!parts.bad_credential.empty()) {
    throw ApiError(ErrorCode::kIncompleteSignature, IncompleteMessage(parts, false, header));
  }
  SignedRequest signed_request;
  signed_request.authorization = std::move(parts.authorization);
  signed_request.amz_date = *FindParam(params, "X-Amz-Date");
  signed_request.date_source = "X-Amz-Date";
  const std::string& expires = *FindParam(params, "X-Amz-Expires");
  std::int64_t seconds = 0;
  auto [ptr, ec] = std::from_chars(expires.data(), expires.data() + expires.size(), seconds);
  if (ec != std::errc() || ptr != expires.data() + expires.size() || seconds < 0) {
    throw ApiError(ErrorCode::kIncompleteSignature,
                   "X-Amz-Expires must be a non-negative integer, got '" + expires + "'.");
  }
  signed_request.expires = seconds;
  if (const std::string* token = FindParam(params, "X-Amz-Security-Token")) {
    signed_request.security_token = *token;
  }
  return signed_request;
}

SignedRequest FromAuthorizationHeader(const HttpRequestView& request) {
  auto header = FirstHeader(request, "Authorization");
  if (!header || Trim(*header).empty()) {
    throw ApiError(ErrorCode::kMissingAuthenticationToken, "Missing Authentication Token");
  }
  HeaderParts parts = SplitAuthorization(*header);
  auto amz_date = FirstHeader(request, "X-Amz-Date");
  auto http_date = FirstHeader(request, "Date");
  std::string message = IncompleteMessage(parts, !amz_date && !http_date, *header);
  if (!message.empty()) throw ApiError(ErrorCode::kIncompleteSignature, message);

  SignedRequest signed_request;
  signed_request.authorization = std::move(parts.authorization);
  if (amz_date) {
    signed_request.amz_date = std::string(Trim(*amz_date));
    signed_request.date_source = "X-Amz-Date";
  } else {
    auto time = ParseHttpDate(Trim(*http_date));
    if (!time) {
      throw ApiError(ErrorCode::kIncompleteSignature,
                     "Date must be in ISO-8601 'basic format'. Got '" + std::string(*http_date) +
                         "'. See http://en.wikipedia.org/wiki/ISO_8601");
    }
    signed_request.amz_date = FormatAmzDate(*time);
    signed_request.date_source = "Date";
  }
  if (auto token = FirstHeader(request, "X-Amz-Security-Token")) {
    signed_request.security_token = std::string(Trim(*token));
  }
  return signed_request;
}

std::string Scope(const SigV4Authorization& authorization) {
  return authorization.date + "/" + authorization.region + "/" + authorization.service + "/" +
         authorization.terminator;
}

// The region becomes part of every ARN and key the request touches.
void RequireRegionName(const std::string& region) {
  if (!IsRegionName(region)) {
    throw ApiError(ErrorCode::kInvalidSignature,
                   "Credential should be scoped to a valid region, not '" + region + "'. ");
  }
}

std::string RootArn(std::string_view account_id) {
  return "arn:aws:iam::" + std::string(account_id) + ":root";
}

// The path as botocore signs it for every service but S3: dot segments and
// empty segments removed, then each byte outside unreserved and '/' encoded
// again (the received path is already encoded once, hence "double encoding").
std::string CanonicalUri(std::string_view path) {
  if (path.empty()) return "/";
  std::vector<std::string_view> kept;
  for (std::string_view segment : Split(path, '/')) {
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      if (!kept.empty()) kept.pop_back();
      continue;
    }
    kept.push_back(segment);
  }
  std::string normalized = path.front() == '/' ? "/" : "";
  for (std::size_t i = 0; i < kept.size(); ++i) {
    if (i > 0) normalized += '/';
    normalized += kept[i];
  }
  if (path.back() == '/' && !kept.empty()) normalized += '/';
  if (normalized.empty()) normalized = "/";
  return UriEncode(normalized, /*keep_slash=*/true);
}

std::string CanonicalQuery(std::string_view query) {
  QueryParams params = ParseQuery(query);
  bool presigned = FindParam(params, "X-Amz-Algorithm") != nullptr;
  std::vector<std::pair<std::string, std::string>> encoded;
  for (const auto& [name, value] : params) {
    if (presigned && name == "X-Amz-Signature") continue;
    encoded.emplace_back(UriEncode(name, false), UriEncode(value, false));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out += '&';
    out += name + "=" + value;
  }
  return out;
}

}  // namespace

// --- public ----------------------------------------------------------------

ParsedAuthorization ParseAuthorization(std::string_view header) {
  ParsedAuthorization parsed;
  if (Trim(header).empty()) {
    parsed.status = AuthorizationStatus::kMissing;
    parsed.message = "Missing Authentication Token";
    return parsed;
  }
  HeaderParts parts = SplitAuthorization(header);
  parsed.authorization = std::move(parts.authorization);
  parsed.message = IncompleteMessage(parts, /*date_missing=*/false, header);
  parsed.status =
      parsed.message.empty() ? AuthorizationStatus::kOk : AuthorizationStatus::kIncomplete;
  return parsed;
}

CallerIdentity IdentityFromAuthorization(std::string_view header,
                                         std::string_view default_account_id,
                                         std::string_view default_region) {
  // Only the credential scope matters here: the items are read as
  // SplitAuthorization reads them, without building the rest (every request).
  std::string_view access_key_id, region;
  header = Trim(header);
  const auto space = header.find(' ');
  if (header.substr(0, space) == kAlgorithm && space != std::string_view::npos) {
    ForEachAuthorizationItem(header.substr(space + 1),
                             [&](std::string_view name, std::string_view value) {
                               if (name != "Credential") return;
                               if (auto scope = CredentialScope(value)) {
                                 access_key_id = (*scope)[0];
                                 region = (*scope)[2];
                               }
                             });
  }
  CallerIdentity identity;
  identity.access_key_id = access_key_id;
  identity.account_id =
      IsAccountId(access_key_id) ? std::string(access_key_id) : std::string(default_account_id);
  if (region.empty()) {
    identity.region = std::string(default_region);
  } else {
    identity.region = region;
    RequireRegionName(identity.region);
  }
  identity.principal_arn = RootArn(identity.account_id);
  return identity;
}

std::string HexSha256(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  return Hex(digest, size);
}

std::string CanonicalRequest(const HttpRequestView& request,
                             const std::vector<std::string>& signed_headers) {
  auto [path, query] = SplitTarget(request.target);
  std::string out =
      request.method + "\n" + CanonicalUri(path) + "\n" + CanonicalQuery(query) + "\n";
  std::string signed_list;
  for (const std::string& name : signed_headers) {
    std::string joined;
    for (std::string_view value : HeaderValues(request, name)) {
      if (!joined.empty()) joined += ',';
      joined += CollapseSpaces(value);
    }
    out += name + ":" + joined + "\n";
    if (!signed_list.empty()) signed_list += ';';
    signed_list += name;
  }
  // The body's own hash, whatever X-Amz-Content-Sha256 says: a client that
  // signed another hash (UNSIGNED-PAYLOAD, or a captured request's) does not
  // match (Secrets Manager signs every payload).
  out += "\n" + signed_list + "\n" + HexSha256(request.body);
  return out;
}

std::string StringToSign(std::string_view amz_date, const SigV4Authorization& authorization,
                         std::string_view canonical_request) {
  return std::string(kAlgorithm) + "\n" + std::string(amz_date) + "\n" + Scope(authorization) +
         "\n" + HexSha256(canonical_request);
}

namespace {

std::string Sign(std::string_view string_to_sign, const SigV4Authorization& authorization,
                 std::string_view secret_access_key) {
  std::string key = HmacSha256("AWS4" + std::string(secret_access_key), authorization.date);
  key = HmacSha256(key, authorization.region);
  key = HmacSha256(key, authorization.service);
  key = HmacSha256(key, authorization.terminator);
  std::string signature = HmacSha256(key, string_to_sign);
  return Hex(reinterpret_cast<const unsigned char*>(signature.data()), signature.size());
}

}  // namespace

std::string ComputeSignature(const HttpRequestView& request,
                             const SigV4Authorization& authorization, std::string_view amz_date,
                             std::string_view secret_access_key) {
  return Sign(StringToSign(amz_date, authorization,
                           CanonicalRequest(request, authorization.signed_headers)),
              authorization, secret_access_key);
}

CallerIdentity Verify(const HttpRequestView& request, const CredentialStore& credentials,
                      api::EpochMillis now, std::string_view expected_service,
                      std::optional<api::EpochMillis> also_now) {
  QueryParams query = ParseQuery(SplitTarget(request.target).second);
  bool presigned = FindParam(query, "X-Amz-Algorithm") != nullptr &&
                   FirstHeader(request, "Authorization") == std::nullopt;
  SignedRequest signed_request =
      presigned ? FromPresignedQuery(query) : FromAuthorizationHeader(request);
  const SigV4Authorization& auth = signed_request.authorization;

  auto request_time = ParseAmzDate(signed_request.amz_date);
  if (!request_time) {
    throw ApiError(ErrorCode::kIncompleteSignature,
                   "Date must be in ISO-8601 'basic format'. Got '" + signed_request.amz_date +
                       "'. See http://en.wikipedia.org/wiki/ISO_8601");
  }

  const Credential* credential = credentials.Find(auth.access_key_id);
  if (credential == nullptr)
    throw ApiError(ErrorCode::kUnrecognizedClient, std::string(kInvalidToken));
  // A token must be sent exactly when the credential has one, and match it.
  // A copy: value_or returns a temporary, which a string_view would outlive.
  const std::string sent_token = signed_request.security_token.value_or("");
  bool token_ok =
      sent_token.size() == credential->session_token.size() &&
      CRYPTO_memcmp(sent_token.data(), credential->session_token.data(), sent_token.size()) == 0;
  if (!token_ok) throw ApiError(ErrorCode::kUnrecognizedClient, std::string(kInvalidToken));

  std::string request_day = signed_request.amz_date.substr(0, 8);
  if (auth.date != request_day) {
    throw ApiError(ErrorCode::kInvalidSignature,
                   "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
                   "from HTTP: '" +
                       auth.date + "' != '" + request_day + "', from '" +
                       signed_request.date_source + "'.");
  }
  RequireRegionName(auth.region);
  if (auth.service != expected_service) {
    throw ApiError(ErrorCode::kInvalidSignature,
                   "Credential should be scoped to correct service: '" +
                       std::string(expected_service) + "'. ");
  }
  if (auth.terminator != "aws4_request") {
    throw ApiError(ErrorCode::kInvalidSignature,
                   "Credential should be scoped with a valid terminator: 'aws4_request', not '" +
                       auth.terminator + "'. ");
  }
  if (std::find(auth.signed_headers.begin(), auth.signed_headers.end(), "host") ==
          auth.signed_headers.end() &&
      std::find(auth.signed_headers.begin(), auth.signed_headers.end(), ":authority") ==
          auth.signed_headers.end()) {
    throw ApiError(ErrorCode::kInvalidSignature,
                   "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }

  // Skew is measured from whichever accepted now is nearer the request's
  // time: the emulator's, or the wall clock a client signs with after time travel.
  if (also_now && std::llabs(*request_time - *also_now / 1000) < std::llabs(*request_time - now / 1000)) {
    now = *also_now;
  }
  std::int64_t now_seconds = now / 1000;
  std::string request_stamp = FormatAmzDate(*request_time);
  if (signed_request.expires) {
    if (now_seconds > *request_time + *signed_request.expires) {
      throw ApiError(ErrorCode::kInvalidSignature,
                     "Signature expired: " + request_stamp + " is now earlier than " +
                         FormatAmzDate(now_seconds - *signed_request.expires) + " (" +
                         FormatAmzDate(now_seconds) + " - " +
                         std::to_string(*signed_request.expires) + " sec.)");
    }
  } else if (*request_time < now_seconds - kMaxSkewSeconds) {
    throw ApiError(ErrorCode::kInvalidSignature,
                   "Signature expired: " + request_stamp + " is now earlier than " +
                       FormatAmzDate(now_seconds - kMaxSkewSeconds) + " (" +
                       FormatAmzDate(now_seconds) + " - 5 min.)");
  }
  if (*request_time > now_seconds + kMaxSkewSeconds) {
    throw ApiError(ErrorCode::kInvalidSignature,
                   "Signature not yet current: " + request_stamp + " is still later than " +
                       FormatAmzDate(now_seconds + kMaxSkewSeconds) + " (" +
                       FormatAmzDate(now_seconds) + " + 5 min.)");
  }

  const std::string canonical_request = CanonicalRequest(request, auth.signed_headers);
  const std::string string_to_sign = StringToSign(signed_request.amz_date, auth, canonical_request);
  const std::string expected = Sign(string_to_sign, auth, credential->secret_access_key);
  if (expected.size() != auth.signature.size() ||
      CRYPTO_memcmp(expected.data(), auth.signature.data(), expected.size()) != 0) {
    // AWS's whole text (aws-sdk-net#3978 quotes it for GetSecretValue): what
    // the server signed, for the client to compare with its own.
    throw ApiError(ErrorCode::kInvalidSignature,
                   std::string(kSignatureMismatch) +
                       "\n\nThe Canonical String for this request should have been\n'" +
                       canonical_request + "'\n\nThe String-to-Sign should have been\n'" +
                       string_to_sign + "'\n");
  }

  CallerIdentity identity;
  identity.access_key_id = auth.access_key_id;
  identity.account_id = credential->account_id;
  identity.region = auth.region;
  identity.principal_arn = RootArn(identity.account_id);
  return identity;
}

}  // namespace sml::server
