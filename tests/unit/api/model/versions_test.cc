#include "api/model/versions.h"

#include <gtest/gtest.h>

#include "api/error.h"

namespace sml::api::model {
namespace {

using Labels = std::vector<std::string>;

storage::VersionRecord Version(std::string id, Labels labels, storage::EpochMillis created = 0) {
  storage::VersionRecord v;
  v.version_id = std::move(id);
  v.labels = std::move(labels);
  v.created_date = created;
  v.has_value = true;
  return v;
}

const Labels& LabelsOf(const Versions& versions, std::string_view id) {
  return FindVersion(versions, id)->labels;
}

ErrorCode CodeOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const ApiError& e) {
    return e.code();
  }
  ADD_FAILURE() << "no ApiError thrown";
  return ErrorCode::kInternalServiceError;
}

std::string MessageOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const ApiError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no ApiError thrown";
  return "";
}

TEST(Versions, AttachLabel_AwsCurrentMovesOldCurrentToAwsPrevious) {
  Versions versions = {Version("a", {"AWSPREVIOUS"}), Version("b", {"AWSCURRENT"}),
                       Version("c", {})};
  AttachLabel(versions, "c", kAwsCurrent);
  EXPECT_EQ(LabelsOf(versions, "a"), Labels{});
  EXPECT_EQ(LabelsOf(versions, "b"), Labels{"AWSPREVIOUS"});
  EXPECT_EQ(LabelsOf(versions, "c"), Labels{"AWSCURRENT"});
}

TEST(Versions, LabelWrittenVersion_FirstVersionAlwaysGetsAwsCurrent) {
  Versions versions = {Version("a", {})};
  LabelWrittenVersion(versions, "a", {"AWSPENDING"}, /*first_version=*/true);
  EXPECT_EQ(LabelsOf(versions, "a"), (Labels{"AWSCURRENT", "AWSPENDING"}));
}

TEST(Versions, LabelWrittenVersion_LaterVersionsGetOnlyTheirStages) {
  Versions versions = {Version("a", {"AWSCURRENT"}), Version("b", {})};
  LabelWrittenVersion(versions, "b", {"AWSPENDING"}, false);
  EXPECT_EQ(LabelsOf(versions, "a"), Labels{"AWSCURRENT"});
  EXPECT_EQ(LabelsOf(versions, "b"), Labels{"AWSPENDING"});
}

TEST(Versions, LabelWrittenVersion_AwsPendingLeavesWithAwsCurrent) {
  Versions versions = {Version("a", {"AWSPREVIOUS"}), Version("b", {"AWSCURRENT", "AWSPENDING"}),
                       Version("c", {})};
  LabelWrittenVersion(versions, "c", {"AWSCURRENT"}, false);
  EXPECT_EQ(LabelsOf(versions, "a"), Labels{});
  EXPECT_EQ(LabelsOf(versions, "b"), Labels{"AWSPREVIOUS"});
  EXPECT_EQ(LabelsOf(versions, "c"), Labels{"AWSCURRENT"});
}

TEST(Versions, LabelWrittenVersion_AwsPendingElsewhereStaysWhenAwsCurrentMoves) {
  Versions versions = {Version("a", {"AWSCURRENT"}), Version("p", {"AWSPENDING"}),
                       Version("c", {})};
  LabelWrittenVersion(versions, "c", {"AWSCURRENT"}, false);
  EXPECT_EQ(LabelsOf(versions, "a"), Labels{"AWSPREVIOUS"});
  EXPECT_EQ(LabelsOf(versions, "p"), Labels{"AWSPENDING"});
}

TEST(Versions, LabelWrittenVersion_AwsPendingStaysWhenAwsCurrentDoesNotMove) {
  Versions versions = {Version("a", {"AWSCURRENT", "AWSPENDING"}), Version("b", {})};
  LabelWrittenVersion(versions, "b", {"blue"}, false);
  EXPECT_EQ(LabelsOf(versions, "a"), (Labels{"AWSCURRENT", "AWSPENDING"}));
}

TEST(Versions, AttachLabel_FirstAwsCurrentCreatesNoAwsPrevious) {
  Versions versions = {Version("a", {})};
  AttachLabel(versions, "a", kAwsCurrent);
  EXPECT_EQ(LabelsOf(versions, "a"), Labels{"AWSCURRENT"});
  EXPECT_EQ(FindLabelHolder(versions, kAwsPrevious), nullptr);
}

TEST(Versions, AttachLabel_CustomLabelLeavesItsOldHolderAndAwsCurrentStays) {
  Versions versions = {Version("a", {"AWSCURRENT", "blue"}), Version("b", {})};
  AttachLabel(versions, "b", "blue");
  EXPECT_EQ(LabelsOf(versions, "a"), Labels{"AWSCURRENT"});
  EXPECT_EQ(LabelsOf(versions, "b"), Labels{"blue"});
  EXPECT_EQ(FindLabelHolder(versions, kAwsPrevious), nullptr);
}

