#pragma once
// LastAccessedDate moves recorded in memory first: a secret's first read of
// a day then costs a map insert instead of a write transaction. Every read
// of the Store overlays these dates on the rows it returns, so they are
// visible at once; the Store writes them in one transaction about every
// second and when it closes (a kill -9 loses at most that last second of
// access dates, never a secret or a value). Thread-safe.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "storage/records.h"

namespace sml::storage {

class AccessDates {
 public:
  // (secret id, version id), looked up by string_view too.
  struct VersionKeyLess {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      if (a.first != b.first) return a.first < b.first;
      return std::string_view(a.second) < std::string_view(b.second);
    }
  };
  struct Batch {
    std::unordered_map<std::int64_t, EpochMillis> secrets;
    std::map<std::pair<std::int64_t, std::string>, EpochMillis, VersionKeyLess> versions;
    bool empty() const { return secrets.empty() && versions.empty(); }
  };

  // Pending versions at which (and at each multiple of which) the owner is
  // told to write them without waiting for its next second: a day's first
  // reads of a million secrets would otherwise hold megabytes of dates.
  static constexpr std::size_t kFlushEarlyAt = 4096;

  // `when_many` (may be empty) is called, outside the lock, each time the
  // pending versions reach a multiple of kFlushEarlyAt.
  explicit AccessDates(std::function<void()> when_many = {}) : when_many_(std::move(when_many)) {}

  // The secret and its version were read on `day` (dates only move forward).
  void Record(std::int64_t secret_id, std::string_view version_id, EpochMillis day);
  // Moves the record's date forward to a pending one, if any.
  void Overlay(SecretRecord& secret) const;
  void Overlay(std::int64_t secret_id, VersionRecord& version) const;

  // Moves what is pending out, to write (null when nothing is): no copy, so
  // readers wait for a pointer swap only. Reads still see its dates until
  // Finish. One batch at a time: the owner serialises its writes.
  std::shared_ptr<const Batch> Take();
  // The batch taken is in the database (`written`), or not: then its dates
  // are pending again (a later one recorded meanwhile wins).
  void Finish(const std::shared_ptr<const Batch>& batch, bool written);
  // Versions not yet in the database (pending or being written).
  std::size_t PendingVersions() const;
  void Clear();

 private:
  const std::function<void()> when_many_;
  mutable std::mutex mutex_;
  std::atomic<bool> any_ = false;       // lets reads skip the lock when nothing is pending
  Batch pending_;                       // GUARDED_BY(mutex_)
  std::shared_ptr<const Batch> taken_;  // GUARDED_BY(mutex_); being written
};

}  // namespace sml::storage
