// IsPublic and Allows: what a parsed resource policy grants.
#include "api/text.h"
#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdlib>

#include "api/policy/condition_operator.h"
#include "api/policy/policy_document.h"

namespace sml::api {
namespace {

// Keys that pin the caller (or the calling resource) to something specific;
// a positive string/ARN condition on one of them keeps a "*" principal from
// being public.
bool IsLimitingKey(std::string_view key) {
  static const std::array<std::string_view, 9> kKeys = {
      "aws:sourceaccount",  "aws:sourcearn",    "aws:principalaccount",
      "aws:principalorgid", "aws:sourcevpc",    "aws:sourcevpce",
      "aws:sourceowner",    "aws:principalarn", "aws:userid"};
  std::string lower = ToLower(key);
  return std::find(kKeys.begin(), kKeys.end(), lower) != kKeys.end();
}

bool IsOnlyWildcards(std::string_view value) {
  return value.find_first_not_of("*?") == std::string_view::npos;
}

bool IsLimitingCondition(const PolicyCondition& condition) {
  auto op = ParseConditionOperator(condition.op);
  if (!op || op->negated || op->if_exists || op->for_all_values) return false;
  if (op->family != ConditionFamily::kString && op->family != ConditionFamily::kArn) return false;
  if (!IsLimitingKey(condition.key)) return false;
  return std::none_of(condition.values.begin(), condition.values.end(), IsOnlyWildcards);
}

bool HasWildcardPrincipal(const PolicyStatement& statement) {
  if (statement.not_principal || statement.principals.any) return true;
  auto aws = statement.principals.by_type.find("AWS");
  return aws != statement.principals.by_type.end() &&
         std::find(aws->second.begin(), aws->second.end(), "*") != aws->second.end();
}

// --- principals -----------------------------------------------------------

// For "arn:aws:sts::<acct>:assumed-role/<Role>/<session>", the role name.
std::optional<std::string_view> AssumedRoleName(std::string_view arn) {
  auto parts = Split(arn, ':');
  if (parts.size() != 6 || parts[2] != "sts") return std::nullopt;
  auto path = Split(parts[5], '/');
  if (path.size() != 3 || path[0] != "assumed-role") return std::nullopt;
  return path[1];
}

bool MatchesAwsPrincipal(std::string_view value, std::string_view account, std::string_view arn) {
  if (value == "*") return true;
  if (value == account && !account.empty()) return true;
  if (!arn.empty() && value == arn) return true;
  auto parts = Split(value, ':');
  if (parts.size() != 6 || parts[0] != "arn" || parts[4] != account) return false;
  if (parts[2] == "iam" && parts[5] == "root") return true;
  // A role ARN (possibly with a path) grants to that role's sessions.
  auto role_name = AssumedRoleName(arn);
  auto caller = Split(arn, ':');
  if (role_name && parts[2] == "iam" && parts[5].starts_with("role/") && caller[4] == account) {
    auto path = Split(parts[5], '/');
    return path.back() == *role_name;
  }
  return false;
}

bool MatchesPrincipals(const PolicyPrincipals& principals, std::string_view account,
                       std::string_view arn) {
  if (principals.any) return true;
  for (const auto& [type, values] : principals.by_type) {
    for (const std::string& value : values) {
      if (type == "AWS" ? MatchesAwsPrincipal(value, account, arn) : value == arn) return true;
    }
  }
  return false;
}

// --- condition values -----------------------------------------------------

std::optional<double> ParseNumber(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::string copy(text);
  char* end = nullptr;
  double value = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size()) return std::nullopt;
  return value;
}

// Epoch seconds from "1700000000" or ISO 8601 "2024-01-31[THH:MM[:SS[.fff]]][Z|+hh:mm]".
std::optional<double> ParseDate(std::string_view text) {
  if (auto number = ParseNumber(text)) return number;
  auto digits = [&](std::size_t at, std::size_t n) -> std::optional<int> {
    if (at + n > text.size()) return std::nullopt;
    int value = 0;
    auto [ptr, ec] = std::from_chars(text.data() + at, text.data() + at + n, value);
    if (ec != std::errc() || ptr != text.data() + at + n) return std::nullopt;
    return value;
  };
  auto year = digits(0, 4), month = digits(5, 2), day = digits(8, 2);
  if (!year || !month || !day || text[4] != '-' || text[7] != '-') return std::nullopt;
  using namespace std::chrono;
  year_month_day ymd{std::chrono::year(*year), std::chrono::month(*month), std::chrono::day(*day)};
  if (!ymd.ok()) return std::nullopt;
  double seconds = static_cast<double>(sys_days(ymd).time_since_epoch().count()) * 86400.0;
  std::size_t at = 10;
  if (at < text.size() && (text[at] == 'T' || text[at] == 't')) {
    auto hour = digits(at + 1, 2), minute = digits(at + 4, 2);
    if (!hour || !minute || text[at + 3] != ':') return std::nullopt;
    seconds += *hour * 3600.0 + *minute * 60.0;
    at += 6;
    if (at < text.size() && text[at] == ':') {
      auto second = digits(at + 1, 2);
      if (!second) return std::nullopt;
      seconds += *second;
      at += 3;
      if (at < text.size() && text[at] == '.') {
        ++at;
        while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) ++at;
      }
    }
  }
  if (at == text.size() || (at + 1 == text.size() && (text[at] == 'Z' || text[at] == 'z'))) {
    return seconds;
  }
  if (at + 6 == text.size() && (text[at] == '+' || text[at] == '-') && text[at + 3] == ':') {
    auto hours = digits(at + 1, 2), minutes = digits(at + 4, 2);
    if (!hours || !minutes) return std::nullopt;
    double offset = *hours * 3600.0 + *minutes * 60.0;
    return text[at] == '+' ? seconds - offset : seconds + offset;
  }
  return std::nullopt;
}

