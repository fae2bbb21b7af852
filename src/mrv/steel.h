// src/mrv/steel.h
//
// Iron and steel enterprises (企业温室气体排放核算与报告指南 钢铁行业, CETS—AG—03.01—V01—2024).
//
// Enterprise level, mass balance, formula (1):
//
//   E = Σ fuels      net consumption × NCV × CC × 44/12          (no oxidation term)
//     + Σ carbonates quantity × EF
//     + electrodes   quantity × EF
//     + Σ carbon-bearing inputs (pig iron, DRI, ferroalloys, scrap) quantity × EF
//     − Σ carbon products sold (pig iron, crude benzene, tar) quantity × EF
//     − crude steel output × EF
//
// CC and every EF are always the defaults of 附录A (A.1, A.2); a material A.2 does not list is not
// accounted, so it is refused rather than silently dropped. NCV: coke always the default; other
// fuels the default or a measured value with its test report (a measured solid fuel stays
// measured all year, §6.2.2.2).
//
// Process level, formula (3), power units that co-fire self-produced gas or coke:
//
//   E_x = Σ fuels consumption × NCV × CC × OF × 44/12,  OF the A.1 default (§7.2.2.4)
//
// These are part of the enterprise total, reported beside it, not added to it.
//
// Monthly inputs are summed to the year. Every figure is computed exactly and rounded once, half
// up, to the guideline's precision (emissions 2 decimals, intensity 4, the summary total an integer).
#ifndef GREENLOOP_MRV_STEEL_H_
#define GREENLOOP_MRV_STEEL_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"
#include "mrv/industry.h"

namespace greenloop::mrv {

// A material's place in formula (1) (§5.2.1).
enum class SteelMaterialRole { kCarbonate, kElectrode, kCarbonInput, kCarbonProduct, kCrudeSteel };
const char* SteelMaterialRoleName(SteelMaterialRole role);

struct SteelMaterialSpec {
  std::string code;  // "limestone", "pig_iron", …
  std::string name_zh;
  std::string name_en;
  std::vector<SteelMaterialRole> roles;  // pig iron is both an input and a product
  SourcedValue ef_t_per_t;               // tCO2 per t (A.2)
};

struct SteelRules {
  std::map<std::string, IndustryFuelSpec> fuels;  // A.1
  std::map<std::string, SteelMaterialSpec> materials;  // A.2
  ReportingPrecision precision;
};

struct SteelMonth {
  int month = 0;  // 1..12
  std::vector<IndustryFuelUse> fuels;  // net consumption of purchased fuels (footnote 3)
  std::vector<MaterialUse> carbonates;
  Decimal electrodes_t;
  std::vector<MaterialUse> carbon_inputs;
  std::vector<MaterialUse> carbon_products;  // sold off site, or benzene and tar processed further
  Decimal crude_steel_t;
};

struct SteelPowerUnitMonth {
  int month = 0;
  std::vector<IndustryFuelUse> fuels;
  Decimal generation_mwh;
  Decimal heat_supplied_gj;
};

struct SteelPowerUnit {
  std::string id;  // unique, e.g. "TRT-1" or "#3"
  std::string name;
  std::vector<SteelPowerUnitMonth> months;
};

struct SteelInput {
  int data_year = 0;
  std::vector<SteelMonth> months;
  std::vector<SteelPowerUnit> power_units;
  bool allow_partial_year = false;
};

// The terms of formula (1), each positive; total = fuels + carbonates + electrodes + carbon_inputs
// − carbon_products − crude_steel.
struct SteelSources {
  Figure fuels, carbonates, electrodes, carbon_inputs, carbon_products, crude_steel, total;
};

struct SteelMonthResult {
  int month = 0;
  std::vector<FuelEmissionLine> fuels;
  std::vector<MaterialLine> materials;  // role is a SteelMaterialRoleName
  Decimal crude_steel_t;
  SteelSources sources;
};

struct SteelPowerUnitMonthResult {
  int month = 0;
  std::vector<FuelEmissionLine> fuels;
  Decimal generation_mwh, heat_supplied_gj;
  Figure emissions;
};

struct SteelPowerUnitResult {
  std::string id;
  std::string name;
  std::vector<SteelPowerUnitMonthResult> months;  // in input order
  std::vector<FuelYearLine> fuels;
  std::vector<int> months_missing;
  Decimal generation_mwh;    // at the electricity precision
  Decimal heat_supplied_gj;  // at the heat precision
  Figure emissions;
};

struct SteelResult {
  int data_year = 0;
  std::vector<SteelMonthResult> months;  // in input order
  std::vector<int> months_missing;       // only with allow_partial_year
  std::vector<FuelYearLine> fuels;
  std::vector<MaterialYearLine> materials;
  SteelSources sources;  // the year
  Decimal total_integer_t;  // sources.total rounded half up to the summary table's precision
  Decimal crude_steel_t;    // at the quantity precision
  std::optional<Decimal> intensity_t_per_t;  // total / crude steel; absent without crude steel
  std::vector<SteelPowerUnitResult> power_units;
  Figure power_units_total;
  std::vector<std::string> notes;
};

// Validates the input against the rules and computes. Errors name the field at fault with a path
// such as "months[3].carbonates[0].material" or "power_units[0].months[2].fuels[1].ncv".
Result<SteelResult> AccountSteelEmissions(const SteelInput& input, const SteelRules& rules);

}  // namespace greenloop::mrv

#endif  // GREENLOOP_MRV_STEEL_H_
