#pragma once
// LifecycleTest with regions: calls made "in" another region of the same
// account, and the stored rows of a secret in each region.
#include "tests/unit/api/operations/lifecycle_fixture.h"

namespace sml::api::operations::testing {

inline constexpr char kPrimaryRegion[] = "us-east-1";

class ReplicationTest : public LifecycleTest {
 protected:
  // Runs `op` as if called in `region`.
  nlohmann::json CallIn(const std::string& region, OperationHandler op,
                        const nlohmann::json& input) {
    RequestContext there = context;
    there.region = region;
    return op(there, input, services);
  }
  ApiError FailsIn(const std::string& region, OperationHandler op, const nlohmann::json& input) {
    try {
      CallIn(region, op, input);
    } catch (const ApiError& e) {
      return e;
    }
    ADD_FAILURE() << "no ApiError thrown in " << region << " for " << input.dump();
    return ApiError(ErrorCode::kInternalServiceError, "");
  }

  std::optional<storage::SecretRecord> RecordIn(const std::string& region,
                                                const std::string& name) {
    return store->Read([&](storage::Repository& repo) {
      return repo.FindSecretByName(context.account_id, region, name);
    });
  }

  // A primary in us-east-1 with value "v1" (version Token('a')), replicated
  // to `regions`.
  nlohmann::json CreateReplicated(const std::string& name, std::vector<std::string> regions) {
    nlohmann::json replicas = nlohmann::json::array();
    for (const auto& region : regions) replicas.push_back({{"Region", region}});
    return Call(&CreateSecret, {{"Name", name},
                                {"SecretString", "v1"},
                                {"ClientRequestToken", Token('a')},
                                {"AddReplicaRegions", replicas}});
  }

  nlohmann::json DescribeIn(const std::string& region, const std::string& name) {
    return CallIn(region, &DescribeSecret, {{"SecretId", name}});
  }
  std::string ValueIn(const std::string& region, const std::string& name,
                      nlohmann::json extra = nlohmann::json::object()) {
    extra["SecretId"] = name;
    return CallIn(region, &GetSecretValue, extra)["SecretString"];
  }
};

}  // namespace sml::api::operations::testing
