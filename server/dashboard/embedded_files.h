#pragma once
// The web dashboard's files (index.html, dashboard.js, dashboard.css in this
// folder), compiled into the binary at build time by cmake/embed_files.cmake,
// so the server needs nothing on disk and the page no network.
#include <span>
#include <string_view>

namespace sml::server::dashboard {

struct EmbeddedFile {
  std::string_view name;  // the file name, e.g. "dashboard.js"
  std::string_view content;
};

// Every embedded file, sorted by name. The bytes live for the whole process.
std::span<const EmbeddedFile> EmbeddedFiles();

}  // namespace sml::server::dashboard
