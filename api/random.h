#pragma once
// Random sources are injected (STYLE.md §5). CryptoRandom (OpenSSL RAND_bytes)
// makes passwords, ARN suffixes, version ids and keys; SeededRandom makes the
// rotation-window choice reproducible under --seed. Both are thread-safe.
#include <cstdint>
#include <mutex>
#include <random>
#include <span>
#include <string>

namespace sml::api {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual void Fill(std::span<std::uint8_t> out) = 0;

  // Uniform in [0, bound); bound > 0. Unbiased (rejection sampling).
  std::uint64_t Uniform(std::uint64_t bound);
  // Random version 4 UUID, lower-case, e.g. "3f2b...-...".
  std::string Uuid();
  // `length` characters drawn uniformly from `alphabet`.
  std::string Chars(std::string_view alphabet, std::size_t length);
};

class CryptoRandom final : public RandomSource {
 public:
  void Fill(std::span<std::uint8_t> out) override;
};

class SeededRandom final : public RandomSource {
 public:
  explicit SeededRandom(std::uint64_t seed) : engine_(seed) {}
  void Fill(std::span<std::uint8_t> out) override;

 private:
  std::mutex mutex_;
  std::mt19937_64 engine_;  // GUARDED_BY(mutex_)
};

}  // namespace sml::api
