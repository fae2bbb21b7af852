// src/market/market_data.cc
#include "market/market_data.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <string>

#include "core/assert.h"
#include "core/decimal.h"
#include "core/time.h"

namespace greenloop {
namespace {

constexpr std::int64_t kBasisPoints = 10'000;
constexpr time_us kMicrosPerMinute = 60'000'000;
constexpr std::int64_t kMinutesPerDay = 1'440;
constexpr std::int32_t kMaxOffsetMinutes = 14 * 60;
// Trade times are bounded so that sums and differences of times and offsets cannot overflow.
constexpr time_us kMaxTradeTimeUs = 10'000LL * 366 * kMicrosPerDay;

// Turnovers are summed in 128 bits, so one step cannot wrap: a product of two 63-bit values is
// below 2^126 and the running sum is kept at or below the 64-bit maximum.
constexpr int128_t kInt64Max = std::numeric_limits<std::int64_t>::max();

// numerator / denominator rounded half up; both non-negative, denominator positive.
int128_t DivideHalfUp(int128_t numerator, int128_t denominator) {
  GL_ASSERT(numerator >= 0);
  GL_ASSERT(denominator > 0);
  const int128_t quotient = numerator / denominator;
  const int128_t remainder = numerator % denominator;
  return remainder * 2 >= denominator ? quotient + 1 : quotient;
}

// turnover / volume, rounded half up to a multiple of the tick [U].
std::int64_t VwapOnTick(std::int64_t turnover_fen, quantity_t volume, std::int64_t tick_fen) {
  GL_ASSERT(volume > 0);
  GL_ASSERT(tick_fen > 0);
  const int128_t ticks = DivideHalfUp(turnover_fen, static_cast<int128_t>(volume) * tick_fen);
  const int128_t vwap_fen = ticks * tick_fen;
  GL_ASSERT(vwap_fen <= kInt64Max);
  return static_cast<std::int64_t>(vwap_fen);
}

// Running volume and turnover of a set of trades, overflow-checked.
struct Sums {
  quantity_t volume = 0;
  std::int64_t turnover_fen = 0;
  std::int64_t count = 0;

  // Adds one trade. Returns nullptr, or the code of the sum that would not fit 64 bits (the sums
  // are then left as they were).
  const char* Add(std::int64_t price_fen, quantity_t quantity) {
    quantity_t new_volume = 0;
    if (!CheckedAdd(volume, quantity, &new_volume)) return "volume_overflow";
    const int128_t new_turnover = static_cast<int128_t>(turnover_fen) + static_cast<int128_t>(price_fen) * quantity;
    if (new_turnover > kInt64Max) return "turnover_overflow";
    volume = new_volume;
    turnover_fen = static_cast<std::int64_t>(new_turnover);
    ++count;
    return nullptr;
  }
};

Status OverflowStatus(const std::string& code) {
  return Status::Invalid(code, code == "volume_overflow" ? "the volume does not fit a 64-bit integer"
                                                         : "the turnover in fen does not fit a 64-bit integer",
                         "trades");
}

bool Selected(const TradeTick& trade, TradeSelection selection) {
  return selection == TradeSelection::kAll || trade.mode == TradingMode::kListing;
}

void SetChange(BarFigures* bar) {
  if (!bar->close_fen || !bar->previous_close_fen) return;
  bar->change_fen = *bar->close_fen - *bar->previous_close_fen;
  bar->change_bp = ChangeBasisPoints(*bar->previous_close_fen, *bar->close_fen);
}

// Whether a stored bar is one ComputeDailyBar could have made: every price present is positive,
// and each mode's figures are non-negative and add up to the totals.
bool BarConsistent(const BarFigures& bar) {
  for (const std::optional<std::int64_t>& price_fen :
       {bar.previous_close_fen, bar.open_fen, bar.high_fen, bar.low_fen, bar.close_fen, bar.vwap_fen}) {
    if (price_fen && *price_fen <= 0) return false;
  }
  const auto adds_up = [](std::int64_t listing, std::int64_t block, std::int64_t total) {
    return listing >= 0 && block >= 0 && static_cast<int128_t>(listing) + block == total;
  };
  return adds_up(bar.listing_volume, bar.block_volume, bar.volume) &&
         adds_up(bar.listing_turnover_fen, bar.block_turnover_fen, bar.turnover_fen) &&
         adds_up(bar.listing_trade_count, bar.block_trade_count, bar.trade_count);
}

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  GL_ASSERT(b > 0);
  const std::int64_t q = a / b;
  return (a % b < 0) ? q - 1 : q;
}

}  // namespace

