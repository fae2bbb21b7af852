// src/service/surveillance_report.h
//
// The regulator's market surveillance report (市场监察报告) of one listed instrument over a range of
// trading days: the pure computations of market/surveillance.h fed from the store and given names.
//
//   - wash-trade candidates (对倒交易): trades whose buyer and seller are the same organization
//     (the beneficial owner), with both accounts of each trade;
//   - round trips (来回交易): two organizations selling to each other within a window with a small
//     net quantity;
//   - holding concentration (持仓集中度) over holding accounts: the top owners' shares, the HHI and
//     the large holders. Issuance, reserve, retirement, cancellation and clearing accounts are left
//     out: they hold for the registry, the government or the exchange, not for a market
//     participant. The holdings are the current ones (the store keeps no holdings as of a past
//     day), whatever range the trades are taken from;
//   - unusual price moves: days whose close moved more than a threshold from the previous close,
//     and trades whose price moved more than a threshold from the day's previous listing trade.
//
// Everything is an integer: quantities in the instrument's smallest unit, prices in fen, shares
// and changes in basis points. Shares (and the HHI, in points) are rounded half up; changes in
// basis points half away from zero; thresholds are compared exactly on the unrounded ratios
// (docs/market-engine.md, "Surveillance reports").
//
// Reads only through the Store (any thread; each read sees committed data, the report's reads are
// not one snapshot) and ReadDailyBars / TradeTicks of exchange_service.h.
#ifndef GREENLOOP_SERVICE_SURVEILLANCE_REPORT_H_
#define GREENLOOP_SERVICE_SURVEILLANCE_REPORT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "market/records.h"
#include "market/surveillance.h"
#include "store/store.h"

namespace greenloop {

// Defaults and limits of the query (docs/api.md, "Market surveillance", says why these).
inline constexpr std::int64_t kDefaultSurveillanceDays = 20;       // trading days, when no from is given
inline constexpr std::int64_t kMaxSurveillanceRangeDays = 366;     // calendar days from..to, both included
inline constexpr std::int64_t kDefaultCloseMoveBps = 500;          // half the CEA daily band of ±10 %
inline constexpr std::int64_t kDefaultPriceJumpBps = 200;
inline constexpr std::int64_t kDefaultTopN = 10;
inline constexpr std::int64_t kMaxTopN = 100;
inline constexpr std::int64_t kDefaultLargeHolderBps = 1000;       // 10 % of what holding accounts hold
inline constexpr std::int64_t kDefaultRoundTripWindowMinutes = 60;
inline constexpr std::int64_t kMaxRoundTripWindowMinutes = 7 * 24 * 60;
inline constexpr std::int64_t kDefaultRoundTripMaxNetBps = 1000;
inline constexpr std::int64_t kMaxThresholdBps = 100'000;          // a move of 1,000 %

struct SurveillanceQuery {
  std::string instrument;            // required; must be listed
  std::optional<std::string> from;   // YYYY-MM-DD, inclusive
  std::optional<std::string> to;     // YYYY-MM-DD, inclusive
  std::int64_t close_move_bps = kDefaultCloseMoveBps;    // 0 ... kMaxThresholdBps
  std::int64_t price_jump_bps = kDefaultPriceJumpBps;    // 0 ... kMaxThresholdBps
  std::int64_t top_n = kDefaultTopN;                     // 1 ... kMaxTopN
  std::int64_t large_holder_bps = kDefaultLargeHolderBps;  // 1 ... 10,000
  std::int64_t round_trip_window_minutes = kDefaultRoundTripWindowMinutes;  // 1 ... a week
  std::int64_t round_trip_max_net_bps = kDefaultRoundTripMaxNetBps;         // 0 ... 10,000
  quantity_t round_trip_min_quantity = 0;                                   // >= 0
};

// One trade of a wash-trade candidate, with both of its accounts.
struct SurveillanceTrade {
  std::int64_t trade_id = 0;
  std::string trading_day;
  std::string mode;  // listing, block
  time_us at_us = 0;
  std::int64_t price_fen = 0;
  quantity_t quantity = 0;
  AccountId buy_account_id = 0;
  AccountId sell_account_id = 0;
};

struct SameOwnerCandidate {
  SameOwnerFinding finding;
  std::string owner_name;
  std::vector<SurveillanceTrade> trades;  // in time order
};

struct RoundTripCandidate {
  RoundTripFinding finding;
  std::string low_owner_name;
  std::string high_owner_name;
};

// One owner's holding of the instrument, over its holding accounts.
struct OwnerShare {
  OrgId owner_id = 0;
  std::string owner_name;
  quantity_t quantity = 0;
  std::int64_t share_bps = 0;      // of the total over holding accounts, half up
  std::int64_t account_count = 0;  // holding accounts with a positive holding
};

struct ConcentrationReport {
  quantity_t total_quantity = 0;  // over holding accounts
  std::int64_t owner_count = 0;
  std::int64_t hhi_points = 0;
  std::vector<TopShare> top;                 // the largest 1, 5, 10 (and top_n) owners together
  std::vector<OwnerShare> top_holders;       // the top_n largest owners, largest first, then by id
  std::vector<OwnerShare> large_holders;     // share >= large_holder_bps, largest first, then by id
};

struct CloseMove {
  CloseMoveFinding finding;
  std::string trading_day;
  bool closed = false;  // false: the day is still open and its close is the VWAP so far
};

struct PriceJump {
  PriceJumpFinding finding;
  std::string trading_day;
};

struct SurveillanceReport {
  std::string instrument;
  SurveillanceQuery query;  // as applied: from and to resolved (absent when the listing has no day)
  std::vector<std::string> trading_days;  // the listing's trading days in from..to, oldest first
  std::int64_t trade_count = 0;           // listing and block trades on those days
  quantity_t volume = 0;
  std::int64_t turnover_fen = 0;
  std::vector<SameOwnerCandidate> same_owner;  // by owner id
  std::vector<RoundTripCandidate> round_trips; // by first trade time, then owner ids
  ConcentrationReport concentration;
  std::vector<CloseMove> close_moves;          // by day
  std::vector<PriceJump> price_jumps;          // in time order
};

// Builds the report. Refusals: 400 for a missing instrument, a date that is not YYYY-MM-DD, from
// after to, a range of more than 366 days, a threshold out of range (field = the query
// parameter's name); 404 for an instrument that is not listed. A store outage is 503; stored
// trades that the computations refuse (out of time order, overflowing sums) are corruption.
Status BuildSurveillanceReport(Store& store, const SurveillanceQuery& q, SurveillanceReport* out);

}  // namespace greenloop

#endif  // GREENLOOP_SERVICE_SURVEILLANCE_REPORT_H_
