#include "api/input.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <memory>

#include "api/error.h"

namespace sml::api {
namespace {

// How AWS's JSON deserializer names a value it did not expect.
[[noreturn]] void WrongType(const nlohmann::json& value, std::string_view wanted) {
  std::string message;
  if (value.is_object()) {
    message = "Start of structure or map found where not expected.";
  } else if (value.is_array()) {
    message = "Start of list found where not expected";
  } else {
    std::string_view kind = value.is_string()    ? "STRING_VALUE"
                            : value.is_boolean() ? (value.get<bool>() ? "TRUE_VALUE" : "FALSE_VALUE")
                            : value.is_number()  ? "NUMBER_VALUE"
                                                 : "NULL_VALUE";
    message = std::string(kind) + " can not be converted to " + std::string(wanted);
  }
  throw ApiError(ErrorCode::kSerialization, message);
}

// The length constraints' texts, for strings, blobs and lists alike.
std::string AtMostLength(std::size_t n) {
  return "Member must have length less than or equal to " + std::to_string(n);
}
std::string AtLeastLength(std::size_t n) {
  return "Member must have length greater than or equal to " + std::to_string(n);
}

// The constraints of a string shape, in the order AWS lists them (length
// at most, length at least, pattern, enum), each with whether a value
// breaks it. Checked for every string of every request: no allocation, and
// the texts are made only for a violation (ConstraintText).
enum class ConstraintKind { kMaxLength, kMinLength, kPattern, kEnum };
struct Constraint {
  ConstraintKind kind;
  bool broken;
};
struct Constraints {
  std::array<Constraint, 4> items;
  std::size_t size = 0;
  void Add(ConstraintKind kind, bool broken) { items[size++] = {kind, broken}; }
  const Constraint* begin() const { return items.data(); }
  const Constraint* end() const { return items.data() + size; }
  bool AnyBroken() const {
    return std::any_of(begin(), end(), [](const Constraint& c) { return c.broken; });
  }
};

Constraints Check(const std::string& value, const StringRule& rule) {
  // AWS counts characters, not bytes.
  std::size_t length = 0;
  for (unsigned char c : value) length += (c & 0xC0) != 0x80;
  Constraints out;
  if (rule.max_length != SIZE_MAX) out.Add(ConstraintKind::kMaxLength, length > rule.max_length);
  if (rule.min_length > 0) out.Add(ConstraintKind::kMinLength, length < rule.min_length);
  if (rule.matches) out.Add(ConstraintKind::kPattern, !rule.matches(value));
  if (!rule.one_of.empty()) {
    out.Add(ConstraintKind::kEnum,
            std::find(rule.one_of.begin(), rule.one_of.end(), value) == rule.one_of.end());
  }
  return out;
}

// "Member must ...", as AWS words the constraint.
std::string ConstraintText(ConstraintKind kind, const StringRule& rule) {
  switch (kind) {
    case ConstraintKind::kMaxLength:
      return AtMostLength(rule.max_length);
    case ConstraintKind::kMinLength:
      return AtLeastLength(rule.min_length);
    case ConstraintKind::kPattern:
      return std::string("Member must satisfy regular expression pattern: ") + rule.pattern;
    case ConstraintKind::kEnum: {
      std::string set;
      for (auto option : rule.one_of) set += (set.empty() ? "" : ", ") + std::string(option);
      return "Member must satisfy enum value set: [" + set + "]";
    }
  }
  return {};
}

void CheckString(Input& input, std::string_view member, const std::string& value,
                 const StringRule& rule) {
  const Constraints constraints = Check(value, rule);
  if (!constraints.AnyBroken()) return;
  const std::string* shown = rule.sensitive ? nullptr : &value;
  for (const Constraint& constraint : constraints) {
    if (constraint.broken) input.AddViolation(member, shown, ConstraintText(constraint.kind, rule));
  }
}

// A list as AWS shows it in a message: "[a, b]".
std::string ShowList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
  return out + "]";
}

}  // namespace

