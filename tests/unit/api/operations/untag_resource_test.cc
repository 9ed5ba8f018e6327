#include "tests/unit/api/operations/lifecycle_fixture.h"

namespace sml::api::operations::testing {
namespace {

using UntagResourceTest = LifecycleTest;
using Tags = std::vector<storage::Tag>;

TEST_F(UntagResourceTest, UntagResource_RemovesKeysAndReturnsEmptyObject) {
  Call(&CreateSecret,
       {{"Name", "s"}, {"Tags", {{{"Key", "a"}, {"Value", "1"}}, {{"Key", "b"}, {"Value", "2"}}}}});
  auto out = Call(&UntagResource, {{"SecretId", "s"}, {"TagKeys", {"a"}}});
  EXPECT_EQ(out, nlohmann::json::object());
  EXPECT_EQ(*Record("s")->tags, (Tags{{"b", "2"}}));
}

TEST_F(UntagResourceTest, UntagResource_RemovingAllLeavesEmptyListNotUnset) {
  Call(&CreateSecret, {{"Name", "s"}, {"Tags", {{{"Key", "a"}, {"Value", "1"}}}}});
  Call(&UntagResource, {{"SecretId", "s"}, {"TagKeys", {"a"}}});
  auto tags = Record("s")->tags;
  ASSERT_TRUE(tags);
  EXPECT_TRUE(tags->empty());
}

TEST_F(UntagResourceTest, UntagResource_NeverTaggedStaysUnset) {
  Create("s");
  Call(&UntagResource, {{"SecretId", "s"}, {"TagKeys", {"a"}}});
  EXPECT_FALSE(Record("s")->tags);
}

TEST_F(UntagResourceTest, UntagResource_SetsLastChangedDate) {
  Call(&CreateSecret, {{"Name", "s"}, {"Tags", {{{"Key", "a"}, {"Value", "1"}}}}});
  clock.Advance(7000);
  Call(&UntagResource, {{"SecretId", "s"}, {"TagKeys", {"a"}}});
  EXPECT_EQ(Record("s")->last_changed_date, kStart + 7000);
}

TEST_F(UntagResourceTest, UntagResource_TagKeysAreRequired) {
  Create("s");
  EXPECT_EQ(Fails(&UntagResource, {{"SecretId", "s"}}).code(), ErrorCode::kValidation);
}

TEST_F(UntagResourceTest, UntagResource_SystemTagKey_IsInvalidParameter_AndNothingIsRemoved) {
  Call(&CreateSecret, {{"Name", "s"}, {"Tags", {{{"Key", "a"}, {"Value", "1"}}}}});
  auto error =
      Fails(&UntagResource, {{"SecretId", "s"}, {"TagKeys", {"a", "AWS:cloudformation:x"}}});
  EXPECT_EQ(error.code(), ErrorCode::kInvalidParameter);
  EXPECT_STREQ(error.what(), "You can't modify system tags. Tag key: 'AWS:cloudformation:x'.");
  EXPECT_EQ(*Record("s")->tags, (Tags{{"a", "1"}}));
}

TEST_F(UntagResourceTest, UntagResource_MarkedForDeletionIsInvalidRequest) {
  Create("s");
  Call(&DeleteSecret, {{"SecretId", "s"}});
  EXPECT_STREQ(Fails(&UntagResource, {{"SecretId", "s"}, {"TagKeys", {"a"}}}).what(),
               MarkedForDeletion().what());
}

}  // namespace
}  // namespace sml::api::operations::testing
