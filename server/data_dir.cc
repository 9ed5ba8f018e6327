#include "server/data_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace sml::server {
namespace {

// The pid the holder wrote, as text ("" if unreadable).
std::string HolderPid(int fd) {
  char text[24] = {};
  const ssize_t n = ::pread(fd, text, sizeof text - 1, 0);
  std::string pid(text, n > 0 ? static_cast<std::size_t>(n) : 0);
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == '\0')) pid.pop_back();
  return pid;
}

std::variant<DataDirLock, std::string> Lock(const std::filesystem::path& dir) {
  const std::filesystem::path file = dir / "server.lock";
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return "cannot open " + file.string() + ": " + std::strerror(errno);
  DataDirLock lock(fd);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK) return "cannot lock " + file.string() + ": " + std::strerror(errno);
    const std::string pid = HolderPid(fd);
    return "data directory " + dir.string() + " is in use by another server" +
           (pid.empty() ? "" : " (pid " + pid + ")") +
           "; stop it, or give this one another --data-dir";
  }
  // The pid only helps the message above: a full disk may refuse it, and
  // the server still starts (and serves what it has).
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) == 0) (void)!::pwrite(fd, pid.data(), pid.size(), 0);
  return lock;
}

}  // namespace

DataDirLock::~DataDirLock() {
  if (fd_ >= 0) ::close(fd_);
}

std::variant<DataDirLock, std::string> PrepareDataDir(const std::filesystem::path& dir) {
  std::error_code ec;
  const bool created = std::filesystem::create_directories(dir, ec);
  if (ec) return "cannot create data directory " + dir.string() + ": " + ec.message();
  if (created) {
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, ec);
  }
  if (!std::filesystem::is_directory(dir, ec)) {
    return "data directory " + dir.string() + " is not a directory";
  }
  // Probe by writing: access(2) is wrong for root and for read-only mounts.
  const std::filesystem::path probe = dir / ".sml-write-test";
  int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return "data directory " + dir.string() + " is not writable: " + std::strerror(errno);
  }
  ::close(fd);
  ::unlink(probe.c_str());
  return Lock(dir);
}

}  // namespace sml::server
