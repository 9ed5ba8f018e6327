// ScanSecrets: keyset order and paging for every sort key and direction.
#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

#include "tests/unit/storage/store_fixture.h"

namespace sml::storage {
namespace {

using testing::FakeCipher;
using testing::MakeSecret;

struct SortCase {
  SecretSortKey key;
  bool descending;
};

std::string CaseName(const ::testing::TestParamInfo<SortCase>& info) {
  static const char* kNames[] = {"Created", "LastAccessed", "LastChanged", "Name"};
  return std::string(kNames[static_cast<int>(info.param.key)]) +
         (info.param.descending ? "Desc" : "Asc");
}

class ScanOrderTest : public ::testing::TestWithParam<SortCase> {
 protected:
  void SetUp() override {
    // Ties on every date key; some secrets never accessed (sort as 0).
    const std::vector<std::tuple<std::string, EpochMillis, std::optional<EpochMillis>, EpochMillis>>
        rows = {
            {"m", 300, std::nullopt, 900}, {"b", 100, 500, 700}, {"z", 300, 500, 700},
            {"a", 200, std::nullopt, 800}, {"k", 100, 400, 900}, {"c", 300, 0, 600},
        };
    store_->Write([&](Repository& repo) {
      for (const auto& [name, created, accessed, changed] : rows) {
        SecretRecord secret = MakeSecret(name, created);
        secret.last_accessed_date = accessed;
        secret.last_changed_date = changed;
        repo.InsertSecret(secret);
        expected_.push_back(secret);
      }
      // Noise that must never show: another region, another account, deleted.
      SecretRecord other_region = MakeSecret("a", 1, "000000000000", "eu-west-1");
      SecretRecord other_account = MakeSecret("a", 1, "111111111111", "us-east-1");
      SecretRecord deleted = MakeSecret("deleted", 250);
      deleted.deleted_date = 1;
      deleted.deletion_date = 2;
      repo.InsertSecret(other_region);
      repo.InsertSecret(other_account);
      repo.InsertSecret(deleted);
      deleted_ = deleted;
    });
  }

  // The reference order: by (sort value, id), both in the requested direction.
  std::vector<std::int64_t> ExpectedIds(std::vector<SecretRecord> secrets) const {
    const SortCase c = GetParam();
    auto key = [&](const SecretRecord& s) {
      switch (c.key) {
        case SecretSortKey::kCreatedDate:
          return std::make_tuple(s.created_date, std::string(), s.id);
        case SecretSortKey::kLastAccessedDate:
          return std::make_tuple(s.last_accessed_date.value_or(0), std::string(), s.id);
        case SecretSortKey::kLastChangedDate:
          return std::make_tuple(s.last_changed_date, std::string(), s.id);
        case SecretSortKey::kName:
          return std::make_tuple(EpochMillis{0}, s.name, s.id);
      }
      return std::make_tuple(EpochMillis{0}, std::string(), s.id);
    };
    std::sort(secrets.begin(), secrets.end(), [&](const auto& a, const auto& b) {
      return c.descending ? key(b) < key(a) : key(a) < key(b);
    });
    std::vector<std::int64_t> ids;
    for (const auto& s : secrets) ids.push_back(s.id);
    return ids;
  }

  ScanQuery Query() const {
    ScanQuery query;
    query.account_id = "000000000000";
    query.region = "us-east-1";
    query.sort_key = GetParam().key;
    query.descending = GetParam().descending;
    return query;
  }

  std::vector<std::int64_t> ScanAll(const ScanQuery& query) {
    std::vector<std::int64_t> ids;
    store_->Read([&](Repository& repo) {
      repo.ScanSecrets(query, [&](const SecretRecord& s) {
        ids.push_back(s.id);
        return true;
      });
    });
    return ids;
  }

