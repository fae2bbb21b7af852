#include "market/exchange.h"

#include <algorithm>
#include <limits>
#include <tuple>

#include "core/assert.h"
#include "core/decimal.h"

namespace greenloop::market {
namespace {

constexpr std::int64_t kBpsDenominator = 10'000;

bool FitsInt64(int128_t v) {
  return v >= std::numeric_limits<std::int64_t>::min() && v <= std::numeric_limits<std::int64_t>::max();
}

std::string Fen(std::int64_t fen) { return std::to_string(fen) + " fen"; }

// The field of the request an order-book code is about.
std::string FieldOf(OrderCode code) {
  switch (code) {
    case OrderCode::kQuantityNotPositive:
    case OrderCode::kQuantityOffLot:
    case OrderCode::kQuantityAboveMax: return "quantity";
    case OrderCode::kPriceNotPositive:
    case OrderCode::kPriceOffTick:
    case OrderCode::kPriceBelowBand:
    case OrderCode::kPriceAboveBand: return "price_fen";
    case OrderCode::kUnknownOrder:
    case OrderCode::kNotOwner: return "order_id";
    default: return "";
  }
}

Status BookRefusal(OrderCode code, const InstrumentRules& rules, const Listing& listing) {
  GL_ASSERT(code != OrderCode::kOk);
  std::string message(OrderCodeMessage(code));
  switch (code) {
    case OrderCode::kQuantityOffLot: message += " (lot " + std::to_string(rules.lot_size) + ")"; break;
    case OrderCode::kQuantityAboveMax:
      message += " (a listing order is at most " + std::to_string(rules.max_quantity_per_order) +
                 "; larger trades go through block agreement trading)";
      break;
    case OrderCode::kPriceOffTick: message += " (tick " + Fen(rules.tick_size_ticks) + ")"; break;
    case OrderCode::kPriceBelowBand:
    case OrderCode::kPriceAboveBand:
      message += " (the band of " + listing.trading_day + " is " + Fen(rules.band_low_ticks) + " to " +
                 Fen(rules.band_high_ticks) + " around the previous close " + Fen(listing.prev_close_fen) + ")";
      break;
    default: break;
  }
  if (code == OrderCode::kBookFull) return Status::Refused(std::string(OrderCodeName(code)), message);
  return Status::Invalid(std::string(OrderCodeName(code)), message, FieldOf(code));
}

bool IsDayOpen(MarketState state) { return state != MarketState::kClosed; }

}  // namespace

Result<std::int64_t> TradeFeeFen(std::int64_t notional_fen, std::int64_t fee_bps) {
  GL_ASSERT(notional_fen >= 0);
  GL_ASSERT(fee_bps >= 0 && fee_bps <= kMaxFeeBps);
  const int128_t fee = static_cast<int128_t>(notional_fen) * fee_bps / kBpsDenominator;
  GL_ASSERT(FitsInt64(fee));
  return static_cast<std::int64_t>(fee);
}

Result<std::int64_t> BuyReservationFen(std::int64_t price_fen, quantity_t open_quantity, std::int64_t fee_bps) {
  GL_ASSERT(price_fen > 0 && open_quantity >= 0);
  GL_ASSERT(fee_bps >= 0 && fee_bps <= kMaxFeeBps);
  const int128_t notional = static_cast<int128_t>(price_fen) * open_quantity;
  const int128_t fee = (notional * fee_bps + kBpsDenominator - 1) / kBpsDenominator;
  const int128_t total = notional + fee;
  if (!FitsInt64(total)) {
    return Status::Invalid("amount_too_large", "price_fen × quantity is larger than the registry can hold", "quantity");
  }
  return static_cast<std::int64_t>(total);
}

std::vector<Hold> DeliveriesAtClose(const std::vector<MarketTrade>& day_trades) {
  std::map<std::pair<AccountId, std::string>, quantity_t> bought;
  for (const MarketTrade& t : day_trades) {
    if (t.mode == "listing" || t.mode == "block") bought[{t.buy_account_id, t.instrument}] += t.quantity;
  }
  std::vector<Hold> releases;
  for (const auto& [key, quantity] : bought) {
    GL_ASSERT(quantity > 0);
    releases.push_back(Hold{key.first, key.second, -quantity});
  }
  return releases;
}

Exchange::Exchange(AccountId clearing_account, RulesLookup rules)
    : clearing_account_(clearing_account), rules_(std::move(rules)) {
  GL_ASSERT(clearing_account_ > 0);
}

Result<InstrumentRules> Exchange::BookRulesOf(const Listing& listing, const FamilyTradingRules& rules) {
  InstrumentRules book;
  book.tick_size_ticks = rules.tick_fen;
  book.lot_size = rules.lot;
  book.max_quantity_per_order = rules.listing_max_quantity;
  book.band_low_ticks = listing.band_low_fen;
  book.band_high_ticks = listing.band_high_fen;
  const std::string problem = RulesProblem(book);
  if (!problem.empty()) {
    return Status::Corruption("the stored band of " + listing.instrument + " does not make a book: " + problem);
  }
  return book;
}

Exchange::Market* Exchange::FindMarket(const std::string& instrument) {
  auto it = markets_.find(instrument);
  return it == markets_.end() ? nullptr : &it->second;
}

const Exchange::Market* Exchange::FindMarket(const std::string& instrument) const {
  auto it = markets_.find(instrument);
  return it == markets_.end() ? nullptr : &it->second;
}

const Listing* Exchange::FindListing(const std::string& instrument) const {
  const Market* market = FindMarket(instrument);
  return market == nullptr ? nullptr : &market->listing;
}

const MarketOrder* Exchange::FindOpenOrder(std::int64_t order_id) const {
  auto it = open_orders_.find(order_id);
  return it == open_orders_.end() ? nullptr : &it->second;
}

std::vector<const MarketOrder*> Exchange::OpenOrdersOfAccount(AccountId account_id) const {
  std::vector<const MarketOrder*> out;
  for (const auto& [id, order] : open_orders_) {
    if (order.account_id == account_id) out.push_back(&order);
  }
  return out;
}

std::vector<const MarketOrder*> Exchange::OpenOrdersOfInstrument(const std::string& instrument) const {
  std::vector<const MarketOrder*> out;
  for (const auto& [id, order] : open_orders_) {
    if (order.instrument == instrument) out.push_back(&order);
  }
  return out;
}

Status Exchange::Load(const MarketSnapshot& snapshot) {
  GL_ASSERT(markets_.empty() && open_orders_.empty());
  for (const Listing& listing : snapshot.listings) {
    Result<FamilyTradingRules> rules = rules_(listing.family);
    if (!rules.ok()) {
      return Status::Corruption("listing " + listing.instrument + ": no trading rules for family " + listing.family);
    }
    Market market;
    market.listing = listing;
    market.rules = rules.value();
    if (IsDayOpen(listing.state)) {
      Result<InstrumentRules> book_rules = BookRulesOf(listing, market.rules);
      if (!book_rules.ok()) return book_rules.status();
      market.book = std::make_unique<OrderBook>(book_rules.value());
    }
    markets_.emplace(listing.instrument, std::move(market));
  }
  std::vector<Event> events;
  for (const BookCommand& c : snapshot.commands) {
    Market* market = FindMarket(c.instrument);
    if (market == nullptr || !market->book || market->listing.trading_day != c.trading_day) continue;
    events.clear();
    bool replayed = false;
    switch (c.kind) {
      case CommandKind::kSubmit: {
        SubmitResult r = market->book->Submit(NewOrder{c.owner_id, c.side, c.price_fen, c.quantity}, &events);
        replayed = r.code == OrderCode::kOk && r.order_id == c.book_order_id;
        break;
      }
      case CommandKind::kCancel:
        replayed = market->book->Cancel(c.book_order_id, c.owner_id, &events) == OrderCode::kOk;
        break;
      case CommandKind::kReplace:
        replayed = market->book->Replace(c.book_order_id, c.owner_id, c.price_fen, c.quantity, &events) ==
                   OrderCode::kOk;
        break;
    }
    if (!replayed) {
      return Status::Corruption("market command " + std::to_string(c.id) + " (" + std::string(ToString(c.kind)) +
                                " of " + c.instrument + ") does not replay as it was first applied");
    }
  }
  for (const MarketOrder& order : snapshot.open_orders) {
    Market* market = FindMarket(order.instrument);
    if (market == nullptr || !market->book || market->listing.trading_day != order.trading_day) {
      return Status::Corruption("open order " + std::to_string(order.id) + " belongs to no open trading day");
    }
    market->order_of_book_id[order.book_order_id] = order.id;
    open_orders_.emplace(order.id, order);
  }
  for (const BlockProposal& block : snapshot.open_blocks) {
    const Market* market = FindMarket(block.instrument);
    if (market == nullptr || !market->book || market->listing.trading_day != block.trading_day ||
        block.status != BlockStatus::kProposed) {
      return Status::Corruption("block " + std::to_string(block.id) + " is proposed outside an open trading day");
    }
    open_blocks_.emplace(block.id, block);
  }
  for (const AuctionRecord& record : snapshot.open_auctions) {
    const std::string problem = AuctionRulesProblem(record.rules);
    if (!problem.empty() || record.status != AuctionStatus::kOpen) {
      return Status::Corruption("auction " + std::to_string(record.id) + " is stored open with bad rules: " + problem);
    }
    OpenAuction open;
    open.record = record;
    open.engine = NewEngine(record.rules);
    open_auctions_.emplace(record.id, std::move(open));
  }
  // Replayed in the order the bids took their time priority, so the engine ranks them as before.
  std::vector<const BidRecord*> bids;
  for (const BidRecord& bid : snapshot.live_bids) bids.push_back(&bid);
  std::sort(bids.begin(), bids.end(), [](const BidRecord* a, const BidRecord* b) {
    return std::tie(a->auction_id, a->sequence) < std::tie(b->auction_id, b->sequence);
  });
  for (const BidRecord* bid : bids) {
    auto it = open_auctions_.find(bid->auction_id);
    if (it == open_auctions_.end() || bid->status != BidStatus::kLive ||
        it->second.engine->Submit(bid->org_id, bid->price_fen, bid->quantity, bid->updated_at_us).code !=
            AuctionCode::kOk) {
      return Status::Corruption("bid of organization " + std::to_string(bid->org_id) + " in auction " +
                                std::to_string(bid->auction_id) + " does not replay");
    }
    it->second.bids.emplace(bid->org_id, *bid);
  }
  for (const HoldingLimit& limit : snapshot.holding_limits) {
    if (limit.max_quantity <= 0) return Status::Corruption("holding limit of " + limit.instrument + " is not positive");
    holding_limits_[{limit.instrument, limit.account_id}] = limit;
  }
  max_command_id_ = snapshot.max_command_id;
  max_order_id_ = snapshot.max_order_id;
  max_trade_id_ = snapshot.max_trade_id;
  max_block_id_ = snapshot.max_block_id;
  max_auction_id_ = snapshot.max_auction_id;
  const std::string problem = CheckConsistency();
  if (!problem.empty()) return Status::Corruption("the rebuilt order books disagree with the stored orders: " + problem);
  return Status::OK();
}

std::string Exchange::CheckConsistency() const {
  std::map<std::string, std::int64_t, std::less<>> open_per_instrument;
  for (const auto& [id, order] : open_orders_) {
    const Market* market = FindMarket(order.instrument);
    if (market == nullptr || !market->book) return "order " + std::to_string(id) + " has no book";
    std::optional<RestingOrder> resting = market->book->Find(order.book_order_id);
    if (!resting || resting->owner_id != order.org_id || resting->side != order.side ||
        resting->price_ticks != order.price_fen || resting->quantity != order.open_quantity) {
      return "order " + std::to_string(id) + " is not resting in the book as stored";
    }
    Result<std::int64_t> need = ReservationFor(*market, order.side, order.price_fen, order.open_quantity);
    if (!need.ok() || need.value() != order.reserved) {
      return "order " + std::to_string(id) + " keeps " + std::to_string(order.reserved) + " frozen, its open quantity needs " +
             (need.ok() ? std::to_string(need.value()) : "more than fits");
    }
    ++open_per_instrument[order.instrument];
  }
  for (const auto& [id, block] : open_blocks_) {
    const Market* market = FindMarket(block.instrument);
    if (market == nullptr || !market->book) return "block " + std::to_string(id) + " has no open day";
    Result<std::int64_t> need = ReservationFor(*market, block.side, block.price_fen, block.quantity);
    if (!need.ok() || need.value() != block.reserved || block.status != BlockStatus::kProposed) {
      return "block " + std::to_string(id) + " keeps " + std::to_string(block.reserved) + " frozen, not what it needs";
    }
  }
  for (const auto& [id, open] : open_auctions_) {
    const AuctionRecord& a = open.record;
    if (a.reserved != a.rules.supply) return "auction " + std::to_string(id) + " does not keep its supply frozen";
    if (a.bid_count != static_cast<std::int64_t>(open.bids.size()) || a.bid_count != open.engine->bid_count()) {
      return "auction " + std::to_string(id) + " counts " + std::to_string(a.bid_count) + " bids, holds " +
             std::to_string(open.bids.size());
    }
    for (const auto& [org, bid] : open.bids) {
      const std::optional<Bid> live = open.engine->FindBid(org);
      if (!live || live->price_fen != bid.price_fen || live->quantity != bid.quantity ||
          bid.reserved_fen != bid.price_fen * bid.quantity || bid.sequence >= a.next_sequence) {
        return "bid of organization " + std::to_string(org) + " in auction " + std::to_string(id) +
               " disagrees with the auction";
      }
    }
  }
  for (const auto& [instrument, market] : markets_) {
    if (!market.book) continue;
    std::string book_problem = market.book->CheckInvariants();
    if (!book_problem.empty()) return instrument + ": " + book_problem;
    if (market.book->resting_order_count() != open_per_instrument[instrument]) {
      return instrument + ": the book rests " + std::to_string(market.book->resting_order_count()) + " orders, " +
             std::to_string(open_per_instrument[instrument]) + " are open";
    }
  }
  return "";
}

Result<std::int64_t> Exchange::ReservationFor(const Market& market, Side side, std::int64_t price_fen,
                                              quantity_t open) const {
  if (side == Side::kSell) return open;
  return BuyReservationFen(price_fen, open, market.listing.fee_bps);
}

// --- operator commands ------------------------------------------------------------------------

Status Exchange::CheckList(const Instrument& instrument, std::int64_t prev_close_fen, std::int64_t fee_bps) const {
  if (instrument.code == kCashInstrument) {
    return Status::Invalid("invalid_field", "CNY is the settlement currency, not a traded instrument", "instrument");
  }
  if (FindMarket(instrument.code) != nullptr) {
    return Status::Conflict("duplicate", instrument.code + " is already listed", "instrument");
  }
  if (instrument.status != InstrumentStatus::kActive) {
    return Status::Refused("instrument_expired", instrument.code + " has expired and cannot be listed", "instrument");
  }
  Result<FamilyTradingRules> rules = rules_(instrument.family);
  if (!rules.ok()) {
    return Status::Refused("no_trading_rules",
                           "family " + instrument.family + " has no trading rules in data/market/trading-rules.json yet",
                           "instrument");
  }
  if (fee_bps < 0 || fee_bps > kMaxFeeBps) {
    return Status::Invalid("invalid_field", "fee_bps must be 0 to " + std::to_string(kMaxFeeBps), "fee_bps");
  }
  Result<InstrumentRules> book = ListingBookRules(rules.value(), prev_close_fen);
  if (!book.ok()) {
    return Status::Invalid("invalid_field",
                           "prev_close_fen must be a positive price on the tick (" + Fen(rules.value().tick_fen) +
                               ") whose band makes a book: " + book.status().message(),
                           "prev_close_fen");
  }
  return Status::OK();
}

Outcome Exchange::ApplyList(const Instrument& instrument, std::int64_t prev_close_fen, std::int64_t fee_bps,
                            time_us now_us) {
  GL_ASSERT(CheckList(instrument, prev_close_fen, fee_bps).ok());
  Market market;
  market.rules = rules_(instrument.family).value();
  market.listing.instrument = instrument.code;
  market.listing.family = instrument.family;
  market.listing.fee_bps = fee_bps;
  market.listing.state = MarketState::kClosed;
  market.listing.prev_close_fen = prev_close_fen;
  market.listing.listed_at_us = now_us;
  market.listing.updated_at_us = now_us;
  Outcome out;
  out.listings.push_back(market.listing);
  markets_.emplace(instrument.code, std::move(market));
  return out;
}

Status Exchange::CheckSetState(const std::string& instrument, MarketState state, time_us now_us) const {
  const Market* market = FindMarket(instrument);
  if (market == nullptr) return Status::NotFound(instrument + " is not listed for trading", "instrument");
  const MarketState from = market->listing.state;
  const std::string transition = std::string(ToString(from)) + " to " + std::string(ToString(state));
  if (from == state) {
    return Status::Conflict("already_in_state", instrument + " is already " + std::string(ToString(state)), "state");
  }
  if (from == MarketState::kClosed) {
    if (state != MarketState::kPreOpen && state != MarketState::kOpen) {
      return Status::Conflict("invalid_transition", "a closed market only opens (pre_open or open), not " + transition,
                              "state");
    }
    SessionState session = SessionAt(market->rules, TradingMode::kListing, now_us);
    if (session.reason == "weekend" || session.reason == "holiday") {
      return Status::Refused("not_a_trading_day", session.local_date + " is not a trading day (" + session.reason + ")",
                             "state");
    }
    if (!market->listing.trading_day.empty() && session.local_date <= market->listing.trading_day) {
      return Status::Conflict("day_already_traded",
                              "the trading day " + session.local_date + " of " + instrument + " was already closed",
                              "state");
    }
    Result<InstrumentRules> book = ListingBookRules(market->rules, market->listing.prev_close_fen);
    if (!book.ok()) return book.status();
    return Status::OK();
  }
  const bool allowed = (from == MarketState::kPreOpen && state == MarketState::kOpen) ||
                       (from == MarketState::kOpen && state == MarketState::kHalted) ||
                       (from == MarketState::kHalted && state == MarketState::kOpen) || state == MarketState::kClosed;
  if (!allowed) return Status::Conflict("invalid_transition", "the market cannot go from " + transition, "state");
  return Status::OK();
}

Outcome Exchange::ApplySetState(const std::string& instrument, MarketState state, time_us now_us,
                                std::optional<std::int64_t> day_close_fen) {
  GL_ASSERT(CheckSetState(instrument, state, now_us).ok());
  Market& market = *FindMarket(instrument);
  Outcome out;
  TradingDay day;
  if (market.listing.state == MarketState::kClosed) {
    const SessionState session = SessionAt(market.rules, TradingMode::kListing, now_us);
    const InstrumentRules book = ListingBookRules(market.rules, market.listing.prev_close_fen).value();
    market.listing.trading_day = session.local_date;
    market.listing.band_low_fen = book.band_low_ticks;
    market.listing.band_high_fen = book.band_high_ticks;
    market.book = std::make_unique<OrderBook>(book);
    market.order_of_book_id.clear();
    day.opened_at_us = now_us;
  } else if (state == MarketState::kClosed) {
    std::vector<std::int64_t> ids;
    for (const auto& [book_id, order_id] : market.order_of_book_id) ids.push_back(order_id);
    std::sort(ids.begin(), ids.end());
    for (std::int64_t id : ids) EndOrder(market, open_orders_.at(id), OrderStatus::kExpired, OrderEnd::kExpired, now_us, &out);
    GL_ASSERT(market.order_of_book_id.empty());
    std::vector<std::int64_t> blocks;
    for (const auto& [id, block] : open_blocks_) {
      if (block.instrument == instrument) blocks.push_back(id);
    }
    for (std::int64_t id : blocks) EndBlock(open_blocks_.at(id), BlockStatus::kExpired, 0, now_us, &out);
    market.book.reset();
    day.close_fen = day_close_fen.value_or(market.listing.prev_close_fen);
    day.closed_at_us = now_us;
  }
  // The day's row carries the reference it opened with; the store keeps the first opened_at.
  const bool day_changes = day.opened_at_us != 0 || day.closed_at_us != 0;
  if (day_changes) {
    day.instrument = market.listing.instrument;
    day.trading_day = market.listing.trading_day;
    day.prev_close_fen = market.listing.prev_close_fen;
    day.band_low_fen = market.listing.band_low_fen;
    day.band_high_fen = market.listing.band_high_fen;
    out.days.push_back(day);
  }
  if (state == MarketState::kClosed) {
    GL_ASSERT(day.close_fen > 0);
    market.listing.prev_close_fen = day.close_fen;
  }
  market.listing.state = state;
  market.listing.updated_at_us = now_us;
  out.listings.push_back(market.listing);
  return out;
}

// --- orders ---------------------------------------------------------------------------------------

Status Exchange::CheckTradingNow(const Market& market, time_us now_us) const {
  const Listing& listing = market.listing;
  if (listing.state == MarketState::kHalted) {
    return Status::Refused("market_halted", listing.instrument + " is halted by the exchange; only cancels are accepted",
                           "instrument");
  }
  if (listing.state != MarketState::kOpen) {
    return Status::Refused("market_not_open",
                           listing.instrument + " is " + std::string(ToString(listing.state)) +
                               "; orders are accepted only while its market is open",
                           "instrument");
  }
  const SessionState session = SessionAt(market.rules, TradingMode::kListing, now_us);
  if (session.local_date != listing.trading_day) {
    return Status::Refused("trading_day_not_open",
                           "the open trading day of " + listing.instrument + " is " + listing.trading_day + ", not " +
                               session.local_date + "; the exchange closes it and opens the new day",
                           "instrument");
  }
  if (!session.open) {
    return Status::Refused("outside_trading_hours",
                           "listing trading of " + listing.instrument + " is closed now (" + session.reason +
                               "); sessions are 09:30-11:30 and 13:00-15:00 local time",
                           "instrument");
  }
  return Status::OK();
}

Status Exchange::CheckSubmit(const SubmitRequest& request, time_us now_us, Hold* freeze) const {
  GL_ASSERT(freeze != nullptr);
  const Market* market = FindMarket(request.instrument);
  if (market == nullptr) return Status::NotFound(request.instrument + " is not listed for trading", "instrument");
  GL_ASSERT(request.account_id > 0 && request.org_id > 0);
  GL_RETURN_IF_ERROR(CheckTradingNow(*market, now_us));
  const OrderCode code = market->book->CheckSubmit(NewOrder{request.org_id, request.side, request.price_fen, request.quantity});
  if (code != OrderCode::kOk) return BookRefusal(code, market->book->rules(), market->listing);
  Result<std::int64_t> reserve = ReservationFor(*market, request.side, request.price_fen, request.quantity);
  if (!reserve.ok()) return reserve.status();
  freeze->account_id = request.account_id;
  freeze->instrument = request.side == Side::kSell ? request.instrument : std::string(kCashInstrument);
  freeze->amount = reserve.value();
  return Status::OK();
}

void Exchange::LogCommand(const Market& market, CommandKind kind, const MarketOrder& order, time_us now_us,
                          Outcome* out) {
  BookCommand c;
  c.id = ++max_command_id_;
  c.instrument = market.listing.instrument;
  c.trading_day = market.listing.trading_day;
  c.kind = kind;
  c.book_order_id = order.book_order_id;
  c.owner_id = order.org_id;
  c.side = order.side;
  c.price_fen = order.price_fen;
  c.quantity = order.open_quantity;  // what a submit or replace gave the book; a cancel ignores it
  c.at_us = now_us;
  out->commands.push_back(std::move(c));
}

Outcome Exchange::ApplySubmit(const SubmitRequest& request, time_us now_us) {
  Market& market = *FindMarket(request.instrument);
  GL_ASSERT(market.book != nullptr);
  std::vector<Event> events;
  const SubmitResult result =
      market.book->Submit(NewOrder{request.org_id, request.side, request.price_fen, request.quantity}, &events);
  GL_ASSERT(result.code == OrderCode::kOk);

  MarketOrder order;
  order.id = ++max_order_id_;
  order.instrument = request.instrument;
  order.trading_day = market.listing.trading_day;
  order.book_order_id = result.order_id;
  order.account_id = request.account_id;
  order.org_id = request.org_id;
  order.user_id = request.user_id;
  order.side = request.side;
  order.price_fen = request.price_fen;
  order.quantity = request.quantity;
  order.open_quantity = request.quantity;
  order.reserved_instrument = request.side == Side::kSell ? request.instrument : std::string(kCashInstrument);
  order.reserved = ReservationFor(market, request.side, request.price_fen, request.quantity).value();
  order.client_order_id = request.client_order_id;
  order.created_at_us = now_us;
  order.updated_at_us = now_us;
  market.order_of_book_id[result.order_id] = order.id;
  open_orders_.emplace(order.id, order);

  Outcome out;
  out.order_id = order.id;
  LogCommand(market, CommandKind::kSubmit, order, now_us, &out);
  RecordOrder(order, &out);
  ProcessEvents(market, events, now_us, &out);
  return out;
}

void Exchange::RecordOrder(const MarketOrder& order, Outcome* out) {
  for (MarketOrder& recorded : out->orders) {
    if (recorded.id == order.id) {
      recorded = order;
      return;
    }
  }
  out->orders.push_back(order);
}

void Exchange::EndOrder(Market& market, MarketOrder& order, OrderStatus status, OrderEnd end, time_us now_us,
                        Outcome* out) {
  GL_ASSERT(order.status == OrderStatus::kOpen && status != OrderStatus::kOpen);
  if (order.reserved > 0) out->releases.push_back(Hold{order.account_id, order.reserved_instrument, -order.reserved});
  order.reserved = 0;
  order.open_quantity = 0;
  order.status = status;
  order.end = end;
  order.updated_at_us = now_us;
  RecordOrder(order, out);
  const std::size_t erased = market.order_of_book_id.erase(order.book_order_id);
  GL_ASSERT(erased == 1);
  open_orders_.erase(order.id);  // `order` dangles from here on
}

void Exchange::SettlementPostings(const std::string& instrument, AccountId seller, AccountId buyer,
                                  quantity_t quantity, std::int64_t buyer_frozen_fen, std::int64_t buyer_pays_fen,
                                  std::int64_t seller_gets_fen, std::int64_t fees_fen, Bucket buyer_units,
                                  std::vector<Posting>* out) const {
  GL_ASSERT(quantity > 0 && seller != buyer);
  GL_ASSERT(buyer_pays_fen > 0 && buyer_frozen_fen >= buyer_pays_fen);
  GL_ASSERT(seller_gets_fen > 0 && fees_fen >= 0 && seller_gets_fen + fees_fen == buyer_pays_fen);
  const std::string cash(kCashInstrument);
  const std::int64_t release_fen = buyer_frozen_fen - buyer_pays_fen;
  out->push_back(Posting{seller, instrument, Bucket::kFrozen, -quantity});
  out->push_back(Posting{buyer, instrument, buyer_units, quantity});
  out->push_back(Posting{buyer, cash, Bucket::kFrozen, -buyer_frozen_fen});
  if (release_fen > 0) out->push_back(Posting{buyer, cash, Bucket::kAvailable, release_fen});
  out->push_back(Posting{seller, cash, Bucket::kAvailable, seller_gets_fen});
  if (fees_fen > 0) out->push_back(Posting{clearing_account_, cash, Bucket::kAvailable, fees_fen});
}

void Exchange::ProcessEvents(Market& market, const std::vector<Event>& events, time_us now_us, Outcome* out) {
  const std::string& instrument = market.listing.instrument;
  for (const Event& e : events) {
    if (e.kind == EventKind::kCancelled) {
      GL_ASSERT(e.reason == CancelReason::kSelfTrade);
      MarketOrder& stopped = open_orders_.at(market.order_of_book_id.at(e.order_id));
      EndOrder(market, stopped, OrderStatus::kCancelled, OrderEnd::kSelfTrade, now_us, out);
      continue;
    }
    if (e.kind != EventKind::kTrade) continue;
    MarketOrder& buy = open_orders_.at(market.order_of_book_id.at(e.buy_order_id));
    MarketOrder& sell = open_orders_.at(market.order_of_book_id.at(e.sell_order_id));
    GL_ASSERT(buy.side == Side::kBuy && sell.side == Side::kSell);
    GL_ASSERT(e.price_ticks <= buy.price_fen && e.price_ticks >= sell.price_fen);
    GL_ASSERT(e.quantity > 0 && e.quantity <= buy.open_quantity && e.quantity <= sell.open_quantity);
    const int128_t notional_wide = static_cast<int128_t>(e.price_ticks) * e.quantity;
    GL_ASSERT(FitsInt64(notional_wide));  // the buy reservation, which is larger, fitted
    const std::int64_t notional = static_cast<std::int64_t>(notional_wide);
    const std::int64_t buyer_fee = TradeFeeFen(notional, market.listing.fee_bps).value();
    const std::int64_t seller_fee = TradeFeeFen(notional, market.listing.fee_bps).value();
    const std::int64_t buyer_pays = notional + buyer_fee;
    const std::int64_t seller_gets = notional - seller_fee;
    GL_ASSERT(seller_gets > 0);

    buy.open_quantity -= e.quantity;
    buy.filled_quantity += e.quantity;
    sell.open_quantity -= e.quantity;
    sell.filled_quantity += e.quantity;
    const std::int64_t buy_still_needs = ReservationFor(market, Side::kBuy, buy.price_fen, buy.open_quantity).value();
    const std::int64_t buy_release = buy.reserved - buyer_pays - buy_still_needs;
    GL_ASSERT(buy_release >= 0);  // the reservation covers every fill (header comment)
    buy.reserved = buy_still_needs;
    sell.reserved -= e.quantity;
    GL_ASSERT(sell.reserved == sell.open_quantity);
    buy.updated_at_us = now_us;
    sell.updated_at_us = now_us;

    Settlement s;
    MarketTrade& t = s.trade;
    t.id = ++max_trade_id_;
    t.instrument = instrument;
    t.trading_day = market.listing.trading_day;
    t.mode = "listing";
    t.buy_order_id = buy.id;
    t.sell_order_id = sell.id;
    t.buy_account_id = buy.account_id;
    t.sell_account_id = sell.account_id;
    t.buy_org_id = buy.org_id;
    t.sell_org_id = sell.org_id;
    t.aggressor = e.side;
    t.price_fen = e.price_ticks;
    t.quantity = e.quantity;
    t.buyer_fee_fen = buyer_fee;
    t.seller_fee_fen = seller_fee;
    t.at_us = now_us;
    SettlementPostings(instrument, sell.account_id, buy.account_id, e.quantity, buyer_pays + buy_release, buyer_pays,
                       seller_gets, buyer_fee + seller_fee, DeliveryBucket(market.rules), &s.postings);
    out->settlements.push_back(std::move(s));

    const bool buy_done = buy.open_quantity == 0;
    const bool sell_done = sell.open_quantity == 0;
    RecordOrder(buy, out);
    RecordOrder(sell, out);
    if (buy_done) EndOrder(market, buy, OrderStatus::kFilled, OrderEnd::kFilled, now_us, out);
    if (sell_done) EndOrder(market, sell, OrderStatus::kFilled, OrderEnd::kFilled, now_us, out);
  }
}

Status Exchange::CheckCancel(std::int64_t order_id, OrgId org_id) const {
  const MarketOrder* order = FindOpenOrder(order_id);
  if (order == nullptr || order->org_id != org_id) {
    return Status::NotFound("order " + std::to_string(order_id) +
                                " is not an open order of your organization (never placed, filled, cancelled or expired)",
                            "order_id");
  }
  return Status::OK();
}

Outcome Exchange::ApplyCancel(std::int64_t order_id, OrgId org_id, time_us now_us) {
  GL_ASSERT(CheckCancel(order_id, org_id).ok());
  MarketOrder& order = open_orders_.at(order_id);
  Market& market = *FindMarket(order.instrument);
  std::vector<Event> events;
  const OrderCode code = market.book->Cancel(order.book_order_id, order.org_id, &events);
  GL_ASSERT(code == OrderCode::kOk);
  Outcome out;
  out.order_id = order_id;
  LogCommand(market, CommandKind::kCancel, order, now_us, &out);
  EndOrder(market, order, OrderStatus::kCancelled, OrderEnd::kCancelled, now_us, &out);
  return out;
}

Status Exchange::CheckReplace(const ReplaceRequest& request, time_us now_us, Hold* freeze) const {
  GL_ASSERT(freeze != nullptr);
  GL_RETURN_IF_ERROR(CheckCancel(request.order_id, request.org_id));
  const MarketOrder& order = open_orders_.at(request.order_id);
  const Market& market = *FindMarket(order.instrument);
  GL_RETURN_IF_ERROR(CheckTradingNow(market, now_us));
  const OrderCode code =
      market.book->CheckReplace(order.book_order_id, order.org_id, request.price_fen, request.quantity);
  if (code != OrderCode::kOk) return BookRefusal(code, market.book->rules(), market.listing);
  Result<std::int64_t> reserve = ReservationFor(market, order.side, request.price_fen, request.quantity);
  if (!reserve.ok()) return reserve.status();
  freeze->account_id = order.account_id;
  freeze->instrument = order.reserved_instrument;
  freeze->amount = std::max<std::int64_t>(0, reserve.value() - order.reserved);
  return Status::OK();
}

Outcome Exchange::ApplyReplace(const ReplaceRequest& request, time_us now_us) {
  MarketOrder& order = open_orders_.at(request.order_id);
  Market& market = *FindMarket(order.instrument);
  std::vector<Event> events;
  const OrderCode code =
      market.book->Replace(order.book_order_id, order.org_id, request.price_fen, request.quantity, &events);
  GL_ASSERT(code == OrderCode::kOk);
  const std::int64_t reserve = ReservationFor(market, order.side, request.price_fen, request.quantity).value();
  Outcome out;
  out.order_id = order.id;
  if (reserve < order.reserved) out.releases.push_back(Hold{order.account_id, order.reserved_instrument, reserve - order.reserved});
  order.reserved = reserve;
  order.price_fen = request.price_fen;
  order.open_quantity = request.quantity;
  order.updated_at_us = now_us;
  LogCommand(market, CommandKind::kReplace, order, now_us, &out);
  RecordOrder(order, &out);
  ProcessEvents(market, events, now_us, &out);
  return out;
}

Outcome Exchange::Withdraw(const std::vector<std::int64_t>& order_ids, time_us now_us) {
  Outcome out;
  std::vector<Event> events;
  for (std::int64_t id : order_ids) {
    MarketOrder& order = open_orders_.at(id);
    Market& market = *FindMarket(order.instrument);
    events.clear();
    const OrderCode code = market.book->Cancel(order.book_order_id, order.org_id, &events);
    GL_ASSERT(code == OrderCode::kOk);
    LogCommand(market, CommandKind::kCancel, order, now_us, &out);
    EndOrder(market, order, OrderStatus::kCancelled, OrderEnd::kAccountStopped, now_us, &out);
  }
  return out;
}

Outcome Exchange::WithdrawAccount(AccountId account_id, time_us now_us) {
  std::vector<std::int64_t> ids;
  for (const MarketOrder* order : OpenOrdersOfAccount(account_id)) ids.push_back(order->id);
  Outcome out = Withdraw(ids, now_us);
  std::vector<std::int64_t> blocks;
  for (const auto& [id, block] : open_blocks_) {
    if (block.proposer_account_id == account_id) blocks.push_back(id);
  }
  for (std::int64_t id : blocks) EndBlock(open_blocks_.at(id), BlockStatus::kExpired, 0, now_us, &out);
  for (std::int64_t id : AuctionsSoldFrom(account_id)) CancelAuction(id, now_us, &out);
  // The account's bids elsewhere leave their auctions; the engine is rebuilt from the remaining
  // bids in time priority, since a closed window no longer takes a withdrawal.
  for (auto& [id, open] : open_auctions_) {
    std::vector<OrgId> leaving;
    for (const auto& [org, bid] : open.bids) {
      if (bid.account_id == account_id) leaving.push_back(org);
    }
    if (leaving.empty()) continue;
    for (OrgId org : leaving) {
      BidRecord bid = open.bids.at(org);
      open.bids.erase(org);
      out.releases.push_back(Hold{bid.account_id, std::string(kCashInstrument), -bid.reserved_fen});
      bid.reserved_fen = 0;
      bid.status = BidStatus::kWithdrawn;
      bid.updated_at_us = now_us;
      out.bids.push_back(bid);
    }
    std::vector<const BidRecord*> remaining;
    for (const auto& [org, bid] : open.bids) remaining.push_back(&bid);
    std::sort(remaining.begin(), remaining.end(),
              [](const BidRecord* a, const BidRecord* b) { return a->sequence < b->sequence; });
    open.engine = NewEngine(open.record.rules);
    for (const BidRecord* bid : remaining) {
      const BidResult r = open.engine->Submit(bid->org_id, bid->price_fen, bid->quantity, bid->updated_at_us);
      GL_ASSERT(r.code == AuctionCode::kOk);
    }
    open.record.bid_count = static_cast<std::int64_t>(open.bids.size());
    open.record.updated_at_us = now_us;
    out.auctions.push_back(open.record);
  }
  return out;
}

Outcome Exchange::WithdrawInstrument(const std::string& instrument, time_us now_us) {
  std::vector<std::int64_t> ids;
  for (const MarketOrder* order : OpenOrdersOfInstrument(instrument)) ids.push_back(order->id);
  Outcome out = Withdraw(ids, now_us);
  std::vector<std::int64_t> blocks;
  for (const auto& [id, block] : open_blocks_) {
    if (block.instrument == instrument) blocks.push_back(id);
  }
  for (std::int64_t id : blocks) EndBlock(open_blocks_.at(id), BlockStatus::kExpired, 0, now_us, &out);
  std::vector<std::int64_t> auctions;
  for (const auto& [id, open] : open_auctions_) {
    if (open.record.instrument == instrument) auctions.push_back(id);
  }
  for (std::int64_t id : auctions) CancelAuction(id, now_us, &out);
  return out;
}

std::vector<Hold> Exchange::HoldsOfAccount(AccountId account_id) const {
  std::vector<Hold> holds;
  for (const MarketOrder* order : OpenOrdersOfAccount(account_id)) {
    if (order->reserved > 0) holds.push_back(Hold{order->account_id, order->reserved_instrument, -order->reserved});
  }
  for (const auto& [id, block] : open_blocks_) {
    if (block.proposer_account_id == account_id) {
      holds.push_back(Hold{account_id, block.reserved_instrument, -block.reserved});
    }
  }
  for (const auto& [id, open] : open_auctions_) {
    const bool sold_here = open.record.seller_account_id == account_id;
    if (sold_here) holds.push_back(Hold{account_id, open.record.instrument, -open.record.reserved});
    for (const auto& [org, bid] : open.bids) {
      if (sold_here || bid.account_id == account_id) {
        holds.push_back(Hold{bid.account_id, std::string(kCashInstrument), -bid.reserved_fen});
      }
    }
  }
  return holds;
}

std::vector<Hold> Exchange::HoldsOfInstrument(const std::string& instrument) const {
  std::vector<Hold> holds;
  for (const MarketOrder* order : OpenOrdersOfInstrument(instrument)) {
    if (order->reserved > 0) holds.push_back(Hold{order->account_id, order->reserved_instrument, -order->reserved});
  }
  for (const auto& [id, block] : open_blocks_) {
    if (block.instrument == instrument) {
      holds.push_back(Hold{block.proposer_account_id, block.reserved_instrument, -block.reserved});
    }
  }
  for (const auto& [id, open] : open_auctions_) {
    if (open.record.instrument != instrument) continue;
    holds.push_back(Hold{open.record.seller_account_id, instrument, -open.record.reserved});
    for (const auto& [org, bid] : open.bids) {
      holds.push_back(Hold{bid.account_id, std::string(kCashInstrument), -bid.reserved_fen});
    }
  }
  return holds;
}

}  // namespace greenloop::market

