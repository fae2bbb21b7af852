// Market surveillance (src/market/surveillance.h): wash-trade candidates (same-owner trades and
// round trips between two owners), concentration of holdings (top shares, HHI, large holders) and
// unusual price moves (closes against the previous close, trades against the previous trade).
// Each expected figure is worked out by hand in the comment beside it; thresholds are the test's.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/decimal.h"
#include "market/market_data.h"
#include "market/surveillance.h"

namespace greenloop {
namespace {

constexpr time_us kMinuteUs = 60'000'000;

// A listing trade: `seller` sells `quantity` to `buyer` (owners; each owner's account is owner × 10
// unless given).
TradeTick Sale(std::int64_t id, time_us at_us, OrgId seller, OrgId buyer, quantity_t quantity,
               std::int64_t price_fen = 5'000) {
  TradeTick trade;
  trade.trade_id = id;
  trade.at_us = at_us;
  trade.price_fen = price_fen;
  trade.quantity = quantity;
  trade.sell_owner_id = seller;
  trade.buy_owner_id = buyer;
  trade.sell_account_id = seller * 10;
  trade.buy_account_id = buyer * 10;
  return trade;
}

TEST(SurveillanceTest, SameOwnerTradesAreGroupedByOwner) {
  std::vector<TradeTick> trades = {
      Sale(1, 1, 10, 10, 100, 5'000),  // owner 10 between its accounts 101 and 102
      Sale(2, 2, 20, 10, 50),          // two owners: not a candidate
      Sale(3, 3, 30, 30, 5, 5'100),    // owner 30 with itself, one account
      Sale(4, 4, 10, 10, 200, 4'900),  // owner 10 again, 102 to 101
  };
  trades[0].sell_account_id = 102;
  trades[0].buy_account_id = 101;
  trades[3].sell_account_id = 101;
  trades[3].buy_account_id = 102;
  Result<std::vector<SameOwnerFinding>> found = FindSameOwnerTrades(trades);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  // Owner 10: 100 + 200 = 300 t, 500,000 + 980,000 = 1,480,000 fen. Owner 30: 5 t × 5,100.
  const std::vector<SameOwnerFinding> expected = {
      {10, 300, 1'480'000, 0, {1, 4}},
      {30, 5, 25'500, 1, {3}},
  };
  EXPECT_EQ(found.value(), expected);
  trades[1].buy_owner_id = 0;
  EXPECT_EQ(FindSameOwnerTrades(trades).status().code(), "owner_missing");
}

TEST(SurveillanceTest, RoundTripsAreEpisodesBackAndForthWithASmallNet) {
  const RoundTripParams params{10 * kMinuteUs, 1'000, 0};  // 10 minutes, net at most 10 %
  const std::vector<TradeTick> trades = {
      Sale(1, 0, 10, 20, 100),                      // 10 → 20
      Sale(2, 0, 60, 50, 40),                       // 60 → 50
      Sale(3, 1 * kMinuteUs, 30, 40, 100),          // 30 → 40
      Sale(4, 2 * kMinuteUs, 40, 30, 50),           // 40 → 30: net 50 of 150 = 33 %, too much
      Sale(5, 5 * kMinuteUs, 20, 10, 95),           // 20 → 10: net 5 of 195
      Sale(6, 9 * kMinuteUs, 60, 50, 10),           // 9 minutes after trade 2
      Sale(7, 18 * kMinuteUs, 50, 60, 50),          // 9 minutes after trade 6: the same episode
      Sale(8, 20 * kMinuteUs, 70, 70, 1'000),       // same owner: not a round trip
      Sale(9, 60 * kMinuteUs, 10, 20, 100),         // 55 minutes later: a new one-way episode
      Sale(10, 100 * kMinuteUs, 80, 90, 10),        // 80 → 90 ...
      Sale(11, 110 * kMinuteUs + 1, 90, 80, 10),    // ... back 1 µs after the window: two episodes
  };
  Result<std::vector<RoundTripFinding>> found = FindRoundTrips(trades, params);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  // Both start at 0, so by owner pair: (10, 20) then (50, 60).
  // (10, 20): 10 sold 100, 20 sold 95; gross 195, net 5 = 256.41 → 256 bp.
  // (50, 60): 50 sold 50, 60 sold 40 + 10 = 50; gross 100, net 0.
  const std::vector<RoundTripFinding> expected = {
      {10, 20, 0, 5 * kMinuteUs, 100, 95, 195, 5, 256, {1, 5}},
      {50, 60, 0, 18 * kMinuteUs, 50, 50, 100, 0, 0, {2, 6, 7}},
  };
  EXPECT_EQ(found.value(), expected);

  // A minimum gross of 100 keeps both (100 is at least 100); 101 drops the (50, 60) episode.
  Result<std::vector<RoundTripFinding>> large = FindRoundTrips(trades, RoundTripParams{10 * kMinuteUs, 1'000, 101});
  ASSERT_TRUE(large.ok());
  ASSERT_EQ(large.value().size(), 1u);
  EXPECT_EQ(large.value()[0].low_owner_id, 10);
  // Allowing a net share of 3,334 bp takes in (30, 40): 50 / 150 = 3,333.3 bp.
  Result<std::vector<RoundTripFinding>> loose = FindRoundTrips(trades, RoundTripParams{10 * kMinuteUs, 3'334, 0});
  ASSERT_TRUE(loose.ok());
  ASSERT_EQ(loose.value().size(), 3u);
  EXPECT_EQ(loose.value()[2].low_owner_id, 30);
  EXPECT_EQ(loose.value()[2].net_share_bp, 3'333);
  // A window one microsecond wider joins trades 10 and 11 (gross 20, net 0), sorted last.
  Result<std::vector<RoundTripFinding>> wide = FindRoundTrips(trades, RoundTripParams{10 * kMinuteUs + 1, 1'000, 0});
  ASSERT_TRUE(wide.ok());
  ASSERT_EQ(wide.value().size(), 3u);
  EXPECT_EQ(wide.value()[2].trade_ids, (std::vector<std::int64_t>{10, 11}));
}

TEST(SurveillanceTest, RoundTripParametersOutOfRangeAreRefused) {
  const std::vector<TradeTick> trades = {Sale(1, 0, 10, 20, 100)};
  EXPECT_EQ(FindRoundTrips(trades, RoundTripParams{0, 1'000, 0}).status().field(), "window_us");
  EXPECT_EQ(FindRoundTrips(trades, RoundTripParams{1, -1, 0}).status().field(), "max_net_share_bp");
  EXPECT_EQ(FindRoundTrips(trades, RoundTripParams{1, 10'001, 0}).status().field(), "max_net_share_bp");
  EXPECT_EQ(FindRoundTrips(trades, RoundTripParams{1, 1'000, -1}).status().field(), "min_gross_quantity");
  EXPECT_TRUE(FindRoundTrips(trades, RoundTripParams{1, 10'000, 0}).ok());
  EXPECT_TRUE(FindRoundTrips({}, RoundTripParams{1, 0, 0}).value().empty());
}

TEST(SurveillanceTest, ConcentrationAddsAccountsUpByOwner) {
  const std::vector<AccountHolding> holdings = {
      {11, 1, 3'000}, {12, 1, 1'000}, {11, 1, 1'000},  // owner 1: 5,000 over two accounts (11 listed twice)
      {21, 2, 3'000},
      {31, 3, 1'000},
      {41, 4, 500},   {42, 4, 0},                       // owner 4: one account holds something
      {51, 5, 500},
      {61, 6, 0},                                       // owner 6 holds nothing
  };
  ConcentrationParams params;
  params.large_holder_threshold_bp = 1'000;
  Result<Concentration> result = ComputeConcentration(holdings, params);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const Concentration& c = result.value();
  EXPECT_EQ(c.total_quantity, 10'000);
  EXPECT_EQ(c.owner_count, 5);
  // Shares 50 %, 30 %, 10 %, 5 %, 5 %.
  EXPECT_EQ(c.top, (std::vector<TopShare>{{1, 5'000, 5'000}, {5, 10'000, 10'000}, {10, 10'000, 10'000}}));
  // HHI = 50² + 30² + 10² + 5² + 5² = 2,500 + 900 + 100 + 25 + 25 = 3,550.
  EXPECT_EQ(c.hhi_points, 3'550);
  // At or above 10 %: owner 3 at exactly 10 % is one.
  EXPECT_EQ(c.large_holders,
            (std::vector<LargeHolder>{{1, 5'000, 5'000, 2}, {2, 3'000, 3'000, 1}, {3, 1'000, 1'000, 1}}));
  params.large_holder_threshold_bp = 1'001;
  EXPECT_EQ(ComputeConcentration(holdings, params).value().large_holders.size(), 2u);
  // Equal holdings are listed by owner id.
  params.large_holder_threshold_bp = 500;
  const std::vector<LargeHolder> all = ComputeConcentration(holdings, params).value().large_holders;
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all[3].owner_id, 4);
  EXPECT_EQ(all[4].owner_id, 5);
}

TEST(SurveillanceTest, ConcentrationRoundsHalfUp) {
  ConcentrationParams params;
  params.top_counts = {1};
  params.large_holder_threshold_bp = 5'000;
  // Three equal owners: 3,333.33 bp each → 3,333; HHI 3 × 33.33² = 3,333.33 → 3,333.
  Result<Concentration> thirds =
      ComputeConcentration(std::vector<AccountHolding>{{1, 1, 1}, {2, 2, 1}, {3, 3, 1}}, params);
  ASSERT_TRUE(thirds.ok());
  EXPECT_EQ(thirds.value().top[0].share_bp, 3'333);
  EXPECT_EQ(thirds.value().hhi_points, 3'333);
  EXPECT_TRUE(thirds.value().large_holders.empty());
  // 1 and 2 of 3: shares 3,333 and 6,667 bp; HHI (1 + 4) / 9 = 5,555.56 → 5,556.
  Result<Concentration> two = ComputeConcentration(std::vector<AccountHolding>{{1, 1, 1}, {2, 2, 2}}, params);
  EXPECT_EQ(two.value().top[0].share_bp, 6'667);
  EXPECT_EQ(two.value().hhi_points, 5'556);
  // One owner holds everything: 10,000; nobody holds anything: 0.
  EXPECT_EQ(ComputeConcentration(std::vector<AccountHolding>{{1, 1, 7}}, params).value().hhi_points, 10'000);
  Result<Concentration> none = ComputeConcentration(std::vector<AccountHolding>{{1, 1, 0}}, params);
  EXPECT_EQ(none.value().hhi_points, 0);
  EXPECT_EQ(none.value().owner_count, 0);
  EXPECT_EQ(none.value().top[0].share_bp, 0);
  EXPECT_TRUE(none.value().large_holders.empty());
  // Two owners of 2^62 − 1 each: squares near 2^124, still exact: HHI 5,000.
  constexpr quantity_t kHalf = (quantity_t{1} << 62) - 1;
  Result<Concentration> huge =
      ComputeConcentration(std::vector<AccountHolding>{{1, 1, kHalf}, {2, 2, kHalf}}, params);
  ASSERT_TRUE(huge.ok());
  EXPECT_EQ(huge.value().hhi_points, 5'000);
  EXPECT_EQ(huge.value().large_holders.size(), 2u);
}

TEST(SurveillanceTest, BadHoldingsAndParametersAreRefused) {
  ConcentrationParams params;
  params.large_holder_threshold_bp = 500;
  const auto code = [&params](const std::vector<AccountHolding>& holdings) {
    Result<Concentration> result = ComputeConcentration(holdings, params);
    return result.ok() ? std::string("ok") : result.status().code();
  };
  EXPECT_EQ(code({{1, 1, -1}}), "quantity_negative");
  EXPECT_EQ(code({{1, 1, 5}, {1, 2, 5}}), "account_owner_conflict");
  EXPECT_EQ(code({{1, 1, std::numeric_limits<quantity_t>::max()}, {2, 2, 1}}), "total_overflow");
  EXPECT_EQ(code({}), "ok");
  params.large_holder_threshold_bp = 0;  // the default: policy must be chosen
  EXPECT_EQ(ComputeConcentration({}, params).status().field(), "large_holder_threshold_bp");
  params.large_holder_threshold_bp = 10'001;
  EXPECT_EQ(ComputeConcentration({}, params).status().field(), "large_holder_threshold_bp");
  params.large_holder_threshold_bp = 500;
  params.top_counts = {1, 0};
  EXPECT_EQ(ComputeConcentration({}, params).status().field(), "top_counts");
}

TEST(SurveillanceTest, ConcentrationMatchesADirectComputation) {
  // Goal: the exact integer HHI and shares agree with a plain computation where that one cannot
  // overflow. Method: 200 random sets of up to 30 holdings below 10^6 (fixed seed); the HHI is
  // Σ q² × 10,000 / total² rounded half up in 128 bits, the top-1 share the largest owner's.
  std::mt19937_64 random(7);
  ConcentrationParams params;
  params.top_counts = {1};
  params.large_holder_threshold_bp = 1;
  for (int round = 0; round < 200; ++round) {
    std::vector<AccountHolding> holdings;
    const std::size_t rows = 1 + random() % 30;
    for (std::size_t i = 0; i < rows; ++i) {
      const AccountId account = static_cast<AccountId>(1 + random() % 40);
      holdings.push_back({account, account % 7, static_cast<quantity_t>(random() % 1'000'000)});
    }
    std::map<OrgId, quantity_t> by_owner;
    for (const AccountHolding& h : holdings) by_owner[h.owner_id] += h.quantity;
    int128_t total = 0, squares = 0;
    quantity_t largest = 0;
    for (const auto& [owner, quantity] : by_owner) {
      total += quantity;
      squares += static_cast<int128_t>(quantity) * quantity;
      largest = std::max(largest, quantity);
    }
    Result<Concentration> result = ComputeConcentration(holdings, params);
    ASSERT_TRUE(result.ok());
    if (total == 0) {
      EXPECT_EQ(result.value().hhi_points, 0);
      continue;
    }
    const int128_t hhi = (squares * 10'000 * 2 + total * total) / (2 * total * total);
    const int128_t top = (static_cast<int128_t>(largest) * 10'000 * 2 + total) / (2 * total);
    EXPECT_EQ(result.value().hhi_points, static_cast<std::int64_t>(hhi));
    EXPECT_EQ(result.value().top[0].share_bp, static_cast<std::int64_t>(top));
    EXPECT_EQ(result.value().total_quantity, static_cast<quantity_t>(total));
  }
}

DailyBar CloseBar(std::int64_t day, std::optional<std::int64_t> previous_close_fen,
                  std::optional<std::int64_t> close_fen) {
  DailyBar bar;
  bar.day = day;
  bar.previous_close_fen = previous_close_fen;
  bar.close_fen = close_fen;
  return bar;
}

TEST(SurveillanceTest, CloseMovesAboveTheThresholdAreFound) {
  const std::vector<DailyBar> bars = {
      CloseBar(1, std::nullopt, 5'000),  // the first day: nothing to compare with
      CloseBar(2, 5'000, 5'600),         // +600 = +1,200 bp
      CloseBar(3, 5'600, 5'600),         // 0
      CloseBar(4, 5'600, 5'040),         // −560 = −1,000 bp exactly
  };
  Result<std::vector<CloseMoveFinding>> over_1000 = FindCloseMoves(bars, 1'000);
  ASSERT_TRUE(over_1000.ok());
  EXPECT_EQ(over_1000.value(), (std::vector<CloseMoveFinding>{{2, 5'000, 5'600, 600, 1'200}}));
  Result<std::vector<CloseMoveFinding>> over_999 = FindCloseMoves(bars, 999);
  EXPECT_EQ(over_999.value(),
            (std::vector<CloseMoveFinding>{{2, 5'000, 5'600, 600, 1'200}, {4, 5'600, 5'040, -560, -1'000}}));
  EXPECT_EQ(FindCloseMoves(bars, -1).status().field(), "threshold_bp");
  std::vector<DailyBar> unordered = bars;
  unordered[3].day = 3;
  EXPECT_EQ(FindCloseMoves(unordered, 1'000).status().code(), "bars_out_of_order");
}

TEST(SurveillanceTest, PriceJumpsCompareEachTradeWithThePreviousOne) {
  std::vector<TradeTick> trades = {
      Sale(1, 1, 10, 20, 1, 5'000),
      Sale(2, 2, 10, 20, 1, 5'100),  // +100 / 5,000 = +200 bp
      Sale(3, 3, 10, 20, 100'000, 4'000),  // a block trade
      Sale(4, 4, 10, 20, 1, 5'100),  // listing: 0 against trade 2; all: +1,100 / 4,000 = +2,750 bp
      Sale(5, 5, 10, 20, 1, 4'590),  // −510 / 5,100 = −1,000 bp
      Sale(6, 6, 10, 20, 1, 4'589),  // −1 / 4,590 = −2.18 bp
  };
  trades[2].mode = TradingMode::kBlock;
  Result<std::vector<PriceJumpFinding>> listing = FindPriceJumps(trades, 150, TradeSelection::kListingOnly);
  ASSERT_TRUE(listing.ok());
  EXPECT_EQ(listing.value(), (std::vector<PriceJumpFinding>{{2, 1, 2, 5'000, 5'100, 100, 200},
                                                            {5, 4, 5, 5'100, 4'590, -510, -1'000}}));
  // With the block trade: trade 3 is −1,100 / 5,100 = −2,156.86 → −2,157 bp.
  Result<std::vector<PriceJumpFinding>> all = FindPriceJumps(trades, 150, TradeSelection::kAll);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all.value(), (std::vector<PriceJumpFinding>{{2, 1, 2, 5'000, 5'100, 100, 200},
                                                        {3, 2, 3, 5'100, 4'000, -1'100, -2'157},
                                                        {4, 3, 4, 4'000, 5'100, 1'100, 2'750},
                                                        {5, 4, 5, 5'100, 4'590, -510, -1'000}}));
  // Exactly at the threshold is not more than it.
  EXPECT_EQ(FindPriceJumps(trades, 1'000, TradeSelection::kListingOnly).value().size(), 0u);
  EXPECT_EQ(FindPriceJumps(trades, 999, TradeSelection::kListingOnly).value().size(), 1u);
  EXPECT_EQ(FindPriceJumps(trades, -1, TradeSelection::kAll).status().field(), "threshold_bp");
}

}  // namespace
}  // namespace greenloop
