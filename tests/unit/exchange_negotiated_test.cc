// Block agreement trading and auctions on the exchange (src/market/exchange.h,
// exchange_blocks.cc, exchange_auctions.cc): the block session and thresholds, settlement
// postings, expiry at the close, auction reservations, clearing, the rebuild of live bids after
// a restart, and the withdrawal of a stopped account's bid after the window closed. CEA rules
// from data/market/trading-rules.json (block minimum 100,000 t, block band ±30 % around the
// previous close, blocks in the 13:00-15:00 session only); the fee of 5 bp is a test value.
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
constexpr AccountId kOtherAccount = 31;
constexpr OrgId kOther = 3;
constexpr AccountId kReserveAccount = 41;
constexpr OrgId kGovernment = 4;
const std::string kCea = "CEA-2025";

// A Beijing local time as UTC micros. 2026-11-23 is a Monday.
time_us Beijing(const char* date, int hour, int minute) {
  return *ParseDateDays(date) * kMicrosPerDay + (static_cast<time_us>(hour - 8) * 60 + minute) * 60'000'000;
}
const time_us kMorning = Beijing("2026-11-23", 10, 0);
const time_us kAfternoon = Beijing("2026-11-23", 13, 30);

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

// The sum of a settlement's postings per instrument, which must be zero.
std::map<std::string, std::int64_t> SumsOf(const std::vector<Posting>& postings) {
  std::map<std::string, std::int64_t> sums;
  for (const Posting& p : postings) sums[p.instrument] += p.amount;
  return sums;
}

class NegotiatedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    exchange_ = NewExchange();
    ASSERT_TRUE(exchange_->CheckList(Cea2025(), 5000, 5).ok());
    Keep(exchange_->ApplyList(Cea2025(), 5000, 5, kMorning));
    ASSERT_TRUE(exchange_->CheckSetState(kCea, MarketState::kOpen, kMorning).ok());
    Keep(exchange_->ApplySetState(kCea, MarketState::kOpen, kMorning));
  }
  // Keeps the rows a store would, to rebuild the exchange.
  void Keep(const Outcome& out) {
    for (const Listing& l : out.listings) listings_[l.instrument] = l;
    for (const BlockProposal& b : out.blocks) blocks_[b.id] = b;
    for (const AuctionRecord& a : out.auctions) auctions_[a.id] = a;
    for (const BidRecord& b : out.bids) bids_[{b.auction_id, b.org_id}] = b;
    for (const Settlement& s : out.settlements) max_trade_id_ = std::max(max_trade_id_, s.trade.id);
  }
  MarketSnapshot Snapshot() const {
    MarketSnapshot s;
    for (const auto& [code, l] : listings_) s.listings.push_back(l);
    for (const auto& [id, b] : blocks_) {
      if (b.status == BlockStatus::kProposed) s.open_blocks.push_back(b);
      s.max_block_id = std::max(s.max_block_id, id);
    }
    for (const auto& [id, a] : auctions_) {
      if (a.status == AuctionStatus::kOpen) s.open_auctions.push_back(a);
      s.max_auction_id = std::max(s.max_auction_id, id);
    }
    for (const auto& [key, b] : bids_) {
      if (b.status == BidStatus::kLive) s.live_bids.push_back(b);
    }
    s.max_trade_id = max_trade_id_;
    return s;
  }
  BlockRequest Block(Side side, std::int64_t price_fen, quantity_t quantity) {
    BlockRequest r;
    r.instrument = kCea;
    r.account_id = kSellerAccount;
    r.org_id = kSeller;
    r.user_id = 7;
    r.side = side;
    r.counterparty_org_id = kBuyer;
    r.price_fen = price_fen;
    r.quantity = quantity;
    return r;
  }
  AuctionRequest Announce(quantity_t supply, time_us opens, time_us closes) {
    AuctionRequest r;
    r.title = "paid allocation";
    r.purpose = AuctionPurpose::kPaidAllocation;
    r.instrument = kCea;
    r.family = "CEA";
    r.seller_account_id = kReserveAccount;
    r.seller_org_id = kGovernment;
    r.user_id = 9;
    r.rules.supply = supply;
    r.rules.reserve_price_fen = 4000;
    r.rules.opens_at_us = opens;
    r.rules.closes_at_us = closes;
    return r;
  }
  void PlaceBid(std::int64_t auction, OrgId org, AccountId account, std::int64_t price_fen, quantity_t quantity,
                time_us at, std::int64_t expect_freeze) {
    BidRequest b{auction, account, org, 7, price_fen, quantity};
    Hold freeze;
    ASSERT_TRUE(exchange_->CheckBid(b, at, &freeze).ok());
    EXPECT_EQ(freeze.amount, expect_freeze);
    Keep(exchange_->ApplyBid(b, at));
  }

  std::unique_ptr<Exchange> exchange_;
  std::map<std::string, Listing> listings_;
  std::map<std::int64_t, BlockProposal> blocks_;
  std::map<std::int64_t, AuctionRecord> auctions_;
  std::map<std::pair<std::int64_t, OrgId>, BidRecord> bids_;
  std::int64_t max_trade_id_ = 0;
};

