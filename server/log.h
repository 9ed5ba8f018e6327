#pragma once
// One line per event, as text or JSON (--log-format). Thread-safe. Callers
// pass fields, never secret values.
#include <cstdint>
#include <exception>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace sml::server {

enum class LogFormat { kText, kJson };

using LogField = std::pair<std::string_view, std::string>;

void SetLogFormat(LogFormat format);
LogFormat CurrentLogFormat();
// Writes one line to stderr: `message` plus key=value fields (or a JSON object).
void Log(std::string_view level, std::string_view message,
         std::initializer_list<LogField> fields = {});

// An exception as a log field or history entry may show it: nlohmann::json's
// messages can quote the data they choked on, so those say only their id.
std::string DescribeFailure(const std::exception& error);

// One line per HTTP request. Never carries bodies, headers or query strings.
struct RequestLogEntry {
  std::string_view method;
  std::string_view path;       // without the query string
  std::string_view operation;  // "GetSecretValue", "admin", "" when unknown
  int status = 0;
  std::int64_t latency_us = 0;
  std::string_view request_id;
  std::string_view error_type;  // __type of an error answer, else empty
};
// The hot path: formats into a per-thread buffer and hands the line to a
// writer thread, which writes what has gathered with one write(2) (within
// a millisecond; all of it at exit). Lines keep their order.
void LogRequest(const RequestLogEntry& entry);
// Returns once every request line logged before the call is on stderr.
void FlushRequestLog();

}  // namespace sml::server
