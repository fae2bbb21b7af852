// src/allocation/carry_over.h
//
// Banking of 2019–2024 allowances into 2025 under the 2023–2024 plan (附5):
//
//   T = B + NS × R,  B = 10,000 t, R = 1.5,
//   NS = allowances sold − bought from 2024-01-01 to 2025-12-31 over vintages 2019–2024, at least 0,
//   T capped by the end-2025 holding (pending surrenders and voluntary cancellations deducted),
//   rounded down; an entity that did not complete its 2023 or 2024 compliance on time may not apply.
//
// The constants come in as data (data/carbon/carry-over.json), so a later plan's rule is a row.
#ifndef GREENLOOP_ALLOCATION_CARRY_OVER_H_
#define GREENLOOP_ALLOCATION_CARRY_OVER_H_

#include <string>

#include "core/decimal.h"
#include "core/status.h"
#include "core/types.h"

namespace greenloop::allocation {

struct CarryOverRule {
  std::string plan;        // "2023-2024"
  quantity_t base_t = 0;   // B
  Decimal net_sales_ratio; // R
  int into_vintage = 0;    // carried allowances become this vintage
  std::string tag;
  std::string source;
};

struct CarryOverInput {
  quantity_t holding_t = 0;             // end-of-period holding of the eligible vintages
  quantity_t pending_deductions_t = 0;  // pending surrenders and voluntary cancellations
  quantity_t sold_t = 0;
  quantity_t bought_t = 0;
  bool complied_on_time = true;  // every compliance the rule names was completed on time
};

struct CarryOverResult {
  quantity_t net_sales_t = 0;
  quantity_t formula_t = 0;  // B + NS × R, rounded down
  quantity_t cap_t = 0;      // holding − pending deductions
  quantity_t carry_over_t = 0;
};

Result<CarryOverResult> ComputeCarryOver(const CarryOverInput& input, const CarryOverRule& rule);

}  // namespace greenloop::allocation

#endif  // GREENLOOP_ALLOCATION_CARRY_OVER_H_
