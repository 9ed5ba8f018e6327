#include "api/policy/condition_operator.h"

#include <cctype>

namespace sml::api {
namespace {

struct BaseOperator {
  std::string_view name;
  ConditionFamily family;
  ConditionTest test;
  bool negated;
};

using F = ConditionFamily;
using T = ConditionTest;

// The IAM condition operators
// (IAM User Guide, "IAM JSON policy elements: Condition operators").
// ArnEquals behaves like ArnLike in IAM: both accept wildcards.
constexpr BaseOperator kBaseOperators[] = {
    {"StringEquals", F::kString, T::kEquals, false},
    {"StringNotEquals", F::kString, T::kEquals, true},
    {"StringEqualsIgnoreCase", F::kString, T::kEqualsIgnoreCase, false},
    {"StringNotEqualsIgnoreCase", F::kString, T::kEqualsIgnoreCase, true},
    {"StringLike", F::kString, T::kLike, false},
    {"StringNotLike", F::kString, T::kLike, true},
    {"NumericEquals", F::kNumeric, T::kEquals, false},
    {"NumericNotEquals", F::kNumeric, T::kEquals, true},
    {"NumericLessThan", F::kNumeric, T::kLessThan, false},
    {"NumericLessThanEquals", F::kNumeric, T::kLessThanEquals, false},
    {"NumericGreaterThan", F::kNumeric, T::kGreaterThan, false},
    {"NumericGreaterThanEquals", F::kNumeric, T::kGreaterThanEquals, false},
    {"DateEquals", F::kDate, T::kEquals, false},
    {"DateNotEquals", F::kDate, T::kEquals, true},
    {"DateLessThan", F::kDate, T::kLessThan, false},
    {"DateLessThanEquals", F::kDate, T::kLessThanEquals, false},
    {"DateGreaterThan", F::kDate, T::kGreaterThan, false},
    {"DateGreaterThanEquals", F::kDate, T::kGreaterThanEquals, false},
    {"Bool", F::kBool, T::kEquals, false},
    {"BinaryEquals", F::kBinary, T::kEquals, false},
    {"IpAddress", F::kIp, T::kEquals, false},
    {"NotIpAddress", F::kIp, T::kEquals, true},
    {"ArnEquals", F::kArn, T::kLike, false},
    {"ArnLike", F::kArn, T::kLike, false},
    {"ArnNotEquals", F::kArn, T::kLike, true},
    {"ArnNotLike", F::kArn, T::kLike, true},
    {"Null", F::kNull, T::kPresence, false},
};

bool ConsumePrefix(std::string_view& text, std::string_view prefix) {
  if (text.size() < prefix.size() || !EqualsIgnoreCase(text.substr(0, prefix.size()), prefix)) {
    return false;
  }
  text.remove_prefix(prefix.size());
  return true;
}

bool ConsumeSuffix(std::string_view& text, std::string_view suffix) {
  if (text.size() < suffix.size() ||
      !EqualsIgnoreCase(text.substr(text.size() - suffix.size()), suffix)) {
    return false;
  }
  text.remove_suffix(suffix.size());
  return true;
}

}  // namespace


std::optional<ConditionOperator> ParseConditionOperator(std::string_view name) {
  ConditionOperator op{};
  std::string prefix;
  if (ConsumePrefix(name, "ForAllValues:")) {
    op.for_all_values = true;
    prefix = "ForAllValues:";
  } else if (ConsumePrefix(name, "ForAnyValue:")) {
    op.for_any_value = true;
    prefix = "ForAnyValue:";
  }
  // "IfExists" is tried only when the full name is not itself an operator.
  for (int pass = 0; pass < 2; ++pass) {
    std::string_view base = name;
    if (pass == 1) {
      if (!ConsumeSuffix(base, "IfExists")) break;
      op.if_exists = true;
    }
    for (const BaseOperator& candidate : kBaseOperators) {
      if (!EqualsIgnoreCase(candidate.name, base)) continue;
      if (candidate.family == F::kNull && (op.if_exists || !prefix.empty())) return std::nullopt;
      op.family = candidate.family;
      op.test = candidate.test;
      op.negated = candidate.negated;
      op.canonical = prefix + std::string(candidate.name) + (op.if_exists ? "IfExists" : "");
      return op;
    }
  }
  return std::nullopt;
}

bool WildcardMatch(std::string_view pattern, std::string_view text, bool ignore_case) {
  auto same = [ignore_case](char p, char t) {
    if (!ignore_case) return p == t;
    return std::tolower(static_cast<unsigned char>(p)) ==
           std::tolower(static_cast<unsigned char>(t));
  };
  // Iterative glob with single backtrack point: linear in practice, no recursion.
  std::size_t p = 0, t = 0;
  std::size_t star = std::string_view::npos, star_text = 0;
  while (t < text.size()) {
    if (p < pattern.size() &&
        (pattern[p] == '?' || (pattern[p] != '*' && same(pattern[p], text[t])))) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace sml::api
