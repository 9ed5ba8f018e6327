#include "storage/crypto/master_key.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string_view>
#include <system_error>

namespace sml::storage {
namespace {

namespace fs = std::filesystem;

// master.key is 64 hex digits and a newline; anything longer is not ours.
constexpr std::size_t kMaxKeyFileSize = 2 * kAes256KeySize + 2;

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now, so that a failing close (lost write) is reported.
  int Close() {
    int result = ::close(fd_);
    fd_ = -1;
    return result;
  }

 private:
  int fd_;
};

std::string ErrnoText(int error) { return std::generic_category().message(error); }

std::string_view TrimWhitespace(std::string_view text) {
  constexpr std::string_view kWhitespace = " \t\r\n";
  auto first = text.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  auto last = text.find_last_not_of(kWhitespace);
  return text.substr(first, last - first + 1);
}

Aes256Key RandomKey() {
  Aes256Key key{};
  // RAND_priv_bytes: OpenSSL's separate generator for long-term secrets.
  if (RAND_priv_bytes(key.data(), key.size()) != 1) {
    ERR_clear_error();
    throw std::runtime_error("cannot generate a master key: RAND_priv_bytes failed");
  }
  return key;
}

Aes256Key KeyFromEnvironment(std::string value) {
  std::string_view text = TrimWhitespace(value);
  std::optional<Aes256Key> key;
  if (text.empty()) {
    OPENSSL_cleanse(value.data(), value.size());
    throw std::runtime_error(std::string(kMasterKeyEnvironmentVariable) +
                             " is set but empty; unset it or give it 32 random bytes as 64 hex "
                             "digits or base64 (openssl rand -hex 32)");
  }
  key = DecodeHexKey(text);
  if (!key) key = DecodeBase64Key(text);
  std::size_t length = text.size();
  OPENSSL_cleanse(value.data(), value.size());
  if (!key) {
    throw std::runtime_error(std::string(kMasterKeyEnvironmentVariable) +
                             " is not a 32-byte key (" + std::to_string(length) +
                             " characters); expected 64 hex digits or base64 of 32 bytes "
                             "(openssl rand -hex 32)");
  }
  Aes256Key result = *key;
  OPENSSL_cleanse(key->data(), key->size());
  return result;
}

// Reads an existing master.key. Returns nullopt if it does not exist.
std::optional<Aes256Key> ReadKeyFile(const fs::path& path) {
  FileDescriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (file.get() < 0) {
    int error = errno;
    if (error == ENOENT) return std::nullopt;
    throw std::runtime_error("cannot open master key file " + path.string() + ": " +
                             ErrnoText(error));
  }
  struct stat status {};
  if (::fstat(file.get(), &status) != 0) {
    throw std::runtime_error("cannot stat master key file " + path.string() + ": " +
                             ErrnoText(errno));
  }
  if (!S_ISREG(status.st_mode)) {
    throw std::runtime_error("master key file " + path.string() + " is not a regular file");
  }
  // Like ssh with private keys: refuse rather than warn, because a warning
  // in a container log is never read and the key protects every secret.
  if ((status.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(status.st_mode & 07777));
    throw std::runtime_error("refusing master key file " + path.string() + ": mode " + mode +
                             " lets group or others access it; run chmod 600 " + path.string());
  }

  char buffer[kMaxKeyFileSize + 1];
  std::size_t size = 0;
  while (size < sizeof buffer) {
    ssize_t n = ::read(file.get(), buffer + size, sizeof buffer - size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int error = errno;
      OPENSSL_cleanse(buffer, sizeof buffer);
      throw std::runtime_error("cannot read master key file " + path.string() + ": " +
                               ErrnoText(error));
    }
    if (n == 0) break;
    size += static_cast<std::size_t>(n);
  }
  std::string_view text(buffer, size);
  if (text.ends_with('\n')) text.remove_suffix(1);
  std::optional<Aes256Key> key = DecodeHexKey(text);
  OPENSSL_cleanse(buffer, sizeof buffer);
  if (!key) {
    throw std::runtime_error("master key file " + path.string() +
                             " is malformed: expected exactly 64 hex digits and an optional "
                             "newline (openssl rand -hex 32)");
  }
  Aes256Key result = *key;
  OPENSSL_cleanse(key->data(), key->size());
  return result;
}

void WriteAll(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::system_error(errno, std::generic_category(), "write");
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

// Makes the new directory entry durable: without it a crash could keep the
// database but lose the key that decrypts it.
void SyncDirectory(const fs::path& directory) {
  FileDescriptor dir(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() < 0) throw std::system_error(errno, std::generic_category(), "open directory");
  if (::fsync(dir.get()) != 0 && errno != EINVAL) {
    throw std::system_error(errno, std::generic_category(), "fsync directory");
  }
}

// Creates master.key with a fresh key. Returns nullopt if the file appeared
// meanwhile (another process won the race; the caller reads theirs).
std::optional<Aes256Key> CreateKeyFile(const fs::path& data_dir, const fs::path& path) {
  std::error_code error;
  fs::create_directories(data_dir, error);
  if (error) {
    throw std::runtime_error("cannot create data directory " + data_dir.string() + ": " +
                             error.message());
  }
  FileDescriptor file(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (file.get() < 0) {
    int open_error = errno;
    if (open_error == EEXIST) return std::nullopt;
    throw std::runtime_error("cannot create master key file " + path.string() + ": " +
                             ErrnoText(open_error));
  }
  Aes256Key key = RandomKey();
  std::string text = HexEncode(key) + "\n";
  try {
    WriteAll(file.get(), text.data(), text.size());
    if (::fsync(file.get()) != 0) throw std::system_error(errno, std::generic_category(), "fsync");
    if (file.Close() != 0) throw std::system_error(errno, std::generic_category(), "close");
    SyncDirectory(data_dir);
  } catch (const std::system_error& e) {
    OPENSSL_cleanse(text.data(), text.size());
    OPENSSL_cleanse(key.data(), key.size());
    // A half-written file would fail every later start; no secret can have
    // been encrypted under it yet, so removing it is safe.
    ::unlink(path.c_str());
    throw std::runtime_error("cannot write master key file " + path.string() + ": " +
                             e.code().message());
  }
  OPENSSL_cleanse(text.data(), text.size());
  return key;
}

}  // namespace

MasterKey::~MasterKey() { OPENSSL_cleanse(bytes.data(), bytes.size()); }

std::optional<std::string> ProcessEnvironment(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

MasterKey ResolveMasterKey(const std::optional<fs::path>& data_dir,
                           const EnvironmentLookup& environment) {
  MasterKey master;
  if (std::optional<std::string> value = environment(kMasterKeyEnvironmentVariable)) {
    master.bytes = KeyFromEnvironment(std::move(*value));
    master.source = std::string("environment variable ") + kMasterKeyEnvironmentVariable;
    return master;
  }
  if (!data_dir) {
    master.bytes = RandomKey();
    master.source = "ephemeral (in-memory run)";
    return master;
  }
  fs::path path = *data_dir / kMasterKeyFileName;
  std::optional<Aes256Key> key = ReadKeyFile(path);
  master.source = "file " + path.string();
  if (!key) {
    key = CreateKeyFile(*data_dir, path);
    if (key) {
      master.source += " (newly generated)";
    } else {
      key = ReadKeyFile(path);
      if (!key) throw std::runtime_error("master key file " + path.string() + " vanished");
    }
  }
  master.bytes = *key;
  OPENSSL_cleanse(key->data(), key->size());
  return master;
}

}  // namespace sml::storage
