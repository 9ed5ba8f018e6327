#include "api/text.h"
#include "server/auth/credentials.h"

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace sml::server {
namespace {

using api::ToLower;
using api::Trim;

// One [section] while it is being read.
struct PendingProfile {
  std::string name;
  int line = 0;
  Credential credential;
  bool has_key = false, has_secret = false;
};

class FileParser {
 public:
  FileParser(std::string_view default_account_id, std::string_view source)
      : default_account_id_(default_account_id), source_(source) {}

  CredentialStore Run(std::string_view text) {
    int line_number = 0;
    while (!text.empty()) {
      ++line_number;
      auto end = text.find('\n');
      std::string_view line = Trim(text.substr(0, end));
      text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
      if (line.empty() || line.front() == '#' || line.front() == ';') continue;
      if (line.front() == '[') {
        StartSection(line, line_number);
      } else {
        ReadKeyValue(line, line_number);
      }
    }
    FinishSection();
    return std::move(store_);
  }

 private:
  [[noreturn]] void Fail(int line, const std::string& what) const {
    throw std::runtime_error(std::string(source_) + " line " + std::to_string(line) + ": " + what);
  }

  void StartSection(std::string_view line, int line_number) {
    if (line.back() != ']') Fail(line_number, "expected '[profile]'");
    std::string_view name = Trim(line.substr(1, line.size() - 2));
    if (name.starts_with("profile ")) name = Trim(name.substr(8));  // config-file spelling
    if (name.empty()) Fail(line_number, "empty profile name");
    FinishSection();
    current_ = PendingProfile{};
    current_->name = std::string(name);
    current_->line = line_number;
    current_->credential.profile = current_->name;
  }

  void ReadKeyValue(std::string_view line, int line_number) {
    auto equals = line.find('=');
    if (equals == std::string_view::npos) Fail(line_number, "expected 'key = value'");
    if (!current_) Fail(line_number, "'key = value' before any [profile] section");
    std::string key = ToLower(Trim(line.substr(0, equals)));
    std::string value(Trim(line.substr(equals + 1)));
    Credential& credential = current_->credential;
    if (key == "aws_access_key_id") {
      credential.access_key_id = value;
      current_->has_key = !value.empty();
    } else if (key == "aws_secret_access_key") {
      credential.secret_access_key = value;
      current_->has_secret = !value.empty();
    } else if (key == "aws_session_token") {
      credential.session_token = value;
    } else if (key == "aws_account_id") {
      if (!IsAccountId(value)) Fail(line_number, "aws_account_id must be 12 digits");
      credential.account_id = value;
    }
  }

  void FinishSection() {
    if (!current_) return;
    PendingProfile profile = std::move(*current_);
    current_.reset();
    if (!profile.has_key && !profile.has_secret) return;  // e.g. a role profile
    if (!profile.has_key)
      Fail(profile.line, "profile [" + profile.name + "] has no aws_access_key_id");
    if (!profile.has_secret) {
      Fail(profile.line, "profile [" + profile.name + "] has no aws_secret_access_key");
    }
    if (profile.credential.account_id.empty()) {
      profile.credential.account_id = std::string(default_account_id_);
    }
    if (store_.Find(profile.credential.access_key_id) != nullptr) {
      Fail(profile.line, "access key id of profile [" + profile.name + "] is used twice");
    }
    store_.Add(std::move(profile.credential));
  }

  std::string_view default_account_id_;
  std::string_view source_;
  std::optional<PendingProfile> current_;
  CredentialStore store_;
};

}  // namespace

bool IsAccountId(std::string_view text) {
  return text.size() == 12 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsRegionName(std::string_view text) {
  // Words of lower-case letters joined by '-', the first of two letters,
  // then a number of one or two digits: "us-east-1", "ap-southeast-22".
  auto is_lower = [](char c) { return c >= 'a' && c <= 'z'; };
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  const auto last_dash = text.rfind('-');
  if (last_dash == std::string_view::npos) return false;
  std::string_view number = text.substr(last_dash + 1);
  if (number.empty() || number.size() > 2 || !std::all_of(number.begin(), number.end(), is_digit)) {
    return false;
  }
  std::string_view words = text.substr(0, last_dash);
  std::size_t count = 0;
  for (std::size_t start = 0;; ++count) {
    const auto dash = words.find('-', start);
    std::string_view word = words.substr(start, dash - start);
    if (word.empty() || !std::all_of(word.begin(), word.end(), is_lower)) return false;
    if (count == 0 && word.size() != 2) return false;
    if (dash == std::string_view::npos) break;
    start = dash + 1;
  }
  return count + 1 >= 2;  // at least two words before the number
}

CredentialStore CredentialStore::LoadFile(const std::string& path,
                                          std::string_view default_account_id) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot read credentials file " + path);
  std::ostringstream contents;
  contents << file.rdbuf();
  return Parse(contents.str(), default_account_id, path);
}

CredentialStore CredentialStore::Parse(std::string_view text, std::string_view default_account_id,
                                       std::string_view source) {
  return FileParser(default_account_id, source).Run(text);
}

void CredentialStore::Add(Credential credential) {
  std::string key = credential.access_key_id;
  if (!by_access_key_.emplace(key, std::move(credential)).second) {
    throw std::invalid_argument("duplicate access key id " + key);
  }
}

const Credential* CredentialStore::Find(std::string_view access_key_id) const {
  auto found = by_access_key_.find(access_key_id);
  return found == by_access_key_.end() ? nullptr : &found->second;
}

const Credential* CredentialStore::FindForAccount(std::string_view account_id) const {
  for (const auto& [key, credential] : by_access_key_) {
    if (credential.account_id == account_id && credential.session_token.empty()) return &credential;
  }
  return nullptr;
}

}  // namespace sml::server
