#include <gtest/gtest.h>

#include <map>
#include <set>

#include "api/operations/operations.h"
#include "tests/unit/api/operations/listing_fixture.h"

namespace sml::api::testing {
namespace {

using ListSecretsTest = ListingTest;

std::vector<std::string> Names(const nlohmann::json& out) {
  std::vector<std::string> names;
  for (const auto& entry : out["SecretList"]) names.push_back(entry["Name"]);
  return names;
}

// Every page of one query, following NextToken.
std::vector<nlohmann::json> AllPages(ListingTest& test, nlohmann::json input,
                                     const std::function<nlohmann::json(nlohmann::json)>& call) {
  (void)test;
  std::vector<nlohmann::json> pages;
  for (;;) {
    pages.push_back(call(input));
    if (!pages.back().contains("NextToken")) return pages;
    input["NextToken"] = pages.back()["NextToken"];
    if (pages.size() > 1000) {
      ADD_FAILURE() << "paging does not end";
      return pages;
    }
  }
}

TEST_F(ListSecretsTest, ListSecrets_Entries_UseSecretVersionsToStages) {
  AddSecret("a", [](auto& s) { s.tags = std::vector<storage::Tag>{{"k", "v"}}; });
  auto out = Call(&operations::ListSecrets, nlohmann::json::object());
  ASSERT_EQ(out["SecretList"].size(), 1u);
  const auto& entry = out["SecretList"][0];
  EXPECT_EQ(entry["SecretVersionsToStages"], (nlohmann::json{{"version-a", {"AWSCURRENT"}}}));
  EXPECT_FALSE(entry.contains("VersionIdsToStages"));
  EXPECT_EQ(entry["Tags"][0]["Key"], "k");
  EXPECT_FALSE(out.contains("NextToken"));
}

TEST_F(ListSecretsTest, ListSecrets_OnlyCallersAccountAndRegion) {
  AddSecret("mine");
  AddSecret("other-account", {}, "v", "111111111111");
  AddSecret("other-region", {}, "v", "000000000000", "eu-west-1");
  EXPECT_EQ(Names(Call(&operations::ListSecrets, nlohmann::json::object())),
            std::vector<std::string>{"mine"});
}

TEST_F(ListSecretsTest, ListSecrets_HidesPlannedDeletionUnlessAsked) {
  AddSecret("live");
  AddSecret("doomed", [](auto& s) {
    s.deleted_date = kStart;
    s.deletion_date = kStart + 86'400'000LL * 7;
  });
  EXPECT_EQ(Names(Call(&operations::ListSecrets, nlohmann::json::object())),
            std::vector<std::string>{"live"});
  auto all = Call(&operations::ListSecrets, {{"IncludePlannedDeletion", true}});
  EXPECT_EQ(all["SecretList"].size(), 2u);
  for (const auto& entry : all["SecretList"]) {
    EXPECT_EQ(entry.contains("DeletedDate"), entry["Name"] == "doomed");
  }
}

// 250 secrets with ties in every date, paged 7 at a time, for each sort key
// and order: each secret exactly once, in sort order.
TEST_F(ListSecretsTest, ListSecrets_Paging250_EachSecretOnceInOrder_EverySortKeyAndOrder) {
  std::map<std::string, std::array<EpochMillis, 3>> dates;  // created, accessed, changed
  for (int i = 0; i < 250; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "s%03d", (i * 37) % 250);  // names not in insert order
    EpochMillis created = kStart + (i / 3) * 1000;              // ties of three
    EpochMillis accessed = kStart + ((i * 7) % 50) * 86'400'000LL;
    EpochMillis changed = kStart + ((i * 11) % 125) * 500;
    dates[name] = {created, accessed, changed};
    AddSecret(name, [&](storage::SecretRecord& s) {
      s.created_date = created;
      if (i % 10 != 0) s.last_accessed_date = accessed;  // some never accessed
      s.last_changed_date = changed;
    });
  }
  const std::vector<std::pair<std::string, int>> sort_keys = {
      {"created-date", 0}, {"last-accessed-date", 1}, {"last-changed-date", 2}, {"name", -1}};
  for (const auto& [sort_by, column] : sort_keys) {
    for (const std::string order : {"asc", "desc"}) {
      SCOPED_TRACE(sort_by + " " + order);
      auto pages = AllPages(*this, {{"SortBy", sort_by}, {"SortOrder", order}, {"MaxResults", 7}},
                            [&](nlohmann::json in) { return Call(&operations::ListSecrets, in); });
      EXPECT_EQ(pages.size(), 36u);  // 35 full pages and one of 5
      std::vector<std::string> names;
      std::vector<nlohmann::json> keys;
      for (const auto& page : pages) {
        EXPECT_LE(page["SecretList"].size(), 7u);
        for (const auto& entry : page["SecretList"]) {
          names.push_back(entry["Name"]);
          if (column == 0) keys.push_back(entry["CreatedDate"]);
          if (column == 1) keys.push_back(entry.value("LastAccessedDate", nlohmann::json(0)));
          if (column == 2) keys.push_back(entry["LastChangedDate"]);
          if (column == -1) keys.push_back(entry["Name"]);
        }
      }
      EXPECT_EQ(names.size(), 250u);
      EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), 250u);
      for (std::size_t i = 1; i < keys.size(); ++i) {
        if (order == "asc") {
          EXPECT_LE(keys[i - 1], keys[i]) << i;
        } else {
          EXPECT_GE(keys[i - 1], keys[i]) << i;
        }
      }
    }
  }
}