Status CheckTrades(std::span<const TradeTick> trades) {
  const auto refuse = [](const TradeTick& trade, const char* code, const char* why) {
    return Status::Invalid(code, "trade " + std::to_string(trade.trade_id) + ": " + why, "trades");
  };
  for (std::size_t i = 0; i < trades.size(); ++i) {
    const TradeTick& trade = trades[i];
    if (trade.price_fen <= 0) return refuse(trade, "price_not_positive", "the price must be positive");
    if (trade.quantity <= 0) return refuse(trade, "quantity_not_positive", "the quantity must be positive");
    if (trade.mode != TradingMode::kListing && trade.mode != TradingMode::kBlock) {
      return refuse(trade, "mode_unsupported", "only listing and block trades are counted");
    }
    if (trade.at_us < -kMaxTradeTimeUs || trade.at_us > kMaxTradeTimeUs) {
      return refuse(trade, "time_out_of_range", "the time must be within 10,000 years of 1970");
    }
    if (i > 0 && trade.at_us < trades[i - 1].at_us) {
      return refuse(trade, "trades_out_of_order", "trades must be in time order");
    }
  }
  return Status::OK();
}

std::int64_t ChangeBasisPoints(std::int64_t from_fen, std::int64_t to_fen) {
  GL_ASSERT(from_fen > 0);
  const int128_t change = static_cast<int128_t>(to_fen) - from_fen;
  // Saturates: only a price more than 9 × 10^14 times the reference would reach the limit.
  const int128_t magnitude_bp =
      std::min(DivideHalfUp((change < 0 ? -change : change) * kBasisPoints, from_fen), kInt64Max);
  return static_cast<std::int64_t>(change < 0 ? -magnitude_bp : magnitude_bp);
}

bool MovesMoreThan(std::int64_t from_fen, std::int64_t to_fen, std::int64_t threshold_bp) {
  GL_ASSERT(from_fen > 0);
  GL_ASSERT(threshold_bp >= 0);
  const int128_t change = static_cast<int128_t>(to_fen) - from_fen;
  const int128_t magnitude = change < 0 ? -change : change;
  return magnitude * kBasisPoints > static_cast<int128_t>(threshold_bp) * from_fen;
}

Result<DailyBar> ComputeDailyBar(std::int64_t day, std::span<const TradeTick> trades,
                                 std::optional<std::int64_t> previous_close_fen, std::int64_t tick_fen) {
  GL_ASSERT(tick_fen > 0);
  GL_RETURN_IF_ERROR(CheckTrades(trades));
  if (previous_close_fen && *previous_close_fen <= 0) {
    return Status::Invalid("previous_close_not_positive", "the previous close must be positive", "previous_close");
  }
  DailyBar bar;
  bar.day = day;
  bar.previous_close_fen = previous_close_fen;
  Sums all, listing, block;
  for (const TradeTick& trade : trades) {
    if (const char* overflow = all.Add(trade.price_fen, trade.quantity)) return OverflowStatus(overflow);
    // A mode's sums are at most the totals, which fit.
    if (trade.mode == TradingMode::kBlock) {
      const char* block_overflow = block.Add(trade.price_fen, trade.quantity);
      GL_ASSERT(block_overflow == nullptr);
      continue;
    }
    GL_ASSERT(trade.mode == TradingMode::kListing);  // CheckTrades refuses other modes
    const char* listing_overflow = listing.Add(trade.price_fen, trade.quantity);
    GL_ASSERT(listing_overflow == nullptr);
    if (!bar.open_fen) bar.open_fen = trade.price_fen;
    bar.high_fen = std::max(bar.high_fen.value_or(trade.price_fen), trade.price_fen);
    bar.low_fen = std::min(bar.low_fen.value_or(trade.price_fen), trade.price_fen);
  }
  GL_ASSERT(listing.volume + block.volume == all.volume);
  GL_ASSERT(listing.count + block.count == all.count);
  bar.volume = all.volume;
  bar.turnover_fen = all.turnover_fen;
  bar.trade_count = all.count;
  bar.listing_volume = listing.volume;
  bar.listing_turnover_fen = listing.turnover_fen;
  bar.listing_trade_count = listing.count;
  bar.block_volume = block.volume;
  bar.block_turnover_fen = block.turnover_fen;
  bar.block_trade_count = block.count;
  if (all.count > 0) bar.vwap_fen = VwapOnTick(all.turnover_fen, all.volume, tick_fen);
  if (listing.count > 0) {
    bar.close_fen = VwapOnTick(listing.turnover_fen, listing.volume, tick_fen);
  } else {
    bar.open_fen = previous_close_fen;
    bar.close_fen = previous_close_fen;
  }
  // The unrounded listing VWAP lies within the listing range: low * volume <= turnover <= high *
  // volume. (The rounded one may leave it by half a tick when prices are off the tick.)
  GL_ASSERT(!bar.low_fen || static_cast<int128_t>(*bar.low_fen) * listing.volume <= listing.turnover_fen);
  GL_ASSERT(!bar.high_fen || static_cast<int128_t>(*bar.high_fen) * listing.volume >= listing.turnover_fen);
  SetChange(&bar);
  return bar;
}

