#include "api/policy/policy_document.h"

#include <gtest/gtest.h>

#include "api/error.h"

namespace sml::api {
namespace {

// A minimal valid statement; tests splice one element in or out.
std::string Policy(const std::string& statement_body) {
  return R"({"Version":"2012-10-17","Statement":[{)" + statement_body + "}]}";
}

const char* const kGoodStatement =
    R"("Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},)"
    R"("Action":"secretsmanager:GetSecretValue","Resource":"*")";

std::vector<std::string> Messages(std::string_view document) {
  std::vector<std::string> out;
  for (const auto& problem : ParsePolicy(document).problems) out.push_back(problem.message);
  return out;
}

bool HasProblem(std::string_view document, const std::string& message) {
  for (const auto& m : Messages(document)) {
    if (m == message) return true;
  }
  ADD_FAILURE() << "no problem \"" << message << "\" for " << document;
  return false;
}

TEST(ParsePolicy, StatementAsObject_IsValid) {
  auto result =
      ParsePolicy(R"({"Version":"2012-10-17","Id":"p1","Statement":{"Sid":"Read1","Effect":"Deny",)"
                  R"("Principal":"*","Action":["secretsmanager:*"],"Resource":"*"}})");
  ASSERT_TRUE(result.document) << result.problems.front().message;
  EXPECT_EQ(result.document->id, "p1");
  ASSERT_EQ(result.document->statements.size(), 1u);
  EXPECT_FALSE(result.document->statements[0].allow);
  EXPECT_TRUE(result.document->statements[0].principals.any);
  EXPECT_EQ(result.document->statements[0].sid, "Read1");
}

TEST(ParsePolicy, AllElementForms_AreAccepted) {
  auto result = ParsePolicy(R"({
    "Version": "2008-10-17",
    "Statement": [
      {"Effect": "Allow",
       "Principal": {"AWS": ["123456789012", "arn:aws:iam::123456789012:role/path/R",
                             "arn:aws:sts::123456789012:assumed-role/R/s"],
                     "Service": "lambda.amazonaws.com",
                     "Federated": ["cognito-identity.amazonaws.com"],
                     "CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},
       "Action": ["secretsmanager:Get*", "secretsmanager:Describe?ecret"],
       "Resource": ["arn:aws:secretsmanager:us-east-1:123456789012:secret:db-*"],
       "Condition": {
         "StringEquals": {"secretsmanager:VersionStage": "AWSCURRENT"},
         "ForAnyValue:StringLike": {"aws:TagKeys": ["a*", "b*"]},
         "NumericLessThanIfExists": {"s:n": 5},
         "Bool": {"aws:SecureTransport": true},
         "Null": {"aws:TokenIssueTime": "false"},
         "IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]},
         "DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"},
         "ArnLike": {"aws:SourceArn": "arn:aws:lambda:*:123456789012:function:*"}
       }},
      {"Effect": "Deny", "NotPrincipal": {"AWS": "*"}, "NotAction": "secretsmanager:List*",
       "NotResource": "arn:aws:secretsmanager:*:*:secret:x"}
    ]})");
  ASSERT_TRUE(result.document) << result.problems.front().message;
  const auto& first = result.document->statements[0];
  EXPECT_EQ(first.principals.by_type.at("AWS").size(), 3u);
  EXPECT_EQ(first.conditions.size(), 8u);
  const auto& second = result.document->statements[1];
  EXPECT_TRUE(second.not_principal);
  EXPECT_TRUE(second.not_action);
  EXPECT_TRUE(second.not_resource);
}

TEST(ParsePolicy, MissingVersion_IsAccepted) {
  auto result = ParsePolicy(R"({"Statement":[{)" + std::string(kGoodStatement) + "}]}");
  ASSERT_TRUE(result.document);
  EXPECT_EQ(result.document->version, "");
}

TEST(ParsePolicy, ConditionOperatorCase_IsCanonicalised) {
  auto result =
      ParsePolicy(Policy(std::string(kGoodStatement) +
                         R"(,"Condition":{"forallvalues:stringequalsifexists":{"k":"v"}})"));
  ASSERT_TRUE(result.document);
  EXPECT_EQ(result.document->statements[0].conditions[0].op, "ForAllValues:StringEqualsIfExists");
}

