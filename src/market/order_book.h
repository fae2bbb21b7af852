// src/market/order_book.h
//
// A continuous limit order book for one instrument (挂牌协议交易): price-time priority, partial
// fills, cancel and cancel/replace, self-trade prevention by owner, validation by the
// instrument's rules. It is a pure, deterministic, in-memory state machine: it performs no I/O,
// reads no clock and makes no heap allocation per order: the pools grow by amortized doubling
// (the id index by 4 bytes per accepted order, for the life of the book). The caller
// serializes commands, persists the events each command appends, and rebuilds a book after a
// restart by replaying the same commands (the same commands give the same events and ids).
//
// Rules chosen (docs/market-engine.md explains why):
//   - Trades happen at the resting order's price; the incoming order is the aggressor.
//   - Replace keeps the order id. It keeps time priority only when the price is unchanged and
//     the open quantity does not grow; a price change or a larger quantity moves the order to
//     the back of the queue at its (new) price, where it may match at once like a new order.
//   - Self-trade prevention cancels the incoming order's remainder: when the next resting order
//     to match belongs to the same owner, the aggressor stops there, its trades so far stand, its
//     open remainder is cancelled with reason kSelfTrade and the resting order is untouched.
//
// Data structures: orders live in one pool (a vector with a free list) and are linked into a
// FIFO per price level by 32-bit slot indices; the levels of each side are an array indexed by
// (price - band low) / tick, with a bitmap of non-empty levels to find the next best price; an
// order id (assigned by the book, 1, 2, 3, ...) maps to its slot through a vector.
//
// Invariants (cheap ones asserted on every command, all of them in CheckInvariants()):
//   - the book is never crossed after a command: best bid < best ask;
//   - a level's total is the sum of its orders' open quantities, its count their number;
//   - no resting order has a zero or negative open quantity;
//   - a level is marked in the bitmap exactly when it holds orders;
//   - every open id maps to a slot that holds that id, and back.
//
// Thread safety: none; one book is used by one thread at a time.
#ifndef GREENLOOP_MARKET_ORDER_BOOK_H_
#define GREENLOOP_MARKET_ORDER_BOOK_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.h"

namespace greenloop {

// Assigned by the book, consecutive from 1 in order of acceptance; 0 means "no order".
using OrderId = std::int64_t;
// The account or beneficial owner an order trades for; self-trade prevention compares these.
using OwnerId = std::int64_t;

enum class Side : std::uint8_t { kBuy, kSell };

// The instrument's rules. Prices are integers in the instrument's smallest price unit (for CEA
// fen per tonne), quantities in its smallest quantity unit. The band is computed by the caller
// from the previous close and is fixed for the life of the book (one trading day).
struct InstrumentRules {
  std::int64_t tick_size_ticks = 1;        // a price must be a multiple of this
  quantity_t lot_size = 1;                 // a quantity must be a multiple of this
  quantity_t max_quantity_per_order = 0;   // inclusive; at most kMaxOrderQuantity
  std::int64_t band_low_ticks = 0;         // lowest accepted price, inclusive, a multiple of the tick
  std::int64_t band_high_ticks = 0;        // highest accepted price, inclusive, a multiple of the tick
};

// Bounds that keep every level total and the level array within range (asserted).
inline constexpr quantity_t kMaxOrderQuantity = quantity_t{1} << 30;
inline constexpr std::int64_t kMaxBandLevels = std::int64_t{1} << 22;

// Whether rules can build a book: positive tick and lot, band limits on the tick with
// 0 < low <= high, at most kMaxBandLevels levels, 0 < max quantity <= kMaxOrderQuantity and a
// multiple of the lot. Returns an empty string when they can, otherwise the field at fault.
std::string RulesProblem(const InstrumentRules& rules);

// Outcomes of a command, checked cheapest first. Every refusal leaves the book unchanged.
enum class OrderCode : std::uint8_t {
  kOk,
  kOwnerMissing,        // owner_id is 0 or negative
  kQuantityNotPositive, // quantity <= 0
  kQuantityOffLot,      // quantity not a multiple of the lot size
  kQuantityAboveMax,    // quantity above max_quantity_per_order
  kPriceNotPositive,    // price <= 0
  kPriceOffTick,        // price not a multiple of the tick size
  kPriceBelowBand,      // price below band_low_ticks
  kPriceAboveBand,      // price above band_high_ticks
  kUnknownOrder,        // cancel/replace of an id that is not open (never existed, filled, cancelled)
  kNotOwner,            // cancel/replace by another owner than the order's
  kBookFull,            // the order pool reached its 32-bit slot limit
};

// A stable snake_case name ("price_off_tick") and a sentence naming the field at fault.
std::string_view OrderCodeName(OrderCode code);
std::string_view OrderCodeMessage(OrderCode code);

enum class CancelReason : std::uint8_t {
  kRequested,  // the owner cancelled it
  kSelfTrade,  // the incoming remainder stopped by self-trade prevention
};

enum class EventKind : std::uint8_t { kAccepted, kTrade, kCancelled, kReplaced, kRejected };

// One outcome, appended to the caller's vector. Fields by kind:
//   kAccepted   order_id, owner_id, side, price_ticks, quantity (as submitted)
//   kTrade      buy_order_id, sell_order_id, side (the aggressor's), price_ticks (the resting
//               order's), quantity (filled)
//   kCancelled  order_id, owner_id, side, price_ticks, quantity (the open quantity removed), reason
//   kReplaced   order_id, owner_id, side, price_ticks and quantity (new), priority_kept
//   kRejected   code; order_id is the target of a refused cancel/replace, 0 for a new order
struct Event {
  EventKind kind = EventKind::kAccepted;
  Side side = Side::kBuy;
  CancelReason reason = CancelReason::kRequested;
  OrderCode code = OrderCode::kOk;
  bool priority_kept = false;
  OrderId order_id = 0;
  OrderId buy_order_id = 0;
  OrderId sell_order_id = 0;
  OwnerId owner_id = 0;
  std::int64_t price_ticks = 0;
  quantity_t quantity = 0;

