// The national carbon market's trading rules (data/market/trading-rules.json, SEEE 2021-06-22 [S]):
// listing trades within ±10 % of the previous close, block trades within ±30 %, tick 0.01 yuan,
// Mon–Fri 09:30–11:30 and 13:00–15:00 Beijing time, block trades in the afternoon only. Each
// expected figure is the rule applied by hand.
#include <gtest/gtest.h>

#include <limits>

#include "calc/market_rules.h"
#include "core/time.h"
#include "market/trading_rules.h"

namespace greenloop {
namespace {

Decimal D(const char* text) { return *Decimal::Parse(text); }

FamilyTradingRules Cea() {
  Result<FamilyTradingRules> rules = calc::TradingRulesFor("CEA");
  GL_ASSERT(rules.ok());
  return rules.value();
}

// A Beijing local time as UTC micros.
time_us Beijing(const char* date, int hour, int minute) {
  return *ParseDateDays(date) * kMicrosPerDay + (static_cast<time_us>(hour - 8) * 60 + minute) * 60'000'000;
}

TEST(TradingRulesTest, TheCeaRowCarriesTheExchangeRules) {
  const FamilyTradingRules cea = Cea();
  EXPECT_EQ(cea.tick_fen, 1);
  EXPECT_EQ(cea.lot, 1);
  EXPECT_EQ(cea.listing_max_quantity, 99'999);  // < 100,000 t
  EXPECT_EQ(cea.block_min_quantity, 100'000);
  EXPECT_EQ(cea.listing_band_percent, D("10"));
  EXPECT_EQ(cea.block_band_percent, D("30"));
  Result<FamilyTradingRules> none = calc::TradingRulesFor("WR");
  ASSERT_FALSE(none.ok());
  EXPECT_TRUE(none.status().IsNotFound());
}

TEST(TradingRulesTest, BandsAreTheCloseAndPercentRoundedTowardTheClose) {
  // 100.00 yuan ± 10 % = 90.00 – 110.00
  Result<PriceBand> even = BandAround(10'000, D("10"), 1);
  ASSERT_TRUE(even.ok());
  EXPECT_EQ(even.value().low_fen, 9'000);
  EXPECT_EQ(even.value().high_fen, 11'000);
  // 45.67 ± 10 % = 41.103 – 50.237 → 41.11 – 50.23 (inside the limits, on the 0.01 tick)
  Result<PriceBand> odd = BandAround(4'567, D("10"), 1);
  EXPECT_EQ(odd.value().low_fen, 4'111);
  EXPECT_EQ(odd.value().high_fen, 5'023);
  // Block: 45.67 ± 30 % = 31.969 – 59.371 → 31.97 – 59.37
  Result<PriceBand> block = BandAround(4'567, D("30"), 1);
  EXPECT_EQ(block.value().low_fen, 3'197);
  EXPECT_EQ(block.value().high_fen, 5'937);
  // A 5-fen tick: 45.65 ± 10 % = 41.085 – 50.215 → 41.10 – 50.20
  Result<PriceBand> coarse = BandAround(4'565, D("10"), 5);
  EXPECT_EQ(coarse.value().low_fen, 4'110);
  EXPECT_EQ(coarse.value().high_fen, 5'020);
  // A close of 0.05 yuan: the band never reaches 0
  EXPECT_EQ(BandAround(5, D("100"), 1).value().low_fen, 1);
  EXPECT_EQ(BandAround(0, D("10"), 1).status().field(), "previous_close");
  EXPECT_EQ(BandAround(4'566, D("10"), 5).status().field(), "previous_close");
  EXPECT_EQ(BandAround(4'565, D("0"), 5).status().field(), "band_percent");
  // Closes beyond what Decimal holds (INT64_MAX / 10^6 = 9,223,372,036,854 fen) are refused, not
  // overflowed (found by the order-entry fuzzer, tests/fuzz/).
  EXPECT_EQ(BandAround(9'223'372'036'855, D("10"), 1).status().code(), "out_of_range");
  EXPECT_EQ(BandAround(10'000'000'000'000, D("10"), 1).status().field(), "previous_close");
  EXPECT_EQ(BandAround(std::numeric_limits<std::int64_t>::max(), D("30"), 1).status().code(), "out_of_range");
  EXPECT_TRUE(BandAround(9'000'000'000'000, D("10"), 1).ok());
}

TEST(TradingRulesTest, SessionsFollowBeijingTimeWeekdaysAndHolidays) {
  FamilyTradingRules cea = Cea();
  // 2026-11-23 is a Monday.
  EXPECT_FALSE(SessionAt(cea, TradingMode::kListing, Beijing("2026-11-23", 9, 29)).open);
  EXPECT_EQ(SessionAt(cea, TradingMode::kListing, Beijing("2026-11-23", 9, 29)).reason, "outside_hours");
  EXPECT_TRUE(SessionAt(cea, TradingMode::kListing, Beijing("2026-11-23", 9, 30)).open);
  EXPECT_FALSE(SessionAt(cea, TradingMode::kListing, Beijing("2026-11-23", 11, 30)).open);  // the end is exclusive
  EXPECT_TRUE(SessionAt(cea, TradingMode::kListing, Beijing("2026-11-23", 14, 59)).open);
  EXPECT_FALSE(SessionAt(cea, TradingMode::kListing, Beijing("2026-11-23", 15, 0)).open);
  // Block trades: afternoon only.
  SessionState morning_block = SessionAt(cea, TradingMode::kBlock, Beijing("2026-11-23", 10, 0));
  EXPECT_FALSE(morning_block.open);
  EXPECT_EQ(morning_block.reason, "block_afternoon_only");
  EXPECT_TRUE(SessionAt(cea, TradingMode::kBlock, Beijing("2026-11-23", 13, 0)).open);
  // 09:30 Beijing on Monday is 01:30 UTC the same day; 07:00 Beijing Monday is Sunday 23:00 UTC.
  EXPECT_EQ(SessionAt(cea, TradingMode::kListing, Beijing("2026-11-23", 7, 0)).local_date, "2026-11-23");
  // Saturday 2026-11-21, and a holiday the operator entered.
  EXPECT_EQ(SessionAt(cea, TradingMode::kListing, Beijing("2026-11-21", 10, 0)).reason, "weekend");
  cea.holidays.push_back("2026-11-23");
  EXPECT_EQ(SessionAt(cea, TradingMode::kListing, Beijing("2026-11-23", 10, 0)).reason, "holiday");
}

TEST(TradingRulesTest, AListingDayMakesABookThatRefusesPricesOutsideItsBand) {
  Result<InstrumentRules> rules = ListingBookRules(Cea(), 4'567);
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  EXPECT_EQ(rules.value().band_low_ticks, 4'111);
  EXPECT_EQ(rules.value().band_high_ticks, 5'023);
  EXPECT_EQ(rules.value().max_quantity_per_order, 99'999);
  EXPECT_EQ(RulesProblem(rules.value()), "");
  EXPECT_EQ(ListingBookRules(Cea(), -1).status().field(), "previous_close");
}

}  // namespace
}  // namespace greenloop
