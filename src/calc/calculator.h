// src/calc/calculator.h
//
// The calculators (`greenloop calc NAME --input FILE.json`, and the same over the API) share one
// shape: a documented JSON input, the reference data embedded from data/, a JSON result that
// carries every input it used. The domain engines (mrv/, allocation/, compliance/) know nothing
// of JSON; this layer maps JSON to their structs and back.
#ifndef GREENLOOP_CALC_CALCULATOR_H_
#define GREENLOOP_CALC_CALCULATOR_H_

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"

namespace greenloop::calc {

using Json = nlohmann::ordered_json;

struct Calculator {
  std::string name;      // "power-emissions"
  std::string title_zh;  // "发电设施排放核算"
  std::string title_en;
  std::string description;  // what it computes and which rules it follows
  std::string example_file;  // docs/calc/NAME.json: a documented input that runs
  std::function<Result<Json>(const Json& input)> run;
};

// Every calculator, in the order `greenloop calc --list` prints them.
const std::vector<Calculator>& Calculators();
const Calculator* FindCalculator(const std::string& name);
Calculator ComplianceCalculator();
Calculator CarryOverCalculator();
Calculator IndustryAllocationCalculator();
Calculator EnergyCalculator();
Calculator DualControlCalculator();
std::vector<Calculator> EnergyBudgetCalculators();

}  // namespace greenloop::calc

#endif  // GREENLOOP_CALC_CALCULATOR_H_