TEST_F(NegotiatedTest, BlocksOnlyInTheAfternoonAboveTheMinimumInsideTheWiderBand) {
  Hold freeze;
  Status morning = exchange_->CheckPropose(Block(Side::kSell, 5200, 100'000), kMorning, &freeze);
  EXPECT_EQ(morning.code(), "outside_block_session");
  EXPECT_EQ(exchange_->CheckPropose(Block(Side::kSell, 5200, 99'999), kAfternoon, &freeze).code(),
            "quantity_below_block_min");
  // 50.00 ± 30 %: 35.00 to 65.00 inclusive.
  EXPECT_TRUE(exchange_->CheckPropose(Block(Side::kSell, 6500, 100'000), kAfternoon, &freeze).ok());
  EXPECT_EQ(exchange_->CheckPropose(Block(Side::kSell, 6501, 100'000), kAfternoon, &freeze).code(),
            "price_outside_block_band");
  EXPECT_TRUE(exchange_->CheckPropose(Block(Side::kSell, 3500, 100'000), kAfternoon, &freeze).ok());
  EXPECT_EQ(exchange_->CheckPropose(Block(Side::kSell, 3499, 100'000), kAfternoon, &freeze).code(),
            "price_outside_block_band");
  BlockRequest self = Block(Side::kSell, 5000, 100'000);
  self.counterparty_org_id = kSeller;
  EXPECT_EQ(exchange_->CheckPropose(self, kAfternoon, &freeze).code(), "block_to_self");
  EXPECT_EQ(exchange_->CheckConsistency(), "");
}

TEST_F(NegotiatedTest, AcceptedBuyProposalSettlesWithFeesAndReleasesNothingExtra) {
  // The buyer proposes: 50.00 × 100,000 = 500,000,000 fen + 5 bp = 250,000 fee, all frozen.
  BlockRequest buy = Block(Side::kBuy, 5000, 100'000);
  buy.account_id = kBuyerAccount;
  buy.org_id = kBuyer;
  buy.counterparty_org_id = kSeller;
  Hold freeze;
  ASSERT_TRUE(exchange_->CheckPropose(buy, kAfternoon, &freeze).ok());
  EXPECT_EQ(freeze.instrument, "CNY");
  EXPECT_EQ(freeze.amount, 500'250'000);
  Outcome proposed = exchange_->ApplyPropose(buy, kAfternoon);
  const std::int64_t id = proposed.blocks.front().id;
  EXPECT_EQ(exchange_->CheckAccept(id, kOther, kOtherAccount, kAfternoon, &freeze).code(), "not_found");
  ASSERT_TRUE(exchange_->CheckAccept(id, kSeller, kSellerAccount, kAfternoon, &freeze).ok());
  EXPECT_EQ(freeze.instrument, kCea);
  EXPECT_EQ(freeze.amount, 100'000);
  Outcome accepted = exchange_->ApplyAccept(id, kSeller, kSellerAccount, 8, kAfternoon);
  ASSERT_EQ(accepted.settlements.size(), 1u);
  const Settlement& s = accepted.settlements.front();
  EXPECT_EQ(s.trade.mode, "block");
  EXPECT_EQ(s.trade.aggressor, Side::kSell);  // the seller accepted
  EXPECT_EQ(s.trade.buyer_fee_fen, 250'000);
  for (const auto& [instrument, sum] : SumsOf(s.postings)) EXPECT_EQ(sum, 0) << instrument;
  std::map<std::pair<AccountId, std::string>, std::int64_t> by;
  for (const Posting& p : s.postings) by[{p.account_id, p.instrument + (p.bucket == Bucket::kFrozen ? "/f" : "")}] += p.amount;
  EXPECT_EQ((by[{kSellerAccount, kCea + "/f"}]), -100'000);
  EXPECT_EQ((by[{kBuyerAccount, kCea}]), 100'000);
  EXPECT_EQ((by[{kBuyerAccount, "CNY/f"}]), -500'250'000);
  EXPECT_EQ((by[{kSellerAccount, "CNY"}]), 499'750'000);
  EXPECT_EQ((by[{kClearing, "CNY"}]), 500'000);
  EXPECT_EQ(accepted.blocks.front().status, BlockStatus::kAccepted);
  EXPECT_EQ(exchange_->FindOpenBlock(id), nullptr);
  EXPECT_EQ(exchange_->CheckConsistency(), "");
}

TEST_F(NegotiatedTest, CloseExpiresPendingProposalsAndRestartKeepsTheRest) {
  Hold freeze;
  ASSERT_TRUE(exchange_->CheckPropose(Block(Side::kSell, 5100, 100'000), kAfternoon, &freeze).ok());
  Keep(exchange_->ApplyPropose(Block(Side::kSell, 5100, 100'000), kAfternoon));
  auto rebuilt = NewExchange();
  ASSERT_TRUE(rebuilt->Load(Snapshot()).ok());
  ASSERT_NE(rebuilt->FindOpenBlock(1), nullptr);
  EXPECT_EQ(rebuilt->FindOpenBlock(1)->reserved, 100'000);
  const time_us close = Beijing("2026-11-23", 15, 30);
  ASSERT_TRUE(rebuilt->CheckSetState(kCea, MarketState::kClosed, close).ok());
  Outcome closed = rebuilt->ApplySetState(kCea, MarketState::kClosed, close);
  ASSERT_EQ(closed.blocks.size(), 1u);
  EXPECT_EQ(closed.blocks.front().status, BlockStatus::kExpired);
  ASSERT_EQ(closed.releases.size(), 1u);
  EXPECT_EQ(closed.releases.front().amount, -100'000);
  EXPECT_EQ(rebuilt->CheckConsistency(), "");
}

TEST_F(NegotiatedTest, AuctionClearsAfterRestartWithTheSameTimePriority) {
  const time_us opens = Beijing("2026-11-23", 9, 0);
  const time_us closes = Beijing("2026-11-23", 12, 0);
  AuctionRequest announce = Announce(1'000, opens, closes);
  Hold freeze;
  ASSERT_TRUE(exchange_->CheckCreateAuction(announce, kMorning, &freeze).ok());
  EXPECT_EQ(announce.rules.tick_fen, 1);  // the family's
  EXPECT_EQ(freeze.amount, 1'000);
  Outcome created = exchange_->ApplyCreateAuction(announce, kMorning);
  Keep(created);
  const std::int64_t id = created.auctions.front().id;
  // 500 at 47.00 (after the change below) fill first; two bids of 300 at 45.00 share the 500 left,
  // pro rata in whole lots: 500 × 300 / 600 = 250 each. Everyone pays the uniform 45.00.
  PlaceBid(id, kSeller, kSellerAccount, 4800, 500, kMorning, 2'400'000);
  PlaceBid(id, kBuyer, kBuyerAccount, 4500, 300, kMorning + 1, 1'350'000);
  PlaceBid(id, kOther, kOtherAccount, 4500, 300, kMorning + 2, 1'350'000);
  // Lowering a bid freezes nothing more and releases the difference.
  BidRequest lower{id, kSellerAccount, kSeller, 7, 4700, 500};
  ASSERT_TRUE(exchange_->CheckBid(lower, kMorning + 3, &freeze).ok());
  EXPECT_EQ(freeze.amount, 0);
  Outcome lowered = exchange_->ApplyBid(lower, kMorning + 3);
  ASSERT_EQ(lowered.releases.size(), 1u);
  EXPECT_EQ(lowered.releases.front().amount, -50'000);  // 2,400,000 - 2,350,000
  Keep(lowered);
  EXPECT_EQ(exchange_->CheckCloseAuction(id, kMorning + 4).code(), "auction_not_closed");

  auto rebuilt = NewExchange();
  ASSERT_TRUE(rebuilt->Load(Snapshot()).ok());
  EXPECT_EQ(rebuilt->CheckConsistency(), "");
  const time_us after = Beijing("2026-11-23", 12, 5);
  ASSERT_TRUE(rebuilt->CheckCloseAuction(id, after).ok());
  Outcome cleared = rebuilt->ApplyCloseAuction(id, after);
  const AuctionRecord& a = cleared.auctions.back();
  EXPECT_EQ(a.status, AuctionStatus::kCleared);
  EXPECT_EQ(a.clearing_price_fen, 4500);
  EXPECT_EQ(a.sold_quantity, 1'000);
  EXPECT_EQ(a.winner_count, 3);
  std::map<OrgId, quantity_t> awarded;
  for (const BidRecord& b : cleared.bids) awarded[b.org_id] = b.awarded_quantity;
  EXPECT_EQ(awarded[kSeller], 500);
  EXPECT_EQ(awarded[kBuyer], 250);
  EXPECT_EQ(awarded[kOther], 250);
  ASSERT_EQ(cleared.settlements.size(), 3u);
  for (const Settlement& s : cleared.settlements) {
    for (const auto& [instrument, sum] : SumsOf(s.postings)) EXPECT_EQ(sum, 0) << instrument;
    EXPECT_EQ(s.trade.price_fen, 4500);
    EXPECT_EQ(s.trade.mode, "auction");
  }
  EXPECT_EQ(rebuilt->FindOpenAuction(id), nullptr);
  EXPECT_EQ(rebuilt->CheckConsistency(), "");
}

TEST_F(NegotiatedTest, StoppedAccountLeavesAnAuctionAfterItsWindowClosed) {
  const time_us closes = Beijing("2026-11-23", 11, 0);
  AuctionRequest announce = Announce(400, kMorning - 1, closes);
  Hold freeze;
  ASSERT_TRUE(exchange_->CheckCreateAuction(announce, kMorning, &freeze).ok());
  Outcome created = exchange_->ApplyCreateAuction(announce, kMorning);
  const std::int64_t id = created.auctions.front().id;
  PlaceBid(id, kSeller, kSellerAccount, 5000, 400, kMorning, 2'000'000);
  PlaceBid(id, kBuyer, kBuyerAccount, 4500, 400, kMorning + 1, 1'800'000);
  const time_us after = closes + 60'000'000;
  EXPECT_EQ(exchange_->CheckWithdrawBid(id, kSeller, after).code(), "auction_closed");
  std::vector<Hold> holds = exchange_->HoldsOfAccount(kSellerAccount);
  ASSERT_EQ(holds.size(), 1u);
  EXPECT_EQ(holds.front().amount, -2'000'000);
  Outcome withdrawn = exchange_->WithdrawAccount(kSellerAccount, after);
  ASSERT_EQ(withdrawn.bids.size(), 1u);
  EXPECT_EQ(withdrawn.bids.front().status, BidStatus::kWithdrawn);
  EXPECT_EQ(exchange_->CheckConsistency(), "");
  Outcome cleared = exchange_->ApplyCloseAuction(id, after);
  EXPECT_EQ(cleared.auctions.back().clearing_price_fen, 4500);
  EXPECT_EQ(cleared.auctions.back().sold_quantity, 400);
}

TEST_F(NegotiatedTest, StoppedSellerCancelsItsAuctionAndReleasesEveryBid) {
  AuctionRequest announce = Announce(400, kMorning - 1, kMorning + 3'600'000'000LL);
  Hold freeze;
  ASSERT_TRUE(exchange_->CheckCreateAuction(announce, kMorning, &freeze).ok());
  const std::int64_t id = exchange_->ApplyCreateAuction(announce, kMorning).auctions.front().id;
  PlaceBid(id, kBuyer, kBuyerAccount, 4500, 400, kMorning + 1, 1'800'000);
  BidRequest own{id, kReserveAccount, kGovernment, 7, 4500, 100};
  EXPECT_EQ(exchange_->CheckBid(own, kMorning + 2, &freeze).code(), "bid_on_own_auction");
  const std::vector<Hold> holds = exchange_->HoldsOfAccount(kReserveAccount);
  ASSERT_EQ(holds.size(), 2u);  // the supply and the buyer's bid
  Outcome out = exchange_->WithdrawAccount(kReserveAccount, kMorning + 3);
  EXPECT_EQ(out.auctions.back().status, AuctionStatus::kCancelled);
  EXPECT_EQ(exchange_->FindOpenAuction(id), nullptr);
  EXPECT_EQ(exchange_->CheckConsistency(), "");
}

// A family whose trades deliver T+1: the CEA rules with delivery_days 1 (a test family; the data
// delivers CEA T+0).
TEST(DeliveryTest, UnderTPlusOneTheBoughtUnitsArriveFrozenAndTheCloseReleasesThem) {
  Exchange exchange(kClearing, [](const std::string& family) -> Result<FamilyTradingRules> {
    Result<FamilyTradingRules> rules = calc::TradingRulesFor(family);
    if (!rules.ok()) return rules;
    FamilyTradingRules t1 = rules.value();
    t1.delivery_days = 1;
    return t1;
  });
  Hold freeze;
  ASSERT_TRUE(exchange.CheckList(Cea2025(), 5000, 0).ok());
  exchange.ApplyList(Cea2025(), 5000, 0, kMorning);
  exchange.ApplySetState(kCea, MarketState::kOpen, kMorning);
  SubmitRequest sell{kCea, kSellerAccount, kSeller, 7, Side::kSell, 5000, 30, ""};
  ASSERT_TRUE(exchange.CheckSubmit(sell, kMorning, &freeze).ok());
  exchange.ApplySubmit(sell, kMorning);
  SubmitRequest buy{kCea, kBuyerAccount, kBuyer, 7, Side::kBuy, 5000, 30, ""};
  ASSERT_TRUE(exchange.CheckSubmit(buy, kMorning, &freeze).ok());
  Outcome traded = exchange.ApplySubmit(buy, kMorning);
  ASSERT_EQ(traded.settlements.size(), 1u);
  bool units_frozen = false;
  for (const Posting& p : traded.settlements.front().postings) {
    if (p.account_id == kBuyerAccount && p.instrument == kCea) units_frozen = p.bucket == Bucket::kFrozen && p.amount == 30;
  }
  EXPECT_TRUE(units_frozen);

  // The close releases each buyer's listing and block purchases of the day, not auction awards.
  MarketTrade a = traded.settlements.front().trade;
  MarketTrade b = a;
  b.mode = "block";
  b.quantity = 100'000;
  MarketTrade c = a;
  c.mode = "auction";
  MarketTrade d = a;
  d.buy_account_id = kOtherAccount;
  d.quantity = 5;
  const std::vector<Hold> releases = DeliveriesAtClose({a, b, c, d});
  ASSERT_EQ(releases.size(), 2u);
  EXPECT_EQ(releases[0].account_id, kBuyerAccount);
  EXPECT_EQ(releases[0].amount, -100'030);
  EXPECT_EQ(releases[1].account_id, kOtherAccount);
  EXPECT_EQ(releases[1].amount, -5);
}

}  // namespace
}  // namespace greenloop::market
