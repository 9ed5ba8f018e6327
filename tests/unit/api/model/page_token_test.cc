#include "api/model/page_token.h"

#include <gtest/gtest.h>

#include "api/error.h"
#include "api/input.h"

namespace sml::api::model {
namespace {

ErrorCode DecodeError(std::string_view token, std::string_view fingerprint) {
  try {
    DecodePageToken(token, fingerprint);
  } catch (const ApiError& e) {
    return e.code();
  }
  return ErrorCode::kInternalServiceError;
}

TEST(PageToken, RoundTripsTheCursor) {
  std::string fingerprint = QueryFingerprint({{"sort", 3}});
  std::string token = EncodePageToken({"app/db", 42}, fingerprint);
  auto cursor = DecodePageToken(token, fingerprint);
  EXPECT_EQ(cursor.sort_value, "app/db");
  EXPECT_EQ(cursor.id, 42);
  EXPECT_LE(token.size(), 4096u);
}

TEST(PageToken, TokenOfAnotherQuery_IsInvalidNextToken) {
  std::string a = QueryFingerprint({{"sort", 0}, {"filters", {"x"}}});
  std::string b = QueryFingerprint({{"sort", 0}, {"filters", {"y"}}});
  EXPECT_NE(a, b);
  EXPECT_EQ(QueryFingerprint({{"sort", 0}, {"filters", {"x"}}}), a);  // stable
  EXPECT_EQ(DecodeError(EncodePageToken({"1", 1}, a), b), ErrorCode::kInvalidNextToken);
}

TEST(PageToken, Garbage_IsInvalidNextToken) {
  std::string fingerprint = QueryFingerprint({});
  EXPECT_EQ(DecodeError("not base64!", fingerprint), ErrorCode::kInvalidNextToken);
  EXPECT_EQ(DecodeError(EncodeBase64("[1,2]"), fingerprint), ErrorCode::kInvalidNextToken);
  EXPECT_EQ(DecodeError(EncodeBase64(R"({"s":1,"i":1,"q":")" + fingerprint + "\"}"), fingerprint),
            ErrorCode::kInvalidNextToken);
}

TEST(PageToken, TextThatIsNotUtf8_IsSerialisedWithoutThrowing) {
  // A stored name or a query member need not be valid UTF-8.
  std::string fingerprint;
  ASSERT_NO_THROW(fingerprint = QueryFingerprint({{"region", "\xff\xfe"}}));
  std::string token;
  ASSERT_NO_THROW(token = EncodePageToken({"db/\xff", 7}, fingerprint));
  EXPECT_EQ(DecodePageToken(token, fingerprint).id, 7);
}

}  // namespace
}  // namespace sml::api::model