TEST(Versions, AttachLabel_AwsCurrentOntoPreviousHolderSwapsThem) {
  Versions versions = {Version("a", {"AWSPREVIOUS"}), Version("b", {"AWSCURRENT"})};
  AttachLabel(versions, "a", kAwsCurrent);
  EXPECT_EQ(LabelsOf(versions, "a"), Labels{"AWSCURRENT"});
  EXPECT_EQ(LabelsOf(versions, "b"), Labels{"AWSPREVIOUS"});
}

TEST(Versions, AttachLabel_KeepsLabelsSorted) {
  Versions versions = {Version("a", {"AWSPENDING", "zeta"})};
  AttachLabel(versions, "a", "beta");
  EXPECT_EQ(LabelsOf(versions, "a"), (Labels{"AWSPENDING", "beta", "zeta"}));
}

TEST(Versions, AttachLabels_TwentyFirstLabelIsLimitExceeded) {
  Labels twenty;
  for (int i = 0; i < 20; ++i) twenty.push_back("l" + std::to_string(100 + i));
  Versions versions = {Version("a", twenty)};
  EXPECT_EQ(CodeOf([&] { AttachLabels(versions, "a", {"extra"}); }), ErrorCode::kLimitExceeded);
  EXPECT_EQ(LabelsOf(versions, "a").size(), 20u);
}

TEST(Versions, AttachLabels_AppliesEveryRequestedLabel) {
  Versions versions = {Version("a", {"AWSCURRENT"}), Version("b", {})};
  AttachLabels(versions, "b", {"AWSPENDING", "custom"});
  EXPECT_EQ(LabelsOf(versions, "a"), Labels{"AWSCURRENT"});
  EXPECT_EQ(LabelsOf(versions, "b"), (Labels{"AWSPENDING", "custom"}));
}

TEST(Versions, ClassifyToken_NoVersionCreates) {
  EXPECT_EQ(ClassifyToken(std::nullopt, {.secret_string = "x"}), TokenOutcome::kCreate);
}

TEST(Versions, ClassifyToken_SameStringIsAlreadyDone) {
  auto v = Version("a", {});
  v.secret_string = "x";
  EXPECT_EQ(ClassifyToken(v, {.secret_string = "x"}), TokenOutcome::kAlreadyDone);
}

TEST(Versions, ClassifyToken_DifferentValueConflicts) {
  auto v = Version("a", {});
  v.secret_string = "x";
  EXPECT_EQ(ClassifyToken(v, {.secret_string = "y"}), TokenOutcome::kConflict);
  EXPECT_EQ(ClassifyToken(v, {.secret_binary = "x"}), TokenOutcome::kConflict);
}

TEST(Versions, ClassifyToken_EmptyPlaceholderIsFilled) {
  auto v = Version("a", {"AWSPENDING"});
  v.has_value = false;
  EXPECT_EQ(ClassifyToken(v, {.secret_string = "x"}), TokenOutcome::kFill);
}

TEST(Versions, MoveLabel_AwsCurrentBringsAwsPreviousAlong) {
  Versions versions = {Version("a", {"AWSPREVIOUS"}), Version("b", {"AWSCURRENT"}),
                       Version("c", {"AWSPENDING"})};
  MoveLabel(versions, kAwsCurrent, "b", "c");
  EXPECT_EQ(LabelsOf(versions, "a"), Labels{});
  EXPECT_EQ(LabelsOf(versions, "b"), Labels{"AWSPREVIOUS"});
  EXPECT_EQ(LabelsOf(versions, "c"), (Labels{"AWSCURRENT", "AWSPENDING"}));
}

TEST(Versions, MoveLabel_AttachedElsewhereWithoutRemoveFromIsInvalidParameter) {
  Versions versions = {Version("a", {"AWSCURRENT"}), Version("b", {})};
  auto message = MessageOf([&] { MoveLabel(versions, kAwsCurrent, std::nullopt, "b"); });
  EXPECT_EQ(message,
            "The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is "
            "currently attached to version a, so you must explicitly reference that version in "
            "RemoveFromVersionId.");
  EXPECT_EQ(CodeOf([&] { MoveLabel(versions, "AWSCURRENT", std::nullopt, "b"); }),
            ErrorCode::kInvalidParameter);
}

