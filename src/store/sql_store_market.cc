// The exchange's SQL (schema: migrations/*/0006_market.sql and 0007_market_blocks_auctions.sql),
// beside the registry's in sql_store.cc; blocks and auctions in sql_store_market_negotiated.cc. Enumerations are stored by their names in market/records.cc; an order's end
// reason is the column end_reason (END is an SQL keyword).
#include <algorithm>

#include "core/assert.h"
#include "store/sql_store.h"

namespace greenloop {
namespace {

SqlValue Name(std::string_view v) { return SqlValue(std::string(v)); }

const char* const kListingColumns =
    "instrument, family, fee_bps, state, trading_day, prev_close_fen, band_low_fen, band_high_fen, listed_at_us, "
    "updated_at_us";
const char* const kCommandColumns =
    "c.id, c.instrument, c.trading_day, c.kind, c.book_order_id, c.owner_id, c.side, c.price_fen, c.quantity, c.at_us";
const char* const kOrderColumns =
    "id, instrument, trading_day, book_order_id, account_id, org_id, user_id, side, price_fen, quantity, open_quantity, "
    "filled_quantity, reserved_instrument, reserved, status, end_reason, client_order_id, created_at_us, updated_at_us";
const char* const kTradeColumns =
    "id, instrument, trading_day, mode, buy_order_id, sell_order_id, buy_account_id, sell_account_id, buy_org_id, "
    "sell_org_id, aggressor, price_fen, quantity, buyer_fee_fen, seller_fee_fen, entry_id, at_us, ref_id";

// A name the CHECK constraints admit always parses; the fallbacks only quiet the optional.
market::Listing ReadListing(const SqlRow& r) {
  market::Listing l;
  l.instrument = r.Text(0);
  l.family = r.Text(1);
  l.fee_bps = r.Int(2);
  l.state = market::ParseMarketState(r.Text(3)).value_or(market::MarketState::kClosed);
  l.trading_day = r.Text(4);
  l.prev_close_fen = r.Int(5);
  l.band_low_fen = r.Int(6);
  l.band_high_fen = r.Int(7);
  l.listed_at_us = r.Int(8);
  l.updated_at_us = r.Int(9);
  return l;
}

market::BookCommand ReadCommand(const SqlRow& r) {
  market::BookCommand c;
  c.id = r.Int(0);
  c.instrument = r.Text(1);
  c.trading_day = r.Text(2);
  c.kind = market::ParseCommandKind(r.Text(3)).value_or(market::CommandKind::kSubmit);
  c.book_order_id = r.Int(4);
  c.owner_id = r.Int(5);
  c.side = market::ParseSide(r.Text(6)).value_or(Side::kBuy);
  c.price_fen = r.Int(7);
  c.quantity = r.Int(8);
  c.at_us = r.Int(9);
  return c;
}

market::MarketOrder ReadOrder(const SqlRow& r) {
  market::MarketOrder o;
  o.id = r.Int(0);
  o.instrument = r.Text(1);
  o.trading_day = r.Text(2);
  o.book_order_id = r.Int(3);
  o.account_id = r.Int(4);
  o.org_id = r.Int(5);
  o.user_id = r.Int(6);
  o.side = market::ParseSide(r.Text(7)).value_or(Side::kBuy);
  o.price_fen = r.Int(8);
  o.quantity = r.Int(9);
  o.open_quantity = r.Int(10);
  o.filled_quantity = r.Int(11);
  o.reserved_instrument = r.Text(12);
  o.reserved = r.Int(13);
  o.status = market::ParseOrderStatus(r.Text(14)).value_or(market::OrderStatus::kOpen);
  o.end = market::ParseOrderEnd(r.Text(15)).value_or(market::OrderEnd::kNone);
  o.client_order_id = r.Text(16);
  o.created_at_us = r.Int(17);
  o.updated_at_us = r.Int(18);
  return o;
}

market::MarketTrade ReadTrade(const SqlRow& r) {
  market::MarketTrade t;
  t.id = r.Int(0);
  t.instrument = r.Text(1);
  t.trading_day = r.Text(2);
  t.mode = r.Text(3);
  t.buy_order_id = r.Int(4);
  t.sell_order_id = r.Int(5);
  t.buy_account_id = r.Int(6);
  t.sell_account_id = r.Int(7);
  t.buy_org_id = r.Int(8);
  t.sell_org_id = r.Int(9);
  t.aggressor = market::ParseSide(r.Text(10)).value_or(Side::kBuy);
  t.price_fen = r.Int(11);
  t.quantity = r.Int(12);
  t.buyer_fee_fen = r.Int(13);
  t.seller_fee_fen = r.Int(14);
  t.entry_id = r.Int(15);
  t.at_us = r.Int(16);
  t.ref_id = r.Int(17);
  return t;
}

// Everything LoadMarket returns, read on one connection.
Status ReadMarket(SqlConnection& db, market::MarketSnapshot* out) {
  GL_RETURN_IF_ERROR(db.Exec(std::string("SELECT ") + kListingColumns + " FROM market_listings ORDER BY instrument", {},
                             [&](const SqlRow& r) { out->listings.push_back(ReadListing(r)); }));
  // A closed day's book is empty (its open orders expired), so only the other days are replayed.
  // One indexed read per listing (market_commands_day), never a scan of the whole log; then
  // the days of all instruments merged into the one global replay order.
  for (const market::Listing& l : out->listings) {
    if (l.state == market::MarketState::kClosed) continue;
    GL_RETURN_IF_ERROR(db.Exec(std::string("SELECT ") + kCommandColumns +
                                   " FROM market_commands c WHERE c.instrument = ? AND c.trading_day = ? ORDER BY c.id",
                               {l.instrument, l.trading_day},
                               [&](const SqlRow& r) { out->commands.push_back(ReadCommand(r)); }));
  }
  std::sort(out->commands.begin(), out->commands.end(),
            [](const market::BookCommand& a, const market::BookCommand& b) { return a.id < b.id; });
  // The literal 'open' (not a parameter) lets both databases use the partial index market_orders_open.
  GL_RETURN_IF_ERROR(db.Exec(std::string("SELECT ") + kOrderColumns +
                                 " FROM market_orders WHERE status = 'open' ORDER BY id",
                             {}, [&](const SqlRow& r) { out->open_orders.push_back(ReadOrder(r)); }));
  GL_RETURN_IF_ERROR(ReadOpenNegotiated(db, out));
  return db.Exec(
      "SELECT (SELECT COALESCE(MAX(id), 0) FROM market_commands), (SELECT COALESCE(MAX(id), 0) FROM market_orders), "
      "(SELECT COALESCE(MAX(id), 0) FROM market_trades), (SELECT COALESCE(MAX(id), 0) FROM market_blocks), "
      "(SELECT COALESCE(MAX(id), 0) FROM market_auctions)",
      {}, [&](const SqlRow& r) {
        out->max_command_id = r.Int(0);
        out->max_order_id = r.Int(1);
        out->max_trade_id = r.Int(2);
        out->max_block_id = r.Int(3);
        out->max_auction_id = r.Int(4);
      });
}

}  // namespace

Status SqlStore::WriteMarket(const market::MarketBatch& b) {
  SqlConnection& db = *writer_;
  std::vector<SqlParams> rows;
  auto run = [&](const char* sql) {
    Status st = db.ExecRows(sql, rows);
    rows.clear();
    return st;
  };
  // Listings first: the other three tables refer to them. A key that occurs twice in one batch
  // is written twice in batch order, so its last version stands.
  for (const market::Listing& l : b.listings) {
    rows.push_back({l.instrument, l.family, l.fee_bps, Name(market::ToString(l.state)), l.trading_day, l.prev_close_fen,
                    l.band_low_fen, l.band_high_fen, l.listed_at_us, l.updated_at_us});
  }
  GL_RETURN_IF_ERROR(run(
      "INSERT INTO market_listings (instrument, family, fee_bps, state, trading_day, prev_close_fen, band_low_fen, "
      "band_high_fen, listed_at_us, updated_at_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (instrument) DO UPDATE SET family = excluded.family, fee_bps = excluded.fee_bps, "
      "state = excluded.state, trading_day = excluded.trading_day, prev_close_fen = excluded.prev_close_fen, "
      "band_low_fen = excluded.band_low_fen, band_high_fen = excluded.band_high_fen, "
      "updated_at_us = excluded.updated_at_us"));
  for (const market::TradingDay& d : b.days) {
    rows.push_back({d.instrument, d.trading_day, d.prev_close_fen, d.band_low_fen, d.band_high_fen, d.close_fen,
                    d.opened_at_us, d.closed_at_us});
  }
  GL_RETURN_IF_ERROR(run(
      "INSERT INTO market_days (instrument, trading_day, prev_close_fen, band_low_fen, band_high_fen, close_fen, "
      "opened_at_us, closed_at_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (instrument, trading_day) DO UPDATE "
      "SET close_fen = excluded.close_fen, closed_at_us = excluded.closed_at_us"));
  for (const market::BookCommand& c : b.commands) {
    rows.push_back({c.id, c.instrument, c.trading_day, Name(market::ToString(c.kind)), c.book_order_id, c.owner_id,
                    Name(market::ToString(c.side)), c.price_fen, c.quantity, c.at_us});
  }
  GL_RETURN_IF_ERROR(run(
      "INSERT INTO market_commands (id, instrument, trading_day, kind, book_order_id, owner_id, side, price_fen, "
      "quantity, at_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  for (const market::MarketOrder& o : b.orders) {
    rows.push_back({o.id, o.instrument, o.trading_day, o.book_order_id, o.account_id, o.org_id, o.user_id,
                    Name(market::ToString(o.side)), o.price_fen, o.quantity, o.open_quantity, o.filled_quantity,
                    o.reserved_instrument, o.reserved, Name(market::ToString(o.status)), Name(market::ToString(o.end)),
                    o.client_order_id, o.created_at_us, o.updated_at_us});
  }
  // What an order is (instrument, day, book id, owner, side, creation) never changes; a replace
  // changes its price and quantity, a fill or an end the rest.
  GL_RETURN_IF_ERROR(run(
      "INSERT INTO market_orders (id, instrument, trading_day, book_order_id, account_id, org_id, user_id, side, "
      "price_fen, quantity, open_quantity, filled_quantity, reserved_instrument, reserved, status, end_reason, "
      "client_order_id, created_at_us, updated_at_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (id) DO UPDATE SET price_fen = excluded.price_fen, quantity = excluded.quantity, "
      "open_quantity = excluded.open_quantity, filled_quantity = excluded.filled_quantity, "
      "reserved_instrument = excluded.reserved_instrument, reserved = excluded.reserved, status = excluded.status, "
      "end_reason = excluded.end_reason, updated_at_us = excluded.updated_at_us"));
  // Auctions before the bids and trades that refer to them.
  GL_RETURN_IF_ERROR(WriteNegotiated(db, b));
  for (const market::MarketTrade& t : b.trades) {
    rows.push_back({t.id, t.instrument, t.trading_day, t.mode, t.buy_order_id, t.sell_order_id, t.buy_account_id,
                    t.sell_account_id, t.buy_org_id, t.sell_org_id, Name(market::ToString(t.aggressor)), t.price_fen,
                    t.quantity, t.buyer_fee_fen, t.seller_fee_fen, t.entry_id, t.at_us, t.ref_id});
  }
  return run(
      "INSERT INTO market_trades (id, instrument, trading_day, mode, buy_order_id, sell_order_id, buy_account_id, "
      "sell_account_id, buy_org_id, sell_org_id, aggressor, price_fen, quantity, buyer_fee_fen, seller_fee_fen, "
      "entry_id, at_us, ref_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
}

Status SqlStore::LoadMarket(market::MarketSnapshot* out) {
  std::unique_ptr<Reader> reader;
  GL_RETURN_IF_ERROR(Borrow(&reader));
  SqlConnection& db = **reader;
  *out = market::MarketSnapshot();
  // One read transaction, so that the commands, the open orders and the largest ids all come
  // from the same commit even when the writer commits meanwhile (PostgreSQL's default isolation
  // takes a snapshot per statement; SQLite's deferred BEGIN keeps the first read's snapshot).
  GL_RETURN_IF_ERROR(db.ExecScript(driver_->Dialect() == "postgresql"
                                       ? "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                                       : "BEGIN"));
  Status st = ReadMarket(db, out);
  if (st.ok()) st = db.Commit();
  if (!st.ok()) {
    db.Rollback();  // the connection goes back to the pool outside any transaction
    *out = market::MarketSnapshot();
  }
  return st;
}

Status SqlStore::ListListings(std::vector<market::Listing>* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->clear();
  return (*db)->Exec(std::string("SELECT ") + kListingColumns + " FROM market_listings ORDER BY instrument", {},
                     [&](const SqlRow& r) { out->push_back(ReadListing(r)); });
}

Status SqlStore::GetListing(const std::string& instrument, market::Listing* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  bool found = false;
  GL_RETURN_IF_ERROR((*db)->Exec(std::string("SELECT ") + kListingColumns + " FROM market_listings WHERE instrument = ?",
                                 {instrument}, [&](const SqlRow& r) {
                                   *out = ReadListing(r);
                                   found = true;
                                 }));
  return found ? Status::OK() : Status::NotFound("instrument '" + instrument + "' is not listed", "instrument");
}

Status SqlStore::ListOrders(const market::OrderFilter& filter, std::vector<market::MarketOrder>* out) {
  GL_ASSERT(filter.limit > 0 && filter.limit <= 1000);
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->clear();
  std::string sql = std::string("SELECT ") + kOrderColumns + " FROM market_orders WHERE 1 = 1";
  SqlParams params;
  if (filter.instrument) {
    sql += " AND instrument = ?";
    params.push_back(*filter.instrument);
  }
  if (filter.org_id) {
    sql += " AND org_id = ?";
    params.push_back(*filter.org_id);
  }
  if (filter.account_id) {
    sql += " AND account_id = ?";
    params.push_back(*filter.account_id);
  }
  if (filter.status) {
    sql += " AND status = ?";
    params.push_back(Name(market::ToString(*filter.status)));
  }
  if (filter.trading_day) {
    sql += " AND trading_day = ?";
    params.push_back(*filter.trading_day);
  }
  if (filter.before_id) {
    sql += " AND id < ?";
    params.push_back(*filter.before_id);
  }
  sql += " ORDER BY id DESC LIMIT ?";
  params.push_back(std::int64_t{filter.limit});
  return (*db)->Exec(sql, params, [&](const SqlRow& r) { out->push_back(ReadOrder(r)); });
}

Status SqlStore::GetOrder(std::int64_t id, market::MarketOrder* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  bool found = false;
  GL_RETURN_IF_ERROR((*db)->Exec(std::string("SELECT ") + kOrderColumns + " FROM market_orders WHERE id = ?", {id},
                                 [&](const SqlRow& r) {
                                   *out = ReadOrder(r);
                                   found = true;
                                 }));
  return found ? Status::OK() : Status::NotFound("order " + std::to_string(id) + " does not exist", "order");
}

Status SqlStore::ListTrades(const market::TradeFilter& filter, std::vector<market::MarketTrade>* out) {
  GL_ASSERT(filter.limit > 0 && filter.limit <= 1000);
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->clear();
  std::string sql = std::string("SELECT ") + kTradeColumns + " FROM market_trades WHERE 1 = 1";
  SqlParams params;
  if (filter.instrument) {
    sql += " AND instrument = ?";
    params.push_back(*filter.instrument);
  }
  if (filter.org_id) {
    // Two indexed lookups (market_trades_buy_org, market_trades_sell_org) joined by OR.
    sql += " AND (buy_org_id = ? OR sell_org_id = ?)";
    params.push_back(*filter.org_id);
    params.push_back(*filter.org_id);
  }
  if (filter.trading_day) {
    sql += " AND trading_day = ?";
    params.push_back(*filter.trading_day);
  }
  if (filter.before_id) {
    sql += " AND id < ?";
    params.push_back(*filter.before_id);
  }
  sql += " ORDER BY id DESC LIMIT ?";
  params.push_back(std::int64_t{filter.limit});
  return (*db)->Exec(sql, params, [&](const SqlRow& r) { out->push_back(ReadTrade(r)); });
}

Status SqlStore::ListTradingDays(const std::string& instrument, std::vector<market::TradingDay>* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->clear();
  return (*db)->Exec(
      "SELECT instrument, trading_day, prev_close_fen, band_low_fen, band_high_fen, close_fen, opened_at_us, "
      "closed_at_us FROM market_days WHERE instrument = ? ORDER BY trading_day",
      {instrument}, [&](const SqlRow& r) {
        out->push_back({r.Text(0), r.Text(1), r.Int(2), r.Int(3), r.Int(4), r.Int(5), r.Int(6), r.Int(7)});
      });
}

Status SqlStore::ListDayTrades(const std::string& instrument, const std::string& trading_day,
                               std::vector<market::MarketTrade>* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->clear();
  return (*db)->Exec(std::string("SELECT ") + kTradeColumns +
                         " FROM market_trades WHERE instrument = ? AND trading_day = ? ORDER BY id",
                     {instrument, trading_day}, [&](const SqlRow& r) { out->push_back(ReadTrade(r)); });
}

Status SqlStore::BookDepth(const std::string& instrument, int levels, std::vector<DepthLevel>* bids,
                           std::vector<DepthLevel>* asks) {
  bids->clear();
  asks->clear();
  if (levels <= 0) return Status::OK();
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  // Both sides in one statement, so from one commit: two reads could pair a bid that a later
  // commit filled with that commit's asks and show a crossed book.
  const char* side_levels =
      "(SELECT side, price_fen, SUM(open_quantity) AS quantity, COUNT(*) AS orders FROM market_orders "
      "WHERE instrument = ? AND status = 'open' AND side = ? GROUP BY side, price_fen ORDER BY price_fen ";
  std::string sql = std::string("SELECT side, price_fen, quantity, orders FROM ") + side_levels +
                    "DESC LIMIT ?) bids UNION ALL SELECT side, price_fen, quantity, orders FROM " + side_levels +
                    "ASC LIMIT ?) asks";
  GL_RETURN_IF_ERROR((*db)->Exec(
      sql, {instrument, Name("buy"), std::int64_t{levels}, instrument, Name("sell"), std::int64_t{levels}},
      [&](const SqlRow& r) {
        DepthLevel level{r.Int(1), r.Int(2), r.Int(3)};
        (r.Text(0) == "buy" ? bids : asks)->push_back(level);
      }));
  // UNION ALL promises no order, so each side is put back in best-first order here.
  std::sort(bids->begin(), bids->end(),
            [](const DepthLevel& a, const DepthLevel& b) { return a.price_ticks > b.price_ticks; });
  std::sort(asks->begin(), asks->end(),
            [](const DepthLevel& a, const DepthLevel& b) { return a.price_ticks < b.price_ticks; });
  return Status::OK();
}

}  // namespace greenloop
