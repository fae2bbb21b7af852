// src/compliance/compliance.h
//
// Surrender of allowances against verified emissions (清缴履约): the obligation of a year, which
// units may be surrendered (CEA of eligible vintages; CCER up to a share of the obligation, not
// from projects inside the ETS), the status at a date, and the penalty range for a shortfall
// under the rules in force at the deadline. Pure; the rules of each year are data
// (data/carbon/compliance-rules.json).
#ifndef GREENLOOP_COMPLIANCE_COMPLIANCE_H_
#define GREENLOOP_COMPLIANCE_COMPLIANCE_H_

#include <optional>
#include <string>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"
#include "core/types.h"

namespace greenloop::compliance {

struct PenaltyRegime {
  std::string code;  // "measures_2021", "regulations_2024"
  std::string name_zh;
  std::optional<Decimal> fine_min_yuan, fine_max_yuan;            // a fixed range
  std::optional<Decimal> price_multiple_min, price_multiple_max;  // × average price × shortfall
  std::string tag;
  std::string source;
};

struct ComplianceRules {
  int year = 0;
  std::string deadline;  // YYYY-MM-DD, the last day to surrender
  std::vector<int> cea_vintages;
  std::string vintage_tag;
  Decimal ccer_max_percent;
  PenaltyRegime penalty;
  bool deduct_shortfall_next_year = false;
  std::string deduction_tag;
  std::string source;
};

// The obligation in whole allowances: verified emissions in scope, rounded half up to a tonne
// (one allowance is one tonne; the verified figure carries two decimals).
quantity_t ObligationTonnes(Decimal verified_scope_t);
// The most CCER that may count: the share of the obligation, rounded down.
quantity_t CcerCapTonnes(quantity_t obligation_t, const ComplianceRules& rules);

struct Surrendered {
  quantity_t cea_t = 0;
  quantity_t ccer_t = 0;
  quantity_t total() const { return cea_t + ccer_t; }
};

struct SurrenderRequest {
  std::string family;  // "CEA" or "CCER"
  std::optional<int> vintage;
  bool project_in_ets = false;  // CCER from a project inside national ETS allocation management
  quantity_t quantity = 0;
};

// Whether the request may be surrendered now for the year; errors name the field
// ("instrument", "quantity").
Status CheckSurrender(quantity_t obligation_t, const Surrendered& already, const SurrenderRequest& request,
                      const ComplianceRules& rules);

enum class Standing { kCompliant, kOpen, kOverdue };
const char* StandingName(Standing standing);
// `today` and the deadline as YYYY-MM-DD (ISO dates compare as strings).
Standing StandingOf(quantity_t obligation_t, const Surrendered& surrendered, const ComplianceRules& rules,
                    const std::string& today);

struct PenaltyRange {
  std::int64_t min_fen = 0;
  std::int64_t max_fen = 0;
  quantity_t deduction_t = 0;  // next year's allocation cut (where the rules say so)
  std::string basis;           // how it was computed, in words
};
// `average_price_fen`: average transaction price of the month before the deadline, per tonne
// (needed for the 2024 Regulations).
Result<PenaltyRange> PenaltyFor(quantity_t shortfall_t, const ComplianceRules& rules,
                                std::optional<std::int64_t> average_price_fen);

}  // namespace greenloop::compliance

#endif  // GREENLOOP_COMPLIANCE_COMPLIANCE_H_