TEST(Versions, MoveLabel_RemoveFromNotTheHolderIsInvalidParameter) {
  Versions versions = {Version("a", {"AWSCURRENT"}), Version("b", {}), Version("c", {})};
  EXPECT_EQ(CodeOf([&] { MoveLabel(versions, kAwsCurrent, "c", "b"); }),
            ErrorCode::kInvalidParameter);
  EXPECT_EQ(LabelsOf(versions, "a"), Labels{"AWSCURRENT"});
}

TEST(Versions, MoveLabel_UnknownVersionIsResourceNotFound) {
  Versions versions = {Version("a", {"AWSCURRENT"})};
  EXPECT_EQ(CodeOf([&] { MoveLabel(versions, "x", std::nullopt, "nope"); }),
            ErrorCode::kResourceNotFound);
  EXPECT_EQ(CodeOf([&] { MoveLabel(versions, "AWSCURRENT", "nope", "a"); }),
            ErrorCode::kResourceNotFound);
}

TEST(Versions, MoveLabel_WorksWhenNoVersionHoldsAwsCurrent) {
  Versions versions = {Version("a", {"AWSPENDING"})};
  MoveLabel(versions, kAwsCurrent, std::nullopt, "a");
  EXPECT_EQ(LabelsOf(versions, "a"), (Labels{"AWSCURRENT", "AWSPENDING"}));
  EXPECT_EQ(FindLabelHolder(versions, kAwsPrevious), nullptr);
}

TEST(Versions, MoveLabel_RemovingAwsCurrentWithoutAMove_IsInvalidParameter) {
  Versions versions = {Version("a", {"AWSCURRENT"}), Version("b", {"AWSPREVIOUS"})};
  auto message = MessageOf([&] { MoveLabel(versions, kAwsCurrent, "a", std::nullopt); });
  // AWS's text, typographic apostrophe included.
  EXPECT_EQ(message,
            "You can only move staging label AWSCURRENT to a different secret version. It "
            "can\u2019t be completely removed.");
  EXPECT_EQ(CodeOf([&] { MoveLabel(versions, kAwsCurrent, "a", std::nullopt); }),
            ErrorCode::kInvalidParameter);
  EXPECT_EQ(LabelsOf(versions, "a"), Labels{"AWSCURRENT"});
}

TEST(Versions, MoveLabel_RemoveOnlyDetachesAndMovesNoAwsPrevious) {
  Versions versions = {Version("a", {"AWSCURRENT"}), Version("b", {"AWSPENDING"})};
  MoveLabel(versions, kAwsPending, "b", std::nullopt);
  EXPECT_EQ(LabelsOf(versions, "b"), Labels{});
  EXPECT_EQ(LabelsOf(versions, "a"), Labels{"AWSCURRENT"});
}

TEST(Versions, MoveLabel_OntoTheHolderIsANoOp) {
  Versions versions = {Version("a", {"AWSCURRENT"}), Version("b", {"AWSPREVIOUS"})};
  MoveLabel(versions, kAwsCurrent, std::nullopt, "a");
  EXPECT_EQ(LabelsOf(versions, "a"), Labels{"AWSCURRENT"});
  EXPECT_EQ(LabelsOf(versions, "b"), Labels{"AWSPREVIOUS"});
}

TEST(Versions, MoveLabel_OntoAFullVersionIsLimitExceeded) {
  Labels twenty;
  for (int i = 0; i < 20; ++i) twenty.push_back("l" + std::to_string(100 + i));
  Versions versions = {Version("a", twenty), Version("b", {"x"})};
  EXPECT_EQ(CodeOf([&] { MoveLabel(versions, "x", "b", "a"); }), ErrorCode::kLimitExceeded);
}

TEST(Versions, LabelWrittenVersion_OnlyVersionAmongDeprecatedOnesIsNotFirst) {
  // The secret has other versions, none labelled: the written one is not its first.
  Versions versions = {Version("b", {})};
  LabelWrittenVersion(versions, "b", {"AWSPENDING"}, /*first_version=*/false);
  EXPECT_EQ(LabelsOf(versions, "b"), Labels{"AWSPENDING"});
}

TEST(Versions, VersionsToPrune_BeyondOneHundred) {
  EXPECT_EQ(VersionsToPrune(0), 0);
  EXPECT_EQ(VersionsToPrune(100), 0);
  EXPECT_EQ(VersionsToPrune(101), 1);
  EXPECT_EQ(VersionsToPrune(130), 30);
}

TEST(Versions, VersionIdsToStages_LeavesOutDeprecated) {
  Versions versions = {Version("a", {}), Version("b", {"AWSCURRENT"})};
  auto map = VersionIdsToStages(versions);
  ASSERT_EQ(map.size(), 1u);
  EXPECT_EQ(map[0].first, "b");
  EXPECT_EQ(map[0].second, Labels{"AWSCURRENT"});
}

}  // namespace
}  // namespace sml::api::model
