// tests/fuzz/order_entry_fuzz.cc
//
// libFuzzer target for the order-entry path (docs/testing.md, "Fuzzing the order entry"). Each
// input is an order request body as POST /api/v1/market/orders receives it, then a stream of
// exchange commands. Both run against a pure market::Exchange the way ExchangeService drives it
// (Check, freeze what Check asked for, Apply only when both succeeded, post the settlements and
// the releases), with a small model of the registry's holdings in place of the ledger. After
// every command every invariant listed below is checked; a broken one traps, which libFuzzer
// reports as a crash and the replay (replay_main.cc) as a failed test.
//
// Input layout. Bytes past the end read as 0, so every input decodes to something.
//   body      the bytes before the first NUL (all of them when there is none): the JSON body,
//             parsed with RequestBody::Parse and read field by field as OrderBody in
//             src/http/market_api.cc does. A body that reads as an order is submitted once the
//             day is open, and again by every command 8.
//   header    8 bytes after the NUL:
//             h0 bits 0-1  rules variant (kRulesVariants: the published CEA rules, a coarser
//                          tick and lot, or an extreme tick with a huge maximum quantity)
//                bit 2     T+1 delivery: bought units stay frozen until the day closes
//             h1 bits 0-2  fee of CEA-2025 (kFeesBps), bit 3 set: CEA-2026 is not listed,
//                bits 4-6  fee of CEA-2026
//             h2 h3, h4 h5 previous close of each instrument: 500 (400) ticks + int16 / 16
//             h6, h7       cash, units of each account: 2 bits per account (kCashFen, kUnits)
//   commands  8 bytes each, at most kMaxCommands (128): op, arg, a16, b32 (little endian); op % 10:
//             0-2 submit   arg bits 0-1 account, 2 instrument, 3 sell; price a16, quantity b32
//             3   cancel   arg: which order (OrderIdOf), a16 bits 0-1 another organization
//             4-5 replace  arg: which order; price a16, quantity b32
//             6   time     arg % 8: +a16 s (0-2), +a16 min (3), to the next 13:00, 09:30 or
//                          11:30 local (4-6), +1 µs (7); time only moves forward
//             7   state    arg bit 0 instrument, bits 1-2 the state (pre_open, open, halted, closed)
//             8   submit the JSON body's order again
//             9   account  arg bits 0-1 account, bit 2 set: the regulator reopens it, else
//                          freezes it (its orders are withdrawn as ExchangeService does); with
//                          arg bit 3 instead a holding limit: bit 4 instrument, bit 5 the default
//                          for every account, b32 the maximum (0 removes it, or negative)
//             Prices (a16): top 3 bits the kind — within 16 ticks of the previous close (0-1),
//             anywhere in the band ± 2 ticks (2-3), within 128 ticks of the close (4), off the
//             tick (5), far outside the band (6), special values (7: 0, negative, the band's
//             edges ± 1 tick, INT64_MAX, ...). Quantities (b32): top 3 bits the kind — 1-32 lots
//             (0-1), 1-500 lots (2-3), any valid (4), off the lot (5), around the maximum, zero
//             and negative (6), huge (7: 2^30 and more, INT64_MIN, ...).
//
// Invariants checked after every command:
//   - Exchange::CheckConsistency() is empty (books, open orders, reservations);
//   - every open order's reserved amount is positive, a closed order's is zero;
//   - in the model ledger no frozen amount is negative, frozen <= balance, and per account and
//     instrument frozen equals the sum of what the exchange says its open orders reserve (plus,
//     under T+1, the units bought today, all released when the day closes);
//   - every instrument's total balance is what was issued at the start (nothing created or lost);
//   - every settlement has non-zero postings that sum to zero per instrument, touches no stopped
//     account, trades on the tick, on the lot, within the day's band, between two organizations;
//   - a refused command (Check said no, or the model ledger could not freeze) changed nothing:
//     open orders, their reserved and open quantities, the listings' states and the holding
//     limits are as before;
//   - the canonical form of the body (the idempotency hash's input) is a fixed point.
//
// Set GREENLOOP_FUZZ_TRACE=1 to print each decoded command and its outcome to stderr.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "calc/market_rules.h"
#include "core/decimal.h"
#include "core/time.h"
#include "http/request_body.h"
#include "market/exchange.h"
#include "market/market_data.h"
#include "market/records.h"

