// src/calc/energy_rules.h
//
// The energy accounting of issue 5 as the calculator layer sees it: the carriers of
// data/energy/carriers.json, the JSON shape of an enterprise's energy data (one month is a key
// energy-consuming unit's monthly report, 重点用能单位月报), and the result as JSON. The
// `energy` calculator and, later, the report endpoints share these.
#ifndef GREENLOOP_CALC_ENERGY_RULES_H_
#define GREENLOOP_CALC_ENERGY_RULES_H_

#include <vector>

#include "calc/calculator.h"
#include "calc/json_input.h"
#include "energy/energy_accounting.h"

namespace greenloop::calc {

const std::vector<energy::Carrier>& EnergyCarriersData();

// {"year", "electricity_equal_kgce_per_kwh"?, "months":[{"month","items":[{"carrier","use"?,"quantity","unit",
// "measured_kcal_per_unit"?,"renewable"?}]}]}; "use" defaults to production. Errors name the path.
Status ReadEnergyAccountingInput(const Json& input, energy::AccountingInput* out);
// A figure given as {"value": 1234.5, "unit": "10^4 tce"}, in its dimension's base unit (tce,
// 10^4 yuan, t …), rounded to 6 decimals. GDP may also carry "prices" and "price_base_year".
// Absent: `out` stays empty, or missing_field when required.
Status ReadEnergyQuantity(const JsonInput& parent, const std::string& name, energy::Dimension dimension, bool required,
                          std::optional<Decimal>* out);
Json EnergyAccountingJson(const energy::AccountingInput& input, const energy::AccountingResult& result);

}  // namespace greenloop::calc

#endif  // GREENLOOP_CALC_ENERGY_RULES_H_
