#include "storage/wal_checkpointer.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

namespace sml::storage {
namespace {

// The WAL file format: a header, then per frame a header and a page.
constexpr std::int64_t kWalHeaderBytes = 32;
constexpr std::int64_t kFrameHeaderBytes = 24;

constexpr char kPageSize[] = "PRAGMA page_size";
constexpr char kBusyTimeout[] = "PRAGMA busy_timeout";

std::int64_t PragmaValue(sqlite::Connection& connection, const char* pragma) {
  auto statement = connection.Use(pragma);
  statement->Step();
  return statement->ColumnInt64(0);
}

// While the writer restarts the log, writes wait: so it waits for readers
// of the old log only briefly (a few ms), then leaves the restart to a
// later commit.
int WaitBriefly(void*, int attempts) {
  if (attempts >= 20) return 0;
  std::this_thread::sleep_for(std::chrono::microseconds(100));
  return 1;
}

}  // namespace

WalCheckpointer::WalCheckpointer(sqlite::Connection& writer, const std::string& file,
                                 WalLimits limits)
    : writer_(writer),
      own_(file),
      limits_(limits),
      writer_busy_timeout_ms_(static_cast<int>(PragmaValue(writer, kBusyTimeout))) {
  // A connection learns that the file is in WAL mode only when it reads it.
  own_.Execute("PRAGMA schema_version");
  // The log is cut back to its bound when it starts over, not below: a file
  // that is cut shorter only grows again, and growing a file costs more
  // than overwriting it.
  const std::int64_t frame_bytes = PragmaValue(own_, kPageSize) + kFrameHeaderBytes;
  writer_.Execute(("PRAGMA journal_size_limit = " +
                   std::to_string(kWalHeaderBytes + frame_bytes * limits_.restart_frames))
                      .c_str());
  thread_ = std::thread([this] { Run(); });
  sqlite3_wal_hook(writer_.handle(), &WalCheckpointer::OnCommit, this);
}

WalCheckpointer::~WalCheckpointer() {
  sqlite3_wal_hook(writer_.handle(), nullptr, nullptr);
  {
    std::lock_guard lock(wake_mutex_);
    closing_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

// Inside the writer's COMMIT: counts, and wakes the thread when the log is
// `background_frames` past what it has copied (a shorter log than that
// count means the log started over).
int WalCheckpointer::OnCommit(void* self_pointer, sqlite3*, const char*, int frames) {
  auto& self = *static_cast<WalCheckpointer*>(self_pointer);
  ++self.commits_;
  self.log_frames_ = frames;
  const int copied = self.copied_frames_;
  const int behind = frames < copied ? frames : frames - copied;
  if (behind >= self.limits_.background_frames) {
    std::lock_guard lock(self.wake_mutex_);
    if (!self.wanted_) {
      self.wanted_ = true;
      self.wake_.notify_one();
    }
  }
  return SQLITE_OK;
}

void WalCheckpointer::AfterCommit() noexcept {
  if (log_frames_ < limits_.restart_frames) return;
  try {
    std::lock_guard lock(checkpointing_);
    sqlite3_busy_handler(writer_.handle(), &WaitBriefly, nullptr);
    const int code = sqlite3_wal_checkpoint_v2(writer_.handle(), nullptr, SQLITE_CHECKPOINT_RESTART,
                                               nullptr, nullptr);
    sqlite3_busy_timeout(writer_.handle(), writer_busy_timeout_ms_);
    // On failure (a reader of the old log) the next commit tries again.
    if (code == SQLITE_OK) {
      log_frames_ = 0;
      copied_frames_ = 0;
    }
  } catch (...) {
    // The write itself has committed; only this checkpoint is skipped.
  }
}

void WalCheckpointer::Run() noexcept {
  try {
    std::unique_lock lock(wake_mutex_);
    std::uint64_t commits_seen = commits_;
    for (;;) {
      const bool woken =
          wake_.wait_for(lock, limits_.idle_truncate, [this] { return wanted_ || closing_; });
      if (closing_) return;
      if (woken) {
        wanted_ = false;
        lock.unlock();
        CopyInBackground();
        lock.lock();
        continue;
      }
      const std::uint64_t commits = commits_;
      const bool idle = commits == commits_seen;
      commits_seen = commits;
      // Not the frame count: a log the writer has just restarted counts 0
      // frames but keeps its file (at its bound, journal_size_limit).
      if (!idle || truncated_after_ == commits) continue;
      lock.unlock();
      TruncateWhileIdle(commits);
      lock.lock();
    }
  } catch (...) {
    // Only a mutex can throw here; the writer's RESTART still bounds the log.
  }
}

void WalCheckpointer::CopyInBackground() {
  std::lock_guard checkpointing(checkpointing_);
  copied_frames_ = log_frames_.load();  // no new wake-up for these
  int log = 0;
  int copied = 0;
  // PASSIVE: copies what no reader still needs, never waits.
  if (sqlite3_wal_checkpoint_v2(own_.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied) ==
          SQLITE_OK &&
      copied >= 0) {
    copied_frames_ = copied;
  }
}

// Fails at once (no busy handler) if a write or a reader of the log came
// meanwhile; the next idle period tries again.
void WalCheckpointer::TruncateWhileIdle(std::uint64_t commits) {
  std::lock_guard checkpointing(checkpointing_);
  int frames = log_frames_;
  if (sqlite3_wal_checkpoint_v2(own_.handle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr,
                                nullptr) == SQLITE_OK) {
    log_frames_.compare_exchange_strong(frames, 0);  // unless a commit came since
    copied_frames_ = 0;
    truncated_after_ = commits;  // a commit since makes the next idle period try again
  }
}

}  // namespace sml::storage
