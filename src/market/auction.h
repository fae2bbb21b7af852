// src/market/auction.h
//
// A sealed-bid auction of one seller's lot (单向竞价, 拍卖): the seller announces the quantity
// offered (supply), a reserve price, a bidding window and the rules; buyers submit sealed bids
// (price, quantity) which they may replace or withdraw until the window closes; after it closes
// the auction clears once, at a uniform price or, as an option, pay-as-bid. It is a pure,
// deterministic, in-memory state machine like the order book: it performs no I/O and reads no
// clock. The caller passes the time with each command (time_us, only compared with the window),
// serializes the commands, persists them and rebuilds an auction after a restart by replaying
// them (the same commands give the same bids, sequences and result).
//
// Rules chosen (docs/market-engine.md, "Auctions", explains why):
//   - One live bid per bidder. A second submit from the same bidder replaces the first and takes
//     a new sequence number (time priority starts again), even when nothing changed.
//   - Bids rank by price, highest first, then by sequence (the last change), earliest first.
//     Walking down, the marginal price is the highest price at which the demand at or above it
//     reaches the supply. Every bid above it is filled in full; the bids at it share what is left.
//     When the whole demand (every bid is at or above the reserve) is below the supply, every bid
//     is filled and the unsold quantity returns to the seller.
//   - Uniform pricing: every winner pays the clearing price, the lowest accepted bid price, i.e.
//     the marginal price (the lowest bid price when undersubscribed). Pay-as-bid: the same
//     awards, each winner pays its own bid price.
//   - At the margin: pro rata to the bid quantities in whole lots, each share rounded down; the
//     lots left over (fewer than the bids at the margin) go one lot each to the marginal bids in
//     time priority, earliest sequence first. No bid gets more than it asked for.
//   - Quantity bounds apply to the bid (申报数量), not to the award: a marginal bidder may be
//     awarded less than min_quantity_per_bidder, or nothing.
//
// Bounds that keep every sum exact in 64 bits: supply <= kMaxAuctionQuantity (2^40), a bid's
// quantity <= supply, at most kMaxAuctionBids live bids (so a level's total is < 2^62), and a
// bid's price_fen * supply must fit 64 bits (so every amount and their total fit). The pro rata
// product remaining * quantity is computed in 128 bits.
//
// Data structures: the live bids in one vector (swap-remove on withdraw) and an unordered_map
// from bidder id to slot, so submit, replace and withdraw are O(1) on average. Clearing ranks
// the bids with two stable LSD radix sorts of (64-bit key, slot) records, by sequence then by
// price, walks the ranking once, and orders the awards by a third radix sort on the bidder id.
// Each sort makes one pass per key byte that is not the same in every key (at most 8 passes over
// the n 16-byte records), so clearing is O(n), within the O(n log n) asked for, and free of the
// unpredictable branches of a comparison sort.
//
// Invariants (asserted where they are made; CheckInvariants() checks the first three, the
// result's are asserted as it is written):
//   - every live bid is valid under the rules (positive, on the lot, within the bounds, on the
//     tick, at or above the reserve) and its sequence is below the next one to assign;
//   - sequences of live bids are distinct;
//   - the bidder index maps every bidder to the slot that holds its bid, and back;
//   - in a result: sold + unsold = supply, the awards sum to sold, no award exceeds its bid, every
//     award is a whole number of lots, amount = price * awarded quantity.
//
// Sealed: there is no depth or demand query; a bidder may see its own bid (FindBid).
// Thread safety: none; one auction is used by one thread at a time.
#ifndef GREENLOOP_MARKET_AUCTION_H_
#define GREENLOOP_MARKET_AUCTION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/types.h"

