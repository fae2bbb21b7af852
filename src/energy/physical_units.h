// src/energy/physical_units.h
//
// Statistics and energy reports state quantities in mixed units: coal in t or 10^4 t (万吨),
// electricity in kWh, 10^4 kWh or 10^8 kWh (亿千瓦时), GDP in 10^4 or 10^8 yuan. A figure read in
// the wrong one is off by four or eight orders of magnitude and still looks plausible, so every
// quantity the energy engines take names its unit, and the unit must measure what the field
// expects (a mass for coal, an electricity amount for power). Each quantity is converted once to
// its dimension's base unit (t, m3, kWh, GJ, tce, 10^4 yuan) as an exact value.
#ifndef GREENLOOP_ENERGY_PHYSICAL_UNITS_H_
#define GREENLOOP_ENERGY_PHYSICAL_UNITS_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.h"
#include "core/status.h"

namespace greenloop::energy {

enum class Dimension {
  kMass,          // base t
  kVolume,        // base m3 (gas at standard conditions, water)
  kElectricity,   // base kWh
  kHeat,          // base GJ
  kStandardCoal,  // base tce (吨标准煤)
  kMoney,         // base 10^4 yuan (万元), the unit of GDP in the statistics
};

std::string_view DimensionName(Dimension dimension);  // "mass", "electricity", …
std::string_view BaseUnit(Dimension dimension);       // "t", "kWh", …

struct PhysicalUnit {
  std::string_view code;      // the canonical spelling: "10^4 kWh"
  Dimension dimension;
  std::int64_t base_per_unit_micros;  // base units in one of this unit, × 10^6 (kg: 1,000 = 0.001 t)
};

// Every unit the engines read, canonical spellings first; Chinese spellings (万吨, 万千瓦时, 亿元 …)
// and common variants (m³, 1e4 t) are accepted by FindUnit as aliases.
const std::vector<PhysicalUnit>& Units();
// nullptr for a spelling that is not a unit.
const PhysicalUnit* FindUnit(std::string_view spelling);
// The canonical spellings of a dimension's units, for error messages: "t, kg, 10^4 t".
std::string UnitsOf(Dimension dimension);

// `value` in `unit`, converted to the base unit of `expected`. Refused (invalid_unit, naming
// `field`) when the unit is unknown or measures another dimension; never guessed.
Result<Exact> ToBase(Decimal value, std::string_view unit, Dimension expected, const std::string& field);

}  // namespace greenloop::energy

#endif  // GREENLOOP_ENERGY_PHYSICAL_UNITS_H_
