// Request lines go through a writer thread: every line arrives whole, each
// thread's lines in the order it logged them, and FlushRequestLog returns
// only once they are all on stderr.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "server/log.h"

namespace sml::server {
namespace {

// Points stderr (fd 2) at a temporary file while alive.
class StderrToFile {
 public:
  StderrToFile() {
    // One file per test: ctest runs the tests of this file in parallel.
    path_ = ::testing::TempDir() + "request_log_test." +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".txt";
    FlushRequestLog();  // lines of earlier tests go where they were going
    std::fflush(stderr);
    saved_ = ::dup(STDERR_FILENO);
    std::FILE* file = std::fopen(path_.c_str(), "w");
    ::dup2(::fileno(file), STDERR_FILENO);
    std::fclose(file);
  }
  ~StderrToFile() {
    ::dup2(saved_, STDERR_FILENO);
    ::close(saved_);
  }
  std::string Text() const {
    std::ifstream in(path_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

 private:
  std::string path_;
  int saved_ = -1;
};

TEST(RequestLogTest, LinesFromManyThreadsArriveWholeAndInOrderByFlush) {
  constexpr int kThreads = 4, kLines = 5000;
  std::string text;
  {
    StderrToFile capture;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([t] {
        for (int i = 0; i < kLines; ++i) {
          const std::string id = "t" + std::to_string(t) + "-" + std::to_string(i);
          LogRequest({.method = "GET", .path = "/x", .status = 200, .request_id = id});
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    FlushRequestLog();
    text = capture.Text();
  }
  std::map<int, int> next;  // thread -> the line number it logs next
  std::istringstream lines(text);
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    const auto at = line.find(" request_id=t");
    ASSERT_NE(at, std::string::npos) << line;
    ASSERT_NE(line.find(" info request method=GET path=/x op=- status=200 "), std::string::npos)
        << line;
    int thread = 0, number = 0;
    ASSERT_EQ(std::sscanf(line.c_str() + at, " request_id=t%d-%d", &thread, &number), 2) << line;
    EXPECT_EQ(number, next[thread]++) << line;
    ++count;
  }
  EXPECT_EQ(count, kThreads * kLines);
}

// A path is whatever the client sent: it must not split a text line's
// fields, nor break out of a JSON string.
TEST(RequestLogTest, BytesThatWouldBreakTheLine_AreReplacedOrEscaped) {
  const std::string path = std::string(
      "/a b\tc\"d\\e\x01\xc3\xa9"
      "f/plain-tail",
      25);
  std::string text, json;
  {
    StderrToFile capture;
    LogRequest({.method = "GET", .path = path, .status = 404, .request_id = "r1"});
    FlushRequestLog();
    text = capture.Text();
  }
  {
    StderrToFile capture;
    SetLogFormat(LogFormat::kJson);
    LogRequest({.method = "GET", .path = path, .status = 404, .request_id = "r2"});
    FlushRequestLog();
    SetLogFormat(LogFormat::kText);
    json = capture.Text();
  }
  EXPECT_NE(text.find(" path=/a?b?c\"d\\e???f/plain-tail op=- "), std::string::npos) << text;
  EXPECT_NE(json.find(R"("path":"/a b\u0009c\"d\\e\u0001\u00c3\u00a9f/plain-tail",)"),
            std::string::npos)
      << json;
}

}  // namespace
}  // namespace sml::server
