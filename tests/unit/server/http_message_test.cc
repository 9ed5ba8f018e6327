#include <gtest/gtest.h>

#include "server/http/message.h"

namespace sml::server {
namespace {

TEST(HttpMessageTest, FindField_IsTheFirstFieldOfThatNameInAnyCase) {
  HttpRequest request;
  request.insert("X-Amz-Target-Extra", "no");
  request.insert("content-type", "application/x-amz-json-1.1");
  request.insert("x-amz-TARGET", "secretsmanager.GetSecretValue");
  request.insert("X-Amz-Target", "secretsmanager.PutSecretValue");
  request.insert("X-Empty", "");

  EXPECT_EQ(FindField(request, "X-Amz-Target"), "secretsmanager.GetSecretValue");
  EXPECT_EQ(FindField(request, "Content-Type"), "application/x-amz-json-1.1");
  EXPECT_EQ(FindField(request, "x-empty"), "");
  EXPECT_EQ(FindField(request, "X-Amz-Targe"), std::nullopt);
  EXPECT_EQ(FindField(request, "Authorization"), std::nullopt);
  // As Beast's own lookup answers.
  EXPECT_EQ(FindField(request, "X-Amz-Target"), ToStd(request["X-Amz-Target"]));
}

}  // namespace
}  // namespace sml::server
