#pragma once
// Reads an operation's input members with the model's constraints.
//
// A member of the wrong JSON type is a SerializationException at once (AWS
// cannot deserialize the request). Constraint violations (missing required
// member, length, range, pattern, enum) are collected and reported together
// by Finish() as one ValidationException in AWS's wording:
//   "1 validation error detected: Value 'x' at 'name' failed to satisfy
//    constraint: Member must have length less than or equal to 512"
// A list is shown as "[a, b]"; elements that break their shape's constraints
// are reported once, at the list, naming all of them:
//   "Value '[a, b]' at 'tagKeys' failed to satisfy constraint: Member must
//    satisfy constraint: [Member must have length less than or equal to 128,
//    Member must have length greater than or equal to 1]"
// Values of sensitive members (secret values) are never echoed.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sml::api {

struct StringRule {
  bool required = false;
  std::size_t min_length = 0;
  std::size_t max_length = SIZE_MAX;
  // Optional pattern: the check, and the regex AWS names in its message.
  bool (*matches)(std::string_view) = nullptr;
  const char* pattern = nullptr;
  std::vector<std::string_view> one_of;  // enum values, if any
  bool sensitive = false;
};

struct IntegerRule {
  bool required = false;
  std::int64_t min = INT64_MIN;
  std::int64_t max = INT64_MAX;
  bool long_shape = false;  // the model's `long`, not `integer`: named so in type errors
};

struct ListRule {
  bool required = false;
  std::size_t min_items = 0;
  std::size_t max_items = SIZE_MAX;
};

class Input {
 public:
  // `body` must be a JSON object (else SerializationException). `path` is the
  // member path prefix used in messages for nested structures.
  explicit Input(const nlohmann::json& body, std::string path = "");

  std::optional<std::string> String(std::string_view member, const StringRule& rule = {});
  std::optional<bool> Bool(std::string_view member, bool required = false);
  std::optional<std::int64_t> Integer(std::string_view member, const IntegerRule& rule = {});
  // A base64 blob member, decoded. Invalid base64 is a SerializationException.
  std::optional<std::string> Blob(std::string_view member, const StringRule& rule = {});
  std::optional<std::vector<std::string>> StringList(std::string_view member,
                                                     const ListRule& list_rule,
                                                     const StringRule& item_rule = {});
  // Nested structures: each element as an Input with its own path
  // ("tags.1.member"); the caller reads its members and they report here.
  std::optional<std::vector<Input>> StructureList(std::string_view member,
                                                  const ListRule& rule = {});
  std::optional<Input> Structure(std::string_view member, bool required = false);
  // The raw JSON of a member, for shapes read by hand.
  const nlohmann::json* Raw(std::string_view member) const;
  bool Has(std::string_view member) const { return Raw(member) != nullptr; }

  // Throws ValidationException listing every violation found by this Input
  // and the nested Inputs it made, if any.
  void Finish();

  // Records a violation in AWS's words ("Member must ...") for `member`.
  void AddViolation(std::string_view member, const std::string* shown_value,
                    std::string_view constraint);

 private:
  std::string MemberPath(std::string_view member) const;
  // Records "Value null at '<member>' ... Member must not be null".
  void AddMissing(std::string_view member);

  // Made with the first violation or nested Input: most requests have neither.
  const std::shared_ptr<std::vector<std::string>>& SharedViolations();
  std::vector<std::string>& Violations() { return *SharedViolations(); }

  const nlohmann::json* body_;
  std::string path_;
  std::shared_ptr<std::vector<std::string>> violations_;  // shared with nested Inputs
};

// "SecretId" -> "secretId", as AWS names members in validation messages.
std::string LowerCamel(std::string_view member);

// Base64 (standard alphabet, padding required) -> bytes; nullopt when invalid.
std::optional<std::string> DecodeBase64(std::string_view text);
std::string EncodeBase64(std::string_view bytes);

}  // namespace sml::api
