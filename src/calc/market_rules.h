// src/calc/market_rules.h
//
// The trading rules of each instrument family as market/trading_rules.h takes them, read once from
// the embedded data/market/trading-rules.json (a malformed file is a programmer error; a family
// without rules is the caller's, not_found).
#ifndef GREENLOOP_CALC_MARKET_RULES_H_
#define GREENLOOP_CALC_MARKET_RULES_H_

#include <string>

#include "core/status.h"
#include "market/trading_rules.h"

namespace greenloop::calc {

Result<FamilyTradingRules> TradingRulesFor(const std::string& family);

}  // namespace greenloop::calc

#endif  // GREENLOOP_CALC_MARKET_RULES_H_
