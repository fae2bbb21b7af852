// src/calc/power_calculators.h
//
// power-emissions and power-allocation: the JSON faces of mrv/power_accounting.h and
// allocation/power_allocation.h. Input formats: docs/calc/power.md.
#ifndef GREENLOOP_CALC_POWER_CALCULATORS_H_
#define GREENLOOP_CALC_POWER_CALCULATORS_H_

#include <vector>

#include "calc/calculator.h"
#include "calc/json_input.h"
#include "mrv/facility.h"
#include "mrv/power_accounting.h"

namespace greenloop::calc {

std::vector<Calculator> PowerCalculators();

// The JSON shapes of a generating unit and a unit-month (docs/calc/power.md), shared by the
// calculators and the MRV API. Readers refuse unknown fields and name the field at fault.
Status ReadGeneratingUnit(const JsonInput& in, mrv::GeneratingUnit* unit);
Status ReadUnitMonth(const JsonInput& in, mrv::UnitMonth* month);
Json GeneratingUnitToJson(const mrv::GeneratingUnit& unit);
Json UnitMonthToJson(const mrv::UnitMonth& month);

}  // namespace greenloop::calc

#endif  // GREENLOOP_CALC_POWER_CALCULATORS_H_
