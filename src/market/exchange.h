// src/market/exchange.h
//
// The exchange's listing agreement trading (挂牌协议交易) above the order books: which instruments
// are listed and in which market state, one order book per listed instrument and trading day,
// the exchange's orders with their owners and what is frozen for them, and the settlement of
// every trade as one delivery-versus-payment entry. Beside the books: block agreement proposals
// (大宗协议, exchange_blocks.cc) between two named organizations, and auctions (单向竞价,
// exchange_auctions.cc) of a seller account's units with sealed bids (market/auction.h clears). Pure: it reads no clock and touches no ledger.
// The caller (service/exchange_service.h) checks balances and applies the holds and postings
// this class computes to the registry's ledger, and persists the records it returns.
//
// Every command has a Check step that changes nothing and an Apply step that cannot fail once the
// check passed and the caller froze what the check asked for. So a refusal, at any point, leaves
// both the books and the ledger as they were.
//
// Money (docs/market-engine.md, "Pre-trade and settlement"):
//   - a sell order freezes its open quantity of the instrument;
//   - a buy order freezes price × open quantity + the fee on it rounded up, in CNY fen;
//   - each trade moves the quantity from the seller's frozen part to the buyer, price × quantity
//     (the resting order's price) + the buyer's fee from the buyer's frozen cash, price × quantity
//     − the seller's fee to the seller, both fees to the exchange's clearing account, and gives
//     back to the buyer what its reservation no longer needs (a better price, a smaller fee) — all
//     in one journal entry;
//   - a fee is notional × bps / 10,000 rounded down to the fen on each trade [U: the sources give
//     no fee rounding]; reserving the rounded-up fee of the whole order covers the rounded-down
//     fees of its fills, so a reservation never runs short (asserted).
//
// Invariants (asserted): an open order's reserved amount equals exactly what its open quantity
// still needs at its limit price; no reservation goes negative; the books hold exactly the open
// orders (CheckConsistency after loading).
//
// Thread safety: none; the caller serializes every command (the registry's writer thread).
#ifndef GREENLOOP_MARKET_EXCHANGE_H_
#define GREENLOOP_MARKET_EXCHANGE_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "market/order_book.h"
#include "market/records.h"
#include "market/trading_rules.h"
#include "registry/model.h"

