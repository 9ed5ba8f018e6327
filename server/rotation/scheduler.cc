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
  const auto now = services_.clock.Now();
  services_.store.Write([&](storage::Repository& repo) {
    for (auto attempt : repo.RunningRotationAttempts()) {
      attempt.outcome = "failed";
      attempt.finished = now;
      attempt.error = "interrupted: the server stopped during this rotation";
      repo.SaveRotationAttempt(attempt);
      auto secret = repo.FindSecretById(attempt.secret_id);
      if (!secret || !secret->rotation_enabled.value_or(false) || secret->deleted_date) continue;
      // Due now; the run reuses the pending version's token.
      secret->next_rotation_date = now;
      secret->rotation_window_end = std::max(secret->rotation_window_end.value_or(0), now + kRunLease);
      repo.UpdateSecret(*secret);
      Log("info", "rotation interrupted by a restart is due again", {{"name", secret->name}});
    }
  });
}

void Scheduler::Stop() {
  stopped_ = true;
  boost::asio::post(strand_, [this] { timer_.cancel(); });
}

void Scheduler::SecretChanged(std::int64_t) {
  boost::asio::post(strand_, [this] { Arm(); });
}

void Scheduler::RunDueEvents() {
  ++clock_moves_;
  while (HandleNextDueEvent(Mode::kWait)) {
  }
  --clock_moves_;
  boost::asio::post(strand_, [this] { Arm(); });
}

bool Scheduler::HandleNextDueEvent(Mode mode) {
  if (stopped_) return false;
  const auto now = services_.clock.Now();
  // Claim the earliest due event in one transaction; run rotations outside it.
  std::optional<api::RotationRun> run;
  bool handled = services_.store.Write([&](storage::Repository& repo) {
    auto rotations = repo.DueRotations(now, 1);
    auto deletions = repo.DueDeletions(now, 1);
    bool rotation_first =
        !rotations.empty() &&
        (deletions.empty() || *rotations.front().next_rotation_date <= *deletions.front().deletion_date);
    if (rotation_first) {
      auto secret = rotations.front();
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
    if (!deletions.empty()) {
      Log("info", "purging secret whose recovery window ended", {{"name", deletions.front().name}});
      repo.PurgeSecret(deletions.front().id);
      return true;
    }
    return false;
  });
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
  auto due = services_.store.Read([](storage::Repository& repo) { return repo.EarliestDueEvent(); });
  metrics::ProcessMetrics().SetNextSchedulerEvent(due);
  auto wait = std::chrono::steady_clock::duration(kMaxSleep);
  if (clock_moves_ > 0) {
    wait = std::chrono::milliseconds(100);  // RunDueEvents re-arms when it is done
  } else if (due) {
    auto until = std::chrono::milliseconds(std::max<api::EpochMillis>(0, *due - services_.clock.Now()));
    wait = std::min<std::chrono::steady_clock::duration>(wait, until);
  }
  timer_.expires_after(wait);
  timer_.async_wait([this](boost::system::error_code error) {
    if (!error) OnTimer();
  });
}

}  // namespace sml::server::rotation
