// The exchange's negotiated and primary trading (exchange_service.h): block agreement trading
// (大宗协议交易) between two named enterprises and auctions (单向竞价) of a seller account's units.
// As for orders, every reservation is frozen in the ledger before the exchange records it, and
// every trade settles as one delivery-versus-payment entry in the same commit.
#include <nlohmann/json.hpp>

#include "core/assert.h"
#include "service/exchange_service.h"
#include "service/operations.h"

namespace greenloop {
namespace {

using market::Hold;
using market::Outcome;

}  // namespace

Status ExchangeService::TradingAccount(WriteContext& ctx, const Principal& principal, AccountId account_id,
                                       const Account** out) {
  const Account* account = ctx.ledger().FindAccount(account_id);
  if (account == nullptr) return Status::NotFound("account " + std::to_string(account_id) + " does not exist", "account_id");
  GL_RETURN_IF_ERROR(CheckMayMoveFrom(principal, *account));
  if (account->kind != AccountKind::kHolding) {
    return Status::Invalid("invalid_field", "trades are made from a holding account", "account_id");
  }
  if (account->status != AccountStatus::kOpen) {
    return Status::Refused(account->status == AccountStatus::kFrozen ? "account_frozen" : "account_closed",
                           "account " + std::to_string(account->id) + " is " + std::string(ToString(account->status)) +
                               " and cannot trade",
                           "account_id");
  }
  *out = account;
  return Status::OK();
}

// --- block agreement trading ------------------------------------------------------------------

Status ExchangeService::ProposeBlock(WriteContext& ctx, const Principal& principal, const BlockInput& input,
                                     market::BlockProposal* out) {
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kEnterprise}, "propose block trades"));
  GL_RETURN_IF_ERROR(RequireExchange(ctx));
  const Account* account = nullptr;
  GL_RETURN_IF_ERROR(TradingAccount(ctx, principal, input.account_id, &account));
  Organization counterparty;
  Status found = ctx.store().GetOrganization(input.counterparty_org_id, &counterparty);
  if (found.IsNotFound()) {
    return Status::NotFound("organization " + std::to_string(input.counterparty_org_id) + " does not exist",
                            "counterparty_org_id");
  }
  GL_RETURN_IF_ERROR(found);
  if (counterparty.kind != OrgKind::kEnterprise) {
    return Status::Invalid("invalid_field", "the counterparty of a block trade is an enterprise", "counterparty_org_id");
  }
  market::BlockRequest request;
  request.instrument = input.instrument;
  request.account_id = account->id;
  request.org_id = account->org_id;
  request.user_id = principal.user.id;
  request.side = input.side;
  request.counterparty_org_id = input.counterparty_org_id;
  request.price_fen = input.price_fen;
  request.quantity = input.quantity;
  request.expires_at_us = input.expires_at_us;
  request.memo = input.memo;
  Hold freeze;
  GL_RETURN_IF_ERROR(exchange_->CheckPropose(request, ctx.now(), &freeze));
  if (request.side == Side::kBuy) GL_RETURN_IF_ERROR(CheckPurchase(ctx, account->id, request.instrument, request.quantity));
  GL_RETURN_IF_ERROR(Freeze(ctx, principal.user.id, freeze, "a block proposal"));
  Outcome outcome = exchange_->ApplyPropose(request, ctx.now());
  PostOutcome(ctx, principal.user.id, outcome, true);
  *out = outcome.blocks.front();
  return Status::OK();
}

Status ExchangeService::AcceptBlock(WriteContext& ctx, const Principal& principal, std::int64_t block_id,
                                    AccountId account_id, market::BlockProposal* out, market::MarketTrade* trade) {
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kEnterprise}, "accept block trades"));
  GL_RETURN_IF_ERROR(RequireExchange(ctx));
  const Account* account = nullptr;
  GL_RETURN_IF_ERROR(TradingAccount(ctx, principal, account_id, &account));
  const market::BlockProposal* block = exchange_->FindOpenBlock(block_id);
  if (block != nullptr && block->counterparty_org_id == account->org_id) {
    const Account* proposer = ctx.ledger().FindAccount(block->proposer_account_id);
    GL_ASSERT(proposer != nullptr);  // an account whose status stops withdraws its proposals
    GL_ASSERT(proposer->status == AccountStatus::kOpen);
  }
  Hold freeze;
  GL_RETURN_IF_ERROR(exchange_->CheckAccept(block_id, account->org_id, account->id, ctx.now(), &freeze));
  if (block->side == Side::kSell) GL_RETURN_IF_ERROR(CheckPurchase(ctx, account->id, block->instrument, block->quantity));
  GL_RETURN_IF_ERROR(Freeze(ctx, principal.user.id, freeze, "accepting block " + std::to_string(block_id)));
  Outcome outcome = exchange_->ApplyAccept(block_id, account->org_id, account->id, principal.user.id, ctx.now());
  PostOutcome(ctx, principal.user.id, outcome, true);
  *out = outcome.blocks.front();
  *trade = ctx.market().trades.back();  // with the entry that settled it
  GL_ASSERT(trade->id == out->trade_id);
  return Status::OK();
}

