#include "api/rotation/cron.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "api/error.h"

namespace sml::api::rotation {
namespace {

// Fire times below were worked out by hand against a calendar
// (2024-01-01 is a Monday, 2024-02-29 a Thursday, 2028-02-29 a Tuesday).

EpochMillis Next(const char* fields, EpochMillis from) {
  return CronExpression::Parse(fields).NextAtOrAfter(from).value();
}

ApiError Rejection(const char* fields) {
  try {
    CronExpression::Parse(fields);
  } catch (const ApiError& e) {
    return e;
  }
  ADD_FAILURE() << "cron(" << fields << ") was accepted";
  return ApiError(ErrorCode::kInternalServiceError, "");
}

TEST(CalendarHelpers, RoundTripAndKnownDays) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(UtcMillis(2028, 2, 29), 1'835'395'200'000);
  const UtcDate date = CivilFromDays(DaysFromCivil(2028, 2, 29));
  EXPECT_EQ(date.year, 2028);
  EXPECT_EQ(date.month, 2);
  EXPECT_EQ(date.day, 29);
  EXPECT_EQ(DaysFromCivil(2028, 3, 1) - DaysFromCivil(2028, 2, 28), 2);
  EXPECT_EQ(DaysFromCivil(2100, 3, 1) - DaysFromCivil(2100, 2, 28), 1);
  EXPECT_TRUE(IsLeapYear(2000));
  EXPECT_FALSE(IsLeapYear(2100));
  EXPECT_EQ(DaysInMonth(2024, 2), 29);
  EXPECT_EQ(DaysInMonth(2023, 2), 28);
  EXPECT_EQ(DaysInMonth(2024, 4), 30);
}

TEST(CronExpression, DailyAtHour_FiresThatDayOrNext) {
  EXPECT_EQ(Next("0 10 * * ? *", UtcMillis(2024, 1, 1, 9, 15)), UtcMillis(2024, 1, 1, 10));
  EXPECT_EQ(Next("0 10 * * ? *", UtcMillis(2024, 1, 1, 10, 0, 1)), UtcMillis(2024, 1, 2, 10));
  EXPECT_EQ(Next("0 10 * * ? *", UtcMillis(2024, 12, 31, 11)), UtcMillis(2025, 1, 1, 10));
}

TEST(CronExpression, ExactFireTime_IsAtOrAfter) {
  const auto cron = CronExpression::Parse("0 10 * * ? *");
  EXPECT_EQ(cron.NextAtOrAfter(UtcMillis(2024, 1, 1, 10)), UtcMillis(2024, 1, 1, 10));
  EXPECT_EQ(cron.NextAtOrAfter(UtcMillis(2024, 1, 1, 10) + 1), UtcMillis(2024, 1, 2, 10));
}

TEST(CronExpression, LastDayOfMonth_FollowsMonthLengthAndLeapYears) {
  EXPECT_EQ(Next("0 16 L * ? *", UtcMillis(2024, 2, 10)), UtcMillis(2024, 2, 29, 16));
  EXPECT_EQ(Next("0 16 L * ? *", UtcMillis(2023, 2, 10)), UtcMillis(2023, 2, 28, 16));
  EXPECT_EQ(Next("0 16 L * ? *", UtcMillis(2024, 4, 30, 17)), UtcMillis(2024, 5, 31, 16));
  EXPECT_EQ(Next("0 16 L * ? *", UtcMillis(2024, 4, 1)), UtcMillis(2024, 4, 30, 16));
}

TEST(CronExpression, LastWeekdayOfMonth_5LIsLastThursday) {
  EXPECT_EQ(Next("0 10 ? * 5L *", UtcMillis(2024, 1, 1)), UtcMillis(2024, 1, 25, 10));
  EXPECT_EQ(Next("0 10 ? * 5L *", UtcMillis(2024, 1, 25, 11)), UtcMillis(2024, 2, 29, 10));
  EXPECT_EQ(Next("0 10 ? * THUL *", UtcMillis(2024, 1, 1)), UtcMillis(2024, 1, 25, 10));
}

TEST(CronExpression, NthWeekday_3Hash2IsSecondTuesday) {
  EXPECT_EQ(Next("0 9 ? * 3#2 *", UtcMillis(2024, 1, 1)), UtcMillis(2024, 1, 9, 9));
  EXPECT_EQ(Next("0 9 ? * 3#2 *", UtcMillis(2024, 1, 10)), UtcMillis(2024, 2, 13, 9));
  EXPECT_EQ(Next("0 0 ? * SUN#1 *", UtcMillis(2024, 1, 1)), UtcMillis(2024, 1, 7));
}

TEST(CronExpression, FifthWeekday_SkipsMonthsWithoutOne) {
  // Fifth Thursday: Feb 2024 has one (the 29th), March 2024 does not
  // (7, 14, 21, 28), May 2024 does (2, 9, 16, 23, 30).
  EXPECT_EQ(Next("0 0 ? * 5#5 *", UtcMillis(2024, 2, 1)), UtcMillis(2024, 2, 29));
  EXPECT_EQ(Next("0 0 ? * 5#5 *", UtcMillis(2024, 3, 1)), UtcMillis(2024, 5, 30));
}

TEST(CronExpression, DayOfWeekNumbering_OneIsSunday) {
  EXPECT_EQ(Next("0 0 ? * 1 *", UtcMillis(2024, 1, 1)), UtcMillis(2024, 1, 7));
  EXPECT_EQ(Next("0 0 ? * 7 *", UtcMillis(2024, 1, 1)), UtcMillis(2024, 1, 6));
  EXPECT_EQ(Next("0 0 ? * L *", UtcMillis(2024, 1, 1)), UtcMillis(2024, 1, 6));  // L = SAT
}

TEST(CronExpression, HourIncrements_RestartEachDay) {
  // cron(0 4/12 * * ? *) is 04:00 and 16:00 every day (AWS's own example).
  EXPECT_EQ(Next("0 4/12 * * ? *", UtcMillis(2024, 1, 1, 5)), UtcMillis(2024, 1, 1, 16));
  EXPECT_EQ(Next("0 4/12 * * ? *", UtcMillis(2024, 1, 1, 16, 0, 1)), UtcMillis(2024, 1, 2, 4));
  // 0/5: 0,5,10,15,20 then midnight again, not 01:00.
  EXPECT_EQ(Next("0 0/5 * * ? *", UtcMillis(2024, 1, 1, 20, 30)), UtcMillis(2024, 1, 2, 0));
  EXPECT_EQ(Next("0 */6 * * ? *", UtcMillis(2024, 1, 1, 6, 0, 1)), UtcMillis(2024, 1, 1, 12));
}

TEST(CronExpression, Ranges_MonToFriSkipsWeekend) {
  // 2024-01-06 is a Saturday.
  EXPECT_EQ(Next("0 8 ? * MON-FRI *", UtcMillis(2024, 1, 6)), UtcMillis(2024, 1, 8, 8));
  EXPECT_EQ(Next("0 8 ? * 2-6 *", UtcMillis(2024, 1, 6)), UtcMillis(2024, 1, 8, 8));
  EXPECT_EQ(Next("0 8 ? * mon-fri *", UtcMillis(2024, 1, 6)), UtcMillis(2024, 1, 8, 8));
}

TEST(CronExpression, WrappingRange_FriToMon) {
  // From Tuesday 2024-01-02: Friday 5th; after Monday 8th: Friday 12th.
  EXPECT_EQ(Next("0 0 ? * FRI-MON *", UtcMillis(2024, 1, 2)), UtcMillis(2024, 1, 5));
  EXPECT_EQ(Next("0 0 ? * FRI-MON *", UtcMillis(2024, 1, 7, 1)), UtcMillis(2024, 1, 8));
  EXPECT_EQ(Next("0 0 ? * FRI-MON *", UtcMillis(2024, 1, 8, 1)), UtcMillis(2024, 1, 12));
  EXPECT_EQ(Next("0 22-1 * * ? *", UtcMillis(2024, 1, 1, 2)), UtcMillis(2024, 1, 1, 22));
}

TEST(CronExpression, ListsAndMonthNames) {
  EXPECT_EQ(Next("0 16 1,15 * ? *", UtcMillis(2024, 1, 2)), UtcMillis(2024, 1, 15, 16));
  EXPECT_EQ(Next("0 16 1,15 * ? *", UtcMillis(2024, 1, 15, 17)), UtcMillis(2024, 2, 1, 16));
  EXPECT_EQ(Next("0 0 1 JAN,JUL ? *", UtcMillis(2024, 2, 1)), UtcMillis(2024, 7, 1));
  EXPECT_EQ(Next("0 0 1 jan,Jul ? *", UtcMillis(2024, 7, 1, 1)), UtcMillis(2025, 1, 1));
  EXPECT_EQ(Next("0 0 1 JAN-MAR ? *", UtcMillis(2024, 3, 2)), UtcMillis(2025, 1, 1));
}

TEST(CronExpression, Steps_InMonthAndDayOfMonth) {
  EXPECT_EQ(Next("0 0 1 1/3 ? *", UtcMillis(2024, 2, 1)), UtcMillis(2024, 4, 1));
  // 1/7 is the 1st, 8th, 15th, 22nd and 29th.
  EXPECT_EQ(Next("0 8 1/7 * ? *", UtcMillis(2024, 2, 23)), UtcMillis(2024, 2, 29, 8));
  EXPECT_EQ(Next("0 8 1/7 * ? *", UtcMillis(2023, 2, 23)), UtcMillis(2023, 3, 1, 8));
  EXPECT_EQ(Next("0 8 10-20/5 * ? *", UtcMillis(2024, 1, 16)), UtcMillis(2024, 1, 20, 8));
}

TEST(CronExpression, Day31_OnlyInLongMonths) {
  EXPECT_EQ(Next("0 0 31 * ? *", UtcMillis(2024, 4, 1)), UtcMillis(2024, 5, 31));
  EXPECT_EQ(Next("0 0 31 * ? *", UtcMillis(2024, 7, 31, 1)), UtcMillis(2024, 8, 31));
}

TEST(CronExpression, Feb29_OnlyInLeapYears) {
  EXPECT_EQ(Next("0 12 29 2 ? *", UtcMillis(2025, 1, 1)), UtcMillis(2028, 2, 29, 12));
  EXPECT_EQ(Next("0 12 29 FEB ? *", UtcMillis(2024, 2, 29, 13)), UtcMillis(2028, 2, 29, 12));
  // 2100 is not a leap year: eight years from 2096 to 2104.
  EXPECT_EQ(Next("0 12 29 2 ? *", UtcMillis(2096, 3, 1)), UtcMillis(2104, 2, 29, 12));
}

TEST(CronExpression, IsHourly_WhenSeveralHoursADay) {
  EXPECT_FALSE(CronExpression::Parse("0 10 * * ? *").IsHourly());
  EXPECT_TRUE(CronExpression::Parse("0 4/12 * * ? *").IsHourly());
  EXPECT_TRUE(CronExpression::Parse("0 1,3 * * ? *").IsHourly());
  EXPECT_EQ(CronExpression::Parse("0 4/12 * * ? *").FireHours(), (std::vector<int>{4, 16}));
}

TEST(CronExpression, MinutesMustBeZero) {
  const ApiError error = Rejection("5 10 * * ? *");
  EXPECT_EQ(error.code(), ErrorCode::kInvalidParameter);
  EXPECT_NE(std::string(error.what()).find("Minutes field must be 0"), std::string::npos);
  Rejection("* 10 * * ? *");
  Rejection("0/5 10 * * ? *");
}

TEST(CronExpression, YearMustBeStar) {
  const ApiError error = Rejection("0 10 * * ? 2024");
  EXPECT_EQ(error.code(), ErrorCode::kInvalidParameter);
  EXPECT_NE(std::string(error.what()).find("Year field must be *"), std::string::npos);
}

TEST(CronExpression, WrongFieldCount_IsRejected) {
  EXPECT_NE(std::string(Rejection("0 10 * * ?").what()).find("found 5"), std::string::npos);
  EXPECT_NE(std::string(Rejection("0 0 10 * * ? *").what()).find("found 7"), std::string::npos);
  Rejection("");
}

TEST(CronExpression, QuestionMarkInExactlyOneDayField) {
  EXPECT_NE(std::string(Rejection("0 10 * * * *").what()).find("exactly one"), std::string::npos);
  Rejection("0 10 ? * ? *");
  Rejection("0 10 1 * MON *");
  Rejection("0 10 * ? ? *");  // ? is not a Month value
}

TEST(CronExpression, OutOfRangeAndBadTokens_NameFieldAndText) {
  const ApiError error = Rejection("0 24 * * ? *");
  EXPECT_EQ(error.code(), ErrorCode::kInvalidParameter);
  EXPECT_NE(std::string(error.what()).find("'24'"), std::string::npos);
  EXPECT_NE(std::string(error.what()).find("Hours"), std::string::npos);
  for (const char* fields :
       {"0 10 32 * ? *",  "0 10 0 * ? *",       "0 10 1 13 ? *",   "0 10 1 0 ? *",
        "0 10 ? * 8 *",   "0 10 ? * 0 *",       "0 10 ? * FOO *",  "0 10 ? * MONDAY *",
        "0 1- * * ? *",   "0 */0 * * ? *",      "0 1,,2 * * ? *",  "0 1, * * ? *",
        "0 L * * ? *",    "0 10 * JANUARY ? *", "0 10 ? * 3#6 *",  "0 10 ? * 3#0 *",
        "0 10 ? * 8#1 *", "0 10 ? * # *",       "0 10 L-2 * ? *",  "0 10 * * ? * extra",
        "0 x * * ? *",    "0 10 1/ * ? *",      "0 10 ? 1#2 MON *"}) {
    EXPECT_EQ(Rejection(fields).code(), ErrorCode::kInvalidParameter) << fields;
  }
}

TEST(CronExpression, NearestWeekday_IsRejectedClearly) {
  EXPECT_NE(std::string(Rejection("0 10 15W * ? *").what()).find("W (nearest weekday)"),
            std::string::npos);
  Rejection("0 10 LW * ? *");
}

TEST(CronExpression, ExpressionThatNeverFires_IsRejected) {
  EXPECT_NE(std::string(Rejection("0 0 31 2 ? *").what()).find("never matches"), std::string::npos);
  Rejection("0 0 30 FEB ? *");
  Rejection("0 0 31 4,6,9,11 ? *");
}

}  // namespace
}  // namespace sml::api::rotation
