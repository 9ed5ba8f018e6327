#pragma once
// All time comes from a Clock (STYLE.md §5): nothing calls time() directly.
// Times are epoch milliseconds, UTC.
#include <atomic>
#include <cstdint>

namespace sml::api {

using EpochMillis = std::int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual EpochMillis Now() const = 0;
  // The time outside the emulator (what clients sign requests with); differs
  // from Now() only after the emulator clock was moved forward.
  virtual EpochMillis WallNow() const { return Now(); }
};

// Wall-clock time, optionally moved forward by the admin clock endpoint.
// Thread-safe: the offset is atomic; it only grows, until ResetOffset().
class EmulatorClock final : public Clock {
 public:
  EpochMillis Now() const override;
  EpochMillis WallNow() const override { return Now() - offset_.load(); }
  // Moves now to `target` if that is later; returns the (possibly unchanged) now.
  EpochMillis AdvanceTo(EpochMillis target);
  EpochMillis AdvanceBy(EpochMillis delta) { return AdvanceTo(Now() + delta); }
  // How far ahead of the wall clock it runs (persisted across restarts).
  EpochMillis offset() const { return offset_.load(); }
  // Back to the wall clock (POST /_local/reset).
  void ResetOffset() { offset_.store(0); }

 private:
  std::atomic<EpochMillis> offset_{0};
};

// A clock that only moves when told to; for tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(EpochMillis now) : now_(now) {}
  EpochMillis Now() const override { return now_.load(); }
  void Set(EpochMillis now) { now_.store(now); }
  void Advance(EpochMillis delta) { now_.fetch_add(delta); }

 private:
  std::atomic<EpochMillis> now_;
};

}  // namespace sml::api