std::string LowerCamel(std::string_view member) {
  std::string out(member);
  // "ARN" -> "aRN" is what AWS prints too; only the first letter changes.
  if (!out.empty()) out[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[0])));
  return out;
}

Input::Input(const nlohmann::json& body, std::string path) : body_(&body), path_(std::move(path)) {
  if (!body.is_object()) WrongType(body, "a structure");
}

const std::shared_ptr<std::vector<std::string>>& Input::SharedViolations() {
  if (!violations_) violations_ = std::make_shared<std::vector<std::string>>();
  return violations_;
}

void Input::AddMissing(std::string_view member) {
  Violations().push_back("Value null at '" + MemberPath(member) +
                         "' failed to satisfy constraint: Member must not be null");
}

std::string Input::MemberPath(std::string_view member) const {
  return path_.empty() ? LowerCamel(member) : path_ + "." + LowerCamel(member);
}

const nlohmann::json* Input::Raw(std::string_view member) const {
  auto it = body_->find(member);
  if (it == body_->end() || it->is_null()) return nullptr;
  return &*it;
}

void Input::AddViolation(std::string_view member, const std::string* shown_value,
                         std::string_view constraint) {
  std::string text = "Value ";
  if (shown_value) text += "'" + *shown_value + "' ";
  text += "at '" + MemberPath(member) + "' failed to satisfy constraint: " + std::string(constraint);
  Violations().push_back(std::move(text));
}

std::optional<std::string> Input::String(std::string_view member, const StringRule& rule) {
  const nlohmann::json* raw = Raw(member);
  if (!raw) {
    if (rule.required) AddMissing(member);
    return std::nullopt;
  }
  if (!raw->is_string()) WrongType(*raw, "a String");
  std::string value = raw->get<std::string>();
  CheckString(*this, member, value, rule);
  return value;
}

std::optional<bool> Input::Bool(std::string_view member, bool required) {
  const nlohmann::json* raw = Raw(member);
  if (!raw) {
    if (required) AddMissing(member);
    return std::nullopt;
  }
  if (!raw->is_boolean()) WrongType(*raw, "an Boolean");  // sic: AWS's own article
  return raw->get<bool>();
}

std::optional<std::int64_t> Input::Integer(std::string_view member, const IntegerRule& rule) {
  const nlohmann::json* raw = Raw(member);
  if (!raw) {
    if (rule.required) AddMissing(member);
    return std::nullopt;
  }
  if (!raw->is_number_integer()) {
    // AWS writes "an" before every number type's name.
    const std::string_view wanted = rule.long_shape ? "an Long" : "an Integer";
    if (raw->is_number()) {
      throw ApiError(ErrorCode::kSerialization,
                     "NUMBER_VALUE can not be converted to " + std::string(wanted));
    }
    WrongType(*raw, wanted);
  }
  std::int64_t value = raw->is_number_unsigned() && raw->get<std::uint64_t>() > INT64_MAX
                           ? INT64_MAX
                           : raw->get<std::int64_t>();
  std::string shown = std::to_string(value);
  if (value < rule.min) {
    AddViolation(member, &shown,
                 "Member must have value greater than or equal to " + std::to_string(rule.min));
  }
  if (value > rule.max) {
    AddViolation(member, &shown,
                 "Member must have value less than or equal to " + std::to_string(rule.max));
  }
  return value;
}

std::optional<std::string> Input::Blob(std::string_view member, const StringRule& rule) {
  const nlohmann::json* raw = Raw(member);
  if (!raw) {
    if (rule.required) AddMissing(member);
    return std::nullopt;
  }
  if (!raw->is_string()) WrongType(*raw, "a Blob");
  auto bytes = DecodeBase64(raw->get_ref<const std::string&>());
  if (!bytes) throw ApiError(ErrorCode::kSerialization, "Base64 encoded value is invalid");
  // Blob limits count bytes, and the value is never echoed.
  if (bytes->size() < rule.min_length) {
    AddViolation(member, nullptr, AtLeastLength(rule.min_length));
  }
  if (bytes->size() > rule.max_length) {
    AddViolation(member, nullptr, AtMostLength(rule.max_length));
  }
  return bytes;
}

