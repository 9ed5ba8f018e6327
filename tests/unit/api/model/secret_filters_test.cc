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

TEST(SecretFilters, SearchWords_SplitAsAwsDoes) {
  using Words = std::vector<std::string_view>;
  EXPECT_EQ(SearchWords("prod/AppBeta/x"), (Words{"prod", "App", "Beta", "x"}));
  EXPECT_EQ(SearchWords("uat/COMPANY/x"), (Words{"uat", "COMPANY", "x"}));
  EXPECT_EQ(SearchWords("uat/COMPANYthings/x"), (Words{"uat", "COMPAN", "Ythings", "x"}));
  EXPECT_EQ(SearchWords("SecretFTag1"), (Words{"Secret", "F", "Tag", "1"}));
  EXPECT_EQ(SearchWords("one and two"), (Words{"one", "and", "two"}));
  EXPECT_EQ(SearchWords("v2db10ABc"), (Words{"v", "2", "db", "10", "A", "Bc"}));
  EXPECT_EQ(SearchWords("--a__b  "), (Words{"a", "b"}));
  EXPECT_EQ(SearchWords("+"), Words{});
  EXPECT_EQ(SearchWords(""), Words{});
}

// The examples recorded against AWS (BEHAVIOR.md §6).
TEST(SecretFilters, WordSearch_BehaviorExamples) {
  struct Case {
    FilterKey key;
    std::string secret_name;
    std::string description;
    std::string value;
    bool matches;
  };
  const Case cases[] = {
      {FilterKey::kDescription, "d", "one and two", "two", true},
      {FilterKey::kDescription, "d", "one and two", "one two", true},
      {FilterKey::kDescription, "d", "one", "one two", false},
      {FilterKey::kAll, "prod/AppBeta/x", "", "AppBeta", true},
      {FilterKey::kAll, "prod/AppBeta/x", "", "Beta", true},
      {FilterKey::kAll, "prod/AppBeta/x", "", "prod", true},
      {FilterKey::kAll, "uat/COMPANY/x", "", "company", true},
      {FilterKey::kAll, "uat/COMPANYthings/x", "", "company", false},
      {FilterKey::kAll, "uat/COMPANYthings/x", "", "Ythings", true},
      {FilterKey::kAll, "SecretFTag1", "", "t", true},
      {FilterKey::kAll, "prod/AppBeta/x", "", "+", false},
      {FilterKey::kDescription, "d", "one and two", "+", false},
  };
  for (const auto& c : cases) {
    storage::SecretRecord secret;
    secret.name = c.secret_name;
    if (!c.description.empty()) secret.description = c.description;
    EXPECT_EQ(Matches(c.key, {c.value}, secret), c.matches)
        << "value '" << c.value << "' on name '" << c.secret_name << "', description '"
        << c.description << "'";
  }
}

