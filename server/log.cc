#include "server/log.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

namespace sml::server {
namespace {

std::atomic<LogFormat> g_format{LogFormat::kText};
std::mutex g_write_mutex;

// Request lines reach stderr through one thread of their own: a request
// appends its line under a short lock and goes on; the writer puts what has
// gathered on stderr with one write(2). Under load that is one write for
// many requests, and no request waits for the write or for another's.
// Lines are written in the order they were appended, within a millisecond;
// at exit (atexit) whatever is pending is written first. A kill -9 loses
// only the lines of the last instant.
class RequestLines {
 public:
  // Made with the first request line (its thread is not started before a
  // request is answered). Never destroyed: threads still running at exit
  // may log.
  static RequestLines& Instance() {
    static RequestLines* const lines = [] {
      auto* made = new RequestLines;
      made_.store(made, std::memory_order_release);
      return made;
    }();
    return *lines;
  }
  // Null until the first request line.
  static RequestLines* IfMade() { return made_.load(std::memory_order_acquire); }

  void Append(std::string_view line) {
    std::unique_lock lock(mutex_);
    // Should stderr stop draining, requests wait, as a blocking write would.
    drained_.wait(lock, [&] { return pending_.size() < kMaxPending; });
    const bool wake = pending_.empty();
    pending_.append(line);
    if (wake) pending_ready_.notify_one();
  }

  // Returns once everything appended before the call is written.
  void Flush() {
    std::unique_lock lock(mutex_);
    drained_.wait(lock, [&] { return pending_.empty() && !writing_; });
  }

 private:
  static constexpr std::size_t kMaxPending = 4u << 20;
  static constexpr std::chrono::microseconds kGather{1000};

  RequestLines() {
    std::thread([this] {
      // Nothing ends this thread, nor the process through it: a system
      // error from a lock or a wait (in principle) restarts the loop.
      for (;;) {
        try {
          Run();
        } catch (...) {
        }
      }
    }).detach();
    std::atexit([] { Instance().Flush(); });
  }

  void Run() {
    std::string batch;
    std::unique_lock lock(mutex_);
    writing_ = false;  // a batch an earlier run was writing is gone
    drained_.notify_all();
    for (;;) {
      pending_ready_.wait(lock, [&] { return !pending_.empty(); });
      batch.swap(pending_);
      writing_ = true;
      lock.unlock();
      WriteAll(batch);
      batch.clear();
      lock.lock();
      writing_ = false;
      drained_.notify_all();
      // Lines gather for a moment before the next write: under load one
      // wake-up and one write(2) per millisecond, not one per request.
      lock.unlock();
      std::this_thread::sleep_for(kGather);
      lock.lock();
    }
  }

