#include "server/rotation/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <stdexcept>

extern char** environ;

namespace sml::server::rotation {
namespace {

// Longest stderr line an error message quotes.
constexpr std::size_t kMaxErrorLine = 512;

struct Pipe {
  int read_end = -1;
  int write_end = -1;
  Pipe() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::strerror(errno));
    read_end = fds[0];
    write_end = fds[1];
  }
  ~Pipe() {
    CloseRead();
    CloseWrite();
  }
  void CloseRead() {
    if (read_end >= 0) close(read_end);
    read_end = -1;
  }
  void CloseWrite() {
    if (write_end >= 0) close(write_end);
    write_end = -1;
  }
};

void Append(std::string& output, const char* data, std::size_t size) {
  std::size_t room = kMaxHandlerOutput > output.size() ? kMaxHandlerOutput - output.size() : 0;
  output.append(data, std::min(size, room));
}

// Keeps enough of the end of stderr to find its last line.
void AppendTail(std::string& tail, const char* data, std::size_t size) {
  tail.append(data, size);
  if (tail.size() > 4 * kMaxErrorLine) tail.erase(0, tail.size() - 2 * kMaxErrorLine);
}

std::string LastLine(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  auto end = text.find_last_not_of(kSpace);
  if (end == std::string_view::npos) return "";
  text = text.substr(0, end + 1);
  auto newline = text.find_last_of('\n');
  if (newline != std::string_view::npos) text = text.substr(newline + 1);
  text = text.substr(std::min(text.size(), text.find_first_not_of(kSpace)));
  return std::string(text.substr(0, kMaxErrorLine));
}

// A child that exits without reading stdin closes the pipe; the write's
// SIGPIPE is blocked for this thread and discarded rather than killing us.
void WriteIgnoringSigpipe(int fd, const std::string& payload) {
  sigset_t pipe_signal, previous;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_signal, &previous);
  ssize_t written = write(fd, payload.data(), payload.size());
  if (written < 0 && errno == EPIPE) {
    timespec no_wait{0, 0};
    while (sigtimedwait(&pipe_signal, nullptr, &no_wait) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
}

}  // namespace

std::vector<std::string> HandlerEnvironment(const CallbackEnvironment& callback,
                                            const std::string& function_name) {
  std::map<std::string, std::string> vars;
  for (char** entry = environ; *entry; ++entry) {
    std::string_view text(*entry);
    auto eq = text.find('=');
    if (eq != std::string_view::npos) vars[std::string(text.substr(0, eq))] = text.substr(eq + 1);
  }
  vars["AWS_ENDPOINT_URL"] = callback.endpoint;
  vars["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = callback.endpoint;
  vars["SECRETS_MANAGER_ENDPOINT"] = callback.endpoint;
  vars["AWS_REGION"] = callback.region;
  vars["AWS_DEFAULT_REGION"] = callback.region;
  vars["AWS_ACCESS_KEY_ID"] = callback.access_key_id;
  vars["AWS_SECRET_ACCESS_KEY"] = callback.secret_access_key;
  if (!function_name.empty()) vars["AWS_LAMBDA_FUNCTION_NAME"] = function_name;
  vars.erase("AWS_SESSION_TOKEN");
  vars.erase("AWS_PROFILE");
  std::vector<std::string> out;
  for (auto& [key, value] : vars) out.push_back(key + "=" + value);
  return out;
}

ChildResult RunChild(const std::vector<std::string>& command,
                     const std::vector<std::string>& environment, const std::string& input,
                     std::chrono::seconds timeout, const std::atomic<bool>* stop) {
  if (command.empty()) return {false, "no command", "", ""};
  Pipe in, out, err;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.read_end, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out.write_end, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.write_end, STDERR_FILENO);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setpgroup(&attributes, 0);  // own group: the timeout kills its children too
  sigset_t default_signals;
  sigemptyset(&default_signals);
  sigaddset(&default_signals, SIGPIPE);
  sigaddset(&default_signals, SIGINT);
  sigaddset(&default_signals, SIGTERM);
  sigaddset(&default_signals, SIGHUP);
  posix_spawnattr_setsigdefault(&attributes, &default_signals);
  sigset_t no_signals;
  sigemptyset(&no_signals);
  posix_spawnattr_setsigmask(&attributes, &no_signals);
  posix_spawnattr_setflags(&attributes,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  std::vector<char*> argv;
  for (const auto& part : command) argv.push_back(const_cast<char*>(part.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& entry : environment) envp.push_back(const_cast<char*>(entry.c_str()));
  envp.push_back(nullptr);

  pid_t pid = 0;
  int spawn_error = posix_spawnp(&pid, argv[0], &actions, &attributes, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (spawn_error != 0) {
    return {false, "cannot start '" + command.front() + "': " + std::strerror(spawn_error), "", ""};
  }
  in.CloseRead();
  out.CloseWrite();
  err.CloseWrite();

  // The input is small (well under a pipe buffer), so one write does not block.
  WriteIgnoringSigpipe(in.write_end, input);
  in.CloseWrite();

  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + timeout;
  ChildResult result;
  std::string error_tail;
  bool timed_out = false;
  pollfd fds[2] = {{out.read_end, POLLIN, 0}, {err.read_end, POLLIN, 0}};
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0 || (stop != nullptr && stop->load())) {
      timed_out = true;
      break;
    }
    int ready = poll(fds, 2, static_cast<int>(std::min<long>(left.count(), 1000)));
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buffer[4096];
      ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {  // EOF: the child (and any grandchild) closed this stream
        fds[i].fd = -1;
        continue;
      }
      Append(result.output, buffer, static_cast<std::size_t>(n));
      if (i == 1) AppendTail(error_tail, buffer, static_cast<std::size_t>(n));
    }
  }
  if (timed_out) kill(-pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.last_error_line = LastLine(error_tail);
  if (timed_out) {
    result.error = stop != nullptr && stop->load()
                       ? kStoppedByShutdown
                       : "timed out after " + std::to_string(timeout.count()) + " s";
    return result;
  }
  // A child may leave a background grandchild holding the pipes; reap the group.
  kill(-pid, SIGKILL);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    result.succeeded = true;
  } else if (WIFSIGNALED(status)) {
    result.error = std::string("killed by signal ") + strsignal(WTERMSIG(status));
  } else {
    result.error = "exited with status " + std::to_string(WEXITSTATUS(status));
  }
  return result;
}

}  // namespace sml::server::rotation
