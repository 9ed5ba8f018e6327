#include "api/model/tags.h"

#include <gtest/gtest.h>

#include "api/error.h"

namespace sml::api::model {
namespace {

using Tags = std::vector<storage::Tag>;

ErrorCode CodeOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const ApiError& e) {
    return e.code();
  }
  ADD_FAILURE() << "no ApiError thrown";
  return ErrorCode::kInternalServiceError;
}

Tags ManyTags(int n, std::string prefix = "k") {
  Tags tags;
  for (int i = 0; i < n; ++i) tags.push_back({prefix + std::to_string(i), "v"});
  return tags;
}

TEST(Tags, ReadTags_ReadsKeysAndValuesAndMissingValueIsEmpty) {
  auto body = nlohmann::json::parse(R"({"Tags":[{"Key":"a","Value":"1"},{"Key":"b"}]})");
  Input input(body);
  auto tags = ReadTags(input, "Tags", false);
  input.Finish();
  EXPECT_EQ(*tags, (Tags{{"a", "1"}, {"b", ""}}));
}

TEST(Tags, ReadTags_KeyLongerThan128IsValidationException) {
  nlohmann::json body = {{"Tags", {{{"Key", std::string(129, 'k')}, {"Value", "v"}}}}};
  Input input(body);
  ReadTags(input, "Tags", false);
  EXPECT_EQ(CodeOf([&] { input.Finish(); }), ErrorCode::kValidation);
}

TEST(Tags, ReadTags_ValueLongerThan256IsValidationException) {
  nlohmann::json body = {{"Tags", {{{"Key", "k"}, {"Value", std::string(257, 'v')}}}}};
  Input input(body);
  ReadTags(input, "Tags", false);
  EXPECT_EQ(CodeOf([&] { input.Finish(); }), ErrorCode::kValidation);
}

TEST(Tags, ReadTags_RequiredAndMissingIsValidationException) {
  auto body = nlohmann::json::object();
  Input input(body);
  EXPECT_FALSE(ReadTags(input, "Tags", true));
  EXPECT_EQ(CodeOf([&] { input.Finish(); }), ErrorCode::kValidation);
}

TEST(Tags, ValidateTags_AwsPrefixIsInvalidParameterInAnyCase) {
  EXPECT_EQ(CodeOf([] { ValidateTags({{"aws:team", "x"}}); }), ErrorCode::kInvalidParameter);
  EXPECT_EQ(CodeOf([] { ValidateTags({{"AWS:team", "x"}}); }), ErrorCode::kInvalidParameter);
  EXPECT_NO_THROW(ValidateTags({{"awsteam", "x"}}));
}

TEST(Tags, ValidateTags_DuplicateKeyIsInvalidParameter) {
  EXPECT_EQ(CodeOf([] { ValidateTags({{"a", "1"}, {"a", "2"}}); }), ErrorCode::kInvalidParameter);
}

TEST(Tags, ValidateTags_MoreThanFiftyIsInvalidParameter) {
  EXPECT_NO_THROW(ValidateTags(ManyTags(50)));
  EXPECT_EQ(CodeOf([] { ValidateTags(ManyTags(51)); }), ErrorCode::kInvalidParameter);
}

TEST(Tags, MergeTags_ExistingKeyGetsNewValueAndNewKeysAppend) {
  Tags existing = {{"a", "1"}, {"b", "2"}};
  EXPECT_EQ(MergeTags(existing, {{"b", "3"}, {"c", "4"}}),
            (Tags{{"a", "1"}, {"b", "3"}, {"c", "4"}}));
}

TEST(Tags, MergeTags_IntoNeverTaggedSecret) {
  EXPECT_EQ(MergeTags(std::nullopt, {{"a", "1"}}), (Tags{{"a", "1"}}));
}

TEST(Tags, MergeTags_MoreThanFiftyInTotalIsInvalidParameter) {
  EXPECT_EQ(CodeOf([] { MergeTags(ManyTags(30, "x"), ManyTags(21, "y")); }),
            ErrorCode::kInvalidParameter);
  EXPECT_EQ(MergeTags(ManyTags(50), ManyTags(50)).size(), 50u);
}

TEST(Tags, RemoveTags_RemovingAllLeavesEmptyList) {
  Tags existing = {{"a", "1"}, {"b", "2"}};
  EXPECT_EQ(RemoveTags(existing, {"a", "b", "missing"}), Tags{});
  EXPECT_EQ(RemoveTags(existing, {"a"}), (Tags{{"b", "2"}}));
}

}  // namespace
}  // namespace sml::api::model
