// Versions, staging labels and encrypted values through the Repository.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "storage/sqlite/connection.h"
#include "tests/unit/storage/store_fixture.h"

namespace sml::storage {
namespace {

using testing::FakeCipher;
using testing::Insert;
using testing::MakeSecret;
using testing::MakeVersion;

class VersionsTest : public ::testing::Test {
 protected:
  FakeCipher cipher_;
  std::unique_ptr<Store> store_ = testing::OpenInMemory(cipher_);
  SecretRecord secret_ = Insert(*store_, MakeSecret("s"));
};

// A value is sealed with where it belongs (ARN, secret id, version id, kind):
// databases written before must keep opening, so the exact bytes are pinned.
TEST(VersionValueContext, IsTheSameBytesAsEver) {
  class Recording : public FakeCipher {
   public:
    std::string Encrypt(std::string_view wrapped_key, std::string_view plaintext,
                        std::string_view context) override {
      contexts.emplace_back(context);
      return FakeCipher::Encrypt(wrapped_key, plaintext, context);
    }
    std::vector<std::string> contexts;
  } cipher;
  auto store = testing::OpenInMemory(cipher);
  const SecretRecord secret = Insert(*store, MakeSecret("s"));
  store->Write([&](Repository& repo) {
    repo.InsertVersion(secret.id, MakeVersion("v-1", 1000, "text"));
    VersionRecord binary = MakeVersion("v-2", 2000);
    binary.has_value = true;
    binary.secret_binary = "bytes";
    repo.InsertVersion(secret.id, binary);
  });
  const std::string id = std::to_string(secret.id);
  const std::string arn = std::to_string(secret.arn.size()) + ":" + secret.arn;
  ASSERT_EQ(cipher.contexts.size(), 2u);
  EXPECT_EQ(cipher.contexts[0], "sml-value-v1;" + arn + ";" + std::to_string(id.size()) + ":" + id +
                                    ";3:v-1;12:SecretString");
  EXPECT_EQ(cipher.contexts[1], "sml-value-v1;" + arn + ";" + std::to_string(id.size()) + ":" + id +
                                    ";3:v-2;12:SecretBinary");
}

std::vector<std::string> Ids(const std::vector<VersionRecord>& versions) {
  std::vector<std::string> ids;
  for (const auto& version : versions) ids.push_back(version.version_id);
  return ids;
}

TEST_F(VersionsTest, Versions_OldestFirstThenInsertionOrder_LabelsSorted) {
  store_->Write([&](Repository& repo) {
    auto newest = MakeVersion("newest", 3000, "c");
    auto tie_first = MakeVersion("zzz-same-ms-first", 2000, "a");
    auto tie_second = MakeVersion("aaa-same-ms-second", 2000, "b");
    auto oldest = MakeVersion("oldest", 1000);
    for (const auto* v : {&newest, &tie_first, &tie_second, &oldest})
      repo.InsertVersion(secret_.id, *v);
    newest.labels = {"AWSPENDING", "AWSCURRENT", "custom"};
    tie_second.labels = {"AWSPREVIOUS"};
    repo.ReplaceLabels(secret_.id, {newest, tie_second});
  });
  auto versions = store_->Read([&](Repository& repo) { return repo.Versions(secret_.id); });
  EXPECT_EQ(Ids(versions), (std::vector<std::string>{"oldest", "zzz-same-ms-first",
                                                     "aaa-same-ms-second", "newest"}));
  EXPECT_EQ(versions[3].labels, (std::vector<std::string>{"AWSCURRENT", "AWSPENDING", "custom"}));
  EXPECT_EQ(versions[2].labels, (std::vector<std::string>{"AWSPREVIOUS"}));
  EXPECT_TRUE(versions[0].labels.empty());
  EXPECT_FALSE(versions[0].has_value);
  EXPECT_TRUE(versions[3].has_value);
  EXPECT_FALSE(versions[3].secret_string);  // Versions never carries values
  EXPECT_EQ(cipher_.decryptions, 0);
}

TEST_F(VersionsTest, VersionFields_RoundTrip) {
  VersionRecord version = MakeVersion("v1", 1234);
  version.last_accessed_date = 86400000;
  version.kms_key_id = "arn:aws:kms:us-east-1:000000000000:key/abc";
  version.secret_binary = std::string("\0\x01\xff binary", 10);
  store_->Write([&](Repository& repo) { repo.InsertVersion(secret_.id, version); });
  auto found =
      store_->Read([&](Repository& repo) { return repo.FindVersion(secret_.id, "v1", true); });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->version_id, "v1");
  EXPECT_EQ(found->created_date, 1234);
  EXPECT_EQ(found->last_accessed_date, 86400000);
  EXPECT_EQ(found->kms_key_id, version.kms_key_id);
  EXPECT_TRUE(found->has_value);
  EXPECT_EQ(found->secret_binary, version.secret_binary);
  EXPECT_FALSE(found->secret_string);
}

TEST_F(VersionsTest, WithValue_DecryptsAndWithoutDoesNot) {
  store_->Write([&](Repository& repo) {
    auto version = MakeVersion("v1", 1, "s3cr3t");
    version.labels = {"AWSCURRENT"};
    repo.InsertVersion(secret_.id, version);
    repo.ReplaceLabels(secret_.id, {version});
  });
  store_->Read([&](Repository& repo) {
    auto without = repo.FindVersionByLabel(secret_.id, "AWSCURRENT", false);
    ASSERT_TRUE(without);
    EXPECT_TRUE(without->has_value);
    EXPECT_FALSE(without->secret_string);
    EXPECT_EQ(cipher_.decryptions, 0);
    auto with = repo.FindVersionByLabel(secret_.id, "AWSCURRENT", true);
    ASSERT_TRUE(with);
    EXPECT_EQ(with->secret_string, "s3cr3t");
    EXPECT_EQ(with->labels, std::vector<std::string>{"AWSCURRENT"});
    EXPECT_EQ(cipher_.decryptions, 1);
    auto by_id = repo.FindVersion(secret_.id, "v1", true);
    ASSERT_TRUE(by_id);
    EXPECT_EQ(by_id->secret_string, "s3cr3t");
    EXPECT_EQ(by_id->labels, std::vector<std::string>{"AWSCURRENT"});
  });
}

TEST_F(VersionsTest, VersionWithoutValue_HasNoValue) {
  store_->Write([&](Repository& repo) { repo.InsertVersion(secret_.id, MakeVersion("empty", 1)); });
  auto found =
      store_->Read([&](Repository& repo) { return repo.FindVersion(secret_.id, "empty", true); });
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->has_value);
  EXPECT_FALSE(found->secret_string);
  EXPECT_FALSE(found->secret_binary);
}