Status ExchangeService::DeclineBlock(WriteContext& ctx, const Principal& principal, std::int64_t block_id,
                                     bool as_proposer, market::BlockProposal* out) {
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kEnterprise}, as_proposer ? "withdraw block proposals"
                                                                             : "reject block proposals"));
  GL_RETURN_IF_ERROR(RequireExchange(ctx));
  const OrgId org = principal.org_id().value_or(0);
  const market::BlockProposal* block = exchange_->FindOpenBlock(block_id);
  const bool may = block != nullptr &&
                   (as_proposer ? block->proposer_org_id == org : block->counterparty_org_id == org);
  if (!may) {
    return Status::NotFound("block " + std::to_string(block_id) + " is not a pending proposal " +
                                (as_proposer ? "made by" : "made to") + " your organization",
                            "block_id");
  }
  GL_RETURN_IF_ERROR(exchange_->CheckDecline(block_id, org));
  Outcome outcome = exchange_->ApplyDecline(block_id, org, principal.user.id, ctx.now());
  PostOutcome(ctx, principal.user.id, outcome, true);
  *out = outcome.blocks.front();
  return Status::OK();
}

Status ExchangeService::CheckPurchase(WriteContext& ctx, AccountId account, const std::string& instrument,
                                      quantity_t adding) {
  const Holding* holding = ctx.ledger().FindHolding(account, instrument);
  return exchange_->CheckHoldingLimit(account, instrument, holding == nullptr ? 0 : holding->balance(), adding);
}

Status ExchangeService::SetHoldingLimit(WriteContext& ctx, const Principal& principal, const market::HoldingLimit& limit) {
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kExchange, Role::kRegulator}, "set holding limits"));
  GL_RETURN_IF_ERROR(RequireExchange(ctx));
  if (ctx.ledger().FindInstrument(limit.instrument) == nullptr) {
    return Status::NotFound("instrument " + limit.instrument + " does not exist", "instrument");
  }
  if (limit.account_id != 0) {
    const Account* account = ctx.ledger().FindAccount(limit.account_id);
    if (account == nullptr) {
      return Status::NotFound("account " + std::to_string(limit.account_id) + " does not exist", "account_id");
    }
    if (account->kind != AccountKind::kHolding) {
      return Status::Invalid("invalid_field", "holding limits apply to holding accounts", "account_id");
    }
  }
  market::HoldingLimit set = limit;
  set.set_by = principal.user.id;
  set.set_at_us = ctx.now();
  GL_RETURN_IF_ERROR(exchange_->CheckSetHoldingLimit(set));
  Outcome outcome = exchange_->ApplySetHoldingLimit(set);
  PostOutcome(ctx, principal.user.id, outcome, true);
  ctx.Audit(principal.user.id, "market.holding_limit", set.instrument,
            nlohmann::json{{"account_id", set.account_id}, {"max_quantity", set.max_quantity}}.dump());
  return Status::OK();
}

// --- auctions -------------------------------------------------------------------------------------

Status ExchangeService::CreateAuction(WriteContext& ctx, const Principal& principal, const AuctionInput& input,
                                      market::AuctionRecord* out) {
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kExchange, Role::kRegulator}, "announce auctions"));
  GL_RETURN_IF_ERROR(RequireExchange(ctx));
  const Instrument* instrument = ctx.ledger().FindInstrument(input.instrument);
  if (instrument == nullptr) return Status::NotFound("instrument " + input.instrument + " does not exist", "instrument");
  if (instrument->status != InstrumentStatus::kActive) {
    return Status::Refused("instrument_expired", input.instrument + " has expired and cannot be auctioned", "instrument");
  }
  const Account* seller = ctx.ledger().FindAccount(input.seller_account_id);
  if (seller == nullptr) {
    return Status::NotFound("account " + std::to_string(input.seller_account_id) + " does not exist",
                            "seller_account_id");
  }
  if (seller->kind != AccountKind::kReserve && seller->kind != AccountKind::kHolding) {
    return Status::Invalid("invalid_field", "an auction sells from a government reserve or a holding account",
                           "seller_account_id");
  }
  if (seller->status != AccountStatus::kOpen) {
    return Status::Refused(seller->status == AccountStatus::kFrozen ? "account_frozen" : "account_closed",
                           "seller account " + std::to_string(seller->id) + " is " +
                               std::string(ToString(seller->status)),
                           "seller_account_id");
  }
  market::AuctionRequest request;
  request.title = input.title;
  request.purpose = input.purpose;
  request.instrument = instrument->code;
  request.family = instrument->family;
  request.seller_account_id = seller->id;
  request.seller_org_id = seller->org_id;
  request.user_id = principal.user.id;
  AuctionRules& rules = request.rules;
  rules.supply = input.supply;
  rules.reserve_price_fen = input.reserve_price_fen;
  rules.tick_fen = input.tick_fen;
  rules.lot_size = input.lot;
  rules.min_quantity_per_bidder = input.min_bid_quantity;
  rules.max_quantity_per_bidder = input.max_bid_quantity;
  rules.opens_at_us = input.opens_at_us;
  rules.closes_at_us = input.closes_at_us;
  rules.pricing = input.pricing;
  Hold freeze;
  GL_RETURN_IF_ERROR(exchange_->CheckCreateAuction(request, ctx.now(), &freeze));
  Status frozen = Freeze(ctx, principal.user.id, freeze, "an auction's supply");
  if (frozen.code() == "insufficient_holding") {
    return frozen.Restated("seller account " + std::to_string(seller->id) + " does not hold " +
                               std::to_string(input.supply) + " " + input.instrument + " available: " + frozen.message(),
                           "supply");
  }
  GL_RETURN_IF_ERROR(frozen);
  Outcome outcome = exchange_->ApplyCreateAuction(request, ctx.now());
  PostOutcome(ctx, principal.user.id, outcome, true);
  *out = outcome.auctions.front();
  ctx.Audit(principal.user.id, "market.auction.create", std::to_string(out->id),
            nlohmann::json{{"instrument", out->instrument}, {"supply", out->rules.supply}}.dump());
  return Status::OK();
}

