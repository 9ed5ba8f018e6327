#include "storage/secret_cache.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <optional>
#include <stdexcept>

namespace sml::storage {

namespace {

// The packed form: fixed-width integers, strings as a varint length and the
// bytes, an optional as a presence byte and the value. PackedFields and
// VersionFields list the fields once, for packing and unpacking alike.
class Packer {
 public:
  explicit Packer(std::string& out) : out_(out) {}
  void operator()(std::int64_t value) {
    out_.append(reinterpret_cast<const char*>(&value), sizeof value);
  }
  void operator()(bool value) { out_.push_back(value ? 1 : 0); }
  void operator()(std::string_view text) {
    Length(text.size());
    out_.append(text);
  }
  template <typename T>
  void operator()(const std::optional<T>& value) {
    (*this)(value.has_value());
    if (value) (*this)(*value);
  }
  void operator()(const std::vector<std::string>& list) {
    Length(list.size());
    for (const std::string& text : list) (*this)(std::string_view(text));
  }
  void operator()(const std::vector<Tag>& tags) {
    Length(tags.size());
    for (const Tag& tag : tags) {
      (*this)(std::string_view(tag.key));
      (*this)(std::string_view(tag.value));
    }
  }
  void Length(std::size_t size) {
    while (size >= 0x80) {
      out_.push_back(static_cast<char>((size & 0x7f) | 0x80));
      size >>= 7;
    }
    out_.push_back(static_cast<char>(size));
  }

 private:
  std::string& out_;
};

class Unpacker {
 public:
  Unpacker(std::string_view packed, std::size_t at) : packed_(packed), at_(at) {}
  void operator()(std::int64_t& value) {
    std::memcpy(&value, packed_.data() + at_, sizeof value);
    at_ += sizeof value;
  }
  void operator()(bool& value) { value = packed_[at_++] != 0; }
  void operator()(std::string& text) { text = View(); }
  template <typename T>
  void operator()(std::optional<T>& value) {
    bool present = false;
    (*this)(present);
    if (!present) return value.reset();
    (*this)(value.emplace());
  }
  void operator()(std::vector<std::string>& list) {
    list.resize(Length());
    for (std::string& text : list) (*this)(text);
  }
  void operator()(std::vector<Tag>& tags) {
    tags.resize(Length());
    for (Tag& tag : tags) {
      (*this)(tag.key);
      (*this)(tag.value);
    }
  }
  std::size_t Length() {
    std::size_t size = 0;
    for (int shift = 0;; shift += 7) {
      const auto byte = static_cast<unsigned char>(packed_[at_++]);
      size |= static_cast<std::size_t>(byte & 0x7f) << shift;
      if (byte < 0x80) return size;
    }
  }
  std::string_view View() {
    const std::size_t size = Length();
    const std::string_view text = packed_.substr(at_, size);
    at_ += size;
    return text;
  }
  char Byte() { return packed_[at_++]; }

