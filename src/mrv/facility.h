// src/mrv/facility.h
//
// Generating units of a power facility, as the allocation plans classify them. The category a
// unit falls in depends on the plan year (the capacity threshold moved from "the 300 MW class"
// to 400 MW), so a unit stores what it is, and allocation/power_plan.h decides its category.
#ifndef GREENLOOP_MRV_FACILITY_H_
#define GREENLOOP_MRV_FACILITY_H_

#include <string>

#include "core/decimal.h"

namespace greenloop::mrv {

enum class FuelState { kSolid, kLiquid, kGas };

enum class UnitFuelType {
  kCoalConventional,    // 常规燃煤
  kCoalUnconventional,  // 非常规燃煤 (coal gangue, slime, coal-water slurry > 50 % of heat), incl. CFB
  kGas,                 // 燃气
};

enum class CoolingMethod { kWater, kAir };

struct GeneratingUnit {
  std::string id;  // unique within the facility, e.g. "#1"
  std::string name;
  UnitFuelType fuel_type = UnitFuelType::kCoalConventional;
  bool circulating_fluidized_bed = false;  // CFB boilers count as unconventional coal
  Decimal capacity_mw;
  CoolingMethod cooling = CoolingMethod::kWater;
  bool supplies_heat = false;
};

const char* UnitFuelTypeName(UnitFuelType type);
const char* CoolingMethodName(CoolingMethod method);
const char* FuelStateName(FuelState state);

}  // namespace greenloop::mrv

#endif  // GREENLOOP_MRV_FACILITY_H_
