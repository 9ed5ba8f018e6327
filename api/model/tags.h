#pragma once
// Tags on a secret (CreateSecret, TagResource, UntagResource): reading the
// Tags member with the model's limits, and the rules AWS adds on top (at most
// 50 per secret, no `aws:` prefix to add or remove, no key twice in one request). Every
// violation of those rules is InvalidParameterException, the only parameter
// error TagResource declares.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/input.h"
#include "storage/records.h"

namespace sml::api::model {

inline constexpr std::size_t kMaxTagsPerSecret = 50;

// Reads the list member `member` ("Tags") of {Key 1–128, Value 0–256}
// structures. Length violations go to `input` (reported by Finish()); call
// ValidateTags on the result after Finish().
std::optional<std::vector<storage::Tag>> ReadTags(Input& input, std::string_view member,
                                                  bool required);

// The rules beyond the model: reserved `aws:` prefix (any case), duplicate
// keys in one request, more than 50 tags. Throws InvalidParameterException.
void ValidateTags(const std::vector<storage::Tag>& tags);

// UntagResource's keys: an `aws:` key is refused as ValidateTags refuses it
// (AWS: a tag that begins with aws: can't be edited or deleted).
void RequireNoSystemTagKeys(const std::vector<std::string>& keys);

// `existing` with `added` merged in: an added key replaces the value of the
// same key, new keys are appended in order. Throws InvalidParameterException
// when the result has more than 50 tags.
std::vector<storage::Tag> MergeTags(const std::optional<std::vector<storage::Tag>>& existing,
                                    const std::vector<storage::Tag>& added);

// `existing` without the tags whose key is in `keys`. Once a secret was
// tagged its tags never go back to nullopt: removing all leaves [].
std::vector<storage::Tag> RemoveTags(const std::optional<std::vector<storage::Tag>>& existing,
                                     const std::vector<std::string>& keys);

}  // namespace sml::api::model
