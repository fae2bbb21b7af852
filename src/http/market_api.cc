// The exchange's routes (docs/api.md, "Market"): listings and their market state (exchange
// operator), orders, cancels and replaces (enterprises, from their own accounts), the book, the
// trade tape and one's own orders and trades. Mutations run as jobs under the Idempotency-Key.
#include <memory>

#include <nlohmann/json.hpp>

#include "core/time.h"
#include "calc/market_rules.h"
#include "http/api.h"
#include "http/market_json.h"
#include "http/request_body.h"
#include "service/operations.h"

namespace greenloop {
namespace {

using nlohmann::json;
using market_json::EmptyBody;
using market_json::IdParam;
using market_json::LimitParam;
using market_json::SeesAllOrders;
using market_json::TradeJson;
using market::Listing;
using market::MarketOrder;
using market::MarketTrade;

constexpr int kMaxBookLevels = 50;
constexpr int kMaxListLimit = 500;
constexpr std::size_t kMaxBatchOrders = 1000;

json ListingJson(const Listing& l) {
  json out = {{"instrument", l.instrument},
              {"family", l.family},
              {"state", market::ToString(l.state)},
              {"trading_day", l.trading_day.empty() ? json() : json(l.trading_day)},
              {"prev_close_fen", l.prev_close_fen},
              {"fee_bps", l.fee_bps},
              {"listed_at", FormatTimestamp(l.listed_at_us)},
              {"updated_at", FormatTimestamp(l.updated_at_us)}};
  Result<FamilyTradingRules> rules = calc::TradingRulesFor(l.family);
  if (rules.ok()) {
    const FamilyTradingRules& r = rules.value();
    out["rules"] = {{"tick_fen", r.tick_fen},
                    {"lot", r.lot},
                    {"listing_max_quantity", r.listing_max_quantity},
                    {"block_min_quantity", r.block_min_quantity}};
  }
  if (l.state != market::MarketState::kClosed) {
    out["band"] = {{"low_fen", l.band_low_fen}, {"high_fen", l.band_high_fen}};
    if (rules.ok()) {
      Result<PriceBand> block = BandAround(l.prev_close_fen, rules.value().block_band_percent, rules.value().tick_fen);
      if (block.ok()) out["block_band"] = {{"low_fen", block.value().low_fen}, {"high_fen", block.value().high_fen}};
    }
  }
  return out;
}

json OrderJson(const MarketOrder& o) {
  return {{"id", o.id},
          {"instrument", o.instrument},
          {"trading_day", o.trading_day},
          {"account_id", o.account_id},
          {"org_id", o.org_id},
          {"side", market::ToString(o.side)},
          {"price_fen", o.price_fen},
          {"quantity", o.quantity},
          {"open_quantity", o.open_quantity},
          {"filled_quantity", o.filled_quantity},
          {"reserved", {{"instrument", o.reserved_instrument}, {"amount", o.reserved}}},
          {"status", market::ToString(o.status)},
          {"end_reason", o.end == market::OrderEnd::kNone ? json() : json(market::ToString(o.end))},
          {"client_order_id", o.client_order_id.empty() ? json() : json(o.client_order_id)},
          {"created_at", FormatTimestamp(o.created_at_us)},
          {"updated_at", FormatTimestamp(o.updated_at_us)}};
}

json OrderResultJson(const OrderResult& r, const Principal& viewer) {
  json trades = json::array();
  for (const MarketTrade& t : r.trades) trades.push_back(TradeJson(t, viewer));
  return {{"order", OrderJson(r.order)}, {"trades", trades}};
}

Status DayParam(const HttpRequest& r, std::optional<std::string>* day) {
  if (const std::string* text = r.Query("day")) {
    if (!ParseDateDays(*text)) return Status::Invalid("invalid_field", "day must be a date YYYY-MM-DD", "day");
    *day = *text;
  }
  return Status::OK();
}

Status OrderBody(const RequestBody& body, OrderInput* in) {
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

// {"orders":[Order body…]}: at most kMaxBatchOrders, each checked as a single order's body (a
// malformed one refuses the whole request, naming orders[i].field).
Status OrderBatchBody(const RequestBody& body, std::vector<OrderInput>* out) {
  GL_RETURN_IF_ERROR(body.OnlyFields({"orders"}));
  const json& list = body.json()["orders"];
  if (!list.is_array()) return Status::Invalid("invalid_field", "orders must be an array", "orders");
  if (list.empty()) return Status::Invalid("invalid_field", "orders must not be empty", "orders");
  if (list.size() > kMaxBatchOrders) {
    return Status::Invalid("batch_too_large",
                           "a batch holds at most " + std::to_string(kMaxBatchOrders) + " orders, this one has " +
                               std::to_string(list.size()),
                           "orders");
  }
  out->resize(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string name = "orders[" + std::to_string(i) + "]";
    if (!list[i].is_object()) return Status::Invalid("invalid_field", name + " must be an object", name);
    GL_RETURN_IF_ERROR(OrderBody(RequestBody::Of(list[i], name + "."), &(*out)[i]));
  }
  return Status::OK();
}

}  // namespace

namespace market_json {

// The tape shows every trade; who traded is shown to the regulator and the exchange, and to each
// side for its own side only.
json TradeJson(const MarketTrade& t, const Principal& viewer) {
  json out = {{"id", t.id},
              {"instrument", t.instrument},
              {"trading_day", t.trading_day.empty() ? json() : json(t.trading_day)},
              {"mode", t.mode},
              {"price_fen", t.price_fen},
              {"quantity", t.quantity},
              {"aggressor", market::ToString(t.aggressor)},
              {"at", FormatTimestamp(t.at_us)}};
  const bool all = viewer.is_regulator() || viewer.role() == Role::kExchange;
  const OrgId org = viewer.org_id().value_or(0);
  if (t.mode == "block") out["block_id"] = t.ref_id;
  if (t.mode == "auction") out["auction_id"] = t.ref_id;
  auto side = [](std::int64_t order_id, AccountId account, OrgId owner, std::int64_t fee_fen) {
    json s = {{"account_id", account}, {"org_id", owner}, {"fee_fen", fee_fen}};
    if (order_id != 0) s["order_id"] = order_id;
    return s;
  };
  if (all || t.buy_org_id == org) out["buy"] = side(t.buy_order_id, t.buy_account_id, t.buy_org_id, t.buyer_fee_fen);
  if (all || t.sell_org_id == org) {
    out["sell"] = side(t.sell_order_id, t.sell_account_id, t.sell_org_id, t.seller_fee_fen);
  }
  if (all || t.buy_org_id == org || t.sell_org_id == org) out["entry_id"] = t.entry_id;
  return out;
}

bool SeesAllOrders(const Principal& p) { return p.is_regulator() || p.role() == Role::kExchange; }

Status IdParam(const std::string& text, const char* field, std::int64_t* out) {
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0 || value <= 0) {
    return Status::Invalid("invalid_field", std::string(field) + " must be a positive integer", field);
  }
  *out = value;
  return Status::OK();
}

Status EmptyBody(const HttpRequest& r, RequestBody* body) {
  GL_RETURN_IF_ERROR(RequestBody::Parse(r.body.empty() ? std::string("{}") : r.body, body));
  return body->OnlyFields({});
}

Status LimitParam(const HttpRequest& r, int* limit, std::optional<std::int64_t>* before) {
  if (const std::string* text = r.Query("limit")) {
    std::int64_t value = 0;
    GL_RETURN_IF_ERROR(IdParam(*text, "limit", &value));
    if (value > kMaxListLimit) return Status::Invalid("invalid_field", "limit is at most 500", "limit");
    *limit = static_cast<int>(value);
  }
  if (const std::string* text = r.Query("before")) {
    std::int64_t value = 0;
    GL_RETURN_IF_ERROR(IdParam(*text, "before", &value));
    *before = value;
  }
  return Status::OK();
}

}  // namespace market_json

void Api::AttachExchange(ExchangeService* exchange) {
  GL_ASSERT(exchange_ == nullptr && exchange != nullptr);
  exchange_ = exchange;
  RegisterMarketRoutes();
  RegisterNegotiatedRoutes();
  RegisterSurveillanceRoutes();
}

void Api::RegisterMarketRoutes() {
  const std::string v1 = "/api/v1";

  Add("GET", v1 + "/market/listings", "Listed instruments with market state, trading day, band and best prices",
      [this](const HttpRequest& r, const Params&) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        std::vector<Listing> listings;
        if (st.ok()) st = service_->store().ListListings(&listings);
        if (!st.ok()) return ErrorResponse(st);
        json items = json::array();
        for (const Listing& l : listings) {
          json item = ListingJson(l);
          std::vector<DepthLevel> bids, asks;
          if (service_->store().BookDepth(l.instrument, 1, &bids, &asks).ok()) {
            item["best_bid_fen"] = bids.empty() ? json() : json(bids.front().price_ticks);
            item["best_ask_fen"] = asks.empty() ? json() : json(asks.front().price_ticks);
          }
          items.push_back(std::move(item));
        }
        return JsonResponse(200, {{"items", items}});
      });

