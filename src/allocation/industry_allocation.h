// src/allocation/industry_allocation.h
//
// Allowance allocation of the industrial sectors of the national ETS (steel, cement, aluminium
// smelting), entity level, from the plan year's rule (data/carbon/industry-plans.json):
//
//   2024  final = the entity's verified 2024 emissions (等量分配), rounded to whole tonnes; no
//         pre-allocation.
//   2025  pre-allocation = 70 % of the verified 2024 emissions, rounded down; the final,
//         intensity-based allocation needs benchmarks the sources do not give, so it is reported as
//         not computable rather than guessed.
//
// Pure: the caller supplies the verified emissions of the entity's facilities.
#ifndef GREENLOOP_ALLOCATION_INDUSTRY_ALLOCATION_H_
#define GREENLOOP_ALLOCATION_INDUSTRY_ALLOCATION_H_

#include <optional>
#include <string>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"
#include "core/types.h"

namespace greenloop::allocation {

enum class IndustryFinalMethod { kVerifiedEmissions, kIntensityBenchmark };

struct IndustryPlan {
  int year = 0;
  std::string plan;
  IndustryFinalMethod final_method = IndustryFinalMethod::kVerifiedEmissions;
  Rounding final_rounding = Rounding::kHalfUp;
  std::optional<Decimal> pre_allocation_share;  // of the previous year's verified emissions
  Rounding pre_allocation_rounding = Rounding::kDown;
  std::string final_not_available;  // why the final method cannot be computed, when it cannot
  std::string tag, source;
  std::string rounding_tag, rounding_source;
};

struct IndustryFacilityEmissions {
  std::string facility;  // "F9 包头岱川钢铁 …"
  std::string sector;
  Decimal verified_t;    // verified emissions in scope: the allocation year's (final) or the previous year's (pre)
};

struct IndustryAllocationResult {
  Decimal verified_total_t;        // over the facilities, exact
  quantity_t allowance_t = 0;      // final, or pre-allocation
  std::vector<std::string> notes;  // the rule applied and its unconfirmed parts
};

// Refused (`not_computable`) when the plan's rule for `final` needs values the data lacks, or when
// the plan has no pre-allocation.
Result<IndustryAllocationResult> AllocateIndustryFinal(const IndustryPlan& plan,
                                                       const std::vector<IndustryFacilityEmissions>& facilities);
Result<IndustryAllocationResult> AllocateIndustryPre(const IndustryPlan& plan,
                                                     const std::vector<IndustryFacilityEmissions>& previous_year);

}  // namespace greenloop::allocation

#endif  // GREENLOOP_ALLOCATION_INDUSTRY_ALLOCATION_H_
