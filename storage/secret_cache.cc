#include "storage/secret_cache.h"

#include <openssl/crypto.h>

#include <cstring>

namespace sml::storage {

CachedSecret::~CachedSecret() {
  // Leave no copy of a value behind.
  for (VersionRecord& version : labelled) {
    for (auto* value : {&version.secret_string, &version.secret_binary}) {
      if (value->has_value()) OPENSSL_cleanse((*value)->data(), (*value)->size());
    }
  }
}

std::string SecretCache::NameKey(std::string_view account_id, std::string_view region,
                                 std::string_view name) {
  // Account ids and regions never contain NUL, so the key is unambiguous.
  std::string key;
  key.reserve(account_id.size() + region.size() + name.size() + 2);
  key.append(account_id).append(1, '\0').append(region).append(1, '\0').append(name);
  return key;
}

SecretCache::Lookup SecretCache::Hit(std::int64_t id) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return {nullptr, generation_};
  it->second.referenced = true;
  return {it->second.secret, generation_};
}

SecretCache::Lookup SecretCache::FindByName(std::string_view account_id, std::string_view region,
                                            std::string_view name) {
  const std::string key = NameKey(account_id, region, name);
  std::lock_guard lock(mutex_);
  auto it = by_name_.find(key);
  if (it == by_name_.end()) return {nullptr, generation_};
  return Hit(it->second);
}

SecretCache::Lookup SecretCache::FindByArn(std::string_view arn) {
  std::lock_guard lock(mutex_);
  auto it = by_arn_.find(std::string(arn));
  if (it == by_arn_.end()) return {nullptr, generation_};
  return Hit(it->second);
}

SecretCache::Lookup SecretCache::FindById(std::int64_t id) {
  std::lock_guard lock(mutex_);
  return Hit(id);
}

std::uint64_t SecretCache::generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

void SecretCache::Offer(CachedSecretPtr secret, std::uint64_t generation) {
  if (capacity_ == 0 || !secret) return;
  std::lock_guard lock(mutex_);
  if (generation != generation_ || generation_ % 2 != 0) return;  // a commit began since
  const std::int64_t id = secret->secret.id;
  if (entries_.contains(id)) return;  // another reader was first; same snapshot
  Place(id);
  by_name_[NameKey(secret->secret.account_id, secret->secret.region, secret->secret.name)] = id;
  by_arn_[secret->secret.arn] = id;
  entries_[id] = Entry{std::move(secret), false};
}

void SecretCache::Place(std::int64_t id) {
  if (ring_.size() < capacity_) {
    ring_.push_back(id);
    return;
  }
  for (;;) {
    std::int64_t& slot = ring_[hand_];
    hand_ = (hand_ + 1) % ring_.size();
    auto it = entries_.find(slot);
    if (it != entries_.end() && it->second.referenced) {
      it->second.referenced = false;
      continue;
    }
    if (it != entries_.end()) Erase(slot);
    slot = id;
    return;
  }
}

void SecretCache::Erase(std::int64_t id) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  const SecretRecord& secret = it->second.secret->secret;
  by_name_.erase(NameKey(secret.account_id, secret.region, secret.name));
  by_arn_.erase(secret.arn);
  entries_.erase(it);
}

void SecretCache::BeginCommit() {
  std::lock_guard lock(mutex_);
  if (generation_ % 2 == 0) ++generation_;
}

void SecretCache::EndCommit(std::span<const std::int64_t> touched, bool everything) {
  std::lock_guard lock(mutex_);
  if (everything) {
    entries_.clear();
    by_name_.clear();
    by_arn_.clear();
    ring_.clear();
    hand_ = 0;
  } else {
    for (std::int64_t id : touched) Erase(id);
  }
  generation_ += generation_ % 2 == 0 ? 2 : 1;
}

std::size_t SecretCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace sml::storage
