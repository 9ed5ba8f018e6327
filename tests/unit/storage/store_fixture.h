#pragma once
// Test helpers for the storage units: a fake ValueCipher (XOR + an
// authentication tag over key and context; mocks below the unit), a scratch
// directory, and record builders.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "storage/store.h"
#include "storage/value_cipher.h"

namespace sml::storage::testing {

class FakeCipher : public ValueCipher {
 public:
  std::string NewWrappedDataKey() override {
    return "wrapped-key-" + std::to_string(++keys_issued_);
  }
  std::string Encrypt(std::string_view wrapped_key, std::string_view plaintext,
                      std::string_view context) override {
    std::string out = Tag(wrapped_key, context);
    for (char c : plaintext) out.push_back(static_cast<char>(c ^ kMask));
    return out;
  }
  std::string Decrypt(std::string_view wrapped_key, std::string_view ciphertext,
                      std::string_view context) override {
    const std::string tag = Tag(wrapped_key, context);
    if (fail_decrypt || !ciphertext.starts_with(tag)) throw DecryptionError("tag mismatch");
    std::string out;
    for (char c : ciphertext.substr(tag.size())) out.push_back(static_cast<char>(c ^ kMask));
    ++decryptions;
    return out;
  }

  std::atomic<bool> fail_decrypt = false;
  std::atomic<int> decryptions = 0;

 private:
  static constexpr char kMask = 0x5A;
  static std::string Tag(std::string_view key, std::string_view context) {
    std::string input(key);
    input.append("|").append(context);
    return "T" + std::to_string(std::hash<std::string>{}(input)) + ":";
  }
  std::atomic<int> keys_issued_ = 0;
};

// A directory under the system temp dir, removed with everything in it.
class ScratchDir {
 public:
  ScratchDir() {
    static std::atomic<int> counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("sml-storage-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::unique_ptr<Store> OpenInMemory(ValueCipher& cipher) {
  return Store::Open(StoreOptions{std::nullopt, &cipher});
}

inline std::unique_ptr<Store> OpenFile(const std::filesystem::path& file, ValueCipher& cipher) {
  return Store::Open(StoreOptions{file, &cipher});
}

inline SecretRecord MakeSecret(const std::string& name, EpochMillis created = 1000,
                               const std::string& account = "000000000000",
                               const std::string& region = "us-east-1") {
  SecretRecord secret;
  secret.account_id = account;
  secret.region = region;
  secret.name = name;
  secret.arn = "arn:aws:secretsmanager:" + region + ":" + account + ":secret:" + name + "-AbCdEf";
  secret.created_date = created;
  secret.last_changed_date = created;
  return secret;
}

inline VersionRecord MakeVersion(const std::string& version_id, EpochMillis created,
                                 std::optional<std::string> secret_string = std::nullopt) {
  VersionRecord version;
  version.version_id = version_id;
  version.created_date = created;
  version.secret_string = std::move(secret_string);
  return version;
}

// Inserts and returns the secret (with its id).
inline SecretRecord Insert(Store& store, SecretRecord secret) {
  store.Write([&](Repository& repo) { repo.InsertSecret(secret); });
  return secret;
}

}  // namespace sml::storage::testing
