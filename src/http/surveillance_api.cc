// Market surveillance reports for the regulator (docs/api.md, "Market surveillance"): one GET
// that answers service/surveillance_report.h's report as JSON, for the regulator and the exchange
// operator only. The query is strict: an unknown or repeated parameter, a number that is not an
// integer or out of range, a bad date is a 400 naming the parameter.
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <set>

#include <nlohmann/json.hpp>

#include "core/time.h"
#include "http/api.h"
#include "service/operations.h"
#include "service/surveillance_report.h"

namespace greenloop {
namespace {

using nlohmann::json;

const std::set<std::string>& KnownParameters() {
  static const std::set<std::string> known = {"instrument",
                                              "from",
                                              "to",
                                              "close_move_bps",
                                              "price_jump_bps",
                                              "top_n",
                                              "large_holder_bps",
                                              "round_trip_window_minutes",
                                              "round_trip_max_net_bps",
                                              "round_trip_min_quantity"};
  return known;
}

// A typo in a threshold's name would otherwise silently report with the default.
Status CheckParameterNames(const HttpRequest& r) {
  for (const auto& [name, value] : r.query) {
    if (KnownParameters().count(name) == 0) {
      return Status::Invalid("unknown_field", "unknown query parameter '" + name + "'", name);
    }
    if (r.query.count(name) > 1) return Status::Invalid("invalid_field", name + " is given more than once", name);
  }
  return Status::OK();
}

// An optional integer parameter; the service checks its range.
Status IntegerParam(const HttpRequest& r, const char* name, std::int64_t* out) {
  const std::string* text = r.Query(name);
  if (text == nullptr) return Status::OK();
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(text->c_str(), &end, 10);
  const bool digits = !text->empty() && (std::isdigit(static_cast<unsigned char>(text->front())) != 0 ||
                                         (text->front() == '-' && text->size() > 1));
  if (!digits || *end != '\0' || errno != 0) {
    return Status::Invalid("invalid_field", std::string(name) + " must be an integer, got '" + *text + "'", name);
  }
  *out = value;
  return Status::OK();
}

Status ParseQuery(const HttpRequest& r, SurveillanceQuery* q) {
  GL_RETURN_IF_ERROR(CheckParameterNames(r));
  if (const std::string* text = r.Query("instrument")) q->instrument = *text;
  if (const std::string* text = r.Query("from")) q->from = *text;
  if (const std::string* text = r.Query("to")) q->to = *text;
  GL_RETURN_IF_ERROR(IntegerParam(r, "close_move_bps", &q->close_move_bps));
  GL_RETURN_IF_ERROR(IntegerParam(r, "price_jump_bps", &q->price_jump_bps));
  GL_RETURN_IF_ERROR(IntegerParam(r, "top_n", &q->top_n));
  GL_RETURN_IF_ERROR(IntegerParam(r, "large_holder_bps", &q->large_holder_bps));
  GL_RETURN_IF_ERROR(IntegerParam(r, "round_trip_window_minutes", &q->round_trip_window_minutes));
  GL_RETURN_IF_ERROR(IntegerParam(r, "round_trip_max_net_bps", &q->round_trip_max_net_bps));
  GL_RETURN_IF_ERROR(IntegerParam(r, "round_trip_min_quantity", &q->round_trip_min_quantity));
  return Status::OK();
}

json OptionalText(const std::optional<std::string>& s) { return s ? json(*s) : json(); }

json ParametersJson(const SurveillanceQuery& q) {
  return {{"close_move_bps", q.close_move_bps},
          {"price_jump_bps", q.price_jump_bps},
          {"top_n", q.top_n},
          {"large_holder_bps", q.large_holder_bps},
          {"round_trip_window_minutes", q.round_trip_window_minutes},
          {"round_trip_max_net_bps", q.round_trip_max_net_bps},
          {"round_trip_min_quantity", q.round_trip_min_quantity}};
}

json SameOwnerJson(const SameOwnerCandidate& c) {
  json trades = json::array();
  for (const SurveillanceTrade& t : c.trades) {
    trades.push_back({{"id", t.trade_id},
                      {"trading_day", t.trading_day},
                      {"mode", t.mode},
                      {"at", FormatTimestamp(t.at_us)},
                      {"price_fen", t.price_fen},
                      {"quantity", t.quantity},
                      {"buy_account_id", t.buy_account_id},
                      {"sell_account_id", t.sell_account_id}});
  }
  return {{"org_id", c.finding.owner_id},
          {"org_name", c.owner_name},
          {"trade_count", c.finding.trade_ids.size()},
          {"quantity", c.finding.quantity},
          {"turnover_fen", c.finding.turnover_fen},
          {"same_account_count", c.finding.same_account_count},
          {"trades", trades}};
}

json RoundTripJson(const RoundTripCandidate& c) {
  const RoundTripFinding& f = c.finding;
  return {{"low_org_id", f.low_owner_id},
          {"low_org_name", c.low_owner_name},
          {"high_org_id", f.high_owner_id},
          {"high_org_name", c.high_owner_name},
          {"first_at", FormatTimestamp(f.first_at_us)},
          {"last_at", FormatTimestamp(f.last_at_us)},
          {"low_sold_quantity", f.low_sold_quantity},
          {"high_sold_quantity", f.high_sold_quantity},
          {"gross_quantity", f.gross_quantity},
          {"net_quantity", f.net_quantity},
          {"net_share_bps", f.net_share_bp},
          {"trade_ids", f.trade_ids}};
}

json OwnerSharesJson(const std::vector<OwnerShare>& owners) {
  json out = json::array();
  for (const OwnerShare& s : owners) {
    out.push_back({{"org_id", s.owner_id},
                   {"org_name", s.owner_name},
                   {"quantity", s.quantity},
                   {"share_bps", s.share_bps},
                   {"account_count", s.account_count}});
  }
  return out;
}

json ConcentrationJson(const ConcentrationReport& c) {
  json top = json::array();
  for (const TopShare& t : c.top) {
    top.push_back({{"count", t.count}, {"quantity", t.quantity}, {"share_bps", t.share_bp}});
  }
  return {{"account_kinds", json::array({"holding"})},
          {"excluded_account_kinds", json::array({"issuance", "reserve", "retirement", "cancellation", "clearing"})},
          {"total_quantity", c.total_quantity},
          {"owner_count", c.owner_count},
          {"hhi_points", c.hhi_points},
          {"top", top},
          {"top_holders", OwnerSharesJson(c.top_holders)},
          {"large_holders", OwnerSharesJson(c.large_holders)}};
}

json ReportJson(const SurveillanceReport& r, time_us now_us) {
  json same_owner = json::array();
  for (const SameOwnerCandidate& c : r.same_owner) same_owner.push_back(SameOwnerJson(c));
  json round_trips = json::array();
  for (const RoundTripCandidate& c : r.round_trips) round_trips.push_back(RoundTripJson(c));
  json close_moves = json::array();
  for (const CloseMove& m : r.close_moves) {
    close_moves.push_back({{"day", m.trading_day},
                           {"closed", m.closed},
                           {"previous_close_fen", m.finding.previous_close_fen},
                           {"close_fen", m.finding.close_fen},
                           {"change_fen", m.finding.change_fen},
                           {"change_bps", m.finding.change_bp}});
  }
  json price_jumps = json::array();
  for (const PriceJump& j : r.price_jumps) {
    price_jumps.push_back({{"trade_id", j.finding.trade_id},
                           {"previous_trade_id", j.finding.previous_trade_id},
                           {"trading_day", j.trading_day},
                           {"at", FormatTimestamp(j.finding.at_us)},
                           {"previous_price_fen", j.finding.previous_price_fen},
                           {"price_fen", j.finding.price_fen},
                           {"change_fen", j.finding.change_fen},
                           {"change_bps", j.finding.change_bp}});
  }
  return {{"instrument", r.instrument},
          {"generated_at", FormatTimestamp(now_us)},
          {"from", OptionalText(r.query.from)},
          {"to", OptionalText(r.query.to)},
          {"trading_days", r.trading_days},
          {"parameters", ParametersJson(r.query)},
          {"trades", {{"count", r.trade_count}, {"volume", r.volume}, {"turnover_fen", r.turnover_fen}}},
          {"same_owner", same_owner},
          {"round_trips", round_trips},
          {"concentration", ConcentrationJson(r.concentration)},
          {"close_moves", close_moves},
          {"price_jumps", price_jumps}};
}

}  // namespace

void Api::RegisterSurveillanceRoutes() {
  const std::string v1 = "/api/v1";

  Add("GET", v1 + "/market/surveillance",
      "Market surveillance report of a listed instrument (regulator, exchange): wash-trade candidates (same "
      "organization on both sides), round trips between two organizations, holding concentration over holding "
      "accounts (top shares, HHI, large holders), close moves and intraday price jumps. Query: instrument "
      "(required), from, to (YYYY-MM-DD, default the last 20 trading days, at most 366 days), close_move_bps (500), "
      "price_jump_bps (200), top_n (10), large_holder_bps (1000), round_trip_window_minutes (60), "
      "round_trip_max_net_bps (1000), round_trip_min_quantity (0)",
      [this](const HttpRequest& r, const Params&) {
        Principal principal;
        Status st = Authenticate(r, &principal);
        if (st.ok()) {
          st = RequireRole(principal, {Role::kRegulator, Role::kExchange}, "read market surveillance reports");
        }
        SurveillanceQuery query;
        if (st.ok()) st = ParseQuery(r, &query);
        SurveillanceReport report;
        if (st.ok()) st = BuildSurveillanceReport(service_->store(), query, &report);
        if (!st.ok()) return ErrorResponse(st);
        return JsonResponse(200, ReportJson(report, service_->clock().NowMicros()));
      });
}

}  // namespace greenloop
