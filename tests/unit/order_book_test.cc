// Goal: the order book matches by price-time priority at the resting price, cancels and replaces
// by the documented rules, prevents self-trades by cancelling the incoming remainder, refuses
// every invalid order with its own code and leaves the book unchanged, and is deterministic.
// Method: worked examples with hand-computed trades on one instrument (tick 5, lot 100, at most
// 10,000 per order, band 4500–5500), then a randomized comparison, event by event, against a
// small std::map reference model written here, with the full invariant check after every step.
#include "market/order_book.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <random>

namespace greenloop {
namespace {

const InstrumentRules kRules{5, 100, 10'000, 4500, 5500};

class OrderBookTest : public ::testing::Test {
 protected:
  OrderId Buy(OwnerId owner, std::int64_t price, quantity_t qty) { return Submit(owner, Side::kBuy, price, qty); }
  OrderId Sell(OwnerId owner, std::int64_t price, quantity_t qty) { return Submit(owner, Side::kSell, price, qty); }

  OrderId Submit(OwnerId owner, Side side, std::int64_t price, quantity_t qty) {
    events_.clear();
    SubmitResult r = book_.Submit(NewOrder{owner, side, price, qty}, &events_);
    EXPECT_EQ(book_.CheckInvariants(), "");
    return r.order_id;
  }

  std::vector<Event> Trades() const {
    std::vector<Event> out;
    for (const Event& e : events_) {
      if (e.kind == EventKind::kTrade) out.push_back(e);
    }
    return out;
  }

  static Event Trade(OrderId buy, OrderId sell, std::int64_t price, quantity_t qty, Side aggressor) {
    Event e;
    e.kind = EventKind::kTrade;
    e.buy_order_id = buy;
    e.sell_order_id = sell;
    e.price_ticks = price;
    e.quantity = qty;
    e.side = aggressor;
    return e;
  }

  OrderBook book_{kRules};
  std::vector<Event> events_;
};

TEST_F(OrderBookTest, RestingOrdersAndBestPrices) {
  EXPECT_FALSE(book_.BestBid().has_value());
  EXPECT_FALSE(book_.BestAsk().has_value());
  OrderId b = Buy(1, 4990, 300);
  OrderId s = Sell(2, 5010, 200);
  EXPECT_EQ(b, 1);
  EXPECT_EQ(s, 2);
  EXPECT_EQ(book_.BestBid(), 4990);
  EXPECT_EQ(book_.BestAsk(), 5010);
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(events_[0].kind, EventKind::kAccepted);
  EXPECT_EQ(events_[0].order_id, 2);
  EXPECT_EQ(events_[0].quantity, 200);
  EXPECT_EQ(book_.resting_order_count(), 2);
}

TEST_F(OrderBookTest, PriceThenTimePriority) {
  OrderId a = Sell(1, 5000, 100);
  OrderId b = Sell(2, 5000, 200);
  OrderId c = Sell(3, 4995, 100);  // better price, later in time: matches first
  OrderId buy = Buy(4, 5000, 300);
  std::vector<Event> expected = {Trade(buy, c, 4995, 100, Side::kBuy), Trade(buy, a, 5000, 100, Side::kBuy),
                                 Trade(buy, b, 5000, 100, Side::kBuy)};
  EXPECT_EQ(Trades(), expected);
  ASSERT_TRUE(book_.Find(b).has_value());
  EXPECT_EQ(book_.Find(b)->quantity, 100);
  EXPECT_FALSE(book_.Find(a).has_value());
  EXPECT_FALSE(book_.Find(buy).has_value());
  EXPECT_FALSE(book_.BestBid().has_value());
}

TEST_F(OrderBookTest, PartialFillsOverSeveralLevelsRestTheRemainder) {
  OrderId a = Sell(1, 5000, 100);
  OrderId b = Sell(1, 5010, 200);
  OrderId c = Sell(1, 5020, 300);
  Sell(1, 5100, 100);  // beyond the buyer's limit
  OrderId buy = Buy(2, 5050, 1000);
  std::vector<Event> expected = {Trade(buy, a, 5000, 100, Side::kBuy), Trade(buy, b, 5010, 200, Side::kBuy),
                                 Trade(buy, c, 5020, 300, Side::kBuy)};
  EXPECT_EQ(Trades(), expected);
  EXPECT_EQ(book_.BestBid(), 5050);
  EXPECT_EQ(book_.Find(buy)->quantity, 400);
  EXPECT_EQ(book_.BestAsk(), 5100);
}

TEST_F(OrderBookTest, TradePriceIsTheRestingPrice) {
  OrderId bid = Buy(1, 5000, 500);
  OrderId sell = Sell(2, 4900, 200);  // willing to sell lower; trades at the bid's 5000
  std::vector<Event> expected = {Trade(bid, sell, 5000, 200, Side::kSell)};
  EXPECT_EQ(Trades(), expected);
  EXPECT_EQ(book_.Find(bid)->quantity, 300);
  EXPECT_FALSE(book_.BestAsk().has_value());
}

TEST_F(OrderBookTest, CancelRemovesAndRefusesStrangersAndClosedOrders) {
  OrderId a = Buy(1, 5000, 300);
  OrderId b = Buy(2, 4995, 100);
  events_.clear();
  EXPECT_EQ(book_.Cancel(a, 2, &events_), OrderCode::kNotOwner);
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(events_[0].kind, EventKind::kRejected);
  EXPECT_EQ(events_[0].code, OrderCode::kNotOwner);
  EXPECT_TRUE(book_.Find(a).has_value());

  events_.clear();
  EXPECT_EQ(book_.Cancel(a, 1, &events_), OrderCode::kOk);
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(events_[0].kind, EventKind::kCancelled);
  EXPECT_EQ(events_[0].reason, CancelReason::kRequested);
  EXPECT_EQ(events_[0].order_id, a);
  EXPECT_EQ(events_[0].quantity, 300);
  EXPECT_EQ(events_[0].price_ticks, 5000);
  EXPECT_EQ(book_.BestBid(), 4995);
  EXPECT_EQ(book_.CheckInvariants(), "");

  events_.clear();
  EXPECT_EQ(book_.Cancel(a, 1, &events_), OrderCode::kUnknownOrder);  // already cancelled
  EXPECT_EQ(book_.Cancel(99, 1, &events_), OrderCode::kUnknownOrder);  // never existed
  EXPECT_EQ(book_.Cancel(0, 1, &events_), OrderCode::kUnknownOrder);
  Sell(3, 4995, 100);  // fills b completely
  events_.clear();
  EXPECT_EQ(book_.Cancel(b, 2, &events_), OrderCode::kUnknownOrder);
  EXPECT_EQ(book_.resting_order_count(), 0);
}

TEST_F(OrderBookTest, ReplaceReducingQuantityKeepsPriority) {
  OrderId a = Sell(1, 5000, 500);
  OrderId b = Sell(2, 5000, 100);
  events_.clear();
  EXPECT_EQ(book_.Replace(a, 1, 5000, 200, &events_), OrderCode::kOk);
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(events_[0].kind, EventKind::kReplaced);
  EXPECT_TRUE(events_[0].priority_kept);
  EXPECT_EQ(book_.CheckInvariants(), "");
  OrderId buy = Buy(3, 5000, 200);
  std::vector<Event> expected = {Trade(buy, a, 5000, 200, Side::kBuy)};  // a is still first
  EXPECT_EQ(Trades(), expected);
  EXPECT_TRUE(book_.Find(b).has_value());
}

TEST_F(OrderBookTest, ReplaceIncreasingQuantityLosesPriority) {
  OrderId a = Sell(1, 5000, 100);
  OrderId b = Sell(2, 5000, 100);
  events_.clear();
  EXPECT_EQ(book_.Replace(a, 1, 5000, 300, &events_), OrderCode::kOk);
  EXPECT_FALSE(events_[0].priority_kept);
  EXPECT_EQ(book_.CheckInvariants(), "");
  OrderId buy = Buy(3, 5000, 200);
  std::vector<Event> expected = {Trade(buy, b, 5000, 100, Side::kBuy), Trade(buy, a, 5000, 100, Side::kBuy)};
  EXPECT_EQ(Trades(), expected);
  EXPECT_EQ(book_.Find(a)->quantity, 200);
}

TEST_F(OrderBookTest, ReplacePriceChangeLosesPriorityAndMayMatch) {
  OrderId bid = Buy(1, 4990, 200);
  OrderId a = Sell(2, 5000, 100);
  OrderId b = Sell(3, 5000, 100);
  events_.clear();
  // Moving a away and back puts it behind b.
  EXPECT_EQ(book_.Replace(a, 2, 5005, 100, &events_), OrderCode::kOk);
  EXPECT_EQ(book_.Replace(a, 2, 5000, 100, &events_), OrderCode::kOk);
  OrderId buy = Buy(4, 5000, 100);
  std::vector<Event> first = {Trade(buy, b, 5000, 100, Side::kBuy)};
  EXPECT_EQ(Trades(), first);
  // Lowering a's price through the bid makes it an aggressor at the bid's price.
  events_.clear();
  EXPECT_EQ(book_.Replace(a, 2, 4985, 100, &events_), OrderCode::kOk);
  ASSERT_EQ(events_.size(), 2u);
  EXPECT_EQ(events_[0].kind, EventKind::kReplaced);
  EXPECT_EQ(events_[1], Trade(bid, a, 4990, 100, Side::kSell));
  EXPECT_FALSE(book_.Find(a).has_value());
  EXPECT_EQ(book_.Find(bid)->quantity, 100);
  EXPECT_EQ(book_.CheckInvariants(), "");
}

TEST_F(OrderBookTest, ReplaceRefusals) {
  OrderId a = Buy(1, 5000, 100);
  events_.clear();
  EXPECT_EQ(book_.Replace(a, 2, 5000, 100, &events_), OrderCode::kNotOwner);
  EXPECT_EQ(book_.Replace(a, 1, 5000, 0, &events_), OrderCode::kQuantityNotPositive);
  EXPECT_EQ(book_.Replace(a, 1, 5001, 100, &events_), OrderCode::kPriceOffTick);
  EXPECT_EQ(book_.Replace(a, 1, 5600, 100, &events_), OrderCode::kPriceAboveBand);
  EXPECT_EQ(book_.Replace(a + 1, 1, 5000, 100, &events_), OrderCode::kUnknownOrder);
  ASSERT_EQ(events_.size(), 5u);
  for (const Event& e : events_) {
    EXPECT_EQ(e.kind, EventKind::kRejected);
    EXPECT_EQ(e.order_id, a + (e.code == OrderCode::kUnknownOrder ? 1 : 0));
  }
  EXPECT_EQ(book_.Find(a)->quantity, 100);
  EXPECT_EQ(book_.Find(a)->price_ticks, 5000);
}

TEST_F(OrderBookTest, SelfTradePreventionCancelsTheIncomingRemainder) {
  OrderId other_better = Sell(2, 4995, 100);
  OrderId own = Sell(1, 5000, 100);
  OrderId other_behind = Sell(2, 5000, 100);
  OrderId buy = Buy(1, 5000, 300);
  ASSERT_EQ(events_.size(), 3u);
  EXPECT_EQ(events_[0].kind, EventKind::kAccepted);
  EXPECT_EQ(events_[1], Trade(buy, other_better, 4995, 100, Side::kBuy));
  EXPECT_EQ(events_[2].kind, EventKind::kCancelled);
  EXPECT_EQ(events_[2].reason, CancelReason::kSelfTrade);
  EXPECT_EQ(events_[2].order_id, buy);
  EXPECT_EQ(events_[2].quantity, 200);
  // The resting orders, the owner's own included, are untouched; nothing of the buy rests.
  EXPECT_EQ(book_.Find(own)->quantity, 100);
  EXPECT_EQ(book_.Find(other_behind)->quantity, 100);
  EXPECT_FALSE(book_.Find(buy).has_value());
  EXPECT_FALSE(book_.BestBid().has_value());
  events_.clear();
  EXPECT_EQ(book_.Cancel(buy, 1, &events_), OrderCode::kUnknownOrder);
  // An order that does not reach its owner's resting order trades normally.
  Buy(1, 4995, 100);
  EXPECT_EQ(book_.CheckInvariants(), "");
}

TEST_F(OrderBookTest, ReplaceThroughTheOwnersOppositeOrderIsCancelledToo) {
  OrderId own_bid = Buy(1, 5000, 100);
  OrderId ask = Sell(1, 5010, 300);
  events_.clear();
  EXPECT_EQ(book_.Replace(ask, 1, 4995, 300, &events_), OrderCode::kOk);
  ASSERT_EQ(events_.size(), 2u);
  EXPECT_EQ(events_[0].kind, EventKind::kReplaced);
  EXPECT_EQ(events_[1].kind, EventKind::kCancelled);
  EXPECT_EQ(events_[1].reason, CancelReason::kSelfTrade);
  EXPECT_EQ(events_[1].quantity, 300);
  EXPECT_FALSE(book_.Find(ask).has_value());
  EXPECT_EQ(book_.Find(own_bid)->quantity, 100);
  EXPECT_EQ(book_.CheckInvariants(), "");
}

TEST_F(OrderBookTest, EachValidationRefusalHasItsCodeAndLeavesTheBookAlone) {
  Buy(1, 5000, 100);
  struct Case {
    NewOrder order;
    OrderCode code;
    std::string_view field;
  };
  const Case cases[] = {
      {{0, Side::kBuy, 5000, 100}, OrderCode::kOwnerMissing, "owner_id"},
      {{1, Side::kBuy, 5000, 0}, OrderCode::kQuantityNotPositive, "quantity"},
      {{1, Side::kBuy, 5000, -100}, OrderCode::kQuantityNotPositive, "quantity"},
      {{1, Side::kBuy, 5000, 150}, OrderCode::kQuantityOffLot, "quantity"},
      {{1, Side::kSell, 5000, 10'100}, OrderCode::kQuantityAboveMax, "quantity"},
      {{1, Side::kBuy, 0, 100}, OrderCode::kPriceNotPositive, "price_ticks"},
      {{1, Side::kBuy, -5000, 100}, OrderCode::kPriceNotPositive, "price_ticks"},
      {{1, Side::kBuy, 5002, 100}, OrderCode::kPriceOffTick, "price_ticks"},
      {{1, Side::kSell, 4495, 100}, OrderCode::kPriceBelowBand, "price_ticks"},
      {{1, Side::kBuy, 5505, 100}, OrderCode::kPriceAboveBand, "price_ticks"},
  };
  for (const Case& c : cases) {
    events_.clear();
    SubmitResult r = book_.Submit(c.order, &events_);
    EXPECT_EQ(r.code, c.code) << OrderCodeName(c.code);
    EXPECT_EQ(r.order_id, 0);
    ASSERT_EQ(events_.size(), 1u);
    EXPECT_EQ(events_[0].kind, EventKind::kRejected);
    EXPECT_EQ(events_[0].code, c.code);
    EXPECT_EQ(OrderCodeMessage(c.code).substr(0, c.field.size()), c.field) << OrderCodeMessage(c.code);
  }
  // The limits themselves are accepted, and no id was used by the refusals.
  EXPECT_EQ(Sell(2, 5500, 10'000), 2);
  EXPECT_EQ(Buy(2, 4500, 100), 3);
  EXPECT_EQ(book_.resting_order_count(), 3);
  EXPECT_EQ(book_.BestBid(), 5000);
}

TEST_F(OrderBookTest, CodeNamesAreDistinct) {
  std::vector<std::string_view> names;
  for (int c = 0; c <= static_cast<int>(OrderCode::kBookFull); ++c) {
    names.push_back(OrderCodeName(static_cast<OrderCode>(c)));
    EXPECT_FALSE(OrderCodeMessage(static_cast<OrderCode>(c)).empty());
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::unique(names.begin(), names.end()), names.end());
}

TEST(OrderBookRules, ProblemsNameTheField) {
  EXPECT_EQ(RulesProblem(kRules), "");
  InstrumentRules r = kRules;
  r.tick_size_ticks = 0;
  EXPECT_EQ(RulesProblem(r).rfind("tick_size_ticks", 0), 0u);
  r = kRules;
  r.band_low_ticks = 4501;
  EXPECT_EQ(RulesProblem(r).rfind("band_low_ticks", 0), 0u);
  r = kRules;
  r.band_high_ticks = 4000;
  EXPECT_EQ(RulesProblem(r).rfind("band_high_ticks", 0), 0u);
  r = kRules;
  r.max_quantity_per_order = 150;
  EXPECT_EQ(RulesProblem(r).rfind("max_quantity_per_order", 0), 0u);
  r = kRules;
  r.lot_size = -1;
  EXPECT_EQ(RulesProblem(r).rfind("lot_size", 0), 0u);
}

TEST_F(OrderBookTest, DepthAggregatesTheBestLevels) {
  Buy(1, 5000, 100);
  Buy(2, 5000, 200);
  Buy(3, 4990, 300);
  Buy(4, 4900, 400);
  Sell(5, 5010, 500);
  Sell(6, 5050, 600);
  Sell(7, 5050, 700);
  std::vector<DepthLevel> bids;
  std::vector<DepthLevel> asks;
  book_.Depth(2, &bids, &asks);
  EXPECT_EQ(bids, (std::vector<DepthLevel>{{5000, 300, 2}, {4990, 300, 1}}));
  EXPECT_EQ(asks, (std::vector<DepthLevel>{{5010, 500, 1}, {5050, 1300, 2}}));
  book_.Depth(10, &bids, &asks);
  EXPECT_EQ(bids.size(), 3u);
  EXPECT_EQ(bids.back(), (DepthLevel{4900, 400, 1}));
  EXPECT_EQ(asks.size(), 2u);
}

TEST(OrderBookWide, LevelsFarApartAcrossBitmapWords) {
  // A band of 100,001 levels at tick 1: best prices must be found across many bitmap words.
  OrderBook book(InstrumentRules{1, 1, 1000, 1, 100'001});
  std::vector<Event> events;
  book.Submit(NewOrder{1, Side::kBuy, 3, 10}, &events);
  book.Submit(NewOrder{1, Side::kBuy, 70'000, 10}, &events);
  book.Submit(NewOrder{2, Side::kSell, 100'001, 10}, &events);
  book.Submit(NewOrder{2, Side::kSell, 70'001, 10}, &events);
  EXPECT_EQ(book.BestBid(), 70'000);
  EXPECT_EQ(book.BestAsk(), 70'001);
  book.Submit(NewOrder{3, Side::kSell, 1, 10}, &events);  // fills the 70,000 bid
  EXPECT_EQ(book.BestBid(), 3);
  book.Submit(NewOrder{3, Side::kBuy, 100'001, 20}, &events);  // fills both asks
  EXPECT_FALSE(book.BestAsk().has_value());
  EXPECT_EQ(book.BestBid(), 3);
  EXPECT_EQ(book.CheckInvariants(), "");
}

// ---- reference model and randomized comparison --------------------------------------------------

// The rules again, written the plainest way: maps of price to FIFO deques, linear search by id.
class ReferenceBook {
 public:
  struct Resting {
    OrderId id;
    OwnerId owner;
    Side side;
    std::int64_t price;
    quantity_t open;
  };

  explicit ReferenceBook(const InstrumentRules& rules) : rules_(rules) {}

  void Submit(const NewOrder& o, std::vector<Event>* events) {
    OrderCode code = o.owner_id <= 0 ? OrderCode::kOwnerMissing : CheckQuantity(o.quantity);
    if (code == OrderCode::kOk) code = CheckPrice(o.price_ticks);
    if (code != OrderCode::kOk) return Reject(code, 0, events);
    OrderId id = ++last_id_;
    Event e;
    e.kind = EventKind::kAccepted;
    e.side = o.side;
    e.order_id = id;
    e.owner_id = o.owner_id;
    e.price_ticks = o.price_ticks;
    e.quantity = o.quantity;
    events->push_back(e);
    MatchAndRest(Resting{id, o.owner_id, o.side, o.price_ticks, o.quantity}, events);
  }

  void Cancel(OrderId id, OwnerId owner, std::vector<Event>* events) {
    Resting* r = FindOrder(id);
    if (r == nullptr) return Reject(OrderCode::kUnknownOrder, id, events);
    if (r->owner != owner) return Reject(OrderCode::kNotOwner, id, events);
    Event e;
    e.kind = EventKind::kCancelled;
    e.side = r->side;
    e.order_id = id;
    e.owner_id = owner;
    e.price_ticks = r->price;
    e.quantity = r->open;
    events->push_back(e);
    Erase(id);
  }

  void Replace(OrderId id, OwnerId owner, std::int64_t price, quantity_t qty, std::vector<Event>* events) {
    Resting* r = FindOrder(id);
    OrderCode code = r == nullptr         ? OrderCode::kUnknownOrder
                     : r->owner != owner ? OrderCode::kNotOwner
                                         : OrderCode::kOk;
    if (code == OrderCode::kOk) code = CheckQuantity(qty);
    if (code == OrderCode::kOk) code = CheckPrice(price);
    if (code != OrderCode::kOk) return Reject(code, id, events);
    bool keeps = price == r->price && qty <= r->open;
    Event e;
    e.kind = EventKind::kReplaced;
    e.side = r->side;
    e.order_id = id;
    e.owner_id = owner;
    e.price_ticks = price;
    e.quantity = qty;
    e.priority_kept = keeps;
    events->push_back(e);
    if (keeps) {
      r->open = qty;
      return;
    }
    Resting moved{id, owner, r->side, price, qty};
    Erase(id);
    MatchAndRest(moved, events);
  }

  void Depth(std::size_t n, std::vector<DepthLevel>* bids, std::vector<DepthLevel>* asks) const {
    bids->clear();
    asks->clear();
    for (const auto& [price, level] : bids_) {
      if (bids->size() == n) break;
      bids->push_back(Aggregate(price, level));
    }
    for (const auto& [price, level] : asks_) {
      if (asks->size() == n) break;
      asks->push_back(Aggregate(price, level));
    }
  }

  std::vector<OrderId> OpenIds() const {
    std::vector<OrderId> ids;
    for (const auto& [price, level] : bids_) {
      for (const Resting& r : level) ids.push_back(r.id);
    }
    for (const auto& [price, level] : asks_) {
      for (const Resting& r : level) ids.push_back(r.id);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  Resting* FindOrder(OrderId id);

 private:

  OrderCode CheckQuantity(quantity_t q) const {
    if (q <= 0) return OrderCode::kQuantityNotPositive;
    if (q % rules_.lot_size != 0) return OrderCode::kQuantityOffLot;
    if (q > rules_.max_quantity_per_order) return OrderCode::kQuantityAboveMax;
    return OrderCode::kOk;
  }
  OrderCode CheckPrice(std::int64_t p) const {
    if (p <= 0) return OrderCode::kPriceNotPositive;
    if (p % rules_.tick_size_ticks != 0) return OrderCode::kPriceOffTick;
    if (p < rules_.band_low_ticks) return OrderCode::kPriceBelowBand;
    if (p > rules_.band_high_ticks) return OrderCode::kPriceAboveBand;
    return OrderCode::kOk;
  }
  static void Reject(OrderCode code, OrderId id, std::vector<Event>* events) {
    Event e;
    e.kind = EventKind::kRejected;
    e.code = code;
    e.order_id = id;
    events->push_back(e);
  }
  static DepthLevel Aggregate(std::int64_t price, const std::deque<Resting>& level) {
    DepthLevel d{price, 0, 0};
    for (const Resting& r : level) {
      d.quantity += r.open;
      d.order_count += 1;
    }
    return d;
  }
  Resting* FindIn(std::deque<Resting>& level, OrderId id) {
    for (Resting& r : level) {
      if (r.id == id) return &r;
    }
    return nullptr;
  }
  void Erase(OrderId id) {
    auto erase_from = [id](auto& side) {
      for (auto it = side.begin(); it != side.end(); ++it) {
        auto& level = it->second;
        auto pos = std::find_if(level.begin(), level.end(), [id](const Resting& r) { return r.id == id; });
        if (pos == level.end()) continue;
        level.erase(pos);
        if (level.empty()) side.erase(it);
        return true;
      }
      return false;
    };
    if (!erase_from(bids_)) erase_from(asks_);
  }
  void MatchAndRest(Resting in, std::vector<Event>* events) {
    bool stopped = false;
    auto match = [&](auto& side) {
      while (in.open > 0 && !side.empty() && !stopped) {
        auto it = side.begin();
        bool crosses = in.side == Side::kBuy ? it->first <= in.price : it->first >= in.price;
        if (!crosses) break;
        auto& level = it->second;
        while (in.open > 0 && !level.empty()) {
          Resting& r = level.front();
          if (r.owner == in.owner) {
            stopped = true;
            break;
          }
          quantity_t fill = std::min(in.open, r.open);
          Event e;
          e.kind = EventKind::kTrade;
          e.side = in.side;
          e.buy_order_id = in.side == Side::kBuy ? in.id : r.id;
          e.sell_order_id = in.side == Side::kBuy ? r.id : in.id;
          e.price_ticks = it->first;
          e.quantity = fill;
          events->push_back(e);
          in.open -= fill;
          r.open -= fill;
          if (r.open == 0) level.pop_front();
        }
        if (level.empty()) side.erase(it);
      }
    };
    if (in.side == Side::kBuy) {
      match(asks_);
    } else {
      match(bids_);
    }
    if (in.open > 0 && stopped) {
      Event e;
      e.kind = EventKind::kCancelled;
      e.reason = CancelReason::kSelfTrade;
      e.side = in.side;
      e.order_id = in.id;
      e.owner_id = in.owner;
      e.price_ticks = in.price;
      e.quantity = in.open;
      events->push_back(e);
    } else if (in.open > 0) {
      if (in.side == Side::kBuy) {
        bids_[in.price].push_back(in);
      } else {
        asks_[in.price].push_back(in);
      }
    }
  }

  InstrumentRules rules_;
  std::map<std::int64_t, std::deque<Resting>, std::greater<std::int64_t>> bids_;
  std::map<std::int64_t, std::deque<Resting>> asks_;
  OrderId last_id_ = 0;
};

ReferenceBook::Resting* ReferenceBook::FindOrder(OrderId id) {
  for (auto& [price, level] : bids_) {
    if (Resting* r = FindIn(level, id)) return r;
  }
  for (auto& [price, level] : asks_) {
    if (Resting* r = FindIn(level, id)) return r;
  }
  return nullptr;
}

// Drives a book with a random but seeded command sequence around a mid of 5000 with a few owners
// (so self-trades happen), occasional invalid input, cancels and replaces of known ids (open,
// closed and never issued). Returns every event.
template <typename Book>
std::vector<Event> RandomRun(Book& book, std::uint64_t seed, int steps,
                             const std::function<void(const std::vector<Event>&)>& after_step) {
  std::mt19937_64 rng(seed);
  auto pick = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  std::vector<Event> all;
  std::vector<Event> step_events;
  OrderId issued = 0;
  std::vector<OwnerId> owner_of(1, 0);
  for (int i = 0; i < steps; ++i) {
    step_events.clear();
    std::int64_t roll = pick(0, 99);
    std::int64_t price = 5000 + 5 * pick(-12, 12);
    quantity_t qty = 100 * pick(1, 8);
    if (pick(0, 49) == 0) price += pick(0, 1) == 0 ? 1 : 700;  // off tick or outside the band
    if (pick(0, 49) == 0) qty = pick(0, 1) == 0 ? 50 : 20'000;  // off lot or above the maximum
    if (roll < 55 || issued == 0) {
      OwnerId owner = pick(1, 6);
      book.Submit(NewOrder{owner, pick(0, 1) == 0 ? Side::kBuy : Side::kSell, price, qty}, &step_events);
      for (const Event& e : step_events) {
        if (e.kind == EventKind::kAccepted) {
          issued = e.order_id;
          owner_of.push_back(owner);
        }
      }
    } else {
      OrderId id = pick(1, issued + 2);
      OwnerId owner = id <= issued ? owner_of[static_cast<std::size_t>(id)] : 1;
      if (pick(0, 19) == 0) owner = owner % 6 + 1;  // somebody else's order
      if (roll < 80) {
        book.Cancel(id, owner, &step_events);
      } else {
        book.Replace(id, owner, price, qty, &step_events);
      }
    }
    after_step(step_events);
    all.insert(all.end(), step_events.begin(), step_events.end());
  }
  return all;
}

TEST(OrderBookRandom, MatchesTheReferenceModelEventByEvent) {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    OrderBook ours(kRules, 16);
    ReferenceBook ref(kRules);
    std::vector<DepthLevel> ob, oa, rb, ra;
    int step = 0;
    // Run the reference first with the same seed, then ours step by step against its events.
    std::vector<std::vector<Event>> ref_steps;
    RandomRun(ref, seed, 4000, [&](const std::vector<Event>& events) { ref_steps.push_back(events); });
    std::vector<Event> ours_all = RandomRun(ours, seed, 4000, [&](const std::vector<Event>& events) {
      ASSERT_EQ(ours.CheckInvariants(), "") << "seed " << seed << " step " << step;
      ASSERT_EQ(events, ref_steps[static_cast<std::size_t>(step)]) << "seed " << seed << " step " << step;
      step += 1;
    });
    ASSERT_EQ(step, 4000);
    ours.Depth(1000, &ob, &oa);
    ref.Depth(1000, &rb, &ra);
    EXPECT_EQ(ob, rb);
    EXPECT_EQ(oa, ra);
    std::int64_t trades = std::count_if(ours_all.begin(), ours_all.end(),
                                        [](const Event& e) { return e.kind == EventKind::kTrade; });
    std::int64_t stp = std::count_if(ours_all.begin(), ours_all.end(), [](const Event& e) {
      return e.kind == EventKind::kCancelled && e.reason == CancelReason::kSelfTrade;
    });
    // The stream exercises what it is meant to.
    EXPECT_GT(trades, 500);
    EXPECT_GT(stp, 20);
    EXPECT_EQ(ours.resting_order_count(), static_cast<std::int64_t>(ref.OpenIds().size()));
  }
}

TEST(OrderBookRandom, SameCommandsGiveTheSameEvents) {
  OrderBook first(kRules);
  OrderBook second(kRules, 4);  // a different initial capacity changes nothing
  auto none = [](const std::vector<Event>&) {};
  std::vector<Event> a = RandomRun(first, 77, 3000, none);
  std::vector<Event> b = RandomRun(second, 77, 3000, none);
  EXPECT_GT(a.size(), 3000u);
  EXPECT_EQ(a, b);
  std::vector<DepthLevel> ab, aa, bb, ba;
  first.Depth(100, &ab, &aa);
  second.Depth(100, &bb, &ba);
  EXPECT_EQ(ab, bb);
  EXPECT_EQ(aa, ba);
}

}  // namespace
}  // namespace greenloop