namespace greenloop {
namespace {

using market::Exchange;
using market::Hold;
using market::Listing;
using market::MarketOrder;
using market::MarketState;
using market::Outcome;
using market::Settlement;

// Keeps one execution under a millisecond even in the worst case (about 0.3 ms for 128 commands in
// a Release build; the sanitized fuzzing build is several times slower): every command is followed
// by checks that walk every price level of every book.
constexpr std::size_t kMaxCommands = 128;
constexpr std::size_t kHeaderBytes = 8;
constexpr std::size_t kCommandBytes = 8;
constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kInt64Min = std::numeric_limits<std::int64_t>::min();

constexpr AccountId kClearingAccount = 900;
constexpr UserId kUser = 7;

struct TestAccount {
  AccountId id;
  OrgId org;
};
// Two accounts of organization 1: self-trade prevention compares organizations, so it must stop
// orders of different accounts of one owner.
constexpr TestAccount kAccounts[] = {{11, 1}, {12, 1}, {21, 2}, {31, 3}};
constexpr std::size_t kAccountCount = std::size(kAccounts);
constexpr OrgId kOrgWithoutAccount = 4;
constexpr std::size_t kInstrumentCount = 2;
const std::string kInstrumentCodes[kInstrumentCount] = {"CEA-2025", "CEA-2026"};

// The family rules are the published CEA ones (calc::TradingRulesFor: sessions, calendar, ±10 %
// band, tick 1 fen, lot 1 t, at most 99,999 t per order). Variants 1 and 2 coarsen the tick and
// the lot, since with both at 1 no price or quantity could be off them. Variant 3 is deliberately
// extreme — a tick of 10^10 fen and the largest maximum a book allows (2^30) — so that
// price × quantity overflows 64 bits inside the band and closes reach the band arithmetic's limits.
struct RulesVariant {
  std::int64_t tick_fen;    // 0: as published
  quantity_t lot;           // 0: as published
  quantity_t max_quantity;  // 0: the published maximum rounded down to the lot
};
constexpr RulesVariant kRulesVariants[] = {
    {0, 0, 0}, {5, 100, 0}, {25, 1000, 0}, {10'000'000'000, 1, kMaxOrderQuantity}};
constexpr std::int64_t kFeesBps[] = {5, 0, 1, 10, 30, 100, 999, 1000};
constexpr quantity_t kCashFen[] = {10'000'000'000, 0, 1'000'000, quantity_t{1} << 60};
constexpr quantity_t kUnits[] = {1'000'000, 0, 100, quantity_t{1} << 60};

// Monday 2026-11-23, 10:00 in Beijing: inside the morning session.
const time_us kMondayMorning = *ParseDateDays("2026-11-23") * kMicrosPerDay + 2 * 3'600'000'000LL;

[[noreturn]] void Fail(std::size_t step, const std::string& what) {
  std::fprintf(stderr, "order_entry_fuzz: invariant broken at step %zu: %s\n", step, what.c_str());
  __builtin_trap();
}

// Reads the input; past its end every read is 0.
class ByteReader {
 public:
  ByteReader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::uint8_t U8() { return pos_ < size_ ? data_[pos_++] : std::uint8_t{0}; }
  std::uint16_t U16() {
    const unsigned low = U8();
    return static_cast<std::uint16_t>(low | (unsigned{U8()} << 8));
  }
  std::uint32_t U32() {
    const std::uint32_t low = U16();
    return low | (std::uint32_t{U16()} << 16);
  }
  std::size_t remaining() const { return size_ - pos_; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

struct Command {
  std::uint8_t op = 0;
  std::uint8_t arg = 0;
  std::uint16_t a16 = 0;
  std::uint32_t b32 = 0;
};

// What POST /api/v1/market/orders reads from its body (OrderInput in service/exchange_service.h).
struct OrderInput {
  std::string instrument;
  AccountId account_id = 0;
  Side side = Side::kBuy;
  std::int64_t price_fen = 0;
  quantity_t quantity = 0;
  std::string client_order_id;
};

// OrderBody in src/http/market_api.cc, call for call (it is private to that file).
Status ReadOrderBody(const RequestBody& body, OrderInput* in) {
  GL_RETURN_IF_ERROR(body.OnlyFields({"instrument", "account_id", "side", "price_fen", "quantity", "client_order_id"}));
  GL_RETURN_IF_ERROR(body.String("instrument", &in->instrument, 40));
  GL_RETURN_IF_ERROR(body.Integer("account_id", &in->account_id));
  std::string side;
  GL_RETURN_IF_ERROR(body.String("side", &side, 8));
  std::optional<Side> parsed = market::ParseSide(side);
  if (!parsed) return Status::Invalid("invalid_field", "side must be buy or sell", "side");
  in->side = *parsed;
  GL_RETURN_IF_ERROR(body.Integer("price_fen", &in->price_fen));
  GL_RETURN_IF_ERROR(body.Integer("quantity", &in->quantity));
  std::optional<std::string> client_id;
  GL_RETURN_IF_ERROR(body.OptionalString("client_order_id", &client_id, 64));
  in->client_order_id = client_id.value_or("");
  return Status::OK();
}

// What a refused command must leave as it was.
struct Fingerprint {
  std::size_t open_orders = 0;
  int128_t reserved = 0;
  int128_t open_quantity = 0;
  // Each listing's state, day and reference price.
  MarketState state[kInstrumentCount] = {};
  std::string trading_day[kInstrumentCount];
  std::int64_t prev_close_fen[kInstrumentCount] = {};
  // Each account's holding limit per instrument, then the default's.
  std::optional<quantity_t> limit[kInstrumentCount][kAccountCount + 1];

  bool operator==(const Fingerprint& o) const {
    for (std::size_t i = 0; i < kInstrumentCount; ++i) {
      if (state[i] != o.state[i] || trading_day[i] != o.trading_day[i] || prev_close_fen[i] != o.prev_close_fen[i]) {
        return false;
      }
      for (std::size_t a = 0; a <= kAccountCount; ++a) {
        if (limit[i][a] != o.limit[i][a]) return false;
      }
    }
    return open_orders == o.open_orders && reserved == o.reserved && open_quantity == o.open_quantity;
  }
};

struct ModelHolding {
  quantity_t balance = 0;  // available + frozen
  quantity_t frozen = 0;
};

// The model ledger's holdings are indexed by account (kAccounts, then the clearing account) and
// instrument (CNY, then kInstrumentCodes), not by name: it is checked after every command.
constexpr std::size_t kHoldingAccounts = kAccountCount + 1;
constexpr std::size_t kHoldingInstruments = kInstrumentCount + 1;

std::string N(std::int64_t v) { return std::to_string(v); }

std::int64_t Saturate(int128_t v) {
  if (v > kInt64Max) return kInt64Max;
  if (v < kInt64Min) return kInt64Min;
  return static_cast<std::int64_t>(v);
}

class OrderEntryRun {
 public:
  OrderEntryRun(const std::uint8_t* data, std::size_t size) {
    static const bool trace = std::getenv("GREENLOOP_FUZZ_TRACE") != nullptr;
    trace_ = trace;
    std::size_t body_size = 0;
    while (body_size < size && data[body_size] != 0) ++body_size;
    if (body_size > 0) body_.assign(reinterpret_cast<const char*>(data), body_size);
    const std::size_t rest = body_size < size ? body_size + 1 : size;
    stream_ = ByteReader(data + rest, size - rest);
  }

  void Run() {
    ReadBody();
    Setup();
    if (body_order_) Step("submit the body's order", [this] { return SubmitBodyOrder(); });
    const std::size_t count = std::min(kMaxCommands, (stream_.remaining() + kCommandBytes - 1) / kCommandBytes);
    for (std::size_t i = 0; i < count; ++i) {
      Command c;
      c.op = stream_.U8();
      c.arg = stream_.U8();
      c.a16 = stream_.U16();
      c.b32 = stream_.U32();
      Dispatch(c);
    }
  }

 private:
  // --- the request body -----------------------------------------------------------------------

  void ReadBody() {
    RequestBody body;
    Status st = RequestBody::Parse(body_, &body);
    if (st.ok()) {
      // The endpoint hashes the canonical form for idempotency: it must be stable under a
      // second parse, or a retry of the canonical body would count as another request.
      const std::string canonical = CanonicalJson(body.json());
      RequestBody again;
      if (!RequestBody::Parse(canonical, &again).ok() || CanonicalJson(again.json()) != canonical) {
        Fail(step_, "the canonical JSON of the body does not parse back to itself: " + canonical);
      }
      OrderInput input;
      st = ReadOrderBody(body, &input);
      if (st.ok()) {
        body_order_ = input;
      } else if (st.field().empty() && !body.json().contains("")) {
        // Every refusal names its field ("" only for an unknown field whose name is empty).
        Fail(step_, "a refused order body names no field: " + st.ToString());
      }
    }
    if (trace_) Trace("body: " + (st.ok() ? std::string("an order") : st.ToString()) + "\n");
  }

  // --- setup: rules, listings, holdings, the day opens ------------------------------------------

  void Setup() {
    ByteReader header = stream_;
    for (std::size_t i = 0; i < kHeaderBytes; ++i) stream_.U8();
    const std::uint8_t h0 = header.U8();
    const std::uint8_t h1 = header.U8();
    const std::int16_t close_offset[kInstrumentCount] = {static_cast<std::int16_t>(header.U16()),
                                                         static_cast<std::int16_t>(header.U16())};
    const std::uint8_t cash_tiers = header.U8();
    const std::uint8_t unit_tiers = header.U8();

    static const FamilyTradingRules published = calc::TradingRulesFor("CEA").value();
    rules_ = published;
    const RulesVariant& variant = kRulesVariants[h0 & 3];
    if (variant.tick_fen != 0) rules_.tick_fen = variant.tick_fen;
    if (variant.lot != 0) {
      rules_.lot = variant.lot;
      rules_.listing_max_quantity = published.listing_max_quantity / variant.lot * variant.lot;
    }
    if (variant.max_quantity != 0) rules_.listing_max_quantity = variant.max_quantity;
    if ((h0 & 4) != 0) rules_.delivery_days = 1;
    exchange_ = std::make_unique<Exchange>(kClearingAccount, [rules = rules_](const std::string& family) {
      if (family == rules.family) return Result<FamilyTradingRules>(rules);
      return Result<FamilyTradingRules>(Status::NotFound("no rules for " + family));
    });

    for (std::size_t a = 0; a < kAccountCount; ++a) {
      const unsigned shift = static_cast<unsigned>(2 * a);
      Issue(kAccounts[a].id, std::string(market::kCashInstrument), kCashFen[(cash_tiers >> shift) & 3]);
      for (const std::string& code : kInstrumentCodes) Issue(kAccounts[a].id, code, kUnits[(unit_tiers >> shift) & 3]);
    }
    Issue(kClearingAccount, std::string(market::kCashInstrument), 0);

    const bool listed[kInstrumentCount] = {true, (h1 & 8) == 0};
    const std::int64_t fee_bps[kInstrumentCount] = {kFeesBps[h1 & 7], kFeesBps[(h1 >> 4) & 7]};
    // About 100 price levels by default (±10 % of 500 ticks): Exchange::CheckConsistency walks
    // every level of every book after every command, so the band's width is most of the cost of
    // an execution. Other headers give up to about 500 levels, and zero and negative closes.
    const std::int64_t base_ticks[kInstrumentCount] = {500, 400};
    for (std::size_t i = 0; i < kInstrumentCount; ++i) {
      if (!listed[i]) continue;
      Instrument instrument;
      instrument.code = kInstrumentCodes[i];
      instrument.family = rules_.family;
      instrument.vintage = static_cast<std::int32_t>(2025 + i);
      const std::int64_t close_fen = (base_ticks[i] + close_offset[i] / 16) * rules_.tick_fen;
      Step("list", [&] { return List(instrument, close_fen, fee_bps[i]); });
    }
    for (std::size_t i = 0; i < kInstrumentCount; ++i) {
      Step("open", [&] { return SetState(i, MarketState::kOpen); });
    }
  }

  void Issue(AccountId account, const std::string& instrument, quantity_t amount) {
    HoldingOf(account, instrument).balance = amount;
    issued_[InstrumentSlot(instrument)] += amount;
  }

  // --- commands -------------------------------------------------------------------------------

  void Dispatch(const Command& c) {
    switch (c.op % 10) {
      case 0:
      case 1:
      case 2: Step("submit", [&] { return Submit(c); }); break;
      case 3: Step("cancel", [&] { return Cancel(c); }); break;
      case 4:
      case 5: Step("replace", [&] { return Replace(c); }); break;
      case 6: Step("time", [&] { return AdvanceTime(c); }); break;
      case 7:
        Step("state", [&] { return SetState(c.arg & 1, static_cast<MarketState>((c.arg >> 1) & 3)); });
        break;
      case 8: Step("submit the body's order", [this] { return SubmitBodyOrder(); }); break;
      default:
        if ((c.arg & 8) != 0) {
          Step("limit", [&] { return SetHoldingLimit(c); });
        } else {
          Step("account", [&] { return StopOrReopenAccount(c); });
        }
        break;
    }
  }

  // Runs one command, then checks every invariant; `command` returns whether it was applied.
  template <typename F>
  void Step(const char* name, F command) {
    const Fingerprint before = Fingerprinted();
    if (trace_) Trace("#" + std::to_string(step_) + " " + name + ":");
    const bool applied = command();
    if (trace_) Trace(applied ? " -> applied\n" : " -> refused\n");
    if (!applied && !(Fingerprinted() == before)) {
      Fail(step_, std::string("a refused ") + name + " changed the exchange");
    }
    CheckInvariants();
    ++step_;
  }

  bool List(const Instrument& instrument, std::int64_t prev_close_fen, std::int64_t fee_bps) {
    if (trace_) {
      Trace(" " + instrument.code + " close " + N(prev_close_fen) + " fen, fee " + N(fee_bps) + " bp, tick " +
            N(rules_.tick_fen) + " fen, lot " + N(rules_.lot) + ", at most " + N(rules_.listing_max_quantity));
    }
    const Status st = exchange_->CheckList(instrument, prev_close_fen, fee_bps);
    if (!st.ok()) return Refused(st);
    PostOutcome(exchange_->ApplyList(instrument, prev_close_fen, fee_bps, now_us_), true);
    return true;
  }

  bool SetState(std::size_t instrument_index, MarketState state) {
    const std::string& code = kInstrumentCodes[instrument_index];
    if (trace_) Trace(" " + code + " to " + std::string(market::ToString(state)));
    const Listing* listing = exchange_->FindListing(code);
    const Status st = exchange_->CheckSetState(code, state, now_us_);
    if (!st.ok()) return Refused(st);
    GL_ASSERT(listing != nullptr);  // Check found it
    const bool opens_day = listing->state == MarketState::kClosed;
    std::optional<std::int64_t> close_fen;
    std::vector<Hold> deliveries;
    const std::vector<market::MarketTrade>& trades = day_trades_[instrument_index];
    if (state == MarketState::kClosed) {
      // As ExchangeService::SetState: the day's close is the CEA rule's, from the day's trades,
      // and under T+1 the close delivers what was bought.
      const std::optional<std::int64_t> day = ParseDateDays(listing->trading_day);
      GL_ASSERT(day.has_value());
      std::vector<TradeTick> ticks;
      for (const market::MarketTrade& t : trades) {
        ticks.push_back(TradeTick{t.id, t.at_us, t.price_fen, t.quantity, TradingMode::kListing, t.buy_account_id,
                                  t.sell_account_id, t.buy_org_id, t.sell_org_id});
      }
      Result<DailyBar> bar = ComputeDailyBar(*day, ticks, listing->prev_close_fen, rules_.tick_fen);
      if (!bar.ok()) return Refused(bar.status());
      close_fen = bar.value().close_fen;
      if (rules_.delivery_days > 0) deliveries = market::DeliveriesAtClose(trades);
    }
    Outcome out = exchange_->ApplySetState(code, state, now_us_, close_fen);
    out.releases.insert(out.releases.end(), deliveries.begin(), deliveries.end());
    for (const Hold& delivery : deliveries) {
      undelivered_[AccountSlot(delivery.account_id)][InstrumentSlot(delivery.instrument)] += delivery.amount;
    }
    PostOutcome(out, true);
    if (state == MarketState::kClosed) {
      for (std::size_t a = 0; a < kHoldingAccounts; ++a) {
        if (undelivered_[a][instrument_index + 1] != 0) Fail(step_, "the close did not deliver what was bought");
      }
    }
    if (opens_day) day_trades_[instrument_index].clear();
    if (exchange_->FindListing(code)->state != state) Fail(step_, "the listing is not in the state it was set to");
    return true;
  }

  bool Submit(const Command& c) {
    const TestAccount& account = kAccounts[c.arg & 3];
    const std::size_t instrument_index = (c.arg >> 2) & 1;
    market::SubmitRequest request;
    request.instrument = kInstrumentCodes[instrument_index];
    request.account_id = account.id;
    request.org_id = account.org;
    request.user_id = kUser;
    request.side = (c.arg & 8) != 0 ? Side::kSell : Side::kBuy;
    request.price_fen = PriceOf(c.a16, instrument_index);
    request.quantity = QuantityOf(c.b32);
    return SubmitOrder(request);
  }

  // ExchangeService::Submit: the account must exist, hold units and be open; the organization
  // is always the account's.
  bool SubmitBodyOrder() {
    if (!body_order_) return Refused(Status::Invalid("not_an_order", "the endpoint refused the body"));
    const OrderInput& input = *body_order_;
    if (input.account_id == kClearingAccount) return Refused(Status::Invalid("invalid_field", "not a holding account"));
    std::optional<std::size_t> index;
    for (std::size_t a = 0; a < kAccountCount; ++a) {
      if (kAccounts[a].id == input.account_id) index = a;
    }
    if (!index) return Refused(Status::NotFound("no such account"));
    market::SubmitRequest request;
    request.instrument = input.instrument;
    request.account_id = input.account_id;
    request.org_id = kAccounts[*index].org;
    request.user_id = kUser;
    request.side = input.side;
    request.price_fen = input.price_fen;
    request.quantity = input.quantity;
    request.client_order_id = input.client_order_id;
    return SubmitOrder(request);
  }

  bool SubmitOrder(const market::SubmitRequest& request) {
    if (trace_) {
      Trace(" account " + N(request.account_id) + " (org " + N(request.org_id) + ") " +
            std::string(market::ToString(request.side)) + " " + request.instrument + " " + N(request.quantity) +
            " at " + N(request.price_fen) + " fen");
    }
    if (IsStopped(request.account_id)) return Refused(Status::Refused("account_frozen", "stopped"));
    Hold freeze;
    const Status st = exchange_->CheckSubmit(request, now_us_, &freeze);
    if (!st.ok()) return Refused(st);
    const std::string reserved =
        request.side == Side::kSell ? request.instrument : std::string(market::kCashInstrument);
    if (freeze.amount <= 0 || freeze.account_id != request.account_id || freeze.instrument != reserved) {
      Fail(step_, "CheckSubmit asked for a freeze that is not the order's reservation");
    }
    if (request.side == Side::kBuy && !CheckPurchase(request.account_id, request.instrument, request.quantity)) {
      return false;
    }
    if (!Freeze(freeze)) return false;
    Outcome out = exchange_->ApplySubmit(request, now_us_);
    if (out.order_id <= 0) Fail(step_, "an applied submit has no order id");
    order_ids_.push_back(out.order_id);
    if (trace_) Trace(" = order " + N(out.order_id));
    PostOutcome(out, true);
    return true;
  }

  bool Cancel(const Command& c) {
    const std::int64_t order_id = OrderIdOf(c.arg);
    const OrgId org = OrgOf(order_id, c.arg, c.a16);
    if (trace_) Trace(" order " + N(order_id) + " by org " + N(org));
    const Status st = exchange_->CheckCancel(order_id, org);
    if (!st.ok()) return Refused(st);
    PostOutcome(exchange_->ApplyCancel(order_id, org, now_us_), true);
    if (exchange_->FindOpenOrder(order_id) != nullptr) Fail(step_, "a cancelled order is still open");
    return true;
  }

  bool Replace(const Command& c) {
    market::ReplaceRequest request;
    request.order_id = OrderIdOf(c.arg);
    request.org_id = OrgOf(request.order_id, c.arg, c.a16);
    const MarketOrder* order = exchange_->FindOpenOrder(request.order_id);
    std::size_t instrument_index = 0;
    if (order != nullptr && order->instrument == kInstrumentCodes[1]) instrument_index = 1;
    request.price_fen = PriceOf(c.a16, instrument_index);
    request.quantity = QuantityOf(c.b32);
    if (trace_) {
      Trace(" order " + N(request.order_id) + " by org " + N(request.org_id) + " to " + N(request.quantity) + " at " +
            N(request.price_fen) + " fen");
    }
    Hold freeze;
    const Status st = exchange_->CheckReplace(request, now_us_, &freeze);
    if (!st.ok()) return Refused(st);
    GL_ASSERT(order != nullptr);  // Check found it open
    if (order->side == Side::kBuy &&
        !CheckPurchase(order->account_id, order->instrument, request.quantity - order->open_quantity)) {
      return false;
    }
    if (freeze.amount < 0) Fail(step_, "CheckReplace asked for a negative freeze");
    if (freeze.amount > 0) {
      if (freeze.account_id != order->account_id || freeze.instrument != order->reserved_instrument) {
        Fail(step_, "CheckReplace asked to freeze something else than the order's reservation");
      }
      if (!Freeze(freeze)) return false;
    }
    PostOutcome(exchange_->ApplyReplace(request, now_us_), true);
    return true;
  }

  bool AdvanceTime(const Command& c) {
    constexpr time_us kSecond = 1'000'000;
    switch (c.arg % 8) {
      case 0:
      case 1:
      case 2: now_us_ += c.a16 * kSecond; break;
      case 3: now_us_ += c.a16 * 60 * kSecond; break;
      case 4: now_us_ = NextLocal(13 * 60); break;
      case 5: now_us_ = NextLocal(9 * 60 + 30); break;
      case 6: now_us_ = NextLocal(11 * 60 + 30); break;
      default: now_us_ += 1; break;
    }
    if (trace_) Trace(" now " + LocalTime(now_us_));
    return true;
  }

  // "2026-11-23 10:00:00.000000 local" in the family's time zone, for the trace.
  std::string LocalTime(time_us at_us) const {
    const time_us local_us = at_us + static_cast<time_us>(rules_.timezone_offset_minutes) * 60'000'000;
    const long long of_day_us = local_us % kMicrosPerDay;
    char clock[40];
    std::snprintf(clock, sizeof clock, " %02lld:%02lld:%02lld.%06lld local", of_day_us / 3'600'000'000,
                  of_day_us / 60'000'000 % 60, of_day_us / 1'000'000 % 60, of_day_us % 1'000'000);
    return FormatDateDays(local_us / kMicrosPerDay) + clock;
  }

  // The first instant after now at `minute` after local midnight.
  time_us NextLocal(int minute) const {
    const time_us offset_us = static_cast<time_us>(rules_.timezone_offset_minutes) * 60'000'000;
    const time_us local_us = now_us_ + offset_us;
    const time_us day_start = local_us / kMicrosPerDay * kMicrosPerDay;
    time_us at = day_start + static_cast<time_us>(minute) * 60'000'000;
    if (at <= local_us) at += kMicrosPerDay;
    return at - offset_us;
  }

  // What the regulator's freeze or reopening of an account does to the exchange
  // (ExchangeService::BeforeAccountStops / AfterAccountStopped): release what the exchange holds
  // for the account, freeze it, withdraw its orders without posting their releases again.
  bool StopOrReopenAccount(const Command& c) {
    const std::size_t index = c.arg & 3;
    const AccountId account = kAccounts[index].id;
    const bool reopen = (c.arg & 4) != 0;
    if (trace_) Trace(std::string(reopen ? " reopen" : " freeze") + " account " + N(account));
    if (stopped_[index] != reopen) return Refused(Status::Conflict("already", "the account is already so"));
    if (reopen) {
      stopped_[index] = false;
      return true;
    }
    std::map<std::string, quantity_t> released;
    for (const Hold& hold : exchange_->HoldsOfAccount(account)) {
      if (hold.account_id != account || hold.amount > 0) Fail(step_, "a hold of another account, or no release");
      if (hold.amount == 0) continue;
      Release(hold);
      released[hold.instrument] -= hold.amount;
    }
    stopped_[index] = true;
    Outcome out = exchange_->WithdrawAccount(account, now_us_);
    if (!out.settlements.empty()) Fail(step_, "withdrawing an account's orders traded");
    std::map<std::string, quantity_t> withdrawn;
    for (const Hold& h : out.releases) {
      if (h.account_id != account || h.amount >= 0) Fail(step_, "a withdrawal released another account or nothing");
      withdrawn[h.instrument] -= h.amount;
    }
    if (withdrawn != released) Fail(step_, "a withdrawal's releases are not the account's holds it released first");
    PostOutcome(out, false);
    if (!exchange_->OpenOrdersOfAccount(account).empty()) Fail(step_, "a stopped account still has open orders");
    return true;
  }

  // ExchangeService::SetHoldingLimit (最大持仓量) on one of the run's accounts or the default.
  bool SetHoldingLimit(const Command& c) {
    market::HoldingLimit limit;
    limit.instrument = kInstrumentCodes[(c.arg >> 4) & 1];
    limit.account_id = (c.arg & 0x20) != 0 ? 0 : kAccounts[c.arg & 3].id;
    const std::uint32_t kind = c.b32 >> 30;
    limit.max_quantity = kind == 0 ? 0 : kind == 1 ? -1 : (c.b32 & 0x3fffffff) % 2'000'000;
    limit.set_by = kUser;
    limit.set_at_us = now_us_;
    if (trace_) {
      Trace(" holding limit of " + limit.instrument + " for account " + N(limit.account_id) + ": " +
            N(limit.max_quantity));
    }
    const Status st = exchange_->CheckSetHoldingLimit(limit);
    if (!st.ok()) return Refused(st);
    PostOutcome(exchange_->ApplySetHoldingLimit(limit), true);
    // Removing an account's own limit falls back to the default, which may exist.
    const std::optional<quantity_t> now = exchange_->HoldingLimitOf(limit.instrument, limit.account_id);
    const bool removed_default = limit.max_quantity == 0 && limit.account_id == 0;
    if ((removed_default && now) || (limit.max_quantity > 0 && now != limit.max_quantity)) {
      Fail(step_, "the holding limit is not what was set");
    }
    return true;
  }

  // ExchangeService::CheckPurchase: the buyer's holding limit counts its ledger balance.
  bool CheckPurchase(AccountId account, const std::string& instrument, quantity_t adding) {
    const Status st = exchange_->CheckHoldingLimit(account, instrument, HoldingOf(account, instrument).balance, adding);
    return st.ok() ? true : Refused(st);
  }

  // --- decoding -------------------------------------------------------------------------------

  // A price for instrument_index's current day: mostly near the previous close, so that orders
  // meet, some anywhere in the band and some invalid.
  std::int64_t PriceOf(std::uint16_t a16, std::size_t instrument_index) const {
    const Listing* listing = exchange_->FindListing(kInstrumentCodes[instrument_index]);
    const int128_t tick = rules_.tick_fen;
    const int128_t close = listing != nullptr ? listing->prev_close_fen : 500 * tick;
    int128_t low = close, high = close;
    if (listing != nullptr && listing->band_high_fen > 0) {
      low = listing->band_low_fen;
      high = listing->band_high_fen;
    }
    const int v = a16 & 0x1fff;
    const int offset = (v & 0xff) - 128;
    switch (a16 >> 13) {
      case 0:
      case 1: return Saturate(close + ((v & 0x1f) - 16) * tick);
      case 2:
      case 3: {
        const int128_t levels = (high - low) / tick + 1;
        return Saturate(low + (v % (levels + 4) - 2) * tick);
      }
      case 4: return Saturate(close + offset * tick);
      case 5: return Saturate(close + offset * tick + 1 + (v >> 8) % (tick > 1 ? tick - 1 : 1));
      case 6: return Saturate((v & 1) != 0 ? high + (v + 1) * 64 * tick : low - (v + 1) * 64 * tick);
      default: {
        const int128_t specials[] = {0, -1, -tick, low - tick, high + tick, low, high, 1,
                                     kInt64Max, kInt64Min, kInt64Max / tick * tick, low + 1};
        return Saturate(specials[static_cast<std::size_t>(v) % std::size(specials)]);
      }
    }
  }

  quantity_t QuantityOf(std::uint32_t b32) const {
    const quantity_t lot = rules_.lot;
    const quantity_t max = rules_.listing_max_quantity;
    const quantity_t v = b32 & 0x1fffffff;
    switch (b32 >> 29) {
      case 0:
      case 1: return lot * (1 + v % 32);
      case 2:
      case 3: return lot * (1 + v % 500);
      case 4: return lot * (1 + v % (max / lot));
      case 5: return lot * (v % 100) + 1 + (v >> 7) % (lot > 1 ? lot - 1 : 1);
      case 6: {
        const quantity_t edges[] = {max, max + lot, max + 1, 0, -lot, -1, lot, max - lot};
        return edges[v % 8];
      }
      default: {
        const quantity_t huge[] = {quantity_t{1} << 30, (quantity_t{1} << 30) + lot, quantity_t{1} << 31,
                                   quantity_t{1} << 32,  quantity_t{1} << 62,         kInt64Max,
                                   kInt64Min,            -(quantity_t{1} << 31)};
        return huge[v % 8];
      }
    }
  }

  // Mostly an order this run placed, the most recent most often; with arg's top bit any small id,
  // including 0, negative ones and ids never issued.
  std::int64_t OrderIdOf(std::uint8_t arg) const {
    if ((arg & 0x80) != 0 || order_ids_.empty()) return static_cast<std::int64_t>(arg & 0x3f) - 2;
    const std::size_t back = (arg & 0x3f) % order_ids_.size();
    return order_ids_[order_ids_.size() - 1 - back];
  }

  // The order's own organization, or with arg bit 6 another one (1-4, 4 has no account).
  OrgId OrgOf(std::int64_t order_id, std::uint8_t arg, std::uint16_t a16) const {
    const MarketOrder* order = exchange_->FindOpenOrder(order_id);
    if ((arg & 0x40) == 0 && order != nullptr) return order->org_id;
    return 1 + static_cast<OrgId>(a16 & 3) % kOrgWithoutAccount;
  }

  // --- the model ledger -----------------------------------------------------------------------

  bool IsStopped(AccountId account) const {
    for (std::size_t a = 0; a < kAccountCount; ++a) {
      if (kAccounts[a].id == account) return stopped_[a];
    }
    return false;
  }

  std::size_t AccountSlot(AccountId account) const {
    for (std::size_t a = 0; a < kAccountCount; ++a) {
      if (kAccounts[a].id == account) return a;
    }
    if (account != kClearingAccount) Fail(step_, "the exchange touched an unknown account " + std::to_string(account));
    return kAccountCount;
  }

  std::size_t InstrumentSlot(const std::string& instrument) const {
    if (instrument == market::kCashInstrument) return 0;
    for (std::size_t i = 0; i < kInstrumentCount; ++i) {
      if (instrument == kInstrumentCodes[i]) return i + 1;
    }
    Fail(step_, "the exchange touched an unknown instrument " + instrument);
  }

  ModelHolding& HoldingOf(AccountId account, const std::string& instrument) {
    return holdings_[AccountSlot(account)][InstrumentSlot(instrument)];
  }

  // ExchangeService::Freeze: the ledger refuses a freeze above the available balance.
  bool Freeze(const Hold& hold) {
    ModelHolding& h = HoldingOf(hold.account_id, hold.instrument);
    if (hold.amount > h.balance - h.frozen) return Refused(Status::Refused("insufficient_available", hold.instrument));
    h.frozen += hold.amount;
    return true;
  }

  // An unfreeze; the ledger lets it through on a frozen account too.
  void Release(const Hold& hold) {
    if (hold.amount >= 0) Fail(step_, "a release that releases nothing");
    ModelHolding& h = HoldingOf(hold.account_id, hold.instrument);
    h.frozen += hold.amount;
    if (h.frozen < 0) Fail(step_, "a release unfreezes more than is frozen in " + hold.instrument);
  }

  // ExchangeService::PostOutcome: settlements, then releases; the ledger must accept them all.
  void PostOutcome(const Outcome& out, bool post_releases) {
    for (const Settlement& s : out.settlements) Settle(s);
    if (post_releases) {
      for (const Hold& release : out.releases) Release(release);
    }
    for (const MarketOrder& o : out.orders) {
      if (o.reserved < 0) Fail(step_, "order " + std::to_string(o.id) + " reserves a negative amount");
      const bool open = o.status == market::OrderStatus::kOpen;
      if (open ? o.open_quantity <= 0 || o.reserved <= 0 : o.open_quantity != 0 || o.reserved != 0) {
        Fail(step_, "order " + std::to_string(o.id) + " has an open quantity or reservation its status contradicts");
      }
    }
  }

  void Settle(const Settlement& s) {
    const market::MarketTrade& t = s.trade;
    if (trace_) Trace(" [trade " + N(t.id) + ": " + N(t.quantity) + " at " + N(t.price_fen) + " fen]");
    const Listing* listing = exchange_->FindListing(t.instrument);
    if (listing == nullptr) Fail(step_, "a trade in an instrument that is not listed");
    if (t.quantity <= 0 || t.quantity % rules_.lot != 0) Fail(step_, "a trade quantity off the lot");
    if (t.price_fen % rules_.tick_fen != 0 || t.price_fen < listing->band_low_fen ||
        t.price_fen > listing->band_high_fen) {
      Fail(step_, "a trade price off the tick or outside the day's band");
    }
    if (t.buy_org_id == t.sell_org_id) Fail(step_, "a trade between two accounts of one organization");
    if (t.at_us != now_us_) Fail(step_, "a trade stamped with another time");
    // Ledger::Settle: at least two postings, none zero, none on a stopped account, each
    // instrument's postings sum to zero; then no holding may go negative.
    if (s.postings.size() < 2) Fail(step_, "a settlement with fewer than two postings");
    std::map<std::string, int128_t> sums;
    for (const Posting& p : s.postings) {
      if (p.amount == 0) Fail(step_, "a settlement posting of zero");
      if (IsStopped(p.account_id)) Fail(step_, "a settlement on a stopped account");
      sums[p.instrument] += p.amount;
    }
    for (const auto& [instrument, sum] : sums) {
      if (sum != 0) Fail(step_, "the postings of " + instrument + " do not sum to zero");
    }
    for (const Posting& p : s.postings) {
      ModelHolding& h = HoldingOf(p.account_id, p.instrument);
      if (__builtin_add_overflow(h.balance, p.amount, &h.balance)) Fail(step_, "a balance overflowed");
      if (p.bucket == Bucket::kFrozen) h.frozen += p.amount;
      // Only a T+1 delivery credits a frozen part: the units stay frozen until the close.
      if (p.bucket == Bucket::kFrozen && p.amount > 0) {
        if (rules_.delivery_days == 0 || p.instrument != t.instrument || p.account_id != t.buy_account_id) {
          Fail(step_, "a settlement credits a frozen part that is no T+1 delivery");
        }
        undelivered_[AccountSlot(p.account_id)][InstrumentSlot(p.instrument)] += p.amount;
      }
    }
    for (const Posting& p : s.postings) {
      const ModelHolding& h = HoldingOf(p.account_id, p.instrument);
      if (h.frozen < 0 || h.frozen > h.balance) Fail(step_, "a settlement left a negative holding in " + p.instrument);
    }
    day_trades_[InstrumentSlot(t.instrument) - 1].push_back(t);
  }

  // --- invariants -----------------------------------------------------------------------------

  bool Refused(const Status& st) {
    if (trace_) Trace(" (" + st.code() + ")");
    return false;
  }

  void Trace(const std::string& text) const {
    if (trace_) std::fputs(text.c_str(), stderr);
  }

  Fingerprint Fingerprinted() const {
    Fingerprint f;
    for (const TestAccount& a : kAccounts) {
      for (const MarketOrder* o : exchange_->OpenOrdersOfAccount(a.id)) {
        ++f.open_orders;
        f.reserved += o->reserved;
        f.open_quantity += o->open_quantity;
      }
    }
    for (std::size_t i = 0; i < kInstrumentCount; ++i) {
      const Listing* l = exchange_->FindListing(kInstrumentCodes[i]);
      if (l == nullptr) continue;
      f.state[i] = l->state;
      f.trading_day[i] = l->trading_day;
      f.prev_close_fen[i] = l->prev_close_fen;
    }
    for (std::size_t i = 0; i < kInstrumentCount; ++i) {
      for (std::size_t a = 0; a <= kAccountCount; ++a) {
        f.limit[i][a] = exchange_->HoldingLimitOf(kInstrumentCodes[i], a < kAccountCount ? kAccounts[a].id : 0);
      }
    }
    return f;
  }

  void CheckInvariants() {
    const std::string problem = exchange_->CheckConsistency();
    if (!problem.empty()) Fail(step_, "CheckConsistency: " + problem);
    int128_t reserved[kHoldingAccounts][kHoldingInstruments] = {};
    for (std::size_t a = 0; a < kAccountCount; ++a) {
      const std::vector<const MarketOrder*> orders = exchange_->OpenOrdersOfAccount(kAccounts[a].id);
      if (stopped_[a] && !orders.empty()) Fail(step_, "a stopped account has open orders");
      for (const MarketOrder* o : orders) {
        if (o->reserved <= 0) Fail(step_, "open order " + std::to_string(o->id) + " reserves nothing or less");
        reserved[a][InstrumentSlot(o->reserved_instrument)] += o->reserved;
      }
    }
    int128_t totals[kHoldingInstruments] = {};
    for (std::size_t a = 0; a < kHoldingAccounts; ++a) {
      for (std::size_t i = 0; i < kHoldingInstruments; ++i) {
        const ModelHolding& h = holdings_[a][i];
        if (h.frozen < 0 || h.frozen > h.balance) Fail(step_, "a frozen part is negative or above its balance");
        if (h.frozen != reserved[a][i] + undelivered_[a][i]) {
          Fail(step_, "holding " + std::to_string(a) + "/" + std::to_string(i) + " has " + std::to_string(h.frozen) +
                          " frozen, which is not what its open orders reserve");
        }
        totals[i] += h.balance;
      }
    }
    for (std::size_t i = 0; i < kHoldingInstruments; ++i) {
      if (totals[i] != issued_[i]) Fail(step_, "the total of instrument " + std::to_string(i) + " changed");
    }
  }

  std::string body_;
  ByteReader stream_{nullptr, 0};
  std::optional<OrderInput> body_order_;
  bool trace_ = false;

  FamilyTradingRules rules_;
  std::unique_ptr<Exchange> exchange_;
  time_us now_us_ = kMondayMorning;
  std::size_t step_ = 0;
  std::vector<std::int64_t> order_ids_;  // every order placed, in order
  std::vector<market::MarketTrade> day_trades_[kInstrumentCount];  // what the store would list for the day

  ModelHolding holdings_[kHoldingAccounts][kHoldingInstruments];
  quantity_t undelivered_[kHoldingAccounts][kHoldingInstruments] = {};  // T+1: bought today, still frozen
  int128_t issued_[kHoldingInstruments] = {};
  bool stopped_[kAccountCount] = {};
};

}  // namespace
}  // namespace greenloop

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  greenloop::OrderEntryRun run(data, size);
  run.Run();
  return 0;
}
