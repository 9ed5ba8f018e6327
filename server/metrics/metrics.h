#pragma once
// The process's Prometheus metrics, served at GET /_local/metrics in the
// text exposition format 0.0.4:
//   sml_requests_total{operation,status}         counter (status: "2xx".."5xx")
//   sml_request_duration_seconds{operation}      histogram
//   sml_secrets{account,region}                  gauge (running counts from storage)
//   sml_rotations_total{trigger,outcome}         counter
//   sml_rotation_step_duration_seconds           histogram
//   sml_scheduler_next_event_timestamp_seconds   gauge (emulator time; absent when idle)
//   process_resident_memory_bytes, process_start_time_seconds
//
// Recording costs the request path one relaxed atomic add per counter: the
// series live in fixed arrays indexed by operation (api::OperationNames(),
// plus "admin" and "other") and status class, histogram buckets are
// preallocated, and nothing takes a lock. Render reads them while they move,
// so one scrape may see a request in a bucket before its count; each series
// is consistent with itself (counts come from the buckets).
//
// Thread-safe.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/records.h"

namespace sml::server::metrics {

// A histogram with fixed bucket bounds (seconds) and a sum in microseconds.
template <std::size_t kBuckets>
class Histogram {
 public:
  void Observe(std::chrono::microseconds duration, const std::array<double, kBuckets>& bounds) {
    const double seconds = static_cast<double>(duration.count()) / 1e6;
    std::size_t i = 0;
    while (i < kBuckets && seconds > bounds[i]) ++i;
    buckets_[i].fetch_add(1, std::memory_order_relaxed);  // [kBuckets] is +Inf
    sum_us_.fetch_add(static_cast<std::uint64_t>(duration.count()), std::memory_order_relaxed);
  }
  // Per-bucket (not cumulative) counts, the last one above every bound.
  std::array<std::uint64_t, kBuckets + 1> Buckets() const {
    std::array<std::uint64_t, kBuckets + 1> out{};
    for (std::size_t i = 0; i <= kBuckets; ++i)
      out[i] = buckets_[i].load(std::memory_order_relaxed);
    return out;
  }
  std::uint64_t SumMicros() const { return sum_us_.load(std::memory_order_relaxed); }

 private:
  std::array<std::atomic<std::uint64_t>, kBuckets + 1> buckets_{};
  std::atomic<std::uint64_t> sum_us_{0};
};

inline constexpr std::array<double, 14> kRequestBuckets = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5};
inline constexpr std::array<double, 12> kStepBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                        0.5,   1,    2.5,   5,    10,  60};

class Metrics {
 public:
  Metrics();

  // The request path. `operation` is an API operation name, "admin", or
  // anything else (counted as "other"); `status` an HTTP status.
  void RecordRequest(std::string_view operation, int status, std::chrono::microseconds latency);
  // A finished rotation attempt and its steps.
  void RecordRotation(std::string_view trigger, bool succeeded);
  void RecordRotationStep(std::chrono::microseconds duration);
  // The earliest due rotation or deletion the scheduler waits for.
  void SetNextSchedulerEvent(std::optional<storage::EpochMillis> due);

  // The exposition text: every metric above, `secrets` as sml_secrets,
  // `pending_access_dates` as sml_access_dates_pending.
  std::string Render(const std::vector<storage::RegionSecretCount>& secrets,
                     std::size_t pending_access_dates = 0) const;

 private:
  static constexpr std::size_t kMaxOperations = 40;  // API operations + admin + other
  static constexpr std::size_t kStatusClasses = 5;   // 1xx..5xx
  std::size_t OperationSlot(std::string_view operation) const;

  std::vector<std::string_view> operations_;  // slot -> label; fixed after construction
  std::array<std::array<std::atomic<std::uint64_t>, kStatusClasses>, kMaxOperations> requests_{};
  std::array<Histogram<kRequestBuckets.size()>, kMaxOperations> durations_{};
  std::array<std::array<std::atomic<std::uint64_t>, 2>, 2> rotations_{};  // [trigger][succeeded]
  Histogram<kStepBuckets.size()> steps_;
  std::atomic<std::int64_t> next_event_ms_{-1};  // -1: nothing scheduled
  const double start_time_seconds_;
};

// The metrics this process records into and serves.
Metrics& ProcessMetrics();

// Label value escaping of the exposition format: \ " and newline.
std::string EscapeLabelValue(std::string_view value);

}  // namespace sml::server::metrics
