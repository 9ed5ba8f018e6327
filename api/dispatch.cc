// The one table from X-Amz-Target operation names to handlers.
#include <algorithm>
#include <array>
#include <utility>

#include "api/operations/operations.h"

namespace sml::api {
namespace {

using Entry = std::pair<std::string_view, OperationHandler>;

// Sorted by name for binary search.
constexpr std::array kOperations = {
    Entry{"BatchGetSecretValue", &operations::BatchGetSecretValue},
    Entry{"CancelRotateSecret", &operations::CancelRotateSecret},
    Entry{"CreateSecret", &operations::CreateSecret},
    Entry{"DeleteResourcePolicy", &operations::DeleteResourcePolicy},
    Entry{"DeleteSecret", &operations::DeleteSecret},
    Entry{"DescribeSecret", &operations::DescribeSecret},
    Entry{"GetRandomPassword", &operations::GetRandomPassword},
    Entry{"GetResourcePolicy", &operations::GetResourcePolicy},
    Entry{"GetSecretValue", &operations::GetSecretValue},
    Entry{"ListSecretVersionIds", &operations::ListSecretVersionIds},
    Entry{"ListSecrets", &operations::ListSecrets},
    Entry{"PutResourcePolicy", &operations::PutResourcePolicy},
    Entry{"PutSecretValue", &operations::PutSecretValue},
    Entry{"RemoveRegionsFromReplication", &operations::RemoveRegionsFromReplication},
    Entry{"ReplicateSecretToRegions", &operations::ReplicateSecretToRegions},
    Entry{"RestoreSecret", &operations::RestoreSecret},
    Entry{"RotateSecret", &operations::RotateSecret},
    Entry{"StopReplicationToReplica", &operations::StopReplicationToReplica},
    Entry{"TagResource", &operations::TagResource},
    Entry{"UntagResource", &operations::UntagResource},
    Entry{"UpdateSecret", &operations::UpdateSecret},
    Entry{"UpdateSecretVersionStage", &operations::UpdateSecretVersionStage},
    Entry{"ValidateResourcePolicy", &operations::ValidateResourcePolicy},
};

constexpr auto kOperationNames = [] {
  std::array<std::string_view, kOperations.size()> names{};
  for (std::size_t i = 0; i < kOperations.size(); ++i) names[i] = kOperations[i].first;
  return names;
}();

}  // namespace

std::span<const std::string_view> OperationNames() { return kOperationNames; }

OperationHandler FindOperation(std::string_view name) {
  auto it = std::lower_bound(kOperations.begin(), kOperations.end(), name,
                             [](const Entry& e, std::string_view n) { return e.first < n; });
  return it != kOperations.end() && it->first == name ? it->second : nullptr;
}

}  // namespace sml::api
