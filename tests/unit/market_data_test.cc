// Market data of one instrument (src/market/market_data.h): the daily bar under the CEA rules
// (SEEE 2021-06-22 [S]: the open is the first trade or the previous close, the close is the VWAP of
// the day's listing trades or the previous close), the VWAP rounded half up to the tick [U],
// intraday candles aligned to the sessions, and weekly and monthly bars. Each expected figure is
// worked out by hand in the comment beside it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "core/time.h"
#include "market/market_data.h"

namespace greenloop {
namespace {

constexpr time_us kMinuteUs = 60'000'000;
constexpr time_us kSecondUs = 1'000'000;

TradeTick Trade(std::int64_t id, time_us at_us, std::int64_t price_fen, quantity_t quantity, TradingMode mode) {
  TradeTick trade;
  trade.trade_id = id;
  trade.at_us = at_us;
  trade.price_fen = price_fen;
  trade.quantity = quantity;
  trade.mode = mode;
  trade.buy_account_id = 101;
  trade.sell_account_id = 201;
  trade.buy_owner_id = 1;
  trade.sell_owner_id = 2;
  return trade;
}
TradeTick Listing(std::int64_t id, time_us at_us, std::int64_t price_fen, quantity_t quantity) {
  return Trade(id, at_us, price_fen, quantity, TradingMode::kListing);
}
TradeTick Block(std::int64_t id, time_us at_us, std::int64_t price_fen, quantity_t quantity) {
  return Trade(id, at_us, price_fen, quantity, TradingMode::kBlock);
}

std::int64_t Day(const char* date) { return *ParseDateDays(date); }

// A Beijing (UTC+8) local time as UTC micros.
time_us Beijing(const char* date, int hour, int minute, int second = 0) {
  return Day(date) * kMicrosPerDay + ((static_cast<time_us>(hour) - 8) * 60 + minute) * kMinuteUs + second * kSecondUs;
}

// The CEA sessions: 09:30–11:30 and 13:00–15:00 local.
std::vector<TradingSession> CeaSessions() {
  return {TradingSession{570, 690, true, false}, TradingSession{780, 900, true, true}};
}

DailyBar Bar(const char* date, const std::vector<TradeTick>& trades, std::optional<std::int64_t> previous_close_fen) {
  Result<DailyBar> bar = ComputeDailyBar(Day(date), trades, previous_close_fen, 1);
  GL_ASSERT(bar.ok());
  return bar.value();
}

TEST(MarketDataTest, TheCloseIsTheListingVwapAndBlockTradesAreCountedApart) {
  // Listing 100 @ 50.00 and 300 @ 51.00, block 100,000 @ 48.00; previous close 50.00.
  const std::vector<TradeTick> trades = {Listing(1, 1, 5'000, 100), Listing(2, 2, 5'100, 300),
                                         Block(3, 3, 4'800, 100'000)};
  Result<DailyBar> result = ComputeDailyBar(Day("2026-11-23"), trades, 5'000, 1);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const DailyBar& bar = result.value();
  EXPECT_EQ(bar.day, Day("2026-11-23"));
  EXPECT_EQ(bar.open_fen, 5'000);   // the first listing trade
  EXPECT_EQ(bar.high_fen, 5'100);   // listing trades only: the block at 48.00 is not the low
  EXPECT_EQ(bar.low_fen, 5'000);
  // (100 × 5,000 + 300 × 5,100) / 400 = (500,000 + 1,530,000) / 400 = 5,075 exactly.
  EXPECT_EQ(bar.close_fen, 5'075);
  EXPECT_EQ(bar.listing_volume, 400);
  EXPECT_EQ(bar.listing_turnover_fen, 2'030'000);
  EXPECT_EQ(bar.listing_trade_count, 2);
  EXPECT_EQ(bar.block_volume, 100'000);
  EXPECT_EQ(bar.block_turnover_fen, 480'000'000);
  EXPECT_EQ(bar.block_trade_count, 1);
  EXPECT_EQ(bar.volume, 100'400);
  EXPECT_EQ(bar.turnover_fen, 482'030'000);
  EXPECT_EQ(bar.trade_count, 3);
  // 482,030,000 / 100,400 = 4,801 remainder 9,600; 2 × 9,600 < 100,400, so 4,801.
  EXPECT_EQ(bar.vwap_fen, 4'801);
  // 5,075 − 5,000 = 75 fen = 75 / 5,000 = 150 bp.
  EXPECT_EQ(bar.previous_close_fen, 5'000);
  EXPECT_EQ(bar.change_fen, 75);
  EXPECT_EQ(bar.change_bp, 150);
}

TEST(MarketDataTest, TheVwapRoundsHalfUpToTheTick) {
  // 1 @ 50.01 + 2 @ 50.00: 15,001 / 3 = 5,000.33 → 5,000.
  EXPECT_EQ(Bar("2026-11-23", {Listing(1, 1, 5'001, 1), Listing(2, 2, 5'000, 2)}, 5'000).close_fen, 5'000);
  // 1 @ 50.01 + 1 @ 50.00: 10,001 / 2 = 5,000.5 → 5,001 (half up).
  EXPECT_EQ(Bar("2026-11-23", {Listing(1, 1, 5'001, 1), Listing(2, 2, 5'000, 1)}, 5'000).close_fen, 5'001);
  // 2 @ 50.01 + 1 @ 50.00: 15,002 / 3 = 5,000.67 → 5,001.
  EXPECT_EQ(Bar("2026-11-23", {Listing(1, 1, 5'001, 2), Listing(2, 2, 5'000, 1)}, 5'000).close_fen, 5'001);
  // A 5-fen tick: 1 @ 50.05 + 1 @ 50.00 = 5,002.5 fen = 1,000.5 ticks → 1,001 ticks = 5,005.
  Result<DailyBar> coarse = ComputeDailyBar(0, std::vector{Listing(1, 1, 5'005, 1), Listing(2, 2, 5'000, 1)}, 5'000, 5);
  ASSERT_TRUE(coarse.ok());
  EXPECT_EQ(coarse.value().close_fen, 5'005);
  // 3 @ 50.00 + 1 @ 50.05 = 20,005 / 4 = 5,001.25 fen = 1,000.25 ticks → 1,000 ticks = 5,000.
  Result<DailyBar> down = ComputeDailyBar(0, std::vector{Listing(1, 1, 5'000, 3), Listing(2, 2, 5'005, 1)}, 5'000, 5);
  ASSERT_TRUE(down.ok());
  EXPECT_EQ(down.value().close_fen, 5'000);
  EXPECT_EQ(down.value().vwap_fen, 5'000);
}

TEST(MarketDataTest, AChangeInBasisPointsRoundsHalfAwayFromZero) {
  EXPECT_EQ(ChangeBasisPoints(3, 4), 3'333);          // 3,333.33
  EXPECT_EQ(ChangeBasisPoints(3, 5), 6'667);          // 6,666.67
  EXPECT_EQ(ChangeBasisPoints(2, 1), -5'000);
  EXPECT_EQ(ChangeBasisPoints(20'000, 20'001), 1);    // +0.5
  EXPECT_EQ(ChangeBasisPoints(20'000, 19'999), -1);   // −0.5
  EXPECT_EQ(ChangeBasisPoints(30'000, 30'001), 0);    // 0.33
  // Beyond 9.2 × 10^18 bp the figure saturates rather than wrap.
  EXPECT_EQ(ChangeBasisPoints(1, std::numeric_limits<std::int64_t>::max()), std::numeric_limits<std::int64_t>::max());
  // Thresholds compare the exact ratio: 500 / 5,000 is 1,000 bp, not more than 1,000.
  EXPECT_FALSE(MovesMoreThan(5'000, 5'500, 1'000));
  EXPECT_TRUE(MovesMoreThan(5'000, 5'501, 1'000));
  EXPECT_TRUE(MovesMoreThan(5'000, 4'499, 1'000));
  // 1 / 20,001 is 0.49998 bp: rounded to 0 bp, but still more than 0.
  EXPECT_TRUE(MovesMoreThan(20'001, 20'002, 0));
  EXPECT_FALSE(MovesMoreThan(20'001, 20'001, 0));
}

TEST(MarketDataTest, ADayWithoutTradesCarriesThePreviousClose) {
  const DailyBar bar = Bar("2026-11-24", {}, 5'075);
  EXPECT_EQ(bar.open_fen, 5'075);
  EXPECT_EQ(bar.close_fen, 5'075);
  EXPECT_FALSE(bar.high_fen.has_value());
  EXPECT_FALSE(bar.low_fen.has_value());
  EXPECT_FALSE(bar.vwap_fen.has_value());
  EXPECT_EQ(bar.volume, 0);
  EXPECT_EQ(bar.turnover_fen, 0);
  EXPECT_EQ(bar.trade_count, 0);
  EXPECT_EQ(bar.change_fen, 0);
  EXPECT_EQ(bar.change_bp, 0);
}

TEST(MarketDataTest, ADayWithOnlyBlockTradesKeepsThePreviousCloseButCountsTheVolume) {
  // Block trades do not make the close (listing trades only), nor the open, high or low.
  const DailyBar bar = Bar("2026-11-24", {Block(1, 1, 4'800, 100'000), Block(2, 2, 4'900, 150'000)}, 5'000);
  EXPECT_EQ(bar.open_fen, 5'000);
  EXPECT_EQ(bar.close_fen, 5'000);
  EXPECT_FALSE(bar.high_fen.has_value());
  EXPECT_FALSE(bar.low_fen.has_value());
  EXPECT_EQ(bar.change_bp, 0);
  EXPECT_EQ(bar.volume, 250'000);
  EXPECT_EQ(bar.block_volume, 250'000);
  EXPECT_EQ(bar.listing_volume, 0);
  // 480,000,000 + 735,000,000 = 1,215,000,000 over 250,000 = 4,860.
  EXPECT_EQ(bar.turnover_fen, 1'215'000'000);
  EXPECT_EQ(bar.vwap_fen, 4'860);
  EXPECT_EQ(bar.block_trade_count, 2);
}

TEST(MarketDataTest, TheFirstDayHasNoPreviousCloseAndNoChange) {
  // 10 @ 40.00 and 30 @ 42.00: (40,000 + 126,000) / 40 = 4,150.
  const DailyBar first = Bar("2026-11-23", {Listing(1, 1, 4'000, 10), Listing(2, 2, 4'200, 30)}, std::nullopt);
  EXPECT_EQ(first.open_fen, 4'000);
  EXPECT_EQ(first.close_fen, 4'150);
  EXPECT_FALSE(first.previous_close_fen.has_value());
  EXPECT_FALSE(first.change_fen.has_value());
  EXPECT_FALSE(first.change_bp.has_value());
  // No trade and no previous close: there is no price at all.
  const DailyBar empty = Bar("2026-11-23", {}, std::nullopt);
  EXPECT_FALSE(empty.open_fen.has_value());
  EXPECT_FALSE(empty.close_fen.has_value());
  EXPECT_FALSE(empty.change_fen.has_value());
  // Only block trades on the first day: a VWAP and a volume, but no open or close.
  const DailyBar block = Bar("2026-11-23", {Block(1, 1, 4'800, 100'000)}, std::nullopt);
  EXPECT_FALSE(block.open_fen.has_value());
  EXPECT_FALSE(block.close_fen.has_value());
  EXPECT_EQ(block.vwap_fen, 4'800);
  EXPECT_EQ(block.volume, 100'000);
}

TEST(MarketDataTest, BadTradesAndOverflowingSumsAreRefused) {
  const auto code = [](const std::vector<TradeTick>& trades, std::optional<std::int64_t> previous_close_fen) {
    Result<DailyBar> bar = ComputeDailyBar(0, trades, previous_close_fen, 1);
    return bar.ok() ? std::string("ok") : bar.status().code();
  };
  EXPECT_EQ(code({Listing(1, 1, 0, 10)}, 5'000), "price_not_positive");
  EXPECT_EQ(code({Listing(1, 1, 5'000, 0)}, 5'000), "quantity_not_positive");
  EXPECT_EQ(code({Listing(1, 2, 5'000, 1), Listing(2, 1, 5'000, 1)}, 5'000), "trades_out_of_order");
  EXPECT_EQ(code({Listing(1, 1, 5'000, 1), Listing(2, 1, 5'000, 1)}, 5'000), "ok");  // equal times keep their order
  EXPECT_EQ(code({}, 0), "previous_close_not_positive");
  EXPECT_EQ(code({Listing(1, std::numeric_limits<time_us>::min(), 5'000, 1)}, 5'000), "time_out_of_range");
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  // (2^63 − 1) / 2 × 3 does not fit 64 bits.
  EXPECT_EQ(code({Listing(1, 1, kMax / 2, 3)}, 5'000), "turnover_overflow");
  // 1 fen × (2^63 − 1) fits; one more unit does not.
  EXPECT_EQ(code({Listing(1, 1, 1, kMax)}, 5'000), "ok");
  EXPECT_EQ(code({Listing(1, 1, 1, kMax), Block(2, 2, 1, 1)}, 5'000), "volume_overflow");
  Result<DailyBar> bar = ComputeDailyBar(0, std::vector{Listing(1, 1, 5'000, -1)}, 5'000, 1);
  EXPECT_EQ(bar.status().field(), "trades");
}

TEST(MarketDataTest, CandlesFollowTheSessionsInLocalTime) {
  // 2026-11-23, Beijing time (UTC+8), CEA sessions 09:30–11:30 and 13:00–15:00.
  const char* d = "2026-11-23";
  const std::vector<TradeTick> trades = {
      Listing(1, Beijing(d, 9, 30), 5'000, 10),      Listing(2, Beijing(d, 9, 34, 59), 5'010, 5),
      Listing(3, Beijing(d, 9, 35), 4'990, 1),       Listing(4, Beijing(d, 10, 29, 59), 5'020, 2),
      Listing(5, Beijing(d, 10, 30), 5'030, 3),      Block(6, Beijing(d, 13, 0), 4'800, 100'000),
      Listing(7, Beijing(d, 14, 59, 59), 5'040, 4),
  };
  CandleSpec spec;
  spec.interval_minutes = 5;
  spec.timezone_offset_minutes = 480;
  spec.sessions = CeaSessions();
  Result<std::vector<Candle>> five = ComputeCandles(trades, spec);
  ASSERT_TRUE(five.ok()) << five.status().ToString();
  // Listing trades only, empty buckets omitted: 09:30, 09:35, 10:25, 10:30, 14:55.
  // 09:30–09:35: 10 @ 5,000 and 5 @ 5,010: turnover 50,000 + 25,050 = 75,050.
  const std::vector<Candle> expected_five = {
      {Beijing(d, 9, 30), Beijing(d, 9, 35), 5'000, 5'010, 5'000, 5'010, 15, 75'050, 2},
      {Beijing(d, 9, 35), Beijing(d, 9, 40), 4'990, 4'990, 4'990, 4'990, 1, 4'990, 1},
      {Beijing(d, 10, 25), Beijing(d, 10, 30), 5'020, 5'020, 5'020, 5'020, 2, 10'040, 1},
      {Beijing(d, 10, 30), Beijing(d, 10, 35), 5'030, 5'030, 5'030, 5'030, 3, 15'090, 1},
      {Beijing(d, 14, 55), Beijing(d, 15, 0), 5'040, 5'040, 5'040, 5'040, 4, 20'160, 1},
  };
  EXPECT_EQ(five.value(), expected_five);
  EXPECT_EQ(five.value().front().start_us, Day(d) * kMicrosPerDay + 90 * kMinuteUs);  // 01:30 UTC

  // 60 minutes count from each session's start: 09:30–10:30, 10:30–11:30, 13:00–14:00,
  // 14:00–15:00 (not 09:00–10:00). With block trades: 09:30–10:30 holds trades 1–4,
  // O 5,000 H 5,020 L 4,990 C 5,020, 18 t, 50,000 + 25,050 + 4,990 + 10,040 = 90,080 fen.
  spec.interval_minutes = 60;
  spec.selection = TradeSelection::kAll;
  Result<std::vector<Candle>> hourly = ComputeCandles(trades, spec);
  ASSERT_TRUE(hourly.ok());
  const std::vector<Candle> expected_hourly = {
      {Beijing(d, 9, 30), Beijing(d, 10, 30), 5'000, 5'020, 4'990, 5'020, 18, 90'080, 4},
      {Beijing(d, 10, 30), Beijing(d, 11, 30), 5'030, 5'030, 5'030, 5'030, 3, 15'090, 1},
      {Beijing(d, 13, 0), Beijing(d, 14, 0), 4'800, 4'800, 4'800, 4'800, 100'000, 480'000'000, 1},
      {Beijing(d, 14, 0), Beijing(d, 15, 0), 5'040, 5'040, 5'040, 5'040, 4, 20'160, 1},
  };
  EXPECT_EQ(hourly.value(), expected_hourly);
}

TEST(MarketDataTest, CandlesAreCutAtSessionEndsAndOutsideSessionsFollowTheMidnightGrid) {
  const char* d = "2026-11-23";
  CandleSpec spec;
  spec.timezone_offset_minutes = 480;
  spec.sessions = CeaSessions();
  const auto starts_and_ends = [&spec](const std::vector<TradeTick>& trades) {
    Result<std::vector<Candle>> candles = ComputeCandles(trades, spec);
    GL_ASSERT(candles.ok());
    std::vector<std::pair<time_us, time_us>> result;
    for (const Candle& candle : candles.value()) result.emplace_back(candle.start_us, candle.end_us);
    return result;
  };
  // 90 minutes in a 120-minute session: 09:30–11:00, then 11:00–11:30 (cut at the session's end).
  spec.interval_minutes = 90;
  EXPECT_EQ(starts_and_ends({Listing(1, Beijing(d, 9, 40), 5'000, 1), Listing(2, Beijing(d, 11, 10), 5'000, 1)}),
            (std::vector<std::pair<time_us, time_us>>{{Beijing(d, 9, 30), Beijing(d, 11, 0)},
                                                      {Beijing(d, 11, 0), Beijing(d, 11, 30)}}));
  // Outside the sessions, 60 minutes from midnight cut at the neighbouring sessions:
  // 08:00 → 08:00–09:00; 09:10 → 09:00–09:30; 11:45 → 11:30–12:00; 12:10 → 12:00–13:00.
  spec.interval_minutes = 60;
  EXPECT_EQ(starts_and_ends({Listing(1, Beijing(d, 8, 0), 5'000, 1), Listing(2, Beijing(d, 9, 10), 5'000, 1),
                             Listing(3, Beijing(d, 11, 45), 5'000, 1), Listing(4, Beijing(d, 12, 10), 5'000, 1)}),
            (std::vector<std::pair<time_us, time_us>>{{Beijing(d, 8, 0), Beijing(d, 9, 0)},
                                                      {Beijing(d, 9, 0), Beijing(d, 9, 30)},
                                                      {Beijing(d, 11, 30), Beijing(d, 12, 0)},
                                                      {Beijing(d, 12, 0), Beijing(d, 13, 0)}}));
  // No sessions, 7 minutes: the last bucket of the local day, 23:55–24:00, is cut at midnight.
  spec.sessions.clear();
  spec.interval_minutes = 7;
  EXPECT_EQ(starts_and_ends({Listing(1, Beijing(d, 23, 58), 5'000, 1)}),
            (std::vector<std::pair<time_us, time_us>>{{Beijing(d, 23, 55), Beijing(d, 24, 0)}}));
  // Negative offset across the epoch: 00:00 UTC is 23:00 on 1969-12-31 at UTC−1, so its 60-minute
  // bucket is 23:00–24:00 local = 00:00–01:00 UTC.
  spec.timezone_offset_minutes = -60;
  spec.interval_minutes = 60;
  EXPECT_EQ(starts_and_ends({Listing(1, 0, 5'000, 1)}),
            (std::vector<std::pair<time_us, time_us>>{{0, 60 * kMinuteUs}}));
}

TEST(MarketDataTest, CandleSpecsOutOfRangeAreRefused) {
  const std::vector<TradeTick> trades = {Listing(1, 1, 5'000, 1)};
  const auto field = [&trades](const CandleSpec& spec) {
    Result<std::vector<Candle>> candles = ComputeCandles(trades, spec);
    return candles.ok() ? std::string("ok") : candles.status().field();
  };
  CandleSpec spec;
  EXPECT_EQ(field(spec), "ok");
  spec.interval_minutes = 0;
  EXPECT_EQ(field(spec), "interval_minutes");
  spec.interval_minutes = 1'441;
  EXPECT_EQ(field(spec), "interval_minutes");
  spec.interval_minutes = 1'440;
  EXPECT_EQ(field(spec), "ok");
  spec.timezone_offset_minutes = 15 * 60;
  EXPECT_EQ(field(spec), "timezone_offset_minutes");
  spec.timezone_offset_minutes = 0;
  spec.sessions = {TradingSession{570, 690, true, false}, TradingSession{680, 700, true, false}};  // overlap
  EXPECT_EQ(field(spec), "sessions");
  spec.sessions = {TradingSession{570, 1'441, true, false}};
  EXPECT_EQ(field(spec), "sessions");
  spec.sessions = {TradingSession{600, 600, true, false}};
  EXPECT_EQ(field(spec), "sessions");
  // Sessions given in any order are sorted first.
  spec.sessions = {TradingSession{780, 900, true, true}, TradingSession{570, 690, true, false}};
  EXPECT_EQ(field(spec), "ok");
}

TEST(MarketDataTest, CandlesAddUpToTheDailyBar) {
  // Goal: candles and the daily bar agree on random days. Method: 300 trades at random seconds of
  // the CEA sessions (block trades in the afternoon), fixed seed; for each interval the listing
  // candles are sorted, do not overlap, and their volumes, turnovers, counts, first open and
  // extremes equal the bar's listing figures.
  std::mt19937_64 random(20261123);
  const char* d = "2026-11-23";
  std::vector<TradeTick> trades;
  for (std::int64_t id = 1; id <= 300; ++id) {
    const bool morning = random() % 2 == 0;
    const time_us at_us = Beijing(d, morning ? 9 : 13, morning ? 30 : 0) +
                          static_cast<time_us>(random() % 7'200) * kSecondUs;
    const bool block = !morning && random() % 10 == 0;
    const std::int64_t price_fen = 4'500 + static_cast<std::int64_t>(random() % 1'000);
    const quantity_t quantity = block ? 100'000 : 1 + static_cast<quantity_t>(random() % 5'000);
    trades.push_back(block ? Block(id, at_us, price_fen, quantity) : Listing(id, at_us, price_fen, quantity));
  }
  std::stable_sort(trades.begin(), trades.end(),
                   [](const TradeTick& a, const TradeTick& b) { return a.at_us < b.at_us; });
  const DailyBar bar = Bar(d, trades, 5'000);
  for (const std::int64_t interval_minutes : {1, 5, 15, 60, 90, 1'440}) {
    CandleSpec spec;
    spec.interval_minutes = interval_minutes;
    spec.timezone_offset_minutes = 480;
    spec.sessions = CeaSessions();
    Result<std::vector<Candle>> candles = ComputeCandles(trades, spec);
    ASSERT_TRUE(candles.ok());
    quantity_t volume = 0;
    std::int64_t turnover_fen = 0;
    std::int64_t count = 0;
    std::int64_t high_fen = 0;
    std::int64_t low_fen = std::numeric_limits<std::int64_t>::max();
    for (std::size_t i = 0; i < candles.value().size(); ++i) {
      const Candle& candle = candles.value()[i];
      EXPECT_LT(candle.start_us, candle.end_us);
      EXPECT_LE(candle.end_us - candle.start_us, interval_minutes * kMinuteUs);
      if (i > 0) {
        EXPECT_LE(candles.value()[i - 1].end_us, candle.start_us);
      }
      EXPECT_LE(candle.low_fen, std::min(candle.open_fen, candle.close_fen));
      EXPECT_GE(candle.high_fen, std::max(candle.open_fen, candle.close_fen));
      volume += candle.volume;
      turnover_fen += candle.turnover_fen;
      count += candle.trade_count;
      high_fen = std::max(high_fen, candle.high_fen);
      low_fen = std::min(low_fen, candle.low_fen);
    }
    EXPECT_EQ(volume, bar.listing_volume) << interval_minutes;
    EXPECT_EQ(turnover_fen, bar.listing_turnover_fen) << interval_minutes;
    EXPECT_EQ(count, bar.listing_trade_count) << interval_minutes;
    EXPECT_EQ(candles.value().front().open_fen, bar.open_fen) << interval_minutes;
    EXPECT_EQ(high_fen, bar.high_fen) << interval_minutes;
    EXPECT_EQ(low_fen, bar.low_fen) << interval_minutes;
  }
}

// Four trading days around a month end: Fri 2026-11-27, Mon 11-30 (no trade), Tue 12-01, Wed 12-02.
std::vector<DailyBar> FourDays() {
  return {
      // 100 @ 50.00, 100 @ 52.00: close 5,100, turnover 1,020,000.
      Bar("2026-11-27", {Listing(1, 1, 5'000, 100), Listing(2, 2, 5'200, 100)}, 5'000),
      Bar("2026-11-30", {}, 5'100),
      // 10 @ 49.00 listing and 100,000 @ 47.00 block: turnover 49,000 + 470,000,000.
      Bar("2026-12-01", {Listing(3, 3, 4'900, 10), Block(4, 4, 4'700, 100'000)}, 5'100),
      Bar("2026-12-02", {Listing(5, 5, 5'300, 50)}, 4'900),  // turnover 265,000
  };
}

TEST(MarketDataTest, WeeklyBarsAggregateDailyBarsByIsoWeek) {
  const std::vector<DailyBar> days = FourDays();
  Result<std::vector<PeriodBar>> weeks = AggregateByPeriod(days, BarPeriod::kWeek, 1);
  ASSERT_TRUE(weeks.ok()) << weeks.status().ToString();
  ASSERT_EQ(weeks.value().size(), 2u);
  // The week of 11-23 holds only Friday 11-27.
  const PeriodBar& first = weeks.value()[0];
  EXPECT_EQ(first.first_day, Day("2026-11-27"));
  EXPECT_EQ(first.last_day, Day("2026-11-27"));
  EXPECT_EQ(first.day_count, 1);
  EXPECT_EQ(first.close_fen, 5'100);
  EXPECT_EQ(first.change_bp, 200);  // 100 / 5,000
  // The week of Monday 11-30: open 51.00 (Monday's, the carried close), high 53.00, low 49.00
  // (listing trades), close 53.00, against Monday's previous close 51.00: +200 fen = 392.16 → 392 bp.
  const PeriodBar& second = weeks.value()[1];
  EXPECT_EQ(second.first_day, Day("2026-11-30"));
  EXPECT_EQ(second.last_day, Day("2026-12-02"));
  EXPECT_EQ(second.day_count, 3);
  EXPECT_EQ(second.previous_close_fen, 5'100);
  EXPECT_EQ(second.open_fen, 5'100);
  EXPECT_EQ(second.high_fen, 5'300);
  EXPECT_EQ(second.low_fen, 4'900);
  EXPECT_EQ(second.close_fen, 5'300);
  EXPECT_EQ(second.change_fen, 200);
  EXPECT_EQ(second.change_bp, 392);
  EXPECT_EQ(second.volume, 100'060);
  EXPECT_EQ(second.listing_volume, 60);
  EXPECT_EQ(second.block_volume, 100'000);
  EXPECT_EQ(second.turnover_fen, 470'314'000);
  EXPECT_EQ(second.trade_count, 3);
  // 470,314,000 / 100,060 = 4,700 remainder 32,000; 64,000 < 100,060, so 4,700.
  EXPECT_EQ(second.vwap_fen, 4'700);
}

TEST(MarketDataTest, MonthlyBarsSplitAtTheMonthEnd) {
  const std::vector<DailyBar> days = FourDays();
  Result<std::vector<PeriodBar>> months = AggregateByPeriod(days, BarPeriod::kMonth, 1);
  ASSERT_TRUE(months.ok());
  ASSERT_EQ(months.value().size(), 2u);
  const PeriodBar& november = months.value()[0];
  EXPECT_EQ(november.day_count, 2);
  EXPECT_EQ(november.open_fen, 5'000);
  EXPECT_EQ(november.high_fen, 5'200);
  EXPECT_EQ(november.low_fen, 5'000);
  EXPECT_EQ(november.close_fen, 5'100);  // Monday 11-30 carried Friday's close
  EXPECT_EQ(november.volume, 200);
  EXPECT_EQ(november.turnover_fen, 1'020'000);
  EXPECT_EQ(november.vwap_fen, 5'100);
  const PeriodBar& december = months.value()[1];
  EXPECT_EQ(december.first_day, Day("2026-12-01"));
  EXPECT_EQ(december.open_fen, 4'900);
  EXPECT_EQ(december.close_fen, 5'300);
  EXPECT_EQ(december.previous_close_fen, 5'100);
  EXPECT_EQ(december.change_bp, 392);
  // The whole range at once equals its own aggregate, and an empty range makes no period.
  Result<PeriodBar> all = AggregateBars(days, 1);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all.value().volume, 100'260);
  EXPECT_EQ(all.value().change_bp, 600);  // 5,000 → 5,300
  EXPECT_TRUE(AggregateByPeriod({}, BarPeriod::kMonth, 1).value().empty());
}

TEST(MarketDataTest, AggregatesRefuseBadRanges) {
  std::vector<DailyBar> days = FourDays();
  EXPECT_EQ(AggregateBars({}, 1).status().code(), "bars_empty");
  std::swap(days[0], days[1]);
  EXPECT_EQ(AggregateBars(days, 1).status().code(), "bars_out_of_order");
  EXPECT_EQ(AggregateByPeriod(days, BarPeriod::kWeek, 1).status().code(), "bars_out_of_order");
  days = FourDays();
  days[2].block_volume += 1;  // no longer adds up to the volume
  EXPECT_EQ(AggregateBars(days, 1).status().code(), "bar_inconsistent");
  days = FourDays();
  days[1].previous_close_fen = 0;
  EXPECT_EQ(AggregateBars(days, 1).status().code(), "bar_inconsistent");
  days = FourDays();
  days[0].day = -1'000'000'000;  // still first, but beyond the calendar
  EXPECT_EQ(AggregateByPeriod(days, BarPeriod::kMonth, 1).status().code(), "day_out_of_range");
}

}  // namespace
}  // namespace greenloop
