// The one table from X-Amz-Target operation names to handlers.
#include <algorithm>
#include <array>
#include <utility>

#include "api/operations/operations.h"

namespace sml::api {
namespace {

// Whether an operation may write: a write waits for the store's group
// commit, so the server runs it off its I/O threads.
enum Access : bool { kReads = false, kWrites = true };

struct Entry {
  std::string_view name;
  OperationHandler handler;
  Access access;
};

// Sorted by name for binary search.
constexpr std::array kOperations = {
    Entry{"BatchGetSecretValue", &operations::BatchGetSecretValue, kReads},
    Entry{"CancelRotateSecret", &operations::CancelRotateSecret, kWrites},
    Entry{"CreateSecret", &operations::CreateSecret, kWrites},
    Entry{"DeleteResourcePolicy", &operations::DeleteResourcePolicy, kWrites},
    Entry{"DeleteSecret", &operations::DeleteSecret, kWrites},
    Entry{"DescribeSecret", &operations::DescribeSecret, kReads},
    Entry{"GetRandomPassword", &operations::GetRandomPassword, kReads},
    Entry{"GetResourcePolicy", &operations::GetResourcePolicy, kReads},
    Entry{"GetSecretValue", &operations::GetSecretValue, kReads},
    Entry{"ListSecretVersionIds", &operations::ListSecretVersionIds, kReads},
    Entry{"ListSecrets", &operations::ListSecrets, kReads},
    Entry{"PutResourcePolicy", &operations::PutResourcePolicy, kWrites},
    Entry{"PutSecretValue", &operations::PutSecretValue, kWrites},
    Entry{"RemoveRegionsFromReplication", &operations::RemoveRegionsFromReplication, kWrites},
    Entry{"ReplicateSecretToRegions", &operations::ReplicateSecretToRegions, kWrites},
    Entry{"RestoreSecret", &operations::RestoreSecret, kWrites},
    Entry{"RotateSecret", &operations::RotateSecret, kWrites},
    Entry{"StopReplicationToReplica", &operations::StopReplicationToReplica, kWrites},
    Entry{"TagResource", &operations::TagResource, kWrites},
    Entry{"UntagResource", &operations::UntagResource, kWrites},
    Entry{"UpdateSecret", &operations::UpdateSecret, kWrites},
    Entry{"UpdateSecretVersionStage", &operations::UpdateSecretVersionStage, kWrites},
    Entry{"ValidateResourcePolicy", &operations::ValidateResourcePolicy, kReads},
};

constexpr auto kOperationNames = [] {
  std::array<std::string_view, kOperations.size()> names{};
  for (std::size_t i = 0; i < kOperations.size(); ++i) names[i] = kOperations[i].name;
  return names;
}();

}  // namespace

std::span<const std::string_view> OperationNames() { return kOperationNames; }

static const Entry* Find(std::string_view name) {
  auto it = std::lower_bound(kOperations.begin(), kOperations.end(), name,
                             [](const Entry& e, std::string_view n) { return e.name < n; });
  return it != kOperations.end() && it->name == name ? &*it : nullptr;
}

OperationHandler FindOperation(std::string_view name) {
  const Entry* entry = Find(name);
  return entry != nullptr ? entry->handler : nullptr;
}

bool OperationMayWrite(std::string_view name) {
  const Entry* entry = Find(name);
  return entry != nullptr && entry->access == kWrites;
}

}  // namespace sml::api
