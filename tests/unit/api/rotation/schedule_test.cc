#include "api/rotation/schedule.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "api/error.h"
#include "api/random.h"

namespace sml::api::rotation {
namespace {

RotationRules AfterDays(std::int64_t days, std::optional<std::string> duration = std::nullopt) {
  return {.automatically_after_days = days,
          .schedule_expression = std::nullopt,
          .duration = std::move(duration)};
}

RotationRules Expression(std::string expression,
                         std::optional<std::string> duration = std::nullopt) {
  return {.automatically_after_days = std::nullopt,
          .schedule_expression = std::move(expression),
          .duration = std::move(duration)};
}

NextRotationWindow Window(EpochMillis start, EpochMillis end) { return {start, end}; }

ApiError Rejection(const RotationRules& rules) {
  try {
    ParseRotationRules(rules);
  } catch (const ApiError& e) {
    return e;
  }
  ADD_FAILURE() << "rules were accepted: " << rules.schedule_expression.value_or("(none)") << " "
                << rules.duration.value_or("(no duration)");
  return ApiError(ErrorCode::kInternalServiceError, "");
}

bool MessageHas(const ApiError& error, const char* text) {
  return std::string(error.what()).find(text) != std::string::npos;
}

// --- which rules are accepted -------------------------------------------

TEST(ParseRotationRules, BothAfterDaysAndExpression_IsAwsInvalidParameter) {
  RotationRules rules = Expression("rate(10 days)");
  rules.automatically_after_days = 10;
  const ApiError error = Rejection(rules);
  EXPECT_EQ(error.code(), ErrorCode::kInvalidParameter);
  EXPECT_STREQ(error.what(),
               "You cannot specify both rotation frequency and schedule expression together.");
}

TEST(ParseRotationRules, NeitherAfterDaysNorExpression_IsInvalidParameter) {
  EXPECT_EQ(Rejection({}).code(), ErrorCode::kInvalidParameter);
  RotationRules only_duration;
  only_duration.duration = "2h";
  EXPECT_EQ(Rejection(only_duration).code(), ErrorCode::kInvalidParameter);
}

TEST(ParseRotationRules, AfterDaysOutOfRange_IsRejected) {
  EXPECT_EQ(Rejection(AfterDays(0)).code(), ErrorCode::kInvalidParameter);
  EXPECT_EQ(Rejection(AfterDays(1001)).code(), ErrorCode::kInvalidParameter);
  EXPECT_NO_THROW(ParseRotationRules(AfterDays(1)));
  EXPECT_NO_THROW(ParseRotationRules(AfterDays(1000)));
}

TEST(ParseRotationRules, RulesAreKeptExactlyAsGiven) {
  const RotationRules rules = Expression("cron(0 16 1,15 * ? *)", "3h");
  EXPECT_EQ(ParseRotationRules(rules).rules(), rules);
  EXPECT_EQ(ParseRotationRules(AfterDays(30)).rules(), AfterDays(30));
}

TEST(ParseRotationRules, RateLimits) {
  EXPECT_NO_THROW(ParseRotationRules(Expression("rate(4 hours)")));
  EXPECT_NO_THROW(ParseRotationRules(Expression("rate(23 hours)")));
  EXPECT_NO_THROW(ParseRotationRules(Expression("rate(1 day)")));
  EXPECT_NO_THROW(ParseRotationRules(Expression("rate(999 days)")));
  EXPECT_TRUE(MessageHas(Rejection(Expression("rate(3 hours)")), "four hours"));
  EXPECT_TRUE(MessageHas(Rejection(Expression("rate(1 hour)")), "four hours"));
  EXPECT_TRUE(MessageHas(Rejection(Expression("rate(24 hours)")), "rate(N days)"));
  EXPECT_TRUE(MessageHas(Rejection(Expression("rate(1000 days)")), "999 days"));
  EXPECT_TRUE(MessageHas(Rejection(Expression("rate(0 days)")), "positive"));
  EXPECT_EQ(Rejection(Expression("rate(9999999999999 days)")).code(), ErrorCode::kInvalidParameter);
}

TEST(ParseRotationRules, RateUnitMustAgreeWithValue) {
  EXPECT_TRUE(MessageHas(Rejection(Expression("rate(1 days)")), "singular"));
  EXPECT_TRUE(MessageHas(Rejection(Expression("rate(2 day)")), "singular"));
  EXPECT_TRUE(MessageHas(Rejection(Expression("rate(5 hour)")), "singular"));
}

TEST(ParseRotationRules, MalformedExpressions_AreInvalidParameter) {
  for (const char* expression :
       {"rate(10 weeks)", "rate(days)", "rate(10days)", "rate(10  days)", "rate(-1 days)",
        "rate(10 days", "rate 10 days", "every 10 days", "RATE(10 days)", "rate(10 Days)", "rate()",
        "cron(0 10 * * ? *", "cron()", "cron(5 10 * * ? *)", "cron(0 10 * * ? 2030)",
        "cron(0 10 * * * *)", "at(2024-01-01T00:00:00)", "rate(1.5 days)"}) {
    EXPECT_EQ(Rejection(Expression(expression)).code(), ErrorCode::kInvalidParameter) << expression;
  }
}

TEST(ParseRotationRules, DurationMustBeOneToTwentyFourHours) {
  EXPECT_NO_THROW(ParseRotationRules(Expression("rate(1 day)", "4h")));
  EXPECT_NO_THROW(ParseRotationRules(Expression("rate(1 day)", "24h")));
  EXPECT_NO_THROW(ParseRotationRules(Expression("rate(1 day)", "1h")));
  EXPECT_NO_THROW(ParseRotationRules(AfterDays(7, "24h")));
  for (const char* duration : {"0h", "25h", "99h", "4", "h", "4m", "100h", "-1h", "4H", ""}) {
    const ApiError error = Rejection(Expression("rate(1 day)", duration));
    EXPECT_EQ(error.code(), ErrorCode::kInvalidParameter) << duration;
    EXPECT_TRUE(MessageHas(error, "1h to 24h")) << duration;
  }
}

TEST(ParseRotationRules, WindowCrossingUtcMidnight_IsRejected) {
  const ApiError error = Rejection(Expression("cron(0 22 * * ? *)", "4h"));
  EXPECT_EQ(error.code(), ErrorCode::kInvalidParameter);
  EXPECT_TRUE(MessageHas(error, "next UTC day"));
  EXPECT_NO_THROW(ParseRotationRules(Expression("cron(0 22 * * ? *)", "2h")));
  // rate(5 hours) opens at 20:00 too: a 5h window would end at 01:00.
  EXPECT_TRUE(MessageHas(Rejection(Expression("rate(5 hours)", "5h")), "next UTC day"));
  EXPECT_NO_THROW(ParseRotationRules(Expression("rate(5 hours)", "4h")));
}

TEST(ParseRotationRules, WindowLongerThanGapToNextWindow_IsRejected) {
  EXPECT_TRUE(MessageHas(Rejection(Expression("rate(4 hours)", "5h")), "next rotation window"));
  EXPECT_NO_THROW(ParseRotationRules(Expression("rate(4 hours)", "4h")));
  EXPECT_NO_THROW(ParseRotationRules(Expression("rate(6 hours)", "6h")));
  EXPECT_TRUE(
      MessageHas(Rejection(Expression("cron(0 0/4 * * ? *)", "5h")), "next rotation window"));
  EXPECT_TRUE(
      MessageHas(Rejection(Expression("cron(0 1,3 * * ? *)", "3h")), "next rotation window"));
  EXPECT_NO_THROW(ParseRotationRules(Expression("cron(0 1,3 * * ? *)", "2h")));
}

TEST(RotationSchedule, KindHourlyAndIntervalDays) {
  const auto after = ParseRotationRules(AfterDays(30));
  EXPECT_EQ(after.kind(), RotationSchedule::Kind::kAutomaticallyAfterDays);
  EXPECT_FALSE(after.IsHourly());
  EXPECT_EQ(after.IntervalDays(), 30);

  const auto days = ParseRotationRules(Expression("rate(10 days)", "3h"));
  EXPECT_EQ(days.kind(), RotationSchedule::Kind::kRateDays);
  EXPECT_EQ(days.IntervalDays(), 10);
  EXPECT_EQ(days.WindowHours(), 3);

  const auto hours = ParseRotationRules(Expression("rate(12 hours)"));
  EXPECT_EQ(hours.kind(), RotationSchedule::Kind::kRateHours);
  EXPECT_TRUE(hours.IsHourly());
  EXPECT_EQ(hours.IntervalDays(), std::nullopt);
  EXPECT_EQ(hours.WindowHours(), std::nullopt);

  EXPECT_FALSE(ParseRotationRules(Expression("cron(0 10 * * ? *)")).IsHourly());
  EXPECT_TRUE(ParseRotationRules(Expression("cron(0 4/12 * * ? *)")).IsHourly());
}

// --- windows --------------------------------------------------------------

TEST(WindowAfter, AfterDays_WholeUtcDayLastRotationPlusN) {
  const auto schedule = ParseRotationRules(AfterDays(30));
  // 2024-01-31 + 30 days is 2024-03-01 (February 2024 has 29 days).
  EXPECT_EQ(schedule.WindowAfter(UtcMillis(2024, 1, 31, 23, 59)),
            Window(UtcMillis(2024, 3, 1), UtcMillis(2024, 3, 2)));
  EXPECT_EQ(schedule.WindowAfter(UtcMillis(2023, 1, 31, 0, 0)),
            Window(UtcMillis(2023, 3, 2), UtcMillis(2023, 3, 3)));
}

TEST(WindowAfter, AfterOneDay_AcrossLeapDayMonthAndYearEnd) {
  const auto schedule = ParseRotationRules(AfterDays(1));
  EXPECT_EQ(schedule.WindowAfter(UtcMillis(2028, 2, 28, 13, 45)),
            Window(UtcMillis(2028, 2, 29), UtcMillis(2028, 3, 1)));
  EXPECT_EQ(schedule.WindowAfter(UtcMillis(2027, 2, 28, 13, 45)),
            Window(UtcMillis(2027, 3, 1), UtcMillis(2027, 3, 2)));
  EXPECT_EQ(schedule.WindowAfter(UtcMillis(2024, 4, 30, 8)),
            Window(UtcMillis(2024, 5, 1), UtcMillis(2024, 5, 2)));
  EXPECT_EQ(schedule.WindowAfter(UtcMillis(2023, 12, 31, 23, 59, 59)),
            Window(UtcMillis(2024, 1, 1), UtcMillis(2024, 1, 2)));
}

TEST(WindowAfter, AfterDays_WithDurationClosesEarly) {
  const auto schedule = ParseRotationRules(AfterDays(7, "2h"));
  EXPECT_EQ(schedule.WindowAfter(UtcMillis(2024, 1, 1, 12)),
            Window(UtcMillis(2024, 1, 8), UtcMillis(2024, 1, 8, 2)));
}

TEST(WindowAfter, RateDays_OpensAtMidnightOfDueDay) {
  const auto schedule = ParseRotationRules(Expression("rate(10 days)", "4h"));
  EXPECT_EQ(schedule.WindowAfter(UtcMillis(2024, 2, 25, 3, 30)),
            Window(UtcMillis(2024, 3, 6), UtcMillis(2024, 3, 6, 4)));
  const auto daily = ParseRotationRules(Expression("rate(1 day)"));
  EXPECT_EQ(daily.WindowAfter(UtcMillis(2024, 2, 28, 0, 10)),
            Window(UtcMillis(2024, 2, 29), UtcMillis(2024, 3, 1)));
}

TEST(WindowAfter, RateHours_NextSlotKeepsCadence) {
  const auto schedule = ParseRotationRules(Expression("rate(4 hours)"));
  // Rotated late in the 04:00 window: next in the 08:00 window, one hour.
  EXPECT_EQ(schedule.WindowAfter(UtcMillis(2024, 1, 1, 4, 50)),
            Window(UtcMillis(2024, 1, 1, 8), UtcMillis(2024, 1, 1, 9)));
  // Rotated at 10:20 (outside a window): due 14:20, in the 12:00 slot.
  EXPECT_EQ(schedule.WindowAfter(UtcMillis(2024, 1, 1, 10, 20)),
            Window(UtcMillis(2024, 1, 1, 12), UtcMillis(2024, 1, 1, 13)));
  // Across midnight and a month end.
  EXPECT_EQ(schedule.WindowAfter(UtcMillis(2024, 1, 31, 20, 5)),
            Window(UtcMillis(2024, 2, 1), UtcMillis(2024, 2, 1, 1)));
}

TEST(WindowAfter, RateHours_IncrementsRestartAtMidnight) {
  const auto schedule = ParseRotationRules(Expression("rate(5 hours)", "2h"));
  // Windows open 00, 05, 10, 15, 20. Due 22:30 falls in the 20:00 slot.
  EXPECT_EQ(schedule.WindowAfter(UtcMillis(2024, 1, 1, 17, 30)),
            Window(UtcMillis(2024, 1, 1, 20), UtcMillis(2024, 1, 1, 22)));
  // Due 01:10 the next day falls in the 00:00 slot.
  EXPECT_EQ(schedule.WindowAfter(UtcMillis(2024, 1, 1, 20, 10)),
            Window(UtcMillis(2024, 1, 2), UtcMillis(2024, 1, 2, 2)));
}

TEST(WindowAfter, RateHours_AlwaysAfterLastRotation) {
  const auto schedule = ParseRotationRules(Expression("rate(7 hours)"));
  for (EpochMillis t = UtcMillis(2024, 1, 1); t < UtcMillis(2024, 1, 3); t += 7 * 60 * 1000) {
    const NextRotationWindow window = schedule.WindowAfter(t);
    EXPECT_GT(window.start, t);
    EXPECT_LE(window.start, t + 7 * kMillisPerHour);
    EXPECT_EQ(window.end - window.start, kMillisPerHour);
  }
}

TEST(WindowAfter, DailyCron_NextFireStrictlyAfterToEndOfDay) {
  const auto schedule = ParseRotationRules(Expression("cron(0 10 * * ? *)"));
  EXPECT_EQ(schedule.WindowAfter(UtcMillis(2024, 1, 1, 10, 20)),
            Window(UtcMillis(2024, 1, 2, 10), UtcMillis(2024, 1, 3)));
  EXPECT_EQ(schedule.WindowAfter(UtcMillis(2024, 1, 1, 9)),
            Window(UtcMillis(2024, 1, 1, 10), UtcMillis(2024, 1, 2)));
  EXPECT_EQ(schedule.WindowAfter(UtcMillis(2024, 1, 1, 10)),
            Window(UtcMillis(2024, 1, 2, 10), UtcMillis(2024, 1, 3)));
}

TEST(WindowAfter, DailyCron_WithDuration) {
  const auto schedule = ParseRotationRules(Expression("cron(0 16 L * ? *)", "3h"));
  EXPECT_EQ(schedule.WindowAfter(UtcMillis(2024, 2, 1)),
            Window(UtcMillis(2024, 2, 29, 16), UtcMillis(2024, 2, 29, 19)));
}

TEST(WindowAfter, HourlyCron_DefaultOneHour) {
  const auto schedule = ParseRotationRules(Expression("cron(0 4/12 * * ? *)"));
  EXPECT_EQ(schedule.WindowAfter(UtcMillis(2024, 1, 1, 4, 30)),
            Window(UtcMillis(2024, 1, 1, 16), UtcMillis(2024, 1, 1, 17)));
  EXPECT_EQ(schedule.WindowAfter(UtcMillis(2024, 1, 1, 16, 59)),
            Window(UtcMillis(2024, 1, 2, 4), UtcMillis(2024, 1, 2, 5)));
}

// --- picking the moment -----------------------------------------------------

TEST(PickMomentInWindow, StaysInsideWindowForManyDraws) {
  SeededRandom random(7);
  const std::vector<NextRotationWindow> windows = {
      Window(UtcMillis(2024, 1, 1), UtcMillis(2024, 1, 2)),
      Window(UtcMillis(2024, 1, 1, 16), UtcMillis(2024, 1, 1, 17)),
      Window(UtcMillis(2024, 1, 1, 10), UtcMillis(2024, 1, 1, 13)),
      Window(UtcMillis(2024, 1, 1, 10), UtcMillis(2024, 1, 1, 11, 30)),  // ragged last hour
      Window(UtcMillis(2024, 1, 1, 10), UtcMillis(2024, 1, 1, 10, 0, 1)),
  };
  for (const NextRotationWindow& window : windows) {
    for (int i = 0; i < 10'000; ++i) {
      const EpochMillis moment = PickMomentInWindow(window, random);
      ASSERT_GE(moment, window.start);
      ASSERT_LT(moment, window.end);
    }
  }
}

TEST(PickMomentInWindow, ReproducibleForASeed) {
  const NextRotationWindow window = Window(UtcMillis(2024, 3, 1), UtcMillis(2024, 3, 2));
  SeededRandom first(42);
  SeededRandom second(42);
  SeededRandom other(43);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const EpochMillis a = PickMomentInWindow(window, first);
    EXPECT_EQ(a, PickMomentInWindow(window, second));
    differs = differs || a != PickMomentInWindow(window, other);
  }
  EXPECT_TRUE(differs);
}

TEST(PickMomentInWindow, RandomHourMinuteNearTopOfHour) {
  const NextRotationWindow window = Window(UtcMillis(2024, 3, 1), UtcMillis(2024, 3, 2));
  SeededRandom random(1);
  std::set<EpochMillis> hours;
  int early = 0;
  constexpr int kDraws = 10'000;
  for (int i = 0; i < kDraws; ++i) {
    const EpochMillis offset = PickMomentInWindow(window, random) - window.start;
    hours.insert(offset / kMillisPerHour);
    if ((offset % kMillisPerHour) / kMillisPerMinute < 30) ++early;
  }
  EXPECT_EQ(hours.size(), 24u);  // every hour of the window gets picked
  // P(minute < 30) = 0.5^(1/3) ~ 0.79 with the cubic bias; uniform would be 0.5.
  EXPECT_GT(early, kDraws * 7 / 10);
  EXPECT_LT(early, kDraws * 9 / 10);
}

TEST(PickMomentInWindow, EmptyWindowYieldsStart) {
  SeededRandom random(3);
  const EpochMillis start = UtcMillis(2024, 1, 1);
  EXPECT_EQ(PickMomentInWindow(Window(start, start), random), start);
}

}  // namespace
}  // namespace sml::api::rotation