TEST(ParsePolicy, Malformations_AreNamed) {
  EXPECT_TRUE(HasProblem("not json", "Policy document is not valid JSON"));
  EXPECT_TRUE(HasProblem("[]", "Policy document must be a JSON object"));
  EXPECT_TRUE(
      HasProblem(R"({"Version":"2012-10-17"})", "Policy document must contain a Statement"));
  EXPECT_TRUE(HasProblem(R"({"Statement":[]})", "Statement list must not be empty"));
  EXPECT_TRUE(
      HasProblem(R"({"Statement":"x"})", "Statement must be an object or a list of objects"));
  EXPECT_TRUE(HasProblem(R"({"Statement":["x"]})", "Each Statement must be a JSON object"));
  EXPECT_TRUE(
      HasProblem(R"({"Version":"2020-01-01","Statement":[{)" + std::string(kGoodStatement) + "}]}",
                 "Invalid policy version: 2020-01-01. Supported versions are 2012-10-17 "
                 "and 2008-10-17"));
  EXPECT_TRUE(HasProblem(R"({"Id":5,"Statement":[{)" + std::string(kGoodStatement) + "}]}",
                         "Policy Id must be a string"));
  EXPECT_TRUE(HasProblem(R"({"Extra":1,"Statement":[{)" + std::string(kGoodStatement) + "}]}",
                         "Unknown element in policy document: Extra"));
  EXPECT_TRUE(HasProblem(Policy(std::string(kGoodStatement) + R"(,"Effects":"Allow")"),
                         "Unknown element in statement: Effects"));
}

TEST(ParsePolicy, StatementMalformations_AreNamed) {
  const std::string principal = R"("Principal":"*")";
  const std::string action = R"("Action":"secretsmanager:GetSecretValue")";
  EXPECT_TRUE(
      HasProblem(Policy(R"("Effect":"Alow",)" + principal + "," + action), "Invalid effect: Alow"));
  EXPECT_TRUE(HasProblem(Policy(principal + "," + action),
                         "Statement is missing required element: Effect"));
  EXPECT_TRUE(HasProblem(Policy(R"("Effect":"Allow",)" + action),
                         "Statement is missing required element: Principal"));
  EXPECT_TRUE(HasProblem(Policy(R"("Effect":"Allow",)" + principal),
                         "Statement is missing required element: Action"));
  EXPECT_TRUE(
      HasProblem(Policy(R"("Effect":"Allow","NotPrincipal":"*",)" + principal + "," + action),
                 "Statement must not contain both Principal and NotPrincipal"));
  EXPECT_TRUE(HasProblem(
      Policy(R"("Effect":"Allow",)" + principal + "," + action + R"(,"NotAction":"s:x")"),
      "Statement must not contain both Action and NotAction"));
  EXPECT_TRUE(
      HasProblem(Policy(R"("Effect":"Allow",)" + principal + R"(,"Action":"GetSecretValue")"),
                 "Invalid action: GetSecretValue. An action must be \"*\" or "
                 "\"<service>:<action>\", such as secretsmanager:GetSecretValue"));
  EXPECT_TRUE(HasProblem(Policy(R"("Effect":"Allow",)" + principal + R"(,"Action":[])"),
                         "Action must be a string or a non-empty list of strings"));
  EXPECT_TRUE(HasProblem(
      Policy(R"("Effect":"Allow",)" + principal + "," + action + R"(,"Resource":"my-secret")"),
      "Invalid resource: my-secret. A resource must be \"*\" or an ARN"));
  EXPECT_TRUE(
      HasProblem(Policy(R"("Sid":"has space","Effect":"Allow",)" + principal + "," + action),
                 "Statement IDs (SID) must be alpha-numeric: has space"));
}

