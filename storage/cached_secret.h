#pragma once
// One secret as the read cache (storage/secret_cache.h) keeps it, packed.
#include <atomic>
#include <boost/smart_ptr/intrusive_ptr.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/records.h"

namespace sml::storage {

// arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME-XXXXXX, the shape
// of every ARN this server makes; other shapes are nullopt.
struct SecretArn {
  std::string_view partition, region, account_id, name, suffix;
};
std::optional<SecretArn> ParseSecretArn(std::string_view arn);

// One secret as the cache keeps it: the row and every labelled version (with
// its value when the values opened), packed into one buffer that follows the
// object in its block (one allocation per entry, counted references inside
// it). Small, so that the cache's byte bound holds many secrets. Immutable
// once built, but for the access dates (RecordAccess).
class CachedSecret;
using CachedSecretPtr = boost::intrusive_ptr<const CachedSecret>;

class CachedSecret {
  struct Private {
    explicit Private() = default;
  };

 public:
  // `values_open` false: a value did not decrypt (wrong master key,
  // tampering), so no value is packed and reads of values go to SQL, which
  // raises the error. Such an entry is not kept by the cache.
  static CachedSecretPtr Make(const SecretRecord& secret,
                              const std::vector<VersionRecord>& labelled, bool values_open);

  // The buffer starts with the name key, then the ARN's partition (when the
  // ARN is of the usual shape, see arn()), then the whole ARN or its suffix.
  // Tight: with the packed size and the reference count, 32 bytes.
  struct Layout {
    std::int64_t id = 0;
    std::uint32_t versions_offset = 0;  // where the labelled versions start
    std::uint32_t access_offset = 0;    // where the access slots start
    std::uint16_t name_key_size = 0;
    std::uint16_t arn_size = 0;
    std::uint8_t arn_partition_size = 0;  // 0: the ARN is kept whole
    bool values_open = false;
  };
  // For Make only (placement new at the start of the block).
  CachedSecret(Private, const Layout& layout, std::string_view packed) noexcept;
  CachedSecret(const CachedSecret&) = delete;
  CachedSecret& operator=(const CachedSecret&) = delete;
  ~CachedSecret();  // wipes the values

  std::int64_t id() const { return layout_.id; }
  bool values_open() const { return layout_.values_open; }
  // account_id, region and name joined by NUL (see NameKey).
  std::string_view name_key() const { return {data(), layout_.name_key_size}; }
  std::string arn() const;
  bool HasArn(std::string_view arn) const;
  // The whole block: this object and the packed bytes, as malloc rounds it.
  std::size_t block_bytes() const;

  SecretRecord Secret() const;
  // The labelled versions, by version id: id and labels only.
  std::vector<VersionRecord> LabelIndex() const;
  // The labelled version with this id, or holding this label; its value only
  // when `with_value` (and the values opened).
  std::optional<VersionRecord> FindVersion(std::string_view version_id, bool with_value) const;
  std::optional<VersionRecord> FindVersionByLabel(std::string_view label, bool with_value) const;

  // The secret and this version were read on `day`, as the access dates'
  // flush has just written: both dates move forward to it (never back). The
  // one thing about an entry that changes, in place, so that the daily write
  // of access dates does not empty the cache.
  void RecordAccess(std::string_view version_id, EpochMillis day) const;

  // Account ids and regions never contain NUL, so the key is unambiguous.
  static std::string NameKey(std::string_view account_id, std::string_view region,
                             std::string_view name);

 private:
  friend class SecretCache;
  const char* data() const { return reinterpret_cast<const char*>(this + 1); }
  std::string_view packed() const { return {data(), size_}; }
  std::string_view ArnPartition() const {
    return {data() + layout_.name_key_size, layout_.arn_partition_size};
  }
  // The whole ARN, or its suffix when ArnPartition() is not empty.
  std::string_view ArnPart() const {
    return {data() + layout_.name_key_size + layout_.arn_partition_size, layout_.arn_size};
  }
  template <typename Match>
  std::optional<VersionRecord> FindVersionWhere(Match&& match, bool with_value) const;
  // Access slot 0 is the secret's LastAccessedDate, 1 + i labelled version i's.
  std::atomic_ref<std::int64_t> Slot(std::size_t index) const;
  std::optional<EpochMillis> Accessed(std::size_t slot) const;

  friend void intrusive_ptr_add_ref(const CachedSecret* entry) noexcept {
    entry->references_.fetch_add(1, std::memory_order_relaxed);
  }
  friend void intrusive_ptr_release(const CachedSecret* entry) noexcept;

  Layout layout_;
  std::uint32_t size_ = 0;  // packed bytes, right after this object
  mutable std::atomic<std::uint32_t> references_ = 0;
};

}  // namespace sml::storage