  Add("POST", v1 + "/market/listings",
      "List an instrument for trading: {instrument, prev_close_fen, fee_bps} (exchange operator)",
      [this](const HttpRequest& r, const Params&) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        RequestBody body;
        if (st.ok()) st = RequestBody::Parse(r.body, &body);
        if (st.ok()) st = body.OnlyFields({"instrument", "prev_close_fen", "fee_bps"});
        std::string instrument;
        std::int64_t prev_close = 0;
        std::optional<std::int64_t> fee;
        if (st.ok()) st = body.String("instrument", &instrument, 40);
        if (st.ok()) st = body.Integer("prev_close_fen", &prev_close);
        if (st.ok()) st = body.OptionalInteger("fee_bps", &fee);
        if (!st.ok()) return ErrorResponse(st);
        return RunJob(r, principal, CanonicalJson(body.json()), [=, this](WriteContext& ctx) {
          Listing listing;
          Status s = exchange_->List(ctx, principal, instrument, prev_close, fee.value_or(0), &listing);
          if (!s.ok()) return ErrorReply(s);
          return Reply{201, ListingJson(listing).dump()};
        }, true);
      });

  Add("POST", v1 + "/market/listings/{instrument}/state",
      "Move a listing's market state: {state: pre_open|open|halted|closed}; closed expires the day's open orders "
      "(exchange operator)",
      [this](const HttpRequest& r, const Params& p) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        RequestBody body;
        if (st.ok()) st = RequestBody::Parse(r.body, &body);
        if (st.ok()) st = body.OnlyFields({"state"});
        std::string state_text;
        if (st.ok()) st = body.String("state", &state_text, 16);
        std::optional<market::MarketState> state = market::ParseMarketState(state_text);
        if (st.ok() && !state) st = Status::Invalid("invalid_field", "state must be pre_open, open, halted or closed", "state");
        if (!st.ok()) return ErrorResponse(st);
        const std::string instrument = p[0];
        return RunJob(r, principal, CanonicalJson(body.json()), [=, this](WriteContext& ctx) {
          Listing listing;
          std::vector<MarketOrder> expired;
          Status s = exchange_->SetState(ctx, principal, instrument, *state, &listing, &expired);
          if (!s.ok()) return ErrorReply(s);
          json out = ListingJson(listing);
          out["expired_orders"] = expired.size();
          return Reply{200, out.dump()};
        }, true);
      });

  Add("GET", v1 + "/market/listings/{instrument}/book", "Order book depth: aggregated levels per side; levels (1-50)",
      [this](const HttpRequest& r, const Params& p) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        std::int64_t levels = 10;
        if (st.ok()) {
          if (const std::string* text = r.Query("levels")) st = IdParam(*text, "levels", &levels);
        }
        if (st.ok() && levels > kMaxBookLevels) st = Status::Invalid("invalid_field", "levels is at most 50", "levels");
        Listing listing;
        if (st.ok()) st = service_->store().GetListing(p[0], &listing);
        std::vector<DepthLevel> bids, asks;
        if (st.ok()) st = service_->store().BookDepth(p[0], static_cast<int>(levels), &bids, &asks);
        if (!st.ok()) return ErrorResponse(st);
        auto side = [](const std::vector<DepthLevel>& levels_of_side) {
          json out = json::array();
          for (const DepthLevel& l : levels_of_side) {
            out.push_back({{"price_fen", l.price_ticks}, {"quantity", l.quantity}, {"orders", l.order_count}});
          }
          return out;
        };
        return JsonResponse(200, {{"listing", ListingJson(listing)}, {"bids", side(bids)}, {"asks", side(asks)}});
      });

  Add("GET", v1 + "/market/listings/{instrument}/daily",
      "Daily bars of a listing, oldest first: open, high, low, close (CEA: the day's listing VWAP), VWAP, volumes, "
      "turnover, change against the previous close",
      [this](const HttpRequest& r, const Params& p) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        std::vector<DayBar> bars;
        if (st.ok()) st = ReadDailyBars(service_->store(), p[0], &bars);
        if (!st.ok()) return ErrorResponse(st);
        auto price = [](const std::optional<std::int64_t>& fen) { return fen ? json(*fen) : json(); };
        json items = json::array();
        for (const DayBar& d : bars) {
          const DailyBar& b = d.bar;
          items.push_back({{"day", d.day.trading_day},
                           {"closed", d.day.closed_at_us != 0},
                           {"prev_close_fen", price(b.previous_close_fen)},
                           {"open_fen", price(b.open_fen)},
                           {"high_fen", price(b.high_fen)},
                           {"low_fen", price(b.low_fen)},
                           {"close_fen", price(b.close_fen)},
                           {"vwap_fen", price(b.vwap_fen)},
                           {"volume", b.volume},
                           {"turnover_fen", b.turnover_fen},
                           {"trade_count", b.trade_count},
                           {"listing_volume", b.listing_volume},
                           {"block_volume", b.block_volume},
                           {"change_fen", price(b.change_fen)},
                           {"change_bp", price(b.change_bp)}});
        }
        return JsonResponse(200, {{"instrument", p[0]}, {"items", items}});
      });

  Add("GET", v1 + "/market/listings/{instrument}/candles",
      "Intraday candles of a day's listing trades: day (default the current day), interval minutes (1-1440, default 5)",
      [this](const HttpRequest& r, const Params& p) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        std::optional<std::string> day;
        if (st.ok()) st = DayParam(r, &day);
        std::int64_t interval = 5;
        if (st.ok()) {
          if (const std::string* text = r.Query("interval")) st = IdParam(*text, "interval", &interval);
        }
        if (st.ok() && interval > 1440) st = Status::Invalid("invalid_field", "interval is 1 to 1440 minutes", "interval");
        Listing listing;
        if (st.ok()) st = service_->store().GetListing(p[0], &listing);
        std::vector<Candle> candles;
        if (st.ok()) st = ReadCandles(service_->store(), p[0], day.value_or(listing.trading_day), interval, &candles);
        if (!st.ok()) return ErrorResponse(st);
        json items = json::array();
        for (const Candle& c : candles) {
          items.push_back({{"start", FormatTimestamp(c.start_us)},
                           {"end", FormatTimestamp(c.end_us)},
                           {"open_fen", c.open_fen},
                           {"high_fen", c.high_fen},
                           {"low_fen", c.low_fen},
                           {"close_fen", c.close_fen},
                           {"volume", c.volume},
                           {"turnover_fen", c.turnover_fen},
                           {"trade_count", c.trade_count}});
        }
        return JsonResponse(200, {{"instrument", p[0]}, {"day", day.value_or(listing.trading_day)},
                                  {"interval_minutes", interval}, {"items", items}});
      });

  Add("GET", v1 + "/market/trades", "The trade tape, newest first; filters instrument, day, mine=true; cursor before, limit",
      [this](const HttpRequest& r, const Params&) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        market::TradeFilter filter;
        if (st.ok()) st = LimitParam(r, &filter.limit, &filter.before_id);
        if (st.ok()) st = DayParam(r, &filter.trading_day);
        if (const std::string* text = r.Query("instrument")) filter.instrument = *text;
        if (const std::string* mine = r.Query("mine"); st.ok() && mine && *mine == "true") {
          if (!principal.org_id()) st = Status::Invalid("invalid_field", "mine=true needs a user of an organization", "mine");
          else filter.org_id = *principal.org_id();
        }
        std::vector<MarketTrade> trades;
        if (st.ok()) st = service_->store().ListTrades(filter, &trades);
        if (!st.ok()) return ErrorResponse(st);
        json items = json::array();
        for (const MarketTrade& t : trades) items.push_back(TradeJson(t, principal));
        json out = {{"items", items}};
        if (static_cast<int>(trades.size()) == filter.limit) out["next_before"] = trades.back().id;
        return JsonResponse(200, out);
      });

  Add("GET", v1 + "/market/orders",
      "Orders, newest first: an enterprise's own; the regulator and the exchange all (filter org). Filters "
      "instrument, status, day, account; cursor before, limit",
      [this](const HttpRequest& r, const Params&) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        market::OrderFilter filter;
        if (st.ok()) st = LimitParam(r, &filter.limit, &filter.before_id);
        if (st.ok()) st = DayParam(r, &filter.trading_day);
        if (const std::string* text = r.Query("instrument")) filter.instrument = *text;
        if (const std::string* text = r.Query("status"); st.ok() && text) {
          filter.status = market::ParseOrderStatus(*text);
          if (!filter.status) st = Status::Invalid("invalid_field", "status must be open, filled, cancelled or expired", "status");
        }
        if (const std::string* text = r.Query("account"); st.ok() && text) {
          std::int64_t id = 0;
          st = IdParam(*text, "account", &id);
          filter.account_id = id;
        }
        if (st.ok()) {
          if (SeesAllOrders(principal)) {
            if (const std::string* text = r.Query("org")) {
              std::int64_t id = 0;
              st = IdParam(*text, "org", &id);
              filter.org_id = id;
            }
          } else if (principal.role() == Role::kEnterprise && principal.org_id()) {
            filter.org_id = *principal.org_id();
          } else {
            st = Status::Forbidden("role '" + std::string(ToString(principal.role())) + "' does not see orders");
          }
        }
        std::vector<MarketOrder> orders;
        if (st.ok()) st = service_->store().ListOrders(filter, &orders);
        if (!st.ok()) return ErrorResponse(st);
        json items = json::array();
        for (const MarketOrder& o : orders) items.push_back(OrderJson(o));
        json out = {{"items", items}};
        if (static_cast<int>(orders.size()) == filter.limit) out["next_before"] = orders.back().id;
        return JsonResponse(200, out);
      });

  Add("GET", v1 + "/market/orders/{id}", "One order (its owner, the regulator, the exchange)",
      [this](const HttpRequest& r, const Params& p) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        std::int64_t id = 0;
        if (st.ok()) st = IdParam(p[0], "id", &id);
        MarketOrder order;
        if (st.ok()) st = service_->store().GetOrder(id, &order);
        if (st.ok() && !SeesAllOrders(principal) && principal.org_id().value_or(0) != order.org_id) {
          st = Status::NotFound("order " + p[0] + " is not an order of your organization", "id");
        }
        if (!st.ok()) return ErrorResponse(st);
        return JsonResponse(200, OrderJson(order));
      });

  Add("POST", v1 + "/market/orders",
      "Place a limit order: {instrument, account_id, side, price_fen, quantity, client_order_id?}; the reservation is "
      "frozen first, trades settle at once (enterprise). {orders:[…]} places up to 1000 in one commit, each with its "
      "own result",
      [this](const HttpRequest& r, const Params&) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        RequestBody body;
        if (st.ok()) st = RequestBody::Parse(r.body, &body);
        if (st.ok() && body.Has("orders")) {
          auto inputs = std::make_shared<std::vector<OrderInput>>();
          st = OrderBatchBody(body, inputs.get());
          if (!st.ok()) return ErrorResponse(st);
          return RunJob(r, principal, CanonicalJson(body.json()), [=, this](WriteContext& ctx) {
            // Each order is accepted or refused on its own (a refusal changes nothing), in order,
            // and the whole batch commits once: its answers are durable together.
            json results = json::array();
            int accepted = 0;
            for (std::size_t i = 0; i < inputs->size(); ++i) {
              OrderResult result;
              Status s = exchange_->Submit(ctx, principal, (*inputs)[i], &result);
              json item = OrderResultJson(result, principal);
              item["index"] = i;
              if (s.ok()) {
                item["result"] = "ok";
                ++accepted;
              } else {
                item = {{"index", i}, {"result", s.code()}, {"message", s.message()}, {"field", s.field()}};
              }
              results.push_back(std::move(item));
            }
            const int failed = static_cast<int>(inputs->size()) - accepted;
            return Reply{200, json{{"results", results}, {"ok", accepted}, {"failed", failed}}.dump()};
          });
        }
        OrderInput input;
        if (st.ok()) st = OrderBody(body, &input);
        if (!st.ok()) return ErrorResponse(st);
        return RunJob(r, principal, CanonicalJson(body.json()), [=, this](WriteContext& ctx) {
          OrderResult result;
          Status s = exchange_->Submit(ctx, principal, input, &result);
          if (!s.ok()) return ErrorReply(s);
          return Reply{201, OrderResultJson(result, principal).dump()};
        });
      });

  Add("POST", v1 + "/market/orders/{id}/cancel", "Cancel an open order of one's organization; its reservation is released",
      [this](const HttpRequest& r, const Params& p) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        std::int64_t id = 0;
        if (st.ok()) st = IdParam(p[0], "id", &id);
        RequestBody body;
        if (st.ok()) st = EmptyBody(r, &body);
        if (!st.ok()) return ErrorResponse(st);
        return RunJob(r, principal, CanonicalJson(body.json()), [=, this](WriteContext& ctx) {
          OrderResult result;
          Status s = exchange_->Cancel(ctx, principal, id, &result);
          if (!s.ok()) return ErrorReply(s);
          return Reply{200, OrderResultJson(result, principal).dump()};
        });
      });

  Add("POST", v1 + "/market/orders/{id}/replace",
      "Replace an open order's price and open quantity: {price_fen, quantity}; same price and no larger quantity keeps "
      "time priority",
      [this](const HttpRequest& r, const Params& p) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        std::int64_t id = 0;
        if (st.ok()) st = IdParam(p[0], "id", &id);
        RequestBody body;
        if (st.ok()) st = RequestBody::Parse(r.body, &body);
        if (st.ok()) st = body.OnlyFields({"price_fen", "quantity"});
        std::int64_t price = 0, quantity = 0;
        if (st.ok()) st = body.Integer("price_fen", &price);
        if (st.ok()) st = body.Integer("quantity", &quantity);
        if (!st.ok()) return ErrorResponse(st);
        return RunJob(r, principal, CanonicalJson(body.json()), [=, this](WriteContext& ctx) {
          OrderResult result;
          Status s = exchange_->Replace(ctx, principal, id, price, quantity, &result);
          if (!s.ok()) return ErrorReply(s);
          return Reply{200, OrderResultJson(result, principal).dump()};
        });
      });
}

}  // namespace greenloop
