#include "api/input.h"

#include <gtest/gtest.h>

#include "api/error.h"

namespace sml::api {
namespace {

ApiError Caught(const std::function<void()>& f) {
  try {
    f();
  } catch (const ApiError& e) {
    return e;
  }
  ADD_FAILURE() << "no ApiError thrown";
  return ApiError(ErrorCode::kInternalServiceError, "");
}

TEST(Input, MissingRequiredMember_IsValidationExceptionInAwsWords) {
  auto body = nlohmann::json::object();
  Input input(body);
  input.String("SecretId", {.required = true});
  auto error = Caught([&] { input.Finish(); });
  EXPECT_EQ(error.code(), ErrorCode::kValidation);
  EXPECT_STREQ(error.what(),
               "1 validation error detected: Value null at 'secretId' failed to satisfy "
               "constraint: Member must not be null");
}

TEST(Input, WrongJsonType_IsSerializationException) {
  auto body = nlohmann::json{{"SecretId", 5}};
  Input input(body);
  auto error = Caught([&] { input.String("SecretId"); });
  EXPECT_EQ(error.code(), ErrorCode::kSerialization);
  EXPECT_STREQ(error.what(), "NUMBER_VALUE can not be converted to a String");
}

// AWS's deserializer writes "an" before Boolean and before both number
// types, and names the model's `long` shapes Long.
TEST(Input, WrongJsonTypes_AreNamedAsAwsNamesThem) {
  auto body = nlohmann::json{{"Flag", "yes"}, {"Days", "7"}, {"Count", 1.5}, {"Max", true}};
  Input input(body);
  EXPECT_STREQ(Caught([&] { input.Bool("Flag"); }).what(),
               "STRING_VALUE can not be converted to an Boolean");
  EXPECT_STREQ(Caught([&] { input.Integer("Days", {.long_shape = true}); }).what(),
               "STRING_VALUE can not be converted to an Long");
  EXPECT_STREQ(Caught([&] { input.Integer("Count", {.long_shape = true}); }).what(),
               "NUMBER_VALUE can not be converted to an Long");
  EXPECT_STREQ(Caught([&] { input.Integer("Max"); }).what(),
               "TRUE_VALUE can not be converted to an Integer");
}

TEST(Input, NonObjectBody_IsSerializationException) {
  auto body = nlohmann::json::array();
  EXPECT_EQ(Caught([&] { Input input(body); }).code(), ErrorCode::kSerialization);
}

TEST(Input, SeveralViolations_AreReportedTogether_AndSensitiveValuesAreHidden) {
  auto body = nlohmann::json{{"Name", std::string(513, 'a')}, {"SecretString", ""}};
  Input input(body);
  input.String("Name", {.min_length = 1, .max_length = 512});
  input.String("SecretString", {.min_length = 1, .sensitive = true});
  auto error = Caught([&] { input.Finish(); });
  std::string message = error.what();
  EXPECT_TRUE(message.starts_with("2 validation errors detected: ")) << message;
  EXPECT_NE(message.find("at 'name' failed to satisfy constraint: Member must have length less "
                         "than or equal to 512"),
            std::string::npos);
  EXPECT_NE(message.find("Value at 'secretString'"), std::string::npos) << message;
}

TEST(Input, IntegerRange_AndNestedStructurePaths) {
  auto body = nlohmann::json{{"MaxResults", 101},
                             {"Tags", {{{"Key", "a"}, {"Value", "b"}}, {{"Value", "c"}}}}};
  Input input(body);
  input.Integer("MaxResults", {.min = 1, .max = 100});
  auto tags = input.StructureList("Tags");
  for (auto& tag : *tags) tag.String("Key", {.required = true});
  auto error = Caught([&] { input.Finish(); });
  std::string message = error.what();
  EXPECT_NE(message.find("Value '101' at 'maxResults' failed to satisfy constraint: Member must "
                         "have value less than or equal to 100"),
            std::string::npos);
  EXPECT_NE(message.find("Value null at 'tags.2.member.key'"), std::string::npos) << message;
}

// AWS reports a list whose elements break their shape's constraints once, at
// the list, showing the list and every constraint of the element shape:
//   Value '[a, b]' at 'tagKeys' failed to satisfy constraint: Member must
//   satisfy constraint: [Member must have length less than or equal to 128, ...]
TEST(Input, StringListElements_AreReportedAtTheListWithTheElementShapesConstraints) {
  auto body = nlohmann::json{{"TagKeys", {"ok", std::string(3, 'x'), ""}}};
  Input input(body);
  input.StringList("TagKeys", {}, {.min_length = 1, .max_length = 2});
  auto error = Caught([&] { input.Finish(); });
  EXPECT_STREQ(error.what(),
               "1 validation error detected: Value '[ok, xxx, ]' at 'tagKeys' failed to satisfy "
               "constraint: Member must satisfy constraint: [Member must have length less than or "
               "equal to 2, Member must have length greater than or equal to 1]");
}

TEST(Input, ListLengthViolation_ShowsTheList) {
  auto body =
      nlohmann::json{{"VersionStages", {"a", "b", "c"}}, {"Regions", nlohmann::json::array()}};
  Input input(body);
  input.StringList("VersionStages", {.min_items = 1, .max_items = 2}, {.min_length = 1});
  input.StructureList("Regions", {.min_items = 1});
  auto error = Caught([&] { input.Finish(); });
  EXPECT_STREQ(error.what(),
               "2 validation errors detected: Value '[a, b, c]' at 'versionStages' failed to "
               "satisfy constraint: Member must have length less than or equal to 2; Value '[]' at "
               "'regions' failed to satisfy constraint: Member must have length greater than or "
               "equal to 1");
}

TEST(Input, Base64_RoundTripsAndRejectsGarbage) {
  EXPECT_EQ(DecodeBase64(EncodeBase64(std::string("\0\x01\xff", 3))), std::string("\0\x01\xff", 3));
  EXPECT_EQ(DecodeBase64("aGk="), "hi");
  EXPECT_FALSE(DecodeBase64("a$=="));
  EXPECT_FALSE(DecodeBase64("abc"));
}

}  // namespace
}  // namespace sml::api
