// src/allocation/power_allocation.h
//
// Allowance allocation for a power generation entity under one plan year:
//
//   unit electricity allowance Ae = Qe × Be × (the plan's correction factors)
//   unit heat allowance        Ah = Qh × Bh
//   unit allowance = Ae + Ah (gas units topped up to verified emissions where the plan says)
//   entity allowance = Σ units (topped up to the gap cap's share of verified where the plan says)
//   pre-allocation = share × previous-year verified emissions (or output-based, per plan)
//   true-up (多退少补) = final − pre-allocation already issued
//
// Pure; every factor comes out with its value, tag and whether the plan stated its rounding.
#ifndef GREENLOOP_ALLOCATION_POWER_ALLOCATION_H_
#define GREENLOOP_ALLOCATION_POWER_ALLOCATION_H_

#include <optional>
#include <string>
#include <vector>

#include "allocation/power_plan.h"
#include "core/status.h"
#include "mrv/facility.h"

namespace greenloop::allocation {

struct UnitAllocationInput {
  mrv::GeneratingUnit unit;
  Decimal generation_mwh;
  Decimal supply_mwh;
  Decimal heat_supplied_gj;
  std::optional<Decimal> load_rate;   // fraction; needed where a load or peak factor applies
  std::optional<Decimal> heat_ratio;  // 供热比, fraction; needed where the heat-supply factor applies
  // Verified emissions of the year in the plan's scope (needed for gas top-up, gap cap, true-up).
  std::optional<Decimal> verified_emissions_t;
  // For pre-allocation: the previous year's verified emissions, or output, per the plan's basis.
  std::optional<Decimal> previous_verified_emissions_t;
  std::optional<Decimal> previous_generation_mwh;
  std::optional<Decimal> previous_supply_mwh;
  std::optional<Decimal> previous_heat_supplied_gj;
};

struct PowerAllocationInput {
  std::vector<UnitAllocationInput> units;
  std::optional<Decimal> pre_allocation_issued_t;  // what the registry already issued for the year
  Decimal deduction_t;  // shortfall of an earlier year deducted one-for-one (等量核减), if ruled
};

struct AppliedFactor {
  std::string name;
  Decimal rate;  // the rate it was computed from (load rate, heat ratio); 0 for cooling
  Decimal value;
  std::string tag;
  bool rounding_stated = false;
};

struct UnitAllocation {
  std::string unit_id;
  UnitCategory category = UnitCategory::kI;
  Decimal output_mwh;  // Qe on the plan's basis
  Decimal benchmark_electricity;
  Decimal benchmark_heat;
  std::vector<AppliedFactor> factors;
  Decimal electricity_allowance_t;  // as the plan rounds it (exact to 6 decimals if unstated)
  Decimal heat_allowance_t;
  Decimal initial_allowance_t;
  Decimal gas_topup_t;
  Decimal final_allowance_t;
  std::optional<Decimal> pre_allocation_t;
};

struct PowerAllocationResult {
  std::string plan;
  int year = 0;
  bool draft = false;
  std::vector<UnitAllocation> units;
  Decimal initial_allowance_t;  // Σ units after gas top-up
  std::optional<Decimal> verified_emissions_t;
  Decimal gap_cap_topup_t;
  std::optional<Decimal> gap_rate_percent;  // (verified − final) / verified × 100
  Decimal deduction_t;
  Decimal final_allowance_t;  // whole tonnes, what is issued for the year
  std::optional<Decimal> pre_allocation_t;  // whole tonnes
  std::optional<Decimal> true_up_t;  // final − pre-allocation issued: > 0 issue, < 0 claw back
  // The plan needs verified emissions that were not given (before verification): an estimate.
  bool provisional = false;
  std::vector<std::string> notes;
};

UnitCategory CategoryOf(const mrv::GeneratingUnit& unit, const PowerPlan& plan);

Result<PowerAllocationResult> AllocatePower(const PowerAllocationInput& input, const PowerPlan& plan);

}  // namespace greenloop::allocation

#endif  // GREENLOOP_ALLOCATION_POWER_ALLOCATION_H_
