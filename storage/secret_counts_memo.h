#pragma once
// The secret counts last read from SQL, with the cache generation
// (storage/secret_cache.h) they show: they change only with a commit, and
// /_local/health reads them on every probe, so a probe between commits runs
// no SQL.
#include <cstdint>
#include <mutex>
#include <optional>

#include "storage/records.h"

namespace sml::storage {

class SecretCountsMemo {
 public:
  std::optional<SecretCounts> Find(std::uint64_t generation) const {
    std::lock_guard lock(mutex_);
    if (counts_ && generation_ == generation) return counts_;
    return std::nullopt;
  }

  // `counts` as of `generation` (the caller checked that no commit began
  // since: the snapshot they were read from is that generation's state).
  void Keep(SecretCounts counts, std::uint64_t generation) {
    std::lock_guard lock(mutex_);
    counts_ = std::move(counts);
    generation_ = generation;
  }

 private:
  mutable std::mutex mutex_;
  std::optional<SecretCounts> counts_;  // GUARDED_BY(mutex_)
  std::uint64_t generation_ = 0;        // GUARDED_BY(mutex_)
};

}  // namespace sml::storage
