// src/http/market_json.h
//
// What the exchange's route files (market_api.cc, market_negotiated_api.cc) share: the trade's
// JSON as a viewer may see it, and the parsing of ids and list cursors. Internal to src/http.
#ifndef GREENLOOP_HTTP_MARKET_JSON_H_
#define GREENLOOP_HTTP_MARKET_JSON_H_

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "http/api.h"
#include "http/request_body.h"
#include "market/records.h"
#include "service/registry_service.h"

namespace greenloop::market_json {

// A trade on the tape: who traded is shown to the regulator and the exchange, and to each side
// for its own side only.
nlohmann::json TradeJson(const market::MarketTrade& t, const Principal& viewer);
// The regulator and the exchange operator see every order, block and bid.
bool SeesAllOrders(const Principal& p);
// A positive integer path or query parameter; 400 naming `field` otherwise.
Status IdParam(const std::string& text, const char* field, std::int64_t* out);
// The body of a command that takes none: empty or {}.
Status EmptyBody(const HttpRequest& r, RequestBody* body);
// ?limit= (1..500) and ?before= (a cursor id).
Status LimitParam(const HttpRequest& r, int* limit, std::optional<std::int64_t>* before);

}  // namespace greenloop::market_json

#endif  // GREENLOOP_HTTP_MARKET_JSON_H_
