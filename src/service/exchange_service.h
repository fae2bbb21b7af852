// src/service/exchange_service.h
//
// The exchange (交易系统) as the registry runs it: the order books of market/exchange.h kept on
// the registry's writer thread, every order's reservation frozen in the ledger before it reaches
// a book, every trade settled as one delivery-versus-payment journal entry, and every accepted
// order, cancel and trade written in the same commit as those entries, so that nothing is
// acknowledged before it is durable. After a restart the books are rebuilt from the stored
// command log (Open); after a failed commit, from the store again (AfterRollback).
//
// Roles: the exchange operator lists instruments and moves their market state; enterprises trade
// from their own holding accounts; the regulator and the operator see every order and trade.
// Freezing or closing an account withdraws its orders; expiring an instrument withdraws its
// orders (LedgerObserver).
//
// The operations run inside jobs (RegistryService::Execute...); thread safety as for jobs.
#ifndef GREENLOOP_SERVICE_EXCHANGE_SERVICE_H_
#define GREENLOOP_SERVICE_EXCHANGE_SERVICE_H_

#include <memory>
#include <string>
#include <vector>

#include "market/exchange.h"
#include "market/market_data.h"
#include "service/registry_service.h"

namespace greenloop {

struct OrderInput {
  std::string instrument;
  AccountId account_id = 0;
  Side side = Side::kBuy;
  std::int64_t price_fen = 0;
  quantity_t quantity = 0;
  std::string client_order_id;
};

struct BlockInput {
  std::string instrument;
  AccountId account_id = 0;
  Side side = Side::kSell;
  OrgId counterparty_org_id = 0;
  std::int64_t price_fen = 0;
  quantity_t quantity = 0;
  time_us expires_at_us = 0;  // 0: the day's close
  std::string memo;
};

struct AuctionInput {
  std::string title;
  market::AuctionPurpose purpose = market::AuctionPurpose::kReserveSale;
  std::string instrument;
  AccountId seller_account_id = 0;
  quantity_t supply = 0;
  std::int64_t reserve_price_fen = 0;
  std::int64_t tick_fen = 0;  // 0: the family's
  quantity_t lot = 0;         // 0: the family's
  quantity_t min_bid_quantity = 0;
  quantity_t max_bid_quantity = 0;
  time_us opens_at_us = 0;
  time_us closes_at_us = 0;
  AuctionPricing pricing = AuctionPricing::kUniform;
};

// What an order command did: the order as it now stands and the trades it made.
struct OrderResult {
  market::MarketOrder order;
  std::vector<market::MarketTrade> trades;
  std::vector<market::MarketOrder> changed;  // every order the command changed, counterparties too
};

// Trades as market data sees them: listing and block trades (auction trades are left out).
std::vector<TradeTick> TradeTicks(const std::vector<market::MarketTrade>& trades);

// Market data read from the store (any thread): the bar of every trading day of a listing, oldest
// first, each with its stored day; and the candles of one day's listing trades.
struct DayBar {
  market::TradingDay day;
  DailyBar bar;
};
Status ReadDailyBars(Store& store, const std::string& instrument, std::vector<DayBar>* out);
Status ReadCandles(Store& store, const std::string& instrument, const std::string& trading_day,
                   std::int64_t interval_minutes, std::vector<Candle>* out);

class ExchangeService : public LedgerObserver {
 public:
  // Loads the exchange from the store and registers it as the registry's ledger observer.
  static Status Open(RegistryService* registry, std::unique_ptr<ExchangeService>* out);
  ~ExchangeService() override;

  // Operator (exchange role).
  Status List(WriteContext& ctx, const Principal& principal, const std::string& instrument,
              std::int64_t prev_close_fen, std::int64_t fee_bps, market::Listing* out);
  // Closing computes the day's close from its listing trades (exclusive job: they are durable).
  Status SetState(WriteContext& ctx, const Principal& principal, const std::string& instrument,
                  market::MarketState state, market::Listing* listing, std::vector<market::MarketOrder>* expired);

