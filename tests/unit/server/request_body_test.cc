// The request-body scanner against nlohmann's parser: whatever the scanner
// accepts, it must read exactly as nlohmann does (same members, same types);
// what it does not accept goes to nlohmann, whose errors stay the same.
#include "server/request_body.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "api/error.h"

namespace sml::server {
namespace {

// Same value and the same JSON type in every member (1 and 1u compare equal
// in nlohmann, but an operation may ask which one it got).
void ExpectSameDocument(const nlohmann::json& ours, const nlohmann::json& theirs,
                        const std::string& body) {
  ASSERT_EQ(ours, theirs) << body;
  ASSERT_EQ(ours.type(), theirs.type()) << body;
  for (auto it = theirs.begin(); ours.is_object() && it != theirs.end(); ++it) {
    ASSERT_EQ(ours.at(it.key()).type(), it.value().type()) << body << " key " << it.key();
  }
}

TEST(RequestBodyTest, ScannerReadsSdkShapedBodies) {
  const std::vector<std::string> bodies = {
      R"({"SecretId":"bench/secret-00042"})",
      R"({"SecretId": "app/db", "VersionStage": "AWSCURRENT"})",
      R"({"SecretId":"x","ClientRequestToken":"0e5b1c7a-8a8e-4c43-9a63-0a0d4f5e6b7c","SecretString":"{\"password\":\"p\\/w\\n\"}"})",
      R"({"MaxResults":100,"IncludePlannedDeletion":true,"SortOrder":"desc"})",
      R"({"RecoveryWindowInDays":7,"ForceDeleteWithoutRecovery":false,"X":null})",
      "\t{ }\r\n",
      R"({"a":"1","a":"2"})",
      R"({"Zero":0,"Big":999999999999999999})",
  };
  for (const std::string& body : bodies) {
    std::optional<nlohmann::json> ours = ParseFlatObject(body);
    ASSERT_TRUE(ours.has_value()) << body;
    ExpectSameDocument(*ours, nlohmann::json::parse(body), body);
    ExpectSameDocument(ParseRequestBody(body), nlohmann::json::parse(body), body);
  }
}

TEST(RequestBodyTest, ScannerLeavesTheRestToNlohmann) {
  const std::vector<std::string> bodies = {
      R"({"Tags":[{"Key":"k","Value":"v"}]})",
      R"({"N":-1})",
      R"({"N":1.5})",
      R"({"N":1e3})",
      R"({"N":0123})",
      R"({"N":1234567890123456789})",
      R"({"S":"\u00e9"})",
      "{\"S\":\"caf\xc3\xa9\"}",
      R"({"S":"a\qb"})",
      "{\"S\":\"tab\there\"}",
      R"({"a":"b",})",
      R"({"a":"b"} x)",
      R"({"a" "b"})",
      R"({"a":tru})",
      R"(["a"])",
      R"("a")",
      R"({"a":"b")",
  };
  for (const std::string& body : bodies) {
    EXPECT_FALSE(ParseFlatObject(body).has_value()) << body;
  }
}

TEST(RequestBodyTest, ErrorsAreNlohmannsAsBefore) {
  auto code_of = [](std::string_view body) {
    try {
      ParseRequestBody(body);
    } catch (const api::ApiError& error) {
      return std::string(api::ErrorTypeName(error.code())) + ": " + error.what();
    }
    return std::string("no error");
  };
  EXPECT_EQ(
      code_of(R"({"a":"b",})"),
      "SerializationException: The request body is not valid JSON (syntax error at byte 10).");
  EXPECT_EQ(code_of(R"(["a"])"), "SerializationException: The request body must be a JSON object.");
  EXPECT_EQ(code_of(R"({"n":1e400})"),
            "SerializationException: The request body holds a number that cannot be represented.");
  EXPECT_EQ(ParseRequestBody("  \n"), nlohmann::json::object());
  EXPECT_EQ(ParseRequestBody(R"({"N":-1})"), (nlohmann::json{{"N", -1}}));
}

// Random bodies built from JSON fragments, most of them valid flat objects,
// some broken: every one the scanner accepts must read as nlohmann reads it,
// and every one nlohmann rejects the scanner must reject.
TEST(RequestBodyTest, RandomBodiesAgreeWithNlohmann) {
  std::mt19937 random(20261129);
  const std::vector<std::string> keys = {"\"SecretId\"", "\"a\"",    "\"\"", "\"k\\\"q\"",
                                         "\"Name\"",     "\"x\\n\"", "x",    "\"a\\u0041\""};
  const std::vector<std::string> values = {"\"v\"",
                                           "\"\"",
                                           "\"a\\\\b\"",
                                           "\"\\/\\b\\f\\r\\t\"",
                                           "true",
                                           "false",
                                           "null",
                                           "0",
                                           "7",
                                           "100",
                                           "007",
                                           "-3",
                                           "2.5",
                                           "1e2",
                                           "[]",
                                           "{}",
                                           "[\"a\"]",
                                           "\"\xff\"",
                                           "tru",
                                           "\"\x01\"",
                                           "\"\x7f\"",
                                           "18446744073709551615",
                                           "123456789012345678",
                                           "\"unterminated"};
  const std::vector<std::string> spaces = {"", " ", "\t", "\r\n", "\f"};
  auto pick = [&](const std::vector<std::string>& from) {
    return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(random)];
  };
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string body = pick(spaces) + "{";
    const int members = std::uniform_int_distribution<int>(0, 4)(random);
    for (int m = 0; m < members; ++m) {
      if (m > 0) body += pick(spaces) + (random() % 50 == 0 ? "" : ",");
      body += pick(spaces) + pick(keys) + pick(spaces) + (random() % 50 == 0 ? "" : ":") +
              pick(spaces) + pick(values);
    }
    body += pick(spaces) + (random() % 50 == 0 ? "" : "}") + pick(spaces);
    if (random() % 40 == 0) body.erase(random() % body.size(), 1);

    std::optional<nlohmann::json> ours = ParseFlatObject(body);
    nlohmann::json theirs = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (theirs.is_discarded()) {
      ASSERT_FALSE(ours.has_value()) << body;
      continue;
    }
    if (!ours) continue;
    ++accepted;
    ExpectSameDocument(*ours, theirs, body);
  }
  EXPECT_GT(accepted, 2000);  // the comparison covered the scanner's own subset
}

}  // namespace
}  // namespace sml::server
