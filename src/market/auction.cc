// src/market/auction.cc
#include "market/auction.h"

#include <algorithm>
#include <array>
#include <limits>

#include "core/assert.h"

namespace greenloop {

namespace {

// The pro rata product remaining * quantity reaches 2^80 when the lot is 1.
__extension__ typedef __int128 wide_t;

struct CodeText {
  std::string_view name;
  std::string_view message;
};

constexpr std::array<CodeText, 16> kCodeTexts = {{
    {"ok", "ok"},
    {"auction_not_open", "time_us: before the bidding window opens (opens_at_us)"},
    {"auction_closed", "time_us: the bidding window has closed (closes_at_us) or the auction is cleared"},
    {"bidder_missing", "bidder_id: must be a positive account id"},
    {"quantity_not_positive", "quantity: must be positive"},
    {"quantity_off_lot", "quantity: not a multiple of the lot size"},
    {"quantity_below_min", "quantity: below the minimum quantity per bidder"},
    {"quantity_above_max", "quantity: above the maximum quantity per bidder"},
    {"quantity_above_supply", "quantity: above the quantity offered"},
    {"price_not_positive", "price_fen: must be positive"},
    {"price_off_tick", "price_fen: not a multiple of the price tick"},
    {"price_below_reserve", "price_fen: below the reserve price"},
    {"price_too_high", "price_fen: price times the quantity offered does not fit a 64-bit amount"},
    {"auction_full", "bidder_id: the auction holds as many bidders as it can"},
    {"no_bid", "bidder_id: this bidder has no live bid"},
    {"auction_not_closed", "time_us: the bidding window has not closed yet (closes_at_us)"},
}};
static_assert(kCodeTexts.size() == static_cast<std::size_t>(AuctionCode::kAuctionNotClosed) + 1,
              "one text per auction code");

// Every amount is at most price_fen * supply, so a bid whose price passes this check can be paid
// for in full, and the total of all awards (at most the highest price times the supply) fits.
bool PriceTimesSupplyFits(std::int64_t price_fen, quantity_t supply) {
  std::int64_t product = 0;
  return !__builtin_mul_overflow(price_fen, supply, &product);
}

// Stable LSD radix sort of (key, index) records by key, one byte per pass. One pass over the
// records counts all 8 bytes; a byte with a single value in every key leaves the order as it is and
// is skipped (prices a few hundred ticks apart differ in 2 bytes, 10,000 sequences in 2).
template <typename Record>
void RadixSortByKey(std::vector<Record>* items, std::vector<Record>* scratch) {
  const std::size_t n = items->size();
  if (n < 2) return;
  GL_ASSERT(n <= kMaxAuctionBids);
  std::array<std::array<std::uint32_t, 256>, 8> counts{};
  for (const Record& item : *items) {
    for (std::size_t b = 0; b < 8; ++b) counts[b][(item.key >> (8 * b)) & 0xFF] += 1;
  }
  scratch->resize(n);
  for (std::size_t b = 0; b < 8; ++b) {
    std::array<std::uint32_t, 256>& count = counts[b];
    if (count[(items->front().key >> (8 * b)) & 0xFF] == n) continue;
    std::uint32_t offset = 0;
    for (std::uint32_t& c : count) {
      std::uint32_t here = c;
      c = offset;
      offset += here;
    }
    GL_ASSERT(offset == n);
    for (const Record& item : *items) (*scratch)[count[(item.key >> (8 * b)) & 0xFF]++] = item;
    items->swap(*scratch);
  }
}

}  // namespace

// A level's total is at most kMaxAuctionBids bids of at most the supply each, and the walk adds it
// to a demand below the supply: both stay within 63 bits.
static_assert(kMaxAuctionQuantity <= std::numeric_limits<quantity_t>::max() / (quantity_t{kMaxAuctionBids} + 1),
              "demand sums fit 64 bits");

std::string_view AuctionCodeName(AuctionCode code) { return kCodeTexts[static_cast<std::size_t>(code)].name; }
std::string_view AuctionCodeMessage(AuctionCode code) {
  return kCodeTexts[static_cast<std::size_t>(code)].message;
}

std::string AuctionRulesProblem(const AuctionRules& rules) {
  if (rules.lot_size <= 0) return "lot_size: must be positive";
  if (rules.tick_fen <= 0) return "tick_fen: must be positive";
  if (rules.supply <= 0) return "supply: must be positive";
  if (rules.supply > kMaxAuctionQuantity) return "supply: above kMaxAuctionQuantity";
  if (rules.supply % rules.lot_size != 0) return "supply: not a multiple of the lot";
  if (rules.reserve_price_fen <= 0) return "reserve_price_fen: must be positive";
  if (rules.reserve_price_fen % rules.tick_fen != 0) return "reserve_price_fen: not a multiple of the tick";
  if (!PriceTimesSupplyFits(rules.reserve_price_fen, rules.supply)) {
    return "reserve_price_fen: times the supply does not fit a 64-bit amount";
  }
  if (rules.min_quantity_per_bidder < 0) return "min_quantity_per_bidder: must not be negative";
  if (rules.min_quantity_per_bidder % rules.lot_size != 0) return "min_quantity_per_bidder: not a multiple of the lot";
  if (rules.min_quantity_per_bidder > rules.supply) return "min_quantity_per_bidder: above the supply";
  if (rules.max_quantity_per_bidder < 0) return "max_quantity_per_bidder: must not be negative";
  if (rules.max_quantity_per_bidder % rules.lot_size != 0) return "max_quantity_per_bidder: not a multiple of the lot";
  if (rules.max_quantity_per_bidder != 0 && rules.max_quantity_per_bidder < rules.min_quantity_per_bidder) {
    return "max_quantity_per_bidder: below min_quantity_per_bidder";
  }
  if (rules.closes_at_us <= rules.opens_at_us) return "closes_at_us: not after opens_at_us";
  return "";
}

const Award* FindAward(const AuctionResult& result, BidderId bidder_id) {
  auto it = std::lower_bound(result.awards.begin(), result.awards.end(), bidder_id,
                             [](const Award& a, BidderId id) { return a.bidder_id < id; });
  if (it == result.awards.end() || it->bidder_id != bidder_id) return nullptr;
  return &*it;
}

Auction::Auction(const AuctionRules& rules, std::uint32_t max_bids) : rules_(rules), max_bids_(max_bids) {
  static_assert(sizeof(Bid) == 32, "a bid is 32 bytes");
  GL_ASSERT(AuctionRulesProblem(rules).empty());
  GL_ASSERT(max_bids > 0);
  GL_ASSERT(max_bids <= kMaxAuctionBids);
  std::size_t expected = std::min<std::size_t>(max_bids, 1024);
  bids_.reserve(expected);
  slot_of_bidder_.reserve(expected);
}

// ---- commands ---------------------------------------------------------------------------------

AuctionCode Auction::CheckWindow(time_us now_us) const {
  if (cleared_) return AuctionCode::kAuctionClosed;
  if (now_us < rules_.opens_at_us) return AuctionCode::kAuctionNotOpen;
  if (now_us >= rules_.closes_at_us) return AuctionCode::kAuctionClosed;
  return AuctionCode::kOk;
}

AuctionCode Auction::ValidateBid(BidderId bidder_id, std::int64_t price_fen, quantity_t quantity) const {
  if (bidder_id <= 0) return AuctionCode::kBidderMissing;
  if (quantity <= 0) return AuctionCode::kQuantityNotPositive;
  if (quantity % rules_.lot_size != 0) return AuctionCode::kQuantityOffLot;
  if (quantity < rules_.min_quantity_per_bidder) return AuctionCode::kQuantityBelowMin;
  if (rules_.max_quantity_per_bidder != 0 && quantity > rules_.max_quantity_per_bidder) {
    return AuctionCode::kQuantityAboveMax;
  }
  if (quantity > rules_.supply) return AuctionCode::kQuantityAboveSupply;
  if (price_fen <= 0) return AuctionCode::kPriceNotPositive;
  if (price_fen % rules_.tick_fen != 0) return AuctionCode::kPriceOffTick;
  if (price_fen < rules_.reserve_price_fen) return AuctionCode::kPriceBelowReserve;
  if (!PriceTimesSupplyFits(price_fen, rules_.supply)) return AuctionCode::kPriceTooHigh;
  return AuctionCode::kOk;
}

AuctionCode Auction::CheckSubmit(BidderId bidder_id, std::int64_t price_fen, quantity_t quantity,
                                 time_us now_us) const {
  AuctionCode code = CheckWindow(now_us);
  if (code == AuctionCode::kOk) code = ValidateBid(bidder_id, price_fen, quantity);
  if (code == AuctionCode::kOk && !slot_of_bidder_.contains(bidder_id) && bids_.size() >= max_bids_) {
    code = AuctionCode::kAuctionFull;
  }
  return code;
}

BidResult Auction::Submit(BidderId bidder_id, std::int64_t price_fen, quantity_t quantity, time_us now_us) {
  AuctionCode code = CheckWindow(now_us);
  if (code == AuctionCode::kOk) code = ValidateBid(bidder_id, price_fen, quantity);
  if (code != AuctionCode::kOk) return BidResult{code, 0, false};

  Bid bid{bidder_id, price_fen, quantity, next_sequence_};
  auto it = slot_of_bidder_.find(bidder_id);
  bool replaced = it != slot_of_bidder_.end();
  if (replaced) {
    GL_ASSERT(it->second < bids_.size());
    GL_ASSERT(bids_[it->second].bidder_id == bidder_id);
    GL_ASSERT(bids_[it->second].sequence < next_sequence_);
    bids_[it->second] = bid;
  } else {
    if (bids_.size() >= max_bids_) return BidResult{AuctionCode::kAuctionFull, 0, false};
    slot_of_bidder_.emplace(bidder_id, static_cast<std::uint32_t>(bids_.size()));
    bids_.push_back(bid);
  }
  next_sequence_ += 1;
  GL_ASSERT(bids_.size() == slot_of_bidder_.size());
  GL_ASSERT(bids_.size() <= max_bids_);
  return BidResult{AuctionCode::kOk, bid.sequence, replaced};
}

AuctionCode Auction::Withdraw(BidderId bidder_id, time_us now_us) {
  AuctionCode code = CheckWindow(now_us);
  if (code != AuctionCode::kOk) return code;
  if (bidder_id <= 0) return AuctionCode::kBidderMissing;
  auto it = slot_of_bidder_.find(bidder_id);
  if (it == slot_of_bidder_.end()) return AuctionCode::kNoBid;
  std::uint32_t slot = it->second;
  GL_ASSERT(slot < bids_.size());
  GL_ASSERT(bids_[slot].bidder_id == bidder_id);
  slot_of_bidder_.erase(it);
  // Swap-remove: the last bid moves into the freed slot and its index entry follows it.
  std::uint32_t last = static_cast<std::uint32_t>(bids_.size() - 1);
  if (slot != last) {
    bids_[slot] = bids_[last];
    auto moved = slot_of_bidder_.find(bids_[slot].bidder_id);
    GL_ASSERT(moved != slot_of_bidder_.end());
    GL_ASSERT(moved->second == last);
    moved->second = slot;
  }
  bids_.pop_back();
  GL_ASSERT(bids_.size() == slot_of_bidder_.size());
  return AuctionCode::kOk;
}

std::optional<Bid> Auction::FindBid(BidderId bidder_id) const {
  auto it = slot_of_bidder_.find(bidder_id);
  if (it == slot_of_bidder_.end()) return std::nullopt;
  GL_ASSERT(bids_[it->second].bidder_id == bidder_id);
  return bids_[it->second];
}

// ---- clearing ---------------------------------------------------------------------------------

AuctionCode Auction::Clear(time_us now_us, AuctionResult* result) {
  GL_ASSERT(result != nullptr);
  if (!cleared_ && now_us < rules_.closes_at_us) return AuctionCode::kAuctionNotClosed;
  cleared_ = true;

  RankBids();
  Margin margin = FindMargin();
  awarded_.assign(ranked_.size(), 0);
  for (std::size_t k = 0; k < margin.begin; ++k) awarded_[k] = RankedBid(k).quantity;
  if (margin.found) ShareMargin(margin);

  std::int64_t clearing_price_fen = 0;
  if (margin.found) {
    clearing_price_fen = RankedPrice(margin.begin);
  } else if (!ranked_.empty()) {
    clearing_price_fen = RankedPrice(ranked_.size() - 1);
  }
  WriteResult(clearing_price_fen, margin, result);
  return AuctionCode::kOk;
}

void Auction::RankBids() {
  // Sequences are distinct, so the ranking is a total order. LSD: sort by the minor key first
  // (sequence), then stably by the major key (price, descending: a smaller key for a higher
  // price, which is positive, so the key never wraps).
  ranked_.clear();
  ranked_.reserve(bids_.size());
  for (std::uint32_t slot = 0; slot < bids_.size(); ++slot) ranked_.push_back(Keyed{bids_[slot].sequence, slot});
  RadixSortByKey(&ranked_, &sort_scratch_);
  for (Keyed& k : ranked_) {
    GL_ASSERT(bids_[k.index].price_fen > 0);
    k.key = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max() - bids_[k.index].price_fen);
  }
  RadixSortByKey(&ranked_, &sort_scratch_);
}

