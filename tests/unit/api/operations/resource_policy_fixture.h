#pragma once
// The resource-policy operations over a real in-memory Store, a ManualClock
// and seeded randomness. Secrets are inserted through the repository so these
// tests depend on no other operation.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/error.h"
#include "api/operations/operations.h"
#include "api/service.h"
#include "storage/store.h"
#include "storage/value_cipher.h"
#include "lifecycle_fixture.h"  // FakeCipher, RecordingListener

namespace sml::api::operations::testing {

inline constexpr EpochMillis kCreated = kStart;  // the fixture clock's now
inline constexpr char kAccount[] = "123456789012";
inline constexpr char kRegion[] = "us-east-1";

// Grants another account read access: valid and not public.
inline const std::string kPrivatePolicy =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
    R"("Principal":{"AWS":"arn:aws:iam::111122223333:root"},)"
    R"("Action":"secretsmanager:GetSecretValue","Resource":"*"}]})";

// Grants everyone access without a limiting condition.
inline const std::string kPublicPolicy =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*",)"
    R"("Action":"secretsmanager:GetSecretValue","Resource":"*"}]})";

// The lifecycle fixture (in-memory Store, ManualClock, seeded randomness,
// Call/Fails), plus secrets inserted straight through the repository so these
// tests depend on no other operation.
class ResourcePolicyTest : public LifecycleTest {
 protected:
  // Inserts a secret named `name` (ARN suffix "AbCdEf"); `edit` may adjust it first.
  storage::SecretRecord Insert(const std::string& name,
                               const std::function<void(storage::SecretRecord&)>& edit = {}) {
    storage::SecretRecord secret;
    secret.account_id = kAccount;
    secret.region = kRegion;
    secret.name = name;
    secret.arn = Arn(name);
    secret.created_date = kCreated;
    secret.last_changed_date = kCreated;
    if (edit) edit(secret);
    store->Write([&](storage::Repository& repo) { repo.InsertSecret(secret); });
    return secret;
  }

  static std::string Arn(const std::string& name) {
    return std::string("arn:aws:secretsmanager:") + kRegion + ":" + kAccount + ":secret:" + name +
           "-AbCdEf";
  }

  storage::SecretRecord Stored(std::int64_t id) {
    return *store->Read([&](storage::Repository& repo) { return repo.FindSecretById(id); });
  }
};

inline constexpr char kMarkedForDeletion[] =
    "You can't perform this operation on the secret because it was marked for deletion.";
inline constexpr char kReplicaRefused[] =
    "Operation not permitted on a replica secret. Call must be made in primary secret's region.";
inline constexpr char kNotFound[] = "Secrets Manager can't find the specified secret.";

}  // namespace sml::api::operations::testing
