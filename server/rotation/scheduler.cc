#include "server/rotation/scheduler.h"

#include <boost/asio/post.hpp>

#include "api/rotation/rotation_state.h"
#include "server/log.h"
#include "server/metrics/metrics.h"

namespace sml::server::rotation {
namespace {

// The Clock can be moved forward and the wall clock can jump, so the timer
// checks again at least this often.
constexpr auto kMaxSleep = std::chrono::seconds(30);
// A scheduled run claims its event by moving NextRotationDate this far ahead,
// so the timer does not start it twice; completion sets the real next date.
// Long enough for four steps at Lambda's longest timeout.
constexpr api::EpochMillis kRunLease = 4 * 900'000 + 60'000;

}  // namespace

Scheduler::Scheduler(boost::asio::io_context& io, api::Services& services,
                     RotationService& rotations)
    : services_(services),
      rotations_(rotations),
      strand_(boost::asio::make_strand(io)),
      timer_(strand_) {}

void Scheduler::Start() {
  RecoverInterruptedRotations();
  boost::asio::post(strand_, [this] { OnTimer(); });
}

void Scheduler::RecoverInterruptedRotations() {
  // The server starts whatever this finds: a secret that cannot be made due
  // again keeps its failed attempt, and nothing here runs a handler.
  const auto now = services_.clock.Now();
  try {
    services_.store.Write([&](storage::Repository& repo) {
      for (auto attempt : repo.RunningRotationAttempts()) {
        attempt.outcome = "failed";
        attempt.finished = now;
        attempt.error = "interrupted: the server stopped during this rotation";
        repo.SaveRotationAttempt(attempt);
        try {
          auto secret = repo.FindSecretById(attempt.secret_id);
          if (!secret || !secret->rotation_enabled.value_or(false) || secret->deleted_date) continue;
          // Due now; the run reuses the pending version's token.
          secret->next_rotation_date = now;
          secret->rotation_window_end =
              std::max(secret->rotation_window_end.value_or(0), now + kRunLease);
          repo.UpdateSecret(*secret);
          Log("info", "rotation interrupted by a restart is due again", {{"name", secret->name}});
        } catch (const std::exception& e) {
          Log("error", "interrupted rotation not resumed",
              {{"secret_id", std::to_string(attempt.secret_id)}, {"error", DescribeFailure(e)}});
        }
      }
    });
  } catch (const std::exception& e) {
    Log("error", "cannot recover interrupted rotations", {{"error", DescribeFailure(e)}});
  }
}

void Scheduler::Stop() {
  stopped_ = true;
  boost::asio::post(strand_, [this] { timer_.cancel(); });
}

void Scheduler::SecretChanged(std::int64_t) {
  boost::asio::post(strand_, [this] { Arm(); });
}

void Scheduler::AdvanceClockTo(api::EpochMillis target,
                               const std::function<void(api::EpochMillis)>& move_clock) {
  // The timer leaves due events alone while a move runs them; it is re-armed
  // when the move ends, however it ends.
  struct TimerPause {
    Scheduler& scheduler;
    explicit TimerPause(Scheduler& s) : scheduler(s) { ++scheduler.clock_moves_; }
    ~TimerPause() {
      --scheduler.clock_moves_;
      boost::asio::post(scheduler.strand_, [s = &scheduler] { s->Arm(); });
    }
  };
  std::lock_guard lock(clock_mutex_);
  TimerPause pause(*this);
  for (;;) {
    auto due = services_.store.Read([](storage::Repository& repo) { return repo.EarliestDueEvent(); });
    if (!due || *due > target) break;
    move_clock(*due);
    if (!HandleNextDueEvent(Mode::kWait)) break;
  }
  move_clock(target);
  // What is due at `target` itself, or came due while the last events ran.
  while (HandleNextDueEvent(Mode::kWait)) {
  }
}

void Scheduler::RunDueEvents() {
  AdvanceClockTo(services_.clock.Now(), [](api::EpochMillis) {});
}

bool Scheduler::HandleNextDueEvent(Mode mode) {
  if (stopped_) return false;
  // The top-level guard of every scheduled task: a failure is logged (and
  // recorded, for a rotation), the event is set aside, the scheduler goes on.
  std::optional<DueEvent> claiming;
  try {
    return ClaimNextDueEvent(mode, claiming);
  } catch (const std::exception& e) {
    return SetAside(claiming, DescribeFailure(e));
  } catch (...) {
    return SetAside(claiming, "unknown error");
  }
}

bool Scheduler::SetAside(const std::optional<DueEvent>& event, const std::string& reason) {
  if (!event) {
    Log("error", "due events cannot be read", {{"error", reason}});
    read_failed_ = true;  // Arm() waits before the next try
    return false;
  }
  const storage::SecretRecord& secret = event->secret;
  Log("error", event->purge ? "scheduled purge failed" : "scheduled rotation could not start",
      {{"secret_id", std::to_string(secret.id)}, {"error", reason}});
  {
    std::lock_guard lock(set_aside_mutex_);
    set_aside_.insert(secret.id);
  }
  if (event->purge) return true;
  // A failed scheduled attempt in the history, and due again after the retry
  // backoff, when those can still be written; set aside until then.
  try {
    const auto now = services_.clock.Now();
    storage::SecretRecord rescheduled = secret;
    services_.store.Write([&](storage::Repository& repo) {
      storage::RotationAttemptRecord attempt{.secret_id = secret.id,
                                             .secret_arn = secret.arn,
                                             .secret_name = secret.name,
                                             .trigger = "scheduled",
                                             .started = now,
                                             .finished = now,
                                             .outcome = "failed",
                                             .error = "the rotation could not start: " + reason,
                                             .steps_json = "[]"};
      repo.SaveRotationAttempt(attempt);
    });
    services_.store.Write([&](storage::Repository& repo) {
      api::rotation::ScheduleRetry(rescheduled, repo.ConsecutiveScheduledFailures(secret.id), now,
                                   services_.schedule_random);
      repo.UpdateSecret(rescheduled);
    });
    if (rescheduled.next_rotation_date > now) {
      std::lock_guard lock(set_aside_mutex_);
      set_aside_.erase(secret.id);
    }
  } catch (const std::exception& e) {
    Log("error", "cannot record the failed start", {{"error", DescribeFailure(e)}});
  }
  return true;
}

const storage::SecretRecord* Scheduler::FirstNotSetAside(
    const std::vector<storage::SecretRecord>& due) {
  std::lock_guard lock(set_aside_mutex_);
  for (const auto& secret : due) {
    if (!set_aside_.contains(secret.id)) return &secret;
  }
  return nullptr;
}

bool Scheduler::ClaimNextDueEvent(Mode mode, std::optional<DueEvent>& claiming) {
  const auto now = services_.clock.Now();
  int limit = 1;
  {
    std::lock_guard lock(set_aside_mutex_);
    limit += static_cast<int>(set_aside_.size());
  }
  // Claim the earliest due event in one transaction; run rotations outside it.
  std::optional<api::RotationRun> run;
  bool handled = services_.store.Write([&](storage::Repository& repo) {
    auto rotations = repo.DueRotations(now, limit);
    auto deletions = repo.DueDeletions(now, limit);
    const storage::SecretRecord* rotation = FirstNotSetAside(rotations);
    const storage::SecretRecord* deletion = FirstNotSetAside(deletions);
    if (rotation && (!deletion || *rotation->next_rotation_date <= *deletion->deletion_date)) {
      claiming = DueEvent{*rotation, false};
      auto secret = *rotation;
      if (!secret.rotation_lambda_arn) {
        secret.next_rotation_date.reset();
        repo.UpdateSecret(secret);
        return true;
      }
      // An unfinished rotation is reattempted with its own token.
      auto pending = repo.FindVersionByLabel(secret.id, api::rotation::kAwsPending, false);
      bool unfinished = pending && std::find(pending->labels.begin(), pending->labels.end(),
                                             api::rotation::kAwsCurrent) == pending->labels.end();
      std::string token = unfinished ? pending->version_id : services_.random.Uuid();
      api::rotation::BeginRotation(repo, secret.id, token, now);
      secret.next_rotation_date = now + kRunLease;
      repo.UpdateSecret(secret);
      run = api::RotationRun{.secret_id = secret.id,
                             .secret_arn = secret.arn,
                             .account_id = secret.account_id,
                             .region = secret.region,
                             .token = token,
                             .lambda_arn = *secret.rotation_lambda_arn,
                             .trigger = api::RotationTrigger::kScheduled};
      return true;
    }
    if (deletion) {
      claiming = DueEvent{*deletion, true};
      Log("info", "purging secret whose recovery window ended", {{"name", deletion->name}});
      repo.PurgeSecret(deletion->id);
      return true;
    }
    return false;
  });
  claiming.reset();  // committed: the rotation service owns the run now
  if (run) {
    if (mode == Mode::kWait) {
      rotations_.RunNow(*run);
    } else {
      rotations_.Start(std::move(*run));
    }
  }
  return handled;
}

void Scheduler::OnTimer() {
  // Bounded per tick so a backlog cannot monopolise the strand.
  for (int i = 0; i < 100 && clock_moves_ == 0 && HandleNextDueEvent(Mode::kAsync); ++i) {
  }
  Arm();
}

void Scheduler::Arm() {
  if (stopped_) return;
  std::optional<api::EpochMillis> due;
  try {
    due = services_.store.Read([](storage::Repository& repo) { return repo.EarliestDueEvent(); });
  } catch (const std::exception& e) {
    Log("error", "due events cannot be read", {{"error", DescribeFailure(e)}});
    read_failed_ = true;
  }
  bool any_set_aside;
  {
    std::lock_guard lock(set_aside_mutex_);
    any_set_aside = !set_aside_.empty();
  }
  metrics::ProcessMetrics().SetNextSchedulerEvent(due);
  auto wait = std::chrono::steady_clock::duration(kMaxSleep);
  if (read_failed_.exchange(false)) {
    // Something due cannot be read: retry at the longest sleep, not in a loop.
  } else if (clock_moves_ > 0) {
    wait = std::chrono::milliseconds(100);  // AdvanceClockTo re-arms when it is done
  } else if (due) {
    auto until = std::chrono::milliseconds(std::max<api::EpochMillis>(0, *due - services_.clock.Now()));
    // Still due after a pass: a set-aside event, which is no reason to spin.
    if (until.count() == 0 && any_set_aside) until = kMaxSleep;
    wait = std::min<std::chrono::steady_clock::duration>(wait, until);
  }
  timer_.expires_after(wait);
  timer_.async_wait([this](boost::system::error_code error) {
    if (!error) OnTimer();
  });
}

}  // namespace sml::server::rotation
