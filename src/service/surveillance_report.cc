#include "service/surveillance_report.h"

#include <algorithm>
#include <limits>
#include <map>
#include <span>
#include <utility>

#include "core/decimal.h"
#include "core/time.h"
#include "service/exchange_service.h"

namespace greenloop {
namespace {

constexpr std::int64_t kBasisPoints = 10'000;
constexpr time_us kMicrosPerMinute = 60'000'000;
// The usual concentration ratios (CR1, CR5, CR10); top_n is added when it is another number.
constexpr std::int64_t kConcentrationRatios[] = {1, 5, 10};

Status CheckBetween(const char* field, std::int64_t value, std::int64_t low, std::int64_t high) {
  if (value >= low && value <= high) return Status::OK();
  return Status::Invalid("invalid_field",
                         std::string(field) + " must be from " + std::to_string(low) + " to " + std::to_string(high) +
                             ", got " + std::to_string(value),
                         field);
}

Status CheckThresholds(const SurveillanceQuery& q) {
  GL_RETURN_IF_ERROR(CheckBetween("close_move_bps", q.close_move_bps, 0, kMaxThresholdBps));
  GL_RETURN_IF_ERROR(CheckBetween("price_jump_bps", q.price_jump_bps, 0, kMaxThresholdBps));
  GL_RETURN_IF_ERROR(CheckBetween("top_n", q.top_n, 1, kMaxTopN));
  GL_RETURN_IF_ERROR(CheckBetween("large_holder_bps", q.large_holder_bps, 1, kBasisPoints));
  GL_RETURN_IF_ERROR(
      CheckBetween("round_trip_window_minutes", q.round_trip_window_minutes, 1, kMaxRoundTripWindowMinutes));
  GL_RETURN_IF_ERROR(CheckBetween("round_trip_max_net_bps", q.round_trip_max_net_bps, 0, kBasisPoints));
  if (q.round_trip_min_quantity < 0) {
    return Status::Invalid("invalid_field", "round_trip_min_quantity must not be negative", "round_trip_min_quantity");
  }
  return Status::OK();
}

Status ParseDay(const std::optional<std::string>& text, const char* field, std::optional<std::int64_t>* out) {
  out->reset();
  if (!text) return Status::OK();
  *out = ParseDateDays(*text);
  if (!*out) {
    return Status::Invalid("invalid_field", std::string(field) + " must be a date YYYY-MM-DD, got '" + *text + "'",
                           field);
  }
  return Status::OK();
}

// The range is inclusive at both ends, so from == to is one day. `to_note` says where to came from
// when the caller did not give it.
Status CheckSpan(std::int64_t from_day, std::int64_t to_day, const std::string& to_note) {
  if (from_day > to_day) {
    return Status::Invalid("invalid_field",
                           "from (" + FormatDateDays(from_day) + ") is after to (" + FormatDateDays(to_day) + ")",
                           "from");
  }
  const std::int64_t span = to_day - from_day + 1;
  if (span > kMaxSurveillanceRangeDays) {
    return Status::Invalid("invalid_field",
                           "from " + FormatDateDays(from_day) + " to " + FormatDateDays(to_day) + to_note + " spans " +
                               std::to_string(span) + " days; a report covers at most " +
                               std::to_string(kMaxSurveillanceRangeDays),
                           "from");
  }
  return Status::OK();
}

// The dates of the query, checked before anything is read so that a bad range is a 400 for any
// instrument. A range with both ends must fit; one with only from is checked once the last
// trading day is known.
Status ParseRange(const SurveillanceQuery& q, std::optional<std::int64_t>* from_day,
                  std::optional<std::int64_t>* to_day) {
  GL_RETURN_IF_ERROR(ParseDay(q.from, "from", from_day));
  GL_RETURN_IF_ERROR(ParseDay(q.to, "to", to_day));
  if (*from_day && *to_day) GL_RETURN_IF_ERROR(CheckSpan(**from_day, **to_day, ""));
  return Status::OK();
}

// Chooses the trading days of the report and fills in the applied from and to:
//   from and to: the days in between; only to: the last 20 trading days up to to; only from: from
//   to the last trading day; neither: the last 20 trading days.
Status SelectDays(const std::vector<market::TradingDay>& days, std::optional<std::int64_t> from_day,
                  std::optional<std::int64_t> to_day, SurveillanceQuery* applied,
                  std::vector<market::TradingDay>* selected) {
  std::vector<std::pair<std::int64_t, const market::TradingDay*>> numbered;  // oldest first, as stored
  for (const market::TradingDay& d : days) {
    const std::optional<std::int64_t> n = ParseDateDays(d.trading_day);
    if (!n) return Status::Corruption("trading day '" + d.trading_day + "' of " + d.instrument + " is not a date");
    numbered.emplace_back(*n, &d);
  }
  if (from_day && !to_day) {
    // Up to the last trading day (or just from, when nothing was traded since).
    to_day = numbered.empty() ? *from_day : std::max(*from_day, numbered.back().first);
    GL_RETURN_IF_ERROR(CheckSpan(*from_day, *to_day, " (the last trading day: give to as well)"));
  }
  selected->clear();
  if (from_day) {
    for (const auto& [n, d] : numbered) {
      if (n >= *from_day && n <= *to_day) selected->push_back(*d);
    }
  } else {
    // The last kDefaultSurveillanceDays trading days up to to (or up to the last one).
    std::vector<const market::TradingDay*> upto;
    for (const auto& [n, d] : numbered) {
      if (!to_day || n <= *to_day) upto.push_back(d);
    }
    const std::size_t keep = std::min<std::size_t>(upto.size(), kDefaultSurveillanceDays);
    for (std::size_t i = upto.size() - keep; i < upto.size(); ++i) selected->push_back(*upto[i]);
    if (!selected->empty()) {
      from_day = ParseDateDays(selected->front().trading_day);
      if (!to_day) to_day = ParseDateDays(selected->back().trading_day);
    } else if (to_day) {
      from_day = to_day;
    }
  }
  applied->from = from_day ? std::optional<std::string>(FormatDateDays(*from_day)) : std::nullopt;
  applied->to = to_day ? std::optional<std::string>(FormatDateDays(*to_day)) : std::nullopt;
  return Status::OK();
}

// A refusal of a pure computation over stored trades or holdings: the query was checked before,
// so what is left is data that should not exist.
Status DataProblem(const std::string& what, const Status& st) {
  return Status::Corruption(what + ": " + st.message() + " (" + st.code() + ")");
}

// Organization names, each read once per report.
class OrgNames {
 public:
  explicit OrgNames(Store& store) : store_(store) {}
  Status Name(OrgId id, std::string* out) {
    auto it = names_.find(id);
    if (it == names_.end()) {
      Organization org;
      const Status st = store_.GetOrganization(id, &org);
      if (!st.ok() && !st.IsNotFound()) return st;
      it = names_.emplace(id, st.ok() ? org.name_zh : std::string()).first;
    }
    *out = it->second;
    return Status::OK();
  }

