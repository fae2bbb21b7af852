// src/energy/energy_accounting.h
//
// Comprehensive energy consumption (综合能耗) of an enterprise per GB/T 2589-2020: each energy
// carrier actually consumed in the production systems is converted to standard coal with its
// conversion coefficient (折标准煤系数) and summed, energy supplied out of the boundary is
// subtracted, residential and capital-construction use is left out. Feedstock use (原料用能) and
// renewable energy are counted and also reported apart, because dual control excludes them.
// Electricity is converted twice: at the equivalent value (当量值, its heat content) and at the
// equal value (等价值, the coal burnt to generate it, a figure of the year).
//
// A coefficient that depends on what exactly the carrier is (natural gas from a gas field or an
// oil field; coal slime or coke-oven gas, whose heat value varies) is never defaulted: the carrier
// must be named exactly, or the measured low heat value given. Arithmetic is exact; totals are
// rounded once, half up, to 4 decimals of tce (0.1 kgce) — the standard does not say, see
// docs/calc/energy.md.
#ifndef GREENLOOP_ENERGY_ENERGY_ACCOUNTING_H_
#define GREENLOOP_ENERGY_ENERGY_ACCOUNTING_H_

#include <optional>
#include <string>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"
#include "energy/physical_units.h"

namespace greenloop::energy {

// Totals are given in tce to this many decimals.
constexpr int kTceDecimals = 4;
// 1 kgce is the fuel whose low heat value is 7000 kcal (GB/T 2589; green-rights.md §1.1).
constexpr std::int64_t kKcalPerKgce = 7000;

struct Carrier {
  std::string code;  // "raw_coal"
  std::string name_zh;
  std::string name_en;
  Dimension dimension = Dimension::kMass;
  // kgce per unit of `dimension`'s physical unit: per kg (mass), m3 (volume), kWh (electricity),
  // MJ (heat). Empty when the kind must be named (`kinds`) or measured (`range`).
  std::optional<Decimal> kgce_per_unit;
  std::vector<std::string> kinds;         // the exact carriers to name instead of this one
  std::optional<Decimal> range_low;       // the table's range when the heat value decides
  std::optional<Decimal> range_high;
  std::string tag;     // C, S or U
  std::string source;
};

// The coefficient's unit as the tables print it: "kgce/kg", "kgce/m3", "kgce/kWh", "kgce/MJ".
std::string CoefficientUnit(Dimension dimension);

enum class EnergyUse {
  kProduction,    // main, auxiliary and ancillary production systems: counts
  kFeedstock,     // 原料用能: counts, and reported apart
  kResidential,   // 生活用能: not counted
  kConstruction,  // 基建用能: not counted
  kSuppliedOut,   // 外供: subtracted
};
const char* EnergyUseName(EnergyUse use);
std::optional<EnergyUse> ParseEnergyUse(const std::string& name);

struct EnergyItem {
  std::string carrier;
  EnergyUse use = EnergyUse::kProduction;
  Decimal quantity;
  std::string unit;
  // The reporting unit's measured average low heat value, kcal per kg or m3 (mass and volume
  // carriers only): the coefficient is then heat ÷ 7000 kcal, rounded to 4 decimals.
  std::optional<Decimal> measured_kcal_per_unit;
  bool renewable = false;  // own wind, solar, hydro or biomass electricity or heat
};

struct EnergyMonth {
  int month = 0;  // 1..12
  std::vector<EnergyItem> items;
};

struct AccountingInput {
  int year = 0;
  // The year's equal value of electricity (kgce/kWh); required when any electricity is reported.
  std::optional<Decimal> electricity_equal_kgce_per_kwh;
  std::vector<EnergyMonth> months;
};

struct ItemResult {
  const Carrier* carrier = nullptr;
  EnergyItem item;
  Exact base_quantity;      // in the dimension's base unit (t, m3, kWh, GJ)
  Decimal kgce_per_unit;    // the coefficient applied
  bool measured = false;    // from the measured heat value rather than the table
  Exact tce;                // at the equivalent value
  Exact tce_equal;          // electricity at the equal value; otherwise equal to tce
  bool counted = true;      // false for residential and construction use
};

// Sums of a month or of the year, exact; Round() them for output.
struct EnergyTotals {
  Exact comprehensive_tce;        // production + feedstock − supplied out, equivalent value
  Exact comprehensive_equal_tce;  // the same with electricity at the equal value
  Exact consumed_tce;             // production + feedstock, before subtraction
  Exact supplied_out_tce;
  Exact feedstock_tce;
  Exact renewable_tce;            // renewable energy consumed (production and feedstock)
  Exact renewable_equal_tce;
  Exact not_counted_tce;          // residential and construction
  Exact electricity_kwh;          // electricity consumed (production and feedstock)
};

struct MonthResult {
  int month = 0;
  std::vector<ItemResult> items;
  EnergyTotals totals;
};

struct AccountingResult {
  int year = 0;
  std::vector<MonthResult> months;  // in month order
  EnergyTotals year_totals;
};

// Adds `other` into `sum`; false on overflow.
[[nodiscard]] bool AddTotals(const EnergyTotals& other, EnergyTotals* sum);

// The catalog is the carriers of data/energy/carriers.json. Errors name the field path:
// "months[1].items[0].carrier".
Result<AccountingResult> AccountEnergy(const AccountingInput& input, const std::vector<Carrier>& catalog);

// The coefficient of a measured low heat value: kcal ÷ 7000, half up to 4 decimals.
Decimal CoefficientFromHeatValue(Decimal kcal_per_unit);

}  // namespace greenloop::energy

#endif  // GREENLOOP_ENERGY_ENERGY_ACCOUNTING_H_