// A read's date waits in memory up to a second before it is written; a
// listing in that order right after the read must already show it.
TEST_F(ListSecretsTest, ListSecrets_ByLastAccess_ShowsAReadMadeJustBefore) {
  AddSecret("a");
  AddSecret("b");
  AddSecret("c");
  Call(&operations::GetSecretValue, {{"SecretId", "b"}});
  ASSERT_GT(store_->PendingAccessDates(), 0u);  // not written yet: the case at hand

  auto out =
      Call(&operations::ListSecrets, {{"SortBy", "last-accessed-date"}, {"SortOrder", "desc"}});
  ASSERT_EQ(out["SecretList"].size(), 3u);
  EXPECT_EQ(out["SecretList"][0]["Name"], "b");
  EXPECT_TRUE(out["SecretList"][0].contains("LastAccessedDate"));
  EXPECT_FALSE(out["SecretList"][1].contains("LastAccessedDate"));
  EXPECT_EQ(store_->PendingAccessDates(), 0u);
}

TEST_F(ListSecretsTest, ListSecrets_NextToken_OnlyWhenMoreEntriesExist) {
  for (int i = 0; i < 4; ++i) AddSecret("s" + std::to_string(i));
  auto first = Call(&operations::ListSecrets, {{"MaxResults", 2}});
  ASSERT_TRUE(first.contains("NextToken"));
  auto second =
      Call(&operations::ListSecrets, {{"MaxResults", 2}, {"NextToken", first["NextToken"]}});
  EXPECT_EQ(second["SecretList"].size(), 2u);
  EXPECT_FALSE(second.contains("NextToken"));
  EXPECT_FALSE(Call(&operations::ListSecrets, {{"MaxResults", 4}}).contains("NextToken"));
}

TEST_F(ListSecretsTest, ListSecrets_DefaultPage_Is100) {
  for (int i = 0; i < 101; ++i) AddSecret("s" + std::to_string(i));
  auto out = Call(&operations::ListSecrets, nlohmann::json::object());
  EXPECT_EQ(out["SecretList"].size(), 100u);
  EXPECT_TRUE(out.contains("NextToken"));
}

