#include "storage/crypto/master_key.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

namespace sml::storage {
namespace {

namespace fs = std::filesystem;

constexpr char kHexKey[] = "0109111921293139414951596169717981899199a1a9b1b9c1c9d1d9e1e9f1f9";
constexpr char kBase64Key[] = "AQkRGSEpMTlBSVFZYWlxeYGJkZmhqbG5wcnR2eHp8fk=";

EnvironmentLookup FakeEnvironment(std::map<std::string, std::string> variables) {
  return [variables = std::move(variables)](const char* name) -> std::optional<std::string> {
    auto it = variables.find(name);
    if (it == variables.end()) return std::nullopt;
    return it->second;
  };
}

const EnvironmentLookup kEmptyEnvironment = FakeEnvironment({});

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  ADD_FAILURE() << "no std::runtime_error thrown";
  return "";
}

class MasterKeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "sml-master-key-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path KeyFile() const { return dir_ / "master.key"; }
  void WriteKeyFile(const std::string& content, fs::perms perms) {
    std::ofstream(KeyFile()) << content;
    fs::permissions(KeyFile(), perms);
  }
  static std::string Read(const fs::path& path) {
    std::stringstream content;
    content << std::ifstream(path).rdbuf();
    return content.str();
  }

  fs::path dir_;
};

TEST(MasterKeyEnvironment, HexKey_IsAccepted) {
  MasterKey key = ResolveMasterKey(std::nullopt, FakeEnvironment({{"SML_MASTER_KEY", kHexKey}}));
  EXPECT_EQ(HexEncode(key.bytes), kHexKey);
  EXPECT_EQ(key.source, "environment variable SML_MASTER_KEY");
}

TEST(MasterKeyEnvironment, Base64Key_IsAcceptedAsTheSameBytes) {
  MasterKey key = ResolveMasterKey(std::nullopt, FakeEnvironment({{"SML_MASTER_KEY", kBase64Key}}));
  EXPECT_EQ(HexEncode(key.bytes), kHexKey);
}

TEST(MasterKeyEnvironment, SurroundingWhitespace_IsIgnored) {
  MasterKey key = ResolveMasterKey(
      std::nullopt, FakeEnvironment({{"SML_MASTER_KEY", std::string(" ") + kHexKey + "\n"}}));
  EXPECT_EQ(HexEncode(key.bytes), kHexKey);
}