 private:
  Store& store_;
  std::map<OrgId, std::string> names_;
};

// The trades of the selected days: the ticks of all days in time order, per day, and each trade
// as a wash-trade candidate shows it.
struct RangeTrades {
  std::vector<TradeTick> all;
  std::vector<std::pair<std::string, std::vector<TradeTick>>> by_day;
  std::map<std::int64_t, SurveillanceTrade> by_id;
};

Status ReadRangeTrades(Store& store, const std::string& instrument, const std::vector<market::TradingDay>& days,
                       RangeTrades* out) {
  std::vector<market::MarketTrade> trades;
  for (const market::TradingDay& day : days) {
    GL_RETURN_IF_ERROR(store.ListDayTrades(instrument, day.trading_day, &trades));
    std::vector<TradeTick> ticks = TradeTicks(trades);  // listing and block trades only
    for (const market::MarketTrade& t : trades) {
      if (t.mode != "listing" && t.mode != "block") continue;
      out->by_id[t.id] = SurveillanceTrade{t.id,        t.trading_day,   t.mode,          t.at_us,
                                           t.price_fen, t.quantity,      t.buy_account_id, t.sell_account_id};
    }
    out->all.insert(out->all.end(), ticks.begin(), ticks.end());
    out->by_day.emplace_back(day.trading_day, std::move(ticks));
  }
  return Status::OK();
}

Status SumTrades(std::span<const TradeTick> ticks, SurveillanceReport* out) {
  int128_t volume = 0;
  int128_t turnover = 0;
  for (const TradeTick& t : ticks) {
    volume += t.quantity;
    turnover += static_cast<int128_t>(t.price_fen) * t.quantity;
  }
  constexpr int128_t kMax = std::numeric_limits<std::int64_t>::max();
  if (volume > kMax || turnover > kMax) return Status::Corruption("the range's volume or turnover overflows 64 bits");
  out->trade_count = static_cast<std::int64_t>(ticks.size());
  out->volume = static_cast<quantity_t>(volume);
  out->turnover_fen = static_cast<std::int64_t>(turnover);
  return Status::OK();
}

Status FindWashTrades(const RangeTrades& trades, const SurveillanceQuery& q, OrgNames& names,
                      SurveillanceReport* out) {
  Result<std::vector<SameOwnerFinding>> same = FindSameOwnerTrades(trades.all);
  if (!same.ok()) return DataProblem("same-owner trades of " + q.instrument, same.status());
  for (SameOwnerFinding& f : same.value()) {
    SameOwnerCandidate c;
    GL_RETURN_IF_ERROR(names.Name(f.owner_id, &c.owner_name));
    for (std::int64_t id : f.trade_ids) c.trades.push_back(trades.by_id.at(id));
    c.finding = std::move(f);
    out->same_owner.push_back(std::move(c));
  }

  RoundTripParams params;
  params.window_us = q.round_trip_window_minutes * kMicrosPerMinute;
  params.max_net_share_bp = q.round_trip_max_net_bps;
  params.min_gross_quantity = q.round_trip_min_quantity;
  Result<std::vector<RoundTripFinding>> trips = FindRoundTrips(trades.all, params);
  if (!trips.ok()) return DataProblem("round trips of " + q.instrument, trips.status());
  for (RoundTripFinding& f : trips.value()) {
    RoundTripCandidate c;
    GL_RETURN_IF_ERROR(names.Name(f.low_owner_id, &c.low_owner_name));
    GL_RETURN_IF_ERROR(names.Name(f.high_owner_id, &c.high_owner_name));
    c.finding = std::move(f);
    out->round_trips.push_back(std::move(c));
  }
  return Status::OK();
}

// The instrument's holdings in holding accounts, each with the account's organization.
Status ReadAccountHoldings(Store& store, const std::string& instrument, std::vector<AccountHolding>* out) {
  AccountFilter filter;
  filter.kind = AccountKind::kHolding;
  std::vector<Account> accounts;
  GL_RETURN_IF_ERROR(store.ListAccounts(filter, &accounts));
  std::map<AccountId, OrgId> owner_of;
  for (const Account& a : accounts) owner_of.emplace(a.id, a.org_id);
  return store.ScanHoldings([&](const Holding& h) {
    if (h.instrument != instrument) return;
    auto it = owner_of.find(h.account_id);
    if (it == owner_of.end()) return;  // not a holding account
    out->push_back(AccountHolding{h.account_id, it->second, h.balance()});
  });
}

// q × 10,000 / total, half up, as ComputeConcentration rounds its shares. 0 <= q <= total.
std::int64_t ShareBasisPoints(quantity_t q, quantity_t total) {
  if (total == 0) return 0;
  const int128_t numerator = static_cast<int128_t>(q) * kBasisPoints;
  int128_t share = numerator / total;
  if ((numerator % total) * 2 >= total) ++share;
  return static_cast<std::int64_t>(share);
}

// The top_n largest owners with a positive holding. ComputeConcentration has checked that the
// total fits 64 bits, so no owner's sum can overflow.
std::vector<OwnerShare> TopOwners(std::span<const AccountHolding> holdings, quantity_t total, std::int64_t top_n) {
  std::map<OrgId, OwnerShare> by_owner;
  for (const AccountHolding& h : holdings) {
    if (h.quantity <= 0) continue;
    OwnerShare& s = by_owner[h.owner_id];
    s.owner_id = h.owner_id;
    s.quantity += h.quantity;
    ++s.account_count;
  }
  std::vector<OwnerShare> owners;
  for (auto& [id, s] : by_owner) owners.push_back(std::move(s));
  std::sort(owners.begin(), owners.end(), [](const OwnerShare& a, const OwnerShare& b) {
    return a.quantity != b.quantity ? a.quantity > b.quantity : a.owner_id < b.owner_id;
  });
  if (owners.size() > static_cast<std::size_t>(top_n)) owners.resize(static_cast<std::size_t>(top_n));
  for (OwnerShare& s : owners) s.share_bps = ShareBasisPoints(s.quantity, total);
  return owners;
}

Status ComputeHoldingConcentration(Store& store, const SurveillanceQuery& q, OrgNames& names,
                                   ConcentrationReport* out) {
  std::vector<AccountHolding> holdings;
  GL_RETURN_IF_ERROR(ReadAccountHoldings(store, q.instrument, &holdings));
  ConcentrationParams params;
  params.top_counts.assign(std::begin(kConcentrationRatios), std::end(kConcentrationRatios));
  if (std::find(params.top_counts.begin(), params.top_counts.end(), q.top_n) == params.top_counts.end()) {
    params.top_counts.push_back(q.top_n);
    std::sort(params.top_counts.begin(), params.top_counts.end());
  }
  params.large_holder_threshold_bp = q.large_holder_bps;
  Result<Concentration> c = ComputeConcentration(holdings, params);
  if (!c.ok()) return DataProblem("holdings of " + q.instrument, c.status());
  out->total_quantity = c.value().total_quantity;
  out->owner_count = c.value().owner_count;
  out->hhi_points = c.value().hhi_points;
  out->top = c.value().top;
  out->top_holders = TopOwners(holdings, out->total_quantity, q.top_n);
  for (OwnerShare& s : out->top_holders) GL_RETURN_IF_ERROR(names.Name(s.owner_id, &s.owner_name));
  for (const LargeHolder& l : c.value().large_holders) {
    OwnerShare s{l.owner_id, "", l.quantity, l.share_bp, l.account_count};
    GL_RETURN_IF_ERROR(names.Name(s.owner_id, &s.owner_name));
    out->large_holders.push_back(std::move(s));
  }
  return Status::OK();
}

// Close moves of the selected days, from the same daily bars GET …/daily answers.
Status FindCloseMovesInRange(Store& store, const SurveillanceQuery& q, const std::vector<market::TradingDay>& days,
                             std::vector<CloseMove>* out) {
  if (days.empty()) return Status::OK();
  std::vector<DayBar> all;
  GL_RETURN_IF_ERROR(ReadDailyBars(store, q.instrument, &all));
  std::vector<DailyBar> bars;
  std::map<std::int64_t, const DayBar*> by_day;
  for (const DayBar& b : all) {
    if (b.day.trading_day < days.front().trading_day || b.day.trading_day > days.back().trading_day) continue;
    bars.push_back(b.bar);
    by_day.emplace(b.bar.day, &b);
  }
  Result<std::vector<CloseMoveFinding>> moves = FindCloseMoves(bars, q.close_move_bps);
  if (!moves.ok()) return DataProblem("close moves of " + q.instrument, moves.status());
  for (CloseMoveFinding& f : moves.value()) {
    const DayBar* d = by_day.at(f.day);
    out->push_back(CloseMove{std::move(f), d->day.trading_day, d->day.closed_at_us != 0});
  }
  return Status::OK();
}

// Jumps within each day: the first trade of a day is not compared with the day before, whose
// close and band the day's band already moved with.
Status FindIntradayJumps(const RangeTrades& trades, const SurveillanceQuery& q, std::vector<PriceJump>* out) {
  for (const auto& [day, ticks] : trades.by_day) {
    Result<std::vector<PriceJumpFinding>> jumps = FindPriceJumps(ticks, q.price_jump_bps, TradeSelection::kListingOnly);
    if (!jumps.ok()) return DataProblem("price jumps of " + q.instrument + " on " + day, jumps.status());
    for (PriceJumpFinding& f : jumps.value()) out->push_back(PriceJump{std::move(f), day});
  }
  return Status::OK();
}

}  // namespace

Status BuildSurveillanceReport(Store& store, const SurveillanceQuery& q, SurveillanceReport* out) {
  *out = SurveillanceReport();
  if (q.instrument.empty()) {
    return Status::Invalid("missing_field", "instrument is required: the code of a listed instrument", "instrument");
  }
  GL_RETURN_IF_ERROR(CheckThresholds(q));
  std::optional<std::int64_t> from_day, to_day;
  GL_RETURN_IF_ERROR(ParseRange(q, &from_day, &to_day));

  market::Listing listing;
  Status st = store.GetListing(q.instrument, &listing);
  if (st.IsNotFound()) return Status::NotFound("instrument '" + q.instrument + "' is not listed", "instrument");
  GL_RETURN_IF_ERROR(st);

  out->instrument = q.instrument;
  out->query = q;
  std::vector<market::TradingDay> days;
  GL_RETURN_IF_ERROR(store.ListTradingDays(q.instrument, &days));
  std::vector<market::TradingDay> selected;
  GL_RETURN_IF_ERROR(SelectDays(days, from_day, to_day, &out->query, &selected));
  for (const market::TradingDay& d : selected) out->trading_days.push_back(d.trading_day);

  RangeTrades trades;
  GL_RETURN_IF_ERROR(ReadRangeTrades(store, q.instrument, selected, &trades));
  GL_RETURN_IF_ERROR(SumTrades(trades.all, out));
  OrgNames names(store);
  GL_RETURN_IF_ERROR(FindWashTrades(trades, q, names, out));
  GL_RETURN_IF_ERROR(ComputeHoldingConcentration(store, q, names, &out->concentration));
  GL_RETURN_IF_ERROR(FindCloseMovesInRange(store, q, selected, &out->close_moves));
  GL_RETURN_IF_ERROR(FindIntradayJumps(trades, q, &out->price_jumps));
  return Status::OK();
}

}  // namespace greenloop
