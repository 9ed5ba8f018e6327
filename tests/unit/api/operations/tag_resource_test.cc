#include "tests/unit/api/operations/lifecycle_fixture.h"

namespace sml::api::operations::testing {
namespace {

using TagResourceTest = LifecycleTest;
using Tags = std::vector<storage::Tag>;

TEST_F(TagResourceTest, TagResource_AddsAndOverwritesAndReturnsEmptyObject) {
  Call(&CreateSecret, {{"Name", "s"}, {"Tags", {{{"Key", "a"}, {"Value", "1"}}}}});
  auto out = Call(&TagResource,
                  {{"SecretId", "s"},
                   {"Tags", {{{"Key", "a"}, {"Value", "2"}}, {{"Key", "b"}, {"Value", "3"}}}}});
  EXPECT_EQ(out, nlohmann::json::object());
  EXPECT_EQ(*Record("s")->tags, (Tags{{"a", "2"}, {"b", "3"}}));
}

TEST_F(TagResourceTest, TagResource_EmptyListOnAnUntaggedSecret_LeavesTagsOut) {
  Create("s");
  Call(&TagResource, {{"SecretId", "s"}, {"Tags", nlohmann::json::array()}});
  EXPECT_FALSE(Record("s")->tags);  // no tag was ever set: Describe/List omit Tags
  EXPECT_FALSE(Call(&DescribeSecret, {{"SecretId", "s"}}).contains("Tags"));
}

TEST_F(TagResourceTest, TagResource_SetsLastChangedDate) {
  Create("s");
  clock.Advance(7000);
  Call(&TagResource, {{"SecretId", "s"}, {"Tags", {{{"Key", "a"}, {"Value", "1"}}}}});
  EXPECT_EQ(Record("s")->last_changed_date, kStart + 7000);
}

TEST_F(TagResourceTest, TagResource_TagsAreRequired) {
  Create("s");
  EXPECT_EQ(Fails(&TagResource, {{"SecretId", "s"}}).code(), ErrorCode::kValidation);
}

// A tag with no Key would be stored under "", which no UntagResource can
// name (TagKeys must be 1-128 characters): refused like any missing member.
TEST_F(TagResourceTest, TagResource_ATagWithoutKey_IsRefused_AndNothingIsStored) {
  Create("s");
  ApiError error = Fails(&TagResource, {{"SecretId", "s"}, {"Tags", {{{"Value", "v"}}}}});
  EXPECT_EQ(error.code(), ErrorCode::kValidation);
  EXPECT_STREQ(error.what(),
               "1 validation error detected: Value null at 'tags.1.member.key' failed to "
               "satisfy constraint: Member must not be null");
  EXPECT_FALSE(Record("s")->tags);
  EXPECT_EQ(Fails(&CreateSecret, {{"Name", "t"}, {"Tags", {{{"Value", "v"}}}}}).code(),
            ErrorCode::kValidation);
}

TEST_F(TagResourceTest, TagResource_ReservedPrefixIsInvalidParameter) {
  Create("s");
  auto error =
      Fails(&TagResource, {{"SecretId", "s"}, {"Tags", {{{"Key", "aws:x"}, {"Value", "1"}}}}});
  EXPECT_EQ(error.code(), ErrorCode::kInvalidParameter);
  EXPECT_STREQ(error.what(), "You can't modify system tags. Tag key: 'aws:x'.");
}

TEST_F(TagResourceTest, TagResource_MoreThanFiftyInTotalIsInvalidParameter) {
  Create("s");
  nlohmann::json first = nlohmann::json::array(), second = nlohmann::json::array();
  for (int i = 0; i < 30; ++i) first.push_back({{"Key", "a" + std::to_string(i)}, {"Value", ""}});
  for (int i = 0; i < 21; ++i) second.push_back({{"Key", "b" + std::to_string(i)}, {"Value", ""}});
  Call(&TagResource, {{"SecretId", "s"}, {"Tags", first}});
  EXPECT_EQ(Fails(&TagResource, {{"SecretId", "s"}, {"Tags", second}}).code(),
            ErrorCode::kInvalidParameter);
  EXPECT_EQ(Record("s")->tags->size(), 30u);
}

TEST_F(TagResourceTest, TagResource_MarkedForDeletionIsInvalidRequest) {
  Create("s");
  Call(&DeleteSecret, {{"SecretId", "s"}});
  EXPECT_STREQ(
      Fails(&TagResource, {{"SecretId", "s"}, {"Tags", {{{"Key", "a"}, {"Value", "1"}}}}}).what(),
      MarkedForDeletion().what());
}

}  // namespace
}  // namespace sml::api::operations::testing
