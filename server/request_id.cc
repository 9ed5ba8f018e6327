#include "server/request_id.h"

#include <cstdint>

#include "api/random.h"

namespace sml::server {
namespace {

// xoshiro256** (Blackman & Vigna): fast, 256 bits of state.
class RequestIdGenerator {
 public:
  RequestIdGenerator() {
    api::CryptoRandom random;
    random.Fill({reinterpret_cast<std::uint8_t*>(state_), sizeof state_});
  }
  std::uint64_t Next() {
    const std::uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t state_[4];
};

}  // namespace

std::string NewRequestId() {
  thread_local RequestIdGenerator generator;
  std::uint8_t b[16];
  const std::uint64_t high = generator.Next();
  const std::uint64_t low = generator.Next();
  for (int i = 0; i < 8; ++i) {
    b[i] = static_cast<std::uint8_t>(high >> (8 * i));
    b[8 + i] = static_cast<std::uint8_t>(low >> (8 * i));
  }
  b[6] = (b[6] & 0x0F) | 0x40;
  b[8] = (b[8] & 0x3F) | 0x80;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(36, '-');
  std::size_t at = 0;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) ++at;
    out[at++] = kHex[b[i] >> 4];
    out[at++] = kHex[b[i] & 0xF];
  }
  return out;
}

}  // namespace sml::server
