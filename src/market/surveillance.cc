// src/market/surveillance.cc
#include "market/surveillance.h"

#include <algorithm>
#include <limits>
#include <map>
#include <tuple>
#include <string>
#include <utility>

#include "core/assert.h"
#include "core/decimal.h"

namespace greenloop {
namespace {

constexpr std::int64_t kBasisPoints = 10'000;

// numerator / denominator rounded half up; numerator >= 0, denominator > 0.
std::int64_t DivideHalfUp(int128_t numerator, int128_t denominator) {
  GL_ASSERT(numerator >= 0);
  GL_ASSERT(denominator > 0);
  int128_t quotient = numerator / denominator;
  if ((numerator % denominator) * 2 >= denominator) ++quotient;
  GL_ASSERT(quotient <= std::numeric_limits<std::int64_t>::max());
  return static_cast<std::int64_t>(quotient);
}

// value * factor / divisor rounded half up, for value <= divisor < 2^126. The product does not fit
// 128 bits when value is near 2^126, so it is built one bit of the factor at a time (schoolbook
// long multiplication with the remainder kept below the divisor: every intermediate is < 2^127).
std::int64_t MulDivHalfUp(uint128_t value, std::uint64_t factor, uint128_t divisor) {
  GL_ASSERT(divisor > 0);
  GL_ASSERT(value <= divisor);
  GL_ASSERT(divisor < (uint128_t{1} << 126));
  uint128_t quotient = 0;
  uint128_t remainder = 0;
  for (int bit = 63; bit >= 0; --bit) {
    quotient <<= 1;
    remainder <<= 1;
    if (remainder >= divisor) {
      remainder -= divisor;
      ++quotient;
    }
    if (((factor >> bit) & 1u) != 0) {
      remainder += value;
      if (remainder >= divisor) {
        remainder -= divisor;
        ++quotient;
      }
    }
  }
  GL_ASSERT(remainder < divisor);
  if (remainder * 2 >= divisor) ++quotient;
  GL_ASSERT(quotient <= factor);  // value <= divisor
  return static_cast<std::int64_t>(quotient);
}

Status CheckOwners(std::span<const TradeTick> trades) {
  GL_RETURN_IF_ERROR(CheckTrades(trades));
  for (const TradeTick& trade : trades) {
    if (trade.buy_owner_id <= 0 || trade.sell_owner_id <= 0) {
      return Status::Invalid("owner_missing",
                             "trade " + std::to_string(trade.trade_id) + ": both owners must be known", "trades");
    }
  }
  return Status::OK();
}

Status CheckThreshold(std::int64_t threshold_bp) {
  if (threshold_bp >= 0) return Status::OK();
  return Status::Invalid("threshold_negative", "the threshold must not be negative", "threshold_bp");
}

Status VolumeOverflow() {
  return Status::Invalid("volume_overflow", "the quantity does not fit a 64-bit integer", "trades");
}

// The quantities of one episode of a pair; false when a sum overflows.
bool SumEpisode(std::span<const TradeTick> trades, std::span<const std::size_t> episode, RoundTripFinding* finding) {
  for (const std::size_t index : episode) {
    const TradeTick& trade = trades[index];
    quantity_t* sold = trade.sell_owner_id == finding->low_owner_id ? &finding->low_sold_quantity
                                                                     : &finding->high_sold_quantity;
    if (!CheckedAdd(*sold, trade.quantity, sold)) return false;
    finding->trade_ids.push_back(trade.trade_id);
  }
  if (!CheckedAdd(finding->low_sold_quantity, finding->high_sold_quantity, &finding->gross_quantity)) return false;
  finding->first_at_us = trades[episode.front()].at_us;
  finding->last_at_us = trades[episode.back()].at_us;
  const quantity_t low = finding->low_sold_quantity;
  const quantity_t high = finding->high_sold_quantity;
  finding->net_quantity = low > high ? low - high : high - low;
  GL_ASSERT(finding->net_quantity <= finding->gross_quantity);
  return true;
}

bool IsRoundTrip(const RoundTripFinding& finding, const RoundTripParams& params) {
  if (finding.low_sold_quantity == 0 || finding.high_sold_quantity == 0) return false;
  if (finding.gross_quantity < params.min_gross_quantity) return false;
  return static_cast<int128_t>(finding.net_quantity) * kBasisPoints <=
         static_cast<int128_t>(params.max_net_share_bp) * finding.gross_quantity;
}

}  // namespace

Result<std::vector<SameOwnerFinding>> FindSameOwnerTrades(std::span<const TradeTick> trades) {
  GL_RETURN_IF_ERROR(CheckOwners(trades));
  std::map<OrgId, SameOwnerFinding> by_owner;  // ordered, so the result is sorted by owner
  for (const TradeTick& trade : trades) {
    if (trade.buy_owner_id != trade.sell_owner_id) continue;
    SameOwnerFinding& finding = by_owner[trade.buy_owner_id];
    finding.owner_id = trade.buy_owner_id;
    if (!CheckedAdd(finding.quantity, trade.quantity, &finding.quantity)) return VolumeOverflow();
    const int128_t turnover =
        static_cast<int128_t>(finding.turnover_fen) + static_cast<int128_t>(trade.price_fen) * trade.quantity;
    if (turnover > std::numeric_limits<std::int64_t>::max()) {
      return Status::Invalid("turnover_overflow", "the turnover in fen does not fit a 64-bit integer", "trades");
    }
    finding.turnover_fen = static_cast<std::int64_t>(turnover);
    if (trade.buy_account_id == trade.sell_account_id) ++finding.same_account_count;
    finding.trade_ids.push_back(trade.trade_id);
  }
  std::vector<SameOwnerFinding> result;
  result.reserve(by_owner.size());
  for (auto& [owner_id, finding] : by_owner) {
    GL_ASSERT(!finding.trade_ids.empty());
    result.push_back(std::move(finding));
  }
  return result;
}

Result<std::vector<RoundTripFinding>> FindRoundTrips(std::span<const TradeTick> trades,
                                                     const RoundTripParams& params) {
  GL_RETURN_IF_ERROR(CheckOwners(trades));
  if (params.window_us <= 0) {
    return Status::Invalid("window_not_positive", "the window must be positive", "window_us");
  }
  if (params.max_net_share_bp < 0 || params.max_net_share_bp > kBasisPoints) {
    return Status::Invalid("share_out_of_range", "the net share must be 0 to 10,000 bp", "max_net_share_bp");
  }
  if (params.min_gross_quantity < 0) {
    return Status::Invalid("quantity_negative", "the minimum gross quantity must not be negative",
                           "min_gross_quantity");
  }
  const auto pair_of = [&trades](std::size_t index) {
    const TradeTick& trade = trades[index];
    return std::pair{std::min(trade.buy_owner_id, trade.sell_owner_id),
                     std::max(trade.buy_owner_id, trade.sell_owner_id)};
  };
  // The trades between two different owners, grouped by pair; the stable sort keeps each pair's
  // trades in time order.
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < trades.size(); ++i) {
    if (trades[i].buy_owner_id != trades[i].sell_owner_id) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return pair_of(a) < pair_of(b); });
  std::vector<RoundTripFinding> result;
  std::size_t start = 0;
  for (std::size_t i = 1; i <= order.size(); ++i) {
    // CheckTrades bounds the times, so the difference cannot overflow.
    const bool same_episode = i < order.size() && pair_of(order[i]) == pair_of(order[start]) &&
                              trades[order[i]].at_us - trades[order[i - 1]].at_us <= params.window_us;
    if (same_episode) continue;
    RoundTripFinding finding;
    std::tie(finding.low_owner_id, finding.high_owner_id) = pair_of(order[start]);
    GL_ASSERT(finding.low_owner_id < finding.high_owner_id);
    if (!SumEpisode(trades, std::span(order).subspan(start, i - start), &finding)) return VolumeOverflow();
    if (IsRoundTrip(finding, params)) {
      finding.net_share_bp =
          DivideHalfUp(static_cast<int128_t>(finding.net_quantity) * kBasisPoints, finding.gross_quantity);
      result.push_back(std::move(finding));
    }
    start = i;
  }
  std::sort(result.begin(), result.end(), [](const RoundTripFinding& a, const RoundTripFinding& b) {
    return std::tie(a.first_at_us, a.low_owner_id, a.high_owner_id) <
           std::tie(b.first_at_us, b.low_owner_id, b.high_owner_id);
  });
  return result;
}