TEST_F(VersionsTest, EmptyStringValue_IsAValue) {
  store_->Write([&](Repository& repo) { repo.InsertVersion(secret_.id, MakeVersion("v", 1, "")); });
  auto found =
      store_->Read([&](Repository& repo) { return repo.FindVersion(secret_.id, "v", true); });
  ASSERT_TRUE(found);
  EXPECT_TRUE(found->has_value);
  EXPECT_EQ(found->secret_string, "");
}

TEST_F(VersionsTest, FindVersion_MissingIsNullopt) {
  store_->Read([&](Repository& repo) {
    EXPECT_FALSE(repo.FindVersion(secret_.id, "nope", true));
    EXPECT_FALSE(repo.FindVersionByLabel(secret_.id, "AWSCURRENT", true));
  });
}

TEST_F(VersionsTest, DecryptionError_Propagates) {
  store_->Write(
      [&](Repository& repo) { repo.InsertVersion(secret_.id, MakeVersion("v1", 1, "x")); });
  cipher_.fail_decrypt = true;
  EXPECT_THROW(
      store_->Read([&](Repository& repo) { return repo.FindVersion(secret_.id, "v1", true); }),
      DecryptionError);
  // Without the value there is nothing to decrypt.
  EXPECT_NO_THROW(
      store_->Read([&](Repository& repo) { return repo.FindVersion(secret_.id, "v1", false); }));
}

TEST_F(VersionsTest, BothStringAndBinary_IsRefused) {
  VersionRecord version = MakeVersion("v1", 1, "x");
  version.secret_binary = "y";
  EXPECT_THROW(store_->Write([&](Repository& repo) { repo.InsertVersion(secret_.id, version); }),
               std::invalid_argument);
}

