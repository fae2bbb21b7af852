// The exchange's negotiated and primary trading routes (docs/api.md, "Block trades" and
// "Auctions"): block agreement proposals between two named enterprises, and auctions of a seller
// account's units with sealed bids. Mutations run as jobs under the Idempotency-Key.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/time.h"
#include "http/api.h"
#include "http/market_json.h"
#include "http/request_body.h"
#include "service/operations.h"

namespace greenloop {
namespace {

using market::AuctionRecord;
using market::BidRecord;
using market::BlockProposal;
using market_json::EmptyBody;
using market_json::IdParam;
using market_json::LimitParam;
using market_json::SeesAllOrders;
using market_json::TradeJson;
using nlohmann::json;

json OptionalTime(time_us t) { return t == 0 ? json() : json(FormatTimestamp(t)); }
json OptionalId(std::int64_t id) { return id == 0 ? json() : json(id); }

json BlockJson(const BlockProposal& b) {
  return {{"id", b.id},
          {"instrument", b.instrument},
          {"trading_day", b.trading_day},
          {"side", market::ToString(b.side)},
          {"price_fen", b.price_fen},
          {"quantity", b.quantity},
          {"notional_fen", b.price_fen * b.quantity},
          {"proposer", {{"org_id", b.proposer_org_id}, {"account_id", b.proposer_account_id}}},
          {"counterparty", {{"org_id", b.counterparty_org_id}, {"account_id", OptionalId(b.counterparty_account_id)}}},
          {"reserved", {{"instrument", b.reserved_instrument}, {"amount", b.reserved}}},
          {"status", market::ToString(b.status)},
          {"expires_at", OptionalTime(b.expires_at_us)},
          {"memo", b.memo.empty() ? json() : json(b.memo)},
          {"trade_id", OptionalId(b.trade_id)},
          {"created_at", FormatTimestamp(b.created_at_us)},
          {"updated_at", FormatTimestamp(b.updated_at_us)}};
}

// open splits by the clock: before the window, during it, and after it until cleared.
std::string AuctionPhase(const AuctionRecord& a, time_us now_us) {
  if (a.status != market::AuctionStatus::kOpen) return std::string(market::ToString(a.status));
  if (now_us < a.rules.opens_at_us) return "upcoming";
  if (now_us < a.rules.closes_at_us) return "bidding";
  return "awaiting_clearing";
}

json AuctionJson(const AuctionRecord& a, time_us now_us) {
  json out = {{"id", a.id},
              {"title", a.title},
              {"purpose", market::ToString(a.purpose)},
              {"instrument", a.instrument},
              {"seller", {{"org_id", a.seller_org_id}, {"account_id", a.seller_account_id}}},
              {"supply", a.rules.supply},
              {"reserve_price_fen", a.rules.reserve_price_fen},
              {"tick_fen", a.rules.tick_fen},
              {"lot", a.rules.lot_size},
              {"min_bid_quantity", a.rules.min_quantity_per_bidder},
              {"max_bid_quantity", a.rules.max_quantity_per_bidder},
              {"opens_at", FormatTimestamp(a.rules.opens_at_us)},
              {"closes_at", FormatTimestamp(a.rules.closes_at_us)},
              {"pricing", market::ToString(a.rules.pricing)},
              {"status", AuctionPhase(a, now_us)},
              {"bid_count", a.bid_count},
              {"result", json()},
              {"created_at", FormatTimestamp(a.created_at_us)},
              {"updated_at", FormatTimestamp(a.updated_at_us)}};
  if (a.status == market::AuctionStatus::kCleared) {
    out["result"] = {{"clearing_price_fen", a.clearing_price_fen},
                     {"sold_quantity", a.sold_quantity},
                     {"unsold_quantity", a.unsold_quantity},
                     {"total_amount_fen", a.total_amount_fen},
                     {"winner_count", a.winner_count},
                     {"cleared_at", FormatTimestamp(a.cleared_at_us)}};
  }
  return out;
}

json BidJson(const BidRecord& b) {
  return {{"auction_id", b.auction_id},
          {"account_id", b.account_id},
          {"org_id", b.org_id},
          {"price_fen", b.price_fen},
          {"quantity", b.quantity},
          {"reserved_fen", b.reserved_fen},
          {"status", market::ToString(b.status)},
          {"awarded_quantity", b.awarded_quantity},
          {"price_paid_fen", b.price_paid_fen},
          {"amount_fen", b.amount_fen},
          {"at_margin", b.at_margin},
          {"trade_id", OptionalId(b.trade_id)},
          {"updated_at", FormatTimestamp(b.updated_at_us)}};
}

Status OptionalTimeField(const RequestBody& body, const char* key, time_us* out) {
  std::optional<std::string> text;
  GL_RETURN_IF_ERROR(body.OptionalString(key, &text, 40));
  if (!text) return Status::OK();
  std::optional<time_us> parsed = ParseTimestamp(*text);
  if (!parsed) return Status::Invalid("invalid_field", std::string(key) + " must be an RFC 3339 time", key);
  *out = *parsed;
  return Status::OK();
}

Status TimeField(const RequestBody& body, const char* key, time_us* out) {
  std::string text;
  GL_RETURN_IF_ERROR(body.String(key, &text, 40));
  std::optional<time_us> parsed = ParseTimestamp(text);
  if (!parsed) return Status::Invalid("invalid_field", std::string(key) + " must be an RFC 3339 time", key);
  *out = *parsed;
  return Status::OK();
}

Status BlockBody(const RequestBody& body, BlockInput* in) {
  GL_RETURN_IF_ERROR(body.OnlyFields(
      {"instrument", "account_id", "side", "counterparty_org_id", "price_fen", "quantity", "expires_at", "memo"}));
  GL_RETURN_IF_ERROR(body.String("instrument", &in->instrument, 40));
  GL_RETURN_IF_ERROR(body.Integer("account_id", &in->account_id));
  std::string side;
  GL_RETURN_IF_ERROR(body.String("side", &side, 8));
  std::optional<Side> parsed = market::ParseSide(side);
  if (!parsed) return Status::Invalid("invalid_field", "side must be buy or sell", "side");
  in->side = *parsed;
  GL_RETURN_IF_ERROR(body.Integer("counterparty_org_id", &in->counterparty_org_id));
  GL_RETURN_IF_ERROR(body.Integer("price_fen", &in->price_fen));
  GL_RETURN_IF_ERROR(body.Integer("quantity", &in->quantity));
  GL_RETURN_IF_ERROR(OptionalTimeField(body, "expires_at", &in->expires_at_us));
  std::optional<std::string> memo;
  GL_RETURN_IF_ERROR(body.OptionalString("memo", &memo, 200));
  in->memo = memo.value_or("");
  return Status::OK();
}

Status AuctionBody(const RequestBody& body, AuctionInput* in) {
  GL_RETURN_IF_ERROR(body.OnlyFields({"title", "purpose", "instrument", "seller_account_id", "supply",
                                      "reserve_price_fen", "opens_at", "closes_at", "pricing", "min_bid_quantity",
                                      "max_bid_quantity", "tick_fen", "lot"}));
  GL_RETURN_IF_ERROR(body.String("title", &in->title, 200));
  if (in->title.empty()) return Status::Invalid("invalid_field", "title must not be empty", "title");
  std::string purpose;
  GL_RETURN_IF_ERROR(body.String("purpose", &purpose, 20));
  std::optional<market::AuctionPurpose> parsed_purpose = market::ParseAuctionPurpose(purpose);
  if (!parsed_purpose) {
    return Status::Invalid("invalid_field", "purpose must be paid_allocation or reserve_sale", "purpose");
  }
  in->purpose = *parsed_purpose;
  GL_RETURN_IF_ERROR(body.String("instrument", &in->instrument, 40));
  GL_RETURN_IF_ERROR(body.Integer("seller_account_id", &in->seller_account_id));
  GL_RETURN_IF_ERROR(body.Integer("supply", &in->supply));
  GL_RETURN_IF_ERROR(body.Integer("reserve_price_fen", &in->reserve_price_fen));
  GL_RETURN_IF_ERROR(TimeField(body, "opens_at", &in->opens_at_us));
  GL_RETURN_IF_ERROR(TimeField(body, "closes_at", &in->closes_at_us));
  std::optional<std::string> pricing;
  GL_RETURN_IF_ERROR(body.OptionalString("pricing", &pricing, 20));
  if (pricing) {
    std::optional<AuctionPricing> parsed = market::ParseAuctionPricing(*pricing);
    if (!parsed) return Status::Invalid("invalid_field", "pricing must be uniform or pay_as_bid", "pricing");
    in->pricing = *parsed;
  }
  std::optional<std::int64_t> value;
  GL_RETURN_IF_ERROR(body.OptionalInteger("min_bid_quantity", &value));
  in->min_bid_quantity = value.value_or(0);
  value.reset();
  GL_RETURN_IF_ERROR(body.OptionalInteger("max_bid_quantity", &value));
  in->max_bid_quantity = value.value_or(0);
  value.reset();
  GL_RETURN_IF_ERROR(body.OptionalInteger("tick_fen", &value));
  if (value && *value <= 0) return Status::Invalid("invalid_field", "tick_fen must be positive", "tick_fen");
  in->tick_fen = value.value_or(0);
  value.reset();
  GL_RETURN_IF_ERROR(body.OptionalInteger("lot", &value));
  if (value && *value <= 0) return Status::Invalid("invalid_field", "lot must be positive", "lot");
  in->lot = value.value_or(0);
  return Status::OK();
}

bool SeesBlock(const Principal& p, const BlockProposal& b) {
  if (SeesAllOrders(p)) return true;
  const OrgId org = p.org_id().value_or(0);
  return org != 0 && (b.proposer_org_id == org || b.counterparty_org_id == org);
}

}  // namespace

void Api::RegisterNegotiatedRoutes() {
  const std::string v1 = "/api/v1";

  // --- block agreement trading ----------------------------------------------------------------

  Add("POST", v1 + "/market/blocks",
      "Propose a block trade (大宗协议) to a named enterprise: {instrument, account_id, side, counterparty_org_id, "
      "price_fen, quantity, expires_at?, memo?}; the proposer's side is frozen (enterprise)",
      [this](const HttpRequest& r, const Params&) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        RequestBody body;
        if (st.ok()) st = RequestBody::Parse(r.body, &body);
        BlockInput input;
        if (st.ok()) st = BlockBody(body, &input);
        if (!st.ok()) return ErrorResponse(st);
        return RunJob(r, principal, CanonicalJson(body.json()), [=, this](WriteContext& ctx) {
          BlockProposal block;
          Status s = exchange_->ProposeBlock(ctx, principal, input, &block);
          if (!s.ok()) return ErrorReply(s);
          return Reply{201, BlockJson(block).dump()};
        });
      });