Auction::Margin Auction::FindMargin() const {
  Margin margin;
  quantity_t above = 0;  // demand strictly above the current level; below the supply
  std::size_t i = 0;
  while (i < ranked_.size()) {
    std::size_t j = i;
    quantity_t level_total = 0;
    while (j < ranked_.size() && RankedPrice(j) == RankedPrice(i)) {
      GL_ASSERT(j == i || RankedBid(j).sequence > RankedBid(j - 1).sequence);
      level_total += RankedBid(j).quantity;
      j += 1;
    }
    GL_ASSERT(level_total > 0);
    GL_ASSERT(j == ranked_.size() || RankedPrice(j) < RankedPrice(i));
    if (above + level_total >= rules_.supply) {
      margin.begin = i;
      margin.end = j;
      margin.remaining = rules_.supply - above;
      margin.level_total = level_total;
      margin.found = true;
      GL_ASSERT(margin.remaining > 0);
      GL_ASSERT(margin.remaining <= level_total);
      return margin;
    }
    above += level_total;
    i = j;
  }
  GL_ASSERT(above < rules_.supply);
  margin.begin = ranked_.size();
  margin.end = ranked_.size();
  return margin;
}

void Auction::ShareMargin(const Margin& margin) {
  GL_ASSERT(margin.found);
  GL_ASSERT(margin.begin < margin.end);
  const quantity_t lot = rules_.lot_size;
  if (margin.remaining == margin.level_total) {  // exact fill: no sharing to do
    for (std::size_t k = margin.begin; k < margin.end; ++k) awarded_[k] = RankedBid(k).quantity;
    return;
  }
  // remaining < level_total: every share is below its bid, by a fraction of a lot at least.
  GL_ASSERT(margin.remaining % lot == 0);
  GL_ASSERT(margin.level_total % lot == 0);
  const quantity_t remaining_lots = margin.remaining / lot;
  const quantity_t level_lots = margin.level_total / lot;
  quantity_t given_lots = 0;
  for (std::size_t k = margin.begin; k < margin.end; ++k) {
    quantity_t bid_lots = RankedBid(k).quantity / lot;
    wide_t share = static_cast<wide_t>(remaining_lots) * bid_lots / level_lots;
    GL_ASSERT(share < bid_lots);
    awarded_[k] = static_cast<quantity_t>(share) * lot;
    given_lots += static_cast<quantity_t>(share);
  }
  // Each share lost less than one lot to rounding down, so fewer lots are left than bids here, and
  // one pass in ranking order (time priority within the level) gives them all out.
  quantity_t left_lots = remaining_lots - given_lots;
  GL_ASSERT(left_lots >= 0);
  GL_ASSERT(left_lots < static_cast<quantity_t>(margin.end - margin.begin));
  for (std::size_t k = margin.begin; k < margin.end && left_lots > 0; ++k) {
    awarded_[k] += lot;
    left_lots -= 1;
    GL_ASSERT(awarded_[k] <= RankedBid(k).quantity);
  }
  GL_ASSERT(left_lots == 0);
}

