#include "storage/wal_checkpointer.h"

#include <cstdint>
#include <string>

namespace sml::storage {
namespace {

// The WAL file format: a header, then per frame a header and a page.
constexpr std::int64_t kWalHeaderBytes = 32;
constexpr std::int64_t kFrameHeaderBytes = 24;

constexpr char kPageSize[] = "PRAGMA page_size";

std::int64_t PageSize(sqlite::Connection& connection) {
  auto statement = connection.Use(kPageSize);
  statement->Step();
  return statement->ColumnInt64(0);
}

}  // namespace

WalCheckpointer::WalCheckpointer(sqlite::Connection& writer, const std::string& file,
                                 WalLimits limits)
    : writer_(writer), own_(file), limits_(limits) {
  // A connection learns that the file is in WAL mode only when it reads it.
  own_.Execute("PRAGMA schema_version");
  // The log is cut back to its bound when it starts over, not below: a file
  // that is cut shorter only grows again, and growing a file costs more
  // than overwriting it.
  const std::int64_t frame_bytes = PageSize(own_) + kFrameHeaderBytes;
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
    // Waits (busy_timeout) for readers of the old log; on failure the next
    // commit tries again.
    if (sqlite3_wal_checkpoint_v2(writer_.handle(), nullptr, SQLITE_CHECKPOINT_RESTART, nullptr,
                                  nullptr) == SQLITE_OK) {
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
    for (;;) {
      wake_.wait(lock, [this] { return wanted_ || closing_; });
      if (closing_) return;
      wanted_ = false;
      lock.unlock();
      {
        std::lock_guard checkpointing(checkpointing_);
        copied_frames_ = log_frames_.load();  // no new wake-up for these
        int log = 0;
        int copied = 0;
        // PASSIVE: copies what no reader still needs, never waits.
        if (sqlite3_wal_checkpoint_v2(own_.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log,
                                      &copied) == SQLITE_OK &&
            copied >= 0) {
          copied_frames_ = copied;
        }
      }
      lock.lock();
    }
  } catch (...) {
    // Only a mutex can throw here; the writer's RESTART still bounds the log.
  }
}

}  // namespace sml::storage
