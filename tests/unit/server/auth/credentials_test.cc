#include "server/auth/credentials.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace sml::server {
namespace {

std::string ErrorOf(std::string_view text) {
  try {
    CredentialStore::Parse(text, "000000000000", "creds");
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

TEST(CredentialStore, ParsesProfilesCommentsAndWhitespace) {
  auto store = CredentialStore::Parse(R"(
# comment
; another comment
[default]
aws_access_key_id = AKIAONE
  aws_secret_access_key=secret/one+==
region = us-east-1

[profile other]
AWS_ACCESS_KEY_ID = ASIATWO
aws_secret_access_key = secret two
aws_session_token = token-two
aws_account_id = 222222222222

[role-only]
role_arn = arn:aws:iam::1:role/x
)",
                                      "000000000000");
  ASSERT_EQ(store.size(), 2u);
  const Credential* one = store.Find("AKIAONE");
  ASSERT_NE(one, nullptr);
  EXPECT_EQ(one->profile, "default");
  EXPECT_EQ(one->secret_access_key, "secret/one+==");
  EXPECT_EQ(one->session_token, "");
  EXPECT_EQ(one->account_id, "000000000000");
  const Credential* two = store.Find("ASIATWO");
  ASSERT_NE(two, nullptr);
  EXPECT_EQ(two->profile, "other");
  EXPECT_EQ(two->secret_access_key, "secret two");
  EXPECT_EQ(two->session_token, "token-two");
  EXPECT_EQ(two->account_id, "222222222222");
  EXPECT_EQ(store.Find("AKIANONE"), nullptr);
}

TEST(CredentialStore, CrLfLines_AreAccepted) {
  auto store = CredentialStore::Parse("[a]\r\naws_access_key_id=K\r\naws_secret_access_key=S\r\n",
                                      "000000000000");
  ASSERT_NE(store.Find("K"), nullptr);
  EXPECT_EQ(store.Find("K")->secret_access_key, "S");
}

TEST(CredentialStore, MalformedFiles_NameTheLine) {
  EXPECT_EQ(ErrorOf("aws_access_key_id = K\n"),
            "creds line 1: 'key = value' before any [profile] section");
  EXPECT_EQ(ErrorOf("[a]\njust words\n"), "creds line 2: expected 'key = value'");
  EXPECT_EQ(ErrorOf("[a\n"), "creds line 1: expected '[profile]'");
  EXPECT_EQ(ErrorOf("\n[a]\naws_access_key_id=K\n"),
            "creds line 2: profile [a] has no aws_secret_access_key");
  EXPECT_EQ(ErrorOf("[a]\naws_secret_access_key=S\n"),
            "creds line 1: profile [a] has no aws_access_key_id");
  EXPECT_EQ(ErrorOf("[a]\naws_access_key_id=K\naws_secret_access_key=S\naws_account_id=12\n"),
            "creds line 4: aws_account_id must be 12 digits");
  EXPECT_EQ(ErrorOf("[a]\naws_access_key_id=K\naws_secret_access_key=S\n"
                    "[b]\naws_access_key_id=K\naws_secret_access_key=T\n"),
            "creds line 4: access key id of profile [b] is used twice");
}

TEST(CredentialStore, LoadFile_ReadsFileAndReportsMissingFile) {
  std::string path = ::testing::TempDir() + "sml_credentials_test.ini";
  {
    std::ofstream out(path);
    out << "[default]\naws_access_key_id=K\naws_secret_access_key=S\n";
  }
  auto store = CredentialStore::LoadFile(path, "111111111111");
  ASSERT_NE(store.Find("K"), nullptr);
  EXPECT_EQ(store.Find("K")->account_id, "111111111111");
  std::remove(path.c_str());
  EXPECT_THROW(CredentialStore::LoadFile(path, "111111111111"), std::runtime_error);
}

}  // namespace
}  // namespace sml::server