  // Enterprises, from their own holding accounts.
  Status Submit(WriteContext& ctx, const Principal& principal, const OrderInput& input, OrderResult* out);
  Status Cancel(WriteContext& ctx, const Principal& principal, std::int64_t order_id, OrderResult* out);
  Status Replace(WriteContext& ctx, const Principal& principal, std::int64_t order_id, std::int64_t price_fen,
                 quantity_t quantity, OrderResult* out);

  // Block agreement trading (enterprises): propose to a named organization, which accepts from
  // its own account (the trade settles at once) or rejects; the proposer may withdraw.
  Status ProposeBlock(WriteContext& ctx, const Principal& principal, const BlockInput& input,
                      market::BlockProposal* out);
  Status AcceptBlock(WriteContext& ctx, const Principal& principal, std::int64_t block_id, AccountId account_id,
                     market::BlockProposal* out, market::MarketTrade* trade);
  // as_proposer: withdraw (the proposer) rather than reject (the counterparty).
  Status DeclineBlock(WriteContext& ctx, const Principal& principal, std::int64_t block_id, bool as_proposer,
                      market::BlockProposal* out);

  // Auctions: the exchange operator or the regulator announces, closes (clears) or cancels;
  // enterprises bid from their own holding accounts.
  Status CreateAuction(WriteContext& ctx, const Principal& principal, const AuctionInput& input,
                       market::AuctionRecord* out);
  Status PlaceBid(WriteContext& ctx, const Principal& principal, std::int64_t auction_id, AccountId account_id,
                  std::int64_t price_fen, quantity_t quantity, market::BidRecord* out);
  Status WithdrawBid(WriteContext& ctx, const Principal& principal, std::int64_t auction_id, market::BidRecord* out);
  Status CloseAuction(WriteContext& ctx, const Principal& principal, std::int64_t auction_id,
                      market::AuctionRecord* out);
  Status CancelAuction(WriteContext& ctx, const Principal& principal, std::int64_t auction_id,
                       market::AuctionRecord* out);

  // Holding limits (最大持仓量), set by the regulator or the exchange operator: for one holding
  // account, or (account_id 0) for every one; max_quantity 0 removes the limit.
  Status SetHoldingLimit(WriteContext& ctx, const Principal& principal, const market::HoldingLimit& limit);

  // LedgerObserver.
  Status BeforeAccountStops(WriteContext& ctx, AccountId account) override;
  void AfterAccountStopped(WriteContext& ctx, AccountId account) override;
  Status BeforeInstrumentExpires(WriteContext& ctx, const std::string& instrument) override;
  void AfterInstrumentExpired(WriteContext& ctx, const std::string& instrument) override;
  void AfterRollback(Store& store) override;

 private:
  explicit ExchangeService(RegistryService* registry) : registry_(registry) {}
  // Builds the exchange from the store: the clearing account of the exchange organization, the
  // listings, the replayed books, the open orders. Without a clearing account there is no
  // exchange yet (nothing can have been listed).
  Status Reload(Store& store);
  Status RequireExchange(WriteContext& ctx);
  // Posts the outcome's settlements (and releases, unless already posted) to the ledger and adds
  // its rows to the commit.
  void PostOutcome(WriteContext& ctx, UserId actor, market::Outcome& outcome, bool post_releases);
  Status Freeze(WriteContext& ctx, UserId actor, const market::Hold& hold, const std::string& purpose);
  // Unfreezes what the exchange keeps frozen for an account or instrument about to stop.
  Status ReleaseHolds(WriteContext& ctx, const std::vector<market::Hold>& holds);
  // Refuses a purchase of `adding` units that would take the account over its holding limit.
  Status CheckPurchase(WriteContext& ctx, AccountId account, const std::string& instrument, quantity_t adding);
  // The enterprise's own open holding account to trade from.
  Status TradingAccount(WriteContext& ctx, const Principal& principal, AccountId account_id, const Account** out);
  void FillResult(const market::Outcome& outcome, OrderResult* out) const;

  RegistryService* registry_;
  std::unique_ptr<market::Exchange> exchange_;  // null until an exchange clearing account exists
};

}  // namespace greenloop

#endif  // GREENLOOP_SERVICE_EXCHANGE_SERVICE_H_
