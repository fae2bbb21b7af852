// Auctions (单向竞价) on the exchange: a seller account's units offered for sealed bids, for paid
// initial allocation (有偿分配) or sales from the government reserve. The supply is frozen in the
// seller account when the auction is announced, each bid's price × quantity in the bidder's
// account when it is placed; clearing (market/auction.h decides the awards) settles every award as
// one delivery-versus-payment entry and releases the losing bids and the unsold units. Auctions
// charge no commission [U: the sources give none for primary allocation].
#include <algorithm>

#include "core/assert.h"
#include "market/exchange.h"

namespace greenloop::market {
namespace {

constexpr time_us kMaxAuctionWindowUs = time_us{31} * 24 * 3600 * 1'000'000;

// The request field an AuctionRulesProblem ("field: why") is about.
std::string RequestFieldOf(const std::string& problem) {
  const std::string field = problem.substr(0, problem.find(':'));
  if (field == "lot_size") return "lot";
  if (field == "min_quantity_per_bidder") return "min_bid_quantity";
  if (field == "max_quantity_per_bidder") return "max_bid_quantity";
  if (field == "closes_at_us") return "closes_at";
  return field;
}

std::string BidFieldOf(AuctionCode code) {
  switch (code) {
    case AuctionCode::kQuantityNotPositive:
    case AuctionCode::kQuantityOffLot:
    case AuctionCode::kQuantityBelowMin:
    case AuctionCode::kQuantityAboveMax:
    case AuctionCode::kQuantityAboveSupply: return "quantity";
    case AuctionCode::kPriceNotPositive:
    case AuctionCode::kPriceOffTick:
    case AuctionCode::kPriceBelowReserve:
    case AuctionCode::kPriceTooHigh: return "price_fen";
    default: return "auction_id";
  }
}

Status BidRefusal(AuctionCode code, const AuctionRules& rules) {
  GL_ASSERT(code != AuctionCode::kOk);
  std::string message(AuctionCodeMessage(code));
  const std::string name(AuctionCodeName(code));
  switch (code) {
    case AuctionCode::kAuctionNotOpen:
    case AuctionCode::kAuctionClosed:
    case AuctionCode::kAuctionFull: return Status::Refused(name, message, "auction_id");
    case AuctionCode::kQuantityOffLot: message += " (lot " + std::to_string(rules.lot_size) + ")"; break;
    case AuctionCode::kQuantityBelowMin: message += " (" + std::to_string(rules.min_quantity_per_bidder) + ")"; break;
    case AuctionCode::kQuantityAboveMax: message += " (" + std::to_string(rules.max_quantity_per_bidder) + ")"; break;
    case AuctionCode::kQuantityAboveSupply: message += " (" + std::to_string(rules.supply) + ")"; break;
    case AuctionCode::kPriceOffTick: message += " (tick " + std::to_string(rules.tick_fen) + " fen)"; break;
    case AuctionCode::kPriceBelowReserve: message += " (" + std::to_string(rules.reserve_price_fen) + " fen)"; break;
    default: break;
  }
  return Status::Invalid(name, message, BidFieldOf(code));
}

}  // namespace

std::unique_ptr<Auction> Exchange::NewEngine(const AuctionRules& rules) { return std::make_unique<Auction>(rules); }

const AuctionRecord* Exchange::FindOpenAuction(std::int64_t auction_id) const {
  auto it = open_auctions_.find(auction_id);
  return it == open_auctions_.end() ? nullptr : &it->second.record;
}

const BidRecord* Exchange::FindLiveBid(std::int64_t auction_id, OrgId org_id) const {
  auto it = open_auctions_.find(auction_id);
  if (it == open_auctions_.end()) return nullptr;
  auto bid = it->second.bids.find(org_id);
  return bid == it->second.bids.end() ? nullptr : &bid->second;
}

Status Exchange::CheckCreateAuction(AuctionRequest& request, time_us now_us, Hold* freeze) const {
  GL_ASSERT(freeze != nullptr);
  GL_ASSERT(request.seller_account_id > 0 && request.seller_org_id > 0);
  if (request.instrument == kCashInstrument) {
    return Status::Invalid("invalid_field", "CNY is the settlement currency, not an auctioned instrument", "instrument");
  }
  AuctionRules& rules = request.rules;
  if (rules.tick_fen == 0 || rules.lot_size == 0) {
    Result<FamilyTradingRules> family = rules_(request.family);
    if (!family.ok()) {
      return Status::Invalid("invalid_field",
                             "family " + request.family + " has no trading rules: give tick_fen and lot explicitly",
                             rules.tick_fen == 0 ? "tick_fen" : "lot");
    }
    if (rules.tick_fen == 0) rules.tick_fen = family.value().tick_fen;
    if (rules.lot_size == 0) rules.lot_size = family.value().lot;
  }
  const std::string problem = AuctionRulesProblem(rules);
  if (!problem.empty()) {
    // The engine names its own fields ("closes_at_us: not after opens_at_us"); say it in the request's.
    const std::string field = RequestFieldOf(problem);
    std::string why = problem.substr(problem.find(':'));
    if (const std::size_t at = why.find("opens_at_us"); at != std::string::npos) why.replace(at, 11, "opens_at");
    if (const std::size_t at = why.find("min_quantity_per_bidder"); at != std::string::npos) {
      why.replace(at, 23, "min_bid_quantity");
    }
    return Status::Invalid("invalid_field", field + why, field);
  }
  if (rules.closes_at_us <= now_us) return Status::Invalid("invalid_field", "closes_at must be in the future", "closes_at");
  if (rules.closes_at_us - rules.opens_at_us > kMaxAuctionWindowUs) {
    return Status::Invalid("invalid_field", "a bidding window is at most 31 days", "closes_at");
  }
  freeze->account_id = request.seller_account_id;
  freeze->instrument = request.instrument;
  freeze->amount = rules.supply;
  return Status::OK();
}

Outcome Exchange::ApplyCreateAuction(const AuctionRequest& request, time_us now_us) {
  GL_ASSERT(request.rules.tick_fen > 0 && request.rules.lot_size > 0);
  GL_ASSERT(AuctionRulesProblem(request.rules).empty());
  OpenAuction open;
  AuctionRecord& a = open.record;
  a.id = ++max_auction_id_;
  a.title = request.title;
  a.purpose = request.purpose;
  a.instrument = request.instrument;
  a.seller_account_id = request.seller_account_id;
  a.seller_org_id = request.seller_org_id;
  a.created_by = request.user_id;
  a.rules = request.rules;
  a.reserved = request.rules.supply;
  a.created_at_us = now_us;
  a.updated_at_us = now_us;
  open.engine = NewEngine(a.rules);
  Outcome out;
  out.order_id = a.id;
  out.auctions.push_back(a);
  open_auctions_.emplace(a.id, std::move(open));
  return out;
}

Status Exchange::CheckBid(const BidRequest& request, time_us now_us, Hold* freeze) const {
  GL_ASSERT(freeze != nullptr);
  GL_ASSERT(request.account_id > 0 && request.org_id > 0);
  auto it = open_auctions_.find(request.auction_id);
  if (it == open_auctions_.end()) {
    return Status::Refused("auction_closed",
                           "auction " + std::to_string(request.auction_id) + " is not taking bids (cleared or cancelled)",
                           "auction_id");
  }
  const OpenAuction& open = it->second;
  if (request.org_id == open.record.seller_org_id) {
    return Status::Invalid("bid_on_own_auction", "the seller's organization cannot bid in its own auction", "auction_id");
  }
  const AuctionCode code = open.engine->CheckSubmit(request.org_id, request.price_fen, request.quantity, now_us);
  if (code != AuctionCode::kOk) return BidRefusal(code, open.record.rules);
  auto live = open.bids.find(request.org_id);
  if (live != open.bids.end() && live->second.account_id != request.account_id) {
    return Status::Conflict("bid_from_other_account",
                            "your organization's live bid is from account " + std::to_string(live->second.account_id) +
                                "; withdraw it to bid from another account",
                            "account_id");
  }
  // price × quantity fits: the engine checked price × supply and quantity <= supply.
  const std::int64_t need = request.price_fen * request.quantity;
  const std::int64_t held = live == open.bids.end() ? 0 : live->second.reserved_fen;
  freeze->account_id = request.account_id;
  freeze->instrument = std::string(kCashInstrument);
  freeze->amount = std::max<std::int64_t>(0, need - held);
  return Status::OK();
}

Outcome Exchange::ApplyBid(const BidRequest& request, time_us now_us) {
  Hold freeze;
  GL_ASSERT(CheckBid(request, now_us, &freeze).ok());
  OpenAuction& open = open_auctions_.at(request.auction_id);
  const BidResult result = open.engine->Submit(request.org_id, request.price_fen, request.quantity, now_us);
  GL_ASSERT(result.code == AuctionCode::kOk);
  const std::int64_t need = request.price_fen * request.quantity;
  Outcome out;
  out.order_id = open.record.id;
  auto [it, inserted] = open.bids.try_emplace(request.org_id);
  BidRecord& bid = it->second;
  GL_ASSERT(inserted != result.replaced);
  if (inserted) {
    bid.auction_id = open.record.id;
    bid.org_id = request.org_id;
    bid.account_id = request.account_id;
    bid.created_at_us = now_us;
    open.record.bid_count += 1;
  } else if (need < bid.reserved_fen) {
    out.releases.push_back(Hold{bid.account_id, std::string(kCashInstrument), need - bid.reserved_fen});
  }
  bid.user_id = request.user_id;
  bid.price_fen = request.price_fen;
  bid.quantity = request.quantity;
  bid.sequence = open.record.next_sequence++;
  bid.reserved_fen = need;
  bid.status = BidStatus::kLive;
  bid.updated_at_us = now_us;
  open.record.updated_at_us = now_us;
  GL_ASSERT(open.record.bid_count == open.engine->bid_count());
  out.bids.push_back(bid);
  out.auctions.push_back(open.record);
  return out;
}

Status Exchange::CheckWithdrawBid(std::int64_t auction_id, OrgId org_id, time_us now_us) const {
  const BidRecord* bid = FindLiveBid(auction_id, org_id);
  if (bid == nullptr) {
    return Status::NotFound("your organization has no live bid in auction " + std::to_string(auction_id), "auction_id");
  }
  if (now_us >= open_auctions_.at(auction_id).record.rules.closes_at_us) {
    return Status::Refused("auction_closed", "the bidding window of auction " + std::to_string(auction_id) +
                                                 " has closed; bids can no longer change",
                           "auction_id");
  }
  return Status::OK();
}

Outcome Exchange::ApplyWithdrawBid(std::int64_t auction_id, OrgId org_id, time_us now_us) {
  GL_ASSERT(CheckWithdrawBid(auction_id, org_id, now_us).ok());
  OpenAuction& open = open_auctions_.at(auction_id);
  const AuctionCode code = open.engine->Withdraw(org_id, now_us);
  GL_ASSERT(code == AuctionCode::kOk);
  BidRecord bid = open.bids.at(org_id);
  open.bids.erase(org_id);
  Outcome out;
  out.order_id = auction_id;
  out.releases.push_back(Hold{bid.account_id, std::string(kCashInstrument), -bid.reserved_fen});
  bid.reserved_fen = 0;
  bid.status = BidStatus::kWithdrawn;
  bid.updated_at_us = now_us;
  open.record.bid_count -= 1;
  open.record.updated_at_us = now_us;
  GL_ASSERT(open.record.bid_count == open.engine->bid_count());
  out.bids.push_back(bid);
  out.auctions.push_back(open.record);
  return out;
}

Status Exchange::CheckCloseAuction(std::int64_t auction_id, time_us now_us) const {
  const AuctionRecord* record = FindOpenAuction(auction_id);
  if (record == nullptr) {
    return Status::Conflict("auction_not_open", "auction " + std::to_string(auction_id) +
                                                    " is not open (never announced, already cleared or cancelled)",
                            "auction_id");
  }
  if (now_us < record->rules.closes_at_us) {
    return Status::Conflict("auction_not_closed", "the bidding window of auction " + std::to_string(auction_id) +
                                                      " is still open; it is cleared after it closes",
                            "auction_id");
  }
  return Status::OK();
}

Outcome Exchange::ApplyCloseAuction(std::int64_t auction_id, time_us now_us) {
  GL_ASSERT(CheckCloseAuction(auction_id, now_us).ok());
  OpenAuction& open = open_auctions_.at(auction_id);
  AuctionRecord& a = open.record;
  AuctionResult result;
  const AuctionCode code = open.engine->Clear(now_us, &result);
  GL_ASSERT(code == AuctionCode::kOk);
  GL_ASSERT(result.sold_quantity + result.unsold_quantity == a.rules.supply);
  GL_ASSERT(static_cast<std::int64_t>(result.awards.size()) == a.bid_count);
  Outcome out;
  out.order_id = auction_id;
  for (const Award& award : result.awards) {
    BidRecord& bid = open.bids.at(award.bidder_id);
    GL_ASSERT(bid.price_fen == award.bid_price_fen && bid.quantity == award.bid_quantity);
    if (award.awarded_quantity > 0) {
      GL_ASSERT(award.amount_fen <= bid.reserved_fen);  // no winner pays more than its bid
      Settlement s;
      MarketTrade& t = s.trade;
      t.id = ++max_trade_id_;
      t.instrument = a.instrument;
      t.trading_day = "";
      t.mode = "auction";
      t.ref_id = a.id;
      t.buy_account_id = bid.account_id;
      t.sell_account_id = a.seller_account_id;
      t.buy_org_id = bid.org_id;
      t.sell_org_id = a.seller_org_id;
      t.aggressor = Side::kBuy;
      t.price_fen = award.price_fen;
      t.quantity = award.awarded_quantity;
      t.at_us = now_us;
      SettlementPostings(a.instrument, a.seller_account_id, bid.account_id, award.awarded_quantity, bid.reserved_fen,
                         award.amount_fen, award.amount_fen, 0, Bucket::kAvailable, &s.postings);
      bid.status = BidStatus::kWon;
      bid.trade_id = t.id;
      out.settlements.push_back(std::move(s));
    } else {
      out.releases.push_back(Hold{bid.account_id, std::string(kCashInstrument), -bid.reserved_fen});
      bid.status = BidStatus::kLost;
    }
    bid.awarded_quantity = award.awarded_quantity;
    bid.price_paid_fen = award.price_fen;
    bid.amount_fen = award.amount_fen;
    bid.at_margin = award.at_margin;
    bid.reserved_fen = 0;
    bid.updated_at_us = now_us;
    out.bids.push_back(bid);
  }
  if (result.unsold_quantity > 0) {
    out.releases.push_back(Hold{a.seller_account_id, a.instrument, -result.unsold_quantity});
  }
  a.status = AuctionStatus::kCleared;
  a.reserved = 0;
  a.clearing_price_fen = result.clearing_price_fen;
  a.sold_quantity = result.sold_quantity;
  a.unsold_quantity = result.unsold_quantity;
  a.total_amount_fen = result.total_amount_fen;
  a.winner_count = result.winner_count;
  a.cleared_at_us = now_us;
  a.updated_at_us = now_us;
  out.auctions.push_back(a);
  open_auctions_.erase(auction_id);
  return out;
}

Status Exchange::CheckCancelAuction(std::int64_t auction_id) const {
  if (FindOpenAuction(auction_id) == nullptr) {
    return Status::Conflict("auction_not_open", "auction " + std::to_string(auction_id) +
                                                    " is not open (never announced, already cleared or cancelled)",
                            "auction_id");
  }
  return Status::OK();
}

void Exchange::CancelAuction(std::int64_t auction_id, time_us now_us, Outcome* out) {
  OpenAuction& open = open_auctions_.at(auction_id);
  AuctionRecord& a = open.record;
  for (auto& [org, bid] : open.bids) {
    out->releases.push_back(Hold{bid.account_id, std::string(kCashInstrument), -bid.reserved_fen});
    bid.reserved_fen = 0;
    bid.status = BidStatus::kWithdrawn;
    bid.updated_at_us = now_us;
    out->bids.push_back(bid);
  }
  out->releases.push_back(Hold{a.seller_account_id, a.instrument, -a.reserved});
  a.reserved = 0;
  a.bid_count = 0;
  a.status = AuctionStatus::kCancelled;
  a.updated_at_us = now_us;
  out->auctions.push_back(a);
  open_auctions_.erase(auction_id);
}

Outcome Exchange::ApplyCancelAuction(std::int64_t auction_id, time_us now_us) {
  GL_ASSERT(CheckCancelAuction(auction_id).ok());
  Outcome out;
  out.order_id = auction_id;
  CancelAuction(auction_id, now_us, &out);
  return out;
}

std::vector<std::int64_t> Exchange::AuctionsSoldFrom(AccountId account_id) const {
  std::vector<std::int64_t> ids;
  for (const auto& [id, open] : open_auctions_) {
    if (open.record.seller_account_id == account_id) ids.push_back(id);
  }
  return ids;
}

}  // namespace greenloop::market
