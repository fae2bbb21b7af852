// src/market/surveillance.h
//
// Market surveillance (市场监察) over one instrument's trades and holdings: pure functions that
// list candidates for a person to review, each with the trades or numbers that made it one. They
// decide nothing: every threshold is a parameter the caller takes from its configuration, and a
// finding is a reason to look, not a verdict.
//
//   1. Wash-trade candidates (对敲):
//      - same-owner trades: the buyer's and the seller's beneficial owner are the same
//        organization (two accounts of one group, or one account trading with itself);
//      - round trips: two different owners trade with each other in both directions within a
//        window, and what changed hands net is small against what was traded gross.
//   2. Concentration of holdings: the share of the largest 1, 5, 10 owners, the
//      Herfindahl-Hirschman index, and the owners at or above a large-holder share.
//   3. Unusual price moves: days whose close is further than a threshold from the previous close,
//      and trades whose price is further than a threshold from the previous trade's.
//
// Rounding (integer math, our choice; none of it is a published rule): shares in basis points and
// the HHI in points are rounded half up; changes in basis points half away from zero. Thresholds
// are compared exactly on the unrounded ratios, so a finding never depends on rounding.
// Results are deterministic and sorted as each function says.
#ifndef GREENLOOP_MARKET_SURVEILLANCE_H_
#define GREENLOOP_MARKET_SURVEILLANCE_H_

#include <cstdint>
#include <span>
#include <vector>

#include "core/status.h"
#include "core/types.h"
#include "market/market_data.h"

namespace greenloop {

// ---- 1. Wash-trade candidates ----

// The trades of one owner with itself.
struct SameOwnerFinding {
  OrgId owner_id = 0;
  quantity_t quantity = 0;
  std::int64_t turnover_fen = 0;
  std::int64_t same_account_count = 0;  // trades where the buy and sell account are one account
  std::vector<std::int64_t> trade_ids;  // in time order

  friend bool operator==(const SameOwnerFinding&, const SameOwnerFinding&) = default;
};

// Every trade whose buy owner is its sell owner, grouped by owner, sorted by owner id. Trades must
// pass CheckTrades and carry positive owner ids ("owner_missing" otherwise).
Result<std::vector<SameOwnerFinding>> FindSameOwnerTrades(std::span<const TradeTick> trades);

struct RoundTripParams {
  // Trades of a pair of owners no further apart than this (from one to the next, either
  // direction) belong to one episode. > 0.
  time_us window_us = 0;
  // An episode is a candidate when |sold one way − sold the other way| is at most this share of
  // the gross quantity. 0 ... 10,000.
  std::int64_t max_net_share_bp = 0;
  // Episodes smaller than this gross quantity are ignored. >= 0.
  quantity_t min_gross_quantity = 0;
};

// One episode of two owners trading back and forth. "low" and "high" name the smaller and larger
// owner id, so that a pair has one name whichever side it trades on.
struct RoundTripFinding {
  OrgId low_owner_id = 0;
  OrgId high_owner_id = 0;
  time_us first_at_us = 0;
  time_us last_at_us = 0;
  quantity_t low_sold_quantity = 0;   // sold by the low owner to the high owner
  quantity_t high_sold_quantity = 0;  // sold by the high owner to the low owner
  quantity_t gross_quantity = 0;
  quantity_t net_quantity = 0;        // |low_sold − high_sold|
  std::int64_t net_share_bp = 0;      // net / gross, half up
  std::vector<std::int64_t> trade_ids;  // in time order

