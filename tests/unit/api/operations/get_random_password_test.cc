#include <gtest/gtest.h>

#include <cctype>

#include "api/error.h"
#include "api/operations/operations.h"
#include "tests/unit/api/operations/listing_fixture.h"

namespace sml::api {
namespace {

class GetRandomPasswordTest : public testing::ListingTest {
 protected:
  nlohmann::json Call(const nlohmann::json& input) {
    return ListingTest::Call(&operations::GetRandomPassword, input);
  }
  ApiError CallError(const nlohmann::json& input) {
    return ListingTest::CallError(&operations::GetRandomPassword, input);
  }
};

TEST_F(GetRandomPasswordTest, GetRandomPassword_Defaults_32Characters) {
  auto out = Call(nlohmann::json::object());
  ASSERT_TRUE(out["RandomPassword"].is_string());
  EXPECT_EQ(out["RandomPassword"].get<std::string>().size(), 32u);
  EXPECT_EQ(out.size(), 1u);
}

TEST_F(GetRandomPasswordTest, GetRandomPassword_OptionsAreHonoured) {
  auto out = Call({{"PasswordLength", 64},
                   {"ExcludeNumbers", true},
                   {"ExcludePunctuation", true},
                   {"ExcludeUppercase", true},
                   {"ExcludeCharacters", "abc"}});
  std::string password = out["RandomPassword"];
  EXPECT_EQ(password.size(), 64u);
  for (char c : password) {
    EXPECT_TRUE(std::islower(static_cast<unsigned char>(c)) && c > 'c') << c;
  }
}

TEST_F(GetRandomPasswordTest, GetRandomPassword_LengthOutOfRange_IsValidationException) {
  EXPECT_EQ(CallError({{"PasswordLength", 0}}).code(), ErrorCode::kValidation);
  EXPECT_EQ(CallError({{"PasswordLength", 4097}}).code(), ErrorCode::kValidation);
  EXPECT_EQ(CallError({{"ExcludeNumbers", "yes"}}).code(), ErrorCode::kSerialization);
}

TEST_F(GetRandomPasswordTest, GetRandomPassword_TooShortForRequiredTypes_IsInvalidParameter) {
  auto error = CallError({{"PasswordLength", 3}});
  EXPECT_EQ(error.code(), ErrorCode::kInvalidParameter);
  EXPECT_STREQ(error.what(), "Password length is too short based on the required types.");
  EXPECT_EQ(Call({{"PasswordLength", 3}, {"RequireEachIncludedType", false}})["RandomPassword"]
                .get<std::string>()
                .size(),
            3u);
}

}  // namespace
}  // namespace sml::api
