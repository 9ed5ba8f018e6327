#pragma once
// The access keys the server accepts with `--auth sigv4`, read from an AWS
// shared-credentials file:
//
//   [default]                                   ; or [profile name]
//   aws_access_key_id = AKIAIOSFODNN7EXAMPLE
//   aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
//   aws_session_token = ...                     # optional
//   aws_account_id = 111122223333               # optional; default account
//
// Lines starting with '#' or ';' are comments. Other keys (region, output,
// role_arn, ...) are ignored, and so are sections without an access key.
// A malformed file is a std::runtime_error naming the file and line.
// A store is immutable once built, so it is safe to share between threads.
#include <map>
#include <string>
#include <string_view>

namespace sml::server {

// The identity names a request carries, checked where they enter (the
// credentials file, the configuration, the SigV4 credential scope) so that
// nothing deeper ever holds another shape.
// Exactly 12 ASCII digits.
bool IsAccountId(std::string_view text);
// An AWS region name: a two-letter prefix, one or more words, a number of one
// or two digits (us-east-1, us-gov-west-1, cn-north-1, eu-isoe-west-1).
bool IsRegionName(std::string_view text);

struct Credential {
  std::string profile;
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty: requests must not carry a token
  std::string account_id;     // 12 digits
};

class CredentialStore {
 public:
  CredentialStore() = default;

  // Reads `path`; throws std::runtime_error if it cannot be read or is malformed.
  static CredentialStore LoadFile(const std::string& path, std::string_view default_account_id);
  // Parses file contents; `source` names the file in error messages.
  static CredentialStore Parse(std::string_view text, std::string_view default_account_id,
                               std::string_view source = "credentials");

  // Throws std::invalid_argument when the access key id is already present.
  void Add(Credential credential);

  // nullptr when the access key id is unknown.
  const Credential* Find(std::string_view access_key_id) const;
  // A credential of that account without a session token (a rotation
  // handler calls back with it), or nullptr.
  const Credential* FindForAccount(std::string_view account_id) const;
  std::size_t size() const { return by_access_key_.size(); }

 private:
  std::map<std::string, Credential, std::less<>> by_access_key_;
};

}  // namespace sml::server
