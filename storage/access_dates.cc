#include "storage/access_dates.h"

#include <algorithm>

namespace sml::storage {

void AccessDates::Record(std::int64_t secret_id, std::string_view version_id, EpochMillis day) {
  bool many = false;
  {
    std::lock_guard lock(mutex_);
    EpochMillis& secret = pending_.secrets[secret_id];
    secret = std::max(secret, day);
    auto key = std::pair{secret_id, std::string(version_id)};
    const std::size_t before = pending_.versions.size();
    EpochMillis& version = pending_.versions[std::move(key)];
    version = std::max(version, day);
    any_ = true;
    const std::size_t after = pending_.versions.size();
    many = after != before && after % kFlushEarlyAt == 0;
  }
  if (many && when_many_) when_many_();
}

void AccessDates::Overlay(SecretRecord& secret) const {
  if (!any_) return;
  std::lock_guard lock(mutex_);
  auto it = pending_.secrets.find(secret.id);
  if (it != pending_.secrets.end() && secret.last_accessed_date.value_or(0) < it->second) {
    secret.last_accessed_date = it->second;
  }
}

void AccessDates::Overlay(std::int64_t secret_id, VersionRecord& version) const {
  if (!any_) return;
  std::lock_guard lock(mutex_);
  auto it = pending_.versions.find(
      std::pair<std::int64_t, std::string_view>{secret_id, version.version_id});
  if (it != pending_.versions.end() && version.last_accessed_date.value_or(0) < it->second) {
    version.last_accessed_date = it->second;
  }
}

AccessDates::Batch AccessDates::Pending() const {
  if (!any_) return {};
  std::lock_guard lock(mutex_);
  return pending_;
}

void AccessDates::Forget(const Batch& written) {
  std::lock_guard lock(mutex_);
  for (const auto& [id, day] : written.secrets) {
    auto it = pending_.secrets.find(id);
    if (it != pending_.secrets.end() && it->second <= day) pending_.secrets.erase(it);
  }
  for (const auto& [key, day] : written.versions) {
    auto it = pending_.versions.find(key);
    if (it != pending_.versions.end() && it->second <= day) pending_.versions.erase(it);
  }
  any_ = !pending_.empty();
}

std::size_t AccessDates::PendingVersions() const {
  std::lock_guard lock(mutex_);
  return pending_.versions.size();
}

void AccessDates::Clear() {
  std::lock_guard lock(mutex_);
  pending_ = {};
  any_ = false;
}

}  // namespace sml::storage
