#include "service/exchange_service.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "calc/market_rules.h"
#include "core/assert.h"
#include "core/time.h"
#include "service/operations.h"

namespace greenloop {
namespace {

using market::Exchange;
using market::Hold;
using market::MarketOrder;
using market::MarketState;
using market::Outcome;

std::string TradeMemo(const market::MarketTrade& t) {
  const std::string what = std::to_string(t.quantity) + " " + t.instrument + " at " + std::to_string(t.price_fen) + " fen";
  if (t.mode == "block") {
    return "大宗协议成交 block trade " + std::to_string(t.id) + ": " + what + " (block " + std::to_string(t.ref_id) + ")";
  }
  if (t.mode == "auction") {
    return "竞价成交 auction award " + std::to_string(t.id) + ": " + what + " (auction " + std::to_string(t.ref_id) + ")";
  }
  return "挂牌协议成交 listing trade " + std::to_string(t.id) + ": " + what + " (buy order " +
         std::to_string(t.buy_order_id) + ", sell order " + std::to_string(t.sell_order_id) + ")";
}

Result<FamilyTradingRules> RulesOfFamily(const std::string& family) { return calc::TradingRulesFor(family); }

Result<FamilyTradingRules> RulesOfListing(Store& store, const std::string& instrument) {
  market::Listing listing;
  GL_RETURN_IF_ERROR(store.GetListing(instrument, &listing));
  return RulesOfFamily(listing.family);
}

// The bar of one stored day from its trades; its close is the CEA rule's (market_data.h).
Result<DailyBar> BarOf(const market::TradingDay& day, const std::vector<market::MarketTrade>& trades,
                       std::int64_t tick_fen) {
  const std::optional<std::int64_t> day_number = ParseDateDays(day.trading_day);
  GL_ASSERT(day_number.has_value());
  const std::vector<TradeTick> ticks = TradeTicks(trades);
  return ComputeDailyBar(*day_number, ticks, day.prev_close_fen, tick_fen);
}

}  // namespace

std::vector<TradeTick> TradeTicks(const std::vector<market::MarketTrade>& trades) {
  std::vector<TradeTick> ticks;
  ticks.reserve(trades.size());
  for (const market::MarketTrade& t : trades) {
    // An auction's uniform price is not a continuous-market price: bars and candles leave it out.
    if (t.mode != "listing" && t.mode != "block") continue;
    TradeTick tick;
    tick.trade_id = t.id;
    tick.at_us = t.at_us;
    tick.price_fen = t.price_fen;
    tick.quantity = t.quantity;
    tick.mode = t.mode == "block" ? TradingMode::kBlock : TradingMode::kListing;
    tick.buy_account_id = t.buy_account_id;
    tick.sell_account_id = t.sell_account_id;
    tick.buy_owner_id = t.buy_org_id;
    tick.sell_owner_id = t.sell_org_id;
    ticks.push_back(tick);
  }
  return ticks;
}

Status ReadDailyBars(Store& store, const std::string& instrument, std::vector<DayBar>* out) {
  out->clear();
  Result<FamilyTradingRules> rules = RulesOfListing(store, instrument);
  if (!rules.ok()) return rules.status();
  std::vector<market::TradingDay> days;
  GL_RETURN_IF_ERROR(store.ListTradingDays(instrument, &days));
  std::vector<market::MarketTrade> trades;
  for (const market::TradingDay& day : days) {
    GL_RETURN_IF_ERROR(store.ListDayTrades(instrument, day.trading_day, &trades));
    Result<DailyBar> bar = BarOf(day, trades, rules.value().tick_fen);
    if (!bar.ok()) return bar.status();
    out->push_back(DayBar{day, bar.value()});
  }
  return Status::OK();
}

Status ReadCandles(Store& store, const std::string& instrument, const std::string& trading_day,
                   std::int64_t interval_minutes, std::vector<Candle>* out) {
  Result<FamilyTradingRules> rules = RulesOfListing(store, instrument);
  if (!rules.ok()) return rules.status();
  std::vector<market::MarketTrade> trades;
  GL_RETURN_IF_ERROR(store.ListDayTrades(instrument, trading_day, &trades));
  CandleSpec spec;
  spec.interval_minutes = interval_minutes;
  spec.timezone_offset_minutes = rules.value().timezone_offset_minutes;
  spec.sessions = rules.value().sessions;
  spec.selection = TradeSelection::kListingOnly;
  const std::vector<TradeTick> ticks = TradeTicks(trades);
  Result<std::vector<Candle>> candles = ComputeCandles(ticks, spec);
  if (!candles.ok()) return candles.status();
  *out = std::move(candles.value());
  return Status::OK();
}

ExchangeService::~ExchangeService() { registry_->SetObserver(nullptr); }

Status ExchangeService::Open(RegistryService* registry, std::unique_ptr<ExchangeService>* out) {
  std::unique_ptr<ExchangeService> service(new ExchangeService(registry));
  GL_RETURN_IF_ERROR(service->Reload(registry->store()));
  registry->SetObserver(service.get());
  *out = std::move(service);
  return Status::OK();
}

Status ExchangeService::Reload(Store& store) {
  exchange_.reset();
  std::vector<Account> clearing;
  AccountFilter filter;
  filter.kind = AccountKind::kClearing;
  GL_RETURN_IF_ERROR(store.ListAccounts(filter, &clearing));
  market::MarketSnapshot snapshot;
  GL_RETURN_IF_ERROR(store.LoadMarket(&snapshot));
  if (clearing.empty()) {
    if (!snapshot.listings.empty()) return Status::Corruption("instruments are listed but no clearing account exists");
    return Status::OK();
  }
  std::sort(clearing.begin(), clearing.end(), [](const Account& a, const Account& b) { return a.id < b.id; });
  auto exchange = std::make_unique<Exchange>(clearing.front().id, RulesOfFamily);
  GL_RETURN_IF_ERROR(exchange->Load(snapshot));
  exchange_ = std::move(exchange);
  return Status::OK();
}

Status ExchangeService::RequireExchange(WriteContext& ctx) {
  if (exchange_ != nullptr) return Status::OK();
  GL_RETURN_IF_ERROR(Reload(ctx.store()));
  if (exchange_ == nullptr) {
    return Status::Refused("exchange_not_configured",
                           "the exchange has no clearing account yet: create the exchange organization's clearing account");
  }
  return Status::OK();
}

void ExchangeService::AfterRollback(Store& store) {
  const Status st = Reload(store);
  // The store held these books a moment ago; failing to read them back leaves no safe state to
  // trade on.
  GL_ASSERT(st.ok());
}

Status ExchangeService::List(WriteContext& ctx, const Principal& principal, const std::string& instrument,
                             std::int64_t prev_close_fen, std::int64_t fee_bps, market::Listing* out) {
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kExchange}, "list instruments for trading"));
  GL_RETURN_IF_ERROR(RequireExchange(ctx));
  const Instrument* found = ctx.ledger().FindInstrument(instrument);
  if (found == nullptr) return Status::NotFound("instrument " + instrument + " does not exist", "instrument");
  GL_RETURN_IF_ERROR(exchange_->CheckList(*found, prev_close_fen, fee_bps));
  Outcome outcome = exchange_->ApplyList(*found, prev_close_fen, fee_bps, ctx.now());
  PostOutcome(ctx, principal.user.id, outcome, true);
  *out = outcome.listings.front();
  ctx.Audit(principal.user.id, "market.list", instrument,
            nlohmann::json{{"prev_close_fen", prev_close_fen}, {"fee_bps", fee_bps}}.dump());
  return Status::OK();
}

