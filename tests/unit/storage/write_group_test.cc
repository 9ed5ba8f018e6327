// Writes that queue while another runs commit together (one COMMIT), each
// in a savepoint of its own: a write that throws leaves nothing behind and
// fails alone. COMMITs are counted with SQLite's statement trace on the
// store's one connection (in memory); the queue is filled deterministically
// by holding the first write until the others have queued behind it.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/unit/storage/store_fixture.h"

namespace sml::storage {
namespace {

using testing::FakeCipher;
using testing::MakeSecret;
using testing::MakeVersion;

std::atomic<int> commits = 0;
std::atomic<int> savepoints = 0;

int OnStatement(unsigned, void*, void* statement, void*) {
  const char* sql = sqlite3_sql(static_cast<sqlite3_stmt*>(statement));
  if (sql != nullptr && std::strcmp(sql, "COMMIT") == 0) ++commits;
  if (sql != nullptr && std::strncmp(sql, "SAVEPOINT", 9) == 0) ++savepoints;
  return 0;
}

int TraceStatements(sqlite3* db, const char**, const sqlite3_api_routines*) {
  sqlite3_trace_v2(db, SQLITE_TRACE_STMT, &OnStatement, nullptr);
  return SQLITE_OK;
}

class WriteGroupTest : public ::testing::Test {
 protected:
  static void (*Entry())() { return reinterpret_cast<void (*)()>(&TraceStatements); }
  void SetUp() override {
    sqlite3_auto_extension(Entry());
    store_ = testing::OpenInMemory(cipher_);
    secret_ = testing::Insert(*store_, MakeSecret("grouped"));
  }
  void TearDown() override { sqlite3_cancel_auto_extension(Entry()); }

  void AddVersion(Repository& repo, const std::string& id) {
    repo.InsertVersion(secret_.id, MakeVersion(id, 1000, "value of " + id));
  }

  std::vector<std::string> VersionIds() {
    return store_->Read([&](Repository& repo) {
      std::vector<std::string> ids;
      for (const auto& version : repo.Versions(secret_.id)) ids.push_back(version.version_id);
      std::sort(ids.begin(), ids.end());
      return ids;
    });
  }

  // Runs `first` as the leader of its own group; once it runs, starts
  // `others` on threads of their own, one after the other (so they queue in
  // that order), and lets `first` return only when all of them have queued
  // behind it.
  void RunBehindOneWrite(const std::function<void(Repository&)>& first,
                         const std::vector<std::function<void()>>& others) {
    std::atomic<bool> running = false;
    std::atomic<bool> release = false;
    std::thread leader([&] {
      store_->Write([&](Repository& repo) {
        first(repo);
        running = true;
        while (!release) std::this_thread::yield();
      });
    });
    while (!running) std::this_thread::yield();
    std::vector<std::thread> threads;
    for (const auto& other : others) {
      threads.emplace_back(other);
      while (store_->QueuedWrites() < 1 + threads.size()) std::this_thread::yield();
    }
    release = true;
    leader.join();
    for (auto& thread : threads) thread.join();
  }

