// How the lookup applies cross-account rules (api/model/access.h) over a
// real in-memory Store.
#include <gtest/gtest.h>

#include "api/error.h"
#include "api/model/secret_lookup.h"
#include "storage/store.h"

namespace sml::api::model {
namespace {

class PlainCipher : public storage::ValueCipher {
 public:
  std::string NewWrappedDataKey() override { return "k"; }
  std::string Encrypt(std::string_view, std::string_view plaintext, std::string_view) override {
    return std::string(plaintext);
  }
  std::string Decrypt(std::string_view, std::string_view ciphertext, std::string_view) override {
    return std::string(ciphertext);
  }
};

constexpr char kOwner[] = "123456789012";
constexpr char kCaller[] = "111122223333";
constexpr char kArn[] = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf";
constexpr char kPartialArn[] = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db";

class SecretLookupAccessTest : public ::testing::Test {
 protected:
  PlainCipher cipher;
  std::unique_ptr<storage::Store> store =
      storage::Store::Open({.database_file = std::nullopt, .cipher = &cipher});
  RequestContext caller{kCaller, "us-east-1", "request-1"};

  void SetUp() override {
    caller.enforce_resource_policies = true;
    caller.action = "secretsmanager:GetSecretValue";
  }

  void InsertOwnersSecret(std::optional<std::string> policy,
                          const std::function<void(storage::SecretRecord&)>& edit = {}) {
    storage::SecretRecord secret;
    secret.account_id = kOwner;
    secret.region = "us-east-1";
    secret.name = "db";
    secret.arn = kArn;
    secret.resource_policy = std::move(policy);
    if (edit) edit(secret);
    store->Write([&](storage::Repository& repo) { repo.InsertSecret(secret); });
  }

  template <class Lookup>
  ErrorCode FailureOf(Lookup lookup, std::string_view secret_id) {
    try {
      store->Read([&](storage::Repository& repo) { lookup(repo, caller, secret_id); });
    } catch (const ApiError& e) {
      return e.code();
    }
    ADD_FAILURE() << "no ApiError for " << secret_id;
    return ErrorCode::kInternalServiceError;
  }
};

const std::string kAllowCaller =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},)"
    R"("Action":"secretsmanager:GetSecretValue","Resource":"*"}]})";

TEST_F(SecretLookupAccessTest, Enforced_FullArnAndAllowingPolicy_FindsAnotherAccountsSecret) {
  InsertOwnersSecret(kAllowCaller);
  auto secret =
      store->Read([&](storage::Repository& repo) { return RequireSecret(repo, caller, kArn); });
  EXPECT_EQ(secret.arn, kArn);
}

TEST_F(SecretLookupAccessTest, Enforced_PartialArnOfAnotherAccount_IsNotFound) {
  InsertOwnersSecret(kAllowCaller);
  EXPECT_FALSE(store->Read(
      [&](storage::Repository& repo) { return FindSecret(repo, caller, kPartialArn); }));
  EXPECT_EQ(FailureOf(&RequireSecret, kPartialArn), ErrorCode::kResourceNotFound);
}

TEST_F(SecretLookupAccessTest, NotEnforced_PartialArnOfAnotherAccount_IsFound) {
  InsertOwnersSecret(std::nullopt);
  caller.enforce_resource_policies = false;
  auto secret = store->Read(
      [&](storage::Repository& repo) { return RequireSecret(repo, caller, kPartialArn); });
  EXPECT_EQ(secret.arn, kArn);
}

TEST_F(SecretLookupAccessTest, Enforced_NameOnlyLooksInTheCallersAccount) {
  InsertOwnersSecret(kAllowCaller);
  EXPECT_EQ(FailureOf(&RequireSecret, "db"), ErrorCode::kResourceNotFound);
}

TEST_F(SecretLookupAccessTest, Enforced_NoPolicy_IsAccessDeniedBeforeDeletionState) {
  InsertOwnersSecret(std::nullopt, [](storage::SecretRecord& s) { s.deleted_date = 1; });
  EXPECT_EQ(FailureOf(&RequireSecret, kArn), ErrorCode::kAccessDenied);
  EXPECT_EQ(FailureOf(&RequireLiveSecret, kArn), ErrorCode::kAccessDenied);
}

TEST_F(SecretLookupAccessTest, Enforced_ActionTheContextNames_IsTheOneChecked) {
  InsertOwnersSecret(kAllowCaller);
  caller.action = "secretsmanager:PutSecretValue";
  EXPECT_EQ(FailureOf(&RequireSecret, kArn), ErrorCode::kAccessDenied);
}

TEST_F(SecretLookupAccessTest, RequireWritableSecret_RefusesAReplica) {
  caller.account_id = kOwner;
  InsertOwnersSecret(std::nullopt,
                     [](storage::SecretRecord& s) { s.primary_region = "eu-west-1"; });
  try {
    store->Read([&](storage::Repository& repo) { RequireWritableSecret(repo, caller, "db"); });
    ADD_FAILURE() << "a replica was writable";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidParameter);
    EXPECT_STREQ(e.what(),
                 "Operation not permitted on a replica secret. Call must be made in primary "
                 "secret's region.");
  }
}

TEST_F(SecretLookupAccessTest, RequireWritableSecret_AcceptsAPrimaryAndRefusesDeletedFirst) {
  caller.account_id = kOwner;
  InsertOwnersSecret(std::nullopt);
  EXPECT_EQ(store
                ->Read([&](storage::Repository& repo) {
                  return RequireWritableSecret(repo, caller, "db");
                })
                .name,
            "db");
  store->Write([&](storage::Repository& repo) {
    auto secret = *repo.FindSecretByArn(kArn);
    secret.deleted_date = 1;
    secret.primary_region = "eu-west-1";
    repo.UpdateSecret(secret);
  });
  EXPECT_EQ(FailureOf(&RequireWritableSecret, "db"), ErrorCode::kInvalidRequest);
}

}  // namespace
}  // namespace sml::api::model