namespace {

struct OwnerTotal {
  OrgId owner_id = 0;
  quantity_t quantity = 0;
  std::int64_t account_count = 0;
};

Status CheckConcentrationParams(const ConcentrationParams& params) {
  for (const std::int64_t count : params.top_counts) {
    if (count <= 0) return Status::Invalid("top_count_not_positive", "each top count must be positive", "top_counts");
  }
  if (params.large_holder_threshold_bp < 1 || params.large_holder_threshold_bp > kBasisPoints) {
    return Status::Invalid("threshold_out_of_range", "the large-holder threshold must be 1 to 10,000 bp",
                           "large_holder_threshold_bp");
  }
  return Status::OK();
}

// Adds the holdings up by account, then by owner. Owners with nothing are left out; the result is
// sorted largest first, then by owner id.
Result<std::vector<OwnerTotal>> OwnerTotals(std::span<const AccountHolding> holdings) {
  std::vector<AccountHolding> accounts(holdings.begin(), holdings.end());
  for (const AccountHolding& row : accounts) {
    if (row.quantity < 0) {
      return Status::Invalid("quantity_negative",
                             "account " + std::to_string(row.account_id) + ": a holding must not be negative",
                             "holdings");
    }
  }
  const Status overflow =
      Status::Invalid("total_overflow", "the total holding does not fit a 64-bit integer", "holdings");
  // One row per account: rows of an account are adjacent once sorted, and must name one owner.
  std::sort(accounts.begin(), accounts.end(), [](const AccountHolding& a, const AccountHolding& b) {
    return std::tie(a.account_id, a.owner_id) < std::tie(b.account_id, b.owner_id);
  });
  std::size_t kept = 0;
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    if (kept > 0 && accounts[kept - 1].account_id == accounts[i].account_id) {
      if (accounts[kept - 1].owner_id != accounts[i].owner_id) {
        return Status::Invalid("account_owner_conflict",
                               "account " + std::to_string(accounts[i].account_id) + " is listed under two owners",
                               "holdings");
      }
      AccountHolding& merged = accounts[kept - 1];
      if (!CheckedAdd(merged.quantity, accounts[i].quantity, &merged.quantity)) return overflow;
      continue;
    }
    accounts[kept++] = accounts[i];
  }
  accounts.resize(kept);
  std::sort(accounts.begin(), accounts.end(), [](const AccountHolding& a, const AccountHolding& b) {
    return std::tie(a.owner_id, a.account_id) < std::tie(b.owner_id, b.account_id);
  });
  std::vector<OwnerTotal> owners;
  for (const AccountHolding& account : accounts) {
    if (owners.empty() || owners.back().owner_id != account.owner_id) {
      owners.push_back(OwnerTotal{account.owner_id, 0, 0});
    }
    OwnerTotal& owner = owners.back();
    if (!CheckedAdd(owner.quantity, account.quantity, &owner.quantity)) return overflow;
    if (account.quantity > 0) ++owner.account_count;
  }
  std::erase_if(owners, [](const OwnerTotal& owner) { return owner.quantity == 0; });
  std::sort(owners.begin(), owners.end(), [](const OwnerTotal& a, const OwnerTotal& b) {
    return a.quantity != b.quantity ? a.quantity > b.quantity : a.owner_id < b.owner_id;
  });
  return owners;
}

}  // namespace

