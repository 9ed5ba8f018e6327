#pragma once
// A Service over a real in-memory Store, a ManualClock and seeded randomness,
// for the secret lifecycle operation tests.
#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "api/error.h"
#include "api/operations/operations.h"
#include "api/service.h"
#include "storage/store.h"
#include "storage/value_cipher.h"

namespace sml::api::operations::testing {

// Reversible "encryption"; can be told to fail decryption.
class FakeCipher : public storage::ValueCipher {
 public:
  std::string NewWrappedDataKey() override { return "wrapped-key"; }
  std::string Encrypt(std::string_view, std::string_view plaintext, std::string_view) override {
    return "enc:" + std::string(plaintext);
  }
  std::string Decrypt(std::string_view, std::string_view ciphertext, std::string_view) override {
    if (fail_decrypt) throw storage::DecryptionError("tampered");
    return std::string(ciphertext.substr(4));
  }
  bool fail_decrypt = false;
};

class RecordingListener : public ChangeListener {
 public:
  void SecretChanged(std::int64_t secret_id) override { changed.push_back(secret_id); }
  std::vector<std::int64_t> changed;
};

inline constexpr EpochMillis kStart = 1'732'550'400'000;  // 2024-11-25T16:00:00Z

class LifecycleTest : public ::testing::Test {
 protected:
  FakeCipher cipher;
  std::unique_ptr<storage::Store> store =
      storage::Store::Open({.database_file = std::nullopt, .cipher = &cipher});
  ManualClock clock{kStart};
  SeededRandom random{1};
  SeededRandom schedule_random{2};
  RecordingListener listener;
  Services services{*store, clock, random, schedule_random, &listener};
  RequestContext context{"123456789012", "us-east-1", "request-1"};

  nlohmann::json Call(OperationHandler op, const nlohmann::json& input) {
    return op(context, input, services);
  }

  ApiError Fails(OperationHandler op, const nlohmann::json& input) {
    try {
      op(context, input, services);
    } catch (const ApiError& e) {
      return e;
    }
    ADD_FAILURE() << "no ApiError thrown for " << input.dump();
    return ApiError(ErrorCode::kInternalServiceError, "");
  }

  static std::string Token(char c) { return std::string(36, c); }

  // A secret with a first AWSCURRENT version whose id is Token('a').
  nlohmann::json Create(const std::string& name, const std::string& value = "v1") {
    return Call(&CreateSecret,
                {{"Name", name}, {"SecretString", value}, {"ClientRequestToken", Token('a')}});
  }

  nlohmann::json Put(const std::string& name, char token, const std::string& value,
                     std::optional<std::vector<std::string>> stages = std::nullopt) {
    nlohmann::json input = {
        {"SecretId", name}, {"SecretString", value}, {"ClientRequestToken", Token(token)}};
    if (stages) input["VersionStages"] = *stages;
    return Call(&PutSecretValue, input);
  }

  nlohmann::json Get(const std::string& name, nlohmann::json extra = nlohmann::json::object()) {
    extra["SecretId"] = name;
    return Call(&GetSecretValue, extra);
  }

  // VersionId -> stages, from ListSecretVersionIds with deprecated versions.
  std::map<std::string, std::vector<std::string>> StagesOf(const std::string& name) {
    auto out = Call(&ListSecretVersionIds, {{"SecretId", name}, {"IncludeDeprecated", true}});
    std::map<std::string, std::vector<std::string>> map;
    for (const auto& v : out["Versions"]) {
      map[v["VersionId"]] = v.value("VersionStages", std::vector<std::string>{});
    }
    return map;
  }

  std::optional<storage::SecretRecord> Record(const std::string& name) {
    return store->Read([&](storage::Repository& repo) {
      return repo.FindSecretByName(context.account_id, context.region, name);
    });
  }
};

using Stages = std::vector<std::string>;

}  // namespace sml::api::operations::testing
