#include "storage/crypto/key_text.h"

namespace sml::storage {
namespace {

constexpr std::string_view kHexDigits = "0123456789abcdef";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

std::string HexEncode(std::span<const std::uint8_t> bytes) {
  std::string text;
  text.reserve(bytes.size() * 2);
  for (std::uint8_t byte : bytes) {
    text.push_back(kHexDigits[byte >> 4]);
    text.push_back(kHexDigits[byte & 0x0f]);
  }
  return text;
}

std::optional<Aes256Key> DecodeHexKey(std::string_view text) {
  if (text.size() != kAes256KeySize * 2) return std::nullopt;
  Aes256Key key{};
  for (std::size_t i = 0; i < kAes256KeySize; ++i) {
    int high = HexValue(text[2 * i]);
    int low = HexValue(text[2 * i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    key[i] = static_cast<std::uint8_t>(high << 4 | low);
  }
  return key;
}

std::optional<Aes256Key> DecodeBase64Key(std::string_view text) {
  // 32 bytes = 256 bits = 42 full sextets + 4 bits, so 43 significant
  // characters whose last one carries 2 unused (zero) bits.
  constexpr std::size_t kSignificant = 43;
  if (text.size() == kSignificant + 1 && text.back() == '=') text.remove_suffix(1);
  if (text.size() != kSignificant) return std::nullopt;
  Aes256Key key{};
  std::uint32_t buffer = 0;
  int bits = 0;
  std::size_t out = 0;
  for (char c : text) {
    int value = Base64Value(c);
    if (value < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      key[out++] = static_cast<std::uint8_t>(buffer >> bits);
      buffer &= (1u << bits) - 1;
    }
  }
  if (out != kAes256KeySize || buffer != 0) return std::nullopt;
  return key;
}

}  // namespace sml::storage