 private:
  std::string_view packed_;
  std::size_t at_;
};

// Every column of the row but id, account_id, region, name and arn (packed
// first, as the cache's keys).
template <typename F, typename Record>
void PackedFields(F& f, Record& s) {
  f(s.description);
  f(s.kms_key_id);
  f(s.type);
  f(s.owning_service);
  f(s.created_date);
  f(s.last_changed_date);
  f(s.deleted_date);
  f(s.deletion_date);
  f(s.tags);
  f(s.rotation_enabled);
  f(s.rotation_lambda_arn);
  f(s.rotation_rules_json);
  f(s.last_rotated_date);
  f(s.next_rotation_date);
  f(s.rotation_window_end);
  f(s.resource_policy);
  f(s.primary_region);
  f(s.replication_status_json);
}

// A version but its value (packed after it: kind byte, then the bytes) and
// its last access (in the access slots).
template <typename F, typename Version>
void VersionFields(F& f, Version& v) {
  f(v.version_id);
  f(v.created_date);
  f(v.kms_key_id);
  f(v.has_value);
  f(v.labels);
}

enum PackedValue : char { kNoValue = 0, kStringValue = 1, kBinaryValue = 2 };

// An access slot that holds no date.
constexpr EpochMillis kNeverAccessed = INT64_MIN;

// arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME-XXXXXX, the shape
// of every ARN this server makes.
struct SecretArn {
  std::string_view partition, region, account_id, name, suffix;
};
constexpr std::size_t kArnSuffix = 6;

std::optional<SecretArn> ParseSecretArn(std::string_view arn) {
  std::string_view parts[6];
  for (std::string_view& part : parts) {
    const std::size_t colon = arn.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    part = arn.substr(0, colon);
    arn.remove_prefix(colon + 1);
  }
  if (parts[0] != "arn" || parts[1].empty() || parts[2] != "secretsmanager" ||
      parts[5] != "secret" || arn.size() <= kArnSuffix + 1 ||
      arn[arn.size() - kArnSuffix - 1] != '-') {
    return std::nullopt;
  }
  return SecretArn{parts[1], parts[3], parts[4], arn.substr(0, arn.size() - kArnSuffix - 1),
                   arn.substr(arn.size() - kArnSuffix)};
}

}  // namespace

std::string CachedSecret::NameKey(std::string_view account_id, std::string_view region,
                                  std::string_view name) {
  std::string key;
  key.reserve(account_id.size() + region.size() + name.size() + 2);
  key.append(account_id).append(1, '\0').append(region).append(1, '\0').append(name);
  return key;
}

CachedSecret::CachedSecret(const SecretRecord& secret, const std::vector<VersionRecord>& labelled,
                           bool values_open)
    : id_(secret.id), values_open_(values_open) {
  Packer pack(packed_);
  auto range = [this](std::size_t begin) {
    return Range{static_cast<std::uint32_t>(begin),
                 static_cast<std::uint32_t>(packed_.size() - begin)};
  };
  packed_.append(secret.account_id).append(1, '\0').append(secret.region).append(1, '\0');
  packed_.append(secret.name);
  name_key_ = range(0);
  // An ARN of the usual shape repeats the key: only its partition and
  // suffix are kept.
  const std::optional<SecretArn> arn = ParseSecretArn(secret.arn);
  if (arn && arn->region == secret.region && arn->account_id == secret.account_id &&
      arn->name == secret.name) {
    std::size_t at = packed_.size();
    packed_.append(arn->partition);
    arn_partition_ = range(at);
    at = packed_.size();
    packed_.append(arn->suffix);
    arn_ = range(at);
  } else {
    const std::size_t at = packed_.size();
    packed_.append(secret.arn);
    arn_ = range(at);
  }
  PackedFields(pack, secret);
  versions_offset_ = static_cast<std::uint32_t>(packed_.size());
  pack.Length(labelled.size());
  for (const VersionRecord& version : labelled) {
    VersionFields(pack, version);
    const std::optional<std::string>* value = nullptr;
    char kind = kNoValue;
    if (values_open && version.secret_string) {
      kind = kStringValue;
      value = &version.secret_string;
    } else if (values_open && version.secret_binary) {
      kind = kBinaryValue;
      value = &version.secret_binary;
    }
    packed_.push_back(kind);
    if (value) pack(std::string_view(**value));
  }
  // The access slots, 8-aligned for atomic_ref: the secret's, then each
  // version's.
  packed_.resize((packed_.size() + 7) / 8 * 8);
  access_offset_ = static_cast<std::uint32_t>(packed_.size());
  packed_.resize(packed_.size() + 8 * (1 + labelled.size()));
  if (packed_.size() > UINT32_MAX) throw std::length_error("secret too large to cache");
  packed_.shrink_to_fit();  // before any slot is written or referred to
  if (reinterpret_cast<std::uintptr_t>(packed_.data()) % alignof(std::int64_t) != 0) {
    throw std::logic_error("unaligned cache buffer");
  }
  Slot(0).store(secret.last_accessed_date.value_or(kNeverAccessed));
  for (std::size_t i = 0; i < labelled.size(); ++i) {
    Slot(1 + i).store(labelled[i].last_accessed_date.value_or(kNeverAccessed));
  }
}

std::atomic_ref<std::int64_t> CachedSecret::Slot(std::size_t index) const {
  auto* slots = reinterpret_cast<std::int64_t*>(const_cast<char*>(packed_.data()) + access_offset_);
  return std::atomic_ref<std::int64_t>(slots[index]);
}

std::optional<EpochMillis> CachedSecret::Accessed(std::size_t slot) const {
  const EpochMillis day = Slot(slot).load(std::memory_order_relaxed);
  if (day == kNeverAccessed) return std::nullopt;
  return day;
}

void CachedSecret::RecordAccess(std::string_view version_id, EpochMillis day) const {
  auto move_forward = [day](std::atomic_ref<std::int64_t> slot) {
    std::int64_t seen = slot.load(std::memory_order_relaxed);
    while (seen < day && !slot.compare_exchange_weak(seen, day, std::memory_order_relaxed)) {
    }
  };
  move_forward(Slot(0));
  Unpacker unpack(packed_, versions_offset_);
  const std::size_t count = unpack.Length();
  for (std::size_t i = 0; i < count; ++i) {
    VersionRecord version;
    VersionFields(unpack, version);
    if (unpack.Byte() != kNoValue) unpack.View();
    if (version.version_id == version_id) move_forward(Slot(1 + i));
  }
}

CachedSecret::~CachedSecret() {
  // Leave no copy of a value behind.
  OPENSSL_cleanse(packed_.data(), packed_.size());
}

SecretRecord CachedSecret::Secret() const {
  SecretRecord secret;
  secret.id = id_;
  const std::string_view key = name_key();
  const std::size_t region_at = key.find('\0') + 1;
  const std::size_t name_at = key.find('\0', region_at) + 1;
  secret.account_id = key.substr(0, region_at - 1);
  secret.region = key.substr(region_at, name_at - 1 - region_at);
  secret.name = key.substr(name_at);
  secret.arn = arn();
  Unpacker unpack(packed_, arn_.offset + arn_.size);
  PackedFields(unpack, secret);
  secret.last_accessed_date = Accessed(0);
  return secret;
}

std::string CachedSecret::arn() const {
  if (arn_partition_.size == 0) return std::string(Slice(arn_));
  const std::string_view key = name_key();
  const std::size_t region_at = key.find('\0') + 1;
  const std::size_t name_at = key.find('\0', region_at) + 1;
  const std::string_view partition = Slice(arn_partition_), suffix = Slice(arn_);
  const std::string_view region = key.substr(region_at, name_at - 1 - region_at);
  const std::string_view account_id = key.substr(0, region_at - 1);
  const std::string_view name = key.substr(name_at);
  std::string arn;
  arn.reserve(4 + partition.size() + 16 + region.size() + 1 + account_id.size() + 8 + name.size() +
              1 + suffix.size());  // one allocation, not one per append
  arn.append("arn:").append(partition).append(":secretsmanager:").append(region).append(":");
  arn.append(account_id).append(":secret:").append(name).append("-").append(suffix);
  return arn;
}

bool CachedSecret::HasArn(std::string_view arn) const {
  if (arn_partition_.size == 0) return arn == Slice(arn_);
  const std::optional<SecretArn> parts = ParseSecretArn(arn);
  return parts && parts->partition == Slice(arn_partition_) && parts->suffix == Slice(arn_) &&
         name_key() == CachedSecret::NameKey(parts->account_id, parts->region, parts->name);
}

std::vector<VersionRecord> CachedSecret::LabelIndex() const {
  Unpacker unpack(packed_, versions_offset_);
  std::vector<VersionRecord> versions(unpack.Length());
  for (VersionRecord& version : versions) {
    VersionRecord full;
    VersionFields(unpack, full);
    if (unpack.Byte() != kNoValue) unpack.View();  // the value
    version.version_id = std::move(full.version_id);
    version.labels = std::move(full.labels);
  }
  return versions;
}

template <typename Match>
std::optional<VersionRecord> CachedSecret::FindVersionWhere(Match&& match, bool with_value) const {
  Unpacker unpack(packed_, versions_offset_);
  const std::size_t count = unpack.Length();
  for (std::size_t i = 0; i < count; ++i) {
    VersionRecord version;
    VersionFields(unpack, version);
    const char kind = unpack.Byte();
    const std::string_view value = kind != kNoValue ? unpack.View() : std::string_view();
    if (!match(version)) continue;
    version.last_accessed_date = Accessed(1 + i);
    if (with_value && kind != kNoValue) {
      (kind == kStringValue ? version.secret_string : version.secret_binary) = std::string(value);
    }
    return version;
  }
  return std::nullopt;
}

std::optional<VersionRecord> CachedSecret::FindVersion(std::string_view version_id,
                                                       bool with_value) const {
  return FindVersionWhere([&](const VersionRecord& v) { return v.version_id == version_id; },
                          with_value);
}

std::optional<VersionRecord> CachedSecret::FindVersionByLabel(std::string_view label,
                                                              bool with_value) const {
  return FindVersionWhere(
      [&](const VersionRecord& v) {
        return std::find(v.labels.begin(), v.labels.end(), label) != v.labels.end();
      },
      with_value);
}

std::size_t ApproximateBytes(const CachedSecret& secret) {
  // The object and its shared_ptr control block, a node and a bucket in each
  // of the two maps, a ring slot, and the allocator's header per block.
  constexpr std::size_t kBookkeeping = 256;
  return kBookkeeping + secret.packed_bytes();
}

SecretCache::Lookup SecretCache::Hit(std::int64_t id) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return {nullptr, generation_};
  it->second.referenced = true;
  return {it->second.secret, generation_};
}

