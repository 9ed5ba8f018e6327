#include "server/data_dir.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace sml::server {
namespace {

class DataDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/sml-data-dir-test-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    root_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::filesystem::path root_;
};

TEST_F(DataDirTest, MissingDirectory_IsCreatedAndHeld) {
  const auto dir = root_ / "a" / "b";
  auto prepared = PrepareDataDir(dir);
  ASSERT_TRUE(std::holds_alternative<DataDirLock>(prepared)) << std::get<std::string>(prepared);
  EXPECT_TRUE(std::filesystem::is_directory(dir));
  std::ifstream pid_file(dir / "server.lock");
  std::string pid;
  pid_file >> pid;
  EXPECT_EQ(pid, std::to_string(::getpid()));
}

TEST_F(DataDirTest, DirectoryHeldByAnother_IsRefusedWithItsPid_UntilReleased) {
  {
    auto first = PrepareDataDir(root_);
    ASSERT_TRUE(std::holds_alternative<DataDirLock>(first));
    auto second = PrepareDataDir(root_);  // flock: another open file is another holder
    ASSERT_TRUE(std::holds_alternative<std::string>(second));
    EXPECT_EQ(std::get<std::string>(second),
              "data directory " + root_.string() + " is in use by another server (pid " +
                  std::to_string(::getpid()) + "); stop it, or give this one another --data-dir");
  }
  EXPECT_TRUE(std::holds_alternative<DataDirLock>(PrepareDataDir(root_)));
}

TEST_F(DataDirTest, AFileInsteadOfADirectory_IsRefused) {
  std::ofstream(root_ / "file") << "x";
  auto prepared = PrepareDataDir(root_ / "file");
  ASSERT_TRUE(std::holds_alternative<std::string>(prepared));
  EXPECT_NE(std::get<std::string>(prepared).find("file"), std::string::npos);
}

}  // namespace
}  // namespace sml::server