Result<Concentration> ComputeConcentration(std::span<const AccountHolding> holdings,
                                           const ConcentrationParams& params) {
  GL_RETURN_IF_ERROR(CheckConcentrationParams(params));
  Result<std::vector<OwnerTotal>> totals = OwnerTotals(holdings);
  if (!totals.ok()) return totals.status();
  const std::vector<OwnerTotal>& owners = totals.value();
  Concentration result;
  result.owner_count = static_cast<std::int64_t>(owners.size());
  // The total and the sum of squares: a sum of squares of parts is at most the square of the sum,
  // so with the total below 2^63 it stays below 2^126.
  uint128_t sum_of_squares = 0;
  for (const OwnerTotal& owner : owners) {
    if (!CheckedAdd(result.total_quantity, owner.quantity, &result.total_quantity)) {
      return Status::Invalid("total_overflow", "the total holding does not fit a 64-bit integer", "holdings");
    }
    sum_of_squares += static_cast<uint128_t>(owner.quantity) * static_cast<uint128_t>(owner.quantity);
  }
  const quantity_t total = result.total_quantity;
  const auto share_bp = [total](quantity_t quantity) {
    return total == 0 ? 0 : DivideHalfUp(static_cast<int128_t>(quantity) * kBasisPoints, total);
  };
  for (const std::int64_t count : params.top_counts) {
    TopShare top{count, 0, 0};
    const std::size_t taken = std::min(owners.size(), static_cast<std::size_t>(count));
    for (std::size_t i = 0; i < taken; ++i) top.quantity += owners[i].quantity;  // a part of the total
    top.share_bp = share_bp(top.quantity);
    result.top.push_back(top);
  }
  if (total > 0) {
    const uint128_t total_squared = static_cast<uint128_t>(total) * static_cast<uint128_t>(total);
    GL_ASSERT(sum_of_squares <= total_squared);
    result.hhi_points = MulDivHalfUp(sum_of_squares, kBasisPoints, total_squared);
  }
  GL_ASSERT(0 <= result.hhi_points && result.hhi_points <= kBasisPoints);
  // Owners are largest first, so the large holders are a prefix; compared exactly, not on the
  // rounded share.
  for (const OwnerTotal& owner : owners) {
    if (static_cast<int128_t>(owner.quantity) * kBasisPoints <
        static_cast<int128_t>(params.large_holder_threshold_bp) * total) {
      break;
    }
    result.large_holders.push_back(LargeHolder{owner.owner_id, owner.quantity, share_bp(owner.quantity),
                                               owner.account_count});
  }
  return result;
}