std::optional<std::vector<std::string>> Input::StringList(std::string_view member,
                                                          const ListRule& list_rule,
                                                          const StringRule& item_rule) {
  const nlohmann::json* raw = Raw(member);
  if (!raw) {
    if (list_rule.required) AddMissing(member);
    return std::nullopt;
  }
  if (!raw->is_array()) WrongType(*raw, "a List");
  std::vector<std::string> items;
  for (const auto& item : *raw) {
    if (!item.is_string()) WrongType(item, "a String");
    items.push_back(item.get<std::string>());
  }
  // Elements are reported once, at the list, with all their shape's constraints.
  const bool broken_item = std::any_of(items.begin(), items.end(), [&](const std::string& item) {
    return Check(item, item_rule).AnyBroken();
  });
  const bool too_few = items.size() < list_rule.min_items;
  const bool too_many = items.size() > list_rule.max_items;
  if (!broken_item && !too_few && !too_many) return items;  // the usual case: nothing to show
  const std::string list = ShowList(items);
  const std::string* shown = item_rule.sensitive ? nullptr : &list;
  if (too_few) {
    AddViolation(member, shown, AtLeastLength(list_rule.min_items));
  }
  if (too_many) {
    AddViolation(member, shown, AtMostLength(list_rule.max_items));
  }
  if (broken_item) {
    std::string texts;
    for (const Constraint& constraint : Check(std::string(), item_rule)) {
      texts += (texts.empty() ? "" : ", ") + ConstraintText(constraint.kind, item_rule);
    }
    AddViolation(member, shown, "Member must satisfy constraint: [" + texts + "]");
  }
  return items;
}

std::optional<std::vector<Input>> Input::StructureList(std::string_view member,
                                                       const ListRule& rule) {
  const nlohmann::json* raw = Raw(member);
  if (!raw) {
    if (rule.required) AddMissing(member);
    return std::nullopt;
  }
  if (!raw->is_array()) WrongType(*raw, "a List");
  // How AWS renders a list of structures is not known beyond the empty one.
  const std::string empty = "[]";
  const std::string* shown = raw->empty() ? &empty : nullptr;
  if (raw->size() < rule.min_items) {
    AddViolation(member, shown, AtLeastLength(rule.min_items));
  }
  if (raw->size() > rule.max_items) {
    AddViolation(member, nullptr, AtMostLength(rule.max_items));
  }
  std::vector<Input> items;
  std::size_t index = 1;
  for (const auto& element : *raw) {
    Input item(element, MemberPath(member) + "." + std::to_string(index++) + ".member");
    item.violations_ = SharedViolations();
    items.push_back(std::move(item));
  }
  return items;
}

std::optional<Input> Input::Structure(std::string_view member, bool required) {
  const nlohmann::json* raw = Raw(member);
  if (!raw) {
    if (required) AddMissing(member);
    return std::nullopt;
  }
  Input nested(*raw, MemberPath(member));
  nested.violations_ = SharedViolations();
  return nested;
}

void Input::Finish() {
  if (!violations_ || violations_->empty()) return;
  const auto count = violations_->size();
  std::string message = std::to_string(count) +
                        (count == 1 ? " validation error detected: " : " validation errors detected: ");
  for (std::size_t i = 0; i < count; ++i) message += (i ? "; " : "") + (*violations_)[i];
  violations_->clear();
  throw ApiError(ErrorCode::kValidation, message);
}

std::optional<std::string> DecodeBase64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' ||
              (c == '=' && i + 2 >= text.size());
    if (!ok) return std::nullopt;
  }
  std::string out(text.size() / 4 * 3, '\0');
  if (text.empty()) return out;
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  std::size_t padding = 0;
  if (text.ends_with("==")) padding = 2;
  else if (text.ends_with("=")) padding = 1;
  out.resize(static_cast<std::size_t>(n) - padding);
  return out;
}

std::string EncodeBase64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  if (bytes.empty()) return out;
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

}  // namespace sml::api