TEST_F(VersionsTest, UpdateVersionValue_FillsAPlaceholder) {
  store_->Write(
      [&](Repository& repo) { repo.InsertVersion(secret_.id, MakeVersion("pending", 5)); });
  VersionRecord filled = MakeVersion("pending", 5, "rotated");
  store_->Write([&](Repository& repo) { repo.UpdateVersionValue(secret_.id, filled); });
  auto found =
      store_->Read([&](Repository& repo) { return repo.FindVersion(secret_.id, "pending", true); });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->secret_string, "rotated");
  EXPECT_EQ(found->created_date, 5);
  EXPECT_THROW(store_->Write([&](Repository& repo) {
    repo.UpdateVersionValue(secret_.id, MakeVersion("absent", 5, "x"));
  }),
               std::runtime_error);
}

TEST_F(VersionsTest, SetVersionLastAccessed_IsStored) {
  store_->Write([&](Repository& repo) {
    repo.InsertVersion(secret_.id, MakeVersion("v1", 1, "x"));
    repo.SetVersionLastAccessed(secret_.id, "v1", 86400000 * 3);
  });
  auto found =
      store_->Read([&](Repository& repo) { return repo.FindVersion(secret_.id, "v1", false); });
  EXPECT_EQ(found->last_accessed_date, 86400000 * 3);
}

TEST_F(VersionsTest, DeleteVersion_TakesItsLabels) {
  store_->Write([&](Repository& repo) {
    auto a = MakeVersion("a", 1, "x");
    auto b = MakeVersion("b", 2, "y");
    repo.InsertVersion(secret_.id, a);
    repo.InsertVersion(secret_.id, b);
    a.labels = {"old"};
    b.labels = {"AWSCURRENT"};
    repo.ReplaceLabels(secret_.id, {a, b});
    repo.DeleteVersion(secret_.id, "a");
  });
  store_->Read([&](Repository& repo) {
    EXPECT_EQ(Ids(repo.Versions(secret_.id)), std::vector<std::string>{"b"});
    EXPECT_FALSE(repo.FindVersionByLabel(secret_.id, "old", false));
  });
}

TEST_F(VersionsTest, ReplaceLabels_MakesLabelsExactlyTheGivenOnes) {
  store_->Write([&](Repository& repo) {
    auto a = MakeVersion("a", 1, "x");
    auto b = MakeVersion("b", 2, "y");
    repo.InsertVersion(secret_.id, a);
    repo.InsertVersion(secret_.id, b);
    a.labels = {"AWSCURRENT", "stale"};
    repo.ReplaceLabels(secret_.id, {a, b});
    a.labels = {"AWSPREVIOUS"};
    b.labels = {"AWSCURRENT"};
    repo.ReplaceLabels(secret_.id, {a, b});
  });
  store_->Read([&](Repository& repo) {
    EXPECT_EQ(repo.FindVersionByLabel(secret_.id, "AWSCURRENT", false)->version_id, "b");
    EXPECT_EQ(repo.FindVersionByLabel(secret_.id, "AWSPREVIOUS", false)->version_id, "a");
    EXPECT_FALSE(repo.FindVersionByLabel(secret_.id, "stale", false));
  });
}

TEST_F(VersionsTest, OneLabelOnTwoVersions_IsRefusedByTheDatabase) {
  store_->Write([&](Repository& repo) {
    repo.InsertVersion(secret_.id, MakeVersion("a", 1, "x"));
    repo.InsertVersion(secret_.id, MakeVersion("b", 2, "y"));
    auto a = MakeVersion("a", 1);
    a.labels = {"AWSCURRENT"};
    repo.ReplaceLabels(secret_.id, {a});
  });
  auto a = MakeVersion("a", 1);
  auto b = MakeVersion("b", 2);
  a.labels = {"AWSCURRENT"};
  b.labels = {"AWSCURRENT"};
  EXPECT_THROW(store_->Write([&](Repository& repo) {
    repo.ReplaceLabels(secret_.id, {a, b});
  }),
               std::runtime_error);
  // The failed write left the previous labels.
  auto current = store_->Read(
      [&](Repository& repo) { return repo.FindVersionByLabel(secret_.id, "AWSCURRENT", false); });
  ASSERT_TRUE(current);
  EXPECT_EQ(current->version_id, "a");
}

