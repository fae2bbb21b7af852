// src/allocation/power_plan.h
//
// A national allowance allocation plan for power generation (全国碳排放权交易配额总量设定与分配实施
// 方案, 发电行业) as data: the plans change every year or two — categories, benchmarks, the output
// basis, correction factors, exemptions, rounding — so each is a PowerPlan loaded from
// data/carbon/power-plans.json, and the engine (power_allocation.h) has no year in its code.
#ifndef GREENLOOP_ALLOCATION_POWER_PLAN_H_
#define GREENLOOP_ALLOCATION_POWER_PLAN_H_

#include <optional>
#include <string>
#include <vector>

#include "core/decimal.h"

namespace greenloop::allocation {

enum class UnitCategory { kI, kII, kIII, kIV };  // coal ≥ threshold, coal below, unconventional coal/CFB, gas
const char* UnitCategoryName(UnitCategory category);

enum class OutputBasis { kSupply, kGeneration };  // 供电量 before 2023, 发电量 from 2023

// A correction factor as a function of a rate r (a fraction: load rate, heat ratio), in tiers
// chosen by r ≥ min_rate (highest first). Each tier is one of:
//   constant:  a
//   linear:    a + b × (c − 100 r)
//   power:     a ^ (b − c r)
//   draft2025: 7.254 − 0.633 (1 − e^(−R/29.822)) − 5.643 (1 − e^(−R/6.871)), R = 100 r
//              (the 2025–2026 draft's peak-regulation curve; its constants are the formula's)
struct FactorTier {
  enum class Kind { kConstant, kLinear, kPower, kDraft2025 };
  Decimal min_rate;  // the tier applies when r ≥ min_rate (the lowest tier has 0)
  Kind kind = Kind::kConstant;
  Decimal a, b, c;
  std::string tag;
};

struct CorrectionFactor {
  std::string name;  // "cooling", "heat_supply", "load", "peak_regulation"
  bool applies = false;
  std::vector<UnitCategory> categories;  // which unit categories it applies to
  std::vector<FactorTier> tiers;         // highest min_rate first
  // For cooling: the factor of air-cooled units (water-cooled units get 1).
  std::optional<Decimal> air_cooled;
  // Heat supply: factor = 1 − coefficient × heat ratio, per coal/gas.
  std::optional<Decimal> coal_coefficient, gas_coefficient;
  int decimals = 6;  // the factor is rounded half up to this many decimals
  bool rounding_stated = false;
  std::string tag;  // P, S or U: U values are loaded but shown as unconfirmed
  std::string source;
};

struct PowerPlan {
  std::string plan;  // "2023-2024"
  int year = 0;      // the allocation (compliance) year this entry covers
  bool draft = false;
  std::string document;
  std::string source;

  Decimal category_i_min_capacity_mw;  // conventional coal at or above: category I
  std::string category_threshold_text;
  std::string category_threshold_tag;

  Decimal benchmark_electricity[4];  // tCO2/MWh, by category
  Decimal benchmark_heat_coal;       // tCO2/GJ
  Decimal benchmark_heat_gas;
  std::string benchmark_tag;
  std::string benchmark_source;

  OutputBasis basis = OutputBasis::kGeneration;
  std::vector<CorrectionFactor> corrections;
  bool purchased_electricity_counts = false;  // in the verified emissions that allocation compares with

  bool gas_topup_to_verified = false;  // gas units topped up to their verified emissions
  std::optional<Decimal> gap_cap_min_share;  // entity topped up to this share of verified emissions
  std::string exemptions_tag;

  Decimal pre_allocation_share;
  enum class PreAllocationBasis { kPreviousVerified, kPreviousOutput } pre_allocation_basis =
      PreAllocationBasis::kPreviousVerified;
  std::string pre_allocation_tag;

  // How allowances become whole tonnes: `stated` says whether the plan says so; when it does not,
  // GreenLoop rounds down (never issuing a fraction the rules did not grant) and says so.
  Rounding allowance_rounding = Rounding::kDown;
  bool allowance_rounding_stated = false;
  int gap_rate_percent_decimals = 2;

  std::string surrender_deadline;  // YYYY-MM-DD
  std::string status_note;         // e.g. "draft for comment; not in force"
};

}  // namespace greenloop::allocation

#endif  // GREENLOOP_ALLOCATION_POWER_PLAN_H_
