#pragma once
// Resource policy documents, checked the way IAM checks a resource-based
// policy, and evaluated well enough for cross-account access in the emulator.
//
// Contract:
// - ParsePolicy never throws; it returns the parsed document or the list of
//   problems, each naming the problem in words a user can act on
//   ("Invalid effect: Alow", "Unknown condition operator: StringEqualz").
// - RequireValidPolicy throws ApiError(kMalformedPolicyDocument) with AWS's
//   own message, which names no problem (Validate lists them).
// - IsPublic / Validate / Allows are pure functions of their arguments.
// All functions are thread-safe (no shared state).
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sml::api {

inline constexpr std::size_t kMaxPolicyDocumentLength = 20480;

// The principals of a Principal/NotPrincipal element. `any` is the bare "*";
// otherwise values are grouped by type ("AWS", "Service", "Federated",
// "CanonicalUser"), each value kept as written.
struct PolicyPrincipals {
  bool any = false;
  std::map<std::string, std::vector<std::string>> by_type;
};

// One (operator, key) pair of a Condition block. The operator is kept in its
// canonical spelling (e.g. "ForAnyValue:StringLikeIfExists"); the key is kept
// as written (keys compare case-insensitively). Values are strings; JSON
// numbers and booleans are converted to their text ("5", "true").
struct PolicyCondition {
  std::string op;
  std::string key;
  std::vector<std::string> values;
};

struct PolicyStatement {
  std::string sid;  // empty when absent
  bool allow = false;
  bool not_principal = false;
  PolicyPrincipals principals;
  bool not_action = false;
  std::vector<std::string> actions;
  bool not_resource = false;
  // nullopt when neither Resource nor NotResource is present: the statement
  // then applies to the resource the policy is attached to.
  std::optional<std::vector<std::string>> resources;
  std::vector<PolicyCondition> conditions;
};

struct PolicyDocument {
  std::string version;  // "2012-10-17", "2008-10-17", or empty when absent
  std::string id;       // empty when absent
  std::vector<PolicyStatement> statements;
};

enum class PolicyProblemKind {
  kSyntax,                // anything IAM's grammar rejects
  kUnsupportedPrincipal,  // a principal value IAM would not accept
};

struct PolicyProblem {
  PolicyProblemKind kind;
  std::string message;
};

struct PolicyParseResult {
  std::optional<PolicyDocument> document;  // set exactly when problems is empty
  std::vector<PolicyProblem> problems;
};

PolicyParseResult ParsePolicy(std::string_view document);

// The problem a rejected document is answered for: an unsupported principal
// if it has one, else its first. `problems` is not empty.
const PolicyProblem& DecidingProblem(const std::vector<PolicyProblem>& problems);

// Throws ApiError(kMalformedPolicyDocument), by DecidingProblem's kind:
//   "This resource policy contains an unsupported principal." when a
//     principal is not one IAM accepts;
//   "This resource policy contains a syntax error." otherwise.
// AWS's exact texts, which name no detail: ValidateResourcePolicy tells
// what is wrong.
// Returns the parsed document when the policy is valid.
PolicyDocument RequireValidPolicy(std::string_view document);

// True when some Allow statement grants access to everyone: its Principal is
// "*", or an AWS principal list containing "*", (or it uses NotPrincipal),
// and none of its conditions limits the caller. A condition limits when it is
// a positive string/ARN operator on aws:SourceAccount, aws:SourceArn,
// aws:PrincipalAccount, aws:PrincipalOrgID, aws:SourceVpc, aws:SourceVpce,
// aws:SourceOwner, aws:PrincipalArn or aws:userid with no value that is a
// bare wildcard. Bool, Null and other keys do not limit.
bool IsPublic(const PolicyDocument& document);

// ValidateResourcePolicy's answer. Check names (AWS does not document its own):
//   "SYNTAX_CHECK"        — the document is malformed (one entry per problem)
//   "BROAD_ACCESS_CHECK"  — the document grants public access (IsPublic)
inline constexpr std::string_view kSyntaxCheckName = "SYNTAX_CHECK";
inline constexpr std::string_view kBroadAccessCheckName = "BROAD_ACCESS_CHECK";

struct PolicyValidationError {
  std::string check_name;
  std::string message;
};

struct PolicyValidationResult {
  bool passed = false;
  std::vector<PolicyValidationError> errors;
};

PolicyValidationResult Validate(std::string_view document);

// Extra request-context values for condition evaluation, e.g.
// {"secretsmanager:VersionStage", {"AWSCURRENT"}}. Keys compare
// case-insensitively.
using PolicyConditionContext = std::map<std::string, std::vector<std::string>>;

// Resource-policy evaluation for one request: true when some Allow statement
// applies and no Deny statement applies (an explicit Deny always wins).
// A statement applies when its principal, action, resource and every
// condition match.
// - Principal: "*" matches anyone; an account id or
//   "arn:<partition>:iam::<acct>:root" matches every principal of that
//   account; any other AWS ARN matches that exact caller (a role ARN also
//   matches its assumed-role sessions). Service/Federated/CanonicalUser
//   values match a caller whose ARN equals them.
// - Action: wildcards * and ?, case-insensitive. Resource: wildcards,
//   case-sensitive; absent Resource matches.
// - Conditions: the context holds aws:PrincipalAccount, aws:PrincipalArn and
//   aws:PrincipalType (derived from the arguments) plus `extra`. Every IAM
//   operator is evaluated (String*, Numeric*, Date*, Bool, Binary*, IpAddress,
//   NotIpAddress, Arn*, Null, ForAllValues:/ForAnyValue:, ...IfExists).
//   A key missing from the context makes the condition not match (false),
//   except with ...IfExists (true), ForAllValues: (true) and Null.
//   Keys the emulator does not know are simply missing, so an Allow that
//   depends on one does not grant, and a Deny that depends on one does not deny.
bool Allows(const PolicyDocument& document, std::string_view principal_account_id,
            std::string_view principal_arn, std::string_view action, std::string_view resource_arn,
            const PolicyConditionContext& extra = {});

}  // namespace sml::api