TEST_F(VersionsTest, LabelOnUnknownVersion_IsRefused) {
  auto ghost = MakeVersion("ghost", 1);
  ghost.labels = {"AWSCURRENT"};
  EXPECT_THROW(store_->Write([&](Repository& repo) { repo.ReplaceLabels(secret_.id, {ghost}); }),
               std::runtime_error);
}

TEST_F(VersionsTest, SameLabelOnTwoSecrets_IsFine) {
  auto other = Insert(*store_, MakeSecret("other"));
  store_->Write([&](Repository& repo) {
    auto v = MakeVersion("v", 1, "x");
    v.labels = {"AWSCURRENT"};
    repo.InsertVersion(secret_.id, v);
    repo.InsertVersion(other.id, v);
    repo.ReplaceLabels(secret_.id, {v});
    repo.ReplaceLabels(other.id, {v});
  });
  store_->Read([&](Repository& repo) {
    EXPECT_TRUE(repo.FindVersionByLabel(secret_.id, "AWSCURRENT", true));
    EXPECT_TRUE(repo.FindVersionByLabel(other.id, "AWSCURRENT", true));
  });
}

TEST_F(VersionsTest, InsertVersionIfAbsent_InsertsOnceAndLeavesTheFirstValue) {
  store_->Write([&](Repository& repo) {
    EXPECT_TRUE(repo.InsertVersionIfAbsent(secret_.id, MakeVersion("v", 1, "first")));
    EXPECT_FALSE(repo.InsertVersionIfAbsent(secret_.id, MakeVersion("v", 2, "second")));
  });
  auto found =
      store_->Read([&](Repository& repo) { return repo.FindVersion(secret_.id, "v", true); });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->secret_string, "first");
  EXPECT_EQ(found->created_date, 1);
}

// The writer remembers each secret's data key; a secret that takes the id
// of one whose insert rolled back must still get its own.
TEST_F(VersionsTest, SecretReusingTheIdOfARolledBackInsert_EncryptsWithItsOwnKey) {
  std::int64_t gone_id = 0;
  EXPECT_THROW(store_->Write([&](Repository& repo) {
    auto gone = MakeSecret("gone");
    repo.InsertSecret(gone);
    gone_id = gone.id;
    repo.InsertVersion(gone.id, MakeVersion("v", 1, "x"));
    throw std::runtime_error("roll back");
  }),
               std::runtime_error);
  auto again = Insert(*store_, MakeSecret("again"));
  EXPECT_EQ(again.id, gone_id);  // SQLite hands the id out again
  store_->Write(
      [&](Repository& repo) { repo.InsertVersion(again.id, MakeVersion("v", 1, "mine")); });
  auto found =
      store_->Read([&](Repository& repo) { return repo.FindVersion(again.id, "v", true); });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->secret_string, "mine");
}