TEST(MasterKeyEnvironment, MalformedValues_AreRejectedWithoutEchoingThem) {
  std::string hex = kHexKey;
  for (const std::string& value :
       {hex.substr(2), hex + "00", hex.substr(1) + "z", std::string("correct horse battery staple"),
        std::string(kBase64Key).substr(4)}) {
    std::string message = ErrorOf([&] {
      ResolveMasterKey(std::nullopt, FakeEnvironment({{"SML_MASTER_KEY", value}}));
    });
    EXPECT_NE(message.find("SML_MASTER_KEY"), std::string::npos) << message;
    EXPECT_EQ(message.find(value), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST(MasterKeyEnvironment, EmptyValue_IsRejected) {
  std::string message = ErrorOf([] {
    ResolveMasterKey(std::nullopt, FakeEnvironment({{"SML_MASTER_KEY", ""}}));
  });
  EXPECT_NE(message.find("empty"), std::string::npos) << message;
}

TEST(MasterKeyInMemory, WithoutDataDir_KeyIsRandomAndEphemeral) {
  MasterKey first = ResolveMasterKey(std::nullopt, kEmptyEnvironment);
  MasterKey second = ResolveMasterKey(std::nullopt, kEmptyEnvironment);
  EXPECT_NE(first.bytes, second.bytes);
  EXPECT_NE(first.bytes, Aes256Key{});
  EXPECT_EQ(first.source, "ephemeral (in-memory run)");
}

TEST_F(MasterKeyFileTest, MissingFile_IsCreatedWithMode0600AndReusedNextTime) {
  MasterKey created = ResolveMasterKey(dir_, kEmptyEnvironment);
  ASSERT_TRUE(fs::exists(KeyFile()));
  struct stat status {};
  ASSERT_EQ(::stat(KeyFile().c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 07777, 0600u);
  EXPECT_EQ(Read(KeyFile()), HexEncode(created.bytes) + "\n");
  EXPECT_EQ(created.source, "file " + KeyFile().string() + " (newly generated)");

  MasterKey reused = ResolveMasterKey(dir_, kEmptyEnvironment);
  EXPECT_EQ(reused.bytes, created.bytes);
  EXPECT_EQ(reused.source, "file " + KeyFile().string());
}

TEST_F(MasterKeyFileTest, MissingDataDir_IsCreated) {
  fs::path nested = dir_ / "a" / "b";
  MasterKey created = ResolveMasterKey(nested, kEmptyEnvironment);
  EXPECT_EQ(Read(nested / "master.key"), HexEncode(created.bytes) + "\n");
}

TEST_F(MasterKeyFileTest, ExistingFile_IsRead) {
  WriteKeyFile(std::string(kHexKey) + "\n", fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(HexEncode(ResolveMasterKey(dir_, kEmptyEnvironment).bytes), kHexKey);
}

TEST_F(MasterKeyFileTest, ExistingFileWithoutNewline_IsRead) {
  WriteKeyFile(kHexKey, fs::perms::owner_read);
  EXPECT_EQ(HexEncode(ResolveMasterKey(dir_, kEmptyEnvironment).bytes), kHexKey);
}

TEST_F(MasterKeyFileTest, EnvironmentWins_AndNoFileIsCreated) {
  MasterKey key = ResolveMasterKey(dir_, FakeEnvironment({{"SML_MASTER_KEY", kHexKey}}));
  EXPECT_EQ(HexEncode(key.bytes), kHexKey);
  EXPECT_FALSE(fs::exists(KeyFile()));
}

TEST_F(MasterKeyFileTest, WorldReadableFile_IsRefusedWithChmodAdvice) {
  WriteKeyFile(std::string(kHexKey) + "\n", fs::perms::owner_read | fs::perms::owner_write |
                                                fs::perms::group_read | fs::perms::others_read);
  std::string message = ErrorOf([&] { ResolveMasterKey(dir_, kEmptyEnvironment); });
  EXPECT_NE(message.find("0644"), std::string::npos) << message;
  EXPECT_NE(message.find("chmod 600 " + KeyFile().string()), std::string::npos) << message;
  EXPECT_EQ(message.find(kHexKey), std::string::npos) << message;
}

TEST_F(MasterKeyFileTest, GroupReadableFile_IsRefused) {
  WriteKeyFile(kHexKey, fs::perms::owner_read | fs::perms::group_read);
  EXPECT_NE(ErrorOf([&] { ResolveMasterKey(dir_, kEmptyEnvironment); }).find("0440"),
            std::string::npos);
}

TEST_F(MasterKeyFileTest, MalformedFile_IsRefusedAndLeftAlone) {
  for (const std::string& content :
       {std::string(), std::string(kHexKey).substr(2) + "\n", std::string(kBase64Key) + "\n",
        std::string(kHexKey) + "\n\n", std::string(kHexKey) + "\nmore"}) {
    fs::remove(KeyFile());
    WriteKeyFile(content, fs::perms::owner_read | fs::perms::owner_write);
    std::string message = ErrorOf([&] { ResolveMasterKey(dir_, kEmptyEnvironment); });
    EXPECT_NE(message.find("malformed"), std::string::npos) << message;
    EXPECT_EQ(Read(KeyFile()), content);
  }
}

TEST_F(MasterKeyFileTest, DirectoryInPlaceOfFile_IsRefused) {
  fs::create_directory(KeyFile());
  fs::permissions(KeyFile(), fs::perms::owner_all);
  EXPECT_NE(ErrorOf([&] { ResolveMasterKey(dir_, kEmptyEnvironment); }).find("regular file"),
            std::string::npos);
}

}  // namespace
}  // namespace sml::storage
