#pragma once
// A real in-memory Store with a trivial cipher, a manual clock and seeded
// randomness, plus helpers that write secrets straight through the
// repository, for the read-side operation tests.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "api/clock.h"
#include "api/error.h"
#include "api/random.h"
#include "api/service.h"
#include "storage/store.h"
#include "storage/value_cipher.h"

namespace sml::api::testing {

// "Encrypts" by prefixing; a value stored as "corrupt" fails to decrypt.
class FakeCipher final : public storage::ValueCipher {
 public:
  std::string NewWrappedDataKey() override { return "key"; }
  std::string Encrypt(std::string_view, std::string_view plaintext, std::string_view) override {
    return "enc:" + std::string(plaintext);
  }
  std::string Decrypt(std::string_view, std::string_view ciphertext, std::string_view) override {
    if (ciphertext == "enc:corrupt") throw storage::DecryptionError("bad");
    return std::string(ciphertext.substr(4));
  }
};

inline constexpr EpochMillis kStart = 1'700'000'000'000;

class ListingTest : public ::testing::Test {
 protected:
  ListingTest()
      : store_(storage::Store::Open({std::nullopt, &cipher_})),
        clock_(kStart),
        random_(1),
        schedule_random_(2),
        services_{*store_, clock_, random_, schedule_random_} {
    context_.account_id = "000000000000";
    context_.region = "us-east-1";
    context_.request_id = "r";
  }

  // Inserts a secret with one AWSCURRENT string version (unless value is nullopt).
  storage::SecretRecord AddSecret(const std::string& name,
                                  const std::function<void(storage::SecretRecord&)>& edit = {},
                                  std::optional<std::string> value = "v",
                                  std::string account = "000000000000",
                                  std::string region = "us-east-1") {
    storage::SecretRecord secret;
    secret.account_id = account;
    secret.region = region;
    secret.name = name;
    secret.arn = "arn:aws:secretsmanager:" + region + ":" + account + ":secret:" + name + "-Ab12Cd";
    secret.created_date = clock_.Now();
    secret.last_changed_date = clock_.Now();
    if (edit) edit(secret);
    store_->Write([&](storage::Repository& repo) {
      repo.InsertSecret(secret);
      if (value) {
        storage::VersionRecord version;
        version.version_id = "version-" + name;
        version.created_date = secret.created_date;
        version.has_value = true;
        version.secret_string = *value;
        version.labels = {"AWSCURRENT"};
        repo.InsertVersion(secret.id, version);
        repo.ReplaceLabels(secret.id, {version});
      }
    });
    return secret;
  }

  nlohmann::json Call(OperationHandler handler, const nlohmann::json& input) {
    return handler(context_, input, services_);
  }

  ApiError CallError(OperationHandler handler, const nlohmann::json& input) {
    try {
      handler(context_, input, services_);
    } catch (const ApiError& e) {
      return e;
    }
    ADD_FAILURE() << "no ApiError for " << input.dump();
    return ApiError(ErrorCode::kInternalServiceError, "");
  }

  FakeCipher cipher_;
  std::unique_ptr<storage::Store> store_;
  ManualClock clock_;
  SeededRandom random_;
  SeededRandom schedule_random_;
  Services services_;
  RequestContext context_;
};

}  // namespace sml::api::testing
