#include "storage/access_dates.h"

#include <algorithm>
#include <optional>

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

namespace {

template <typename Map, typename Key>
void MoveForward(const Map& dates, const Key& key, std::optional<EpochMillis>& date) {
  auto it = dates.find(key);
  if (it != dates.end() && date.value_or(0) < it->second) date = it->second;
}

template <typename Map>
void MergeLater(Map& into, const Map& from) {
  for (const auto& [key, day] : from) {
    auto [it, added] = into.emplace(key, day);
    if (!added) it->second = std::max(it->second, day);
  }
}

}  // namespace

void AccessDates::Overlay(SecretRecord& secret) const {
  if (!any_) return;
  std::lock_guard lock(mutex_);
  MoveForward(pending_.secrets, secret.id, secret.last_accessed_date);
  if (taken_) MoveForward(taken_->secrets, secret.id, secret.last_accessed_date);
}

void AccessDates::Overlay(std::int64_t secret_id, VersionRecord& version) const {
  if (!any_) return;
  const std::pair<std::int64_t, std::string_view> key{secret_id, version.version_id};
  std::lock_guard lock(mutex_);
  MoveForward(pending_.versions, key, version.last_accessed_date);
  if (taken_) MoveForward(taken_->versions, key, version.last_accessed_date);
}

std::shared_ptr<const AccessDates::Batch> AccessDates::Take() {
  if (!any_) return nullptr;
  auto batch = std::make_shared<Batch>();
  std::lock_guard lock(mutex_);
  if (pending_.empty()) return nullptr;
  std::swap(*batch, pending_);
  taken_ = batch;
  return batch;
}

void AccessDates::Finish(const std::shared_ptr<const Batch>& batch, bool written) {
  std::shared_ptr<const Batch> done;  // freed outside the lock
  std::lock_guard lock(mutex_);
  if (taken_ != batch) return;  // cleared meanwhile (Clear)
  if (!written) {
    MergeLater(pending_.secrets, batch->secrets);
    MergeLater(pending_.versions, batch->versions);
  }
  done = std::move(taken_);
  any_ = !pending_.empty();
}

std::size_t AccessDates::PendingVersions() const {
  std::lock_guard lock(mutex_);
  return pending_.versions.size() + (taken_ ? taken_->versions.size() : 0);
}

void AccessDates::Clear() {
  std::lock_guard lock(mutex_);
  pending_ = {};
  taken_.reset();
  any_ = false;
}

}  // namespace sml::storage
