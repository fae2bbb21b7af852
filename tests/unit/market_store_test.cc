// Goal: the exchange's records round-trip through the store: LoadMarket gives back exactly what a
// restart needs (the command log of each listing's current day unless that day is closed, the
// open orders, the largest ids), listings and orders are upserted, commands and trades appended,
// and the listing queries filter, order and page as documented. Method: a real database per
// test, SQLite in a temporary directory, and PostgreSQL when GREENLOOP_TEST_PG_URL names a
// server (a database of its own, created and dropped here; skipped otherwise).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>

#include "store/sql_driver.h"
#include "store/store.h"

namespace greenloop {
namespace {

namespace fs = std::filesystem;
using market::BookCommand;
using market::CommandKind;
using market::Listing;
using market::MarketOrder;
using market::MarketSnapshot;
using market::MarketState;
using market::MarketTrade;
using market::OrderEnd;
using market::OrderStatus;

constexpr AccountId kAccount1 = 11;  // of organization 1
constexpr AccountId kAccount2 = 12;  // of organization 2
constexpr AccountId kAccount3 = 13;  // of organization 2

// "postgresql://host:port[/db][?query]" with the database replaced by `name`.
std::string PgDatabaseUrl(const std::string& base, const std::string& name) {
  size_t query_at = base.find('?');
  std::string head = base.substr(0, query_at);
  std::string query = query_at == std::string::npos ? "" : base.substr(query_at);
  size_t scheme = head.find("://");
  size_t slash = head.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (slash != std::string::npos) head.resize(slash);
  return head + "/" + name + query;
}

Listing MakeListing(const std::string& instrument, MarketState state, const std::string& day) {
  Listing l;
  l.instrument = instrument;
  l.family = "CEA";
  l.fee_bps = 3;
  l.state = state;
  l.trading_day = day;
  l.prev_close_fen = 8000;
  l.band_low_fen = 7200;
  l.band_high_fen = 8800;
  l.listed_at_us = 1000;
  l.updated_at_us = 2000;
  return l;
}

BookCommand MakeCommand(std::int64_t id, const std::string& instrument, const std::string& day, CommandKind kind,
                        OrderId book_order_id) {
  BookCommand c;
  c.id = id;
  c.instrument = instrument;
  c.trading_day = day;
  c.kind = kind;
  c.book_order_id = book_order_id;
  c.owner_id = kAccount1;
  c.side = id % 2 == 0 ? Side::kSell : Side::kBuy;
  c.price_fen = kind == CommandKind::kCancel ? 0 : 8000 + id;
  c.quantity = kind == CommandKind::kCancel ? 0 : 10 * id;
  c.at_us = 5000 + id;
  return c;
}

// An open order; Close() makes it one that ended.
MarketOrder MakeOrder(std::int64_t id, const std::string& instrument, const std::string& day, AccountId account,
                      Side side, std::int64_t price_fen, quantity_t quantity) {
  MarketOrder o;
  o.id = id;
  o.instrument = instrument;
  o.trading_day = day;
  o.book_order_id = id;
  o.account_id = account;
  o.org_id = account == kAccount1 ? 1 : 2;
  o.user_id = 100 + o.org_id;
  o.side = side;
  o.price_fen = price_fen;
  o.quantity = quantity;
  o.open_quantity = quantity;
  o.reserved_instrument = side == Side::kBuy ? "CNY" : instrument;
  o.reserved = side == Side::kBuy ? price_fen * quantity : quantity;
  o.client_order_id = "c-" + std::to_string(id);
  o.created_at_us = 6000 + id;
  o.updated_at_us = 6000 + id;
  return o;
}

MarketOrder Close(MarketOrder o, OrderStatus status, OrderEnd end, quantity_t filled) {
  o.status = status;
  o.end = end;
  o.filled_quantity = filled;
  o.open_quantity = 0;
  o.reserved = 0;
  o.updated_at_us += 100;
  return o;
}

MarketTrade MakeTrade(std::int64_t id, const std::string& instrument, const std::string& day, AccountId buyer,
                      AccountId seller) {
  MarketTrade t;
  t.id = id;
  t.instrument = instrument;
  t.trading_day = day;
  t.buy_order_id = 2 * id;
  t.sell_order_id = 2 * id + 1;
  t.buy_account_id = buyer;
  t.sell_account_id = seller;
  t.buy_org_id = buyer == kAccount1 ? 1 : 2;
  t.sell_org_id = seller == kAccount1 ? 1 : 2;
  t.aggressor = id % 2 == 0 ? Side::kSell : Side::kBuy;
  t.price_fen = 8000 + id;
  t.quantity = id;
  t.buyer_fee_fen = 3 * id;
  t.seller_fee_fen = 4 * id;
  t.entry_id = 900 + id;
  t.at_us = 7000 + id;
  return t;
}

std::vector<std::int64_t> OrderIds(const std::vector<MarketOrder>& orders) {
  std::vector<std::int64_t> ids;
  for (const MarketOrder& o : orders) ids.push_back(o.id);
  return ids;
}

std::vector<std::int64_t> TradeIds(const std::vector<MarketTrade>& trades) {
  std::vector<std::int64_t> ids;
  for (const MarketTrade& t : trades) ids.push_back(t.id);
  return ids;
}

void ExpectSameOrder(const MarketOrder& a, const MarketOrder& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.instrument, b.instrument);
  EXPECT_EQ(a.trading_day, b.trading_day);
  EXPECT_EQ(a.book_order_id, b.book_order_id);
  EXPECT_EQ(a.account_id, b.account_id);
  EXPECT_EQ(a.org_id, b.org_id);
  EXPECT_EQ(a.user_id, b.user_id);
  EXPECT_EQ(a.side, b.side);
  EXPECT_EQ(a.price_fen, b.price_fen);
  EXPECT_EQ(a.quantity, b.quantity);
  EXPECT_EQ(a.open_quantity, b.open_quantity);
  EXPECT_EQ(a.filled_quantity, b.filled_quantity);
  EXPECT_EQ(a.reserved_instrument, b.reserved_instrument);
  EXPECT_EQ(a.reserved, b.reserved);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.end, b.end);
  EXPECT_EQ(a.client_order_id, b.client_order_id);
  EXPECT_EQ(a.created_at_us, b.created_at_us);
  EXPECT_EQ(a.updated_at_us, b.updated_at_us);
}

class MarketStoreTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::string tag = std::to_string(::getpid()) + "_" + test.substr(0, test.find('/'));
    std::transform(tag.begin(), tag.end(), tag.begin(), [](unsigned char c) { return std::tolower(c); });
    if (std::string(GetParam()) == "sqlite") {
      dir_ = fs::temp_directory_path() / ("greenloop-market-store-" + tag);
      fs::remove_all(dir_);
      fs::create_directories(dir_);
      url_ = "sqlite:" + (dir_ / "m.db").string();
    } else {
      const char* base = std::getenv("GREENLOOP_TEST_PG_URL");
      if (base == nullptr || *base == '\0') GTEST_SKIP() << "GREENLOOP_TEST_PG_URL is not set";
      pg_base_ = base;
      pg_database_ = ("gl_market_store_" + tag).substr(0, 63);  // PostgreSQL names stop at 63 bytes
      std::unique_ptr<SqlConnection> admin;
      ASSERT_TRUE(NewPostgresDriver(pg_base_)->Connect(&admin).ok());
      ASSERT_TRUE(admin->ExecScript("DROP DATABASE IF EXISTS " + pg_database_).ok());
      Status created = admin->ExecScript("CREATE DATABASE " + pg_database_);
      ASSERT_TRUE(created.ok()) << created.ToString();
      url_ = PgDatabaseUrl(pg_base_, pg_database_);
    }
    Status st = OpenStore(url_, &store_);
    ASSERT_TRUE(st.ok()) << st.ToString();
    st = store_->Migrate(nullptr);
    ASSERT_TRUE(st.ok()) << st.ToString();
    // What the market rows refer to (PostgreSQL checks the references).
    WriteBatch b;
    b.families.push_back(InstrumentFamily{"CEA", "全国碳排放配额", "China Emission Allowance", "tCO2", 1, {}, "test"});
    for (const char* code : {"CEA-2024", "CEA-2025"}) {
      Instrument i;
      i.code = code;
      i.family = "CEA";
      i.name_zh = code;
      i.name_en = code;
      i.unit = "tCO2";
      b.instruments.push_back(i);
    }
    for (OrgId id : {1, 2}) {
      Organization o;
      o.id = id;
      o.name_zh = "企业" + std::to_string(id);
      o.name_en = "Enterprise " + std::to_string(id);
      b.organizations.push_back(o);
    }
    for (auto [account, org] : {std::pair<AccountId, OrgId>{kAccount1, 1}, {kAccount2, 2}, {kAccount3, 2}}) {
      Account a;
      a.id = account;
      a.org_id = org;
      a.name = "holding";
      b.accounts.push_back(a);
    }
    Commit(b);
  }

  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) fs::remove_all(dir_);
    if (!pg_database_.empty()) {
      std::unique_ptr<SqlConnection> admin;
      if (NewPostgresDriver(pg_base_)->Connect(&admin).ok()) {
        admin->ExecScript("DROP DATABASE IF EXISTS " + pg_database_ + " WITH (FORCE)");
      }
    }
  }

  void Commit(const WriteBatch& b) {
    Status st = store_->Commit(b);
    ASSERT_TRUE(st.ok()) << st.ToString();
  }

  void Commit(const market::MarketBatch& m) {
    WriteBatch b;
    b.market = m;
    Commit(b);
  }

  fs::path dir_;
  std::string pg_base_;
  std::string pg_database_;
  std::string url_;
  std::unique_ptr<Store> store_;
};