SecretCache::Lookup SecretCache::FindByName(std::string_view account_id, std::string_view region,
                                            std::string_view name) {
  // One buffer per thread: a lookup allocates nothing.
  thread_local std::string key;
  key.assign(account_id).append(1, '\0').append(region).append(1, '\0').append(name);
  std::lock_guard lock(mutex_);
  auto it = by_name_.find(key);
  if (it == by_name_.end()) return {nullptr, generation_};
  return Hit(it->second);
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
  return Hit(id);
}

std::uint64_t SecretCache::generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

void SecretCache::Offer(CachedSecretPtr secret, std::uint64_t generation) {
  if (capacity_ == 0 || !secret) return;
  const std::size_t bytes = ApproximateBytes(*secret);
  if (bytes > max_bytes_) return;
  std::lock_guard lock(mutex_);
  if (generation != generation_ || generation_ % 2 != 0) return;  // a commit began since
  const std::int64_t id = secret->id();
  if (entries_.contains(id)) return;  // another reader was first; same snapshot
  // CLOCK: the new entry takes its victim's slot, behind the hand, so it
  // comes up for eviction last.
  std::optional<std::size_t> free_slot;
  while (!entries_.empty() && (entries_.size() >= capacity_ || bytes_ + bytes > max_bytes_)) {
    if (free_slot) Fill(*free_slot);  // more than one victim (bytes)
    free_slot = EvictOne();
  }
  by_name_[secret->name_key()] = id;
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
  // The key is a view into the entry: erased before it.
  by_name_.erase(it->second.secret->name_key());
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

void SecretCache::EndCommit(std::span<const std::int64_t> touched, bool everything,
                            std::span<const AccessMove> accessed) {
  std::lock_guard lock(mutex_);
  // Before the drops: an access of a secret also touched goes with its entry.
  for (const AccessMove& move : accessed) {
    if (auto it = entries_.find(move.secret_id); it != entries_.end()) {
      it->second.secret->RecordAccess(move.version_id, move.day);
    }
  }
  if (everything) {
    entries_.clear();
    by_name_.clear();
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
