// src/market/order_book.cc
#include "market/order_book.h"

#include <algorithm>
#include <array>

#include "core/assert.h"

namespace greenloop {

namespace {

struct CodeText {
  std::string_view name;
  std::string_view message;
};

constexpr std::array<CodeText, 12> kCodeTexts = {{
    {"ok", "ok"},
    {"owner_missing", "owner_id: must be a positive account or owner id"},
    {"quantity_not_positive", "quantity: must be positive"},
    {"quantity_off_lot", "quantity: not a multiple of the lot size"},
    {"quantity_above_max", "quantity: above the maximum quantity per order"},
    {"price_not_positive", "price_ticks: must be positive"},
    {"price_off_tick", "price_ticks: not a multiple of the tick size"},
    {"price_below_band", "price_ticks: below the lower limit of the price band"},
    {"price_above_band", "price_ticks: above the upper limit of the price band"},
    {"unknown_order", "order_id: no open order with this id"},
    {"not_owner", "owner_id: the order belongs to another owner"},
    {"book_full", "order: the book holds as many orders as it can"},
}};
static_assert(kCodeTexts.size() == static_cast<std::size_t>(OrderCode::kBookFull) + 1,
              "one text per order code");

}  // namespace

// The pool and the event stream are sized for the cache; a field added here should be a choice.
static_assert(sizeof(Event) == 56, "Event is 56 bytes");

std::string_view OrderCodeName(OrderCode code) { return kCodeTexts[static_cast<std::size_t>(code)].name; }
std::string_view OrderCodeMessage(OrderCode code) { return kCodeTexts[static_cast<std::size_t>(code)].message; }

std::string RulesProblem(const InstrumentRules& rules) {
  if (rules.tick_size_ticks <= 0) return "tick_size_ticks: must be positive";
  if (rules.lot_size <= 0) return "lot_size: must be positive";
  if (rules.max_quantity_per_order <= 0) return "max_quantity_per_order: must be positive";
  if (rules.max_quantity_per_order > kMaxOrderQuantity) return "max_quantity_per_order: above kMaxOrderQuantity";
  if (rules.max_quantity_per_order % rules.lot_size != 0) return "max_quantity_per_order: not a multiple of the lot";
  if (rules.band_low_ticks <= 0) return "band_low_ticks: must be positive";
  if (rules.band_high_ticks < rules.band_low_ticks) return "band_high_ticks: below band_low_ticks";
  if (rules.band_low_ticks % rules.tick_size_ticks != 0) return "band_low_ticks: not a multiple of the tick";
  if (rules.band_high_ticks % rules.tick_size_ticks != 0) return "band_high_ticks: not a multiple of the tick";
  if ((rules.band_high_ticks - rules.band_low_ticks) / rules.tick_size_ticks >= kMaxBandLevels) {
    return "band_high_ticks: the band has more than kMaxBandLevels levels";
  }
  return "";
}

OrderBook::OrderBook(const InstrumentRules& rules, std::uint32_t expected_orders) : rules_(rules) {
  static_assert(sizeof(Order) == 32, "an order slot is 32 bytes");
  static_assert(kMaxOrderQuantity <= 0xFFFFFFFF, "an open quantity fits Order::open_units");
  static_assert(kMaxBandLevels <= Order::kSellBit, "a level index leaves the sell bit free");
  static_assert(sizeof(Level) == 24, "a level is 24 bytes");
  GL_ASSERT(RulesProblem(rules).empty());
  std::int64_t levels = (rules.band_high_ticks - rules.band_low_ticks) / rules.tick_size_ticks + 1;
  GL_ASSERT(levels > 0);
  GL_ASSERT(levels <= kMaxBandLevels);
  level_count_ = static_cast<std::uint32_t>(levels);
  std::size_t words = (level_count_ + 63) / 64;
  bids_.levels.assign(level_count_, Level{});
  asks_.levels.assign(level_count_, Level{});
  bids_.bits.assign(words, 0);
  asks_.bits.assign(words, 0);
  best_bid_level_ = -1;
  best_ask_level_ = level_count_;
  orders_.reserve(expected_orders);
  slot_of_id_.reserve(expected_orders);
}

// ---- validation -------------------------------------------------------------------------------

OrderCode OrderBook::ValidateQuantity(quantity_t quantity) const {
  if (quantity <= 0) return OrderCode::kQuantityNotPositive;
  if (quantity % rules_.lot_size != 0) return OrderCode::kQuantityOffLot;
  if (quantity > rules_.max_quantity_per_order) return OrderCode::kQuantityAboveMax;
  return OrderCode::kOk;
}

OrderCode OrderBook::ValidatePrice(std::int64_t price_ticks) const {
  if (price_ticks <= 0) return OrderCode::kPriceNotPositive;
  if (price_ticks % rules_.tick_size_ticks != 0) return OrderCode::kPriceOffTick;
  if (price_ticks < rules_.band_low_ticks) return OrderCode::kPriceBelowBand;
  if (price_ticks > rules_.band_high_ticks) return OrderCode::kPriceAboveBand;
  return OrderCode::kOk;
}

std::uint32_t OrderBook::LevelOf(std::int64_t price_ticks) const {
  GL_ASSERT(price_ticks >= rules_.band_low_ticks);
  GL_ASSERT(price_ticks <= rules_.band_high_ticks);
  return static_cast<std::uint32_t>((price_ticks - rules_.band_low_ticks) / rules_.tick_size_ticks);
}

std::int64_t OrderBook::PriceOf(std::uint32_t level) const {
  return rules_.band_low_ticks + static_cast<std::int64_t>(level) * rules_.tick_size_ticks;
}

void OrderBook::RejectEvent(OrderCode code, OrderId order_id, std::vector<Event>* events) const {
  GL_ASSERT(code != OrderCode::kOk);
  Event e;
  e.kind = EventKind::kRejected;
  e.code = code;
  e.order_id = order_id;
  events->push_back(e);
}

// ---- the pool ---------------------------------------------------------------------------------

std::uint32_t OrderBook::AllocateSlot() {
  if (free_head_ != kNil) {
    std::uint32_t slot = free_head_;
    free_head_ = orders_[slot].next;
    return slot;
  }
  GL_ASSERT(orders_.size() < kNil);
  orders_.emplace_back();
  return static_cast<std::uint32_t>(orders_.size() - 1);
}

void OrderBook::FreeSlot(std::uint32_t slot) {
  Order& o = orders_[slot];
  o.id = 0;
  o.open_units = 0;
  o.prev = kNil;
  o.next = free_head_;
  free_head_ = slot;
}

// ---- levels -----------------------------------------------------------------------------------

std::int64_t OrderBook::ScanDown(const BookSide& side, std::int64_t from) const {
  if (from < 0) return -1;
  std::int64_t word = from >> 6;
  int bit = static_cast<int>(from & 63);
  std::uint64_t mask = bit == 63 ? ~std::uint64_t{0} : ((std::uint64_t{1} << (bit + 1)) - 1);
  std::uint64_t w = side.bits[static_cast<std::size_t>(word)] & mask;
  while (true) {
    if (w != 0) return (word << 6) + 63 - __builtin_clzll(w);
    if (--word < 0) return -1;
    w = side.bits[static_cast<std::size_t>(word)];
  }
}

std::int64_t OrderBook::ScanUp(const BookSide& side, std::int64_t from) const {
  if (from >= level_count_) return level_count_;
  std::int64_t word = from >> 6;
  std::int64_t words = static_cast<std::int64_t>(side.bits.size());
  std::uint64_t w = side.bits[static_cast<std::size_t>(word)] & (~std::uint64_t{0} << (from & 63));
  while (true) {
    if (w != 0) {
      std::int64_t level = (word << 6) + __builtin_ctzll(w);
      GL_ASSERT(level < level_count_);
      return level;
    }
    if (++word >= words) return level_count_;
    w = side.bits[static_cast<std::size_t>(word)];
  }
}

std::uint32_t OrderBook::Rest(OrderId id, OwnerId owner, Side side, std::uint32_t level, quantity_t open) {
  GL_ASSERT(open > 0);
  GL_ASSERT(open <= kMaxOrderQuantity);
  GL_ASSERT(level < level_count_);
  std::uint32_t slot = AllocateSlot();
  BookSide& book_side = side == Side::kBuy ? bids_ : asks_;
  Level& lvl = book_side.levels[level];
  Order& o = orders_[slot];
  o.id = id;
  o.owner = owner;
  o.SetOpen(open);
  o.Place(level, side);
  o.next = kNil;
  o.prev = lvl.tail;
  if (lvl.tail == kNil) {
    GL_ASSERT(lvl.count == 0);
    lvl.head = slot;
    book_side.bits[level >> 6] |= std::uint64_t{1} << (level & 63);
  } else {
    orders_[lvl.tail].next = slot;
  }
  lvl.tail = slot;
  lvl.count += 1;
  lvl.total += open;
  if (side == Side::kBuy) {
    if (static_cast<std::int64_t>(level) > best_bid_level_) best_bid_level_ = level;
  } else {
    if (static_cast<std::int64_t>(level) < best_ask_level_) best_ask_level_ = level;
  }
  // Resting never crosses: the caller matched first.
  GL_ASSERT(best_bid_level_ < best_ask_level_);
  slot_of_id_[static_cast<std::size_t>(id - 1)] = slot;
  resting_count_ += 1;
  return slot;
}

void OrderBook::Remove(std::uint32_t slot) {
  Order& o = orders_[slot];
  GL_ASSERT(o.id > 0);
  BookSide& book_side = o.side() == Side::kBuy ? bids_ : asks_;
  Level& lvl = book_side.levels[o.level()];
  GL_ASSERT(lvl.count > 0);
  GL_ASSERT(lvl.total >= o.open());
  if (o.prev == kNil) {
    lvl.head = o.next;
  } else {
    orders_[o.prev].next = o.next;
  }
  if (o.next == kNil) {
    lvl.tail = o.prev;
  } else {
    orders_[o.next].prev = o.prev;
  }
  lvl.count -= 1;
  lvl.total -= o.open();
  if (lvl.count == 0) {
    GL_ASSERT(lvl.total == 0);
    GL_ASSERT(lvl.head == kNil);
    book_side.bits[o.level() >> 6] &= ~(std::uint64_t{1} << (o.level() & 63));
    if (o.side() == Side::kBuy && o.level() == best_bid_level_) best_bid_level_ = ScanDown(bids_, o.level());
    if (o.side() == Side::kSell && o.level() == best_ask_level_) best_ask_level_ = ScanUp(asks_, o.level());
  }
  slot_of_id_[static_cast<std::size_t>(o.id - 1)] = kNil;
  resting_count_ -= 1;
  FreeSlot(slot);
}

// ---- matching ---------------------------------------------------------------------------------

template <Side kAggressor>
quantity_t OrderBook::Match(OrderId id, OwnerId owner, std::uint32_t limit_level, quantity_t open, bool* self_trade,
                            std::vector<Event>* events) {
  constexpr bool kBuy = kAggressor == Side::kBuy;
  BookSide& resting_side = kBuy ? asks_ : bids_;
  GL_ASSERT(open > 0);
  while (open > 0) {
    std::int64_t best = kBuy ? best_ask_level_ : best_bid_level_;
    std::int64_t limit = limit_level;
    bool crosses = kBuy ? best <= limit : best >= limit;
    if (!crosses || best < 0 || best >= level_count_) break;
    Level& lvl = resting_side.levels[static_cast<std::size_t>(best)];
    GL_ASSERT(lvl.count > 0);
    std::int64_t price_ticks = PriceOf(static_cast<std::uint32_t>(best));
    while (open > 0 && lvl.head != kNil) {
      std::uint32_t slot = lvl.head;
      Order& r = orders_[slot];
      GL_ASSERT(r.open() > 0);
      if (r.owner == owner) {
        *self_trade = true;
        return open;
      }
      quantity_t fill = std::min(open, r.open());
      Event e;
      e.kind = EventKind::kTrade;
      e.side = kAggressor;
      e.buy_order_id = kBuy ? id : r.id;
      e.sell_order_id = kBuy ? r.id : id;
      e.price_ticks = price_ticks;
      e.quantity = fill;
      events->push_back(e);
      open -= fill;
      if (fill == r.open()) {
        Remove(slot);  // may move the best level; the loop re-reads it
      } else {
        r.SetOpen(r.open() - fill);
        lvl.total -= fill;
        GL_ASSERT(open == 0);
      }
    }
  }
  return open;
}

void OrderBook::MatchAndRest(OrderId id, OwnerId owner, Side side, std::uint32_t level, quantity_t open,
                             std::vector<Event>* events) {
  bool self_trade = false;
  if (side == Side::kBuy) {
    open = Match<Side::kBuy>(id, owner, level, open, &self_trade, events);
  } else {
    open = Match<Side::kSell>(id, owner, level, open, &self_trade, events);
  }
  GL_ASSERT(open >= 0);
  if (open > 0 && self_trade) {
    Event e;
    e.kind = EventKind::kCancelled;
    e.reason = CancelReason::kSelfTrade;
    e.side = side;
    e.order_id = id;
    e.owner_id = owner;
    e.price_ticks = PriceOf(level);
    e.quantity = open;
    events->push_back(e);
    slot_of_id_[static_cast<std::size_t>(id - 1)] = kNil;
  } else if (open > 0) {
    Rest(id, owner, side, level, open);
  } else {
    slot_of_id_[static_cast<std::size_t>(id - 1)] = kNil;
  }
  // No crossed book after matching.
  GL_ASSERT(best_bid_level_ < 0 || best_ask_level_ >= level_count_ || best_bid_level_ < best_ask_level_);
}

// ---- commands ---------------------------------------------------------------------------------

OrderCode OrderBook::CheckSubmit(const NewOrder& order) const {
  OrderCode code = order.owner_id > 0 ? OrderCode::kOk : OrderCode::kOwnerMissing;
  if (code == OrderCode::kOk) code = ValidateQuantity(order.quantity);
  if (code == OrderCode::kOk) code = ValidatePrice(order.price_ticks);
  if (code == OrderCode::kOk && resting_count_ >= static_cast<std::int64_t>(kNil) - 1) code = OrderCode::kBookFull;
  return code;
}

OrderCode OrderBook::CheckReplace(OrderId order_id, OwnerId owner_id, std::int64_t price_ticks,
                                  quantity_t quantity) const {
  std::uint32_t slot = kNil;
  if (order_id > 0 && order_id <= static_cast<OrderId>(slot_of_id_.size())) {
    slot = slot_of_id_[static_cast<std::size_t>(order_id - 1)];
  }
  OrderCode code = slot == kNil ? OrderCode::kUnknownOrder : OrderCode::kOk;
  if (code == OrderCode::kOk && orders_[slot].owner != owner_id) code = OrderCode::kNotOwner;
  if (code == OrderCode::kOk) code = ValidateQuantity(quantity);
  if (code == OrderCode::kOk) code = ValidatePrice(price_ticks);
  return code;
}

SubmitResult OrderBook::Submit(const NewOrder& order, std::vector<Event>* events) {
  GL_ASSERT(events != nullptr);
  const OrderCode code = CheckSubmit(order);
  if (code != OrderCode::kOk) {
    RejectEvent(code, 0, events);
    return SubmitResult{code, 0};
  }
  OrderId id = static_cast<OrderId>(slot_of_id_.size()) + 1;
  slot_of_id_.push_back(kNil);
  Event e;
  e.kind = EventKind::kAccepted;
  e.side = order.side;
  e.order_id = id;
  e.owner_id = order.owner_id;
  e.price_ticks = order.price_ticks;
  e.quantity = order.quantity;
  events->push_back(e);
  MatchAndRest(id, order.owner_id, order.side, LevelOf(order.price_ticks), order.quantity, events);
  return SubmitResult{OrderCode::kOk, id};
}

OrderCode OrderBook::Cancel(OrderId order_id, OwnerId owner_id, std::vector<Event>* events) {
  GL_ASSERT(events != nullptr);
  std::uint32_t slot = kNil;
  if (order_id > 0 && order_id <= static_cast<OrderId>(slot_of_id_.size())) {
    slot = slot_of_id_[static_cast<std::size_t>(order_id - 1)];
  }
  OrderCode code = slot == kNil ? OrderCode::kUnknownOrder : OrderCode::kOk;
  if (code == OrderCode::kOk && orders_[slot].owner != owner_id) code = OrderCode::kNotOwner;
  if (code != OrderCode::kOk) {
    RejectEvent(code, order_id, events);
    return code;
  }
  const Order& o = orders_[slot];
  GL_ASSERT(o.id == order_id);
  Event e;
  e.kind = EventKind::kCancelled;
  e.reason = CancelReason::kRequested;
  e.side = o.side();
  e.order_id = order_id;
  e.owner_id = o.owner;
  e.price_ticks = PriceOf(o.level());
  e.quantity = o.open();
  events->push_back(e);
  Remove(slot);
  return OrderCode::kOk;
}

OrderCode OrderBook::Replace(OrderId order_id, OwnerId owner_id, std::int64_t price_ticks, quantity_t quantity,
                             std::vector<Event>* events) {
  GL_ASSERT(events != nullptr);
  const OrderCode code = CheckReplace(order_id, owner_id, price_ticks, quantity);
  if (code != OrderCode::kOk) {
    RejectEvent(code, order_id, events);
    return code;
  }
  const std::uint32_t slot = slot_of_id_[static_cast<std::size_t>(order_id - 1)];
  Order& o = orders_[slot];
  GL_ASSERT(o.id == order_id);
  std::uint32_t level = LevelOf(price_ticks);
  bool keeps_priority = level == o.level() && quantity <= o.open();
  Event e;
  e.kind = EventKind::kReplaced;
  e.side = o.side();
  e.order_id = order_id;
  e.owner_id = o.owner;
  e.price_ticks = price_ticks;
  e.quantity = quantity;
  e.priority_kept = keeps_priority;
  events->push_back(e);
  if (keeps_priority) {
    Level& lvl = (o.side() == Side::kBuy ? bids_ : asks_).levels[level];
    lvl.total -= o.open() - quantity;
    o.SetOpen(quantity);
    GL_ASSERT(lvl.total > 0);
    GL_ASSERT(o.open() > 0);
    return OrderCode::kOk;
  }
  Side side = o.side();
  OwnerId owner = o.owner;
  Remove(slot);
  MatchAndRest(order_id, owner, side, level, quantity, events);
  return OrderCode::kOk;
}

// ---- queries ----------------------------------------------------------------------------------

std::optional<std::int64_t> OrderBook::BestBid() const {
  if (best_bid_level_ < 0) return std::nullopt;
  return PriceOf(static_cast<std::uint32_t>(best_bid_level_));
}

std::optional<std::int64_t> OrderBook::BestAsk() const {
  if (best_ask_level_ >= level_count_) return std::nullopt;
  return PriceOf(static_cast<std::uint32_t>(best_ask_level_));
}

void OrderBook::Depth(std::uint32_t levels, std::vector<DepthLevel>* bids, std::vector<DepthLevel>* asks) const {
  GL_ASSERT(bids != nullptr);
  GL_ASSERT(asks != nullptr);
  bids->clear();
  asks->clear();
  for (std::int64_t l = best_bid_level_; l >= 0 && bids->size() < levels; l = ScanDown(bids_, l - 1)) {
    const Level& lvl = bids_.levels[static_cast<std::size_t>(l)];
    GL_ASSERT(lvl.count > 0);
    bids->push_back(DepthLevel{PriceOf(static_cast<std::uint32_t>(l)), lvl.total, lvl.count});
  }
  for (std::int64_t l = best_ask_level_; l < level_count_ && asks->size() < levels; l = ScanUp(asks_, l + 1)) {
    const Level& lvl = asks_.levels[static_cast<std::size_t>(l)];
    GL_ASSERT(lvl.count > 0);
    asks->push_back(DepthLevel{PriceOf(static_cast<std::uint32_t>(l)), lvl.total, lvl.count});
  }
}

std::optional<RestingOrder> OrderBook::Find(OrderId order_id) const {
  if (order_id <= 0 || order_id > static_cast<OrderId>(slot_of_id_.size())) return std::nullopt;
  std::uint32_t slot = slot_of_id_[static_cast<std::size_t>(order_id - 1)];
  if (slot == kNil) return std::nullopt;
  const Order& o = orders_[slot];
  GL_ASSERT(o.id == order_id);
  return RestingOrder{o.id, o.owner, o.side(), PriceOf(o.level()), o.open()};
}

std::string OrderBook::CheckInvariants() const {
  std::int64_t seen = 0;
  std::int64_t best_bid = -1;
  std::int64_t best_ask = level_count_;
  for (int s = 0; s < 2; ++s) {
    const BookSide& side = s == 0 ? bids_ : asks_;
    Side side_kind = s == 0 ? Side::kBuy : Side::kSell;
    for (std::uint32_t l = 0; l < level_count_; ++l) {
      const Level& lvl = side.levels[l];
      bool marked = (side.bits[l >> 6] >> (l & 63)) & 1;
      if (marked != (lvl.count > 0)) return "level " + std::to_string(PriceOf(l)) + ": bitmap disagrees with count";
      if (lvl.count == 0) {
        if (lvl.head != kNil || lvl.tail != kNil || lvl.total != 0) {
          return "empty level " + std::to_string(PriceOf(l)) + " not clear";
        }
        continue;
      }
      if (s == 0) best_bid = l;
      if (s == 1 && best_ask == level_count_) best_ask = l;
      quantity_t total = 0;
      std::uint32_t count = 0;
      std::uint32_t prev = kNil;
      for (std::uint32_t slot = lvl.head; slot != kNil; slot = orders_[slot].next) {
        const Order& o = orders_[slot];
        if (o.prev != prev) return "order " + std::to_string(o.id) + ": broken prev link";
        if (o.open() <= 0) return "order " + std::to_string(o.id) + ": zero or negative open quantity";
        if (o.side() != side_kind || o.level() != l) return "order " + std::to_string(o.id) + ": on the wrong level";
        if (o.id <= 0 || o.id > static_cast<OrderId>(slot_of_id_.size()) ||
            slot_of_id_[static_cast<std::size_t>(o.id - 1)] != slot) {
          return "order " + std::to_string(o.id) + ": id index does not point back";
        }
        if (count > resting_count_) return "level " + std::to_string(PriceOf(l)) + ": cycle";
        total += o.open();
        count += 1;
        prev = slot;
      }
      if (lvl.tail != prev) return "level " + std::to_string(PriceOf(l)) + ": tail is not the last order";
      if (total != lvl.total) return "level " + std::to_string(PriceOf(l)) + ": total is not the sum of its orders";
      if (count != lvl.count) return "level " + std::to_string(PriceOf(l)) + ": count is not the number of its orders";
      seen += count;
    }
  }
  if (seen != resting_count_) return "resting_count disagrees with the levels";
  if (best_bid != best_bid_level_) return "best bid level is stale";
  if (best_ask != best_ask_level_) return "best ask level is stale";
  if (best_bid >= 0 && best_ask < level_count_ && best_bid >= best_ask) return "book is crossed";
  std::int64_t open_ids = 0;
  for (std::uint32_t slot : slot_of_id_) open_ids += slot != kNil ? 1 : 0;
  if (open_ids != resting_count_) return "id index holds closed orders";
  return "";
}

}  // namespace greenloop