TEST_P(MarketStoreTest, LoadMarketGivesTheOpenDaysCommandsAndTheOpenOrders) {
  MarketSnapshot empty;
  ASSERT_TRUE(store_->LoadMarket(&empty).ok());
  EXPECT_TRUE(empty.listings.empty());
  EXPECT_TRUE(empty.commands.empty());
  EXPECT_TRUE(empty.open_orders.empty());
  EXPECT_EQ(empty.max_command_id, 0);
  EXPECT_EQ(empty.max_order_id, 0);
  EXPECT_EQ(empty.max_trade_id, 0);

  // CEA-2025 trades on 03-04 (its 03-03 log is history); CEA-2024's day 03-03 is closed.
  market::MarketBatch m;
  m.listings.push_back(MakeListing("CEA-2025", MarketState::kOpen, "2025-03-04"));
  m.listings.push_back(MakeListing("CEA-2024", MarketState::kClosed, "2025-03-03"));
  m.commands.push_back(MakeCommand(1, "CEA-2025", "2025-03-03", CommandKind::kSubmit, 1));
  m.commands.push_back(MakeCommand(2, "CEA-2025", "2025-03-04", CommandKind::kSubmit, 1));
  m.commands.push_back(MakeCommand(3, "CEA-2025", "2025-03-04", CommandKind::kSubmit, 2));
  m.commands.push_back(MakeCommand(4, "CEA-2024", "2025-03-03", CommandKind::kSubmit, 1));
  m.commands.push_back(MakeCommand(5, "CEA-2025", "2025-03-04", CommandKind::kReplace, 1));
  m.commands.push_back(MakeCommand(6, "CEA-2025", "2025-03-04", CommandKind::kCancel, 2));
  MarketOrder open = MakeOrder(7, "CEA-2025", "2025-03-04", kAccount1, Side::kBuy, 8000, 50);
  open.filled_quantity = 20;
  open.open_quantity = 30;
  m.orders.push_back(open);
  m.orders.push_back(Close(MakeOrder(8, "CEA-2025", "2025-03-04", kAccount2, Side::kSell, 8000, 20),
                           OrderStatus::kFilled, OrderEnd::kFilled, 20));
  m.orders.push_back(Close(MakeOrder(3, "CEA-2024", "2025-03-03", kAccount2, Side::kSell, 8100, 5),
                           OrderStatus::kExpired, OrderEnd::kExpired, 0));
  m.trades.push_back(MakeTrade(4, "CEA-2025", "2025-03-04", kAccount1, kAccount2));
  Commit(m);

  MarketSnapshot s;
  ASSERT_TRUE(store_->LoadMarket(&s).ok());
  ASSERT_EQ(s.listings.size(), 2u);
  EXPECT_EQ(s.listings[0].instrument, "CEA-2024");
  EXPECT_EQ(s.listings[1].instrument, "CEA-2025");
  EXPECT_EQ(s.listings[1].state, MarketState::kOpen);
  EXPECT_EQ(s.listings[1].trading_day, "2025-03-04");
  EXPECT_EQ(s.listings[1].band_high_fen, 8800);
  std::vector<std::int64_t> command_ids;
  for (const BookCommand& c : s.commands) command_ids.push_back(c.id);
  EXPECT_EQ(command_ids, (std::vector<std::int64_t>{2, 3, 5, 6}));
  const BookCommand& replace = s.commands[2];
  EXPECT_EQ(replace.instrument, "CEA-2025");
  EXPECT_EQ(replace.trading_day, "2025-03-04");
  EXPECT_EQ(replace.kind, CommandKind::kReplace);
  EXPECT_EQ(replace.book_order_id, 1);
  EXPECT_EQ(replace.owner_id, kAccount1);
  EXPECT_EQ(replace.side, Side::kBuy);
  EXPECT_EQ(replace.price_fen, 8005);
  EXPECT_EQ(replace.quantity, 50);
  EXPECT_EQ(replace.at_us, 5005);
  EXPECT_EQ(s.commands[3].kind, CommandKind::kCancel);
  EXPECT_EQ(s.commands[3].side, Side::kSell);
  ASSERT_EQ(s.open_orders.size(), 1u);
  ExpectSameOrder(s.open_orders[0], open);
  EXPECT_EQ(s.max_command_id, 6);
  EXPECT_EQ(s.max_order_id, 8);
  EXPECT_EQ(s.max_trade_id, 4);

  // The day closes: nothing is left to replay.
  Listing closed = MakeListing("CEA-2025", MarketState::kClosed, "2025-03-04");
  market::MarketBatch close_day;
  close_day.listings.push_back(closed);
  close_day.orders.push_back(Close(open, OrderStatus::kExpired, OrderEnd::kExpired, 20));
  Commit(close_day);
  ASSERT_TRUE(store_->LoadMarket(&s).ok());
  EXPECT_EQ(s.listings.size(), 2u);
  EXPECT_TRUE(s.commands.empty());
  EXPECT_TRUE(s.open_orders.empty());
  EXPECT_EQ(s.max_command_id, 6);
}

