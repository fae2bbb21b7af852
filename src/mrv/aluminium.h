// src/mrv/aluminium.h
//
// Aluminium smelters (企业温室气体排放核算与报告指南 铝冶炼行业, CETS—AG—04.01—V01—2024), per
// month of liquid aluminium output:
//
//   fuel combustion  Σ consumption × NCV × CC × OF × 44/12
//   anode CO2        Al × net anode consumption per t Al × (1 − S − Ash) × 44/12
//   anode effect     Al × (EF_CF4 × GWP_CF4 + EF_C2F6 × GWP_C2F6) / 1000   [EF in kg per t Al]
//                    with measured anode-effect minutes AEM: EF_CF4 = slope × AEM,
//                    EF_C2F6 = ratio × EF_CF4
//   carbonates       Σ quantity × EF
//
// Purchased electricity and the electrolysis AC consumption are auxiliary report items: summed,
// never counted.
//
// Only the guideline's table of contents was read. Every default (the parameters, the fuel
// defaults borrowed from the steel guideline, GWPs, carbonate EFs) is unconfirmed [U] and comes
// in as data; every one can be replaced by a value in the input, and the result's notes list each
// unconfirmed default that was used.
#ifndef GREENLOOP_MRV_ALUMINIUM_H_
#define GREENLOOP_MRV_ALUMINIUM_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"
#include "mrv/industry.h"

namespace greenloop::mrv {

struct AluminiumParameters {
  SourcedValue net_anode_t_per_t_al;  // t of anode consumed net per t of liquid Al
  SourcedValue anode_sulfur_fraction;
  SourcedValue anode_ash_fraction;
  SourcedValue ef_cf4_kg_per_t_al;
  SourcedValue ef_c2f6_kg_per_t_al;
  SourcedValue aem_slope;       // kg CF4 per t Al per anode-effect minute per cell-day
  SourcedValue c2f6_cf4_ratio;  // kg C2F6 per kg CF4
  SourcedValue gwp_cf4;
  SourcedValue gwp_c2f6;
};

struct AluminiumCarbonateSpec {
  std::string code;  // "limestone", "soda_ash"
  std::string name_zh;
  std::string name_en;
  SourcedValue ef_t_per_t;
};

struct AluminiumRules {
  std::map<std::string, IndustryFuelSpec> fuels;
  AluminiumParameters defaults;
  std::map<std::string, AluminiumCarbonateSpec> carbonates;
  ReportingPrecision precision;
};

// Values given for the whole year in place of the defaults.
struct AluminiumOverrides {
  std::optional<Decimal> net_anode_t_per_t_al;
  std::optional<Decimal> anode_sulfur_fraction;
  std::optional<Decimal> anode_ash_fraction;
  std::optional<Decimal> ef_cf4_kg_per_t_al;
  std::optional<Decimal> ef_c2f6_kg_per_t_al;
  std::optional<Decimal> aem_slope;
  std::optional<Decimal> c2f6_cf4_ratio;
  std::optional<Decimal> gwp_cf4;
  std::optional<Decimal> gwp_c2f6;
  std::map<std::string, Decimal> carbonate_ef_t_per_t;  // by carbonate code
};

struct AluminiumMonth {
  int month = 0;
  Decimal liquid_aluminium_t;
  std::vector<IndustryFuelUse> fuels;
  // The month's measurements; each replaces the year's value (override or default).
  std::optional<Decimal> net_anode_t_per_t_al;
  std::optional<Decimal> anode_sulfur_fraction;
  std::optional<Decimal> anode_ash_fraction;
  std::optional<Decimal> anode_effect_minutes;  // AEM, minutes per cell-day
  std::vector<MaterialUse> carbonates;
  Decimal purchased_electricity_mwh;  // auxiliary
  Decimal electrolysis_ac_mwh;        // auxiliary
};

struct AluminiumInput {
  int data_year = 0;
  AluminiumOverrides parameters;
  std::vector<AluminiumMonth> months;
  bool allow_partial_year = false;
};

enum class PfcMethod {
  kFactors,              // EF_CF4 and EF_C2F6 per t Al (default or given)
  kAnodeEffectMinutes,   // EF_CF4 = slope × AEM, EF_C2F6 = ratio × EF_CF4
};
const char* PfcMethodName(PfcMethod method);

struct AluminiumMonthResult {
  int month = 0;
  Decimal liquid_aluminium_t;
  std::vector<FuelEmissionLine> fuels;
  Figure fuel;
  UsedValue net_anode_t_per_t_al, anode_sulfur_fraction, anode_ash_fraction;
  Figure anode;
  PfcMethod pfc_method = PfcMethod::kFactors;
  std::optional<Decimal> anode_effect_minutes;
  std::optional<UsedValue> aem_slope, c2f6_cf4_ratio;  // with the AEM method
  UsedValue ef_cf4_kg_per_t_al, ef_c2f6_kg_per_t_al, gwp_cf4, gwp_c2f6;
  Exact cf4_kg, c2f6_kg;
  Figure pfc;
  std::vector<MaterialLine> carbonates;
  Figure carbonate;
  Figure total;
  Decimal purchased_electricity_mwh, electrolysis_ac_mwh;
};

struct AluminiumResult {
  int data_year = 0;
  std::vector<AluminiumMonthResult> months;  // in input order
  std::vector<int> months_missing;
  std::vector<FuelYearLine> fuels;
  std::vector<MaterialYearLine> carbonates;
  Figure fuel, anode, pfc, carbonate, total;
  Decimal total_integer_t;
  Decimal liquid_aluminium_t;  // at the quantity precision
  std::optional<Decimal> intensity_t_per_t;  // total tCO2e per t liquid Al
  Decimal cf4_t, c2f6_t;  // the year's anode-effect gases, t (6 decimals)
  Decimal purchased_electricity_mwh, electrolysis_ac_mwh;  // auxiliary, at the electricity precision
  std::vector<std::string> notes;
};

// Validates the input against the rules and computes. Errors name the field at fault with a
// path such as "months[3].anode_sulfur_fraction" or "parameters.gwp_cf4".
Result<AluminiumResult> AccountAluminiumEmissions(const AluminiumInput& input, const AluminiumRules& rules);

}  // namespace greenloop::mrv

#endif  // GREENLOOP_MRV_ALUMINIUM_H_
