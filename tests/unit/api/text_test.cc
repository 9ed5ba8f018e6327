#include "api/text.h"

#include <gtest/gtest.h>

namespace sml::api {
namespace {

TEST(Text, TrimLowerSplit) {
  EXPECT_EQ(Trim(" \t a b \r\n"), "a b");
  EXPECT_EQ(ToLower("X-Amz-Date"), "x-amz-date");
  EXPECT_TRUE(EqualsIgnoreCase("StringLike", "stringlike"));
  EXPECT_FALSE(EqualsIgnoreCase("abc", "abcd"));
  EXPECT_EQ(Split("a,b,,c", ','), (std::vector<std::string_view>{"a", "b", "", "c"}));
}

TEST(Text, PercentDecode_DecodesEscapesAndKeepsMalformedOnes) {
  EXPECT_EQ(PercentDecode("arn%3Aaws%3Alambda"), "arn:aws:lambda");
  EXPECT_EQ(PercentDecode("a+b"), "a+b");
  EXPECT_EQ(PercentDecode("a+b", /*plus_is_space=*/true), "a b");
  EXPECT_EQ(PercentDecode("100%"), "100%");
  EXPECT_EQ(PercentDecode("%zz%4"), "%zz%4");
  EXPECT_EQ(PercentDecode("%2f"), "/");
}

}  // namespace
}  // namespace sml::api
