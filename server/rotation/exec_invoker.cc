// The exec rotation handler: posix_spawn a child in its own process group,
// feed it the event on stdin, collect its output, kill the group at the
// timeout. Runs on a rotation pool thread (blocking is fine there).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>

#include "server/rotation/step_invoker.h"

extern char** environ;

namespace sml::server::rotation {
namespace {

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

// The parent's environment with the callback variables set over it.
std::vector<std::string> ChildEnvironment(const CallbackEnvironment& callback,
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
  vars["AWS_LAMBDA_FUNCTION_NAME"] = function_name;
  vars.erase("AWS_SESSION_TOKEN");
  vars.erase("AWS_PROFILE");
  std::vector<std::string> out;
  for (auto& [key, value] : vars) out.push_back(key + "=" + value);
  return out;
}

void Append(std::string& output, const char* data, std::size_t size) {
  std::size_t room = kMaxHandlerOutput > output.size() ? kMaxHandlerOutput - output.size() : 0;
  output.append(data, std::min(size, room));
}

// A handler that exits without reading stdin closes the pipe; the write's
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

StepOutcome ExecInvoker::Invoke(const HandlerConfig& handler, const std::string& function_name,
                                const nlohmann::json& event, const CallbackEnvironment& callback) {
  Pipe in, out;  // stdout and stderr share one pipe: one interleaved log
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.read_end, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out.write_end, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out.write_end, STDERR_FILENO);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setpgroup(&attributes, 0);  // own group: the timeout kills its children too
  sigset_t default_signals;
  sigemptyset(&default_signals);
  sigaddset(&default_signals, SIGPIPE);
  sigaddset(&default_signals, SIGINT);
  sigaddset(&default_signals, SIGTERM);
  posix_spawnattr_setsigdefault(&attributes, &default_signals);
  sigset_t no_signals;
  sigemptyset(&no_signals);
  posix_spawnattr_setsigmask(&attributes, &no_signals);
  posix_spawnattr_setflags(&attributes,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  std::vector<char*> argv;
  for (const auto& part : handler.command) argv.push_back(const_cast<char*>(part.c_str()));
  argv.push_back(nullptr);
  auto environment = ChildEnvironment(callback, function_name);
  std::vector<char*> envp;
  for (auto& entry : environment) envp.push_back(entry.data());
  envp.push_back(nullptr);

  pid_t pid = 0;
  int spawn_error = posix_spawnp(&pid, argv[0], &actions, &attributes, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (spawn_error != 0) {
    return {false, "cannot start '" + handler.command.front() + "': " + std::strerror(spawn_error), ""};
  }
  in.CloseRead();
  out.CloseWrite();

  // The event is small (well under a pipe buffer), so one write does not block.
  WriteIgnoringSigpipe(in.write_end,
                       event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  in.CloseWrite();

  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::seconds(handler.timeout_seconds);
  std::string output;
  bool timed_out = false;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd fd{out.read_end, POLLIN, 0};
    int ready = poll(&fd, 1, static_cast<int>(std::min<long>(left.count(), 1000)));
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    char buffer[4096];
    ssize_t n = read(out.read_end, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EOF: the child (and any grandchild) closed its output
    Append(output, buffer, static_cast<std::size_t>(n));
  }
  if (timed_out) kill(-pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    return {false, "timed out after " + std::to_string(handler.timeout_seconds) + " s", output};
  }
  // A handler may leave a background grandchild holding the pipe; reap the group.
  kill(-pid, SIGKILL);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {true, "", output};
  if (WIFSIGNALED(status)) {
    return {false, std::string("killed by signal ") + strsignal(WTERMSIG(status)), output};
  }
  return {false, "exited with status " + std::to_string(WEXITSTATUS(status)), output};
}

}  // namespace sml::server::rotation
