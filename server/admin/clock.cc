// GET/POST /_local/clock: the emulator's now, and time travel forward.
#include "api/error.h"
#include "api/rotation/cron.h"
#include "api/rotation/duration.h"
#include "server/admin/clock_setting.h"
#include "server/admin/endpoints.h"
#include "server/admin/iso_time.h"
#include "server/rotation/scheduler.h"

namespace sml::server::admin {
namespace {

nlohmann::json ClockJson(api::EpochMillis now) {
  return {{"now", FormatIsoUtc(now)}, {"epochMillis", now}};
}

[[noreturn]] void BadClockRequest(const std::string& why) {
  throw api::ApiError(api::ErrorCode::kValidation, why);
}

// The latest time a 'set' can name (four-digit years): no move goes past it,
// so an 'advance' of any length cannot overflow the clock.
api::EpochMillis LatestClock() { return api::rotation::UtcMillis(9999, 12, 31, 23, 59, 59) + 999; }

}  // namespace

AdminReply GetClock(const AdminRequest&, AdminServices& services) {
  return AdminReply::Json(ClockJson(services.api.clock.Now()));
}

AdminReply MoveClock(const AdminRequest& request, AdminServices& services) {
  auto body = nlohmann::json::parse(request.http.body(), nullptr, false);
  if (!body.is_object() || body.size() != 1 || !(body.contains("advance") || body.contains("set"))) {
    BadClockRequest(R"(Send {"advance":"30d"} (units s, m, h, d) or {"set":"2027-01-01T00:00:00Z"}.)");
  }
  auto* clock = services.emulator_clock;
  if (clock == nullptr) BadClockRequest("This server's clock cannot be moved.");
  const auto before = clock->Now();
  api::EpochMillis target = before;
  if (auto advance = body.find("advance"); advance != body.end()) {
    auto delta = advance->is_string() ? api::rotation::ParseDurationMillis(advance->get<std::string>())
                                      : std::nullopt;
    if (!delta) BadClockRequest("'advance' must be a duration such as \"90s\", \"15m\", \"12h\" or \"30d\".");
    if (*delta > LatestClock() - before) {
      BadClockRequest("The clock cannot move past " + FormatIsoUtc(LatestClock()) + "; it is " +
                      FormatIsoUtc(before) + ".");
    }
    target = before + *delta;
  } else {
    const auto& set = body.at("set");
    auto when = set.is_string() ? ParseIsoUtc(set.get<std::string>()) : std::nullopt;
    if (!when) BadClockRequest("'set' must be a UTC timestamp such as \"2027-01-01T00:00:00Z\".");
    if (*when < before) {
      BadClockRequest("The clock only moves forward; it is already " + FormatIsoUtc(before) + ".");
    }
    target = *when;
  }
  // The emulator's time survives a restart, or every schedule would jump back.
  auto move_clock = [&](api::EpochMillis when) {
    if (when <= clock->Now()) return;
    clock->AdvanceTo(when);
    SaveClockOffset(*clock, services.api.store);
  };
  // Everything that comes due on the way runs at its own moment, in due
  // order, before we answer.
  if (services.scheduler) {
    services.scheduler->AdvanceClockTo(target, move_clock);
  } else {
    move_clock(target);
  }
  auto reply = ClockJson(clock->Now());
  reply["advancedMillis"] = target - before;
  return AdminReply::Json(reply);
}

}  // namespace sml::server::admin