namespace greenloop::market {

inline constexpr std::string_view kCashInstrument = "CNY";
inline constexpr std::int64_t kMaxFeeBps = 1000;  // 10 %: a bound that keeps seller proceeds positive

// notional × bps / 10,000, rounded down (the fee of one side of one trade).
Result<std::int64_t> TradeFeeFen(std::int64_t notional_fen, std::int64_t fee_bps);
// What a buy order keeps frozen for `open_quantity` at `price_fen`: the notional plus its fee
// rounded up.
Result<std::int64_t> BuyReservationFen(std::int64_t price_fen, quantity_t open_quantity, std::int64_t fee_bps);

// A freeze (amount > 0) or unfreeze (amount < 0) the caller posts on an account.
struct Hold {
  AccountId account_id = 0;
  std::string instrument;
  quantity_t amount = 0;
};

// One trade with the postings that settle it; the caller posts them as one entry and fills in
// trade.entry_id.
struct Settlement {
  MarketTrade trade;
  std::vector<Posting> postings;
};

// What an applied command changed, for the caller to post and persist, in this order:
// settlements, then releases (unfreezes), then the rows.
struct Outcome {
  std::int64_t order_id = 0;  // the order the command created or targeted
  std::vector<Settlement> settlements;
  std::vector<Hold> releases;
  std::vector<MarketOrder> orders;    // every order the command changed, in its final state
  std::vector<BookCommand> commands;  // what reached a book, to log for replay
  std::vector<Listing> listings;      // listings whose state or day changed
  std::vector<TradingDay> days;       // a day opened or closed
  std::vector<BlockProposal> blocks;  // block proposals the command changed
  std::vector<AuctionRecord> auctions;
  std::vector<BidRecord> bids;
  std::vector<HoldingLimit> holding_limits;
};

struct SubmitRequest {
  std::string instrument;
  AccountId account_id = 0;
  OrgId org_id = 0;  // the beneficial owner: self-trade prevention compares these
  UserId user_id = 0;
  Side side = Side::kBuy;
  std::int64_t price_fen = 0;
  quantity_t quantity = 0;
  std::string client_order_id;
};

struct ReplaceRequest {
  std::int64_t order_id = 0;
  OrgId org_id = 0;  // who asks; must own the order
  std::int64_t price_fen = 0;
  quantity_t quantity = 0;  // the new open quantity
};

// A block agreement proposal (大宗协议): the proposer trades from its account with the named
// counterparty organization.
struct BlockRequest {
  std::string instrument;
  AccountId account_id = 0;
  OrgId org_id = 0;
  UserId user_id = 0;
  Side side = Side::kSell;
  OrgId counterparty_org_id = 0;
  std::int64_t price_fen = 0;
  quantity_t quantity = 0;
  time_us expires_at_us = 0;  // 0: the day's close
  std::string memo;
};

// An auction announced over a seller account's units. tick_fen and lot_size 0 take the family's
// trading rules.
struct AuctionRequest {
  std::string title;
  AuctionPurpose purpose = AuctionPurpose::kReserveSale;
  std::string instrument;
  std::string family;
  AccountId seller_account_id = 0;
  OrgId seller_org_id = 0;
  UserId user_id = 0;
  AuctionRules rules;
};

struct BidRequest {
  std::int64_t auction_id = 0;
  AccountId account_id = 0;
  OrgId org_id = 0;
  UserId user_id = 0;
  std::int64_t price_fen = 0;
  quantity_t quantity = 0;
};

// Under T+1 delivery, what the close of a day releases: per buying account, the units its listing
// and block trades of the day credited frozen (auction awards are delivered at once).
std::vector<Hold> DeliveriesAtClose(const std::vector<MarketTrade>& day_trades);

// The family rules of a listing's instrument (data/market/trading-rules.json).
using RulesLookup = std::function<Result<FamilyTradingRules>(const std::string& family)>;

class Exchange {
 public:
  // clearing_account receives the fees.
  Exchange(AccountId clearing_account, RulesLookup rules);
  Exchange(const Exchange&) = delete;
  Exchange& operator=(const Exchange&) = delete;

  // Rebuilds the listings, the day books (by replaying each open day's commands) and the open
  // orders from what was stored, then checks that they agree. Only on an empty exchange.
  Status Load(const MarketSnapshot& snapshot);
  // Every invariant in the header comment; empty when they hold. O(open orders).
  std::string CheckConsistency() const;

  // --- operator commands ------------------------------------------------------------------
  // Lists an instrument of a family with trading rules; prev_close_fen is the reference price
  // of its first day's band.
  Status CheckList(const Instrument& instrument, std::int64_t prev_close_fen, std::int64_t fee_bps) const;
  Outcome ApplyList(const Instrument& instrument, std::int64_t prev_close_fen, std::int64_t fee_bps, time_us now_us);
  // Moves a listing to `state`. From closed, pre_open or open starts a new trading day (the
  // calendar's local date at now_us, which must be a trading day after the last one) with the
  // band around the previous close. closed ends the day: every open order expires and the
  // day's close becomes the next day's reference: day_close_fen, computed by the caller from
  // the day's trades (market_data.h), or nullopt to keep the previous close.
  Status CheckSetState(const std::string& instrument, MarketState state, time_us now_us) const;
  Outcome ApplySetState(const std::string& instrument, MarketState state, time_us now_us,
                        std::optional<std::int64_t> day_close_fen = std::nullopt);

  // --- orders -------------------------------------------------------------------------------
  // Checks an order against the market state, the calendar and the book's rules, and says what
  // must be frozen before it is applied.
  Status CheckSubmit(const SubmitRequest& request, time_us now_us, Hold* freeze) const;
  Outcome ApplySubmit(const SubmitRequest& request, time_us now_us);
  Status CheckCancel(std::int64_t order_id, OrgId org_id) const;
  Outcome ApplyCancel(std::int64_t order_id, OrgId org_id, time_us now_us);
  // *freeze is what must be frozen in addition (amount > 0) or zero; what the new reservation
  // no longer needs is released by Apply.
  Status CheckReplace(const ReplaceRequest& request, time_us now_us, Hold* freeze) const;
  Outcome ApplyReplace(const ReplaceRequest& request, time_us now_us);
  // Withdraws every open order of an account (the regulator froze or closed it) or of an
  // instrument (it expires). Cannot fail.
  Outcome WithdrawAccount(AccountId account_id, time_us now_us);
  Outcome WithdrawInstrument(const std::string& instrument, time_us now_us);