namespace greenloop {

// The buyer's account (or whatever identity the caller allows one bid for).
using BidderId = std::int64_t;

enum class AuctionPricing : std::uint8_t {
  kUniform,   // every winner pays the clearing price
  kPayAsBid,  // every winner pays its own bid price
};

inline constexpr quantity_t kMaxAuctionQuantity = quantity_t{1} << 40;
inline constexpr std::uint32_t kMaxAuctionBids = std::uint32_t{1} << 22;

// What the seller announces. Prices are integers in fen per unit, quantities in the
// instrument's smallest unit. The window is [opens_at_us, closes_at_us).
struct AuctionRules {
  quantity_t supply = 0;                    // offered; a multiple of the lot, <= kMaxAuctionQuantity
  std::int64_t reserve_price_fen = 0;       // lowest accepted bid price, inclusive, on the tick
  std::int64_t tick_fen = 1;                // a bid price must be a multiple of this
  quantity_t lot_size = 1;                  // a bid quantity must be a multiple of this
  quantity_t min_quantity_per_bidder = 0;   // inclusive; 0 = none
  quantity_t max_quantity_per_bidder = 0;   // inclusive; 0 = none
  time_us opens_at_us = 0;                  // first instant bids are accepted
  time_us closes_at_us = 0;                 // first instant they are not; clearing from here
  AuctionPricing pricing = AuctionPricing::kUniform;
};

// Whether rules can build an auction. Returns an empty string when they can, otherwise the field
// at fault and why.
std::string AuctionRulesProblem(const AuctionRules& rules);

// Outcomes of a command, checked in this order. Every refusal leaves the auction unchanged.
enum class AuctionCode : std::uint8_t {
  kOk,
  kAuctionNotOpen,       // time_us before opens_at_us
  kAuctionClosed,        // time_us at or after closes_at_us, or the auction is cleared
  kBidderMissing,        // bidder_id is 0 or negative
  kQuantityNotPositive,  // quantity <= 0
  kQuantityOffLot,       // quantity not a multiple of the lot size
  kQuantityBelowMin,     // quantity below min_quantity_per_bidder
  kQuantityAboveMax,     // quantity above max_quantity_per_bidder
  kQuantityAboveSupply,  // quantity above the supply
  kPriceNotPositive,     // price_fen <= 0
  kPriceOffTick,         // price_fen not a multiple of the tick
  kPriceBelowReserve,    // price_fen below reserve_price_fen
  kPriceTooHigh,         // price_fen * supply does not fit 64 bits
  kAuctionFull,          // a new bidder when the auction holds max_bids bids
  kNoBid,                // withdraw by a bidder without a live bid
  kAuctionNotClosed,     // clear before closes_at_us
};

// A stable snake_case name ("price_below_reserve") and a sentence naming the field at fault.
std::string_view AuctionCodeName(AuctionCode code);
std::string_view AuctionCodeMessage(AuctionCode code);

// A live bid. The sequence is assigned by the auction, 1, 2, 3, ... in the order bids are
// accepted (a replace takes a new one); it is the time priority at the margin.
struct Bid {
  BidderId bidder_id = 0;
  std::int64_t price_fen = 0;
  quantity_t quantity = 0;
  std::uint64_t sequence = 0;
  friend bool operator==(const Bid&, const Bid&) = default;
};

struct BidResult {
  AuctionCode code = AuctionCode::kOk;
  std::uint64_t sequence = 0;  // assigned when code is kOk
  bool replaced = false;       // the bidder's previous bid was replaced
};

// One live bid's outcome. A losing bid has awarded_quantity, price_fen and amount_fen 0.
struct Award {
  BidderId bidder_id = 0;
  std::int64_t bid_price_fen = 0;
  quantity_t bid_quantity = 0;
  std::uint64_t sequence = 0;
  quantity_t awarded_quantity = 0;
  std::int64_t price_fen = 0;   // per unit to pay: clearing price (uniform) or bid price (pay-as-bid)
  std::int64_t amount_fen = 0;  // price_fen * awarded_quantity
  bool at_margin = false;       // bid at the marginal price that shared the remainder
  friend bool operator==(const Award&, const Award&) = default;
};

struct AuctionResult {
  std::vector<Award> awards;            // one per live bid, by bidder_id ascending
  std::int64_t clearing_price_fen = 0;  // lowest accepted bid price; 0 when there are no bids
  quantity_t sold_quantity = 0;
  quantity_t unsold_quantity = 0;       // returns to the seller
  std::int64_t total_amount_fen = 0;    // sum of the awards' amounts
  std::int64_t winner_count = 0;        // awards with a positive quantity
  friend bool operator==(const AuctionResult&, const AuctionResult&) = default;
};

// The award of bidder_id in a result, or nullptr. O(log n).
const Award* FindAward(const AuctionResult& result, BidderId bidder_id);

class Auction {
 public:
  // Requires AuctionRulesProblem(rules) to be empty and 0 < max_bids <= kMaxAuctionBids
  // (asserted). max_bids bounds the number of live bids (distinct bidders).
  explicit Auction(const AuctionRules& rules, std::uint32_t max_bids = kMaxAuctionBids);

