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
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <atomic>
#include <functional>
#include <mutex>

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
  void RecoverInterruptedRotations();
  // Handles the earliest due event, if any; false when nothing is due.
  bool HandleNextDueEvent(Mode mode);
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
};

}  // namespace sml::server::rotation
