// The exchange above the order books (src/market/exchange.h): market states and the calendar,
// reservations, delivery-versus-payment postings with fees, self-trade prevention, replaces,
// withdrawals and the rebuild from stored commands. CEA rules from data/market/trading-rules.json
// (previous close 50.00 yuan -> band 45.00-55.00, sessions 09:30-11:30 and 13:00-15:00 Beijing
// time); the fee of 5 bp per side is a test value. Every expected figure is worked by hand.
#include <gtest/gtest.h>

#include <map>

#include "calc/market_rules.h"
#include "core/time.h"
#include "market/exchange.h"

namespace greenloop::market {
namespace {

constexpr AccountId kClearing = 900;
constexpr AccountId kSellerAccount = 11;
constexpr OrgId kSeller = 1;
constexpr AccountId kBuyerAccount = 21;
constexpr OrgId kBuyer = 2;
const std::string kCea = "CEA-2025";

// A Beijing local time as UTC micros. 2026-11-23 is a Monday.
time_us Beijing(const char* date, int hour, int minute) {
  return *ParseDateDays(date) * kMicrosPerDay + (static_cast<time_us>(hour - 8) * 60 + minute) * 60'000'000;
}
const time_us kMorning = Beijing("2026-11-23", 10, 0);

Instrument Cea2025() {
  Instrument i;
  i.code = kCea;
  i.family = "CEA";
  i.vintage = 2025;
  return i;
}

std::unique_ptr<Exchange> NewExchange() {
  return std::make_unique<Exchange>(kClearing, [](const std::string& family) { return calc::TradingRulesFor(family); });
}

// Keeps what the exchange asked to persist, as a store would, to rebuild it later.
struct Persisted {
  std::map<std::string, Listing> listings;
  std::vector<BookCommand> commands;
  std::map<std::int64_t, MarketOrder> orders;
  std::int64_t max_trade_id = 0;

  void Add(const Outcome& out) {
    for (const Listing& l : out.listings) listings[l.instrument] = l;
    commands.insert(commands.end(), out.commands.begin(), out.commands.end());
    for (const MarketOrder& o : out.orders) orders[o.id] = o;
    for (const Settlement& s : out.settlements) max_trade_id = std::max(max_trade_id, s.trade.id);
  }
  MarketSnapshot Snapshot() const {
    MarketSnapshot s;
    for (const auto& [code, l] : listings) s.listings.push_back(l);
    s.commands = commands;
    for (const auto& [id, o] : orders) {
      if (o.status == OrderStatus::kOpen) s.open_orders.push_back(o);
      s.max_order_id = std::max(s.max_order_id, id);
    }
    s.max_command_id = commands.empty() ? 0 : commands.back().id;
    s.max_trade_id = max_trade_id;
    return s;
  }
};

class ExchangeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    exchange_ = NewExchange();
    ASSERT_TRUE(exchange_->CheckList(Cea2025(), 5000, 5).ok());
    persisted_.Add(exchange_->ApplyList(Cea2025(), 5000, 5, kMorning));
  }
  void OpenMarket() {
    ASSERT_TRUE(exchange_->CheckSetState(kCea, MarketState::kOpen, kMorning).ok());
    Outcome opened = exchange_->ApplySetState(kCea, MarketState::kOpen, kMorning);
    ASSERT_EQ(opened.days.size(), 1u);
    EXPECT_EQ(opened.days.front().band_low_fen, 4500);  // 50.00 - 10 %
    EXPECT_EQ(opened.days.front().band_high_fen, 5500);
    EXPECT_EQ(opened.days.front().close_fen, 0);
    persisted_.Add(opened);
  }
  SubmitRequest Order(Side side, std::int64_t price_fen, quantity_t quantity, OrgId org, AccountId account) {
    SubmitRequest r;
    r.instrument = kCea;
    r.account_id = account;
    r.org_id = org;
    r.user_id = 7;
    r.side = side;
    r.price_fen = price_fen;
    r.quantity = quantity;
    return r;
  }
  Outcome Submit(const SubmitRequest& r, Hold* freeze) {
    Status st = exchange_->CheckSubmit(r, kMorning, freeze);
    EXPECT_TRUE(st.ok()) << st.ToString();
    Outcome out = exchange_->ApplySubmit(r, kMorning);
    persisted_.Add(out);
    EXPECT_EQ(exchange_->CheckConsistency(), "");
    return out;
  }
  std::string Refusal(const SubmitRequest& r, time_us now) {
    Hold freeze;
    Status st = exchange_->CheckSubmit(r, now, &freeze);
    return st.ok() ? "ok" : st.code();
  }

