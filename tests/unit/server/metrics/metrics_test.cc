#include "server/metrics/metrics.h"

#include <gtest/gtest.h>

#include <regex>
#include <thread>

namespace sml::server::metrics {
namespace {

using std::chrono::microseconds;

bool Has(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.starts_with(line + "\n");
}

TEST(Metrics, RequestsCountByOperationAndStatusClass_UnknownAsOther) {
  Metrics metrics;
  metrics.RecordRequest("GetSecretValue", 200, microseconds(50));
  metrics.RecordRequest("GetSecretValue", 200, microseconds(70));
  metrics.RecordRequest("GetSecretValue", 400, microseconds(30));
  metrics.RecordRequest("admin", 403, microseconds(10));
  metrics.RecordRequest("NoSuchOperation", 404, microseconds(10));
  metrics.RecordRequest("", 500, microseconds(10));
  const std::string text = metrics.Render({});
  EXPECT_TRUE(Has(text, R"(sml_requests_total{operation="GetSecretValue",status="2xx"} 2)"))
      << text;
  EXPECT_TRUE(Has(text, R"(sml_requests_total{operation="GetSecretValue",status="4xx"} 1)"));
  EXPECT_TRUE(Has(text, R"(sml_requests_total{operation="admin",status="4xx"} 1)"));
  EXPECT_TRUE(Has(text, R"(sml_requests_total{operation="other",status="4xx"} 1)"));
  EXPECT_TRUE(Has(text, R"(sml_requests_total{operation="other",status="5xx"} 1)"));
  EXPECT_EQ(text.find("operation=\"CreateSecret\""), std::string::npos);  // nothing recorded
}

TEST(Metrics, DurationHistogramIsCumulativeWithSumAndCount) {
  Metrics metrics;
  metrics.RecordRequest("ListSecrets", 200, microseconds(50));         // <= 0.0001
  metrics.RecordRequest("ListSecrets", 200, microseconds(300));        // <= 0.0005
  metrics.RecordRequest("ListSecrets", 200, microseconds(7'000'000));  // +Inf only
  const std::string text = metrics.Render({});
  const std::string base = R"(sml_request_duration_seconds_bucket{operation="ListSecrets",le=")";
  EXPECT_TRUE(Has(text, base + R"(0.0001"} 1)")) << text;
  EXPECT_TRUE(Has(text, base + R"(0.00025"} 1)"));
  EXPECT_TRUE(Has(text, base + R"(0.0005"} 2)"));
  EXPECT_TRUE(Has(text, base + R"(5"} 2)"));
  EXPECT_TRUE(Has(text, base + R"(+Inf"} 3)"));
  EXPECT_TRUE(Has(text, R"(sml_request_duration_seconds_count{operation="ListSecrets"} 3)"));
  EXPECT_TRUE(Has(text, R"(sml_request_duration_seconds_sum{operation="ListSecrets"} 7.00035)"));
}

TEST(Metrics, SecretsRotationsSchedulerAndProcess) {
  Metrics metrics;
  metrics.RecordRotation("manual", true);
  metrics.RecordRotation("scheduled", false);
  metrics.RecordRotation("scheduled", false);
  metrics.RecordRotationStep(microseconds(20'000));
  const std::string idle = metrics.Render({});
  EXPECT_EQ(idle.find("\nsml_scheduler_next_event_timestamp_seconds "), std::string::npos);
  metrics.SetNextSchedulerEvent(1'767'225'600'500);
  const std::string text =
      metrics.Render({{"000000000000", "us-east-1", 3}, {"111122223333", "eu-west-1", 1}});
  EXPECT_TRUE(Has(text, R"(sml_secrets{account="000000000000",region="us-east-1"} 3)")) << text;
  EXPECT_TRUE(Has(text, R"(sml_secrets{account="111122223333",region="eu-west-1"} 1)"));
  EXPECT_TRUE(Has(text, R"(sml_rotations_total{trigger="manual",outcome="succeeded"} 1)"));
  EXPECT_TRUE(Has(text, R"(sml_rotations_total{trigger="scheduled",outcome="failed"} 2)"));
  EXPECT_TRUE(Has(text, R"(sml_rotations_total{trigger="manual",outcome="failed"} 0)"));
  EXPECT_TRUE(Has(text, R"(sml_rotation_step_duration_seconds_bucket{le="0.025"} 1)"));
  EXPECT_TRUE(Has(text, R"(sml_rotation_step_duration_seconds_count 1)"));
  EXPECT_TRUE(Has(text, "sml_scheduler_next_event_timestamp_seconds 1767225600.5"));
  std::smatch match;
  ASSERT_TRUE(
      std::regex_search(text, match, std::regex("\nprocess_resident_memory_bytes (\\d+)\n")));
  EXPECT_GT(std::stoll(match[1]), 1'000'000);
  ASSERT_TRUE(
      std::regex_search(text, match, std::regex("\nprocess_start_time_seconds ([0-9.]+)\n")));
  EXPECT_GT(std::stod(match[1]), 1.7e9);
}

TEST(Metrics, EveryFamilyHasHelpAndTypeOnce) {
  const std::string text = Metrics().Render({});
  for (std::string family :
       {"sml_requests_total counter", "sml_request_duration_seconds histogram", "sml_secrets gauge",
        "sml_rotations_total counter", "sml_rotation_step_duration_seconds histogram",
        "sml_scheduler_next_event_timestamp_seconds gauge", "process_resident_memory_bytes gauge",
        "process_start_time_seconds gauge"}) {
    const std::string type = "# TYPE " + family + "\n";
    auto at = text.find(type);
    ASSERT_NE(at, std::string::npos) << family;
    EXPECT_EQ(text.find(type, at + 1), std::string::npos) << family;
    EXPECT_NE(text.find("# HELP " + family.substr(0, family.find(' ')) + " "), std::string::npos);
  }
}

TEST(Metrics, ConcurrentRecordingLosesNothing) {
  Metrics metrics;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10'000; ++i)
        metrics.RecordRequest("DescribeSecret", 200, microseconds(1));
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_TRUE(Has(metrics.Render({}),
                  R"(sml_requests_total{operation="DescribeSecret",status="2xx"} 40000)"));
}

TEST(Metrics, PendingAccessDates_AreAGauge) {
  const std::string text = Metrics().Render({}, 7);
  EXPECT_TRUE(Has(text, "# TYPE sml_access_dates_pending gauge"));
  EXPECT_TRUE(Has(text, "sml_access_dates_pending 7"));
}

TEST(EscapeLabelValue, EscapesBackslashQuoteAndNewline) {
  EXPECT_EQ(EscapeLabelValue("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
}

}  // namespace
}  // namespace sml::server::metrics
