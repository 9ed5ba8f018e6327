#pragma once
// The data directory: created if missing (with its parents, mode 0700 for a
// new leaf), checked to be a writable directory before anything is put in
// it, and held by one server at a time, so that a bad --data-dir, or one
// another server is using, fails at startup with one clear line.
#include <filesystem>
#include <string>
#include <variant>

namespace sml::server {

// The lock on DIR/server.lock (flock, with the holder's pid written in it),
// kept while this object lives. The kernel releases it when the process
// ends, kill -9 included. A second server on the same directory would not
// see the first one's writes in its read cache (stale reads), and both
// schedulers would act on the same due rotations.
class DataDirLock {
 public:
  explicit DataDirLock(int fd) : fd_(fd) {}
  DataDirLock(DataDirLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  DataDirLock& operator=(DataDirLock&&) = delete;
  DataDirLock(const DataDirLock&) = delete;
  ~DataDirLock();

 private:
  int fd_;
};

// The held directory, or a one-line reason why it cannot be used.
std::variant<DataDirLock, std::string> PrepareDataDir(const std::filesystem::path& dir);

}  // namespace sml::server