  // --- block agreement trading (exchange_blocks.cc) -------------------------------------------
  // Checks a proposal against the market state, the block session, the block minimum, the tick,
  // the lot and the block band, and says what the proposer must have frozen.
  Status CheckPropose(const BlockRequest& request, time_us now_us, Hold* freeze) const;
  Outcome ApplyPropose(const BlockRequest& request, time_us now_us);
  // The counterparty accepts from its account: *freeze is what it must have frozen; Apply then
  // settles the trade in one entry.
  Status CheckAccept(std::int64_t block_id, OrgId org_id, AccountId account_id, time_us now_us, Hold* freeze) const;
  Outcome ApplyAccept(std::int64_t block_id, OrgId org_id, AccountId account_id, UserId user_id, time_us now_us);
  // The counterparty rejects, or the proposer withdraws; the proposer's reservation is released.
  Status CheckDecline(std::int64_t block_id, OrgId org_id) const;
  Outcome ApplyDecline(std::int64_t block_id, OrgId org_id, UserId user_id, time_us now_us);
  const BlockProposal* FindOpenBlock(std::int64_t block_id) const;

  // --- auctions (exchange_auctions.cc) ----------------------------------------------------------
  // *freeze is the supply, frozen in the seller account.
  Status CheckCreateAuction(AuctionRequest& request, time_us now_us, Hold* freeze) const;
  Outcome ApplyCreateAuction(const AuctionRequest& request, time_us now_us);
  // A new bid or the replacement of the organization's live bid. *freeze is the cash to freeze
  // in addition (amount > 0) or zero; what the bid no longer needs is released by Apply.
  Status CheckBid(const BidRequest& request, time_us now_us, Hold* freeze) const;
  Outcome ApplyBid(const BidRequest& request, time_us now_us);
  Status CheckWithdrawBid(std::int64_t auction_id, OrgId org_id, time_us now_us) const;
  Outcome ApplyWithdrawBid(std::int64_t auction_id, OrgId org_id, time_us now_us);
  // Clears the auction after its window: awards settle, losing bids and unsold units are released.
  Status CheckCloseAuction(std::int64_t auction_id, time_us now_us) const;
  Outcome ApplyCloseAuction(std::int64_t auction_id, time_us now_us);
  Status CheckCancelAuction(std::int64_t auction_id) const;
  Outcome ApplyCancelAuction(std::int64_t auction_id, time_us now_us);
  const AuctionRecord* FindOpenAuction(std::int64_t auction_id) const;
  const BidRecord* FindLiveBid(std::int64_t auction_id, OrgId org_id) const;

  // --- holding limits (最大持仓量) -------------------------------------------------------------
  Status CheckSetHoldingLimit(const HoldingLimit& limit) const;
  Outcome ApplySetHoldingLimit(const HoldingLimit& limit);
  // The account's own limit of the instrument, else the default for every account, else none.
  std::optional<quantity_t> HoldingLimitOf(const std::string& instrument, AccountId account_id) const;
  // What the account may still receive from purchases entered and not yet settled: open buy
  // orders, buy proposals it made, live auction bids.
  quantity_t PendingPurchases(AccountId account_id, const std::string& instrument) const;
  // Refuses a purchase of `adding` more when held (the ledger balance) + pending + adding exceeds
  // the account's limit.
  Status CheckHoldingLimit(AccountId account_id, const std::string& instrument, quantity_t held,
                           quantity_t adding) const;

  // What the exchange keeps frozen that depends on an account (its orders, proposals and bids,
  // and everything of the auctions it sells in) or on an instrument, as releases (amount < 0).
  std::vector<Hold> HoldsOfAccount(AccountId account_id) const;
  std::vector<Hold> HoldsOfInstrument(const std::string& instrument) const;

