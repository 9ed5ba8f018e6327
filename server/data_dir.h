#pragma once
// The data directory: created if missing (with its parents, mode 0700 for a
// new leaf), and checked to be a writable directory before anything is put
// in it, so a bad --data-dir fails at startup with one clear line.
#include <filesystem>
#include <optional>
#include <string>

namespace sml::server {

// nullopt when `dir` is ready; otherwise a one-line reason.
std::optional<std::string> PrepareDataDir(const std::filesystem::path& dir);

}  // namespace sml::server