Result<PeriodBar> AggregateBars(std::span<const DailyBar> bars, std::int64_t tick_fen) {
  GL_ASSERT(tick_fen > 0);
  if (bars.empty()) return Status::Invalid("bars_empty", "there are no daily bars to aggregate", "bars");
  PeriodBar period;
  period.first_day = bars.front().day;
  period.last_day = bars.back().day;
  period.previous_close_fen = bars.front().previous_close_fen;
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const DailyBar& bar = bars[i];
    if (i > 0 && bar.day <= bars[i - 1].day) {
      return Status::Invalid("bars_out_of_order", "daily bars must be in strictly increasing day order", "bars");
    }
    if (!BarConsistent(bar)) {
      return Status::Invalid("bar_inconsistent",
                             "a daily bar has a price that is not positive or mode sums that do not add up", "bars");
    }
    // Each mode's sums are at most the totals, so checking the totals is enough.
    if (!CheckedAdd(period.volume, bar.volume, &period.volume)) return OverflowStatus("volume_overflow");
    if (!CheckedAdd(period.turnover_fen, bar.turnover_fen, &period.turnover_fen)) {
      return OverflowStatus("turnover_overflow");
    }
    period.listing_volume += bar.listing_volume;
    period.listing_turnover_fen += bar.listing_turnover_fen;
    period.block_volume += bar.block_volume;
    period.block_turnover_fen += bar.block_turnover_fen;
    period.trade_count += bar.trade_count;
    period.listing_trade_count += bar.listing_trade_count;
    period.block_trade_count += bar.block_trade_count;
    if (!period.open_fen) period.open_fen = bar.open_fen;
    if (bar.close_fen) period.close_fen = bar.close_fen;
    if (bar.high_fen) period.high_fen = std::max(period.high_fen.value_or(*bar.high_fen), *bar.high_fen);
    if (bar.low_fen) period.low_fen = std::min(period.low_fen.value_or(*bar.low_fen), *bar.low_fen);
  }
  period.day_count = static_cast<std::int64_t>(bars.size());
  GL_ASSERT(period.listing_volume + period.block_volume == period.volume);
  GL_ASSERT(period.listing_trade_count + period.block_trade_count == period.trade_count);
  if (period.volume > 0) period.vwap_fen = VwapOnTick(period.turnover_fen, period.volume, tick_fen);
  SetChange(&period);
  return period;
}

Result<std::vector<PeriodBar>> AggregateByPeriod(std::span<const DailyBar> bars, BarPeriod period,
                                                 std::int64_t tick_fen) {
  GL_ASSERT(tick_fen > 0);
  // The key of a day's week or month; consecutive bars with one key form a group.
  const auto key_of = [period](std::int64_t day) -> std::int64_t {
    if (period == BarPeriod::kWeek) return FloorDiv(day + 3, 7);  // 1970-01-01 was a Thursday
    const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{day}}};
    return static_cast<std::int64_t>(static_cast<int>(ymd.year())) * 12 + static_cast<unsigned>(ymd.month());
  };
  constexpr std::int64_t kMaxDay = kMaxTradeTimeUs / kMicrosPerDay;  // the calendar's range
  for (std::size_t i = 0; i < bars.size(); ++i) {
    // Checked before grouping: a day out of order could otherwise start a group of its own.
    if (i > 0 && bars[i].day <= bars[i - 1].day) {
      return Status::Invalid("bars_out_of_order", "daily bars must be in strictly increasing day order", "bars");
    }
    if (bars[i].day < -kMaxDay || bars[i].day > kMaxDay) {
      return Status::Invalid("day_out_of_range", "a day must be within 10,000 years of 1970", "bars");
    }
  }
  std::vector<PeriodBar> result;
  std::size_t group_start = 0;
  for (std::size_t i = 1; i <= bars.size(); ++i) {
    if (i < bars.size() && key_of(bars[i].day) == key_of(bars[group_start].day)) continue;
    Result<PeriodBar> group = AggregateBars(bars.subspan(group_start, i - group_start), tick_fen);
    if (!group.ok()) return group.status();
    GL_ASSERT(result.empty() || result.back().last_day < group.value().first_day);
    result.push_back(group.value());
    group_start = i;
  }
  return result;
}

