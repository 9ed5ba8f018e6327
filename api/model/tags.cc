#include "api/model/tags.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "api/error.h"

namespace sml::api::model {
namespace {

bool HasReservedPrefix(std::string_view key) {
  if (key.size() < 4) return false;
  std::string prefix(key.substr(0, 4));
  for (auto& c : prefix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return prefix == "aws:";
}

// AWS's own words (quoted from a real TagResource answer).
ApiError SystemTag(const std::string& key) {
  return {ErrorCode::kInvalidParameter, "You can't modify system tags. Tag key: '" + key + "'."};
}

ApiError TooManyTags() {
  return {ErrorCode::kInvalidParameter,
          "A secret can have at most " + std::to_string(kMaxTagsPerSecret) + " tags."};
}

}  // namespace

std::optional<std::vector<storage::Tag>> ReadTags(Input& input, std::string_view member,
                                                  bool required) {
  auto items = input.StructureList(member, {.required = required});
  if (!items) return std::nullopt;
  std::vector<storage::Tag> tags;
  for (auto& item : *items) {
    storage::Tag tag;
    tag.key =
        item.String("Key", {.required = true, .min_length = 1, .max_length = 128}).value_or("");
    tag.value = item.String("Value", {.min_length = 0, .max_length = 256}).value_or("");
    tags.push_back(std::move(tag));
  }
  return tags;
}

void ValidateTags(const std::vector<storage::Tag>& tags) {
  std::set<std::string_view> keys;
  for (const auto& tag : tags) {
    if (HasReservedPrefix(tag.key)) throw SystemTag(tag.key);
    if (!keys.insert(tag.key).second) {
      throw ApiError(ErrorCode::kInvalidParameter, "Duplicate tag key in the request: " + tag.key);
    }
  }
  if (tags.size() > kMaxTagsPerSecret) throw TooManyTags();
}

void RequireNoSystemTagKeys(const std::vector<std::string>& keys) {
  for (const auto& key : keys) {
    if (HasReservedPrefix(key)) throw SystemTag(key);
  }
}

std::vector<storage::Tag> MergeTags(const std::optional<std::vector<storage::Tag>>& existing,
                                    const std::vector<storage::Tag>& added) {
  std::vector<storage::Tag> merged = existing.value_or(std::vector<storage::Tag>{});
  for (const auto& tag : added) {
    auto it = std::find_if(merged.begin(), merged.end(),
                           [&](const storage::Tag& t) { return t.key == tag.key; });
    if (it != merged.end()) {
      it->value = tag.value;
    } else {
      merged.push_back(tag);
    }
  }
  if (merged.size() > kMaxTagsPerSecret) throw TooManyTags();
  return merged;
}

std::vector<storage::Tag> RemoveTags(const std::optional<std::vector<storage::Tag>>& existing,
                                     const std::vector<std::string>& keys) {
  std::vector<storage::Tag> kept = existing.value_or(std::vector<storage::Tag>{});
  std::erase_if(kept, [&](const storage::Tag& tag) {
    return std::find(keys.begin(), keys.end(), tag.key) != keys.end();
  });
  return kept;
}

}  // namespace sml::api::model