TEST(SecretFilters, Description_IsAWordSearchOfTheDescriptionOnly) {
  EXPECT_TRUE(Matches(FilterKey::kDescription, {"credentials FOR"}));
  EXPECT_TRUE(Matches(FilterKey::kDescription, {"payments"}));   // a word, any case
  EXPECT_TRUE(Matches(FilterKey::kDescription, {"data cred"}));  // words in any order
  EXPECT_FALSE(Matches(FilterKey::kDescription, {"ayments"}));   // prefixes of words only
  EXPECT_FALSE(Matches(FilterKey::kDescription, {"prod"}));      // the name is not searched
  auto undescribed = Secret();
  undescribed.description.reset();
  EXPECT_FALSE(Matches(FilterKey::kDescription, {"credentials"}, undescribed));
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

TEST(SecretFilters, All_SearchesNameDescriptionAndTags) {
  EXPECT_TRUE(Matches(FilterKey::kAll, {"payment"}));       // camel-case word of the name
  EXPECT_TRUE(Matches(FilterKey::kAll, {"DB"}));            // ... and its last piece
  EXPECT_TRUE(Matches(FilterKey::kAll, {"database"}));      // word of the description
  EXPECT_TRUE(Matches(FilterKey::kAll, {"team"}));          // tag key, other case
  EXPECT_TRUE(Matches(FilterKey::kAll, {"BILL"}));          // tag value
  EXPECT_FALSE(Matches(FilterKey::kAll, {"west"}));         // primary region: not searched
  EXPECT_FALSE(Matches(FilterKey::kAll, {"rds"}));          // owning service: not searched
  EXPECT_TRUE(Matches(FilterKey::kAll, {"billing prod"}));  // every word matches somewhere
  EXPECT_FALSE(Matches(FilterKey::kAll, {"billing staging"}));
  EXPECT_FALSE(Matches(FilterKey::kAll, {"ayment"}));  // words match by prefix only
  EXPECT_FALSE(Matches(FilterKey::kAll, {"!payments"}));
  EXPECT_TRUE(Matches(FilterKey::kAll, {"!staging"}));
}

TEST(SecretFilters, TwoFiltersWithTheSameKey_AreAnded) {
  auto secret = Secret();
  EXPECT_TRUE(
      MatchesFilters(secret, {{FilterKey::kAll, {"billing"}}, {FilterKey::kAll, {"prod"}}}));
  EXPECT_FALSE(
      MatchesFilters(secret, {{FilterKey::kAll, {"billing"}}, {FilterKey::kAll, {"staging"}}}));
  EXPECT_TRUE(MatchesFilters(secret, {{FilterKey::kAll, {"staging", "billing"}}}));
}

TEST(SecretFilters, ReadFilters_ValidatesKeyValuesAndPattern) {
  auto body = nlohmann::json::parse(R"({"Filters":[{"Key":"colour","Values":["a"]},
      {"Key":"name","Values":["bad*value"]},{"Key":"name","Values":[]}]})");
  Input input(body);
  ReadFilters(input);
  try {
    input.Finish();
    FAIL() << "no ValidationException";
  } catch (const ApiError& e) {
    std::string message = e.what();
    EXPECT_EQ(e.code(), ErrorCode::kValidation);
    EXPECT_NE(message.find("3 validation errors detected"), std::string::npos) << message;
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
  }
}

// The model does not require a filter's Key or Values: leaving one out is no
// ValidationException but the service's InvalidParameterException.
TEST(SecretFilters, FilterWithoutKeyOrValues_PassesTheModelChecks) {
  auto body = nlohmann::json::parse(R"({"Filters":[{"Values":["x"]},{"Key":"description"}]})");
  Input input(body);
  auto filters = ReadFilters(input);
  EXPECT_NO_THROW(input.Finish());
  ASSERT_TRUE(filters);
  ASSERT_EQ(filters->size(), 2u);
  EXPECT_FALSE((*filters)[0].key);
  EXPECT_FALSE((*filters)[1].values);
}

TEST(SecretFilters, CompleteFilters_WithoutKey_IsInvalidFilterKey) {
  try {
    CompleteFilters({{FilterKey::kName, std::vector<std::string>{"a"}}, {std::nullopt, {{"x"}}}});
    FAIL() << "no InvalidParameterException";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidParameter);
    EXPECT_STREQ(e.what(), "Invalid filter key");
  }
}

TEST(SecretFilters, CompleteFilters_WithoutValues_NamesTheKey) {
  try {
    CompleteFilters({{FilterKey::kDescription, std::nullopt}});
    FAIL() << "no InvalidParameterException";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidParameter);
    EXPECT_STREQ(e.what(), "Invalid filter values for key: description");
  }
}

TEST(SecretFilters, ReadFilters_ParsesKeysAndValues) {
  auto body = nlohmann::json::parse(
      R"({"Filters":[{"Key":"tag-value","Values":["!a b","c"]},{"Key":"all","Values":["x"]}]})");
  Input input(body);
  auto requested = ReadFilters(input);
  input.Finish();
  ASSERT_TRUE(requested);
  auto filters = CompleteFilters(std::move(*requested));
  ASSERT_EQ(filters.size(), 2u);
  EXPECT_EQ(filters[0].key, FilterKey::kTagValue);
  EXPECT_EQ(filters[0].values, (std::vector<std::string>{"!a b", "c"}));
  EXPECT_EQ(filters[1].key, FilterKey::kAll);
  EXPECT_EQ(FiltersJson(filters)[0]["Key"], "tag-value");

  auto empty = nlohmann::json::object();
  Input none(empty);
  EXPECT_FALSE(ReadFilters(none));
}

}  // namespace
}  // namespace sml::api::model
