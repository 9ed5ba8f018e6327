#pragma once
// The scheduler: one Asio timer armed for the earliest due event — a
// rotation whose NextRotationDate has come, or a deleted secret whose
// recovery window has ended — found through the Store's indexes and re-armed
// whenever a secret changes (it is the api's ChangeListener).
//
// Time comes from the api Clock, which the admin endpoint can move forward,
// so the timer never sleeps longer than kMaxSleep: a jump is noticed soon
// even without AdvanceClockTo().
//
// Threads: timer callbacks run on strand_; AdvanceClockTo() and
// RunDueEvents() run on the caller's thread, one at a time (clock_mutex_). Each event is claimed in one Store transaction (a due
// rotation's NextRotationDate moves past the run first), so the two never
// handle one event twice, and no lock is held while a handler runs (it may
// call back into this server).
//
// Nothing a scheduled task does escapes it: a failure is logged, a rotation
// that cannot start is a failed attempt in the history, and the event is
// set aside rather than retried in a loop.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "api/service.h"
#include "server/rotation/rotation_service.h"

namespace sml::server::rotation {

class Scheduler final : public api::ChangeListener {
 public:
  Scheduler(boost::asio::io_context& io, api::Services& services, RotationService& rotations);

  // Marks rotations a crash interrupted as failed and due again, runs what
  // came due while the server was down, then arms the timer.
  void Start();
  void Stop();
  void SecretChanged(std::int64_t secret_id) override;

  // POST /_local/clock: moves the clock to `target` one due event at a time.
  // Each rotation or purge due by `target` runs in due order, with the clock
  // first moved to its due moment (`move_clock(t)` moves it forward to t, or
  // leaves it when it is already later), each rotation waited for; events are
  // looked up afresh after each one, so a rotation scheduled from the actual
  // time of the previous one runs too when it is due by `target`. Then the
  // clock moves to `target`. Blocks the caller.
  void AdvanceClockTo(api::EpochMillis target,
                      const std::function<void(api::EpochMillis)>& move_clock);

  // Runs every event due now, earliest first, waiting for each rotation to
  // finish, until nothing is due. Blocks the caller.
  void RunDueEvents();

 private:
  enum class Mode { kAsync, kWait };
  struct DueEvent {
    storage::SecretRecord secret;
    bool purge = false;  // else a rotation
  };
  void RecoverInterruptedRotations();
  // Handles the earliest due event, if any; false when nothing is due (or
  // the due events cannot be read).
  bool HandleNextDueEvent(Mode mode);
  // `claiming` is set while the event's transaction runs.
  bool ClaimNextDueEvent(Mode mode, std::optional<DueEvent>& claiming);
  // After `event` failed: logged, a rotation recorded as a failed attempt and
  // rescheduled after the retry backoff, or else skipped by this process.
  bool SetAside(const std::optional<DueEvent>& event, const std::string& reason);
  const storage::SecretRecord* FirstNotSetAside(const std::vector<storage::SecretRecord>& due);
  void Arm();
  void OnTimer();

  api::Services& services_;
  RotationService& rotations_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::steady_timer timer_;
  std::atomic<bool> stopped_{false};
  // While a clock move runs due events itself, the timer leaves them alone,
  // so each one is waited for before the move answers.
  std::atomic<int> clock_moves_{0};
  std::mutex clock_mutex_;  // one clock move at a time, so events run in order
  // Due events whose handling failed and could not be rescheduled; they wait
  // for a restart rather than fail in a loop.
  std::mutex set_aside_mutex_;
  std::set<std::int64_t> set_aside_;  // GUARDED_BY(set_aside_mutex_)
  std::atomic<bool> read_failed_{false};
};

}  // namespace sml::server::rotation
