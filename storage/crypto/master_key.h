#pragma once
// Where the master key comes from, in order:
//   1. the environment variable SML_MASTER_KEY: 64 hex digits or standard
//      base64 of 32 bytes (`openssl rand -hex 32` / `openssl rand -base64 32`);
//      surrounding whitespace is ignored, anything else is an error;
//   2. with a data directory, the file <data_dir>/master.key: 64 hex digits and
//      an optional newline, not accessible by group or others. If it does not
//      exist it is generated (created 0600 with O_EXCL, written, fsynced, and
//      the directory entry fsynced too), creating the data directory if needed;
//   3. without a data directory (in-memory run), a random key that lives only
//      as long as the process — as does the data.
// Every failure is a std::runtime_error with a one-line message naming the
// variable or file and what to do; it never contains key material.
//
// Losing master.key means losing every secret in the database: say so in the
// docs, and back it up with the database file.
//
// Call once at startup, before threads start (it may read the environment).
#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "storage/crypto/key_text.h"

namespace sml::storage {

inline constexpr char kMasterKeyEnvironmentVariable[] = "SML_MASTER_KEY";
inline constexpr char kMasterKeyFileName[] = "master.key";

struct MasterKey {
  Aes256Key bytes{};
  // For the startup log: "environment variable SML_MASTER_KEY",
  // "file /data/master.key", "file /data/master.key (newly generated)" or
  // "ephemeral (in-memory run)".
  std::string source;
  ~MasterKey();  // wipes `bytes`
};

// Returns the value of an environment variable, nullopt when unset.
using EnvironmentLookup = std::function<std::optional<std::string>(const char* name)>;

// The real process environment (getenv).
std::optional<std::string> ProcessEnvironment(const char* name);

MasterKey ResolveMasterKey(const std::optional<std::filesystem::path>& data_dir,
                           const EnvironmentLookup& environment = ProcessEnvironment);

}  // namespace sml::storage
