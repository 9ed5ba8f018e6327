#pragma once
// One line per event, as text or JSON (--log-format). Thread-safe. Callers
// pass fields, never secret values.
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace sml::server {

enum class LogFormat { kText, kJson };

using LogField = std::pair<std::string_view, std::string>;

void SetLogFormat(LogFormat format);
// Writes one line to stderr: `message` plus key=value fields (or a JSON object).
void Log(std::string_view level, std::string_view message,
         std::initializer_list<LogField> fields = {});

}  // namespace sml::server