// Does the CIDR block (or single address) contain the address? IPv4 and IPv6.
bool CidrContains(std::string_view cidr, std::string_view address) {
  auto slash = cidr.find('/');
  std::string network(cidr.substr(0, slash));
  std::string host(address);
  std::array<unsigned char, 16> net{}, ip{};
  int bits = 0;
  if (inet_pton(AF_INET, network.c_str(), net.data()) == 1) {
    if (inet_pton(AF_INET, host.c_str(), ip.data()) != 1) return false;
    bits = 32;
  } else if (inet_pton(AF_INET6, network.c_str(), net.data()) == 1) {
    if (inet_pton(AF_INET6, host.c_str(), ip.data()) != 1) return false;
    bits = 128;
  } else {
    return false;
  }
  int prefix = bits;
  if (slash != std::string_view::npos) {
    auto text = cidr.substr(slash + 1);
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), prefix);
    if (ec != std::errc() || ptr != text.data() + text.size() || prefix < 0 || prefix > bits) {
      return false;
    }
  }
  for (int i = 0; i < prefix; ++i) {
    int mask = 0x80 >> (i % 8);
    if ((net[i / 8] & mask) != (ip[i / 8] & mask)) return false;
  }
  return true;
}

template <typename T>
bool Compare(ConditionTest test, T actual, T expected) {
  switch (test) {
    case ConditionTest::kEquals:
      return actual == expected;
    case ConditionTest::kLessThan:
      return actual < expected;
    case ConditionTest::kLessThanEquals:
      return actual <= expected;
    case ConditionTest::kGreaterThan:
      return actual > expected;
    case ConditionTest::kGreaterThanEquals:
      return actual >= expected;
    default:
      return false;
  }
}

// The positive test of one policy value against one request value.
bool TestValue(const ConditionOperator& op, std::string_view expected, std::string_view actual) {
  switch (op.family) {
    case ConditionFamily::kString:
      if (op.test == ConditionTest::kEqualsIgnoreCase) return EqualsIgnoreCase(expected, actual);
      if (op.test == ConditionTest::kLike) return WildcardMatch(expected, actual, false);
      return expected == actual;
    case ConditionFamily::kNumeric: {
      auto a = ParseNumber(actual), e = ParseNumber(expected);
      return a && e && Compare(op.test, *a, *e);
    }
    case ConditionFamily::kDate: {
      auto a = ParseDate(actual), e = ParseDate(expected);
      return a && e && Compare(op.test, *a, *e);
    }
    case ConditionFamily::kBool:
      return EqualsIgnoreCase(expected, actual);
    case ConditionFamily::kBinary:
      return expected == actual;
    case ConditionFamily::kIp:
      return CidrContains(expected, actual);
    case ConditionFamily::kArn:
      return WildcardMatch(expected, actual, false);
    case ConditionFamily::kNull:
      return false;
  }
  return false;
}