namespace {

struct CandleBucket {
  std::int64_t start_of_day_us = 0;  // local, after midnight
  std::int64_t end_of_day_us = 0;
};

// The bucket of a local time of day (see CandleSpec). sessions are sorted and non-overlapping.
CandleBucket BucketAt(std::int64_t time_of_day_us, std::span<const TradingSession> sessions,
                      time_us interval_us) {
  constexpr std::int64_t kDayUs = kMicrosPerDay;
  std::int64_t gap_start_us = 0;  // the end of the last session before the time
  std::int64_t gap_end_us = kDayUs;  // the start of the first session after it
  for (const TradingSession& session : sessions) {
    const std::int64_t start_us = session.start_minute * kMicrosPerMinute;
    const std::int64_t end_us = session.end_minute * kMicrosPerMinute;
    if (time_of_day_us >= end_us) {
      gap_start_us = end_us;
      continue;
    }
    if (time_of_day_us >= start_us) {
      const std::int64_t bucket_start_us = start_us + (time_of_day_us - start_us) / interval_us * interval_us;
      return {bucket_start_us, std::min(bucket_start_us + interval_us, end_us)};
    }
    gap_end_us = start_us;
    break;
  }
  const std::int64_t grid_start_us = time_of_day_us / interval_us * interval_us;
  return {std::max(grid_start_us, gap_start_us), std::min({grid_start_us + interval_us, gap_end_us, kDayUs})};
}

Status CheckCandleSpec(const CandleSpec& spec, std::vector<TradingSession>* sorted) {
  if (spec.interval_minutes < 1 || spec.interval_minutes > kMinutesPerDay) {
    return Status::Invalid("interval_out_of_range", "the interval must be 1 to 1,440 minutes", "interval_minutes");
  }
  if (spec.timezone_offset_minutes < -kMaxOffsetMinutes || spec.timezone_offset_minutes > kMaxOffsetMinutes) {
    return Status::Invalid("offset_out_of_range", "the time zone offset must be within ±14 hours",
                           "timezone_offset_minutes");
  }
  *sorted = spec.sessions;
  std::sort(sorted->begin(), sorted->end(), [](const TradingSession& a, const TradingSession& b) {
    return a.start_minute < b.start_minute;
  });
  for (std::size_t i = 0; i < sorted->size(); ++i) {
    const TradingSession& s = (*sorted)[i];
    const bool in_day = 0 <= s.start_minute && s.start_minute < s.end_minute && s.end_minute <= kMinutesPerDay;
    const bool after_previous = i == 0 || (*sorted)[i - 1].end_minute <= s.start_minute;
    if (!in_day || !after_previous) {
      return Status::Invalid("sessions_invalid", "sessions must lie within the day and not overlap", "sessions");
    }
  }
  return Status::OK();
}

}  // namespace

Result<std::vector<Candle>> ComputeCandles(std::span<const TradeTick> trades, const CandleSpec& spec) {
  GL_RETURN_IF_ERROR(CheckTrades(trades));
  std::vector<TradingSession> sessions;
  GL_RETURN_IF_ERROR(CheckCandleSpec(spec, &sessions));
  const time_us interval_us = spec.interval_minutes * kMicrosPerMinute;
  const time_us offset_us = spec.timezone_offset_minutes * kMicrosPerMinute;
  std::vector<Candle> candles;
  Sums sums;
  for (const TradeTick& trade : trades) {
    if (!Selected(trade, spec.selection)) continue;
    const time_us local_us = trade.at_us + offset_us;
    const std::int64_t day = FloorDiv(local_us, kMicrosPerDay);
    const CandleBucket bucket = BucketAt(local_us - day * kMicrosPerDay, sessions, interval_us);
    GL_ASSERT(bucket.start_of_day_us < bucket.end_of_day_us);
    const time_us start_us = day * kMicrosPerDay + bucket.start_of_day_us - offset_us;
    GL_ASSERT(start_us <= trade.at_us);
    if (candles.empty() || candles.back().start_us != start_us) {
      // Trades are in time order and buckets do not overlap, so a bucket never comes back.
      GL_ASSERT(candles.empty() || candles.back().end_us <= start_us);
      candles.push_back(Candle{start_us, start_us + (bucket.end_of_day_us - bucket.start_of_day_us),
                               trade.price_fen, trade.price_fen, trade.price_fen, trade.price_fen, 0, 0, 0});
      sums = Sums{};
    }
    Candle& candle = candles.back();
    GL_ASSERT(trade.at_us < candle.end_us);
    if (const char* overflow = sums.Add(trade.price_fen, trade.quantity)) return OverflowStatus(overflow);
    candle.high_fen = std::max(candle.high_fen, trade.price_fen);
    candle.low_fen = std::min(candle.low_fen, trade.price_fen);
    candle.close_fen = trade.price_fen;
    candle.volume = sums.volume;
    candle.turnover_fen = sums.turnover_fen;
    candle.trade_count = sums.count;
  }
  return candles;
}

}  // namespace greenloop
