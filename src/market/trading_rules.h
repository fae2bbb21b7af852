// src/market/trading_rules.h
//
// When and within which limits an instrument family trades (data/market/trading-rules.json):
// the price band around the previous close for listing and block trades, the sessions of a
// trading day, and the order-book rules of a day's listing trading. Pure: the caller passes the
// time and the previous close.
#ifndef GREENLOOP_MARKET_TRADING_RULES_H_
#define GREENLOOP_MARKET_TRADING_RULES_H_

#include <string>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"
#include "core/types.h"
#include "market/order_book.h"

namespace greenloop {

enum class TradingMode { kListing, kBlock };  // 挂牌协议, 大宗协议

struct TradingSession {
  int start_minute = 0;  // minutes after local midnight, inclusive
  int end_minute = 0;    // exclusive
  bool listing = false;
  bool block = false;
};

struct FamilyTradingRules {
  std::string family;
  std::int64_t tick_fen = 1;
  quantity_t lot = 1;
  quantity_t listing_max_quantity = 0;  // inclusive
  Decimal listing_band_percent;
  quantity_t block_min_quantity = 0;    // inclusive
  Decimal block_band_percent;
  std::vector<TradingSession> sessions;
  std::vector<int> weekdays;             // ISO: 1 Monday … 7 Sunday
  int timezone_offset_minutes = 0;       // local time = UTC + offset
  std::vector<std::string> holidays;     // YYYY-MM-DD, closed
  // Delivery of listing and block trades: T+0 (0) credits the bought units as available at once;
  // T+1 (1) credits them frozen until the day closes, so they cannot be sold the same day.
  int delivery_days = 0;
};

struct PriceBand {
  std::int64_t low_fen = 0;
  std::int64_t high_fen = 0;
};

// previous close ± percent, each limit rounded to the tick toward the close, so that no price in
// the band is further from the close than the percent. Refuses a close that is not positive or
// not on the tick.
Result<PriceBand> BandAround(std::int64_t previous_close_fen, Decimal percent, std::int64_t tick_fen);

// Whether `mode` may trade at `now_us`; `reason` says why not: "holiday", "weekend",
// "outside_hours" (or "block_afternoon_only" when a listing session is open but not for blocks).
struct SessionState {
  bool open = false;
  std::string reason;
  std::string local_date;  // YYYY-MM-DD in the family's time zone
};
SessionState SessionAt(const FamilyTradingRules& rules, TradingMode mode, time_us now_us);

// The order-book rules of a day's listing trading: the family's tick and lot, the listing maximum,
// the band around the previous close.
Result<InstrumentRules> ListingBookRules(const FamilyTradingRules& rules, std::int64_t previous_close_fen);

}  // namespace greenloop

#endif  // GREENLOOP_MARKET_TRADING_RULES_H_
