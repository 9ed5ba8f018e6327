// The SigV4 readers: the Authorization header alone (both auth modes), and a
// whole request (header, X-Amz-Date, presigned query) through Verify.
// Input: header value, then "\n" target, then "\n" X-Amz-Date, then body.
#include <cstdint>
#include <string>
#include <string_view>

#include "api/error.h"
#include "server/auth/sigv4.h"

namespace {

using namespace sml::server;

std::string_view NextLine(std::string_view& text) {
  auto end = text.find('\n');
  std::string_view line = text.substr(0, end);
  text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  return line;
}

const CredentialStore& Credentials() {
  static const CredentialStore store = CredentialStore::Parse(
      "[default]\naws_access_key_id = AKIDEXAMPLE\n"
      "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n"
      "[session]\naws_access_key_id = ASIAEXAMPLE\naws_secret_access_key = s\n"
      "aws_session_token = token\naws_account_id = 111122223333\n",
      "000000000000");
  return store;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string_view header = NextLine(text);
  std::string_view target = NextLine(text);
  std::string_view date = NextLine(text);

  ParseAuthorization(header);
  try {
    CallerIdentity identity = IdentityFromAuthorization(header, "000000000000", "us-east-1");
    // What enters must have the shape everything after relies on.
    if (!IsAccountId(identity.account_id) || !IsRegionName(identity.region)) __builtin_trap();
  } catch (const sml::api::ApiError&) {
  }

  HttpRequestView request{"POST",
                          "/" + std::string(target),
                          {{"Host", "localhost:4566"},
                           {"X-Amz-Date", std::string(date)},
                           {"Authorization", std::string(header)}},
                          std::string(text)};
  if (header.empty()) request.headers.pop_back();  // presigned query, or none
  try {
    CallerIdentity identity = Verify(request, Credentials(), 1'795'627'599'000);
    if (!IsRegionName(identity.region)) __builtin_trap();
  } catch (const sml::api::ApiError&) {
  }
  return 0;
}
