// src/market/market_data.h
//
// Market data of one instrument computed from its trades: the daily bar (open, high, low, close,
// volumes, turnover, VWAP, change against the previous close), intraday candles for a chart, and
// weekly or monthly bars made of daily ones. Pure functions: the caller reads the trades and the
// previous close from storage and passes them in; nothing here reads a clock or does I/O.
//
// The CEA rules (SEEE announcement of 2021-06-22 [S], shared/reference/carbon-market.md §3.3):
//   - opening price: the first trade of the day, or the previous close when there is no trade;
//   - closing price: the volume-weighted average price of the day's listing (挂牌协议) trades, or
//     the previous close when there is no listing trade.
// Rules chosen here (docs/market-engine.md, "Market data and surveillance", says why):
//   - open, high and low come from listing trades only, like the close: block trades (大宗协议) are
//     negotiated within ±30 % and would distort the day's price range; the source's "first trade"
//     is read as the first listing trade [U];
//   - volume, turnover and trade count are given for all trades and for each mode separately;
//   - a VWAP (the close, and vwap_fen over all trades) is rounded half up to the price tick: the
//     sources do not say how the exchange rounds it [U];
//   - the change in basis points is rounded half away from zero (our choice, for symmetry).
// Sums are checked: a turnover or volume that does not fit 64 bits is refused with a Status.
#ifndef GREENLOOP_MARKET_MARKET_DATA_H_
#define GREENLOOP_MARKET_MARKET_DATA_H_

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/status.h"
#include "core/types.h"
#include "market/trading_rules.h"

namespace greenloop {

// One trade as market data and surveillance see it. Owners are beneficial owners (organizations):
// two accounts of one group share an owner.
struct TradeTick {
  std::int64_t trade_id = 0;
  time_us at_us = 0;
  std::int64_t price_fen = 0;  // per unit of quantity, > 0
  quantity_t quantity = 0;     // > 0
  TradingMode mode = TradingMode::kListing;
  AccountId buy_account_id = 0;
  AccountId sell_account_id = 0;
  OrgId buy_owner_id = 0;
  OrgId sell_owner_id = 0;
};

// Which trades a computation looks at.
enum class TradeSelection : std::uint8_t { kListingOnly, kAll };

// Ok when every trade has a positive price and quantity, is a listing or block trade, lies within
// 10,000 years of 1970 (so that time arithmetic cannot overflow), and the trades are in time order
// (at_us never decreases; equal times keep the given order). Otherwise the first fault, with the
// field "trades".
Status CheckTrades(std::span<const TradeTick> trades);

// The figures of a bar over one day or several. Prices are absent when there is nothing to take
// them from: open and close without trades and without a previous close, high and low without a
// listing trade, the VWAP without any trade, the change without a close or a previous close.
struct BarFigures {
  std::optional<std::int64_t> previous_close_fen;  // the reference price the change is against
  std::optional<std::int64_t> open_fen;
  std::optional<std::int64_t> high_fen;
  std::optional<std::int64_t> low_fen;
  std::optional<std::int64_t> close_fen;
  std::optional<std::int64_t> vwap_fen;  // turnover / volume over all trades, half up to the tick [U]
  quantity_t volume = 0;                 // all trades
  std::int64_t turnover_fen = 0;         // Σ price × quantity over all trades
  std::int64_t trade_count = 0;
  quantity_t listing_volume = 0;
  std::int64_t listing_turnover_fen = 0;
  std::int64_t listing_trade_count = 0;
  quantity_t block_volume = 0;
  std::int64_t block_turnover_fen = 0;
  std::int64_t block_trade_count = 0;
  std::optional<std::int64_t> change_fen;  // close − previous close
  std::optional<std::int64_t> change_bp;   // change / previous close, half away from zero