  FakeCipher cipher_;
  std::unique_ptr<Store> store_ = testing::OpenInMemory(cipher_);
  std::vector<SecretRecord> expected_;
  SecretRecord deleted_;
};

TEST_P(ScanOrderTest, VisitsInSortOrderTiesById) {
  EXPECT_EQ(ScanAll(Query()), ExpectedIds(expected_));
}

TEST_P(ScanOrderTest, PagesResumeStrictlyAfterTheCursor) {
  for (int page_size : {1, 2, 4}) {
    std::vector<std::int64_t> ids;
    ScanQuery query = Query();
    for (int pages = 0; pages < 20; ++pages) {
      int seen = 0;
      std::optional<SecretRecord> last;
      store_->Read([&](Repository& repo) {
        repo.ScanSecrets(query, [&](const SecretRecord& s) {
          ids.push_back(s.id);
          last = s;
          return ++seen < page_size;
        });
      });
      if (seen < page_size) break;
      query.after = CursorAfter(*last, query.sort_key);
    }
    EXPECT_EQ(ids, ExpectedIds(expected_)) << "page size " << page_size;
  }
}

TEST_P(ScanOrderTest, PlannedDeletionShownOnlyWhenAsked) {
  ScanQuery query = Query();
  query.include_planned_deletion = true;
  auto all = expected_;
  all.push_back(deleted_);
  EXPECT_EQ(ScanAll(query), ExpectedIds(all));
}

INSTANTIATE_TEST_SUITE_P(AllSortKeys, ScanOrderTest,
                         ::testing::Values(SortCase{SecretSortKey::kCreatedDate, false},
                                           SortCase{SecretSortKey::kCreatedDate, true},
                                           SortCase{SecretSortKey::kLastAccessedDate, false},
                                           SortCase{SecretSortKey::kLastAccessedDate, true},
                                           SortCase{SecretSortKey::kLastChangedDate, false},
                                           SortCase{SecretSortKey::kLastChangedDate, true},
                                           SortCase{SecretSortKey::kName, false},
                                           SortCase{SecretSortKey::kName, true}),
                         CaseName);

class ScanChunkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_->Write([&](Repository& repo) {
      for (int i = 0; i < kSecrets; ++i) {
        SecretRecord secret = MakeSecret("s" + std::to_string(1000 + i), i / 3);  // ties
        repo.InsertSecret(secret);
      }
    });
  }
  static constexpr int kSecrets = 300;  // more than one chunk
  FakeCipher cipher_;
  std::unique_ptr<Store> store_ = testing::OpenInMemory(cipher_);
};

TEST_F(ScanChunkTest, ScanAcrossChunks_VisitsEverySecretOnceInOrder) {
  ScanQuery query{"000000000000", "us-east-1", SecretSortKey::kCreatedDate, true};
  std::vector<std::pair<EpochMillis, std::int64_t>> seen;
  store_->Read([&](Repository& repo) {
    repo.ScanSecrets(query, [&](const SecretRecord& s) {
      seen.emplace_back(s.created_date, s.id);
      // The visitor may use the repository while scanning.
      EXPECT_TRUE(repo.Versions(s.id).empty());
      return true;
    });
  });
  ASSERT_EQ(seen.size(), static_cast<std::size_t>(kSecrets));
  EXPECT_TRUE(std::is_sorted(seen.rbegin(), seen.rend()));
  EXPECT_EQ(std::adjacent_find(seen.begin(), seen.end()), seen.end());
}

TEST_F(ScanChunkTest, VisitReturningFalse_StopsTheScan) {
  int visits = 0;
  store_->Read([&](Repository& repo) {
    repo.ScanSecrets({"000000000000", "us-east-1"},
                     [&](const SecretRecord&) { return ++visits < 5; });
  });
  EXPECT_EQ(visits, 5);
}

TEST_F(ScanChunkTest, BadCursorSortValue_Throws) {
  ScanQuery query{"000000000000", "us-east-1"};
  query.after = ScanCursor{"not-a-number", 1};
  EXPECT_THROW(store_->Read([&](Repository& repo) {
    repo.ScanSecrets(query, [](const SecretRecord&) { return true; });
  }),
               std::invalid_argument);
}

TEST(ScanCursor, CursorAfter_UsesTheSortKeysValue) {
  SecretRecord secret = MakeSecret("name", 11);
  secret.id = 7;
  secret.last_changed_date = 22;
  EXPECT_EQ(CursorAfter(secret, SecretSortKey::kCreatedDate).sort_value, "11");
  EXPECT_EQ(CursorAfter(secret, SecretSortKey::kLastChangedDate).sort_value, "22");
  EXPECT_EQ(CursorAfter(secret, SecretSortKey::kLastAccessedDate).sort_value, "0");
  secret.last_accessed_date = 33;
  EXPECT_EQ(CursorAfter(secret, SecretSortKey::kLastAccessedDate).sort_value, "33");
  EXPECT_EQ(CursorAfter(secret, SecretSortKey::kName).sort_value, "name");
  EXPECT_EQ(CursorAfter(secret, SecretSortKey::kName).id, 7);
}

}  // namespace
}  // namespace sml::storage