Status ExchangeService::PlaceBid(WriteContext& ctx, const Principal& principal, std::int64_t auction_id,
                                 AccountId account_id, std::int64_t price_fen, quantity_t quantity,
                                 market::BidRecord* out) {
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kEnterprise}, "bid in auctions"));
  GL_RETURN_IF_ERROR(RequireExchange(ctx));
  const Account* account = nullptr;
  GL_RETURN_IF_ERROR(TradingAccount(ctx, principal, account_id, &account));
  market::BidRequest request{auction_id, account->id, account->org_id, principal.user.id, price_fen, quantity};
  Hold freeze;
  GL_RETURN_IF_ERROR(exchange_->CheckBid(request, ctx.now(), &freeze));
  const market::BidRecord* live = exchange_->FindLiveBid(auction_id, account->org_id);
  GL_RETURN_IF_ERROR(CheckPurchase(ctx, account->id, exchange_->FindOpenAuction(auction_id)->instrument,
                                   quantity - (live == nullptr ? 0 : live->quantity)));
  if (freeze.amount > 0) {
    GL_RETURN_IF_ERROR(Freeze(ctx, principal.user.id, freeze, "a bid in auction " + std::to_string(auction_id)));
  }
  Outcome outcome = exchange_->ApplyBid(request, ctx.now());
  PostOutcome(ctx, principal.user.id, outcome, true);
  *out = outcome.bids.front();
  return Status::OK();
}

Status ExchangeService::WithdrawBid(WriteContext& ctx, const Principal& principal, std::int64_t auction_id,
                                    market::BidRecord* out) {
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kEnterprise}, "withdraw bids"));
  GL_RETURN_IF_ERROR(RequireExchange(ctx));
  const OrgId org = principal.org_id().value_or(0);
  GL_RETURN_IF_ERROR(exchange_->CheckWithdrawBid(auction_id, org, ctx.now()));
  Outcome outcome = exchange_->ApplyWithdrawBid(auction_id, org, ctx.now());
  PostOutcome(ctx, principal.user.id, outcome, true);
  *out = outcome.bids.front();
  return Status::OK();
}

Status ExchangeService::CloseAuction(WriteContext& ctx, const Principal& principal, std::int64_t auction_id,
                                     market::AuctionRecord* out) {
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kExchange, Role::kRegulator}, "clear auctions"));
  GL_RETURN_IF_ERROR(RequireExchange(ctx));
  GL_RETURN_IF_ERROR(exchange_->CheckCloseAuction(auction_id, ctx.now()));
  Outcome outcome = exchange_->ApplyCloseAuction(auction_id, ctx.now());
  PostOutcome(ctx, principal.user.id, outcome, true);
  *out = outcome.auctions.back();
  ctx.Audit(principal.user.id, "market.auction.close", std::to_string(auction_id),
            nlohmann::json{{"clearing_price_fen", out->clearing_price_fen}, {"sold", out->sold_quantity}}.dump());
  return Status::OK();
}

Status ExchangeService::CancelAuction(WriteContext& ctx, const Principal& principal, std::int64_t auction_id,
                                      market::AuctionRecord* out) {
  GL_RETURN_IF_ERROR(RequireRole(principal, {Role::kExchange, Role::kRegulator}, "cancel auctions"));
  GL_RETURN_IF_ERROR(RequireExchange(ctx));
  GL_RETURN_IF_ERROR(exchange_->CheckCancelAuction(auction_id));
  Outcome outcome = exchange_->ApplyCancelAuction(auction_id, ctx.now());
  PostOutcome(ctx, principal.user.id, outcome, true);
  *out = outcome.auctions.back();
  ctx.Audit(principal.user.id, "market.auction.cancel", std::to_string(auction_id), "{}");
  return Status::OK();
}

}  // namespace greenloop