  friend bool operator==(const BarFigures&, const BarFigures&) = default;
};

struct DailyBar : BarFigures {
  std::int64_t day = 0;  // the trading day, days since 1970-01-01 (its local date)
};

// A bar over consecutive trading days (a week, a month): open of the first day, close of the last,
// the highest high and lowest low, sums of volumes and turnovers, the change against the first
// day's previous close.
struct PeriodBar : BarFigures {
  std::int64_t first_day = 0;
  std::int64_t last_day = 0;
  std::int64_t day_count = 0;  // daily bars aggregated
};

// The bar of one trading day. trades: that day's trades of one instrument, in time order;
// previous_close_fen: the previous trading day's close, absent for the first day.
// tick_fen (> 0, asserted) is the price tick the VWAPs are rounded to. Refuses trades that fail
// CheckTrades and sums that overflow ("turnover_overflow", "volume_overflow").
Result<DailyBar> ComputeDailyBar(std::int64_t day, std::span<const TradeTick> trades,
                                 std::optional<std::int64_t> previous_close_fen, std::int64_t tick_fen);

// Aggregates daily bars in strictly increasing day order (refused otherwise: "bars") into one
// bar; an empty span is refused too, and so is a bar ComputeDailyBar could not have made (a price
// that is not positive, mode sums that do not add up to the totals). Days without trades count in
// day_count.
Result<PeriodBar> AggregateBars(std::span<const DailyBar> bars, std::int64_t tick_fen);

enum class BarPeriod : std::uint8_t { kWeek, kMonth };  // ISO weeks (Monday first), calendar months

// Groups daily bars (strictly increasing days) by week or month and aggregates each group; the
// result is in day order.
Result<std::vector<PeriodBar>> AggregateByPeriod(std::span<const DailyBar> bars, BarPeriod period,
                                                 std::int64_t tick_fen);

// One intraday candle. The close is the last trade's price: the VWAP rule is the day's close only.
struct Candle {
  time_us start_us = 0;  // UTC, inclusive
  time_us end_us = 0;    // UTC, exclusive
  std::int64_t open_fen = 0;
  std::int64_t high_fen = 0;
  std::int64_t low_fen = 0;
  std::int64_t close_fen = 0;
  quantity_t volume = 0;
  std::int64_t turnover_fen = 0;
  std::int64_t trade_count = 0;

  friend bool operator==(const Candle&, const Candle&) = default;
};

struct CandleSpec {
  std::int64_t interval_minutes = 1;         // 1 ... 1,440
  std::int32_t timezone_offset_minutes = 0;  // local time = UTC + offset; |offset| <= 14 h
  // Local sessions (minutes after midnight, non-overlapping). A trade inside a session falls in a
  // bucket counted from the session's start and cut at its end (60 minutes from 09:30: 09:30–10:30,
  // 10:30–11:30; from 13:00: 13:00–14:00, 14:00–15:00). A trade outside every session, or any
  // trade when there are no sessions, falls on the grid counted from local midnight, cut at the
  // neighbouring sessions so that no two buckets overlap.
  std::vector<TradingSession> sessions;
  TradeSelection selection = TradeSelection::kListingOnly;
};

// Candles of the selected trades, one per non-empty bucket, in time order. Refuses trades that
// fail CheckTrades, an interval, offset or sessions out of range (fields "interval_minutes",
// "timezone_offset_minutes", "sessions") and overflowing sums.
Result<std::vector<Candle>> ComputeCandles(std::span<const TradeTick> trades, const CandleSpec& spec);

// (to − from) / from in basis points, rounded half away from zero, saturating at the 64-bit
// limits (a price 9 × 10^14 times its reference). from_fen > 0 (asserted).
std::int64_t ChangeBasisPoints(std::int64_t from_fen, std::int64_t to_fen);

// Whether |to − from| / from is more than threshold_bp, compared exactly (not on the rounded bp).
// from_fen > 0 and threshold_bp >= 0 (asserted).
bool MovesMoreThan(std::int64_t from_fen, std::int64_t to_fen, std::int64_t threshold_bp);

}  // namespace greenloop

#endif  // GREENLOOP_MARKET_MARKET_DATA_H_