  static void WriteAll(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::write(STDERR_FILENO, bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;  // stderr is gone: nothing to tell it
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  static inline std::atomic<RequestLines*> made_{nullptr};
  std::mutex mutex_;
  std::condition_variable pending_ready_;  // the writer waits for lines
  std::condition_variable drained_;        // Flush and a full buffer wait for the writer
  std::string pending_;                    // GUARDED_BY(mutex_)
  bool writing_ = false;                   // GUARDED_BY(mutex_)
};

std::string UtcTimestamp() {
  auto now = std::chrono::system_clock::now();
  auto seconds = std::chrono::system_clock::to_time_t(now);
  auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(millis));
  return buffer;
}

// "2024-11-25T16:00:00.123Z" into `out` (24 chars); the date part is cached
// per thread and recomputed once per second.
void AppendTimestamp(std::string& out) {
  thread_local std::int64_t cached_second = -1;
  thread_local char cached[64];
  auto now = std::chrono::system_clock::now();
  auto millis_total =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::int64_t second = millis_total / 1000;
  if (second != cached_second) {
    std::time_t t = static_cast<std::time_t>(second);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::snprintf(cached, sizeof cached, "%04d-%02d-%02dT%02d:%02d:%02d.", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    cached_second = second;
  }
  out.append(cached, 20);
  int millis = static_cast<int>(millis_total % 1000);
  out.push_back(static_cast<char>('0' + millis / 100));
  out.push_back(static_cast<char>('0' + millis / 10 % 10));
  out.push_back(static_cast<char>('0' + millis % 10));
  out.push_back('Z');
}

void AppendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  // Request lines are on the hot path: the run that needs no escape (usually
  // all of it) goes in at once.
  const auto plain = std::find_if(text.begin(), text.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return c == '"' || c == '\\' || u < 0x20 || u >= 0x7f;
  });
  out.append(text.begin(), plain);
  for (char c : text.substr(static_cast<std::size_t>(plain - text.begin()))) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (u < 0x20 || u >= 0x7f) {
      // Request paths are ASCII; anything else is escaped rather than trusted.
      out += "\\u00";
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0xF]);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

void AppendText(std::string& out, std::string_view text) {
  // Appended at once, then controls, spaces and non-ASCII bytes (which would
  // split or garble the line's fields) become '?' in place.
  const std::size_t start = out.size();
  out.append(text);
  for (std::size_t i = start; i < out.size(); ++i) {
    const auto u = static_cast<unsigned char>(out[i]);
    out[i] = u <= 0x20 || u >= 0x7f ? '?' : out[i];
  }
}

}  // namespace

std::string DescribeFailure(const std::exception& error) {
  if (const auto* json = dynamic_cast<const nlohmann::json::exception*>(&error)) {
    return "JSON error " + std::to_string(json->id);
  }
  return error.what();
}

void SetLogFormat(LogFormat format) { g_format = format; }
LogFormat CurrentLogFormat() { return g_format; }

void LogRequest(const RequestLogEntry& entry) {
  thread_local std::string line;
  line.clear();
  char number[24];
  auto append_number = [&](std::int64_t value) {
    line.append(number, std::to_chars(number, number + sizeof number, value).ptr);
  };
  if (g_format == LogFormat::kJson) {
    line += "{\"time\":\"";
    AppendTimestamp(line);
    line += "\",\"level\":\"info\",\"msg\":\"request\",\"method\":";
    AppendJsonString(line, entry.method);
    line += ",\"path\":";
    AppendJsonString(line, entry.path);
    line += ",\"operation\":";
    AppendJsonString(line, entry.operation);
    line += ",\"status\":";
    append_number(entry.status);
    line += ",\"latency_us\":";
    append_number(entry.latency_us);
    line += ",\"request_id\":";
    AppendJsonString(line, entry.request_id);
    if (!entry.error_type.empty()) {
      line += ",\"error\":";
      AppendJsonString(line, entry.error_type);
    }
    line += "}\n";
  } else {
    AppendTimestamp(line);
    line += " info request method=";
    AppendText(line, entry.method);
    line += " path=";
    AppendText(line, entry.path);
    line += " op=";
    AppendText(line, entry.operation.empty() ? std::string_view("-") : entry.operation);
    line += " status=";
    append_number(entry.status);
    line += " latency_us=";
    append_number(entry.latency_us);
    line += " request_id=";
    AppendText(line, entry.request_id);
    if (!entry.error_type.empty()) {
      line += " error=";
      AppendText(line, entry.error_type);
    }
    line.push_back('\n');
  }
  RequestLines::Instance().Append(line);
}

void FlushRequestLog() {
  if (RequestLines* lines = RequestLines::IfMade()) lines->Flush();
}

void Log(std::string_view level, std::string_view message, std::initializer_list<LogField> fields) {
  std::string line;
  if (g_format == LogFormat::kJson) {
    nlohmann::json object{{"time", UtcTimestamp()}, {"level", level}, {"msg", message}};
    for (const auto& [key, value] : fields) object[std::string(key)] = value;
    line = object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } else {
    line = UtcTimestamp() + " " + std::string(level) + " " + std::string(message);
    for (const auto& [key, value] : fields) line += " " + std::string(key) + "=" + value;
  }
  line.push_back('\n');
  // After the request lines logged before it, at once (a line about to
  // stop the process must get out).
  FlushRequestLog();
  std::lock_guard lock(g_write_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace sml::server
