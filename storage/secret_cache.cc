#include "storage/secret_cache.h"

#include <openssl/crypto.h>

#include <cstring>
#include <optional>

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

std::size_t ApproximateBytes(const CachedSecret& secret) {
  // Fixed parts, the allocator's per-block overhead and the two index
  // entries (name key and ARN) are folded into the constants.
  constexpr std::size_t kPerEntry = sizeof(CachedSecret) + 256;
  constexpr std::size_t kPerVersion = sizeof(VersionRecord) + 64;
  const SecretRecord& row = secret.secret;
  std::size_t bytes = kPerEntry + 3 * row.arn.size() + 2 * row.name.size();
  for (const auto* text :
       {&row.description, &row.kms_key_id, &row.rotation_lambda_arn, &row.rotation_rules_json,
        &row.resource_policy, &row.replication_status_json}) {
    if (*text) bytes += (*text)->size();
  }
  if (row.tags) {
    for (const Tag& tag : *row.tags) bytes += 64 + tag.key.size() + tag.value.size();
  }
  for (const VersionRecord& version : secret.labelled) {
    bytes += kPerVersion + version.version_id.size() + version.kms_key_id.size();
    if (version.secret_string) bytes += version.secret_string->size();
    if (version.secret_binary) bytes += version.secret_binary->size();
    for (const std::string& label : version.labels) bytes += 32 + label.size();
  }
  return bytes;
}

void SecretCache::Offer(CachedSecretPtr secret, std::uint64_t generation) {
  if (capacity_ == 0 || !secret) return;
  const std::size_t bytes = ApproximateBytes(*secret);
  if (bytes > max_bytes_) return;
  std::lock_guard lock(mutex_);
  if (generation != generation_ || generation_ % 2 != 0) return;  // a commit began since
  const std::int64_t id = secret->secret.id;
  if (entries_.contains(id)) return;  // another reader was first; same snapshot
  // CLOCK: the new entry takes its victim's slot, behind the hand, so it
  // comes up for eviction last.
  std::optional<std::size_t> free_slot;
  while (!entries_.empty() && (entries_.size() >= capacity_ || bytes_ + bytes > max_bytes_)) {
    if (free_slot) Fill(*free_slot);  // more than one victim (bytes)
    free_slot = EvictOne();
  }
  by_name_[NameKey(secret->secret.account_id, secret->secret.region, secret->secret.name)] = id;
  by_arn_[secret->secret.arn] = id;
  const std::size_t slot = free_slot.value_or(ring_.size());
  if (free_slot) {
    ring_[slot] = id;
  } else {
    ring_.push_back(id);
  }
  entries_[id] = Entry{std::move(secret), false, slot, bytes};
  bytes_ += bytes;
}

std::size_t SecretCache::EvictOne() {
  for (;;) {
    if (hand_ >= ring_.size()) hand_ = 0;
    const std::size_t slot = hand_++;
    Entry& entry = entries_.at(ring_[slot]);
    if (!entry.referenced) {
      Drop(ring_[slot]);
      return slot;
    }
    entry.referenced = false;
  }
}

void SecretCache::Drop(std::int64_t id) {
  auto it = entries_.find(id);
  const SecretRecord& secret = it->second.secret->secret;
  by_name_.erase(NameKey(secret.account_id, secret.region, secret.name));
  by_arn_.erase(secret.arn);
  bytes_ -= it->second.bytes;
  entries_.erase(it);
}

void SecretCache::Fill(std::size_t slot) {
  const std::int64_t last = ring_.back();
  ring_.pop_back();
  if (slot < ring_.size()) {
    ring_[slot] = last;
    entries_.at(last).slot = slot;
  }
}

void SecretCache::Erase(std::int64_t id) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  const std::size_t slot = it->second.slot;
  Drop(id);
  Fill(slot);  // the ring stays dense: its last id takes the freed slot
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
    bytes_ = 0;
  } else {
    for (std::int64_t id : touched) Erase(id);
  }
  generation_ += generation_ % 2 == 0 ? 2 : 1;
}

std::size_t SecretCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

std::size_t SecretCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace sml::storage
