#include "api/rotation/duration.h"

#include <gtest/gtest.h>

namespace sml::api::rotation {
namespace {

TEST(ParseDurationMillis, EachUnit_IsConvertedToMillis) {
  EXPECT_EQ(ParseDurationMillis("30d"), 30LL * 24 * 60 * 60 * 1000);
  EXPECT_EQ(ParseDurationMillis("12h"), 12LL * 60 * 60 * 1000);
  EXPECT_EQ(ParseDurationMillis("15m"), 15LL * 60 * 1000);
  EXPECT_EQ(ParseDurationMillis("45s"), 45LL * 1000);
  EXPECT_EQ(ParseDurationMillis("1d"), 86'400'000);
}

TEST(ParseDurationMillis, ZeroIsAllowed) { EXPECT_EQ(ParseDurationMillis("0s"), 0); }

TEST(ParseDurationMillis, MalformedText_IsRejected) {
  for (const char* text : {"", "d", "30", "30x", "-1d", "+1d", "1.5h", " 30d", "30d ", "30D",
                           "1h30m", "3 0d", "30ms"}) {
    EXPECT_EQ(ParseDurationMillis(text), std::nullopt) << text;
  }
}

TEST(ParseDurationMillis, Overflow_IsRejected) {
  EXPECT_EQ(ParseDurationMillis("999999999999999999d"), std::nullopt);
  EXPECT_EQ(ParseDurationMillis("99999999999999999999999s"), std::nullopt);
  EXPECT_TRUE(ParseDurationMillis("106751991167d").has_value());  // just fits
  EXPECT_EQ(ParseDurationMillis("106751991168d"), std::nullopt);
}

}  // namespace
}  // namespace sml::api::rotation
