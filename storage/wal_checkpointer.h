#pragma once
// Checkpoints of a WAL database kept out of its writes, with the -wal file
// still bounded.
//
// SQLite's auto-checkpoint runs inside the COMMIT that crosses its threshold:
// that write copies the whole WAL into the database file while every other
// write waits. Instead, the writer connection's commits only count frames
// (sqlite3_wal_hook, which replaces the auto-checkpoint), and a thread with
// its own connection runs a PASSIVE checkpoint once `background_frames`
// frames wait to be copied; writes go on beside it.
//
// A WAL only starts over from its beginning when a checkpoint has copied all
// of it, which a background checkpoint under steady writes never does. So
// once the log holds `restart_frames` frames, the writer itself (still
// holding its write lock, so no write can slip in) runs a RESTART
// checkpoint: it copies what the background ones have not (little), waits
// briefly for readers of the old log to finish, and the next write starts
// the log from frame 0. So, while no reader holds a snapshot for long, the
// log never holds more than `restart_frames` plus one transaction's frames.
// And an idle log does not keep its file: see WalLimits::idle_truncate.
//
// Thread-safety: OnCommit and AfterCommit run on the writer's thread only,
// under the Store's write mutex; the background thread touches only its own
// connection and the members its mutexes guard. Nothing escapes the thread:
// a failed checkpoint is retried at the next trigger.
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "storage/sqlite/connection.h"

namespace sml::storage {

struct WalLimits {
  int background_frames = 1000;  // start a background checkpoint this far behind
  int restart_frames = 4000;     // the writer restarts the log at this length
  // After this long without a commit, the thread empties the log and cuts
  // its file to zero bytes (a TRUNCATE checkpoint).
  std::chrono::milliseconds idle_truncate{1000};
};

class WalCheckpointer {
 public:
  // Attaches to `writer` (which must outlive this) and opens a connection of
  // its own to `file`. Throws std::runtime_error if it cannot.
  WalCheckpointer(sqlite::Connection& writer, const std::string& file, WalLimits limits);
  ~WalCheckpointer();  // stops and joins the thread
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // After a COMMIT of the writer, before its write mutex is released.
  void AfterCommit() noexcept;

 private:
  static int OnCommit(void* self, sqlite3*, const char*, int frames);
  void Run() noexcept;
  void CopyInBackground();
  // `commits`: the count the idle period ended at.
  void TruncateWhileIdle(std::uint64_t commits);

  sqlite::Connection& writer_;
  sqlite::Connection own_;
  const WalLimits limits_;
  const int writer_busy_timeout_ms_;
  std::atomic<int> log_frames_ = 0;     // after the writer's last commit
  std::atomic<int> copied_frames_ = 0;  // copied, or being copied, by the background
  std::atomic<std::uint64_t> commits_ = 0;
  // The commit count at the last TRUNCATE (background thread only); none
  // yet: the frames written before this was attached (a new file's schema)
  // are cut too.
  std::optional<std::uint64_t> truncated_after_;
  // Held while either side checkpoints, so the writer's RESTART waits for a
  // background pass instead of failing on SQLite's checkpoint lock.
  std::mutex checkpointing_;
  std::mutex wake_mutex_;
  std::condition_variable wake_;
  bool wanted_ = false;   // GUARDED_BY(wake_mutex_)
  bool closing_ = false;  // GUARDED_BY(wake_mutex_)
  std::thread thread_;    // last: starts once everything above exists
};

}  // namespace sml::storage
