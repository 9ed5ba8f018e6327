#include "api/policy/policy_document.h"

#include <cctype>
#include <nlohmann/json.hpp>
#include <set>

#include "api/error.h"
#include "api/policy/condition_operator.h"

namespace sml::api {
namespace {

using nlohmann::json;

// Characters, not bytes: AWS limits the policy to 20480 characters.
std::size_t Utf8Length(std::string_view text) {
  std::size_t count = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++count;
  }
  return count;
}

std::string Show(const json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

bool IsAllDigits(std::string_view text, std::size_t length) {
  if (text.size() != length) return false;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool IsAlphanumeric(std::string_view text) {
  for (char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::vector<std::string_view> SplitColons(std::string_view text, std::size_t max_parts) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max_parts) {
    auto colon = text.find(':');
    if (colon == std::string_view::npos) break;
    parts.push_back(text.substr(0, colon));
    text.remove_prefix(colon + 1);
  }
  parts.push_back(text);
  return parts;
}

// "*", a 12-digit account, an IAM/STS ARN in an account, or an IAM unique id
// (AIDA.../AROA...), which IAM accepts and rewrites.
bool IsSupportedAwsPrincipal(std::string_view value) {
  if (value == "*" || IsAllDigits(value, 12)) return true;
  auto parts = SplitColons(value, 6);
  if (parts.size() == 6 && parts[0] == "arn" && !parts[1].empty() &&
      (parts[2] == "iam" || parts[2] == "sts") && parts[3].empty() && IsAllDigits(parts[4], 12) &&
      !parts[5].empty()) {
    return true;
  }
  bool unique_id = value.size() >= 16 && value.size() <= 128 &&
                   (value.starts_with("AIDA") || value.starts_with("AROA")) &&
                   IsAlphanumeric(value);
  return unique_id;
}

bool IsValidAction(std::string_view action) {
  if (action == "*") return true;
  auto colon = action.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == action.size()) return false;
  for (char c : action.substr(0, colon)) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
  }
  for (char c : action.substr(colon + 1)) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '*' && c != '?') return false;
  }
  return true;
}

bool IsValidResource(std::string_view resource) {
  if (resource == "*") return true;
  auto parts = SplitColons(resource, 6);
  return parts.size() == 6 && parts[0] == "arn" && !parts[1].empty() && !parts[2].empty();
}

class Parser {
 public:
  PolicyParseResult Run(std::string_view text) {
    PolicyParseResult result;
    if (Utf8Length(text) > kMaxPolicyDocumentLength) {
      Syntax("Policy document exceeds the maximum length of 20480 characters");
      return Finish(std::move(result));
    }
    json root = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (root.is_discarded()) {
      Syntax("Policy document is not valid JSON");
    } else if (!root.is_object()) {
      Syntax("Policy document must be a JSON object");
    } else {
      result.document = ParseDocument(root);
    }
    return Finish(std::move(result));
  }

 private:
  PolicyParseResult Finish(PolicyParseResult result) {
    result.problems = std::move(problems_);
    if (!result.problems.empty()) result.document.reset();
    return result;
  }

  void Syntax(std::string message) {
    problems_.push_back({PolicyProblemKind::kSyntax, std::move(message)});
  }
  void BadPrincipal(std::string message) {
    problems_.push_back({PolicyProblemKind::kUnsupportedPrincipal, std::move(message)});
  }

  PolicyDocument ParseDocument(const json& root) {
    PolicyDocument document;
    for (const auto& [key, value] : root.items()) {
      if (key == "Version") {
        if (value.is_string() && (value.get<std::string>() == "2012-10-17" ||
                                  value.get<std::string>() == "2008-10-17")) {
          document.version = value.get<std::string>();
        } else {
          Syntax("Invalid policy version: " + Show(value) +
                 ". Supported versions are 2012-10-17 and 2008-10-17");
        }
      } else if (key == "Id") {
        if (value.is_string()) {
          document.id = value.get<std::string>();
        } else {
          Syntax("Policy Id must be a string");
        }
      } else if (key != "Statement") {
        Syntax("Unknown element in policy document: " + key);
      }
    }
    auto statement = root.find("Statement");
    if (statement == root.end()) {
      Syntax("Policy document must contain a Statement");
    } else if (statement->is_object()) {
      ParseStatement(*statement, document);
    } else if (statement->is_array()) {
      if (statement->empty()) Syntax("Statement list must not be empty");
      for (const json& entry : *statement) ParseStatement(entry, document);
    } else {
      Syntax("Statement must be an object or a list of objects");
    }
    return document;
  }