void Auction::WriteResult(std::int64_t clearing_price_fen, const Margin& margin, AuctionResult* result) {
  // The awards go out by bidder id (positive, so the unsigned key keeps the order).
  by_bidder_.clear();
  by_bidder_.reserve(ranked_.size());
  for (std::uint32_t k = 0; k < ranked_.size(); ++k) {
    by_bidder_.push_back(Keyed{static_cast<std::uint64_t>(RankedBid(k).bidder_id), k});
  }
  RadixSortByKey(&by_bidder_, &sort_scratch_);
  result->awards.clear();
  result->awards.reserve(ranked_.size());
  result->clearing_price_fen = clearing_price_fen;
  result->sold_quantity = 0;
  result->total_amount_fen = 0;
  result->winner_count = 0;
  const bool shared = margin.found && margin.remaining < margin.level_total;
  for (std::size_t i = 0; i < by_bidder_.size(); ++i) {
    const std::uint32_t k = by_bidder_[i].index;
    const Bid& bid = RankedBid(k);
    GL_ASSERT(i == 0 || RankedBid(by_bidder_[i - 1].index).bidder_id < bid.bidder_id);
    Award a;
    a.bidder_id = bid.bidder_id;
    a.bid_price_fen = bid.price_fen;
    a.bid_quantity = bid.quantity;
    a.sequence = bid.sequence;
    a.awarded_quantity = awarded_[k];
    a.at_margin = shared && k >= margin.begin && k < margin.end;
    GL_ASSERT(a.awarded_quantity >= 0);
    GL_ASSERT(a.awarded_quantity <= a.bid_quantity);
    GL_ASSERT(a.awarded_quantity % rules_.lot_size == 0);
    if (a.awarded_quantity > 0) {
      a.price_fen = rules_.pricing == AuctionPricing::kUniform ? clearing_price_fen : bid.price_fen;
      GL_ASSERT(a.price_fen >= rules_.reserve_price_fen);
      GL_ASSERT(a.price_fen <= bid.price_fen);
      // Cannot overflow: price_fen <= the bid's price, whose product with the supply fits.
      bool overflow = __builtin_mul_overflow(a.price_fen, a.awarded_quantity, &a.amount_fen);
      GL_ASSERT(!overflow);
      bool added = CheckedAdd(result->total_amount_fen, a.amount_fen, &result->total_amount_fen);
      GL_ASSERT(added);
      result->sold_quantity += a.awarded_quantity;
      result->winner_count += 1;
    }
    result->awards.push_back(a);
  }
  GL_ASSERT(result->sold_quantity <= rules_.supply);
  GL_ASSERT(margin.found == (result->sold_quantity == rules_.supply));
  result->unsold_quantity = rules_.supply - result->sold_quantity;
}

