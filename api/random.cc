#include "api/random.h"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>

namespace sml::api {

std::uint64_t RandomSource::Uniform(std::uint64_t bound) {
  if (bound <= 1) return 0;
  const std::uint64_t limit = UINT64_MAX - (UINT64_MAX % bound);
  for (;;) {
    std::uint64_t value = 0;
    Fill({reinterpret_cast<std::uint8_t*>(&value), sizeof value});
    if (value < limit) return value % bound;
  }
}

std::string RandomSource::Uuid() {
  std::array<std::uint8_t, 16> b{};
  Fill(b);
  b[6] = (b[6] & 0x0F) | 0x40;
  b[8] = (b[8] & 0x3F) | 0x80;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0xF]);
  }
  return out;
}

std::string RandomSource::Chars(std::string_view alphabet, std::size_t length) {
  // The words Uniform would draw one Fill each, drawn a batch per Fill: a
  // RAND_bytes call costs far more than its bytes (a CreateSecret's ARN
  // suffix took six, a tenth of the request).
  const std::uint64_t bound = alphabet.size();
  const std::uint64_t limit = UINT64_MAX - (UINT64_MAX % bound);
  std::array<std::uint64_t, 32> words{};
  std::string out;
  out.reserve(length);
  while (out.size() < length) {
    const std::size_t batch = std::min(words.size(), length - out.size());
    Fill({reinterpret_cast<std::uint8_t*>(words.data()), batch * sizeof words[0]});
    for (std::size_t i = 0; i < batch; ++i) {
      // A rejected word (rarer than 1 in 10^17 here) is drawn again alone.
      out.push_back(alphabet[words[i] < limit ? words[i] % bound : Uniform(bound)]);
    }
  }
  return out;
}

void CryptoRandom::Fill(std::span<std::uint8_t> out) {
  if (out.empty()) return;
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
    throw std::runtime_error("OpenSSL RAND_bytes failed");
  }
}

void SeededRandom::Fill(std::span<std::uint8_t> out) {
  std::lock_guard lock(mutex_);
  for (std::size_t i = 0; i < out.size(); i += 8) {
    std::uint64_t word = engine_();
    std::memcpy(out.data() + i, &word, std::min<std::size_t>(8, out.size() - i));
  }
}

}  // namespace sml::api
