#include "calc/calculator.h"
#include "calc/industry_calculators.h"
#include "calc/power_calculators.h"

namespace greenloop::calc {

const std::vector<Calculator>& Calculators() {
  static const std::vector<Calculator> all = [] {
    std::vector<Calculator> list = PowerCalculators();
    list.push_back(ComplianceCalculator());
    list.push_back(CarryOverCalculator());
    list.push_back(IndustryAllocationCalculator());
    for (Calculator& c : IndustryCalculators()) list.push_back(std::move(c));
    list.push_back(EnergyCalculator());
    list.push_back(DualControlCalculator());
    for (Calculator& c : EnergyBudgetCalculators()) list.push_back(std::move(c));
    return list;
  }();
  return all;
}

const Calculator* FindCalculator(const std::string& name) {
  for (const Calculator& c : Calculators()) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

}  // namespace greenloop::calc
