#include "market/trading_rules.h"

#include <algorithm>
#include <limits>
#include <string>

#include "core/assert.h"
#include "core/time.h"

namespace greenloop {

Result<PriceBand> BandAround(std::int64_t previous_close_fen, Decimal percent, std::int64_t tick_fen) {
  GL_ASSERT(tick_fen > 0);
  if (previous_close_fen <= 0) {
    return Status::Invalid("out_of_range", "the previous close must be above 0", "previous_close");
  }
  // The band is computed in Decimal micro-units: a close (or tick) above INT64_MAX / 10^6 fen,
  // about 92 billion yuan per unit, cannot be represented and is no price.
  constexpr std::int64_t kMaxDecimalFen = std::numeric_limits<std::int64_t>::max() / Decimal::kOne;
  if (previous_close_fen > kMaxDecimalFen || tick_fen > kMaxDecimalFen) {
    return Status::Invalid("out_of_range",
                           "the previous close must be at most " + std::to_string(kMaxDecimalFen) + " fen",
                           "previous_close");
  }
  if (previous_close_fen % tick_fen != 0) {
    return Status::Invalid("invalid_field", "the previous close must be on the price tick", "previous_close");
  }
  if (percent.micros() <= 0 || percent > Decimal::FromInt(100)) {
    return Status::Invalid("out_of_range", "a band is above 0 % and at most 100 %", "band_percent");
  }
  // close × percent / 100, exact, then each limit toward the close onto the tick.
  Exact width = Exact::OfInt(previous_close_fen);
  if (!width.Multiply(percent) || !width.MultiplyRatio(1, 100)) {
    return Status::Invalid("overflow", "the previous close is too large", "previous_close");
  }
  std::optional<Decimal> width_fen = width.Round(6, Rounding::kDown);
  GL_ASSERT(width_fen.has_value());
  // Whole ticks within the width: floor(width / tick).
  const std::int64_t width_micros = width_fen->micros();
  const std::int64_t tick_micros = tick_fen * Decimal::kOne;
  const std::int64_t ticks = width_micros / tick_micros;
  PriceBand band{previous_close_fen - ticks * tick_fen, previous_close_fen + ticks * tick_fen};
  band.low_fen = std::max(band.low_fen, tick_fen);  // never at or below zero
  GL_ASSERT(band.low_fen <= previous_close_fen && previous_close_fen <= band.high_fen);
  GL_ASSERT(band.low_fen % tick_fen == 0 && band.high_fen % tick_fen == 0);
  return band;
}

SessionState SessionAt(const FamilyTradingRules& rules, TradingMode mode, time_us now_us) {
  const time_us local_us = now_us + static_cast<time_us>(rules.timezone_offset_minutes) * 60'000'000;
  std::int64_t day = local_us / kMicrosPerDay;
  if (local_us % kMicrosPerDay < 0) --day;
  const int minute = static_cast<int>((local_us - day * kMicrosPerDay) / 60'000'000);
  SessionState state;
  state.local_date = FormatDateDays(day);
  // 1970-01-01 was a Thursday (ISO 4).
  const int weekday = static_cast<int>(((day % 7) + 7 + 3) % 7) + 1;
  if (std::find(rules.holidays.begin(), rules.holidays.end(), state.local_date) != rules.holidays.end()) {
    state.reason = "holiday";
    return state;
  }
  if (std::find(rules.weekdays.begin(), rules.weekdays.end(), weekday) == rules.weekdays.end()) {
    state.reason = "weekend";
    return state;
  }
  bool listing_open = false;
  for (const TradingSession& s : rules.sessions) {
    if (minute < s.start_minute || minute >= s.end_minute) continue;
    listing_open = listing_open || s.listing;
    if ((mode == TradingMode::kListing && s.listing) || (mode == TradingMode::kBlock && s.block)) {
      state.open = true;
      return state;
    }
  }
  state.reason = mode == TradingMode::kBlock && listing_open ? "block_afternoon_only" : "outside_hours";
  return state;
}

Result<InstrumentRules> ListingBookRules(const FamilyTradingRules& rules, std::int64_t previous_close_fen) {
  Result<PriceBand> band = BandAround(previous_close_fen, rules.listing_band_percent, rules.tick_fen);
  if (!band.ok()) return band.status();
  InstrumentRules book;
  book.tick_size_ticks = rules.tick_fen;
  book.lot_size = rules.lot;
  book.max_quantity_per_order = rules.listing_max_quantity;
  book.band_low_ticks = band.value().low_fen;
  book.band_high_ticks = band.value().high_fen;
  const std::string problem = RulesProblem(book);
  if (!problem.empty()) return Status::Invalid("invalid_field", "the listing rules do not make a book: " + problem, problem);
  return book;
}

}  // namespace greenloop