TEST(ParsePolicy, DuplicateSids_AreRejected) {
  std::string s = R"({"Sid":"A","Effect":"Allow","Principal":"*","Action":"s:a"})";
  EXPECT_TRUE(HasProblem(R"({"Statement":[)" + s + "," + s + "]}",
                         "Statement IDs (SID) in a single policy must be unique: A"));
}

TEST(ParsePolicy, ConditionMalformations_AreNamed) {
  auto with = [](const std::string& condition) {
    return Policy(std::string(kGoodStatement) + R"(,"Condition":)" + condition);
  };
  EXPECT_TRUE(HasProblem(with(R"({"StringEqualz":{"k":"v"}})"),
                         "Unknown condition operator: StringEqualz"));
  EXPECT_TRUE(HasProblem(with(R"({"NullIfExists":{"k":"true"}})"),
                         "Unknown condition operator: NullIfExists"));
  EXPECT_TRUE(HasProblem(with(R"({"ForSomeValues:StringEquals":{"k":"v"}})"),
                         "Unknown condition operator: ForSomeValues:StringEquals"));
  EXPECT_TRUE(
      HasProblem(with(R"("x")"), "Condition must be an object of operator to {key: value}"));
  EXPECT_TRUE(HasProblem(with(R"({"StringEquals":{}})"),
                         "Condition operator StringEquals must map condition keys to values"));
  EXPECT_TRUE(HasProblem(with(R"({"StringEquals":{"k":{"a":1}}})"),
                         "Invalid value for condition key k: {\"a\":1}"));
}

TEST(ParsePolicy, UnsupportedPrincipals_AreTheirOwnKind) {
  for (const char* principal : {R"("Principal":"123456789012")", R"("Principal":{"AWS":"bob"})",
                                R"("Principal":{"Robot":"x"})"}) {
    auto result =
        ParsePolicy(Policy(R"("Effect":"Allow","Action":"s:a",)" + std::string(principal)));
    ASSERT_FALSE(result.problems.empty()) << principal;
    EXPECT_EQ(result.problems[0].kind, PolicyProblemKind::kUnsupportedPrincipal) << principal;
  }
}

TEST(ParsePolicy, TooLong_IsRejected) {
  std::string padding(kMaxPolicyDocumentLength, ' ');
  EXPECT_TRUE(HasProblem(Policy(kGoodStatement) + padding,
                         "Policy document exceeds the maximum length of 20480 characters"));
  // Exactly at the limit is fine.
  std::string fits = Policy(kGoodStatement);
  fits += std::string(kMaxPolicyDocumentLength - fits.size(), ' ');
  EXPECT_TRUE(ParsePolicy(fits).document);
}

TEST(RequireValidPolicy, SyntaxError_IsAwsTextAlone) {
  try {
    RequireValidPolicy(Policy(R"("Effect":"Alow","Principal":"*","Action":"s:a")"));
    FAIL() << "no throw";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kMalformedPolicyDocument);
    EXPECT_STREQ(e.what(), "This resource policy contains a syntax error.");
  }
}

TEST(RequireValidPolicy, BadPrincipal_IsUnsupportedPrincipal) {
  try {
    RequireValidPolicy(Policy(R"("Effect":"Allow","Principal":{"AWS":"bob"},"Action":"s:a")"));
    FAIL() << "no throw";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kMalformedPolicyDocument);
    EXPECT_STREQ(e.what(), "This resource policy contains an unsupported principal.");
  }
}

TEST(RequireValidPolicy, ValidPolicy_ReturnsDocument) {
  EXPECT_EQ(RequireValidPolicy(Policy(kGoodStatement)).statements.size(), 1u);
}

// --- IsPublic -------------------------------------------------------------

bool PublicPolicy(const std::string& statement_body) {
  return IsPublic(RequireValidPolicy(Policy(statement_body)));
}

TEST(IsPublic, WildcardPrincipalWithoutCondition_IsPublic) {
  EXPECT_TRUE(PublicPolicy(R"("Effect":"Allow","Principal":"*","Action":"secretsmanager:*")"));
  EXPECT_TRUE(PublicPolicy(R"("Effect":"Allow","Principal":{"AWS":"*"},"Action":"s:a")"));
  EXPECT_TRUE(
      PublicPolicy(R"("Effect":"Allow","Principal":{"AWS":["123456789012","*"]},"Action":"s:a")"));
  EXPECT_TRUE(
      PublicPolicy(R"("Effect":"Allow","NotPrincipal":{"AWS":"123456789012"},"Action":"s:a")"));
}