TEST_F(ListSecretsTest, ListSecrets_TokenFromAnotherQuery_IsInvalidNextToken) {
  for (int i = 0; i < 5; ++i) AddSecret("s" + std::to_string(i));
  auto first = Call(&operations::ListSecrets, {{"MaxResults", 2}, {"SortBy", "name"}});
  std::string token = first["NextToken"];
  for (const auto& other :
       {nlohmann::json{{"SortBy", "created-date"}},
        nlohmann::json{{"SortBy", "name"}, {"SortOrder", "desc"}},
        nlohmann::json{{"SortBy", "name"}, {"IncludePlannedDeletion", true}},
        nlohmann::json{{"SortBy", "name"}, {"Filters", {{{"Key", "name"}, {"Values", {"s"}}}}}}}) {
    auto input = other;
    input["NextToken"] = token;
    EXPECT_EQ(CallError(&operations::ListSecrets, input).code(), ErrorCode::kInvalidNextToken)
        << other.dump();
  }
  EXPECT_EQ(CallError(&operations::ListSecrets, {{"NextToken", "garbage"}}).code(),
            ErrorCode::kInvalidNextToken);
  // The same query continues (MaxResults may change between pages).
  auto next =
      Call(&operations::ListSecrets, {{"MaxResults", 3}, {"SortBy", "name"}, {"NextToken", token}});
  EXPECT_EQ(Names(next), (std::vector<std::string>{"s2", "s3", "s4"}));
}

TEST_F(ListSecretsTest, ListSecrets_Filters_AppliedAcrossPages) {
  for (int i = 0; i < 30; ++i) {
    AddSecret((i % 3 == 0 ? "prod/" : "dev/") + std::to_string(100 + i), [&](auto& s) {
      if (i % 2 == 0) s.tags = std::vector<storage::Tag>{{"team", i % 4 == 0 ? "red" : "blue"}};
    });
  }
  nlohmann::json filters = {{{"Key", "name"}, {"Values", {"prod/"}}},
                            {{"Key", "tag-value"}, {"Values", {"!blue"}}}};
  auto pages = AllPages(*this, {{"Filters", filters}, {"MaxResults", 2}, {"SortBy", "name"}},
                        [&](nlohmann::json in) { return Call(&operations::ListSecrets, in); });
  std::vector<std::string> names;
  for (const auto& page : pages) {
    for (const auto& n : Names(page)) names.push_back(n);
  }
  // prod: i in {0,3,...,27}; "!blue" drops tagged-blue (i%2==0 && i%4!=0): 6, 18.
  EXPECT_EQ(names, (std::vector<std::string>{"prod/100", "prod/103", "prod/109", "prod/112",
                                             "prod/115", "prod/121", "prod/124", "prod/127"}));
  EXPECT_EQ(pages.size(), 4u);  // no trailing empty page
}

TEST_F(ListSecretsTest, ListSecrets_InvalidInput_IsValidationException) {
  for (const auto& input : {nlohmann::json{{"MaxResults", 0}}, nlohmann::json{{"MaxResults", 101}},
                            nlohmann::json{{"SortOrder", "up"}}, nlohmann::json{{"SortBy", "size"}},
                            nlohmann::json{{"NextToken", ""}},
                            nlohmann::json{{"Filters", {{{"Key", "name"}, {"Values", {"a*"}}}}}}}) {
    EXPECT_EQ(CallError(&operations::ListSecrets, input).code(), ErrorCode::kValidation)
        << input.dump();
  }
  nlohmann::json eleven = nlohmann::json::array();
  for (int i = 0; i < 11; ++i) eleven.push_back({{"Key", "name"}, {"Values", {"a"}}});
  auto error = CallError(&operations::ListSecrets, {{"Filters", eleven}});
  EXPECT_EQ(error.code(), ErrorCode::kValidation);
  EXPECT_NE(std::string(error.what())
                .find("at 'filters' failed to satisfy constraint: Member "
                      "must have length less than or equal to 10"),
            std::string::npos)
      << error.what();
}

}  // namespace
}  // namespace sml::api::testing
