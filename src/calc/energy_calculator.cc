// The `energy` calculator: an enterprise's comprehensive energy consumption (综合能耗) per
// GB/T 2589-2020, month by month and for the year (energy/energy_accounting.h).
#include "calc/calculator.h"
#include "calc/energy_rules.h"

namespace greenloop::calc {

Calculator EnergyCalculator() {
  Calculator c;
  c.name = "energy";
  c.title_zh = "综合能耗核算";
  c.title_en = "Comprehensive energy consumption";
  c.description =
      "GB/T 2589-2020: each carrier × its standard-coal coefficient (or the measured heat value ÷ 7000 kcal), "
      "production and feedstock use counted, energy supplied out subtracted, residential and construction use left out; "
      "electricity at the equivalent (0.1229) and the year's equal value; per month and year, in tce";
  c.example_file = "docs/calc/energy.json";
  c.run = [](const Json& input) -> Result<Json> {
    energy::AccountingInput parsed;
    GL_RETURN_IF_ERROR(ReadEnergyAccountingInput(input, &parsed));
    Result<energy::AccountingResult> result = energy::AccountEnergy(parsed, EnergyCarriersData());
    if (!result.ok()) return result.status();
    Json out = EnergyAccountingJson(parsed, result.value());
    if (input.contains("organization")) out["organization"] = input["organization"];
    return out;
  };
  return c;
}

}  // namespace greenloop::calc
