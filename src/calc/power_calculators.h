// src/calc/power_calculators.h
//
// power-emissions and power-allocation: the JSON faces of mrv/power_accounting.h and
// allocation/power_allocation.h. Input formats: docs/calc/power.md.
#ifndef GREENLOOP_CALC_POWER_CALCULATORS_H_
#define GREENLOOP_CALC_POWER_CALCULATORS_H_

#include <vector>

#include "calc/calculator.h"

namespace greenloop::calc {

std::vector<Calculator> PowerCalculators();

}  // namespace greenloop::calc

#endif  // GREENLOOP_CALC_POWER_CALCULATORS_H_
