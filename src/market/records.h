// src/market/records.h
//
// What the exchange (交易系统) keeps durably: each listed instrument with its market state and
// current trading day, the command log of each day's order book (replayed after a restart to
// rebuild the book exactly), the orders with their open quantity and what is still frozen for
// them, and the trades with the journal entry that settled each one. Plain data.
#ifndef GREENLOOP_MARKET_RECORDS_H_
#define GREENLOOP_MARKET_RECORDS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.h"
#include "market/auction.h"
#include "market/order_book.h"

namespace greenloop::market {

// pre_open: the day's band is published, no orders yet; open: continuous trading within the
// calendar's sessions; halted: no new orders or replaces, cancels allowed; closed: the day ended
// and its open orders expired.
enum class MarketState : std::uint8_t { kPreOpen, kOpen, kHalted, kClosed };

enum class OrderStatus : std::uint8_t { kOpen, kFilled, kCancelled, kExpired };

// Why an order stopped being open.
enum class OrderEnd : std::uint8_t {
  kNone,           // still open
  kFilled,
  kCancelled,      // by its owner
  kSelfTrade,      // its remainder stopped by self-trade prevention
  kExpired,        // the trading day closed
  kAccountStopped, // the regulator froze or closed the account, or the instrument expired
};

enum class CommandKind : std::uint8_t { kSubmit, kCancel, kReplace };

struct Listing {
  std::string instrument;
  std::string family;
  std::int64_t fee_bps = 0;  // commission per side, basis points of the notional
  MarketState state = MarketState::kClosed;
  std::string trading_day;   // YYYY-MM-DD of the current or last day; empty before the first
  std::int64_t prev_close_fen = 0;  // the reference price of the current day's band
  std::int64_t band_low_fen = 0;
  std::int64_t band_high_fen = 0;
  time_us listed_at_us = 0;
  time_us updated_at_us = 0;
};

// One trading day of a listing: its reference price and band, set when the day opens, and its
// close, set when it closes (0 while the day is open). With the day's trades it gives the day's bar.
struct TradingDay {
  std::string instrument;
  std::string trading_day;
  std::int64_t prev_close_fen = 0;
  std::int64_t band_low_fen = 0;
  std::int64_t band_high_fen = 0;
  std::int64_t close_fen = 0;
  time_us opened_at_us = 0;
  time_us closed_at_us = 0;
};

// One command that reached a day's order book, in the order the book saw them.
struct BookCommand {
  std::int64_t id = 0;  // global sequence, the replay order
  std::string instrument;
  std::string trading_day;
  CommandKind kind = CommandKind::kSubmit;
  OrderId book_order_id = 0;  // the target of a cancel or replace; the id assigned to a submit
  OwnerId owner_id = 0;
  Side side = Side::kBuy;
  std::int64_t price_fen = 0;
  quantity_t quantity = 0;
  time_us at_us = 0;
};

struct MarketOrder {
  std::int64_t id = 0;  // the exchange's order id (global)
  std::string instrument;
  std::string trading_day;
  OrderId book_order_id = 0;
  AccountId account_id = 0;
  OrgId org_id = 0;
  UserId user_id = 0;
  Side side = Side::kBuy;
  std::int64_t price_fen = 0;
  quantity_t quantity = 0;         // as first entered
  quantity_t open_quantity = 0;    // still to trade (0 once closed)
  quantity_t filled_quantity = 0;
  std::string reserved_instrument; // the instrument sold, or CNY for a buy
  quantity_t reserved = 0;         // still frozen for the order in reserved_instrument
  OrderStatus status = OrderStatus::kOpen;
  OrderEnd end = OrderEnd::kNone;
  std::string client_order_id;
  time_us created_at_us = 0;
  time_us updated_at_us = 0;
};

struct MarketTrade {
  std::int64_t id = 0;
  std::string instrument;
  std::string trading_day;
  std::string mode = "listing";  // listing, block, auction
  std::int64_t buy_order_id = 0;   // listing trades; 0 otherwise
  std::int64_t sell_order_id = 0;
  std::int64_t ref_id = 0;         // the block proposal or the auction of a block or auction trade
  AccountId buy_account_id = 0;
  AccountId sell_account_id = 0;
  OrgId buy_org_id = 0;
  OrgId sell_org_id = 0;
  Side aggressor = Side::kBuy;
  std::int64_t price_fen = 0;
  quantity_t quantity = 0;
  std::int64_t buyer_fee_fen = 0;
  std::int64_t seller_fee_fen = 0;
  EntryId entry_id = 0;
  time_us at_us = 0;
};

// Block agreement trading (大宗协议交易): one side proposes a trade to a named counterparty,
// which accepts or rejects it before it expires. The proposer's side is frozen while it is
// proposed.
enum class BlockStatus : std::uint8_t { kProposed, kAccepted, kRejected, kWithdrawn, kExpired };

struct BlockProposal {
  std::int64_t id = 0;
  std::string instrument;
  std::string trading_day;
  Side side = Side::kSell;  // the proposer's side
  AccountId proposer_account_id = 0;
  OrgId proposer_org_id = 0;
  UserId proposer_user_id = 0;
  OrgId counterparty_org_id = 0;
  AccountId counterparty_account_id = 0;  // set when accepted
  UserId responder_user_id = 0;           // who accepted or rejected
  std::int64_t price_fen = 0;
  quantity_t quantity = 0;
  std::string reserved_instrument;  // the instrument sold, or CNY for a buy
  quantity_t reserved = 0;          // still frozen for the proposer
  time_us expires_at_us = 0;        // 0: when the trading day closes
  BlockStatus status = BlockStatus::kProposed;
  std::int64_t trade_id = 0;
  std::string memo;
  time_us created_at_us = 0;
  time_us updated_at_us = 0;
};

// Auctions (单向竞价) of a seller account's units: paid initial allocation (有偿分配) or sales
// from the government reserve (储备出售).
enum class AuctionPurpose : std::uint8_t { kPaidAllocation, kReserveSale };
// open covers the time before, during and after the bidding window until it is cleared.
enum class AuctionStatus : std::uint8_t { kOpen, kCleared, kCancelled };
enum class BidStatus : std::uint8_t { kLive, kWithdrawn, kWon, kLost };

struct AuctionRecord {
  std::int64_t id = 0;
  std::string title;
  AuctionPurpose purpose = AuctionPurpose::kReserveSale;
  std::string instrument;
  AccountId seller_account_id = 0;
  OrgId seller_org_id = 0;
  UserId created_by = 0;
  AuctionRules rules;
  AuctionStatus status = AuctionStatus::kOpen;
  quantity_t reserved = 0;           // still frozen in the seller account (the supply until cleared)
  std::int64_t next_sequence = 1;    // the time priority the next bid takes
  std::int64_t bid_count = 0;        // live bids
  std::int64_t clearing_price_fen = 0;
  quantity_t sold_quantity = 0;
  quantity_t unsold_quantity = 0;
  std::int64_t total_amount_fen = 0;
  std::int64_t winner_count = 0;
  time_us created_at_us = 0;
  time_us updated_at_us = 0;
  time_us cleared_at_us = 0;
};

// One organization's bid in one auction (one live bid per organization).
struct BidRecord {
  std::int64_t auction_id = 0;
  OrgId org_id = 0;
  AccountId account_id = 0;
  UserId user_id = 0;
  std::int64_t price_fen = 0;
  quantity_t quantity = 0;
  std::int64_t sequence = 0;
  std::int64_t reserved_fen = 0;  // CNY still frozen for the bid
  BidStatus status = BidStatus::kLive;
  quantity_t awarded_quantity = 0;
  std::int64_t price_paid_fen = 0;
  std::int64_t amount_fen = 0;
  bool at_margin = false;
  std::int64_t trade_id = 0;
  time_us created_at_us = 0;
  time_us updated_at_us = 0;
};

// A maximum holding (最大持仓量) of an instrument, enforced when a purchase is entered (a buy
// order, a block proposal or acceptance as buyer, an auction bid): for one account, or, with
// account_id 0, for every holding account without a limit of its own.
struct HoldingLimit {
  std::string instrument;
  AccountId account_id = 0;
  quantity_t max_quantity = 0;  // 0 in a batch: the limit is removed
  UserId set_by = 0;
  time_us set_at_us = 0;
};

// The rows one commit writes: listings, days, orders, blocks, auctions and bids are upserted by
// key, commands and trades appended.
struct MarketBatch {
  std::vector<Listing> listings;
  std::vector<TradingDay> days;
  std::vector<BookCommand> commands;
  std::vector<MarketOrder> orders;
  std::vector<MarketTrade> trades;
  std::vector<BlockProposal> blocks;
  std::vector<AuctionRecord> auctions;
  std::vector<BidRecord> bids;
  std::vector<HoldingLimit> holding_limits;

