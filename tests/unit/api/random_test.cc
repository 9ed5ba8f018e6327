#include "api/random.h"

#include <gtest/gtest.h>

#include <string>

namespace sml::api {
namespace {

// SeededRandom that counts its Fill calls.
class CountingRandom final : public RandomSource {
 public:
  void Fill(std::span<std::uint8_t> out) override {
    ++fills;
    inner.Fill(out);
  }
  SeededRandom inner{7};
  int fills = 0;
};

TEST(RandomSource, Chars_DrawsWhatUniformDrawsInFewFills) {
  constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  for (std::size_t length : {0u, 1u, 6u, 32u, 33u, 100u}) {
    CountingRandom counted;
    const std::string chars = counted.Chars(kAlphabet, length);
    SeededRandom same_seed(7);
    std::string expected;
    for (std::size_t i = 0; i < length; ++i) {
      expected.push_back(kAlphabet[same_seed.Uniform(kAlphabet.size())]);
    }
    EXPECT_EQ(chars, expected) << length;
    EXPECT_EQ(counted.fills, static_cast<int>((length + 31) / 32)) << length;
  }
}

}  // namespace
}  // namespace sml::api