  void ParseStatement(const json& element, PolicyDocument& document) {
    if (!element.is_object()) {
      Syntax("Each Statement must be a JSON object");
      return;
    }
    PolicyStatement statement;
    static const std::set<std::string> kKnown = {"Sid",          "Effect",      "Principal",
                                                 "NotPrincipal", "Action",      "NotAction",
                                                 "Resource",     "NotResource", "Condition"};
    for (const auto& [key, value] : element.items()) {
      if (!kKnown.contains(key)) Syntax("Unknown element in statement: " + key);
    }
    ParseSid(element, statement);
    ParseEffect(element, statement);
    ParsePrincipal(element, statement);
    ParseActions(element, statement);
    ParseResources(element, statement);
    if (auto condition = element.find("Condition"); condition != element.end()) {
      ParseCondition(*condition, statement);
    }
    document.statements.push_back(std::move(statement));
  }

  void ParseSid(const json& element, PolicyStatement& statement) {
    auto sid = element.find("Sid");
    if (sid == element.end()) return;
    if (!sid->is_string()) {
      Syntax("Sid must be a string");
      return;
    }
    statement.sid = sid->get<std::string>();
    if (!IsAlphanumeric(statement.sid)) {
      Syntax("Statement IDs (SID) must be alpha-numeric: " + statement.sid);
    } else if (!statement.sid.empty() && !sids_.insert(statement.sid).second) {
      Syntax("Statement IDs (SID) in a single policy must be unique: " + statement.sid);
    }
  }

  void ParseEffect(const json& element, PolicyStatement& statement) {
    auto effect = element.find("Effect");
    if (effect == element.end()) {
      Syntax("Statement is missing required element: Effect");
    } else if (effect->is_string() && effect->get<std::string>() == "Allow") {
      statement.allow = true;
    } else if (effect->is_string() && effect->get<std::string>() == "Deny") {
      statement.allow = false;
    } else {
      Syntax("Invalid effect: " + Show(*effect));
    }
  }

  // Which of a pair of mutually exclusive elements is present; reports both/neither.
  const json* Exclusive(const json& element, const std::string& name, bool required,
                        bool& negated) {
    auto positive = element.find(name);
    auto negative = element.find("Not" + name);
    bool has_positive = positive != element.end(), has_negative = negative != element.end();
    if (has_positive && has_negative) {
      Syntax("Statement must not contain both " + name + " and Not" + name);
      return nullptr;
    }
    if (!has_positive && !has_negative) {
      if (required) Syntax("Statement is missing required element: " + name);
      return nullptr;
    }
    negated = has_negative;
    return has_positive ? &*positive : &*negative;
  }

  // A string or a non-empty list of strings.
  std::optional<std::vector<std::string>> StringList(const json& value, const std::string& what) {
    std::vector<std::string> out;
    if (value.is_string()) {
      out.push_back(value.get<std::string>());
      return out;
    }
    if (value.is_array() && !value.empty()) {
      for (const json& item : value) {
        if (!item.is_string()) {
          Syntax(what + " values must be strings: " + item.dump());
          return std::nullopt;
        }
        out.push_back(item.get<std::string>());
      }
      return out;
    }
    Syntax(what + " must be a string or a non-empty list of strings");
    return std::nullopt;
  }

  void ParsePrincipal(const json& element, PolicyStatement& statement) {
    const json* principal =
        Exclusive(element, "Principal", /*required=*/true, statement.not_principal);
    if (principal == nullptr) return;
    if (principal->is_string()) {
      if (principal->get<std::string>() == "*") {
        statement.principals.any = true;
      } else {
        BadPrincipal(
            "Invalid principal: " + principal->get<std::string>() +
            ". Principal must be \"*\" or an object such as {\"AWS\": \"<account or ARN>\"}");
      }
      return;
    }
    if (!principal->is_object() || principal->empty()) {
      Syntax("Principal must be \"*\" or a non-empty object");
      return;
    }
    for (const auto& [type, value] : principal->items()) {
      if (type != "AWS" && type != "Service" && type != "Federated" && type != "CanonicalUser") {
        BadPrincipal("Unsupported principal type: " + type);
        continue;
      }
      auto values = StringList(value, "Principal " + type);
      if (!values) continue;
      for (const std::string& v : *values) {
        bool ok = type == "AWS" ? IsSupportedAwsPrincipal(v) : !v.empty();
        if (!ok) BadPrincipal("Invalid principal: " + v);
      }
      statement.principals.by_type[type] = std::move(*values);
    }
  }

