#include "api/model/password.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "api/error.h"

namespace sml::api::model {
namespace {

bool IsPunctuation(char c) { return kPasswordPunctuation.find(c) != std::string_view::npos; }

ErrorCode CodeOf(const PasswordOptions& options, RandomSource& random, std::string* message) {
  try {
    GeneratePassword(options, random);
  } catch (const ApiError& e) {
    *message = e.what();
    return e.code();
  }
  ADD_FAILURE() << "no ApiError";
  return ErrorCode::kInternalServiceError;
}

TEST(Password, Default_Is32CharactersOfLettersDigitsAndPunctuation) {
  SeededRandom random(1);
  std::string password = GeneratePassword({}, random);
  EXPECT_EQ(password.size(), 32u);
  for (char c : password) {
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || IsPunctuation(c)) << c;
  }
}

TEST(Password, PunctuationSet_IsExactlyAws32Characters) {
  EXPECT_EQ(kPasswordPunctuation.size(), 32u);
  // Over many draws with only punctuation allowed, every punctuation character shows up.
  SeededRandom random(2);
  PasswordOptions options{.length = 4096,
                          .exclude_numbers = true,
                          .exclude_uppercase = true,
                          .exclude_lowercase = true};
  std::string password = GeneratePassword(options, random);
  std::set<char> seen(password.begin(), password.end());
  EXPECT_EQ(seen, std::set<char>(kPasswordPunctuation.begin(), kPasswordPunctuation.end()));
}

TEST(Password, LengthIsHonoured) {
  SeededRandom random(3);
  for (std::int64_t length : {1, 4, 17, 4096}) {
    PasswordOptions options{.length = length, .require_each_included_type = length >= 4};
    EXPECT_EQ(GeneratePassword(options, random).size(), static_cast<std::size_t>(length));
  }
}

TEST(Password, ExcludeSwitches_RemoveTheirClass) {
  SeededRandom random(4);
  auto check = [&](PasswordOptions options, int (*forbidden)(int)) {
    options.length = 500;
    std::string password = GeneratePassword(options, random);
    for (char c : password) EXPECT_FALSE(forbidden(static_cast<unsigned char>(c))) << c;
  };
  check({.exclude_numbers = true}, [](int c) { return std::isdigit(c); });
  check({.exclude_uppercase = true}, [](int c) { return std::isupper(c); });
  check({.exclude_lowercase = true}, [](int c) { return std::islower(c); });
  check({.exclude_punctuation = true},
        [](int c) { return static_cast<int>(IsPunctuation(static_cast<char>(c))); });
  check({}, [](int c) { return static_cast<int>(c == ' '); });
}

TEST(Password, ExcludeCharacters_NeverAppear) {
  SeededRandom random(5);
  PasswordOptions options{.length = 2000, .exclude_characters = "abcABC012!\"\\`~ "};
  std::string password = GeneratePassword(options, random);
  for (char c : password) EXPECT_EQ(options.exclude_characters.find(c), std::string::npos) << c;
}

TEST(Password, IncludeSpace_AdmitsSpace) {
  SeededRandom random(6);
  PasswordOptions options{.length = 4096, .include_space = true};
  std::string password = GeneratePassword(options, random);
  EXPECT_NE(password.find(' '), std::string::npos);
}

TEST(Password, RequireEachIncludedType_HoldsOver1000Draws) {
  SeededRandom random(7);
  PasswordOptions options{.length = 4};
  for (int i = 0; i < 1000; ++i) {
    std::string p = GeneratePassword(options, random);
    ASSERT_EQ(p.size(), 4u);
    EXPECT_TRUE(std::any_of(p.begin(), p.end(), [](char c) {
      return std::isupper(static_cast<unsigned char>(c));
    })) << p;
    EXPECT_TRUE(std::any_of(p.begin(), p.end(), [](char c) {
      return std::islower(static_cast<unsigned char>(c));
    })) << p;
    EXPECT_TRUE(std::any_of(p.begin(), p.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c));
    })) << p;
    EXPECT_TRUE(std::any_of(p.begin(), p.end(), IsPunctuation)) << p;
  }
}

TEST(Password, RequiredCharacters_LandAtRandomPositions) {
  // With digits required and rare (1 in ~94 per position otherwise), the
  // guaranteed digit of a 2-character password must show up in both positions.
  SeededRandom random(8);
  PasswordOptions options{.length = 2, .exclude_punctuation = true, .exclude_uppercase = true};
  int digit_first = 0, digit_second = 0;
  for (int i = 0; i < 400; ++i) {
    std::string p = GeneratePassword(options, random);
    digit_first += std::isdigit(static_cast<unsigned char>(p[0])) != 0;
    digit_second += std::isdigit(static_cast<unsigned char>(p[1])) != 0;
  }
  EXPECT_GT(digit_first, 100);
  EXPECT_GT(digit_second, 100);
}

TEST(Password, WithoutRequireEach_ShortPasswordsAreAllowed) {
  SeededRandom random(9);
  EXPECT_EQ(GeneratePassword({.length = 1, .require_each_included_type = false}, random).size(),
            1u);
}

TEST(Password, LengthBelowRequiredClasses_IsInvalidParameter) {
  SeededRandom random(10);
  std::string message;
  EXPECT_EQ(CodeOf({.length = 3}, random, &message), ErrorCode::kInvalidParameter);
  EXPECT_EQ(message, "Password length is too short based on the required types.");
  // Three classes left: 3 is enough.
  EXPECT_EQ(GeneratePassword({.length = 3, .exclude_numbers = true}, random).size(), 3u);
}

TEST(Password, RequiredClassEmptiedByExcludeCharacters_IsInvalidParameter) {
  SeededRandom random(11);
  std::string message;
  EXPECT_EQ(CodeOf({.exclude_characters = "0123456789"}, random, &message),
            ErrorCode::kInvalidParameter);
  EXPECT_EQ(message, "All characters of the desired type have been excluded.");
  // Not required: fine, and no digit appears.
  std::string p = GeneratePassword(
      {.length = 300, .exclude_characters = "0123456789", .require_each_included_type = false},
      random);
  EXPECT_TRUE(std::none_of(p.begin(), p.end(),
                           [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }));
}

TEST(Password, EverythingExcluded_IsInvalidParameter) {
  SeededRandom random(12);
  std::string message;
  PasswordOptions options{.exclude_numbers = true,
                          .exclude_punctuation = true,
                          .exclude_uppercase = true,
                          .exclude_lowercase = true};
  EXPECT_EQ(CodeOf(options, random, &message), ErrorCode::kInvalidParameter);
  EXPECT_EQ(message, "All characters have been excluded from selection.");
  // Only a space left is still a pool.
  options.include_space = true;
  EXPECT_EQ(GeneratePassword(options, random), std::string(32, ' '));
}

}  // namespace
}  // namespace sml::api::model
