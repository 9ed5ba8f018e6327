// The operation table: every name has a handler, and which ones may write
// (those the server runs off its I/O threads).
#include <gtest/gtest.h>

#include <set>
#include <string_view>

#include "api/service.h"

namespace sml::api {
namespace {

TEST(DispatchTest, EveryOperationHasAHandler) {
  EXPECT_EQ(OperationNames().size(), 23u);
  for (std::string_view name : OperationNames()) EXPECT_NE(FindOperation(name), nullptr) << name;
  EXPECT_EQ(FindOperation("NoSuchOperation"), nullptr);
}

TEST(DispatchTest, OnlyTheReadsAreReadOnly) {
  const std::set<std::string_view> reads = {
      "BatchGetSecretValue", "DescribeSecret",       "GetRandomPassword", "GetResourcePolicy",
      "GetSecretValue",      "ListSecretVersionIds", "ListSecrets",       "ValidateResourcePolicy"};
  for (std::string_view name : OperationNames()) {
    EXPECT_EQ(OperationMayWrite(name), !reads.contains(name)) << name;
  }
  EXPECT_FALSE(OperationMayWrite("NoSuchOperation"));
  EXPECT_FALSE(OperationMayWrite(""));
}

}  // namespace
}  // namespace sml::api