Status ExchangeService::SetState(WriteContext& ctx, const Principal& principal, const std::string& instrument,
                                 MarketState state, market::Listing* listing, std::vector<MarketOrder>* expired) {
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kExchange}, "change the market state"));
  GL_RETURN_IF_ERROR(RequireExchange(ctx));
  GL_RETURN_IF_ERROR(exchange_->CheckSetState(instrument, state, ctx.now()));
  std::optional<std::int64_t> close;
  std::vector<Hold> deliveries;  // T+1: the day's purchases become available at the close
  if (state == MarketState::kClosed) {
    // The day's trades are all durable: listing-state jobs run alone (exclusive).
    const market::Listing& current = *exchange_->FindListing(instrument);
    std::vector<market::MarketTrade> trades;
    GL_RETURN_IF_ERROR(ctx.store().ListDayTrades(instrument, current.trading_day, &trades));
    market::TradingDay day;
    day.trading_day = current.trading_day;
    day.prev_close_fen = current.prev_close_fen;
    const FamilyTradingRules rules = RulesOfFamily(current.family).value();
    Result<DailyBar> bar = BarOf(day, trades, rules.tick_fen);
    if (!bar.ok()) return bar.status();
    close = bar.value().close_fen;
    if (rules.delivery_days > 0) deliveries = market::DeliveriesAtClose(trades);
  }
  Outcome outcome = exchange_->ApplySetState(instrument, state, ctx.now(), close);
  outcome.releases.insert(outcome.releases.end(), deliveries.begin(), deliveries.end());
  PostOutcome(ctx, principal.user.id, outcome, true);
  *listing = outcome.listings.front();
  *expired = outcome.orders;
  ctx.Audit(principal.user.id, "market.state", instrument, nlohmann::json{{"state", ToString(state)}}.dump());
  return Status::OK();
}