TEST_P(MarketStoreTest, ListingsAndOrdersAreUpsertedCommandsAndTradesAppended) {
  market::MarketBatch first;
  first.listings.push_back(MakeListing("CEA-2024", MarketState::kPreOpen, "2025-03-04"));
  MarketOrder order = MakeOrder(1, "CEA-2024", "2025-03-04", kAccount1, Side::kBuy, 8000, 100);
  first.orders.push_back(order);
  first.commands.push_back(MakeCommand(1, "CEA-2024", "2025-03-04", CommandKind::kSubmit, 1));
  Commit(first);

  Listing listing;
  EXPECT_TRUE(store_->GetListing("CEA-2025", &listing).IsNotFound());
  MarketOrder got;
  EXPECT_TRUE(store_->GetOrder(2, &got).IsNotFound());

  // The next commit changes the listing and the order twice; the later row of a batch stands.
  market::MarketBatch second;
  Listing halted = MakeListing("CEA-2024", MarketState::kOpen, "2025-03-04");
  second.listings.push_back(halted);
  halted.state = MarketState::kHalted;
  halted.fee_bps = 5;
  halted.prev_close_fen = 8100;
  halted.band_low_fen = 7290;
  halted.band_high_fen = 8910;
  halted.listed_at_us = 999'999;  // what a listing was first listed at never changes
  halted.updated_at_us = 3000;
  second.listings.push_back(halted);
  MarketOrder replaced = order;
  replaced.price_fen = 8050;
  replaced.quantity = 120;
  replaced.open_quantity = 120;
  replaced.reserved = 8050 * 120;
  replaced.updated_at_us = 6500;
  second.orders.push_back(replaced);
  MarketOrder partly = replaced;
  partly.open_quantity = 70;
  partly.filled_quantity = 50;
  partly.reserved = 8050 * 70;
  partly.updated_at_us = 6600;
  partly.created_at_us = 1;  // nor when an order was created
  second.orders.push_back(partly);
  Commit(second);

  ASSERT_TRUE(store_->GetListing("CEA-2024", &listing).ok());
  EXPECT_EQ(listing.state, MarketState::kHalted);
  EXPECT_EQ(listing.fee_bps, 5);
  EXPECT_EQ(listing.prev_close_fen, 8100);
  EXPECT_EQ(listing.band_low_fen, 7290);
  EXPECT_EQ(listing.band_high_fen, 8910);
  EXPECT_EQ(listing.listed_at_us, 1000);
  EXPECT_EQ(listing.updated_at_us, 3000);
  std::vector<Listing> listings;
  ASSERT_TRUE(store_->ListListings(&listings).ok());
  ASSERT_EQ(listings.size(), 1u);
  EXPECT_EQ(listings[0].state, MarketState::kHalted);

  ASSERT_TRUE(store_->GetOrder(1, &got).ok());
  MarketOrder expected = partly;
  expected.created_at_us = order.created_at_us;
  ExpectSameOrder(got, expected);

  // It fills: no longer open.
  market::MarketBatch third;
  third.orders.push_back(Close(partly, OrderStatus::kFilled, OrderEnd::kFilled, 120));
  Commit(third);
  ASSERT_TRUE(store_->GetOrder(1, &got).ok());
  EXPECT_EQ(got.status, OrderStatus::kFilled);
  EXPECT_EQ(got.end, OrderEnd::kFilled);
  EXPECT_EQ(got.open_quantity, 0);
  EXPECT_EQ(got.filled_quantity, 120);
  MarketSnapshot s;
  ASSERT_TRUE(store_->LoadMarket(&s).ok());
  EXPECT_TRUE(s.open_orders.empty());

  // Commands and trades are appended: an id used again fails the whole commit.
  market::MarketBatch again;
  again.listings.push_back(MakeListing("CEA-2024", MarketState::kClosed, "2025-03-04"));
  again.commands.push_back(MakeCommand(1, "CEA-2024", "2025-03-04", CommandKind::kCancel, 1));
  WriteBatch b;
  b.market = again;
  EXPECT_FALSE(store_->Commit(b).ok());
  ASSERT_TRUE(store_->GetListing("CEA-2024", &listing).ok());
  EXPECT_EQ(listing.state, MarketState::kHalted);

  // The schema refuses an order that is open with an end, or ended with quantity left open.
  market::MarketBatch inconsistent;
  MarketOrder bad = MakeOrder(2, "CEA-2024", "2025-03-04", kAccount1, Side::kBuy, 8000, 10);
  bad.end = OrderEnd::kCancelled;
  inconsistent.orders.push_back(bad);
  b.market = inconsistent;
  EXPECT_FALSE(store_->Commit(b).ok());
  bad.status = OrderStatus::kCancelled;
  inconsistent.orders[0] = bad;
  b.market = inconsistent;
  EXPECT_FALSE(store_->Commit(b).ok());
}