TEST(IsPublic, SpecificPrincipalOrDeny_IsNotPublic) {
  EXPECT_FALSE(PublicPolicy(kGoodStatement));
  EXPECT_FALSE(PublicPolicy(R"("Effect":"Deny","Principal":"*","Action":"s:a")"));
}

TEST(IsPublic, LimitingCondition_MakesItNotPublic) {
  EXPECT_FALSE(
      PublicPolicy(R"("Effect":"Allow","Principal":"*","Action":"s:a",)"
                   R"("Condition":{"StringEquals":{"aws:PrincipalAccount":"123456789012"}})"));
  EXPECT_FALSE(PublicPolicy(R"("Effect":"Allow","Principal":"*","Action":"s:a",)"
                            R"("Condition":{"StringEquals":{"AWS:PrincipalOrgID":"o-abc"}})"));
  EXPECT_FALSE(
      PublicPolicy(R"("Effect":"Allow","Principal":"*","Action":"s:a",)"
                   R"("Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:lambda:*:1:function:*"}})"));
  EXPECT_FALSE(PublicPolicy(R"("Effect":"Allow","Principal":"*","Action":"s:a",)"
                            R"("Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1"}})"));
}

TEST(IsPublic, NonLimitingCondition_StaysPublic) {
  EXPECT_TRUE(PublicPolicy(R"("Effect":"Allow","Principal":"*","Action":"s:a",)"
                           R"("Condition":{"Bool":{"aws:SecureTransport":"true"}})"));
  EXPECT_TRUE(PublicPolicy(R"("Effect":"Allow","Principal":"*","Action":"s:a",)"
                           R"("Condition":{"Null":{"aws:PrincipalAccount":"false"}})"));
  EXPECT_TRUE(PublicPolicy(R"("Effect":"Allow","Principal":"*","Action":"s:a",)"
                           R"("Condition":{"StringLike":{"aws:PrincipalAccount":"*"}})"));
  EXPECT_TRUE(PublicPolicy(R"("Effect":"Allow","Principal":"*","Action":"s:a",)"
                           R"("Condition":{"StringNotEquals":{"aws:PrincipalAccount":"1"}})"));
  EXPECT_TRUE(PublicPolicy(R"("Effect":"Allow","Principal":"*","Action":"s:a",)"
                           R"("Condition":{"StringEquals":{"secretsmanager:VersionStage":"X"}})"));
  EXPECT_TRUE(PublicPolicy(R"("Effect":"Allow","Principal":"*","Action":"s:a",)"
                           R"("Condition":{"StringEqualsIfExists":{"aws:SourceAccount":"1"}})"));
}

// --- Validate -------------------------------------------------------------

TEST(Validate, GoodPolicy_Passes) {
  auto result = Validate(Policy(kGoodStatement));
  EXPECT_TRUE(result.passed);
  EXPECT_TRUE(result.errors.empty());
}

TEST(Validate, SyntaxErrors_AreListedUnderSyntaxCheck) {
  auto result = Validate(Policy(R"("Effect":"Alow","Principal":"*","Action":"x")"));
  EXPECT_FALSE(result.passed);
  ASSERT_EQ(result.errors.size(), 2u);
  EXPECT_EQ(result.errors[0].check_name, kSyntaxCheckName);
  EXPECT_EQ(result.errors[0].message, "Invalid effect: Alow");
  EXPECT_EQ(result.errors[1].check_name, kSyntaxCheckName);
}

TEST(Validate, PublicPolicy_FailsBroadAccessCheck) {
  auto result = Validate(Policy(R"("Effect":"Allow","Principal":"*","Action":"s:a")"));
  EXPECT_FALSE(result.passed);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].check_name, kBroadAccessCheckName);
}

}  // namespace
}  // namespace sml::api