namespace greenloop::market {

Status Exchange::CheckSetHoldingLimit(const HoldingLimit& limit) const {
  if (limit.instrument == kCashInstrument) {
    return Status::Invalid("invalid_field", "CNY is the settlement currency and has no holding limit", "instrument");
  }
  if (limit.account_id < 0) return Status::Invalid("invalid_field", "account_id must be positive", "account_id");
  if (limit.max_quantity < 0) {
    return Status::Invalid("invalid_field", "max_quantity must be positive, or 0 to remove the limit", "max_quantity");
  }
  if (limit.max_quantity == 0 && !holding_limits_.contains({limit.instrument, limit.account_id})) {
    return Status::NotFound("there is no such holding limit to remove", "max_quantity");
  }
  return Status::OK();
}

Outcome Exchange::ApplySetHoldingLimit(const HoldingLimit& limit) {
  GL_ASSERT(CheckSetHoldingLimit(limit).ok());
  if (limit.max_quantity == 0) {
    holding_limits_.erase({limit.instrument, limit.account_id});
  } else {
    holding_limits_[{limit.instrument, limit.account_id}] = limit;
  }
  Outcome out;
  out.holding_limits.push_back(limit);
  return out;
}

std::optional<quantity_t> Exchange::HoldingLimitOf(const std::string& instrument, AccountId account_id) const {
  auto own = holding_limits_.find({instrument, account_id});
  if (own != holding_limits_.end()) return own->second.max_quantity;
  auto every = holding_limits_.find({instrument, AccountId{0}});
  if (every != holding_limits_.end()) return every->second.max_quantity;
  return std::nullopt;
}

quantity_t Exchange::PendingPurchases(AccountId account_id, const std::string& instrument) const {
  quantity_t pending = 0;
  for (const MarketOrder* order : OpenOrdersOfAccount(account_id)) {
    if (order->instrument == instrument && order->side == Side::kBuy) pending += order->open_quantity;
  }
  for (const auto& [id, block] : open_blocks_) {
    if (block.proposer_account_id == account_id && block.instrument == instrument && block.side == Side::kBuy) {
      pending += block.quantity;
    }
  }
  for (const auto& [id, open] : open_auctions_) {
    if (open.record.instrument != instrument) continue;
    for (const auto& [org, bid] : open.bids) {
      if (bid.account_id == account_id) pending += bid.quantity;
    }
  }
  GL_ASSERT(pending >= 0);
  return pending;
}

Status Exchange::CheckHoldingLimit(AccountId account_id, const std::string& instrument, quantity_t held,
                                   quantity_t adding) const {
  if (adding <= 0) return Status::OK();
  const std::optional<quantity_t> limit = HoldingLimitOf(instrument, account_id);
  if (!limit) return Status::OK();
  const quantity_t pending = PendingPurchases(account_id, instrument);
  if (held + pending + adding > *limit) {
    return Status::Refused("holding_limit_exceeded",
                           "account " + std::to_string(account_id) + " may hold at most " + std::to_string(*limit) + " " +
                               instrument + "; it holds " + std::to_string(held) + " and has " + std::to_string(pending) +
                               " in open purchases, so it may buy at most " +
                               std::to_string(std::max<quantity_t>(0, *limit - held - pending)) + " more",
                           "quantity");
  }
  return Status::OK();
}

}  // namespace greenloop::market
