// The SQL of block agreement trading and auctions (schema: migrations/*/0007_market_blocks_auctions.sql).
#include "core/assert.h"
#include "store/sql_store.h"

namespace greenloop {
namespace {

SqlValue Name(std::string_view v) { return SqlValue(std::string(v)); }

const char* const kBlockColumns =
    "id, instrument, trading_day, side, proposer_account_id, proposer_org_id, proposer_user_id, counterparty_org_id, "
    "counterparty_account_id, responder_user_id, price_fen, quantity, reserved_instrument, reserved, expires_at_us, "
    "status, trade_id, memo, created_at_us, updated_at_us";
const char* const kAuctionColumns =
    "id, title, purpose, instrument, seller_account_id, seller_org_id, created_by, supply, reserve_price_fen, tick_fen, "
    "lot, min_bid_quantity, max_bid_quantity, opens_at_us, closes_at_us, pricing, status, reserved, next_sequence, "
    "bid_count, clearing_price_fen, sold_quantity, unsold_quantity, total_amount_fen, winner_count, created_at_us, "
    "updated_at_us, cleared_at_us";
const char* const kBidColumns =
    "auction_id, org_id, account_id, user_id, price_fen, quantity, sequence, reserved_fen, status, awarded_quantity, "
    "price_paid_fen, amount_fen, at_margin, trade_id, created_at_us, updated_at_us";

// A name the CHECK constraints admit always parses; the fallbacks only quiet the optional.
market::BlockProposal ReadBlock(const SqlRow& r) {
  market::BlockProposal b;
  b.id = r.Int(0);
  b.instrument = r.Text(1);
  b.trading_day = r.Text(2);
  b.side = market::ParseSide(r.Text(3)).value_or(Side::kSell);
  b.proposer_account_id = r.Int(4);
  b.proposer_org_id = r.Int(5);
  b.proposer_user_id = r.Int(6);
  b.counterparty_org_id = r.Int(7);
  b.counterparty_account_id = r.Int(8);
  b.responder_user_id = r.Int(9);
  b.price_fen = r.Int(10);
  b.quantity = r.Int(11);
  b.reserved_instrument = r.Text(12);
  b.reserved = r.Int(13);
  b.expires_at_us = r.Int(14);
  b.status = market::ParseBlockStatus(r.Text(15)).value_or(market::BlockStatus::kExpired);
  b.trade_id = r.Int(16);
  b.memo = r.Text(17);
  b.created_at_us = r.Int(18);
  b.updated_at_us = r.Int(19);
  return b;
}

market::AuctionRecord ReadAuction(const SqlRow& r) {
  market::AuctionRecord a;
  a.id = r.Int(0);
  a.title = r.Text(1);
  a.purpose = market::ParseAuctionPurpose(r.Text(2)).value_or(market::AuctionPurpose::kReserveSale);
  a.instrument = r.Text(3);
  a.seller_account_id = r.Int(4);
  a.seller_org_id = r.Int(5);
  a.created_by = r.Int(6);
  a.rules.supply = r.Int(7);
  a.rules.reserve_price_fen = r.Int(8);
  a.rules.tick_fen = r.Int(9);
  a.rules.lot_size = r.Int(10);
  a.rules.min_quantity_per_bidder = r.Int(11);
  a.rules.max_quantity_per_bidder = r.Int(12);
  a.rules.opens_at_us = r.Int(13);
  a.rules.closes_at_us = r.Int(14);
  a.rules.pricing = market::ParseAuctionPricing(r.Text(15)).value_or(AuctionPricing::kUniform);
  a.status = market::ParseAuctionStatus(r.Text(16)).value_or(market::AuctionStatus::kCancelled);
  a.reserved = r.Int(17);
  a.next_sequence = r.Int(18);
  a.bid_count = r.Int(19);
  a.clearing_price_fen = r.Int(20);
  a.sold_quantity = r.Int(21);
  a.unsold_quantity = r.Int(22);
  a.total_amount_fen = r.Int(23);
  a.winner_count = r.Int(24);
  a.created_at_us = r.Int(25);
  a.updated_at_us = r.Int(26);
  a.cleared_at_us = r.Int(27);
  return a;
}

market::BidRecord ReadBid(const SqlRow& r) {
  market::BidRecord b;
  b.auction_id = r.Int(0);
  b.org_id = r.Int(1);
  b.account_id = r.Int(2);
  b.user_id = r.Int(3);
  b.price_fen = r.Int(4);
  b.quantity = r.Int(5);
  b.sequence = r.Int(6);
  b.reserved_fen = r.Int(7);
  b.status = market::ParseBidStatus(r.Text(8)).value_or(market::BidStatus::kWithdrawn);
  b.awarded_quantity = r.Int(9);
  b.price_paid_fen = r.Int(10);
  b.amount_fen = r.Int(11);
  b.at_margin = r.Int(12) != 0;
  b.trade_id = r.Int(13);
  b.created_at_us = r.Int(14);
  b.updated_at_us = r.Int(15);
  return b;
}

}  // namespace

Status ReadOpenNegotiated(SqlConnection& db, market::MarketSnapshot* out) {
  // Literal statuses (not parameters) let both databases use the partial indexes.
  GL_RETURN_IF_ERROR(db.Exec(std::string("SELECT ") + kBlockColumns +
                                 " FROM market_blocks WHERE status = 'proposed' ORDER BY id",
                             {}, [&](const SqlRow& r) { out->open_blocks.push_back(ReadBlock(r)); }));
  GL_RETURN_IF_ERROR(db.Exec(std::string("SELECT ") + kAuctionColumns +
                                 " FROM market_auctions WHERE status = 'open' ORDER BY id",
                             {}, [&](const SqlRow& r) { out->open_auctions.push_back(ReadAuction(r)); }));
  for (const market::AuctionRecord& a : out->open_auctions) {
    GL_RETURN_IF_ERROR(db.Exec(std::string("SELECT ") + kBidColumns +
                                   " FROM market_bids WHERE auction_id = ? AND status = 'live' ORDER BY sequence",
                               {a.id}, [&](const SqlRow& r) { out->live_bids.push_back(ReadBid(r)); }));
  }
  return db.Exec("SELECT instrument, account_id, max_quantity, set_by, set_at_us FROM market_holding_limits "
                 "ORDER BY instrument, account_id",
                 {}, [&](const SqlRow& r) {
                   out->holding_limits.push_back({r.Text(0), r.Int(1), r.Int(2), r.Int(3), r.Int(4)});
                 });
}

Status SqlStore::WriteNegotiated(SqlConnection& db, const market::MarketBatch& b) {
  std::vector<SqlParams> rows;
  auto run = [&](const char* sql) {
    Status st = db.ExecRows(sql, rows);
    rows.clear();
    return st;
  };
  for (const market::BlockProposal& x : b.blocks) {
    rows.push_back({x.id, x.instrument, x.trading_day, Name(market::ToString(x.side)), x.proposer_account_id,
                    x.proposer_org_id, x.proposer_user_id, x.counterparty_org_id, x.counterparty_account_id,
                    x.responder_user_id, x.price_fen, x.quantity, x.reserved_instrument, x.reserved, x.expires_at_us,
                    Name(market::ToString(x.status)), x.trade_id, x.memo, x.created_at_us, x.updated_at_us});
  }
  // What a proposal is never changes; its answer does.
  GL_RETURN_IF_ERROR(run(
      "INSERT INTO market_blocks (id, instrument, trading_day, side, proposer_account_id, proposer_org_id, "
      "proposer_user_id, counterparty_org_id, counterparty_account_id, responder_user_id, price_fen, quantity, "
      "reserved_instrument, reserved, expires_at_us, status, trade_id, memo, created_at_us, updated_at_us) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
      "counterparty_account_id = excluded.counterparty_account_id, responder_user_id = excluded.responder_user_id, "
      "reserved = excluded.reserved, status = excluded.status, trade_id = excluded.trade_id, "
      "updated_at_us = excluded.updated_at_us"));
  for (const market::AuctionRecord& a : b.auctions) {
    rows.push_back({a.id, a.title, Name(market::ToString(a.purpose)), a.instrument, a.seller_account_id,
                    a.seller_org_id, a.created_by, a.rules.supply, a.rules.reserve_price_fen, a.rules.tick_fen,
                    a.rules.lot_size, a.rules.min_quantity_per_bidder, a.rules.max_quantity_per_bidder,
                    a.rules.opens_at_us, a.rules.closes_at_us, Name(market::ToString(a.rules.pricing)),
                    Name(market::ToString(a.status)), a.reserved, a.next_sequence, a.bid_count, a.clearing_price_fen,
                    a.sold_quantity, a.unsold_quantity, a.total_amount_fen, a.winner_count, a.created_at_us,
                    a.updated_at_us, a.cleared_at_us});
  }
  // The announcement never changes; the state, the bids and the result do.
  GL_RETURN_IF_ERROR(run(
      "INSERT INTO market_auctions (id, title, purpose, instrument, seller_account_id, seller_org_id, created_by, "
      "supply, reserve_price_fen, tick_fen, lot, min_bid_quantity, max_bid_quantity, opens_at_us, closes_at_us, "
      "pricing, status, reserved, next_sequence, bid_count, clearing_price_fen, sold_quantity, unsold_quantity, "
      "total_amount_fen, winner_count, created_at_us, updated_at_us, cleared_at_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
      "status = excluded.status, reserved = excluded.reserved, next_sequence = excluded.next_sequence, "
      "bid_count = excluded.bid_count, clearing_price_fen = excluded.clearing_price_fen, "
      "sold_quantity = excluded.sold_quantity, unsold_quantity = excluded.unsold_quantity, "
      "total_amount_fen = excluded.total_amount_fen, winner_count = excluded.winner_count, "
      "updated_at_us = excluded.updated_at_us, cleared_at_us = excluded.cleared_at_us"));
  for (const market::BidRecord& x : b.bids) {
    rows.push_back({x.auction_id, x.org_id, x.account_id, x.user_id, x.price_fen, x.quantity, x.sequence,
                    x.reserved_fen, Name(market::ToString(x.status)), x.awarded_quantity, x.price_paid_fen,
                    x.amount_fen, std::int64_t{x.at_margin ? 1 : 0}, x.trade_id, x.created_at_us, x.updated_at_us});
  }
  // In batch order, so that the last change of a limit in one commit stands.
  for (const market::HoldingLimit& l : b.holding_limits) {
    if (l.max_quantity == 0) {
      GL_RETURN_IF_ERROR(db.Exec("DELETE FROM market_holding_limits WHERE instrument = ? AND account_id = ?",
                                 {l.instrument, l.account_id}, nullptr));
    } else {
      GL_RETURN_IF_ERROR(db.Exec(
          "INSERT INTO market_holding_limits (instrument, account_id, max_quantity, set_by, set_at_us) "
          "VALUES (?, ?, ?, ?, ?) ON CONFLICT (instrument, account_id) DO UPDATE SET max_quantity = "
          "excluded.max_quantity, set_by = excluded.set_by, set_at_us = excluded.set_at_us",
          {l.instrument, l.account_id, l.max_quantity, l.set_by, l.set_at_us}, nullptr));
    }
  }
  // A withdrawn bid placed again is the organization's bid again: the row is reused.
  return run(
      "INSERT INTO market_bids (auction_id, org_id, account_id, user_id, price_fen, quantity, sequence, reserved_fen, "
      "status, awarded_quantity, price_paid_fen, amount_fen, at_margin, trade_id, created_at_us, updated_at_us) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (auction_id, org_id) DO UPDATE SET "
      "account_id = excluded.account_id, user_id = excluded.user_id, price_fen = excluded.price_fen, "
      "quantity = excluded.quantity, sequence = excluded.sequence, reserved_fen = excluded.reserved_fen, "
      "status = excluded.status, awarded_quantity = excluded.awarded_quantity, "
      "price_paid_fen = excluded.price_paid_fen, amount_fen = excluded.amount_fen, at_margin = excluded.at_margin, "
      "trade_id = excluded.trade_id, updated_at_us = excluded.updated_at_us");
}

Status SqlStore::ListBlocks(const market::BlockFilter& filter, std::vector<market::BlockProposal>* out) {
  GL_ASSERT(filter.limit > 0 && filter.limit <= 1000);
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->clear();
  std::string sql = std::string("SELECT ") + kBlockColumns + " FROM market_blocks WHERE 1 = 1";
  SqlParams params;
  if (filter.instrument) {
    sql += " AND instrument = ?";
    params.push_back(*filter.instrument);
  }
  if (filter.org_id) {
    sql += " AND (proposer_org_id = ? OR counterparty_org_id = ?)";
    params.push_back(*filter.org_id);
    params.push_back(*filter.org_id);
  }
  if (filter.status) {
    sql += " AND status = ?";
    params.push_back(Name(market::ToString(*filter.status)));
  }
  if (filter.before_id) {
    sql += " AND id < ?";
    params.push_back(*filter.before_id);
  }
  sql += " ORDER BY id DESC LIMIT ?";
  params.push_back(std::int64_t{filter.limit});
  return (*db)->Exec(sql, params, [&](const SqlRow& r) { out->push_back(ReadBlock(r)); });
}

Status SqlStore::GetBlock(std::int64_t id, market::BlockProposal* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  bool found = false;
  GL_RETURN_IF_ERROR((*db)->Exec(std::string("SELECT ") + kBlockColumns + " FROM market_blocks WHERE id = ?", {id},
                                 [&](const SqlRow& r) {
                                   *out = ReadBlock(r);
                                   found = true;
                                 }));
  return found ? Status::OK() : Status::NotFound("block " + std::to_string(id) + " does not exist", "block_id");
}

Status SqlStore::ListAuctions(std::optional<market::AuctionStatus> status, int limit,
                              std::vector<market::AuctionRecord>* out) {
  GL_ASSERT(limit > 0 && limit <= 1000);
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->clear();
  std::string sql = std::string("SELECT ") + kAuctionColumns + " FROM market_auctions";
  SqlParams params;
  if (status) {
    sql += " WHERE status = ?";
    params.push_back(Name(market::ToString(*status)));
  }
  sql += " ORDER BY id DESC LIMIT ?";
  params.push_back(std::int64_t{limit});
  return (*db)->Exec(sql, params, [&](const SqlRow& r) { out->push_back(ReadAuction(r)); });
}

Status SqlStore::GetAuction(std::int64_t id, market::AuctionRecord* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  bool found = false;
  GL_RETURN_IF_ERROR((*db)->Exec(std::string("SELECT ") + kAuctionColumns + " FROM market_auctions WHERE id = ?", {id},
                                 [&](const SqlRow& r) {
                                   *out = ReadAuction(r);
                                   found = true;
                                 }));
  return found ? Status::OK() : Status::NotFound("auction " + std::to_string(id) + " does not exist", "auction_id");
}

Status SqlStore::ListBids(std::int64_t auction_id, std::optional<OrgId> org_id, std::vector<market::BidRecord>* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->clear();
  std::string sql = std::string("SELECT ") + kBidColumns + " FROM market_bids WHERE auction_id = ?";
  SqlParams params{auction_id};
  if (org_id) {
    sql += " AND org_id = ?";
    params.push_back(*org_id);
  }
  sql += " ORDER BY org_id";
  return (*db)->Exec(sql, params, [&](const SqlRow& r) { out->push_back(ReadBid(r)); });
}

}  // namespace greenloop

namespace greenloop {

Status SqlStore::ListHoldingLimits(std::vector<market::HoldingLimit>* out) {
  std::unique_ptr<Reader> db;
  GL_RETURN_IF_ERROR(Borrow(&db));
  out->clear();
  return (*db)->Exec(
      "SELECT instrument, account_id, max_quantity, set_by, set_at_us FROM market_holding_limits "
      "ORDER BY instrument, account_id",
      {}, [&](const SqlRow& r) { out->push_back({r.Text(0), r.Int(1), r.Int(2), r.Int(3), r.Int(4)}); });
}

}  // namespace greenloop