  bool empty() const {
    return listings.empty() && days.empty() && commands.empty() && orders.empty() && trades.empty() &&
           blocks.empty() && auctions.empty() && bids.empty() && holding_limits.empty();
  }
};

struct BlockFilter {
  std::optional<std::string> instrument;
  std::optional<OrgId> org_id;  // proposer or counterparty
  std::optional<BlockStatus> status;
  std::optional<std::int64_t> before_id;
  int limit = 100;
};

struct OrderFilter {
  std::optional<std::string> instrument;
  std::optional<OrgId> org_id;
  std::optional<AccountId> account_id;
  std::optional<OrderStatus> status;
  std::optional<std::string> trading_day;
  std::optional<std::int64_t> before_id;  // cursor: smaller ids, newest first
  int limit = 100;
};

struct TradeFilter {
  std::optional<std::string> instrument;
  std::optional<OrgId> org_id;  // trades with this organization on either side
  std::optional<std::string> trading_day;
  std::optional<std::int64_t> before_id;  // cursor: smaller ids, newest first
  int limit = 100;
};

// What the exchange needs at start: every listing, the command log of each listing's current
// day when the day is not closed, and the open orders; plus the largest ids in use.
struct MarketSnapshot {
  std::vector<Listing> listings;
  std::vector<BookCommand> commands;  // in id order
  std::vector<MarketOrder> open_orders;
  std::vector<BlockProposal> open_blocks;      // proposed
  std::vector<AuctionRecord> open_auctions;    // not cleared or cancelled
  std::vector<BidRecord> live_bids;            // of the open auctions
  std::vector<HoldingLimit> holding_limits;
  std::int64_t max_command_id = 0;
  std::int64_t max_order_id = 0;
  std::int64_t max_trade_id = 0;
  std::int64_t max_block_id = 0;
  std::int64_t max_auction_id = 0;
};

std::string_view ToString(MarketState v);
std::string_view ToString(OrderStatus v);
std::string_view ToString(OrderEnd v);
std::string_view ToString(CommandKind v);
std::string_view ToString(Side v);
std::optional<MarketState> ParseMarketState(std::string_view s);
std::optional<OrderStatus> ParseOrderStatus(std::string_view s);
std::optional<OrderEnd> ParseOrderEnd(std::string_view s);
std::optional<CommandKind> ParseCommandKind(std::string_view s);
std::optional<Side> ParseSide(std::string_view s);
std::string_view ToString(BlockStatus v);
std::string_view ToString(AuctionPurpose v);
std::string_view ToString(AuctionStatus v);
std::string_view ToString(BidStatus v);
std::string_view ToString(AuctionPricing v);
std::optional<BlockStatus> ParseBlockStatus(std::string_view s);
std::optional<AuctionPurpose> ParseAuctionPurpose(std::string_view s);
std::optional<AuctionStatus> ParseAuctionStatus(std::string_view s);
std::optional<BidStatus> ParseBidStatus(std::string_view s);
std::optional<AuctionPricing> ParseAuctionPricing(std::string_view s);

}  // namespace greenloop::market

#endif  // GREENLOOP_MARKET_RECORDS_H_