  friend bool operator==(const Event&, const Event&) = default;
};

struct NewOrder {
  OwnerId owner_id = 0;
  Side side = Side::kBuy;
  std::int64_t price_ticks = 0;
  quantity_t quantity = 0;
};

struct SubmitResult {
  OrderCode code = OrderCode::kOk;
  OrderId order_id = 0;  // assigned when code is kOk, even if the order filled at once
};

// One aggregated price level of a depth snapshot.
struct DepthLevel {
  std::int64_t price_ticks = 0;
  quantity_t quantity = 0;
  std::int64_t order_count = 0;
  friend bool operator==(const DepthLevel&, const DepthLevel&) = default;
};

// A resting order as seen from outside, for tests and snapshots.
struct RestingOrder {
  OrderId order_id = 0;
  OwnerId owner_id = 0;
  Side side = Side::kBuy;
  std::int64_t price_ticks = 0;
  quantity_t quantity = 0;  // open quantity
};

class OrderBook {
 public:
  // Requires RulesProblem(rules) to be empty (asserted). expected_orders sizes the pools up front
  // so that the first orders do not grow them; the pools still grow when more orders rest.
  explicit OrderBook(const InstrumentRules& rules, std::uint32_t expected_orders = 1024);

  OrderBook(const OrderBook&) = delete;
  OrderBook& operator=(const OrderBook&) = delete;

  // Validates and matches a limit order. Appends kAccepted then any kTrade events, then a
  // kCancelled (kSelfTrade) when prevention stopped it; what is left rests in the book. A refusal
  // appends one kRejected event and changes nothing.
  SubmitResult Submit(const NewOrder& order, std::vector<Event>* events);

  // What Submit would refuse the order with (kOk when it would accept it), without changing
  // anything: a caller that must reserve funds first asks this, reserves, then submits.
  OrderCode CheckSubmit(const NewOrder& order) const;
  // Same for Replace.
  OrderCode CheckReplace(OrderId order_id, OwnerId owner_id, std::int64_t price_ticks, quantity_t quantity) const;

  // Removes an open order of owner_id. Appends kCancelled (kRequested) or kRejected.
  OrderCode Cancel(OrderId order_id, OwnerId owner_id, std::vector<Event>* events);

  // Changes an open order's price and open quantity (the quantity still to trade, not the
  // original one). Same price and quantity <= the open quantity keeps time priority; otherwise the
  // order goes to the back of the new price's queue and first matches like an incoming order.
  // Appends kReplaced, then any kTrade / kCancelled (kSelfTrade), or one kRejected.
  OrderCode Replace(OrderId order_id, OwnerId owner_id, std::int64_t price_ticks, quantity_t quantity,
                    std::vector<Event>* events);

  std::optional<std::int64_t> BestBid() const;
  std::optional<std::int64_t> BestAsk() const;