Result<std::vector<CloseMoveFinding>> FindCloseMoves(std::span<const DailyBar> bars, std::int64_t threshold_bp) {
  GL_RETURN_IF_ERROR(CheckThreshold(threshold_bp));
  std::vector<CloseMoveFinding> result;
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const DailyBar& bar = bars[i];
    if (i > 0 && bar.day <= bars[i - 1].day) {
      return Status::Invalid("bars_out_of_order", "daily bars must be in strictly increasing day order", "bars");
    }
    if (!bar.close_fen || !bar.previous_close_fen) continue;
    const std::int64_t previous_fen = *bar.previous_close_fen;
    if (previous_fen <= 0 || *bar.close_fen <= 0) {
      return Status::Invalid("price_not_positive", "closes must be positive", "bars");
    }
    if (!MovesMoreThan(previous_fen, *bar.close_fen, threshold_bp)) continue;
    result.push_back(CloseMoveFinding{bar.day, previous_fen, *bar.close_fen, *bar.close_fen - previous_fen,
                                      ChangeBasisPoints(previous_fen, *bar.close_fen)});
  }
  return result;
}

Result<std::vector<PriceJumpFinding>> FindPriceJumps(std::span<const TradeTick> trades, std::int64_t threshold_bp,
                                                     TradeSelection selection) {
  GL_RETURN_IF_ERROR(CheckTrades(trades));
  GL_RETURN_IF_ERROR(CheckThreshold(threshold_bp));
  std::vector<PriceJumpFinding> result;
  const TradeTick* previous = nullptr;
  for (const TradeTick& trade : trades) {
    if (selection == TradeSelection::kListingOnly && trade.mode != TradingMode::kListing) continue;
    if (previous != nullptr && MovesMoreThan(previous->price_fen, trade.price_fen, threshold_bp)) {
      result.push_back(PriceJumpFinding{trade.trade_id, previous->trade_id, trade.at_us, previous->price_fen,
                                        trade.price_fen, trade.price_fen - previous->price_fen,
                                        ChangeBasisPoints(previous->price_fen, trade.price_fen)});
    }
    previous = &trade;
  }
  return result;
}

}  // namespace greenloop