Status ExchangeService::Freeze(WriteContext& ctx, UserId actor, const Hold& hold, const std::string& purpose) {
  GL_ASSERT(hold.amount > 0);
  Movement freeze;
  freeze.kind = EntryKind::kFreeze;
  freeze.from_account = hold.account_id;
  freeze.instrument = hold.instrument;
  freeze.quantity = hold.amount;
  freeze.memo = "交易冻结 reserved for " + purpose;
  Entry entry;
  LedgerRefusal refusal;
  const LedgerCode code = ctx.ledger().Move(freeze, ctx.now(), actor, &entry, &refusal);
  if (code != LedgerCode::kOk) {
    Status st = RefusalStatus(code, refusal);
    if (code == LedgerCode::kInsufficientAvailable) {
      return Status::Refused(hold.instrument == market::kCashInstrument ? "insufficient_funds" : "insufficient_holding",
                             purpose + " needs " + std::to_string(hold.amount) + " " + hold.instrument +
                                 " available in account " + std::to_string(hold.account_id) + ": " + refusal.message,
                             hold.instrument == market::kCashInstrument ? "price_fen" : "quantity");
    }
    return st;
  }
  ctx.AddEntry(std::move(entry));
  return Status::OK();
}

void ExchangeService::PostOutcome(WriteContext& ctx, UserId actor, Outcome& outcome, bool post_releases) {
  for (market::Settlement& s : outcome.settlements) {
    Entry entry;
    LedgerRefusal refusal;
    const LedgerCode code = ctx.ledger().Settle(s.postings, TradeMemo(s.trade), ctx.now(), actor, &entry, &refusal);
    // Both legs were frozen for the orders and their accounts are open (a stopped account's
    // orders are withdrawn first): a settlement that fails is a broken invariant.
    GL_ASSERT(code == LedgerCode::kOk);
    s.trade.entry_id = entry.id;
    ctx.AddEntry(std::move(entry));
    ctx.market().trades.push_back(s.trade);
  }
  if (post_releases) {
    for (const Hold& release : outcome.releases) {
      GL_ASSERT(release.amount < 0);
      Movement unfreeze;
      unfreeze.kind = EntryKind::kUnfreeze;
      unfreeze.from_account = release.account_id;
      unfreeze.instrument = release.instrument;
      unfreeze.quantity = -release.amount;
      unfreeze.memo = "交易解冻 released by the exchange";
      Entry entry;
      LedgerRefusal refusal;
      const LedgerCode code = ctx.ledger().Move(unfreeze, ctx.now(), actor, &entry, &refusal);
      GL_ASSERT(code == LedgerCode::kOk);
      ctx.AddEntry(std::move(entry));
    }
  }
  market::MarketBatch& rows = ctx.market();
  rows.listings.insert(rows.listings.end(), outcome.listings.begin(), outcome.listings.end());
  rows.days.insert(rows.days.end(), outcome.days.begin(), outcome.days.end());
  rows.commands.insert(rows.commands.end(), outcome.commands.begin(), outcome.commands.end());
  rows.orders.insert(rows.orders.end(), outcome.orders.begin(), outcome.orders.end());
  rows.blocks.insert(rows.blocks.end(), outcome.blocks.begin(), outcome.blocks.end());
  rows.auctions.insert(rows.auctions.end(), outcome.auctions.begin(), outcome.auctions.end());
  rows.bids.insert(rows.bids.end(), outcome.bids.begin(), outcome.bids.end());
  rows.holding_limits.insert(rows.holding_limits.end(), outcome.holding_limits.begin(), outcome.holding_limits.end());
}

void ExchangeService::FillResult(const Outcome& outcome, OrderResult* out) const {
  for (const MarketOrder& order : outcome.orders) {
    if (order.id == outcome.order_id) out->order = order;
  }
  GL_ASSERT(out->order.id == outcome.order_id);
  out->changed = outcome.orders;
  for (const market::Settlement& s : outcome.settlements) out->trades.push_back(s.trade);
}

