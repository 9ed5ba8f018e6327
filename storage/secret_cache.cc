#include "storage/secret_cache.h"

#include <algorithm>
#include <functional>

namespace sml::storage {

namespace {

// An entry's share of the indexes: its ring slot (8 bytes, up to 10 as the
// vector grows by a quarter, and a CLOCK bit) and a slot in each hash table
// (8 and 4 bytes, at a load between 3/8 and 3/4: 1.3 to 2.7 slots each).
constexpr std::size_t kIndexBytes = 40;

std::uint32_t NameHash(std::string_view key) {
  return static_cast<std::uint32_t>(std::hash<std::string_view>{}(key));
}

std::size_t IdHash(std::int64_t id) {
  // splitmix64's finalizer: ids are dense, their low bits alone would cluster.
  auto x = static_cast<std::uint64_t>(id);
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return static_cast<std::size_t>(x ^ (x >> 31));
}

// Linear probing removes by shifting the following run back over the hole
// (no tombstones): an entry moves into the hole unless its home slot lies
// cyclically after the hole.
template <typename Slot, typename Home>
void RemoveAt(std::vector<Slot>& table, std::size_t hole, Home&& home) {
  const std::size_t mask = table.size() - 1;
  for (std::size_t next = (hole + 1) & mask; table[next] != Slot{}; next = (next + 1) & mask) {
    if (((next - home(table[next])) & mask) >= ((next - hole) & mask)) {
      table[hole] = table[next];
      hole = next;
    }
  }
  table[hole] = Slot{};
}

}  // namespace

std::size_t ApproximateBytes(const CachedSecret& secret) {
  return secret.block_bytes() + kIndexBytes;
}

std::size_t SecretCache::FindName(std::string_view key, std::uint32_t hash) const {
  if (by_name_.empty()) return kNone;
  const std::size_t mask = by_name_.size() - 1;
  for (std::size_t at = hash & mask; by_name_[at].position != 0; at = (at + 1) & mask) {
    const NameSlot& slot = by_name_[at];
    if (slot.hash == hash && ring_[slot.position - 1]->name_key() == key) return slot.position - 1;
  }
  return kNone;
}

std::size_t SecretCache::FindId(std::int64_t id) const {
  if (by_id_.empty()) return kNone;
  const std::size_t mask = by_id_.size() - 1;
  for (std::size_t at = IdHash(id) & mask; by_id_[at] != 0; at = (at + 1) & mask) {
    if (ring_[by_id_[at] - 1]->id() == id) return by_id_[at] - 1;
  }
  return kNone;
}

void SecretCache::Rehash(std::size_t slots) {
  by_name_.assign(slots, NameSlot{});
  by_id_.assign(slots, 0);
  for (std::size_t position = 0; position < ring_.size(); ++position) {
    if (ring_[position]) Link(position);
  }
}

void SecretCache::Link(std::size_t position) {
  // Positions are below ring_.size(): at most 3/4 of the slots are taken.
  if (ring_.size() * 4 > by_name_.size() * 3) {
    return Rehash(std::max<std::size_t>(16, by_name_.size() * 2));  // links `position` too
  }
  const CachedSecret& entry = *ring_[position];
  const std::size_t mask = by_name_.size() - 1;
  const std::uint32_t hash = NameHash(entry.name_key());
  std::size_t at = hash & mask;
  while (by_name_[at].position != 0) at = (at + 1) & mask;
  by_name_[at] = {static_cast<std::uint32_t>(position + 1), hash};
  at = IdHash(entry.id()) & mask;
  while (by_id_[at] != 0) at = (at + 1) & mask;
  by_id_[at] = static_cast<std::uint32_t>(position + 1);
}

void SecretCache::Unlink(std::size_t position) {
  const CachedSecret& entry = *ring_[position];
  const std::size_t mask = by_name_.size() - 1;
  const auto mark = static_cast<std::uint32_t>(position + 1);
  std::size_t at = NameHash(entry.name_key()) & mask;
  while (by_name_[at].position != mark) at = (at + 1) & mask;
  RemoveAt(by_name_, at, [](const NameSlot& slot) { return slot.hash; });
  at = IdHash(entry.id()) & mask;
  while (by_id_[at] != mark) at = (at + 1) & mask;
  RemoveAt(by_id_, at, [this](std::uint32_t slot) { return IdHash(ring_[slot - 1]->id()); });
}

void SecretCache::Relink(std::size_t from, std::size_t to) {
  const CachedSecret& entry = *ring_[to];
  const std::size_t mask = by_name_.size() - 1;
  const auto mark = static_cast<std::uint32_t>(from + 1);
  std::size_t at = NameHash(entry.name_key()) & mask;
  while (by_name_[at].position != mark) at = (at + 1) & mask;
  by_name_[at].position = static_cast<std::uint32_t>(to + 1);
  at = IdHash(entry.id()) & mask;
  while (by_id_[at] != mark) at = (at + 1) & mask;
  by_id_[at] = static_cast<std::uint32_t>(to + 1);
}

SecretCache::Lookup SecretCache::Hit(std::size_t position) {
  if (position == kNone) return {nullptr, generation_};
  referenced_[position] = true;
  return {ring_[position], generation_};
}

SecretCache::Lookup SecretCache::FindByName(std::string_view account_id, std::string_view region,
                                            std::string_view name) {
  // One buffer per thread: a lookup allocates nothing.
  thread_local std::string key;
  key.assign(account_id).append(1, '\0').append(region).append(1, '\0').append(name);
  const std::uint32_t hash = NameHash(key);
  std::lock_guard lock(mutex_);
  return Hit(FindName(key, hash));
}

SecretCache::Lookup SecretCache::FindByArn(std::string_view arn) {
  // Found by the name the ARN holds, then checked whole: an entry whose ARN
  // has another shape is not found by ARN (the read goes to SQL).
  const std::optional<SecretArn> parts = ParseSecretArn(arn);
  if (!parts) return {nullptr, generation()};
  Lookup lookup = FindByName(parts->account_id, parts->region, parts->name);
  if (lookup.secret && !lookup.secret->HasArn(arn)) lookup.secret.reset();
  return lookup;
}

SecretCache::Lookup SecretCache::FindById(std::int64_t id) {
  std::lock_guard lock(mutex_);
  return Hit(FindId(id));
}

void SecretCache::Offer(CachedSecretPtr secret, std::uint64_t generation) {
  if (capacity_ == 0 || !secret) return;
  const std::size_t bytes = ApproximateBytes(*secret);
  if (bytes > max_bytes_) return;
  const std::uint32_t hash = NameHash(secret->name_key());
  std::lock_guard lock(mutex_);
  if (generation != generation_ || generation_ % 2 != 0) return;  // a commit began since
  // Another reader was first (same snapshot): keep the one there.
  if (FindId(secret->id()) != kNone || FindName(secret->name_key(), hash) != kNone) return;
  // CLOCK: the new entry takes its victim's position, behind the hand, so
  // it comes up for eviction last.
  std::size_t position = kNone;  // an empty one, once a victim went
  auto kept = [&] { return ring_.size() - (position == kNone ? 0 : 1); };
  while (kept() > 0 && (kept() >= capacity_ || bytes_ + bytes > max_bytes_)) {
    if (position != kNone) Fill(position);  // more than one victim (bytes)
    position = EvictOne();
  }
  if (position == kNone) {
    position = ring_.size();
    // Grown by a quarter, not doubled: the slack is part of kIndexBytes.
    if (ring_.size() == ring_.capacity()) ring_.reserve(ring_.size() + ring_.size() / 4 + 16);
    ring_.push_back(nullptr);
    referenced_.push_back(false);
  }
  referenced_[position] = false;
  ring_[position] = std::move(secret);
  Link(position);
  bytes_ += bytes;
}

std::size_t SecretCache::EvictOne() {
  for (;;) {
    if (hand_ >= ring_.size()) hand_ = 0;
    const std::size_t position = hand_++;
    if (!referenced_[position]) {
      Drop(position);
      return position;
    }
    referenced_[position] = false;
  }
}

void SecretCache::Drop(std::size_t position) {
  Unlink(position);
  bytes_ -= ApproximateBytes(*ring_[position]);
  ring_[position].reset();
}

void SecretCache::Fill(std::size_t position) {
  const std::size_t last = ring_.size() - 1;
  if (position < last) {
    ring_[position] = std::move(ring_[last]);
    referenced_[position] = referenced_[last];
    Relink(last, position);
  }
  ring_.pop_back();
  referenced_.pop_back();
}

void SecretCache::BeginCommit() {
  std::lock_guard lock(mutex_);
  if (generation_ % 2 == 0) ++generation_;
}

void SecretCache::EndCommit(std::span<const std::int64_t> touched, bool everything,
                            std::span<const AccessMove> accessed) {
  // The access dates move first, outside the lock but for finding the
  // entries a few at a time (a flush moves thousands, and unpacking each
  // entry's versions under the lock would stall every reader): each move is
  // atomic and only forward to a committed date, and the generation moves
  // after them.
  constexpr std::size_t kChunk = 256;
  std::vector<CachedSecretPtr> entries;
  for (std::size_t begin = 0; begin < accessed.size(); begin += kChunk) {
    const auto chunk = accessed.subspan(begin, std::min(kChunk, accessed.size() - begin));
    entries.assign(chunk.size(), nullptr);
    {
      std::lock_guard lock(mutex_);
      for (std::size_t i = 0; i < chunk.size(); ++i) {
        if (const std::size_t position = FindId(chunk[i].secret_id); position != kNone) {
          entries[i] = ring_[position];
        }
      }
    }
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      if (entries[i]) entries[i]->RecordAccess(chunk[i].version_id, chunk[i].day);
    }
  }
  entries.clear();  // before the lock: the last reference may free an entry
  std::lock_guard lock(mutex_);
  if (everything) {
    ring_ = {};
    referenced_ = {};
    by_name_ = {};
    by_id_ = {};
    hand_ = 0;
    bytes_ = 0;
  } else {
    for (std::int64_t id : touched) {
      if (const std::size_t position = FindId(id); position != kNone) {
        Drop(position);
        Fill(position);  // the ring stays dense: its last entry takes the position
      }
    }
  }
  generation_ += generation_ % 2 == 0 ? 2 : 1;
}

std::size_t SecretCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

std::size_t SecretCache::size() const {
  std::lock_guard lock(mutex_);
  return ring_.size();
}

}  // namespace sml::storage
