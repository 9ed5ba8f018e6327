#include "server/init/init_file.h"

#include <gtest/gtest.h>

namespace sml::server::init {
namespace {

InitFileError ParseError(std::string_view text) {
  try {
    ParseInitFile(text);
  } catch (const InitFileError& e) {
    return e;
  }
  ADD_FAILURE() << "no InitFileError for " << text;
  return InitFileError("", "");
}

TEST(ParseInitFile, ReadsSecretsWithTheirCreateMembersAndTheInitMembersApart) {
  InitPlan plan = ParseInitFile(R"({
    "secrets": [
      {"Name": "db/password", "SecretString": "pw", "Description": "d", "KmsKeyId": "alias/k",
       "Tags": [{"Key": "team", "Value": "a"}], "AccountId": "111122223333",
       "Region": "eu-west-1", "RotationLambdaARN": "rotate",
       "RotationRules": {"AutomaticallyAfterDays": 7},
       "ResourcePolicy": {"Version": "2012-10-17", "Statement": []}},
      {"Name": "blob", "SecretBinary": "AAEC", "ResourcePolicy": "{\"Version\":\"2012-10-17\"}"}
    ],
    "rotationHandlers": {"rotate": {"type": "builtin", "name": "password"}}
  })");
  ASSERT_EQ(plan.secrets.size(), 2u);
  const InitSecret& db = plan.secrets[0];
  EXPECT_EQ(db.index, 0u);
  EXPECT_EQ(db.name, "db/password");
  EXPECT_EQ(db.account_id, "111122223333");
  EXPECT_EQ(db.region, "eu-west-1");
  EXPECT_EQ(db.rotation_lambda_arn, "rotate");
  EXPECT_EQ(db.rotation_rules, nlohmann::json({{"AutomaticallyAfterDays", 7}}));
  EXPECT_EQ(nlohmann::json::parse(*db.resource_policy)["Version"], "2012-10-17");
  EXPECT_EQ(db.create_input, nlohmann::json::parse(R"({"Name": "db/password", "SecretString": "pw",
      "Description": "d", "KmsKeyId": "alias/k", "Tags": [{"Key": "team", "Value": "a"}]})"));
  const InitSecret& blob = plan.secrets[1];
  EXPECT_EQ(blob.index, 1u);
  EXPECT_FALSE(blob.account_id);
  EXPECT_FALSE(blob.region);
  EXPECT_EQ(blob.resource_policy, R"({"Version":"2012-10-17"})");  // a string is kept as written
  EXPECT_EQ(blob.create_input, nlohmann::json({{"Name", "blob"}, {"SecretBinary", "AAEC"}}));
  ASSERT_EQ(plan.rotation_handlers.size(), 1u);
  EXPECT_EQ(plan.rotation_handlers[0].first, "rotate");
  EXPECT_EQ(plan.rotation_handlers[0].second.type, rotation::HandlerType::kBuiltin);
}

TEST(ParseInitFile, EmptyObjectIsAnEmptyPlan) {
  InitPlan plan = ParseInitFile("{}");
  EXPECT_TRUE(plan.secrets.empty());
  EXPECT_TRUE(plan.rotation_handlers.empty());
}

TEST(ParseInitFile, ErrorsNameTheEntryAndTheReason) {
  struct Case {
    std::string_view text;
    std::string entry;
    std::string reason_part;
  };
  const std::vector<Case> cases = {
      {"[]", "", "must be a JSON object"},
      {R"({"secret": []})", "", "unknown member 'secret'"},
      {R"({"secrets": {}})", "", "\"secrets\" must be an array"},
      {R"({"secrets": [{"Name": "a"}, 3]})", "secrets[1]", "must be a JSON object"},
      {R"({"secrets": [{"SecretString": "x"}]})", "secrets[0]", "Name is required"},
      {R"({"secrets": [{"Name": 5}]})", "secrets[0]", "Name must be a string"},
      {R"({"secrets": [{"Name": "a", "Nmae": "b"}]})", "secrets[0]", "unknown member 'Nmae'"},
      {R"({"secrets": [{"Name": "a", "AccountId": "123"}]})", "secrets[0] (\"a\")",
       "AccountId must be 12 digits"},
      {R"({"secrets": [{"Name": "a", "Region": "mars"}]})", "secrets[0] (\"a\")",
       "not an AWS region name"},
      {R"({"secrets": [{"Name": "a", "RotationRules": 7}]})", "secrets[0] (\"a\")",
       "RotationRules must be a JSON object"},
      {R"({"secrets": [{"Name": "a", "ResourcePolicy": 1}]})", "secrets[0] (\"a\")",
       "ResourcePolicy must be a policy document"},
      {R"({"secrets": [{"Name": "a"}, {"Name": "b"}, {"Name": "a"}]})", "secrets[2] (\"a\")",
       "the same Name as secrets[0]"},
      {R"({"rotationHandlers": []})", "rotationHandlers", "must be a JSON object"},
      {R"({"rotationHandlers": {"r": {"type": "teleport"}}})", "rotationHandlers \"r\"", "type"},
  };
  for (const Case& c : cases) {
    InitFileError error = ParseError(c.text);
    EXPECT_EQ(error.entry(), c.entry) << c.text;
    EXPECT_NE(error.reason().find(c.reason_part), std::string::npos)
        << c.text << " -> " << error.reason();
    EXPECT_NE(std::string(error.what()).find(c.reason_part), std::string::npos);
    if (c.entry.starts_with("secrets[")) {
      EXPECT_EQ(error.secret_index(), static_cast<std::size_t>(c.entry[8] - '0')) << c.text;
    } else {
      EXPECT_FALSE(error.secret_index()) << c.text;
    }
  }
}

TEST(ParseInitFile, SyntaxErrorSaysWhereWithoutQuotingTheText) {
  InitFileError error =
      ParseError("{\"secrets\": [\n  {\"Name\": \"a\", \"SecretString\": \"hunter2\" x}]}");
  EXPECT_NE(error.reason().find("line 2, column"), std::string::npos) << error.reason();
  EXPECT_EQ(std::string(error.what()).find("hunter2"), std::string::npos) << error.what();
}

TEST(ParseInitFile, SameNameInAnotherAccountOrRegionIsFine) {
  InitPlan plan = ParseInitFile(R"({"secrets": [{"Name": "a"}, {"Name": "a", "Region": "eu-west-1"},
      {"Name": "a", "AccountId": "111122223333"}]})");
  EXPECT_EQ(plan.secrets.size(), 3u);
}

TEST(LoadInitFile, AMissingFileIsAnInitFileError) {
  EXPECT_THROW(LoadInitFile("/nonexistent/init.json"), InitFileError);
}

}  // namespace
}  // namespace sml::server::init