  Auction(const Auction&) = delete;
  Auction& operator=(const Auction&) = delete;

  // Places the bidder's bid, or replaces its live bid (BidResult::replaced). Either way the bid
  // takes the next sequence. A refused replace keeps the previous bid as it was.
  BidResult Submit(BidderId bidder_id, std::int64_t price_fen, quantity_t quantity, time_us now_us);

  // What Submit would answer, without changing anything (the caller freezes the bid's money
  // between the check and the submit).
  AuctionCode CheckSubmit(BidderId bidder_id, std::int64_t price_fen, quantity_t quantity, time_us now_us) const;

  // Removes the bidder's live bid.
  AuctionCode Withdraw(BidderId bidder_id, time_us now_us);

  // Clears the auction at now_us >= closes_at_us and writes the result (the vector's capacity is
  // reused). The first success freezes the auction: every later submit or withdraw is refused
  // with kAuctionClosed, and a later Clear computes the same result again.
  AuctionCode Clear(time_us now_us, AuctionResult* result);

  // The bidder's live bid, if any.
  std::optional<Bid> FindBid(BidderId bidder_id) const;

  std::int64_t bid_count() const { return static_cast<std::int64_t>(bids_.size()); }
  bool cleared() const { return cleared_; }
  const AuctionRules& rules() const { return rules_; }

  // Checks every invariant on the live bids in the header comment. Returns an empty string when
  // they all hold, otherwise a description of the first one broken. O(n log n): for tests.
  std::string CheckInvariants() const;

 private:
  // A sort record: a 64-bit key and the index it stands for (a slot of bids_ or a rank).
  struct Keyed {
    std::uint64_t key = 0;
    std::uint32_t index = 0;
  };

  // Where the walk down the ranking stopped.
  struct Margin {
    std::size_t begin = 0;          // first ranked bid at the marginal price
    std::size_t end = 0;            // one past the last
    quantity_t remaining = 0;       // supply left for the marginal bids
    quantity_t level_total = 0;     // their total quantity
    bool found = false;             // false: undersubscribed, every bid is filled
  };

  AuctionCode CheckWindow(time_us now_us) const;
  AuctionCode ValidateBid(BidderId bidder_id, std::int64_t price_fen, quantity_t quantity) const;
  std::string BidProblem(const Bid& bid) const;
  // Fills ranked_ with the slots of the live bids by price descending, then sequence ascending.
  void RankBids();
  std::int64_t RankedPrice(std::size_t k) const { return bids_[ranked_[k].index].price_fen; }
  const Bid& RankedBid(std::size_t k) const { return bids_[ranked_[k].index]; }
  Margin FindMargin() const;
  // Writes the marginal bids' awarded quantities into awarded_ (indexed like ranked_).
  void ShareMargin(const Margin& margin);
  void WriteResult(std::int64_t clearing_price_fen, const Margin& margin, AuctionResult* result);

  AuctionRules rules_;
  std::uint32_t max_bids_ = 0;
  bool cleared_ = false;
  std::uint64_t next_sequence_ = 1;
  std::vector<Bid> bids_;                               // live bids, in no particular order
  std::unordered_map<BidderId, std::uint32_t> slot_of_bidder_;
  // Scratch of Clear, kept to reuse their capacity.
  std::vector<Keyed> ranked_;          // index: a slot of bids_, best first
  std::vector<quantity_t> awarded_;    // indexed like ranked_
  std::vector<Keyed> by_bidder_;       // key: bidder id, index: into ranked_
  std::vector<Keyed> sort_scratch_;
};

}  // namespace greenloop

#endif  // GREENLOOP_MARKET_AUCTION_H_