Status ExchangeService::Submit(WriteContext& ctx, const Principal& principal, const OrderInput& input,
                               OrderResult* out) {
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kEnterprise}, "place orders"));
  GL_RETURN_IF_ERROR(RequireExchange(ctx));
  const Account* account = nullptr;
  GL_RETURN_IF_ERROR(TradingAccount(ctx, principal, input.account_id, &account));
  market::SubmitRequest request;
  request.instrument = input.instrument;
  request.account_id = account->id;
  request.org_id = account->org_id;
  request.user_id = principal.user.id;
  request.side = input.side;
  request.price_fen = input.price_fen;
  request.quantity = input.quantity;
  request.client_order_id = input.client_order_id;
  Hold freeze;
  GL_RETURN_IF_ERROR(exchange_->CheckSubmit(request, ctx.now(), &freeze));
  if (request.side == Side::kBuy) GL_RETURN_IF_ERROR(CheckPurchase(ctx, account->id, request.instrument, request.quantity));
  GL_RETURN_IF_ERROR(Freeze(ctx, principal.user.id, freeze, "the order"));
  Outcome outcome = exchange_->ApplySubmit(request, ctx.now());
  PostOutcome(ctx, principal.user.id, outcome, true);
  FillResult(outcome, out);
  return Status::OK();
}

Status ExchangeService::Cancel(WriteContext& ctx, const Principal& principal, std::int64_t order_id,
                               OrderResult* out) {
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kEnterprise}, "cancel orders"));
  GL_RETURN_IF_ERROR(RequireExchange(ctx));
  const OrgId org = principal.org_id().value_or(0);
  GL_RETURN_IF_ERROR(exchange_->CheckCancel(order_id, org));
  Outcome outcome = exchange_->ApplyCancel(order_id, org, ctx.now());
  PostOutcome(ctx, principal.user.id, outcome, true);
  FillResult(outcome, out);
  return Status::OK();
}

Status ExchangeService::Replace(WriteContext& ctx, const Principal& principal, std::int64_t order_id,
                                std::int64_t price_fen, quantity_t quantity, OrderResult* out) {
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kEnterprise}, "replace orders"));
  GL_RETURN_IF_ERROR(RequireExchange(ctx));
  market::ReplaceRequest request{order_id, principal.org_id().value_or(0), price_fen, quantity};
  Hold freeze;
  GL_RETURN_IF_ERROR(exchange_->CheckReplace(request, ctx.now(), &freeze));
  const market::MarketOrder& order = *exchange_->FindOpenOrder(order_id);
  if (order.side == Side::kBuy) {
    GL_RETURN_IF_ERROR(CheckPurchase(ctx, order.account_id, order.instrument, quantity - order.open_quantity));
  }
  if (freeze.amount > 0) GL_RETURN_IF_ERROR(Freeze(ctx, principal.user.id, freeze, "order " + std::to_string(order_id)));
  Outcome outcome = exchange_->ApplyReplace(request, ctx.now());
  PostOutcome(ctx, principal.user.id, outcome, true);
  FillResult(outcome, out);
  return Status::OK();
}

Status ExchangeService::ReleaseHolds(WriteContext& ctx, const std::vector<Hold>& holds) {
  for (const Hold& hold : holds) {
    GL_ASSERT(hold.amount <= 0);
    if (hold.amount == 0) continue;
    Movement unfreeze;
    unfreeze.kind = EntryKind::kUnfreeze;
    unfreeze.from_account = hold.account_id;
    unfreeze.instrument = hold.instrument;
    unfreeze.quantity = -hold.amount;
    unfreeze.memo = "交易解冻 withdrawn by the exchange: the account or instrument stopped";
    Entry entry;
    LedgerRefusal refusal;
    const LedgerCode code = ctx.ledger().Move(unfreeze, ctx.now(), 0, &entry, &refusal);
    if (code != LedgerCode::kOk) return RefusalStatus(code, refusal);
    ctx.AddEntry(std::move(entry));
  }
  return Status::OK();
}

Status ExchangeService::BeforeAccountStops(WriteContext& ctx, AccountId account) {
  if (exchange_ == nullptr) return Status::OK();
  return ReleaseHolds(ctx, exchange_->HoldsOfAccount(account));
}

void ExchangeService::AfterAccountStopped(WriteContext& ctx, AccountId account) {
  if (exchange_ == nullptr) return;
  Outcome outcome = exchange_->WithdrawAccount(account, ctx.now());
  PostOutcome(ctx, 0, outcome, false);
}

Status ExchangeService::BeforeInstrumentExpires(WriteContext& ctx, const std::string& instrument) {
  if (exchange_ == nullptr) return Status::OK();
  return ReleaseHolds(ctx, exchange_->HoldsOfInstrument(instrument));
}

void ExchangeService::AfterInstrumentExpired(WriteContext& ctx, const std::string& instrument) {
  if (exchange_ == nullptr) return;
  Outcome outcome = exchange_->WithdrawInstrument(instrument, ctx.now());
  PostOutcome(ctx, 0, outcome, false);
}

}  // namespace greenloop