  // --- reads (writer thread only) -------------------------------------------------------------
  const Listing* FindListing(const std::string& instrument) const;
  const MarketOrder* FindOpenOrder(std::int64_t order_id) const;
  std::vector<const MarketOrder*> OpenOrdersOfAccount(AccountId account_id) const;
  std::vector<const MarketOrder*> OpenOrdersOfInstrument(const std::string& instrument) const;
  AccountId clearing_account() const { return clearing_account_; }

 private:
  struct Market {
    Listing listing;
    FamilyTradingRules rules;
    std::unique_ptr<OrderBook> book;                       // present while the day is not closed
    std::unordered_map<OrderId, std::int64_t> order_of_book_id;  // book id -> exchange order id
  };

  Market* FindMarket(const std::string& instrument);
  const Market* FindMarket(const std::string& instrument) const;
  Status CheckTradingNow(const Market& market, time_us now_us) const;
  Result<std::int64_t> ReservationFor(const Market& market, Side side, std::int64_t price_fen, quantity_t open) const;
  // Turns the book's events after a submit or replace into settlements, releases and rows.
  void ProcessEvents(Market& market, const std::vector<Event>& events, time_us now_us, Outcome* out);
  // Closes an open order: releases what is still frozen and records why it ended.
  void EndOrder(Market& market, MarketOrder& order, OrderStatus status, OrderEnd end, time_us now_us, Outcome* out);
  // Appends the command that reached the book for `order` to the log, for replay.
  void LogCommand(const Market& market, CommandKind kind, const MarketOrder& order, time_us now_us, Outcome* out);
  void RecordOrder(const MarketOrder& order, Outcome* out);
  Outcome Withdraw(const std::vector<std::int64_t>& order_ids, time_us now_us);
  static Result<InstrumentRules> BookRulesOf(const Listing& listing, const FamilyTradingRules& rules);
  // Appends the postings that move `quantity` of `instrument` from the seller's frozen part to
  // the buyer and the cash from the buyer's frozen `buyer_frozen_fen` (of which buyer_pays is
  // spent and the rest released) to the seller less its fee, fees to the clearing account.
  // The units go to the buyer's `buyer_units` bucket: frozen under T+1 delivery.
  void SettlementPostings(const std::string& instrument, AccountId seller, AccountId buyer, quantity_t quantity,
                          std::int64_t buyer_frozen_fen, std::int64_t buyer_pays_fen, std::int64_t seller_gets_fen,
                          std::int64_t fees_fen, Bucket buyer_units, std::vector<Posting>* out) const;
  static Bucket DeliveryBucket(const FamilyTradingRules& rules) {
    return rules.delivery_days > 0 ? Bucket::kFrozen : Bucket::kAvailable;
  }
  Status CheckBlockWindow(const Market& market, time_us now_us) const;
  // Ends a proposed block, releasing what the proposer has frozen.
  void EndBlock(BlockProposal& block, BlockStatus status, UserId user_id, time_us now_us, Outcome* out);
  // Ends an auction before clearing: every live bid and the supply are released.
  void CancelAuction(std::int64_t auction_id, time_us now_us, Outcome* out);
  std::vector<std::int64_t> AuctionsSoldFrom(AccountId account_id) const;

  struct OpenAuction {
    AuctionRecord record;
    std::unique_ptr<Auction> engine;
    std::map<OrgId, BidRecord> bids;  // live bids by organization
  };
  static std::unique_ptr<Auction> NewEngine(const AuctionRules& rules);

  AccountId clearing_account_;
  RulesLookup rules_;
  std::map<std::string, Market, std::less<>> markets_;
  std::map<std::int64_t, MarketOrder> open_orders_;  // by exchange order id
  std::map<std::int64_t, BlockProposal> open_blocks_;  // proposed, by id
  std::map<std::int64_t, OpenAuction> open_auctions_;  // by id
  std::map<std::pair<std::string, AccountId>, HoldingLimit> holding_limits_;  // account 0: the default
  std::int64_t max_command_id_ = 0;
  std::int64_t max_order_id_ = 0;
  std::int64_t max_trade_id_ = 0;
  std::int64_t max_block_id_ = 0;
  std::int64_t max_auction_id_ = 0;
};

}  // namespace greenloop::market

#endif  // GREENLOOP_MARKET_EXCHANGE_H_