  void ParseActions(const json& element, PolicyStatement& statement) {
    const json* action = Exclusive(element, "Action", /*required=*/true, statement.not_action);
    if (action == nullptr) return;
    auto values = StringList(*action, "Action");
    if (!values) return;
    for (const std::string& v : *values) {
      if (!IsValidAction(v)) {
        Syntax("Invalid action: " + v +
               ". An action must be \"*\" or \"<service>:<action>\", such as "
               "secretsmanager:GetSecretValue");
      }
    }
    statement.actions = std::move(*values);
  }

  void ParseResources(const json& element, PolicyStatement& statement) {
    const json* resource =
        Exclusive(element, "Resource", /*required=*/false, statement.not_resource);
    if (resource == nullptr) return;
    auto values = StringList(*resource, "Resource");
    if (!values) return;
    for (const std::string& v : *values) {
      if (!IsValidResource(v))
        Syntax("Invalid resource: " + v + ". A resource must be \"*\" or an ARN");
    }
    statement.resources = std::move(*values);
  }

  void ParseCondition(const json& condition, PolicyStatement& statement) {
    if (!condition.is_object()) {
      Syntax("Condition must be an object of operator to {key: value}");
      return;
    }
    for (const auto& [op_name, block] : condition.items()) {
      auto op = ParseConditionOperator(op_name);
      if (!op) {
        Syntax("Unknown condition operator: " + op_name);
        continue;
      }
      if (!block.is_object() || block.empty()) {
        Syntax("Condition operator " + op_name + " must map condition keys to values");
        continue;
      }
      for (const auto& [key, value] : block.items()) {
        if (key.empty()) {
          Syntax("Condition keys must not be empty");
          continue;
        }
        auto values = ConditionValues(value);
        if (!values) {
          Syntax("Invalid value for condition key " + key + ": " + value.dump());
          continue;
        }
        statement.conditions.push_back({op->canonical, key, std::move(*values)});
      }
    }
  }

  static std::optional<std::vector<std::string>> ConditionValues(const json& value) {
    auto scalar = [](const json& v) -> std::optional<std::string> {
      if (v.is_string()) return v.get<std::string>();
      if (v.is_boolean() || v.is_number()) return v.dump();
      return std::nullopt;
    };
    std::vector<std::string> out;
    if (value.is_array()) {
      if (value.empty()) return std::nullopt;
      for (const json& item : value) {
        auto s = scalar(item);
        if (!s) return std::nullopt;
        out.push_back(std::move(*s));
      }
      return out;
    }
    auto s = scalar(value);
    if (!s) return std::nullopt;
    out.push_back(std::move(*s));
    return out;
  }

  std::vector<PolicyProblem> problems_;
  std::set<std::string> sids_;
};

}  // namespace

PolicyParseResult ParsePolicy(std::string_view document) { return Parser().Run(document); }

const PolicyProblem& DecidingProblem(const std::vector<PolicyProblem>& problems) {
  for (const PolicyProblem& problem : problems) {
    if (problem.kind == PolicyProblemKind::kUnsupportedPrincipal) return problem;
  }
  return problems.front();
}

PolicyDocument RequireValidPolicy(std::string_view document) {
  PolicyParseResult parsed = ParsePolicy(document);
  if (parsed.document) return std::move(*parsed.document);
  throw ApiError(ErrorCode::kMalformedPolicyDocument,
                 DecidingProblem(parsed.problems).kind == PolicyProblemKind::kUnsupportedPrincipal
                     ? "This resource policy contains an unsupported principal."
                     : "This resource policy contains a syntax error.");
}

PolicyValidationResult Validate(std::string_view document) {
  PolicyValidationResult result;
  PolicyParseResult parsed = ParsePolicy(document);
  for (const PolicyProblem& problem : parsed.problems) {
    result.errors.push_back({std::string(kSyntaxCheckName), problem.message});
  }
  if (parsed.document && IsPublic(*parsed.document)) {
    result.errors.push_back(
        {std::string(kBroadAccessCheckName),
         "The resource policy grants access to every AWS principal (\"*\") without a condition "
         "that limits it to an account, organization, ARN, VPC or VPC endpoint."});
  }
  result.passed = result.errors.empty();
  return result;
}

}  // namespace sml::api