TEST_P(MarketStoreTest, OrdersAndTradesAreFilteredNewestFirstAndPaged) {
  market::MarketBatch m;
  m.listings.push_back(MakeListing("CEA-2024", MarketState::kOpen, "2025-03-04"));
  m.listings.push_back(MakeListing("CEA-2025", MarketState::kOpen, "2025-03-04"));
  // Orders 1..6: CEA-2024 on 03-03 (1, 2) and 03-04 (3, 4), CEA-2025 on 03-04 (5, 6).
  m.orders.push_back(Close(MakeOrder(1, "CEA-2024", "2025-03-03", kAccount1, Side::kBuy, 8000, 10),
                           OrderStatus::kExpired, OrderEnd::kExpired, 0));
  m.orders.push_back(Close(MakeOrder(2, "CEA-2024", "2025-03-03", kAccount2, Side::kSell, 8000, 10),
                           OrderStatus::kCancelled, OrderEnd::kSelfTrade, 4));
  m.orders.push_back(MakeOrder(3, "CEA-2024", "2025-03-04", kAccount1, Side::kBuy, 8000, 10));
  m.orders.push_back(MakeOrder(4, "CEA-2024", "2025-03-04", kAccount3, Side::kSell, 8100, 10));
  m.orders.push_back(MakeOrder(5, "CEA-2025", "2025-03-04", kAccount2, Side::kBuy, 8000, 10));
  m.orders.push_back(Close(MakeOrder(6, "CEA-2025", "2025-03-04", kAccount1, Side::kSell, 8000, 10),
                           OrderStatus::kFilled, OrderEnd::kFilled, 10));
  // Trades 1..5, in a scrambled batch order (ids, not insertion, give the order).
  m.trades.push_back(MakeTrade(3, "CEA-2024", "2025-03-04", kAccount1, kAccount3));
  m.trades.push_back(MakeTrade(1, "CEA-2024", "2025-03-03", kAccount1, kAccount2));
  m.trades.push_back(MakeTrade(5, "CEA-2024", "2025-03-04", kAccount3, kAccount2));
  m.trades.push_back(MakeTrade(2, "CEA-2025", "2025-03-04", kAccount2, kAccount1));
  m.trades.push_back(MakeTrade(4, "CEA-2024", "2025-03-04", kAccount2, kAccount1));
  Commit(m);

  using Ids = std::vector<std::int64_t>;
  std::vector<MarketOrder> orders;
  market::OrderFilter f;
  ASSERT_TRUE(store_->ListOrders(f, &orders).ok());
  EXPECT_EQ(OrderIds(orders), (Ids{6, 5, 4, 3, 2, 1}));
  ExpectSameOrder(orders[4], m.orders[1]);
  f.instrument = "CEA-2024";
  ASSERT_TRUE(store_->ListOrders(f, &orders).ok());
  EXPECT_EQ(OrderIds(orders), (Ids{4, 3, 2, 1}));
  f.trading_day = "2025-03-04";
  ASSERT_TRUE(store_->ListOrders(f, &orders).ok());
  EXPECT_EQ(OrderIds(orders), (Ids{4, 3}));
  f = market::OrderFilter();
  f.org_id = 2;
  ASSERT_TRUE(store_->ListOrders(f, &orders).ok());
  EXPECT_EQ(OrderIds(orders), (Ids{5, 4, 2}));
  f.account_id = kAccount3;
  ASSERT_TRUE(store_->ListOrders(f, &orders).ok());
  EXPECT_EQ(OrderIds(orders), (Ids{4}));
  f = market::OrderFilter();
  f.status = OrderStatus::kOpen;
  ASSERT_TRUE(store_->ListOrders(f, &orders).ok());
  EXPECT_EQ(OrderIds(orders), (Ids{5, 4, 3}));
  f.status = OrderStatus::kCancelled;
  ASSERT_TRUE(store_->ListOrders(f, &orders).ok());
  EXPECT_EQ(OrderIds(orders), (Ids{2}));
  // Pages of two, each continuing below the last id of the one before.
  f = market::OrderFilter();
  f.limit = 2;
  Ids pages;
  for (int page = 0; page < 4; ++page) {
    ASSERT_TRUE(store_->ListOrders(f, &orders).ok());
    EXPECT_LE(orders.size(), 2u);
    for (const MarketOrder& o : orders) pages.push_back(o.id);
    if (orders.empty()) break;
    f.before_id = orders.back().id;
  }
  EXPECT_EQ(pages, (Ids{6, 5, 4, 3, 2, 1}));

  std::vector<MarketTrade> trades;
  market::TradeFilter t;
  ASSERT_TRUE(store_->ListTrades(t, &trades).ok());
  EXPECT_EQ(TradeIds(trades), (Ids{5, 4, 3, 2, 1}));
  const MarketTrade& third = trades[2];
  EXPECT_EQ(third.instrument, "CEA-2024");
  EXPECT_EQ(third.trading_day, "2025-03-04");
  EXPECT_EQ(third.mode, "listing");
  EXPECT_EQ(third.buy_order_id, 6);
  EXPECT_EQ(third.sell_order_id, 7);
  EXPECT_EQ(third.buy_account_id, kAccount1);
  EXPECT_EQ(third.sell_account_id, kAccount3);
  EXPECT_EQ(third.buy_org_id, 1);
  EXPECT_EQ(third.sell_org_id, 2);
  EXPECT_EQ(third.aggressor, Side::kBuy);
  EXPECT_EQ(third.price_fen, 8003);
  EXPECT_EQ(third.quantity, 3);
  EXPECT_EQ(third.buyer_fee_fen, 9);
  EXPECT_EQ(third.seller_fee_fen, 12);
  EXPECT_EQ(third.entry_id, 903);
  EXPECT_EQ(third.at_us, 7003);
  // Organization 1 bought in 1 and 3 and sold in 2 and 4.
  t.org_id = 1;
  ASSERT_TRUE(store_->ListTrades(t, &trades).ok());
  EXPECT_EQ(TradeIds(trades), (Ids{4, 3, 2, 1}));
  t.instrument = "CEA-2024";
  ASSERT_TRUE(store_->ListTrades(t, &trades).ok());
  EXPECT_EQ(TradeIds(trades), (Ids{4, 3, 1}));
  t.trading_day = "2025-03-04";
  ASSERT_TRUE(store_->ListTrades(t, &trades).ok());
  EXPECT_EQ(TradeIds(trades), (Ids{4, 3}));
  t.before_id = 4;
  ASSERT_TRUE(store_->ListTrades(t, &trades).ok());
  EXPECT_EQ(TradeIds(trades), (Ids{3}));
  t = market::TradeFilter();
  t.limit = 2;
  t.before_id = 5;
  ASSERT_TRUE(store_->ListTrades(t, &trades).ok());
  EXPECT_EQ(TradeIds(trades), (Ids{4, 3}));

  ASSERT_TRUE(store_->ListDayTrades("CEA-2024", "2025-03-04", &trades).ok());
  EXPECT_EQ(TradeIds(trades), (Ids{3, 4, 5}));
  ASSERT_TRUE(store_->ListDayTrades("CEA-2025", "2025-03-03", &trades).ok());
  EXPECT_TRUE(trades.empty());
}