// A default PutSecretValue's moves, written as targeted updates: AWSCURRENT
// to the new version, AWSPREVIOUS to the old current, off the old previous.
TEST_F(VersionsTest, UpdateLabels_WritesTheMovesOfAPut) {
  store_->Write([&](Repository& repo) {
    for (const char* id : {"a", "b", "c"}) repo.InsertVersion(secret_.id, MakeVersion(id, 1, "x"));
    auto a = MakeVersion("a", 1);
    auto b = MakeVersion("b", 1);
    a.labels = {"AWSPREVIOUS", "keep"};
    b.labels = {"AWSCURRENT"};
    repo.ReplaceLabels(secret_.id, {a, b});
  });
  store_->Write([&](Repository& repo) {
    const auto stored = repo.LabelledVersions(secret_.id);
    auto versions = stored;
    versions[0].labels = {"keep"};         // a
    versions[1].labels = {"AWSPREVIOUS"};  // b
    versions.push_back(MakeVersion("c", 1));
    versions.back().labels = {"AWSCURRENT"};
    repo.UpdateLabels(secret_.id, stored, versions);
  });
  auto labelled = store_->Read([&](Repository& repo) { return repo.LabelledVersions(secret_.id); });
  ASSERT_EQ(Ids(labelled), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(labelled[0].labels, std::vector<std::string>{"keep"});
  EXPECT_EQ(labelled[1].labels, std::vector<std::string>{"AWSPREVIOUS"});
  EXPECT_EQ(labelled[2].labels, std::vector<std::string>{"AWSCURRENT"});
}

TEST_F(VersionsTest, UpdateLabels_RemovesLabelsThatWentAndKeepsTheRest) {
  store_->Write([&](Repository& repo) {
    auto a = MakeVersion("a", 1, "x");
    a.labels = {"AWSCURRENT", "AWSPENDING", "blue"};
    repo.InsertVersion(secret_.id, a);
    repo.ReplaceLabels(secret_.id, {a});
    const auto stored = repo.LabelledVersions(secret_.id);
    a.labels = {"AWSCURRENT"};
    repo.UpdateLabels(secret_.id, stored, {a});
  });
  auto labelled = store_->Read([&](Repository& repo) { return repo.LabelledVersions(secret_.id); });
  ASSERT_EQ(labelled.size(), 1u);
  EXPECT_EQ(labelled[0].labels, std::vector<std::string>{"AWSCURRENT"});
}

TEST_F(VersionsTest, UpdateLabels_LabelsAndIdsThatNeedJsonEscapes_RoundTrip) {
  const std::string odd_id = "v\"1\\\x01\u00e9";
  const std::vector<std::string> odd = {"q\"", "b\\s", std::string("c\x1f\n\t"), "\u00e9t\u00e9",
                                        "/"};
  store_->Write([&](Repository& repo) {
    auto a = MakeVersion(odd_id, 1, "x");
    repo.InsertVersion(secret_.id, a);
    a.labels = odd;
    repo.ReplaceLabels(secret_.id, {a});
  });
  auto labelled = store_->Read([&](Repository& repo) { return repo.LabelledVersions(secret_.id); });
  ASSERT_EQ(Ids(labelled), std::vector<std::string>{odd_id});
  auto sorted = odd;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(labelled[0].labels, sorted);
  store_->Write([&](Repository& repo) {  // each of them removed, but one
    auto a = MakeVersion(odd_id, 1);
    a.labels = {odd[2]};
    repo.ReplaceLabels(secret_.id, {a});
  });
  labelled = store_->Read([&](Repository& repo) { return repo.LabelledVersions(secret_.id); });
  ASSERT_EQ(labelled.size(), 1u);
  EXPECT_EQ(labelled[0].labels, std::vector<std::string>{odd[2]});
}

TEST_F(VersionsTest, CensusOfVersions_LabelledVersionsSortedAndEveryVersionCounted) {
  store_->Write([&](Repository& repo) {
    for (const char* id : {"z", "m", "a", "dep"}) {
      repo.InsertVersion(secret_.id, MakeVersion(id, 1, "x"));
    }
    auto z = MakeVersion("z", 1);
    auto a = MakeVersion("a", 1);
    z.labels = {"AWSCURRENT", "AWSPENDING", "b-label"};
    a.labels = {"AWSPREVIOUS"};
    repo.ReplaceLabels(secret_.id, {z, a});
  });
  auto census = store_->Read([&](Repository& repo) { return repo.CensusOfVersions(secret_.id); });
  EXPECT_EQ(census.version_count, 4);
  ASSERT_EQ(Ids(census.labelled), (std::vector<std::string>{"a", "z"}));
  EXPECT_EQ(census.labelled[1].labels,
            (std::vector<std::string>{"AWSCURRENT", "AWSPENDING", "b-label"}));
  auto empty = Insert(*store_, MakeSecret("empty"));
  auto none = store_->Read([&](Repository& repo) { return repo.CensusOfVersions(empty.id); });
  EXPECT_EQ(none.version_count, 0);
  EXPECT_TRUE(none.labelled.empty());
}

TEST_F(VersionsTest, DeleteOldestUnlabelledVersions_OldestFirstTiesByInsertionNeverLabelled) {
  store_->Write([&](Repository& repo) {
    repo.InsertVersion(secret_.id, MakeVersion("labelled-oldest", 1, "x"));
    repo.InsertVersion(secret_.id, MakeVersion("newer", 3, "x"));
    repo.InsertVersion(secret_.id, MakeVersion("tie-first", 2, "x"));
    repo.InsertVersion(secret_.id, MakeVersion("tie-second", 2, "x"));
    repo.InsertVersion(secret_.id, MakeVersion("current", 4, "x"));
    auto oldest = MakeVersion("labelled-oldest", 1);
    auto current = MakeVersion("current", 4);
    oldest.labels = {"keep"};
    current.labels = {"AWSCURRENT"};
    repo.ReplaceLabels(secret_.id, {oldest, current});
    repo.DeleteOldestUnlabelledVersions(secret_.id, 0);
  });
  auto ids = [&] {
    return store_->Read([&](Repository& repo) { return Ids(repo.Versions(secret_.id)); });
  };
  EXPECT_EQ(ids().size(), 5u);
  store_->Write([&](Repository& repo) { repo.DeleteOldestUnlabelledVersions(secret_.id, 1); });
  EXPECT_EQ(ids(), (std::vector<std::string>{"labelled-oldest", "tie-second", "newer", "current"}));
  store_->Write([&](Repository& repo) { repo.DeleteOldestUnlabelledVersions(secret_.id, 10); });
  EXPECT_EQ(ids(), (std::vector<std::string>{"labelled-oldest", "current"}));
}

std::string ReadBytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST(VersionsOnDisk, DatabaseFilesContainNoPlaintextValue) {
  testing::ScratchDir dir;
  FakeCipher cipher;
  auto file = dir.path() / "secrets.db";
  const std::string string_value = "PLAINTEXT-MARKER-string-7f3a9c";
  const std::string binary_value = "PLAINTEXT-MARKER-binary-1b2e4d";
  const std::string filled_value = "PLAINTEXT-MARKER-filled-99aa00";
  auto store = testing::OpenFile(file, cipher);
  auto secret = Insert(*store, MakeSecret("on-disk"));
  store->Write([&](Repository& repo) {
    repo.InsertVersion(secret.id, MakeVersion("s", 1, string_value));
    VersionRecord binary = MakeVersion("b", 2);
    binary.secret_binary = binary_value;
    repo.InsertVersion(secret.id, binary);
    repo.InsertVersion(secret.id, MakeVersion("p", 3));
    repo.UpdateVersionValue(secret.id, MakeVersion("p", 3, filled_value));
  });
  // Sanity: the value is really stored (and the name, unencrypted, is found).
  EXPECT_EQ(store->Read([&](Repository& repo) { return repo.FindVersion(secret.id, "s", true); })
                ->secret_string,
            string_value);
  std::string bytes = ReadBytes(file);
  auto wal = std::filesystem::path(file.string() + "-wal");
  ASSERT_TRUE(std::filesystem::exists(wal));
  bytes += ReadBytes(wal);
  EXPECT_NE(bytes.find("on-disk"), std::string::npos);  // the search itself works
  EXPECT_EQ(bytes.find("PLAINTEXT-MARKER"), std::string::npos);
}

TEST(VersionsOnDisk, CiphertextMovedToAnotherVersion_FailsToDecrypt) {
  testing::ScratchDir dir;
  FakeCipher cipher;
  auto file = dir.path() / "secrets.db";
  auto store = testing::OpenFile(file, cipher);
  auto secret = Insert(*store, MakeSecret("tampered"));
  store->Write([&](Repository& repo) {
    repo.InsertVersion(secret.id, MakeVersion("v1", 1, "one"));
    repo.InsertVersion(secret.id, MakeVersion("v2", 2, "two"));
  });
  {
    sqlite::Connection raw(file.string());
    raw.Execute(
        "UPDATE versions SET ciphertext = (SELECT ciphertext FROM versions WHERE version_id = "
        "'v1') WHERE version_id = 'v2'");
  }
  EXPECT_THROW(
      store->Read([&](Repository& repo) { return repo.FindVersion(secret.id, "v2", true); }),
      DecryptionError);
}

}  // namespace
}  // namespace sml::storage
