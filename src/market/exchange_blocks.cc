// Block agreement trading (大宗协议交易) on the exchange: proposals to a named counterparty,
// accepted (settled at once, delivery versus payment) or rejected, withdrawn or expired. The
// class comment in exchange.h gives the money rules; blocks pay the listing's fee per side.
#include <algorithm>
#include <limits>

#include "core/assert.h"
#include "market/exchange.h"

namespace greenloop::market {
namespace {

std::string Fen(std::int64_t fen) { return std::to_string(fen) + " fen"; }

}  // namespace

const BlockProposal* Exchange::FindOpenBlock(std::int64_t block_id) const {
  auto it = open_blocks_.find(block_id);
  return it == open_blocks_.end() ? nullptr : &it->second;
}

Status Exchange::CheckBlockWindow(const Market& market, time_us now_us) const {
  const Listing& listing = market.listing;
  if (listing.state == MarketState::kHalted) {
    return Status::Refused("market_halted", listing.instrument + " is halted by the exchange", "instrument");
  }
  if (listing.state != MarketState::kOpen) {
    return Status::Refused("market_not_open",
                           listing.instrument + " is " + std::string(ToString(listing.state)) +
                               "; block trades are made only while its market is open",
                           "instrument");
  }
  const SessionState session = SessionAt(market.rules, TradingMode::kBlock, now_us);
  if (session.local_date != listing.trading_day) {
    return Status::Refused("trading_day_not_open",
                           "the open trading day of " + listing.instrument + " is " + listing.trading_day + ", not " +
                               session.local_date,
                           "instrument");
  }
  if (!session.open) {
    return Status::Refused("outside_block_session",
                           "block trading of " + listing.instrument + " is closed now (" + session.reason +
                               "); block trades are made in the afternoon session, 13:00-15:00 local time",
                           "instrument");
  }
  return Status::OK();
}

Status Exchange::CheckPropose(const BlockRequest& request, time_us now_us, Hold* freeze) const {
  GL_ASSERT(freeze != nullptr);
  GL_ASSERT(request.account_id > 0 && request.org_id > 0);
  const Market* market = FindMarket(request.instrument);
  if (market == nullptr) return Status::NotFound(request.instrument + " is not listed for trading", "instrument");
  if (request.counterparty_org_id == request.org_id) {
    return Status::Invalid("block_to_self", "a block trade needs a counterparty other than your own organization",
                           "counterparty_org_id");
  }
  const FamilyTradingRules& rules = market->rules;
  if (request.quantity <= 0) return Status::Invalid("invalid_field", "quantity must be positive", "quantity");
  if (request.quantity % rules.lot != 0) {
    return Status::Invalid("quantity_off_lot", "quantity must be a multiple of the lot " + std::to_string(rules.lot),
                           "quantity");
  }
  if (rules.block_min_quantity <= 0) {
    return Status::Refused("block_trading_unavailable",
                           "family " + market->listing.family + " has no block agreement trading rules", "instrument");
  }
  if (request.quantity < rules.block_min_quantity) {
    return Status::Invalid("quantity_below_block_min",
                           "a block trade is at least " + std::to_string(rules.block_min_quantity) +
                               "; smaller trades go through the order book",
                           "quantity");
  }
  if (request.price_fen <= 0) return Status::Invalid("invalid_field", "price_fen must be positive", "price_fen");
  if (request.price_fen % rules.tick_fen != 0) {
    return Status::Invalid("price_off_tick", "price_fen must be a multiple of the tick " + Fen(rules.tick_fen),
                           "price_fen");
  }
  GL_RETURN_IF_ERROR(CheckBlockWindow(*market, now_us));
  Result<PriceBand> band = BandAround(market->listing.prev_close_fen, rules.block_band_percent, rules.tick_fen);
  if (!band.ok()) return band.status();
  if (request.price_fen < band.value().low_fen || request.price_fen > band.value().high_fen) {
    return Status::Invalid("price_outside_block_band",
                           "the block band of " + market->listing.trading_day + " is " + Fen(band.value().low_fen) +
                               " to " + Fen(band.value().high_fen) + " around the previous close " +
                               Fen(market->listing.prev_close_fen),
                           "price_fen");
  }
  if (request.expires_at_us != 0 && request.expires_at_us <= now_us) {
    return Status::Invalid("invalid_field", "expires_at must be in the future", "expires_at");
  }
  // Whichever side proposes, the buyer's reservation must fit: it bounds every amount of the trade.
  Result<std::int64_t> buy_reserve = ReservationFor(*market, Side::kBuy, request.price_fen, request.quantity);
  if (!buy_reserve.ok()) return buy_reserve.status();
  Result<std::int64_t> reserve = ReservationFor(*market, request.side, request.price_fen, request.quantity);
  GL_ASSERT(reserve.ok());
  // The seller receives price × quantity less its fee: positive, since the fee is at most 10 %.
  freeze->account_id = request.account_id;
  freeze->instrument = request.side == Side::kSell ? request.instrument : std::string(kCashInstrument);
  freeze->amount = reserve.value();
  return Status::OK();
}

Outcome Exchange::ApplyPropose(const BlockRequest& request, time_us now_us) {
  Hold freeze;
  GL_ASSERT(CheckPropose(request, now_us, &freeze).ok());
  const Market& market = *FindMarket(request.instrument);
  BlockProposal block;
  block.id = ++max_block_id_;
  block.instrument = request.instrument;
  block.trading_day = market.listing.trading_day;
  block.side = request.side;
  block.proposer_account_id = request.account_id;
  block.proposer_org_id = request.org_id;
  block.proposer_user_id = request.user_id;
  block.counterparty_org_id = request.counterparty_org_id;
  block.price_fen = request.price_fen;
  block.quantity = request.quantity;
  block.reserved_instrument = freeze.instrument;
  block.reserved = freeze.amount;
  block.expires_at_us = request.expires_at_us;
  block.memo = request.memo;
  block.created_at_us = now_us;
  block.updated_at_us = now_us;
  open_blocks_.emplace(block.id, block);
  Outcome out;
  out.order_id = block.id;
  out.blocks.push_back(block);
  return out;
}

Status Exchange::CheckAccept(std::int64_t block_id, OrgId org_id, AccountId account_id, time_us now_us,
                             Hold* freeze) const {
  GL_ASSERT(freeze != nullptr);
  const BlockProposal* block = FindOpenBlock(block_id);
  if (block == nullptr || block->counterparty_org_id != org_id) {
    return Status::NotFound("block " + std::to_string(block_id) +
                                " is not a proposal awaiting your organization's answer (never made, or already "
                                "accepted, rejected, withdrawn or expired)",
                            "block_id");
  }
  if (block->expires_at_us != 0 && now_us >= block->expires_at_us) {
    return Status::Refused("block_expired", "block " + std::to_string(block_id) + " expired before it was accepted",
                           "block_id");
  }
  const Market& market = *FindMarket(block->instrument);
  GL_RETURN_IF_ERROR(CheckBlockWindow(market, now_us));
  const Side side = block->side == Side::kBuy ? Side::kSell : Side::kBuy;
  Result<std::int64_t> reserve = ReservationFor(market, side, block->price_fen, block->quantity);
  GL_ASSERT(reserve.ok());  // the proposer's side of the same notional fitted
  freeze->account_id = account_id;
  freeze->instrument = side == Side::kSell ? block->instrument : std::string(kCashInstrument);
  freeze->amount = reserve.value();
  return Status::OK();
}

Outcome Exchange::ApplyAccept(std::int64_t block_id, OrgId org_id, AccountId account_id, UserId user_id,
                              time_us now_us) {
  Hold freeze;
  GL_ASSERT(CheckAccept(block_id, org_id, account_id, now_us, &freeze).ok());
  BlockProposal& block = open_blocks_.at(block_id);
  const Market& market = *FindMarket(block.instrument);
  const bool proposer_sells = block.side == Side::kSell;
  const AccountId seller = proposer_sells ? block.proposer_account_id : account_id;
  const AccountId buyer = proposer_sells ? account_id : block.proposer_account_id;
  const OrgId seller_org = proposer_sells ? block.proposer_org_id : org_id;
  const OrgId buyer_org = proposer_sells ? org_id : block.proposer_org_id;
  const std::int64_t buyer_frozen = proposer_sells ? freeze.amount : block.reserved;

  const std::int64_t notional = block.price_fen * block.quantity;  // fits: the buy reservation did
  const std::int64_t fee = TradeFeeFen(notional, market.listing.fee_bps).value();
  Settlement s;
  MarketTrade& t = s.trade;
  t.id = ++max_trade_id_;
  t.instrument = block.instrument;
  t.trading_day = block.trading_day;
  t.mode = "block";
  t.ref_id = block.id;
  t.buy_account_id = buyer;
  t.sell_account_id = seller;
  t.buy_org_id = buyer_org;
  t.sell_org_id = seller_org;
  t.aggressor = proposer_sells ? Side::kBuy : Side::kSell;  // the side that accepted
  t.price_fen = block.price_fen;
  t.quantity = block.quantity;
  t.buyer_fee_fen = fee;
  t.seller_fee_fen = fee;
  t.at_us = now_us;
  SettlementPostings(block.instrument, seller, buyer, block.quantity, buyer_frozen, notional + fee, notional - fee,
                     2 * fee, DeliveryBucket(market.rules), &s.postings);

  block.counterparty_account_id = account_id;
  block.responder_user_id = user_id;
  block.reserved = 0;
  block.status = BlockStatus::kAccepted;
  block.trade_id = t.id;
  block.updated_at_us = now_us;
  Outcome out;
  out.order_id = block.id;
  out.settlements.push_back(std::move(s));
  out.blocks.push_back(block);
  open_blocks_.erase(block_id);
  return out;
}

Status Exchange::CheckDecline(std::int64_t block_id, OrgId org_id) const {
  const BlockProposal* block = FindOpenBlock(block_id);
  if (block == nullptr || (block->counterparty_org_id != org_id && block->proposer_org_id != org_id)) {
    return Status::NotFound("block " + std::to_string(block_id) + " is not a pending proposal of your organization",
                            "block_id");
  }
  return Status::OK();
}

void Exchange::EndBlock(BlockProposal& block, BlockStatus status, UserId user_id, time_us now_us, Outcome* out) {
  GL_ASSERT(block.status == BlockStatus::kProposed && status != BlockStatus::kProposed);
  GL_ASSERT(block.reserved > 0);
  out->releases.push_back(Hold{block.proposer_account_id, block.reserved_instrument, -block.reserved});
  block.reserved = 0;
  block.status = status;
  block.responder_user_id = user_id;
  block.updated_at_us = now_us;
  out->blocks.push_back(block);
  open_blocks_.erase(block.id);  // `block` dangles from here on
}

Outcome Exchange::ApplyDecline(std::int64_t block_id, OrgId org_id, UserId user_id, time_us now_us) {
  GL_ASSERT(CheckDecline(block_id, org_id).ok());
  BlockProposal& block = open_blocks_.at(block_id);
  const BlockStatus status = block.proposer_org_id == org_id ? BlockStatus::kWithdrawn : BlockStatus::kRejected;
  Outcome out;
  out.order_id = block_id;
  EndBlock(block, status, user_id, now_us, &out);
  return out;
}

}  // namespace greenloop::market
