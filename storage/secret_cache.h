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
#include <climits>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string_view>
#include <vector>

#include "storage/cached_secret.h"

namespace sml::storage {

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
