#include "server/data_dir.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace sml::server {

std::optional<std::string> PrepareDataDir(const std::filesystem::path& dir) {
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
  return std::nullopt;
}

}  // namespace sml::server
