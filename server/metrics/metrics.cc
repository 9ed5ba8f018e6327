#include "server/metrics/metrics.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <fstream>

#include "api/service.h"

namespace sml::server::metrics {
namespace {

constexpr std::string_view kAdmin = "admin";
constexpr std::string_view kOther = "other";
constexpr std::array<std::string_view, 2> kTriggers = {"manual", "scheduled"};
constexpr std::array<std::string_view, 2> kOutcomes = {"failed", "succeeded"};

std::string Number(double value) {
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  if (ec != std::errc()) return std::to_string(value);
  return std::string(buffer, end);
}

void Family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

// `labels` is `name="value",...` (already escaped), or empty.
void Sample(std::string& out, std::string_view name, std::string_view labels,
            std::string_view value) {
  out.append(name);
  if (!labels.empty()) out.append("{").append(labels).append("}");
  out.append(" ").append(value).append("\n");
}

template <std::size_t kBuckets>
void HistogramSamples(std::string& out, std::string_view name, std::string_view labels,
                      const Histogram<kBuckets>& histogram,
                      const std::array<double, kBuckets>& bounds) {
  const auto buckets = histogram.Buckets();
  const std::string prefix = labels.empty() ? "" : std::string(labels) + ",";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    cumulative += buckets[i];
    Sample(out, std::string(name) + "_bucket", prefix + "le=\"" + Number(bounds[i]) + "\"",
           std::to_string(cumulative));
  }
  cumulative += buckets[kBuckets];
  Sample(out, std::string(name) + "_bucket", prefix + "le=\"+Inf\"", std::to_string(cumulative));
  Sample(out, std::string(name) + "_sum", labels,
         Number(static_cast<double>(histogram.SumMicros()) / 1e6));
  Sample(out, std::string(name) + "_count", labels, std::to_string(cumulative));
}

std::int64_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  std::int64_t size = 0, resident = 0;
  if (!(statm >> size >> resident)) return 0;
  return resident * sysconf(_SC_PAGESIZE);
}

double NowSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

Metrics::Metrics() : start_time_seconds_(NowSeconds()) {
  for (std::string_view name : api::OperationNames()) operations_.push_back(name);
  operations_.push_back(kAdmin);
  operations_.push_back(kOther);
  if (operations_.size() > kMaxOperations) operations_.resize(kMaxOperations);
}

std::size_t Metrics::OperationSlot(std::string_view operation) const {
  auto api = api::OperationNames();
  auto it = std::lower_bound(api.begin(), api.end(), operation);
  if (it != api.end() && *it == operation) return static_cast<std::size_t>(it - api.begin());
  return operation == kAdmin ? api.size() : api.size() + 1;
}

void Metrics::RecordRequest(std::string_view operation, int status,
                            std::chrono::microseconds latency) {
  const std::size_t slot = std::min(OperationSlot(operation), kMaxOperations - 1);
  const std::size_t status_class = static_cast<std::size_t>(std::clamp(status / 100, 1, 5) - 1);
  requests_[slot][status_class].fetch_add(1, std::memory_order_relaxed);
  durations_[slot].Observe(latency, kRequestBuckets);
}

void Metrics::RecordRotation(std::string_view trigger, bool succeeded) {
  rotations_[trigger == "scheduled" ? 1 : 0][succeeded ? 1 : 0].fetch_add(
      1, std::memory_order_relaxed);
}

void Metrics::RecordRotationStep(std::chrono::microseconds duration) {
  steps_.Observe(duration, kStepBuckets);
}

void Metrics::SetNextSchedulerEvent(std::optional<storage::EpochMillis> due) {
  next_event_ms_.store(due ? *due : -1, std::memory_order_relaxed);
}

std::string Metrics::Render(const std::vector<storage::RegionSecretCount>& secrets,
                            std::size_t pending_access_dates) const {
  std::string out;
  out.reserve(16 * 1024);

  Family(out, "sml_requests_total", "counter",
         "Requests answered, by API operation (admin, other) and HTTP status class.");
  for (std::size_t slot = 0; slot < operations_.size(); ++slot) {
    for (std::size_t c = 0; c < kStatusClasses; ++c) {
      const auto count = requests_[slot][c].load(std::memory_order_relaxed);
      if (count == 0) continue;
      Sample(out, "sml_requests_total",
             "operation=\"" + EscapeLabelValue(operations_[slot]) + "\",status=\"" +
                 std::to_string(c + 1) + "xx\"",
             std::to_string(count));
    }
  }

  Family(out, "sml_request_duration_seconds", "histogram",
         "Time from a complete request to its response, by operation.");
  for (std::size_t slot = 0; slot < operations_.size(); ++slot) {
    const auto buckets = durations_[slot].Buckets();
    if (std::all_of(buckets.begin(), buckets.end(), [](auto n) { return n == 0; })) continue;
    HistogramSamples(out, "sml_request_duration_seconds",
                     "operation=\"" + EscapeLabelValue(operations_[slot]) + "\"", durations_[slot],
                     kRequestBuckets);
  }

  Family(out, "sml_secrets", "gauge",
         "Secrets (including those scheduled for deletion), by account and region.");
  for (const storage::RegionSecretCount& count : secrets) {
    Sample(out, "sml_secrets",
           "account=\"" + EscapeLabelValue(count.account_id) + "\",region=\"" +
               EscapeLabelValue(count.region) + "\"",
           std::to_string(count.secrets));
  }

  Family(out, "sml_access_dates_pending", "gauge",
         "Versions whose LastAccessedDate moved and is not written yet (written within about a "
         "second; after many first reads at once, until the writer has caught up).");
  Sample(out, "sml_access_dates_pending", "", std::to_string(pending_access_dates));

  Family(out, "sml_rotations_total", "counter",
         "Finished rotation attempts, by trigger (manual, scheduled) and outcome.");
  for (std::size_t t = 0; t < kTriggers.size(); ++t) {
    for (std::size_t o = 0; o < kOutcomes.size(); ++o) {
      Sample(out, "sml_rotations_total",
             "trigger=\"" + std::string(kTriggers[t]) + "\",outcome=\"" +
                 std::string(kOutcomes[o]) + "\"",
             std::to_string(rotations_[t][o].load(std::memory_order_relaxed)));
    }
  }

  Family(out, "sml_rotation_step_duration_seconds", "histogram",
         "Duration of one rotation step (createSecret, setSecret, testSecret, finishSecret).");
  HistogramSamples(out, "sml_rotation_step_duration_seconds", "", steps_, kStepBuckets);

  Family(out, "sml_scheduler_next_event_timestamp_seconds", "gauge",
         "When the next scheduled rotation or deletion is due (emulator clock, Unix seconds).");
  if (auto due = next_event_ms_.load(std::memory_order_relaxed); due >= 0) {
    Sample(out, "sml_scheduler_next_event_timestamp_seconds", "",
           Number(static_cast<double>(due) / 1000.0));
  }

  Family(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
  Sample(out, "process_resident_memory_bytes", "", std::to_string(ResidentBytes()));
  Family(out, "process_start_time_seconds", "gauge",
         "Start time of the process since unix epoch in seconds.");
  Sample(out, "process_start_time_seconds", "", Number(start_time_seconds_));
  return out;
}

Metrics& ProcessMetrics() {
  static Metrics metrics;
  return metrics;
}

}  // namespace sml::server::metrics