  std::unique_ptr<Exchange> exchange_;
  Persisted persisted_;
};

std::int64_t SumOf(const std::vector<Posting>& postings, const std::string& instrument) {
  std::int64_t sum = 0;
  for (const Posting& p : postings) {
    if (p.instrument == instrument) sum += p.amount;
  }
  return sum;
}

TEST(ExchangeMoneyTest, FeesRoundDownAndReservationsRoundUp) {
  // 1,000,000 fen × 5 / 10,000 = 500 exactly; 999 × 5 / 10,000 = 0.4995 -> 0.
  EXPECT_EQ(TradeFeeFen(1'000'000, 5).value(), 500);
  EXPECT_EQ(TradeFeeFen(999, 5).value(), 0);
  // 5,001 fen × 3 = 15,003 fen; fee 7.5015 -> 8 reserved; 15,011 in all.
  EXPECT_EQ(BuyReservationFen(5001, 3, 5).value(), 15'011);
  EXPECT_EQ(BuyReservationFen(5000, 100, 0).value(), 500'000);
  EXPECT_FALSE(BuyReservationFen(std::int64_t{1} << 40, std::int64_t{1} << 30, 5).ok());
}

TEST_F(ExchangeTest, OrdersWaitForTheOpenMarketAndItsSessions) {
  const SubmitRequest sell = Order(Side::kSell, 5000, 100, kSeller, kSellerAccount);
  EXPECT_EQ(Refusal(sell, kMorning), "market_not_open");  // listed, closed
  OpenMarket();
  EXPECT_EQ(Refusal(sell, kMorning), "ok");
  EXPECT_EQ(Refusal(sell, Beijing("2026-11-23", 12, 0)), "outside_trading_hours");  // lunch break
  EXPECT_EQ(Refusal(sell, Beijing("2026-11-24", 10, 0)), "trading_day_not_open");   // yesterday's day still open
  persisted_.Add(exchange_->ApplySetState(kCea, MarketState::kHalted, kMorning));
  EXPECT_EQ(Refusal(sell, kMorning), "market_halted");
  // Saturday 2026-11-28 is not a trading day, and a day once closed does not reopen.
  persisted_.Add(exchange_->ApplySetState(kCea, MarketState::kClosed, kMorning));
  EXPECT_EQ(exchange_->CheckSetState(kCea, MarketState::kOpen, Beijing("2026-11-28", 10, 0)).code(), "not_a_trading_day");
  EXPECT_EQ(exchange_->CheckSetState(kCea, MarketState::kOpen, kMorning).code(), "day_already_traded");
  EXPECT_TRUE(exchange_->CheckSetState(kCea, MarketState::kOpen, Beijing("2026-11-24", 9, 0)).ok());
}

TEST_F(ExchangeTest, TheBookRulesAreRefusedWithTheDaysBand) {
  OpenMarket();
  Hold freeze;
  Status st = exchange_->CheckSubmit(Order(Side::kBuy, 5501, 10, kBuyer, kBuyerAccount), kMorning, &freeze);
  EXPECT_EQ(st.code(), "price_above_band");
  EXPECT_EQ(st.field(), "price_fen");
  EXPECT_NE(st.message().find("4500 fen to 5500 fen"), std::string::npos) << st.message();
  EXPECT_EQ(Refusal(Order(Side::kBuy, 5500, 100'000, kBuyer, kBuyerAccount), kMorning), "quantity_above_max");
  EXPECT_EQ(Refusal(Order(Side::kBuy, 5500, 0, kBuyer, kBuyerAccount), kMorning), "quantity_not_positive");
  SubmitRequest unknown = Order(Side::kBuy, 5000, 1, kBuyer, kBuyerAccount);
  unknown.instrument = "CEA-2024";
  EXPECT_EQ(Refusal(unknown, kMorning), "not_found");
}

TEST_F(ExchangeTest, ATradeSettlesBothLegsAndTheFeesInOneEntry) {
  OpenMarket();
  Hold sell_freeze;
  Outcome sell = Submit(Order(Side::kSell, 5000, 100, kSeller, kSellerAccount), &sell_freeze);
  EXPECT_EQ(sell_freeze.instrument, kCea);
  EXPECT_EQ(sell_freeze.amount, 100);
  EXPECT_TRUE(sell.settlements.empty());

  // Buy 60 at up to 51.00: reserves 5,100 × 60 = 306,000 + fee 153 = 306,153 fen. It trades at
  // the resting 50.00: notional 300,000, 150 fee each side; the buyer pays 300,150, the rest of
  // its reservation (6,003) comes back in the same entry; the seller gets 299,850.
  Hold buy_freeze;
  Outcome buy = Submit(Order(Side::kBuy, 5100, 60, kBuyer, kBuyerAccount), &buy_freeze);
  EXPECT_EQ(buy_freeze.instrument, "CNY");
  EXPECT_EQ(buy_freeze.amount, 306'153);
  ASSERT_EQ(buy.settlements.size(), 1u);
  const Settlement& s = buy.settlements.front();
  EXPECT_EQ(s.trade.price_fen, 5000);
  EXPECT_EQ(s.trade.quantity, 60);
  EXPECT_EQ(s.trade.buyer_fee_fen, 150);
  EXPECT_EQ(s.trade.seller_fee_fen, 150);
  EXPECT_EQ(s.trade.aggressor, Side::kBuy);
  const std::vector<Posting> expected = {
      {kSellerAccount, kCea, Bucket::kFrozen, -60},      {kBuyerAccount, kCea, Bucket::kAvailable, 60},
      {kBuyerAccount, "CNY", Bucket::kFrozen, -306'153}, {kBuyerAccount, "CNY", Bucket::kAvailable, 6'003},
      {kSellerAccount, "CNY", Bucket::kAvailable, 299'850}, {kClearing, "CNY", Bucket::kAvailable, 300}};
  ASSERT_EQ(s.postings.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(s.postings[i].account_id, expected[i].account_id) << i;
    EXPECT_EQ(s.postings[i].instrument, expected[i].instrument) << i;
    EXPECT_EQ(s.postings[i].bucket, expected[i].bucket) << i;
    EXPECT_EQ(s.postings[i].amount, expected[i].amount) << i;
  }
  EXPECT_EQ(SumOf(s.postings, kCea), 0);
  EXPECT_EQ(SumOf(s.postings, "CNY"), 0);
  EXPECT_TRUE(buy.releases.empty());  // the release rode in the settlement
  const MarketOrder* resting = exchange_->FindOpenOrder(sell.order_id);
  ASSERT_NE(resting, nullptr);
  EXPECT_EQ(resting->open_quantity, 40);
  EXPECT_EQ(resting->filled_quantity, 60);
  EXPECT_EQ(resting->reserved, 40);
  EXPECT_EQ(exchange_->FindOpenOrder(buy.order_id), nullptr);  // filled
}

TEST_F(ExchangeTest, SelfTradePreventionCancelsTheIncomingOrderAndReleasesIt) {
  OpenMarket();
  Hold freeze;
  Submit(Order(Side::kSell, 5000, 100, kSeller, kSellerAccount), &freeze);
  // The seller's own buy at 50.00 would meet its own ask: it is cancelled, and its reservation
  // 5,000 × 10 + ceil(25) = 50,025 fen is released.
  Outcome own = Submit(Order(Side::kBuy, 5000, 10, kSeller, 12), &freeze);
  EXPECT_TRUE(own.settlements.empty());
  ASSERT_EQ(own.releases.size(), 1u);
  EXPECT_EQ(own.releases.front().account_id, 12);
  EXPECT_EQ(own.releases.front().amount, -50'025);
  ASSERT_EQ(own.orders.size(), 1u);
  EXPECT_EQ(own.orders.front().status, OrderStatus::kCancelled);
  EXPECT_EQ(own.orders.front().end, OrderEnd::kSelfTrade);
}

TEST_F(ExchangeTest, ReplaceFreezesOnlyTheDifferenceAndCancelChecksTheOwner) {
  OpenMarket();
  Hold freeze;
  Outcome placed = Submit(Order(Side::kBuy, 4900, 10, kBuyer, kBuyerAccount), &freeze);
  EXPECT_EQ(freeze.amount, 49'025);  // 49,000 + ceil(24.5)
  // 20 at 49.50 needs 99,000 + ceil(49.5) = 99,050: 50,025 more.
  ReplaceRequest up{placed.order_id, kBuyer, 4950, 20};
  ASSERT_TRUE(exchange_->CheckReplace(up, kMorning, &freeze).ok());
  EXPECT_EQ(freeze.amount, 50'025);
  persisted_.Add(exchange_->ApplyReplace(up, kMorning));
  // 5 at 49.50 needs 24,750 + ceil(12.375) = 24,763: nothing to freeze, 74,287 released.
  ReplaceRequest down{placed.order_id, kBuyer, 4950, 5};
  ASSERT_TRUE(exchange_->CheckReplace(down, kMorning, &freeze).ok());
  EXPECT_EQ(freeze.amount, 0);
  Outcome reduced = exchange_->ApplyReplace(down, kMorning);
  persisted_.Add(reduced);
  ASSERT_EQ(reduced.releases.size(), 1u);
  EXPECT_EQ(reduced.releases.front().amount, -74'287);
  EXPECT_EQ(exchange_->CheckConsistency(), "");

  EXPECT_EQ(exchange_->CheckCancel(placed.order_id, kSeller).code(), "not_found");  // another's order
  ASSERT_TRUE(exchange_->CheckCancel(placed.order_id, kBuyer).ok());
  Outcome cancelled = exchange_->ApplyCancel(placed.order_id, kBuyer, kMorning);
  ASSERT_EQ(cancelled.releases.size(), 1u);
  EXPECT_EQ(cancelled.releases.front().amount, -24'763);
  EXPECT_EQ(exchange_->CheckCancel(placed.order_id, kBuyer).code(), "not_found");  // no longer open
}

TEST_F(ExchangeTest, ClosingExpiresOpenOrdersAndWithdrawingAnAccountReleasesItsOrders) {
  OpenMarket();
  Hold freeze;
  Submit(Order(Side::kSell, 5200, 30, kSeller, kSellerAccount), &freeze);
  Submit(Order(Side::kSell, 5300, 20, kSeller, kSellerAccount), &freeze);
  Outcome buy = Submit(Order(Side::kBuy, 4800, 10, kBuyer, kBuyerAccount), &freeze);
  Outcome withdrawn = exchange_->WithdrawAccount(kSellerAccount, kMorning);
  ASSERT_EQ(withdrawn.releases.size(), 2u);
  EXPECT_EQ(withdrawn.releases[0].amount + withdrawn.releases[1].amount, -50);
  EXPECT_EQ(withdrawn.commands.size(), 2u);  // logged, so a replay cancels them too
  for (const MarketOrder& o : withdrawn.orders) EXPECT_EQ(o.end, OrderEnd::kAccountStopped);
  EXPECT_EQ(exchange_->CheckConsistency(), "");

  Outcome closed = exchange_->ApplySetState(kCea, MarketState::kClosed, kMorning, 5150);
  ASSERT_EQ(closed.orders.size(), 1u);
  EXPECT_EQ(closed.orders.front().id, buy.order_id);
  EXPECT_EQ(closed.orders.front().status, OrderStatus::kExpired);
  ASSERT_EQ(closed.releases.size(), 1u);
  EXPECT_EQ(closed.releases.front().amount, -48'024);  // 48,000 + ceil(24)
  EXPECT_EQ(closed.listings.front().prev_close_fen, 5150);  // the next day's reference
  ASSERT_EQ(closed.days.size(), 1u);
  EXPECT_EQ(closed.days.front().trading_day, "2026-11-23");
  EXPECT_EQ(closed.days.front().prev_close_fen, 5000);  // the reference the day opened with
  EXPECT_EQ(closed.days.front().close_fen, 5150);
  EXPECT_EQ(closed.days.front().closed_at_us, kMorning);
}

TEST_F(ExchangeTest, TheRebuiltExchangeHasTheSameBookAndMakesTheSameNextTrade) {
  OpenMarket();
  Hold freeze;
  Outcome a = Submit(Order(Side::kSell, 5010, 30, kSeller, kSellerAccount), &freeze);
  Submit(Order(Side::kSell, 5010, 20, 3, 31), &freeze);
  Submit(Order(Side::kSell, 5020, 50, kSeller, kSellerAccount), &freeze);
  Submit(Order(Side::kBuy, 4990, 40, kBuyer, kBuyerAccount), &freeze);
  Submit(Order(Side::kBuy, 5010, 10, kBuyer, kBuyerAccount), &freeze);  // takes 10 of order a
  ReplaceRequest keep{a.order_id, kSeller, 5010, 15};                   // reduce: keeps priority
  ASSERT_TRUE(exchange_->CheckReplace(keep, kMorning, &freeze).ok());
  persisted_.Add(exchange_->ApplyReplace(keep, kMorning));

  std::unique_ptr<Exchange> rebuilt = NewExchange();
  ASSERT_TRUE(rebuilt->Load(persisted_.Snapshot()).ok());
  EXPECT_EQ(rebuilt->CheckConsistency(), "");

  // The same crossing order on both: 15 from order a (still first at 50.10), 20 from org 3, 5 at
  // 50.20, with the same ids.
  const SubmitRequest sweep = Order(Side::kBuy, 5020, 40, 4, 41);
  Outcome original = exchange_->ApplySubmit(sweep, kMorning);
  Outcome replayed = rebuilt->ApplySubmit(sweep, kMorning);
  ASSERT_EQ(original.settlements.size(), 3u);
  ASSERT_EQ(replayed.settlements.size(), original.settlements.size());
  for (size_t i = 0; i < original.settlements.size(); ++i) {
    const MarketTrade& x = original.settlements[i].trade;
    const MarketTrade& y = replayed.settlements[i].trade;
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.sell_order_id, y.sell_order_id);
    EXPECT_EQ(x.price_fen, y.price_fen);
    EXPECT_EQ(x.quantity, y.quantity);
  }
  EXPECT_EQ(original.settlements[0].trade.sell_order_id, a.order_id);
  EXPECT_EQ(original.settlements[0].trade.quantity, 15);
  EXPECT_EQ(original.settlements[2].trade.price_fen, 5020);
  EXPECT_EQ(original.settlements[2].trade.quantity, 5);
}

TEST_F(ExchangeTest, AStoredOrderThatTheReplayDoesNotRestIsCorruption) {
  OpenMarket();
  Hold freeze;
  Submit(Order(Side::kSell, 5010, 30, kSeller, kSellerAccount), &freeze);
  MarketSnapshot snapshot = persisted_.Snapshot();
  ASSERT_EQ(snapshot.open_orders.size(), 1u);
  snapshot.open_orders.front().open_quantity = 29;  // not what the book rests
  std::unique_ptr<Exchange> rebuilt = NewExchange();
  Status st = rebuilt->Load(snapshot);
  EXPECT_EQ(st.code(), "corruption");
  EXPECT_NE(st.message().find("not resting in the book as stored"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace greenloop::market