  // The best `levels` levels of each side, best first.
  void Depth(std::uint32_t levels, std::vector<DepthLevel>* bids, std::vector<DepthLevel>* asks) const;

  // The open order with this id, if any.
  std::optional<RestingOrder> Find(OrderId order_id) const;

  std::int64_t resting_order_count() const { return resting_count_; }
  const InstrumentRules& rules() const { return rules_; }

  // Walks the whole book and checks every invariant in the header comment. Returns an empty
  // string when they all hold, otherwise a description of the first one broken. O(book size):
  // for tests and for debugging, not for the hot path.
  std::string CheckInvariants() const;

 private:
  static constexpr std::uint32_t kNil = 0xFFFFFFFFu;

  // 32 bytes, so that two share a cache line and none straddles two: the open quantity fits 32
  // bits (kMaxOrderQuantity) and the side is the top bit of the level index (kMaxBandLevels).
  struct Order {
    static constexpr std::uint32_t kSellBit = 0x80000000u;

    OrderId id = 0;
    OwnerId owner = 0;
    std::uint32_t open_units = 0;  // the open quantity
    std::uint32_t prev = kNil;     // towards the level's head (older)
    std::uint32_t next = kNil;     // towards the level's tail (newer); the free list's link too
    std::uint32_t level_side = 0;  // index into the side's level array | kSellBit for a sell

    quantity_t open() const { return open_units; }
    std::uint32_t level() const { return level_side & ~kSellBit; }
    Side side() const { return (level_side & kSellBit) != 0 ? Side::kSell : Side::kBuy; }
    void SetOpen(quantity_t quantity) { open_units = static_cast<std::uint32_t>(quantity); }
    void Place(std::uint32_t level_index, Side order_side) {
      level_side = level_index | (order_side == Side::kSell ? kSellBit : 0u);
    }
  };

  struct Level {
    quantity_t total = 0;
    std::uint32_t head = kNil;
    std::uint32_t tail = kNil;
    std::uint32_t count = 0;
  };

  // One side's levels and the bitmap of the non-empty ones.
  struct BookSide {
    std::vector<Level> levels;
    std::vector<std::uint64_t> bits;
  };

  OrderCode ValidatePrice(std::int64_t price_ticks) const;
  OrderCode ValidateQuantity(quantity_t quantity) const;
  std::uint32_t LevelOf(std::int64_t price_ticks) const;
  std::int64_t PriceOf(std::uint32_t level) const;

  // Matches `open` of an order against the opposite side; returns what is left. Sets *self_trade
  // when prevention stopped it.
  template <Side kAggressor>
  quantity_t Match(OrderId id, OwnerId owner, std::uint32_t limit_level, quantity_t open, bool* self_trade,
                   std::vector<Event>* events);
  // Places an order with open quantity > 0 at the back of its level. Returns its slot.
  std::uint32_t Rest(OrderId id, OwnerId owner, Side side, std::uint32_t level, quantity_t open);
  // Unlinks a slot from its level (fixing totals, bitmap and best price) and frees it.
  void Remove(std::uint32_t slot);
  // Matches then rests or cancels the remainder; shared by Submit and Replace.
  void MatchAndRest(OrderId id, OwnerId owner, Side side, std::uint32_t level, quantity_t open,
                    std::vector<Event>* events);
  std::uint32_t AllocateSlot();
  void FreeSlot(std::uint32_t slot);
  void RejectEvent(OrderCode code, OrderId order_id, std::vector<Event>* events) const;

  // Next non-empty level at or below `from` (bids) / at or above `from` (asks); -1 / level_count_
  // when there is none.
  std::int64_t ScanDown(const BookSide& side, std::int64_t from) const;
  std::int64_t ScanUp(const BookSide& side, std::int64_t from) const;

  InstrumentRules rules_;
  std::uint32_t level_count_ = 0;
  BookSide bids_;
  BookSide asks_;
  std::int64_t best_bid_level_ = -1;  // -1 when there are no bids
  std::int64_t best_ask_level_ = 0;   // level_count_ when there are no asks
  std::vector<Order> orders_;         // the pool
  std::uint32_t free_head_ = kNil;
  std::vector<std::uint32_t> slot_of_id_;  // index id - 1; kNil once the order is closed
  std::int64_t resting_count_ = 0;
};

}  // namespace greenloop

#endif  // GREENLOOP_MARKET_ORDER_BOOK_H_
