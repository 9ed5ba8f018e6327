// Applying an init plan through the real operations over an in-memory Store.
#include "server/init/init_apply.h"

#include <gtest/gtest.h>

#include "../../api/operations/lifecycle_fixture.h"
#include "api/rotation/rotation_state.h"

namespace sml::server::init {
namespace {

class InitApplyTest : public api::operations::testing::LifecycleTest {
 protected:
  InitOutcome Apply(std::string_view text) {
    return ApplyInitPlan(ParseInitFile(text), services, rotations, {"000000000000", "us-east-1"});
  }
  InitFileError ApplyError(std::string_view text) {
    try {
      Apply(text);
    } catch (const InitFileError& e) {
      return e;
    }
    ADD_FAILURE() << "no InitFileError";
    return InitFileError("", "");
  }
  nlohmann::json Describe(const std::string& id, const std::string& account = "000000000000",
                          const std::string& region = "us-east-1") {
    api::RequestContext as{account, region, "r"};
    return api::operations::DescribeSecret(as, {{"SecretId", id}}, services);
  }

  rotation::RotationService rotations{services, {.callback_endpoint = "http://127.0.0.1:1"}};
};

TEST_F(InitApplyTest, CreatesSecretsInTheirAccountAndRegionWithPolicyAndRotation) {
  auto outcome = Apply(R"({
    "rotationHandlers": {"rotate": {"type": "builtin", "name": "password"}},
    "secrets": [
      {"Name": "plain", "SecretString": "s1", "Description": "first",
       "Tags": [{"Key": "team", "Value": "a"}]},
      {"Name": "elsewhere", "SecretBinary": "AAEC", "AccountId": "111122223333",
       "Region": "eu-west-1"},
      {"Name": "rotated", "SecretString": "{\"password\":\"x\"}", "RotationLambdaARN": "rotate",
       "RotationRules": {"AutomaticallyAfterDays": 7},
       "ResourcePolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
         "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
         "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}}
    ]})");
  EXPECT_EQ(outcome.created, 3);
  EXPECT_EQ(outcome.kept, 0);

  auto plain = Describe("plain");
  EXPECT_EQ(plain["Description"], "first");
  EXPECT_EQ(plain["Tags"][0]["Key"], "team");
  api::RequestContext default_caller{"000000000000", "us-east-1", "r"};
  EXPECT_EQ(api::operations::GetSecretValue(default_caller, {{"SecretId", "plain"}},
                                            services)
                .Document()["SecretString"],
            "s1");

  api::RequestContext other{"111122223333", "eu-west-1", "r"};
  EXPECT_EQ(
      api::operations::GetSecretValue(other, {{"SecretId", "elsewhere"}}, services)
          .Document()["SecretBinary"],
      "AAEC");

  auto rotated = Describe("rotated");
  EXPECT_EQ(rotated["RotationEnabled"], true);
  EXPECT_EQ(rotated["RotationLambdaARN"], "rotate");
  EXPECT_EQ(rotated["RotationRules"]["AutomaticallyAfterDays"], 7);
  EXPECT_TRUE(rotated.contains("NextRotationDate"));
  // Configured, not run: one version, AWSCURRENT only, no placeholder left.
  ASSERT_EQ(rotated["VersionIdsToStages"].size(), 1u);
  EXPECT_EQ(rotated["VersionIdsToStages"].begin()->at(0), "AWSCURRENT");
  auto policy =
      api::operations::GetResourcePolicy(default_caller, {{"SecretId", "rotated"}}, services)
          .Document();
  EXPECT_NE(policy["ResourcePolicy"].get<std::string>().find("111122223333"), std::string::npos);
  EXPECT_TRUE(rotations.HasHandler("rotate"));
}

TEST_F(InitApplyTest, SecondApplyLeavesExistingSecretsAsTheyAre) {
  const char* kFile = R"({"secrets": [{"Name": "a", "SecretString": "first"}]})";
  Apply(kFile);
  api::RequestContext caller{"000000000000", "us-east-1", "r"};
  api::operations::PutSecretValue(
      caller, {{"SecretId", "a"}, {"SecretString", "changed"}, {"ClientRequestToken", Token('c')}},
      services);
  auto outcome = Apply(R"({"secrets": [{"Name": "a", "SecretString": "first"},
                                       {"Name": "b", "SecretString": "new"}]})");
  EXPECT_EQ(outcome.kept, 1);
  EXPECT_EQ(outcome.created, 1);
  EXPECT_EQ(
      api::operations::GetSecretValue(caller, {{"SecretId", "a"}}, services).Document()["SecretString"],
      "changed");
}

TEST_F(InitApplyTest, TheModelsRulesHoldWithTheirAwsErrorsNamingTheEntry) {
  struct Case {
    std::string_view text;
    std::string entry;
    std::string reason_part;
  };
  const std::vector<Case> cases = {
      {R"({"secrets": [{"Name": "ok"}, {"Name": "bad name!"}]})", "secrets[1] (\"bad name!\")",
       "ValidationException: Invalid name."},
      {R"({"secrets": [{"Name": "both", "SecretString": "a", "SecretBinary": "AA=="}]})",
       "secrets[0] (\"both\")", "InvalidParameterException"},
      {R"({"secrets": [{"Name": "tags", "Tags": "no"}]})", "secrets[0] (\"tags\")", "Exception"},
      {R"({"secrets": [{"Name": "unregistered", "RotationLambdaARN": "nobody",
           "RotationRules": {"AutomaticallyAfterDays": 1}}]})",
       "secrets[0] (\"unregistered\")",
       "AccessDeniedException: Secrets Manager cannot invoke the specified Lambda function"},
      {R"({"secrets": [{"Name": "rules", "RotationLambdaARN": "rotate",
           "RotationRules": {"AutomaticallyAfterDays": 0}}],
          "rotationHandlers": {"rotate": {"type": "builtin", "name": "password"}}})",
       "secrets[0] (\"rules\")", "Exception"},
      {R"({"secrets": [{"Name": "policy", "ResourcePolicy": "not json"}]})",
       "secrets[0] (\"policy\")", "MalformedPolicyDocumentException"},
      // AWS's message names no problem: an init file's error adds the first.
      {R"({"secrets": [{"Name": "effect", "ResourcePolicy": {"Version": "2012-10-17",
           "Statement": [{"Effect": "Alow", "Principal": "*", "Action": "secretsmanager:*",
                          "Resource": "*"}]}}]})",
       "secrets[0] (\"effect\")",
       "MalformedPolicyDocumentException: This resource policy contains a syntax error. "
       "Invalid effect: Alow"},
      // The detail is the problem the message names, not merely the first.
      {R"({"secrets": [{"Name": "both", "ResourcePolicy": {"Version": "2012-10-17",
           "Statement": [{"Effect": "Alow", "Principal": {"AWS": "bob"},
                          "Action": "secretsmanager:*", "Resource": "*"}]}}]})",
       "secrets[0] (\"both\")",
       "MalformedPolicyDocumentException: This resource policy contains an unsupported "
       "principal. Invalid principal: bob"},
  };
  for (const Case& c : cases) {
    InitFileError error = ApplyError(c.text);
    EXPECT_EQ(error.entry(), c.entry) << c.text;
    EXPECT_NE(error.reason().find(c.reason_part), std::string::npos)
        << c.text << " -> " << error.reason();
  }
}

}  // namespace
}  // namespace sml::server::init