using LowerContext = std::map<std::string, std::vector<std::string>>;

bool ConditionHolds(const PolicyCondition& condition, const LowerContext& context) {
  auto op = ParseConditionOperator(condition.op);
  if (!op) return false;
  auto found = context.find(ToLower(condition.key));
  bool present = found != context.end() && !found->second.empty();
  if (op->family == ConditionFamily::kNull) {
    return std::any_of(condition.values.begin(), condition.values.end(), [&](const std::string& v) {
      return EqualsIgnoreCase(v, "true") ? !present : present;
    });
  }
  if (!present) return op->if_exists || op->for_all_values;
  auto request_value_passes = [&](const std::string& actual) {
    bool positive = std::any_of(condition.values.begin(), condition.values.end(),
                                [&](const std::string& v) { return TestValue(*op, v, actual); });
    return op->negated ? !positive : positive;
  };
  const auto& actual = found->second;
  if (op->for_all_values) return std::all_of(actual.begin(), actual.end(), request_value_passes);
  if (op->negated && !op->for_any_value) {
    // Single-valued negation: the request value must match none of the values.
    return std::all_of(actual.begin(), actual.end(), request_value_passes);
  }
  return std::any_of(actual.begin(), actual.end(), request_value_passes);
}

std::string PrincipalType(std::string_view arn) {
  if (arn.ends_with(":root")) return "Account";
  if (AssumedRoleName(arn)) return "AssumedRole";
  if (arn.find(":user/") != std::string_view::npos) return "User";
  return "";
}

bool StatementApplies(const PolicyStatement& statement, std::string_view account,
                      std::string_view arn, std::string_view action, std::string_view resource,
                      const LowerContext& context) {
  bool principal = MatchesPrincipals(statement.principals, account, arn);
  if (principal == statement.not_principal) return false;
  bool action_match =
      std::any_of(statement.actions.begin(), statement.actions.end(),
                  [&](const std::string& pattern) { return WildcardMatch(pattern, action, true); });
  if (action_match == statement.not_action) return false;
  if (statement.resources) {
    bool resource_match = std::any_of(
        statement.resources->begin(), statement.resources->end(),
        [&](const std::string& pattern) { return WildcardMatch(pattern, resource, false); });
    if (resource_match == statement.not_resource) return false;
  }
  return std::all_of(statement.conditions.begin(), statement.conditions.end(),
                     [&](const PolicyCondition& c) { return ConditionHolds(c, context); });
}

}  // namespace

bool IsPublic(const PolicyDocument& document) {
  return std::any_of(
      document.statements.begin(), document.statements.end(), [](const PolicyStatement& s) {
        return s.allow && HasWildcardPrincipal(s) &&
               std::none_of(s.conditions.begin(), s.conditions.end(), IsLimitingCondition);
      });
}

bool Allows(const PolicyDocument& document, std::string_view principal_account_id,
            std::string_view principal_arn, std::string_view action, std::string_view resource_arn,
            const PolicyConditionContext& extra) {
  LowerContext context;
  for (const auto& [key, values] : extra) context[ToLower(key)] = values;
  if (!principal_account_id.empty()) {
    context["aws:principalaccount"] = {std::string(principal_account_id)};
  }
  if (!principal_arn.empty()) {
    context["aws:principalarn"] = {std::string(principal_arn)};
    if (auto type = PrincipalType(principal_arn); !type.empty()) {
      context["aws:principaltype"] = {type};
    }
  }
  bool allowed = false;
  for (const PolicyStatement& statement : document.statements) {
    if (!StatementApplies(statement, principal_account_id, principal_arn, action, resource_arn,
                          context)) {
      continue;
    }
    if (!statement.allow) return false;  // an explicit Deny always wins
    allowed = true;
  }
  return allowed;
}

}  // namespace sml::api
