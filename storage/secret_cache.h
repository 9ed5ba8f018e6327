#pragma once
// A bounded in-memory copy of recently read secrets: the row and the versions
// that hold a staging label, with their values decrypted when the entry was
// loaded, so that a GetSecretValue or DescribeSecret of a cached secret runs
// no SQL and no cipher. (Values are encrypted at rest; in memory the cache
// holds what the opened data key would reveal anyway, and wipes it.)
//
// Exactness: the cache never answers with something older than the last
// acknowledged write. The single writer brackets every COMMIT with
// BeginCommit()/EndCommit(), which drop the entries of the secrets the
// transaction touched and move a generation counter (odd while a commit is
// in flight, like a seqlock). A reader offers an entry it loaded from a
// snapshot only with the (even) generation it saw before taking that
// snapshot; Offer() refuses it if any commit began since. A read that mixes
// cached entries with SQL checks that the generation did not move between
// them (see SqliteStore::RunRead).
//
// Bounded: at most `capacity` entries and about `max_bytes` of them (values
// included, ApproximateBytes); when either is reached, CLOCK (second chance)
// eviction picks victims in O(1) amortised. An entry larger than `max_bytes`
// is not kept. Thread-safe (one mutex; the critical sections are a probe of
// a hash table and a reference count, the hash computed before the lock).
#include <atomic>
#include <boost/smart_ptr/intrusive_ptr.hpp>
#include <climits>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/records.h"

namespace sml::storage {

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

// What an entry holds in memory: its block and its share of the cache's
// indexes (ring and hash tables).
std::size_t ApproximateBytes(const CachedSecret& secret);

class SecretCache {
 public:
  // capacity 0 disables the cache (every lookup misses, nothing is kept).
  explicit SecretCache(std::size_t capacity, std::size_t max_bytes = kDefaultMaxBytes)
      : capacity_(capacity), max_bytes_(max_bytes) {}
  static constexpr std::size_t kDefaultMaxBytes = 32u << 20;

  struct Lookup {
    CachedSecretPtr secret;  // null: not cached
    std::uint64_t generation = 0;
  };
  Lookup FindByName(std::string_view account_id, std::string_view region, std::string_view name);
  Lookup FindByArn(std::string_view arn);
  Lookup FindById(std::int64_t id);
  std::uint64_t generation() const { return generation_.load(); }

  // Keeps `secret` if no commit began since `generation` was read.
  void Offer(CachedSecretPtr secret, std::uint64_t generation);

  // A LastAccessedDate the commit moved (and nothing else of the secret).
  struct AccessMove {
    std::int64_t secret_id = 0;
    std::string version_id;
    EpochMillis day = 0;
  };
  // The writer, around COMMIT. `everything`: drop all entries (Reset, or a
  // commit whose outcome is unknown). `accessed`: moved in place in the
  // entries that stay.
  void BeginCommit();
  void EndCommit(std::span<const std::int64_t> touched, bool everything,
                 std::span<const AccessMove> accessed = {});

  std::size_t size() const;
  std::size_t bytes() const;  // ApproximateBytes of the entries kept

 private:
  static constexpr std::size_t kNone = SIZE_MAX;
  // A slot of the name index: a position in ring_ plus one (0: empty), and
  // the low half of the name's hash (its home slot, and a tag that spares
  // most key comparisons).
  struct NameSlot {
    std::uint32_t position = 0;
    std::uint32_t hash = 0;
    bool operator==(const NameSlot&) const = default;
  };
  Lookup Hit(std::size_t position);  // REQUIRES(mutex_); kNone: a miss
  // REQUIRES(mutex_) for all below. Positions are indexes into ring_.
  std::size_t FindName(std::string_view key, std::uint32_t hash) const;
  std::size_t FindId(std::int64_t id) const;
  void Link(std::size_t position);  // into both indexes
  void Unlink(std::size_t position);
  void Relink(std::size_t from, std::size_t to);  // the entry moved in ring_
  void Rehash(std::size_t slots);
  void Drop(std::size_t position);  // the entry; its position is left empty
  void Fill(std::size_t position);  // an empty position takes the ring's last entry
  std::size_t EvictOne();           // the victim's position, now empty; ring_ not empty

  const std::size_t capacity_;
  const std::size_t max_bytes_;
  mutable std::mutex mutex_;
  // Moved under mutex_ only; read without it by generation().
  std::atomic<std::uint64_t> generation_ = 0;
  // The entries, dense, in CLOCK order, with their CLOCK bits beside them;
  // and two open-addressing (linear probing) indexes into it, by name and by
  // id, sized to a power of two.
  std::vector<CachedSecretPtr> ring_;  // GUARDED_BY(mutex_)
  std::vector<bool> referenced_;       // GUARDED_BY(mutex_); one per ring_ position
  std::vector<NameSlot> by_name_;      // GUARDED_BY(mutex_)
  std::vector<std::uint32_t> by_id_;   // GUARDED_BY(mutex_): position + 1, 0 empty
  std::size_t hand_ = 0;               // GUARDED_BY(mutex_)
  std::size_t bytes_ = 0;              // GUARDED_BY(mutex_)
};

}  // namespace sml::storage