  FakeCipher cipher_;
  std::unique_ptr<Store> store_;
  SecretRecord secret_;
};

TEST_F(WriteGroupTest, QueuedWrites_CommitTogether_AndAFailingOneFailsAlone) {
  int from_b = 0;
  bool c_failed = false;
  bool d_failed = false;
  commits = 0;
  RunBehindOneWrite([&](Repository& repo) { AddVersion(repo, "a"); },
                    {[&] {
                       try {
                         from_b = store_->Write([&](Repository& repo) {
                           AddVersion(repo, "b");
                           return 42;
                         });
                       } catch (...) {
                         from_b = -1;
                       }
                     },
                     [&] {
                       try {
                         store_->Write([&](Repository& repo) {
                           AddVersion(repo, "c");
                           throw std::runtime_error("c fails");
                         });
                       } catch (const std::runtime_error& error) {
                         c_failed = std::string(error.what()) == "c fails";
                       }
                     },
                     [&] {
                       try {
                         store_->Write([&](Repository& repo) { AddVersion(repo, "d"); });
                       } catch (...) {
                         d_failed = true;
                       }
                     }});

  EXPECT_EQ(commits, 2);  // the first write's, then one for the three queued behind it
  EXPECT_EQ(from_b, 42);
  EXPECT_TRUE(c_failed);
  EXPECT_FALSE(d_failed);
  EXPECT_EQ(VersionIds(), (std::vector<std::string>{"a", "b", "d"}));
  EXPECT_EQ(store_->QueuedWrites(), 0u);
}

// The first write of a transaction runs without a savepoint (nothing before
// it to keep); when it fails, the transaction goes and the rest of the group
// commits in a new one.
TEST_F(WriteGroupTest, FirstWriteOfAGroupFails_AloneAndWithoutASavepoint) {
  bool x_failed = false;
  commits = 0;
  savepoints = 0;
  RunBehindOneWrite([&](Repository& repo) { AddVersion(repo, "a"); },
                    {[&] {
                       try {
                         store_->Write([&](Repository& repo) {
                           AddVersion(repo, "x");
                           throw std::runtime_error("x fails");
                         });
                       } catch (const std::runtime_error&) {
                         x_failed = true;
                       }
                     },
                     [&] { store_->Write([&](Repository& repo) { AddVersion(repo, "b"); }); },
                     [&] { store_->Write([&](Repository& repo) { AddVersion(repo, "d"); }); }});
  EXPECT_TRUE(x_failed);
  EXPECT_EQ(commits, 2);     // a's, then b and d's
  EXPECT_EQ(savepoints, 1);  // d's: b came first in the new transaction
  EXPECT_EQ(VersionIds(), (std::vector<std::string>{"a", "b", "d"}));
}

// An access date recorded by a write that fails in a group is rolled back
// with it: the cached secret must not show it (the commit of the others
// moves the dates it recorded in cached entries).
TEST_F(WriteGroupTest, AccessDateOfAFailedWriteInAGroup_IsNotInTheCache) {
  store_->Write([&](Repository& repo) {
    auto version = MakeVersion("v", 1000, "value");
    version.labels = {"AWSCURRENT"};
    repo.InsertVersion(secret_.id, version);
    repo.ReplaceLabels(secret_.id, {version});
  });
  auto accessed = [&] {
    return store_->Read([&](Repository& repo) {
      repo.FindVersionByLabel(secret_.id, "AWSCURRENT", true);  // cached from here on
      return repo.FindSecretById(secret_.id)->last_accessed_date;
    });
  };
  ASSERT_FALSE(accessed());
  bool failed = false;
  SecretRecord first = MakeSecret("x");
  RunBehindOneWrite([&](Repository& repo) { repo.InsertSecret(first); },
                    {[&] {
                       try {
                         store_->Write([&](Repository& repo) {
                           repo.RecordAccess(secret_.id, "v", 86'400'000);
                           throw std::runtime_error("fails after reading");
                         });
                       } catch (const std::runtime_error&) {
                         failed = true;
                       }
                     },
                     [&] {
                       SecretRecord other = MakeSecret("y");
                       store_->Write([&](Repository& repo) { repo.InsertSecret(other); });
                     }});
  EXPECT_TRUE(failed);
  EXPECT_FALSE(accessed());
}

// A write of a group that breaks a constraint is refused alone, as it would
// be in a transaction of its own.
TEST_F(WriteGroupTest, AConstraintViolationInAGroup_FailsOnlyThatWrite) {
  bool duplicate_failed = false;
  bool other_failed = false;
  RunBehindOneWrite([&](Repository& repo) { AddVersion(repo, "a"); },
                    {[&] {
                       try {
                         store_->Write([&](Repository& repo) {
                           AddVersion(repo, "x");
                           AddVersion(repo, "a");  // UNIQUE (secret_id, version_id)
                         });
                       } catch (const std::exception&) {
                         duplicate_failed = true;
                       }
                     },
                     [&] {
                       try {
                         store_->Write([&](Repository& repo) { AddVersion(repo, "y"); });
                       } catch (...) {
                         other_failed = true;
                       }
                     }});

  EXPECT_TRUE(duplicate_failed);
  EXPECT_FALSE(other_failed);
  EXPECT_EQ(VersionIds(), (std::vector<std::string>{"a", "y"}));
}

}  // namespace
}  // namespace sml::storage
