// src/mrv/power_accounting.h
//
// Emission accounting for power generation facilities (企业温室气体排放核算与报告指南 发电设施):
//
//   combustion CO2 (t) = Σ fuels  consumption × NCV × carbon content per unit heat
//                                 × oxidation rate × 44/12
//   electricity CO2 (t) = purchased electricity (MWh) × the grid factor set for the data year
//
// per unit and month, summed to unit-years and the facility. Pure: the rules of the data year
// (defaults, grid factor, precision) come in as data, and every figure comes out with the inputs
// it was computed from, so a verifier can redo it by hand.
//
// Figures are computed exactly (core/decimal.h) and rounded once where they are reported, half
// up, to `PowerAccountingRules::emission_decimals`; a sum is the rounded exact sum, not the sum of
// rounded parts.
#ifndef GREENLOOP_MRV_POWER_ACCOUNTING_H_
#define GREENLOOP_MRV_POWER_ACCOUNTING_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"
#include "mrv/facility.h"

namespace greenloop::mrv {

// A fuel as the guideline's defaults describe it (data/carbon/power-fuels.json).
struct FuelSpec {
  std::string code;  // "bituminous", "natural_gas", …
  std::string name_zh;
  std::string name_en;
  FuelState state = FuelState::kSolid;
  std::string unit;                         // "t" or "1e4Nm3"
  std::optional<Decimal> ncv_default;       // GJ per unit; none: must be measured
  Decimal ncv_min, ncv_max;                 // physical range of the NCV, GJ per unit
  std::optional<Decimal> carbon_default_tc_per_gj;  // none: the year's unmeasured-coal default
  Decimal oxidation_default;                // fraction
  bool is_coal = false;
  std::string tag;                          // P, S or U (see data/README.md)
  std::string source;
};

// The carbon content used for coal that was not measured, or not measured as required.
struct UnmeasuredCoalCarbon {
  int from_month_index = 0;  // year × 12 + (month − 1), inclusive
  int to_month_index = 0;    // inclusive
  Decimal tc_per_gj;
  std::string tag;
  std::string source;
};

struct GridFactor {
  int data_year = 0;
  Decimal t_per_mwh;
  std::string tag;
  std::string source;
};

struct PowerAccountingRules {
  std::map<std::string, FuelSpec> fuels;
  std::vector<UnmeasuredCoalCarbon> unmeasured_coal_carbon;
  std::vector<GridFactor> grid_factors;
  int emission_decimals = 2;
  int intensity_decimals = 4;

  const GridFactor* GridFactorFor(int data_year) const;
  const UnmeasuredCoalCarbon* UnmeasuredCoalCarbonFor(int year, int month) const;
};

// One fuel burned by one unit in one month, as reported.
struct FuelUse {
  std::string fuel;  // a FuelSpec code
  Decimal consumption;  // in the fuel's unit (t or 10^4 Nm3)
  std::optional<Decimal> ncv;  // GJ per unit; none: the fuel's default (where it has one)
  std::string ncv_evidence;    // test report id
  std::optional<Decimal> carbon_tc_per_gj;  // measured carbon content per unit heat
  std::string carbon_evidence;  // test report id from a CMA/CNAS lab; empty = not as required
  std::optional<Decimal> oxidation_rate;  // fraction; none: the fuel's default
};

struct UnitMonth {
  std::string unit_id;
  int month = 0;  // 1..12
  std::vector<FuelUse> fuels;
  Decimal generation_mwh;
  Decimal supply_mwh;
  Decimal heat_supplied_gj;
  Decimal purchased_electricity_mwh;
  std::optional<Decimal> load_rate;  // fraction of rated output, as the unit reports it
  std::string meter_evidence;
};

struct PowerAccountingInput {
  int data_year = 0;
  std::vector<GeneratingUnit> units;
  std::vector<UnitMonth> months;
  bool allow_partial_year = false;
};

enum class CarbonBasis { kMeasured, kDefaultNotMeasured, kDefaultNoEvidence, kFuelDefault };
const char* CarbonBasisName(CarbonBasis basis);

struct FuelEmission {
  std::string fuel;
  Decimal consumption;
  Decimal ncv;
  bool ncv_default = false;
  Decimal carbon_tc_per_gj;
  CarbonBasis carbon_basis = CarbonBasis::kMeasured;
  std::string carbon_tag;  // tag of the default used, empty when measured
  Decimal oxidation_rate;
  bool oxidation_default = false;
  Exact emissions_exact;
  Decimal emissions_t;  // rounded
};

struct UnitMonthResult {
  std::string unit_id;
  int month = 0;
  std::vector<FuelEmission> fuels;
  Decimal grid_factor_t_per_mwh;
  Decimal purchased_electricity_mwh;
  Exact combustion_exact, electricity_exact;
  Decimal combustion_t, electricity_t, total_t;
  Decimal generation_mwh, supply_mwh, heat_supplied_gj;
};

struct UnitYearResult {
  std::string unit_id;
  std::vector<int> months_reported;
  std::vector<int> months_missing;
  Decimal combustion_t, electricity_t, total_t;
  Decimal generation_mwh, supply_mwh, heat_supplied_gj, purchased_electricity_mwh;
  // tCO2 per MWh; absent when the denominator is zero.
  std::optional<Decimal> combustion_per_mwh_generated;
  std::optional<Decimal> combustion_per_mwh_supplied;
  Exact combustion_exact, electricity_exact;
};

struct PowerAccountingResult {
  int data_year = 0;
  std::vector<UnitMonthResult> unit_months;  // in input order
  std::vector<UnitYearResult> unit_years;    // in unit order
  Decimal combustion_t, electricity_t, total_t;
  GridFactor grid_factor;
  std::vector<std::string> notes;  // unconfirmed defaults used, partial year, …
};

// Validates the input against the rules and computes. Errors name the field at fault with a
// path such as "months[3].fuels[0].ncv".
Result<PowerAccountingResult> AccountPowerEmissions(const PowerAccountingInput& input,
                                                    const PowerAccountingRules& rules);

}  // namespace greenloop::mrv

#endif  // GREENLOOP_MRV_POWER_ACCOUNTING_H_