  friend bool operator==(const RoundTripFinding&, const RoundTripFinding&) = default;
};

// Episodes between two different owners with trades in both directions, a gross quantity of at
// least min_gross_quantity and a net share of at most max_net_share_bp. An episode is a maximal run
// of the pair's trades (in time order) where each follows the previous by at most window_us.
// Same-owner trades are left to FindSameOwnerTrades. Sorted by first_at_us, then low and high
// owner id. Refuses what FindSameOwnerTrades refuses and parameters out of range ("window_us",
// "max_net_share_bp", "min_gross_quantity").
Result<std::vector<RoundTripFinding>> FindRoundTrips(std::span<const TradeTick> trades,
                                                     const RoundTripParams& params);

// ---- 2. Concentration of holdings ----

// One account's holding of the instrument and the beneficial owner of the account.
struct AccountHolding {
  AccountId account_id = 0;
  OrgId owner_id = 0;
  quantity_t quantity = 0;  // >= 0
};

struct ConcentrationParams {
  // The "top N" shares to report, each > 0 (1, 5 and 10 are the usual concentration ratios).
  std::vector<std::int64_t> top_counts = {1, 5, 10};
  // Owners whose share is at or above this are large holders. 1 ... 10,000; no default, the
  // threshold is policy.
  std::int64_t large_holder_threshold_bp = 0;
};

// The largest `count` owners together (all of them when there are fewer).
struct TopShare {
  std::int64_t count = 0;
  quantity_t quantity = 0;
  std::int64_t share_bp = 0;  // of the total, half up

  friend bool operator==(const TopShare&, const TopShare&) = default;
};

struct LargeHolder {
  OrgId owner_id = 0;
  quantity_t quantity = 0;
  std::int64_t share_bp = 0;  // half up
  std::int64_t account_count = 0;  // accounts with a positive holding

  friend bool operator==(const LargeHolder&, const LargeHolder&) = default;
};

struct Concentration {
  quantity_t total_quantity = 0;
  std::int64_t owner_count = 0;  // owners with a positive holding
  std::vector<TopShare> top;     // in the order of params.top_counts
  // Σ (owner's share in percent)², 0 ... 10,000 points, half up: 10,000 is one owner holding all.
  // 0 when nobody holds anything.
  std::int64_t hhi_points = 0;
  std::vector<LargeHolder> large_holders;  // largest first, then by owner id
};

// Concentration of one instrument's holdings by beneficial owner: the accounts of an owner are
// added up. Refuses a negative quantity ("quantity_negative"), an account listed under two owners
// ("account_owner_conflict"), a total that does not fit 64 bits ("total_overflow") and parameters
// out of range ("top_counts", "large_holder_threshold_bp").
Result<Concentration> ComputeConcentration(std::span<const AccountHolding> holdings,
                                           const ConcentrationParams& params);

// ---- 3. Unusual price moves ----

struct CloseMoveFinding {
  std::int64_t day = 0;
  std::int64_t previous_close_fen = 0;
  std::int64_t close_fen = 0;
  std::int64_t change_fen = 0;
  std::int64_t change_bp = 0;  // half away from zero

  friend bool operator==(const CloseMoveFinding&, const CloseMoveFinding&) = default;
};

// Days whose close differs from their previous close by more than threshold_bp (exactly compared);
// days without a close or a previous close are skipped. bars in strictly increasing day order
// ("bars" otherwise); threshold_bp >= 0 ("threshold_bp"). Sorted by day.
Result<std::vector<CloseMoveFinding>> FindCloseMoves(std::span<const DailyBar> bars, std::int64_t threshold_bp);

struct PriceJumpFinding {
  std::int64_t trade_id = 0;
  std::int64_t previous_trade_id = 0;
  time_us at_us = 0;
  std::int64_t previous_price_fen = 0;
  std::int64_t price_fen = 0;
  std::int64_t change_fen = 0;
  std::int64_t change_bp = 0;  // half away from zero

  friend bool operator==(const PriceJumpFinding&, const PriceJumpFinding&) = default;
};

// Trades whose price differs by more than threshold_bp (exactly compared) from the previous
// selected trade. Block trades are negotiated within a wider band, so the caller chooses whether
// they take part (kListingOnly compares listing trades with listing trades only). Trades must pass
// CheckTrades; threshold_bp >= 0 ("threshold_bp"). In time order.
Result<std::vector<PriceJumpFinding>> FindPriceJumps(std::span<const TradeTick> trades, std::int64_t threshold_bp,
                                                     TradeSelection selection);

}  // namespace greenloop

#endif  // GREENLOOP_MARKET_SURVEILLANCE_H_
