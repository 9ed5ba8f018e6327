#pragma once
// IAM condition operators: recognising a spelling ("ForAnyValue:StringLikeIfExists")
// and the wildcard matching that StringLike/ArnLike/Action/Resource share.
// Shared by policy parsing and evaluation; pure functions.
#include "api/text.h"
#include <optional>
#include <string>
#include <string_view>

namespace sml::api {

enum class ConditionFamily { kString, kNumeric, kDate, kBool, kBinary, kIp, kArn, kNull };

enum class ConditionTest {
  kEquals,
  kEqualsIgnoreCase,
  kLike,
  kLessThan,
  kLessThanEquals,
  kGreaterThan,
  kGreaterThanEquals,
  kPresence,  // Null
};

struct ConditionOperator {
  ConditionFamily family;
  ConditionTest test;
  bool negated = false;  // StringNotEquals, NotIpAddress, ArnNotLike, ...
  bool for_all_values = false;
  bool for_any_value = false;
  bool if_exists = false;
  std::string canonical;  // the operator as IAM spells it
};

// Parses an operator name as IAM accepts it (operator names compare
// case-insensitively); nullopt for anything IAM would reject, including
// "NullIfExists".
std::optional<ConditionOperator> ParseConditionOperator(std::string_view name);

// Glob match with `*` (any run, also empty) and `?` (one character).
bool WildcardMatch(std::string_view pattern, std::string_view text, bool ignore_case);


}  // namespace sml::api
