// Which secret names the API takes (the model's pattern for Name:
// letters, digits and /_+=.@-, 1 to 512 characters).
#include <gtest/gtest.h>

#include <string>

#include "api/model/secret_lookup.h"

namespace sml::api::model {
namespace {

TEST(SecretNameTest, EachByteIsAllowedOnlyIfThePatternAllowsIt) {
  const std::string allowed_punctuation = "/_+=.@-";
  for (int c = 0; c < 256; ++c) {
    const bool expected =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        (c != 0 && allowed_punctuation.find(static_cast<char>(c)) != std::string::npos);
    const std::string name = "app" + std::string(1, static_cast<char>(c)) + "db";
    EXPECT_EQ(IsValidSecretName(name), expected) << "byte " << c;
  }
}

TEST(SecretNameTest, LengthIsOneTo512) {
  EXPECT_FALSE(IsValidSecretName(""));
  EXPECT_TRUE(IsValidSecretName("a"));
  EXPECT_TRUE(IsValidSecretName(std::string(512, 'a')));
  EXPECT_FALSE(IsValidSecretName(std::string(513, 'a')));
}

TEST(SecretNameTest, AnArnIsASecretIdButNotAName) {
  const std::string arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf";
  EXPECT_TRUE(IsValidSecretId(arn));
  EXPECT_FALSE(IsValidSecretName(arn));
  EXPECT_TRUE(IsValidSecretId("prod/db_1+x=y.z@w-v"));
  EXPECT_FALSE(IsValidSecretId("prod db"));
}

}  // namespace
}  // namespace sml::api::model
