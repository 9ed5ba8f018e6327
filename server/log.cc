#include "server/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <nlohmann/json.hpp>

namespace sml::server {
namespace {

std::atomic<LogFormat> g_format{LogFormat::kText};
std::mutex g_write_mutex;

std::string UtcTimestamp() {
  auto now = std::chrono::system_clock::now();
  auto seconds = std::chrono::system_clock::to_time_t(now);
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(millis));
  return buffer;
}

}  // namespace

void SetLogFormat(LogFormat format) { g_format = format; }

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
  std::lock_guard lock(g_write_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace sml::server
