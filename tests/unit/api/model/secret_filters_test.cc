#include "api/model/secret_filters.h"

#include <gtest/gtest.h>

#include "api/error.h"

namespace sml::api::model {
namespace {

storage::SecretRecord Secret() {
  storage::SecretRecord secret;
  secret.name = "prod/PaymentDb";
  secret.description = "Credentials for the Payments database";
  secret.tags = std::vector<storage::Tag>{{"Team", "billing"}, {"env", "production"}};
  secret.primary_region = "us-west-2";
  secret.owning_service = "rds";
  return secret;
}

bool Matches(FilterKey key, std::vector<std::string> values,
             const storage::SecretRecord& secret = Secret()) {
  return MatchesFilters(secret, {{key, std::move(values)}});
}

TEST(SecretFilters, Name_IsCaseSensitivePrefix) {
  EXPECT_TRUE(Matches(FilterKey::kName, {"prod/"}));
  EXPECT_TRUE(Matches(FilterKey::kName, {"prod/PaymentDb"}));
  EXPECT_FALSE(Matches(FilterKey::kName, {"Prod/"}));
  EXPECT_FALSE(Matches(FilterKey::kName, {"Payment"}));  // not a prefix
}

TEST(SecretFilters, Description_IsCaseInsensitivePrefix) {
  EXPECT_TRUE(Matches(FilterKey::kDescription, {"credentials FOR"}));
  EXPECT_FALSE(Matches(FilterKey::kDescription, {"Payments"}));
  auto undescribed = Secret();
  undescribed.description.reset();
  EXPECT_FALSE(Matches(FilterKey::kDescription, {""}, undescribed));
}

TEST(SecretFilters, TagKeyAndValue_AreCaseSensitivePrefixOverAnyTag) {
  EXPECT_TRUE(Matches(FilterKey::kTagKey, {"Te"}));
  EXPECT_TRUE(Matches(FilterKey::kTagKey, {"env"}));
  EXPECT_FALSE(Matches(FilterKey::kTagKey, {"team"}));
  EXPECT_TRUE(Matches(FilterKey::kTagValue, {"prod"}));
  EXPECT_FALSE(Matches(FilterKey::kTagValue, {"Billing"}));
  auto untagged = Secret();
  untagged.tags.reset();
  EXPECT_FALSE(Matches(FilterKey::kTagKey, {""}, untagged));
}

TEST(SecretFilters, PrimaryRegionAndOwningService_AreCaseSensitivePrefix) {
  EXPECT_TRUE(Matches(FilterKey::kPrimaryRegion, {"us-west"}));
  EXPECT_FALSE(Matches(FilterKey::kPrimaryRegion, {"US-west"}));
  EXPECT_TRUE(Matches(FilterKey::kOwningService, {"rd"}));
  EXPECT_FALSE(Matches(FilterKey::kOwningService, {"RDS"}));
}

TEST(SecretFilters, Negation_MatchesWhenNoAttributeMatches) {
  EXPECT_FALSE(Matches(FilterKey::kName, {"!prod"}));
  EXPECT_TRUE(Matches(FilterKey::kName, {"!dev"}));
  EXPECT_FALSE(Matches(FilterKey::kTagKey, {"!env"}));  // one tag key starts with env
  EXPECT_TRUE(Matches(FilterKey::kTagKey, {"!owner"}));
  auto untagged = Secret();
  untagged.tags.reset();
  EXPECT_TRUE(Matches(FilterKey::kTagKey, {"!env"}, untagged));
  EXPECT_TRUE(Matches(FilterKey::kDescription, {"!CREDENTIALS x"}));
  EXPECT_FALSE(Matches(FilterKey::kDescription, {"!CREDENTIALS"}));
}

TEST(SecretFilters, ValuesWithinAFilter_AreOred_FiltersAreAnded) {
  EXPECT_TRUE(Matches(FilterKey::kName, {"dev/", "prod/"}));
  EXPECT_FALSE(Matches(FilterKey::kName, {"dev/", "test/"}));
  auto secret = Secret();
  EXPECT_TRUE(
      MatchesFilters(secret, {{FilterKey::kName, {"prod"}}, {FilterKey::kTagKey, {"env"}}}));
  EXPECT_FALSE(
      MatchesFilters(secret, {{FilterKey::kName, {"prod"}}, {FilterKey::kTagKey, {"owner"}}}));
  EXPECT_TRUE(MatchesFilters(secret, {}));
}

TEST(SecretFilters, All_MatchesWordsOfAnyAttributeCaseInsensitively) {
  EXPECT_TRUE(Matches(FilterKey::kAll, {"payment"}));       // camel-case word of the name
  EXPECT_TRUE(Matches(FilterKey::kAll, {"DB"}));            // ... and its last piece
  EXPECT_TRUE(Matches(FilterKey::kAll, {"database"}));      // word of the description
  EXPECT_TRUE(Matches(FilterKey::kAll, {"team"}));          // tag key, other case
  EXPECT_TRUE(Matches(FilterKey::kAll, {"BILL"}));          // tag value
  EXPECT_TRUE(Matches(FilterKey::kAll, {"west"}));          // primary region piece
  EXPECT_TRUE(Matches(FilterKey::kAll, {"rds"}));           // owning service
  EXPECT_TRUE(Matches(FilterKey::kAll, {"billing prod"}));  // every word matches somewhere
  EXPECT_FALSE(Matches(FilterKey::kAll, {"billing staging"}));
  EXPECT_FALSE(Matches(FilterKey::kAll, {"ayment"}));  // words match by prefix only
  EXPECT_FALSE(Matches(FilterKey::kAll, {"!payments"}));
  EXPECT_TRUE(Matches(FilterKey::kAll, {"!staging"}));
}

TEST(SecretFilters, ReadFilters_ValidatesKeyValuesAndPattern) {
  auto body = nlohmann::json::parse(R"({"Filters":[{"Key":"colour","Values":["a"]},
      {"Key":"name","Values":["bad*value"]},{"Key":"name","Values":[]},{"Values":["x"]}]})");
  Input input(body);
  ReadFilters(input);
  try {
    input.Finish();
    FAIL() << "no ValidationException";
  } catch (const ApiError& e) {
    std::string message = e.what();
    EXPECT_EQ(e.code(), ErrorCode::kValidation);
    EXPECT_NE(message.find("4 validation errors detected"), std::string::npos) << message;
    EXPECT_NE(message.find("Value 'colour' at 'filters.1.member.key' failed to satisfy constraint: "
                           "Member must satisfy enum value set: [description, name, tag-key, "
                           "tag-value, primary-region, owning-service, all]"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("Member must satisfy regular expression pattern: "
                           "^\\!?[a-zA-Z0-9 :_@\\/\\+\\=\\.\\-\\!]*$"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("at 'filters.3.member.values' failed to satisfy constraint: Member "
                           "must have length greater than or equal to 1"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("Value null at 'filters.4.member.key'"), std::string::npos) << message;
  }
}

TEST(SecretFilters, ReadFilters_ParsesKeysAndValues) {
  auto body = nlohmann::json::parse(
      R"({"Filters":[{"Key":"tag-value","Values":["!a b","c"]},{"Key":"all","Values":["x"]}]})");
  Input input(body);
  auto filters = ReadFilters(input);
  input.Finish();
  ASSERT_TRUE(filters);
  ASSERT_EQ(filters->size(), 2u);
  EXPECT_EQ((*filters)[0].key, FilterKey::kTagValue);
  EXPECT_EQ((*filters)[0].values, (std::vector<std::string>{"!a b", "c"}));
  EXPECT_EQ((*filters)[1].key, FilterKey::kAll);
  EXPECT_EQ(FiltersJson(*filters)[0]["Key"], "tag-value");

  auto empty = nlohmann::json::object();
  Input none(empty);
  EXPECT_FALSE(ReadFilters(none));
}

}  // namespace
}  // namespace sml::api::model