TEST_P(MarketStoreTest, BookDepthSumsTheOpenOrdersByPrice) {
  market::MarketBatch m;
  m.listings.push_back(MakeListing("CEA-2024", MarketState::kOpen, "2025-03-04"));
  m.listings.push_back(MakeListing("CEA-2025", MarketState::kOpen, "2025-03-04"));
  std::int64_t id = 0;
  auto add = [&](const char* instrument, Side side, std::int64_t price, quantity_t open) {
    m.orders.push_back(MakeOrder(++id, instrument, "2025-03-04", kAccount1, side, price, open));
  };
  add("CEA-2024", Side::kBuy, 7900, 10);
  add("CEA-2024", Side::kBuy, 8000, 5);
  add("CEA-2024", Side::kBuy, 7900, 7);
  add("CEA-2024", Side::kBuy, 7800, 1);
  add("CEA-2024", Side::kSell, 8200, 4);
  add("CEA-2024", Side::kSell, 8100, 6);
  add("CEA-2024", Side::kSell, 8100, 2);
  add("CEA-2025", Side::kBuy, 8050, 99);  // another instrument
  // Filled and partly filled orders: only what is still open counts.
  m.orders.push_back(Close(MakeOrder(++id, "CEA-2024", "2025-03-04", kAccount2, Side::kBuy, 8000, 50),
                           OrderStatus::kFilled, OrderEnd::kFilled, 50));
  MarketOrder partly = MakeOrder(++id, "CEA-2024", "2025-03-04", kAccount2, Side::kSell, 8200, 30);
  partly.open_quantity = 12;
  partly.filled_quantity = 18;
  m.orders.push_back(partly);
  Commit(m);

  std::vector<DepthLevel> bids;
  std::vector<DepthLevel> asks;
  ASSERT_TRUE(store_->BookDepth("CEA-2024", 5, &bids, &asks).ok());
  EXPECT_EQ(bids, (std::vector<DepthLevel>{{8000, 5, 1}, {7900, 17, 2}, {7800, 1, 1}}));
  EXPECT_EQ(asks, (std::vector<DepthLevel>{{8100, 8, 2}, {8200, 16, 2}}));
  ASSERT_TRUE(store_->BookDepth("CEA-2024", 1, &bids, &asks).ok());
  EXPECT_EQ(bids, (std::vector<DepthLevel>{{8000, 5, 1}}));
  EXPECT_EQ(asks, (std::vector<DepthLevel>{{8100, 8, 2}}));
  ASSERT_TRUE(store_->BookDepth("CEA-2024", 0, &bids, &asks).ok());
  EXPECT_TRUE(bids.empty());
  EXPECT_TRUE(asks.empty());
  ASSERT_TRUE(store_->BookDepth("CEA-2025", 5, &bids, &asks).ok());
  EXPECT_EQ(bids, (std::vector<DepthLevel>{{8050, 99, 1}}));
  EXPECT_TRUE(asks.empty());
  ASSERT_TRUE(store_->BookDepth("CCER-2024", 5, &bids, &asks).ok());
  EXPECT_TRUE(bids.empty());
  EXPECT_TRUE(asks.empty());
}

INSTANTIATE_TEST_SUITE_P(MarketStore, MarketStoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<const char*>& backend) { return std::string(backend.param); });

}  // namespace
}  // namespace greenloop
