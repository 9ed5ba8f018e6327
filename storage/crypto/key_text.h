#pragma once
// Text forms of 256-bit keys: lower-case hex (what master.key holds) and
// standard base64 (what `openssl rand -base64 32` prints). The decoders are
// strict: they accept exactly one 32-byte key and nothing else, so a typo is
// reported instead of silently becoming a different key.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace sml::storage {

inline constexpr std::size_t kAes256KeySize = 32;
using Aes256Key = std::array<std::uint8_t, kAes256KeySize>;

// Lower-case hex, two characters per byte.
std::string HexEncode(std::span<const std::uint8_t> bytes);

// Exactly 64 hex digits (either case); nullopt otherwise.
std::optional<Aes256Key> DecodeHexKey(std::string_view text);

// Standard-alphabet base64 of exactly 32 bytes: 44 characters ending in one
// '=', or the same 43 characters without the padding. Non-canonical
// encodings (stray low bits in the last character) are rejected.
std::optional<Aes256Key> DecodeBase64Key(std::string_view text);

}  // namespace sml::storage