// ---- invariants -------------------------------------------------------------------------------

std::string Auction::BidProblem(const Bid& bid) const {
  if (ValidateBid(bid.bidder_id, bid.price_fen, bid.quantity) != AuctionCode::kOk) {
    return std::string("bid of bidder ") + std::to_string(bid.bidder_id) + " is not valid under the rules";
  }
  if (bid.sequence == 0 || bid.sequence >= next_sequence_) {
    return std::string("bid of bidder ") + std::to_string(bid.bidder_id) + " has a sequence out of range";
  }
  return "";
}

std::string Auction::CheckInvariants() const {
  if (bids_.size() != slot_of_bidder_.size()) return "bid count differs from the bidder index's size";
  if (bids_.size() > max_bids_) return "more live bids than max_bids";
  std::vector<std::uint64_t> sequences;
  sequences.reserve(bids_.size());
  for (std::uint32_t slot = 0; slot < bids_.size(); ++slot) {
    const Bid& bid = bids_[slot];
    std::string problem = BidProblem(bid);
    if (!problem.empty()) return problem;
    auto it = slot_of_bidder_.find(bid.bidder_id);
    if (it == slot_of_bidder_.end() || it->second != slot) {
      return std::string("bidder ") + std::to_string(bid.bidder_id) + " does not map to its slot";
    }
    sequences.push_back(bid.sequence);
  }
  std::sort(sequences.begin(), sequences.end());
  if (std::adjacent_find(sequences.begin(), sequences.end()) != sequences.end()) return "two bids share a sequence";
  return "";
}

}  // namespace greenloop