  Add("GET", v1 + "/market/blocks",
      "Block proposals, newest first: an enterprise's own (made or received); the regulator and the exchange all. "
      "Filters instrument, status; cursor before, limit",
      [this](const HttpRequest& r, const Params&) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        market::BlockFilter filter;
        if (st.ok()) st = LimitParam(r, &filter.limit, &filter.before_id);
        if (const std::string* text = r.Query("instrument")) filter.instrument = *text;
        if (const std::string* text = r.Query("status"); st.ok() && text) {
          filter.status = market::ParseBlockStatus(*text);
          if (!filter.status) {
            st = Status::Invalid("invalid_field", "status must be proposed, accepted, rejected, withdrawn or expired",
                                 "status");
          }
        }
        if (st.ok() && !SeesAllOrders(principal)) {
          if (principal.role() == Role::kEnterprise && principal.org_id()) {
            filter.org_id = *principal.org_id();
          } else {
            st = Status::Forbidden("role '" + std::string(ToString(principal.role())) + "' does not see block trades");
          }
        }
        std::vector<BlockProposal> blocks;
        if (st.ok()) st = service_->store().ListBlocks(filter, &blocks);
        if (!st.ok()) return ErrorResponse(st);
        json items = json::array();
        for (const BlockProposal& b : blocks) items.push_back(BlockJson(b));
        json out = {{"items", items}};
        if (static_cast<int>(blocks.size()) == filter.limit) out["next_before"] = blocks.back().id;
        return JsonResponse(200, out);
      });

  Add("GET", v1 + "/market/blocks/{id}", "One block proposal (its two organizations, the regulator, the exchange)",
      [this](const HttpRequest& r, const Params& p) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        std::int64_t id = 0;
        if (st.ok()) st = IdParam(p[0], "id", &id);
        BlockProposal block;
        if (st.ok()) st = service_->store().GetBlock(id, &block);
        if (st.ok() && !SeesBlock(principal, block)) {
          st = Status::NotFound("block " + p[0] + " is not a proposal of your organization", "id");
        }
        if (!st.ok()) return ErrorResponse(st);
        return JsonResponse(200, BlockJson(block));
      });

  Add("POST", v1 + "/market/blocks/{id}/accept",
      "Accept a block proposal made to one's organization from one's holding account: {account_id}; the trade settles "
      "at once (enterprise)",
      [this](const HttpRequest& r, const Params& p) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        std::int64_t id = 0;
        if (st.ok()) st = IdParam(p[0], "id", &id);
        RequestBody body;
        if (st.ok()) st = RequestBody::Parse(r.body, &body);
        if (st.ok()) st = body.OnlyFields({"account_id"});
        std::int64_t account = 0;
        if (st.ok()) st = body.Integer("account_id", &account);
        if (!st.ok()) return ErrorResponse(st);
        return RunJob(r, principal, CanonicalJson(body.json()), [=, this](WriteContext& ctx) {
          BlockProposal block;
          market::MarketTrade trade;
          Status s = exchange_->AcceptBlock(ctx, principal, id, account, &block, &trade);
          if (!s.ok()) return ErrorReply(s);
          return Reply{200, json{{"block", BlockJson(block)}, {"trade", TradeJson(trade, principal)}}.dump()};
        });
      });

  for (const bool as_proposer : {false, true}) {
    Add("POST", v1 + "/market/blocks/{id}/" + (as_proposer ? "withdraw" : "reject"),
        as_proposer ? "Withdraw a pending block proposal one's organization made; its reservation is released"
                    : "Reject a block proposal made to one's organization; the proposer's reservation is released",
        [this, as_proposer](const HttpRequest& r, const Params& p) {
          Principal principal;
          Status st = Authenticate(r, &principal);
          std::int64_t id = 0;
          if (st.ok()) st = IdParam(p[0], "id", &id);
          RequestBody body;
          if (st.ok()) st = EmptyBody(r, &body);
          if (!st.ok()) return ErrorResponse(st);
          return RunJob(r, principal, CanonicalJson(body.json()), [=, this](WriteContext& ctx) {
            BlockProposal block;
            Status s = exchange_->DeclineBlock(ctx, principal, id, as_proposer, &block);
            if (!s.ok()) return ErrorReply(s);
            return Reply{200, json{{"block", BlockJson(block)}}.dump()};
          });
        });
  }

  // --- holding limits -----------------------------------------------------------------------------

  Add("POST", v1 + "/market/holding-limits",
      "Set a holding limit (最大持仓量): {instrument, account_id? (absent: every holding account), max_quantity} "
      "(0 removes it); purchases that would exceed it are refused (exchange, regulator)",
      [this](const HttpRequest& r, const Params&) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        RequestBody body;
        if (st.ok()) st = RequestBody::Parse(r.body, &body);
        if (st.ok()) st = body.OnlyFields({"instrument", "account_id", "max_quantity"});
        market::HoldingLimit limit;
        std::optional<std::int64_t> account;
        if (st.ok()) st = body.String("instrument", &limit.instrument, 40);
        if (st.ok()) st = body.OptionalInteger("account_id", &account);
        if (st.ok() && account && *account <= 0) st = Status::Invalid("invalid_field", "account_id must be positive", "account_id");
        if (st.ok()) st = body.Integer("max_quantity", &limit.max_quantity);
        if (!st.ok()) return ErrorResponse(st);
        limit.account_id = account.value_or(0);
        return RunJob(r, principal, CanonicalJson(body.json()), [=, this](WriteContext& ctx) {
          Status s = exchange_->SetHoldingLimit(ctx, principal, limit);
          if (!s.ok()) return ErrorReply(s);
          return Reply{200, json{{"instrument", limit.instrument},
                                 {"account_id", OptionalId(limit.account_id)},
                                 {"max_quantity", limit.max_quantity == 0 ? json() : json(limit.max_quantity)}}
                                .dump()};
        });
      });

  Add("GET", v1 + "/market/holding-limits",
      "Holding limits: the regulator and the exchange see all; an enterprise the defaults and its own accounts'",
      [this](const HttpRequest& r, const Params&) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        std::vector<market::HoldingLimit> limits;
        if (st.ok()) st = service_->store().ListHoldingLimits(&limits);
        std::vector<Account> own;
        if (st.ok() && !SeesAllOrders(principal)) {
          if (principal.role() != Role::kEnterprise || !principal.org_id()) {
            st = Status::Forbidden("role '" + std::string(ToString(principal.role())) + "' does not see holding limits");
          } else {
            AccountFilter filter;
            filter.org_id = *principal.org_id();
            st = service_->store().ListAccounts(filter, &own);
          }
        }
        if (!st.ok()) return ErrorResponse(st);
        json items = json::array();
        for (const market::HoldingLimit& l : limits) {
          const bool visible = SeesAllOrders(principal) || l.account_id == 0 ||
                               std::any_of(own.begin(), own.end(), [&](const Account& a) { return a.id == l.account_id; });
          if (!visible) continue;
          items.push_back({{"instrument", l.instrument},
                           {"account_id", OptionalId(l.account_id)},
                           {"max_quantity", l.max_quantity},
                           {"set_at", FormatTimestamp(l.set_at_us)}});
        }
        return JsonResponse(200, {{"items", items}});
      });

  // --- auctions -------------------------------------------------------------------------------------

  Add("POST", v1 + "/market/auctions",
      "Announce an auction (单向竞价) of a seller account's units: {title, purpose, instrument, seller_account_id, supply, "
      "reserve_price_fen, opens_at, closes_at, pricing?, min_bid_quantity?, max_bid_quantity?, tick_fen?, lot?}; the "
      "supply is frozen (exchange, regulator)",
      [this](const HttpRequest& r, const Params&) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        RequestBody body;
        if (st.ok()) st = RequestBody::Parse(r.body, &body);
        AuctionInput input;
        if (st.ok()) st = AuctionBody(body, &input);
        if (!st.ok()) return ErrorResponse(st);
        return RunJob(r, principal, CanonicalJson(body.json()), [=, this](WriteContext& ctx) {
          AuctionRecord auction;
          Status s = exchange_->CreateAuction(ctx, principal, input, &auction);
          if (!s.ok()) return ErrorReply(s);
          return Reply{201, AuctionJson(auction, ctx.now()).dump()};
        });
      });

  Add("GET", v1 + "/market/auctions", "Auctions, newest first (every signed-in user); filter status open|cleared|cancelled",
      [this](const HttpRequest& r, const Params&) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        std::optional<market::AuctionStatus> status;
        if (const std::string* text = r.Query("status"); st.ok() && text) {
          status = market::ParseAuctionStatus(*text);
          if (!status) st = Status::Invalid("invalid_field", "status must be open, cleared or cancelled", "status");
        }
        std::vector<AuctionRecord> auctions;
        if (st.ok()) st = service_->store().ListAuctions(status, 200, &auctions);
        if (!st.ok()) return ErrorResponse(st);
        const time_us now = service_->clock().NowMicros();
        json items = json::array();
        for (const AuctionRecord& a : auctions) items.push_back(AuctionJson(a, now));
        return JsonResponse(200, {{"items", items}});
      });

  Add("GET", v1 + "/market/auctions/{id}", "One auction's announcement and result; an enterprise also sees its own bid",
      [this](const HttpRequest& r, const Params& p) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        std::int64_t id = 0;
        if (st.ok()) st = IdParam(p[0], "id", &id);
        AuctionRecord auction;
        if (st.ok()) st = service_->store().GetAuction(id, &auction);
        std::vector<BidRecord> mine;
        const bool bidder = principal.role() == Role::kEnterprise && principal.org_id();
        if (st.ok() && bidder) st = service_->store().ListBids(id, *principal.org_id(), &mine);
        if (!st.ok()) return ErrorResponse(st);
        json out = AuctionJson(auction, service_->clock().NowMicros());
        if (bidder) out["my_bid"] = mine.empty() ? json() : BidJson(mine.front());
        return JsonResponse(200, out);
      });

  Add("GET", v1 + "/market/auctions/{id}/bids",
      "An auction's bids: an enterprise its own; the regulator and the exchange every bid and award once cleared "
      "(sealed before)",
      [this](const HttpRequest& r, const Params& p) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        std::int64_t id = 0;
        if (st.ok()) st = IdParam(p[0], "id", &id);
        AuctionRecord auction;
        if (st.ok()) st = service_->store().GetAuction(id, &auction);
        std::optional<OrgId> org;
        if (st.ok()) {
          if (SeesAllOrders(principal)) {
            if (auction.status == market::AuctionStatus::kOpen) {
              st = Status::Conflict("auction_sealed", "the bids of auction " + p[0] + " are sealed until it is cleared");
            }
          } else if (principal.role() == Role::kEnterprise && principal.org_id()) {
            org = *principal.org_id();
          } else {
            st = Status::Forbidden("role '" + std::string(ToString(principal.role())) + "' does not see bids");
          }
        }
        std::vector<BidRecord> bids;
        if (st.ok()) st = service_->store().ListBids(id, org, &bids);
        if (!st.ok()) return ErrorResponse(st);
        json items = json::array();
        for (const BidRecord& b : bids) items.push_back(BidJson(b));
        return JsonResponse(200, {{"auction_id", id}, {"items", items}});
      });

  Add("POST", v1 + "/market/auctions/{id}/bids",
      "Place or replace one's organization's sealed bid: {account_id, price_fen, quantity}; price × quantity is frozen "
      "(enterprise)",
      [this](const HttpRequest& r, const Params& p) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        std::int64_t id = 0;
        if (st.ok()) st = IdParam(p[0], "id", &id);
        RequestBody body;
        if (st.ok()) st = RequestBody::Parse(r.body, &body);
        if (st.ok()) st = body.OnlyFields({"account_id", "price_fen", "quantity"});
        std::int64_t account = 0, price = 0, quantity = 0;
        if (st.ok()) st = body.Integer("account_id", &account);
        if (st.ok()) st = body.Integer("price_fen", &price);
        if (st.ok()) st = body.Integer("quantity", &quantity);
        if (!st.ok()) return ErrorResponse(st);
        return RunJob(r, principal, CanonicalJson(body.json()), [=, this](WriteContext& ctx) {
          BidRecord bid;
          Status s = exchange_->PlaceBid(ctx, principal, id, account, price, quantity, &bid);
          if (!s.ok()) return ErrorReply(s);
          return Reply{200, BidJson(bid).dump()};
        });
      });

  Add("POST", v1 + "/market/auctions/{id}/bids/withdraw",
      "Withdraw one's organization's bid before the window closes; its reservation is released (enterprise)",
      [this](const HttpRequest& r, const Params& p) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        std::int64_t id = 0;
        if (st.ok()) st = IdParam(p[0], "id", &id);
        RequestBody body;
        if (st.ok()) st = EmptyBody(r, &body);
        if (!st.ok()) return ErrorResponse(st);
        return RunJob(r, principal, CanonicalJson(body.json()), [=, this](WriteContext& ctx) {
          BidRecord bid;
          Status s = exchange_->WithdrawBid(ctx, principal, id, &bid);
          if (!s.ok()) return ErrorReply(s);
          return Reply{200, BidJson(bid).dump()};
        });
      });

  for (const bool cancel : {false, true}) {
    Add("POST", v1 + "/market/auctions/{id}/" + (cancel ? "cancel" : "close"),
        cancel ? "Cancel an auction before it is cleared: every bid and the supply are released (exchange, regulator)"
               : "Clear an auction after its window: awards settle, losing bids and unsold units are released "
                 "(exchange, regulator)",
        [this, cancel](const HttpRequest& r, const Params& p) {
          Principal principal;
          Status st = Authenticate(r, &principal);
          std::int64_t id = 0;
          if (st.ok()) st = IdParam(p[0], "id", &id);
          RequestBody body;
          if (st.ok()) st = EmptyBody(r, &body);
          if (!st.ok()) return ErrorResponse(st);
          return RunJob(r, principal, CanonicalJson(body.json()), [=, this](WriteContext& ctx) {
            AuctionRecord auction;
            Status s = cancel ? exchange_->CancelAuction(ctx, principal, id, &auction)
                              : exchange_->CloseAuction(ctx, principal, id, &auction);
            if (!s.ok()) return ErrorReply(s);
            return Reply{200, AuctionJson(auction, ctx.now()).dump()};
          });
        });
  }
}

}  // namespace greenloop
