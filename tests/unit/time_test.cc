// Goal: timestamps and dates parse and print exactly, and malformed ones are refused.
#include "core/time.h"

#include <gtest/gtest.h>

namespace greenloop {
namespace {

TEST(Time, DatesRoundTrip) {
  EXPECT_EQ(ParseDateDays("1970-01-01"), 0);
  EXPECT_EQ(ParseDateDays("2024-02-29"), 19782);  // 2024 is a leap year
  EXPECT_EQ(FormatDateDays(19782), "2024-02-29");
  EXPECT_FALSE(ParseDateDays("2023-02-29"));
  EXPECT_FALSE(ParseDateDays("2024-13-01"));
  EXPECT_FALSE(ParseDateDays("2024-1-01"));
}

TEST(Time, TimestampsParseWithOffsetsAndFractions) {
  // 2026-11-21 is day 20778 of the Unix epoch (56 years with 14 leap days: 56*365+14+324); 21:40 = 78000 s.
  const time_us expected = 20778LL * kMicrosPerDay + 78000LL * 1'000'000;
  EXPECT_EQ(ParseTimestamp("2026-11-21T21:40:00Z"), expected);
  EXPECT_EQ(ParseTimestamp("2026-11-22T05:40:00+08:00"), expected);
  EXPECT_EQ(ParseTimestamp("2026-11-21T21:40:00.123Z"), expected + 123000);
  EXPECT_EQ(ParseTimestamp("2026-11-21"), 20778LL * kMicrosPerDay);
  EXPECT_EQ(FormatTimestamp(expected + 123456), "2026-11-21T21:40:00.123Z");
  EXPECT_FALSE(ParseTimestamp("2026-11-21T25:00:00Z"));
  EXPECT_FALSE(ParseTimestamp("2026-11-21T21:40:00"));
  EXPECT_FALSE(ParseTimestamp("yesterday"));
}

}  // namespace
}  // namespace greenloop
